/**
 * The position as the trader holds it: named, on one underlying, made of legs. A leg is an OCC-identified option
 * (the contract's identity is the OCC symbol, src/chain/occ.ts) or shares/futures, each with a signed quantity
 * (+ long, − short) and the price it was opened at.
 */
import type { OptionKind } from '../chain/types.ts';

export interface OptionLeg {
  asset: 'option';
  /** The 21-character OCC symbol ("SPXW  260417P06400000"), from formatOcc. */
  occ: string;
  /** What the option is on ("SPX" for an SPXW root). */
  underlying: string;
  /** The OCC root ("SPXW"). */
  root: string;
  /** ISO date YYYY-MM-DD. */
  expiry: string;
  strike: number;
  kind: OptionKind;
  /** Contracts, signed: −1 is one contract short. */
  quantity: number;
  /** Price per share at which the leg was opened (1.85 means $185 a contract at ×100); always ≥ 0. */
  openPrice: number;
  /** Shares per contract (100 for standard equity and index options). */
  multiplier: number;
}

export interface ShareLeg {
  asset: 'shares' | 'future';
  symbol: string;
  /** Shares or contracts, signed. */
  quantity: number;
  /** Price per share (or per futures point) at which it was opened; ≥ 0. */
  openPrice: number;
  /** 1 for shares; the point value for futures when the file states it, else null. */
  multiplier: number | null;
}

export type Leg = OptionLeg | ShareLeg;

/** A leg with where it came from: the file's line (1-based) and the account when the file names one. */
export type ImportedLeg = Leg & { line: number; account?: string };

/** The structures recognised for a position's name. */
export type Structure =
  | 'iron condor'
  | 'iron butterfly'
  | 'put vertical'
  | 'call vertical'
  | 'put butterfly'
  | 'call butterfly'
  | 'straddle'
  | 'strangle'
  | 'long put'
  | 'short put'
  | 'long call'
  | 'short call'
  | 'shares'
  | 'future'
  | 'custom';

export interface Position {
  /** "SPX 2026-04-17 iron condor". */
  name: string;
  underlying: string;
  /** Expiries of its option legs, sorted; empty for shares/futures. */
  expiries: string[];
  structure: Structure;
  account?: string;
  legs: ImportedLeg[];
}

export type BrokerFormat =
  | 'thinkorswim-statement'
  | 'tastytrade-positions'
  | 'tastytrade-transactions'
  | 'ibkr-activity'
  | 'schwab-positions'
  | 'fidelity-positions';

/** A line read but not made into a leg, and why (a total row, a cash row, another section). */
export interface SkippedLine {
  line: number;
  reason: string;
}

/** What one parser took from a file. */
export interface ParsedLegs {
  legs: ImportedLeg[];
  skipped: SkippedLine[];
  notes: string[];
}

export interface ImportReport {
  format: BrokerFormat;
  formatName: string;
  /** Why this format was chosen: the header line that identified it. */
  detectedBy: string;
  lines: number;
  positions: number;
  legs: number;
  skipped: SkippedLine[];
  notes: string[];
}

export type PositionImportResult =
  | { ok: true; positions: Position[]; report: ImportReport }
  | { ok: false; reason: string; line: number | null; format: BrokerFormat | null };
