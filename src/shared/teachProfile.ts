/**
 * A teach-mode profile: how the trader told HedgeLens to read one site's chain (src/brokers/teach.ts makes it, the
 * page reader follows it, src/storage keeps it, the options page lists it). It lives here, below all of them, so
 * that storage and the UI need not import the reader to name it.
 */

/**
 * Every meaning a column header can have ('known': a column chains have that we do not keep — change, gamma,
 * size… — evidence that this is a chain).
 */
export const FIELDS = [
  'strike',
  'bid',
  'ask',
  'bidAsk',
  'last',
  'mark',
  'volume',
  'openInterest',
  'iv',
  'delta',
  'type',
  'expiry',
  'symbol',
  'known',
] as const;
export type Field = (typeof FIELDS)[number];

/**
 * A taught layout, plain JSON so it can be stored and exported. Rows are found with `rowSelector` (relative to the
 * page root); cells are the row's element children (or `cellSelector`).
 */
export interface TeachProfile {
  version: 1;
  /** Host the profile was taught on, e.g. "trade.example.com". */
  host: string;
  rowSelector: string;
  cellSelector?: string;
  /** 0-based cell index → field, side. Strike must be present. */
  columns: { index: number; field: Field; side: 'call' | 'put' | null }[];
  /** Side of columns without one (a one-sided page), or null when columns carry their sides. */
  side: 'call' | 'put' | null;
  /**
   * Header labels the trader's clicks named (lower case, single spaces → field), e.g. {"exercise": "strike"}. When
   * present, the table the rows sit in is read as the page reader reads any table, with these labels understood:
   * sides and expiries come from the page as the reader finds them (band rows, selectors, option symbols, column
   * order), and `columns` is only what the trader clicked. Absent: `columns` is the whole layout.
   */
  headers?: Record<string, Field>;
  createdAt?: string;
}
