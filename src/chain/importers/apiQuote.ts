/** The quote of one contract in a broker API's JSON (Schwab/TD Ameritrade, Tradier): the fields' shared rules. */
import type { ChainRow, ChainWarning, Quote } from '../types.ts';
import { marketWarning } from '../market.ts';

/** A finite number, or null (APIs write null, "NaN" strings or nothing where they have none). */
export function finite(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

function count(v: unknown): number | null {
  const n = finite(v);
  return n !== null && n >= 0 && Number.isInteger(n) ? n : null;
}

/**
 * A Quote from raw fields. `iv` is already a fraction: above 20 (2,000 %) it is a failed solve, not a market. A
 * last price of 0 means no trade; a delta outside ±1 is not one.
 */
export function apiQuote(f: {
  bid: unknown;
  ask: unknown;
  last: unknown;
  volume: unknown;
  openInterest: unknown;
  iv: number | null;
  delta: unknown;
}): Quote {
  const last = finite(f.last);
  const delta = finite(f.delta);
  return {
    bid: finite(f.bid),
    ask: finite(f.ask),
    last: last === 0 ? null : last,
    volume: count(f.volume),
    openInterest: count(f.openInterest),
    iv: f.iv !== null && f.iv > 0 && f.iv <= 20 ? f.iv : null,
    delta: delta !== null && delta >= -1 && delta <= 1 ? delta : null,
  };
}

/**
 * Puts one contract's quote on its strike's row (made when new): false, with a warning, when that side is
 * there already; a crossed or zero market is kept and warned about.
 */
export function placeQuote(
  rows: Map<number, ChainRow>,
  at: { strike: number; kind: 'call' | 'put'; date: string; row: number },
  q: Quote,
  warnings: ChainWarning[],
): boolean {
  const { strike, kind, date, row } = at;
  let r = rows.get(strike);
  if (!r) rows.set(strike, (r = { strike, call: null, put: null }));
  if (r[kind]) {
    warnings.push({ row, reason: `duplicate ${kind} at strike ${strike} for ${date}: dropped` });
    return false;
  }
  r[kind] = q;
  const what = marketWarning(q.bid, q.ask);
  if (what) warnings.push({ row, reason: `${what} (${kind} ${date} ${strike})` });
  return true;
}
