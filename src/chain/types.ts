/**
 * The Chain model (DESIGN.md §4, "Chain JSON version 1").
 * Plain data only: it crosses the content script → frame → worker boundary by structured clone
 * and is written to storage.local. Missing is `null`, never 0. IV is a fraction. Money is in the
 * quote's currency units (per share / per index point, not per contract).
 */

export const CHAIN_VERSION = 1 as const;

export type OptionKind = 'call' | 'put';

/** How an expiry settles: SPXW/most equity options at the close (PM), standard third-Friday SPX at the open (AM). */
export type Settlement = 'AM' | 'PM';

export interface Quote {
  bid: number | null;
  ask: number | null;
  last: number | null;
  volume: number | null;
  openInterest: number | null;
  /** Implied volatility as a fraction (0.1432), as shown by the page or file; null if not shown. */
  iv: number | null;
  /** Delta as shown by the page or file; null if not shown. */
  delta: number | null;
}

export interface ChainRow {
  strike: number;
  /** null when the page does not show that side for this strike. */
  call: Quote | null;
  put: Quote | null;
}

export interface Expiry {
  /** Expiry date, YYYY-MM-DD (the exchange's calendar date). */
  date: string;
  /** Option root, e.g. SPX, SPXW, VIX, VIXW, AAPL; null when unknown. */
  root: string | null;
  settlement: Settlement;
  /** Rows sorted by ascending strike, unique strikes. */
  rows: ChainRow[];
  /**
   * The forward and smile the quotes were priced from, when a model priced them (the backtest's model chains,
   * src/engine/backtest/modelChain.ts); never set by a page reader or an importer. The analysis takes them as the
   * expiry's forward and smile instead of fitting them back from the quotes (engine/analyze.ts).
   */
  quotedFrom?: QuoteModel;
}

/**
 * A model's forward, discount factor and raw SVI smile (Gatheral 2004: total variance
 * w(k) = a + b·(ρ·(k − m) + √((k − m)² + σ²)) in k = ln(K / forward)), as the quotes of an expiry were priced from.
 */
export interface QuoteModel {
  forward: number;
  discount: number;
  /**
   * The continuously compounded rate of the discount, a fraction per year (the model's clock can differ from the
   * session's by the hour of settlement, so it is stated rather than read back from the discount).
   */
  rate: number;
  /**
   * Raw SVI in k = ln(K / forward) (the engine's SviParams; the chain layer names no engine type). Absent: the
   * quotes' smile is not SVI (the analysis fits one).
   */
  svi?: { a: number; b: number; rho: number; m: number; sigma: number };
}

export interface ChainWarning {
  /** 0-based index of the source row (table row, CSV line) the warning is about; null if not row-specific. */
  row: number | null;
  reason: string;
}

export type SourceKind = 'html' | 'csv' | 'dat' | 'json' | 'snapshot' | 'manual';

export interface ChainSource {
  kind: SourceKind;
  /** Which adapter or importer produced it: 'generic-table', 'yahoo', 'cboe-csv', 'cboe-dat', … */
  adapter: string;
  /** Optional: file name or page title (never a full URL with query string). */
  name?: string;
}

export interface Underlying {
  symbol: string;
  /** Last/spot price if the source shows one; null otherwise. */
  price: number | null;
}

export interface Chain {
  version: typeof CHAIN_VERSION;
  underlying: Underlying;
  /** When the quotes were taken, ISO 8601 UTC; null if the source does not say. */
  asOf: string | null;
  source: ChainSource;
  expiries: Expiry[];
  warnings: ChainWarning[];
}

export function emptyQuote(): Quote {
  return { bid: null, ask: null, last: null, volume: null, openInterest: null, iv: null, delta: null };
}

/** Two quotes with the same numbers (or both missing). */
export function sameQuote(a: Quote | null, b: Quote | null): boolean {
  if (a === b) return true;
  if (!a || !b) return false;
  return (
    a.bid === b.bid &&
    a.ask === b.ask &&
    a.last === b.last &&
    a.volume === b.volume &&
    a.openInterest === b.openInterest &&
    a.iv === b.iv &&
    a.delta === b.delta
  );
}

/** No listed option has a strike or a price above this (BRK.A trades near 10^6): beyond it, a broken cell. */
export const MAX_PRICE = 1e7;

/** Below this an ask is a zero market, whatever its digits (no listed option trades under a cent). */
export const MIN_ASK = 0.005;

/** Mid of a two-sided, uncrossed market with a real ask (≥ MIN_ASK); null otherwise (DESIGN §5: left out). */
export function quoteMid(q: Quote | null | undefined): number | null {
  if (!q || q.bid === null || q.ask === null) return null;
  if (!(q.bid >= 0) || !(q.ask >= MIN_ASK) || q.bid > q.ask) return null;
  return 0.5 * q.bid + 0.5 * q.ask; // halves first: no overflow to Infinity on absurd quotes
}
