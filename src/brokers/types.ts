import type { RowChange } from '../chain/patch';
import type { Chain } from '../chain/types';
import type { TeachProfile } from '../shared/teachProfile';

export interface ReadingReport {
  adapter: string;
  rowsRead: number;
  rowsDropped: number;
  dropped: { row: number; reason: string }[];
  flagged: { row: number; reason: string }[];
  /** 0..1: how sure the reader is that it read a chain and read it right. */
  confidence: number;
  notes: string[];
}

export interface VixSighting {
  /** ISO 8601 UTC time the quote was seen (the reading time). */
  at: string;
  value: number;
  /** Where: the adapter and the text it came from. */
  source: string;
}

export type ReadResult =
  | {
      ok: true;
      chain: Chain;
      report: ReadingReport;
      vixSightings: VixSighting[];
      /**
       * Set by the live watcher: results with the same layout have the same expiries and strikes in the same
       * order, and a row that changed is a new object (rows are replaced, never modified), so two such chains
       * are compared by identity, row by row.
       */
      layout?: number;
      /**
       * Set by the live watcher on an update that only re-priced rows: this chain is `from` (the chain of its
       * previous result) with `rows` replaced, so whoever holds `from` needs no row-by-row comparison.
       */
      changes?: { from: Chain; rows: RowChange[] };
    }
  | {
      ok: false;
      reason: string;
      report: ReadingReport;
      /**
       * The page clearly holds a chain-like table (three or more columns named like a chain's, Strike, Bid, Ask
       * or IV among them) that was not read: the content script says so and offers Teach / Report this page.
       */
      chainLike?: true;
    };

export interface ReadOptions {
  url?: string;
  title?: string;
  /** Reading time: stamps VIX sightings and asOf, and dates a year-less expiry ("Mar 20"). */
  now?: Date;
  profile?: TeachProfile;
}
