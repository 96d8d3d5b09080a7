/**
 * The option legs the content script read from a positions table on the broker's page, as they cross the feed port
 * to the worker (src/content/positionsTable.ts reads them; src/engine/session/pageOffer.ts turns them into the
 * overlay's offer). Plain data: structured-cloned, never written into the page.
 */

export interface PageLeg {
  /** The option root as the page names it ("SPXW", "SPY"). */
  root: string;
  /** YYYY-MM-DD. */
  expiry: string;
  kind: 'call' | 'put';
  strike: number;
  /** Contracts, signed: + long, − short. */
  quantity: number;
  /** Open price per share (1.85 means $185 a contract at ×100); ≥ 0. */
  openPrice: number;
  /** The row of its table it was read from (1-based, the header row not counted). */
  row: number;
}

/** A row that named no leg HedgeLens could take, and why: counted and shown, never guessed. */
export interface PageLegRejected {
  row: number;
  /** The row's first words (at most 60 characters), for the trader to find it. */
  text: string;
  reason: string;
}

export interface PageLegs {
  /** Positions tables found on the page. */
  tables: number;
  legs: PageLeg[];
  rejected: PageLegRejected[];
}
