/**
 * Sending a ticking chain to the worker by its changes: when the chain keeps its shape (same expiries, same strikes
 * in the same order), only the rows whose quotes changed cross the boundary; otherwise the whole chain does.
 * (Cloning a 1,000-row chain on the page's main thread on every tick costs milliseconds; a tick changes ~10% of it.)
 * Pure: used by the content script (diff) and the worker (apply).
 */
import type { Chain, ChainRow, Quote } from '../chain/types';

export interface ChainPatch {
  /** The shape the patch applies to (see chainShape); the worker refuses a patch for another shape. */
  shape: string;
  underlying: Chain['underlying'];
  asOf: Chain['asOf'];
  warnings: Chain['warnings'];
  /** Replaced rows: expiry index, row index, the new row. */
  rows: { e: number; r: number; row: ChainRow }[];
}

/** Identity of a chain's layout: symbol, expiries and their strikes in order. */
export function chainShape(chain: Chain): string {
  let s = `${chain.underlying.symbol}|${chain.source.adapter}`;
  for (const e of chain.expiries) {
    s += `|${e.date}:${e.root ?? ''}:${e.settlement}:`;
    for (const r of e.rows) s += `${r.strike},`;
  }
  return s;
}

function sameQuote(a: Quote | null, b: Quote | null): boolean {
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

/** A patch turning `before` into `after`, or null when their shapes differ (send the whole chain). */
export function diffChain(before: Chain, after: Chain, shapeBefore = chainShape(before)): ChainPatch | null {
  const shape = chainShape(after);
  if (shape !== shapeBefore) return null;
  const rows: ChainPatch['rows'] = [];
  after.expiries.forEach((e, ei) => {
    const old = before.expiries[ei]!.rows;
    e.rows.forEach((row, ri) => {
      const o = old[ri]!;
      if (!sameQuote(o.call, row.call) || !sameQuote(o.put, row.put)) rows.push({ e: ei, r: ri, row });
    });
  });
  return { shape, underlying: after.underlying, asOf: after.asOf, warnings: after.warnings, rows };
}

/** The chain after the patch, or null when the patch is for another shape. Does not modify `chain`. */
export function applyPatch(chain: Chain, patch: ChainPatch, shape = chainShape(chain)): Chain | null {
  if (patch.shape !== shape) return null;
  const expiries = chain.expiries.map((e) => ({ ...e, rows: e.rows }));
  const copied = new Set<number>();
  for (const { e, r, row } of patch.rows) {
    const ex = expiries[e];
    if (!ex || r < 0 || r >= ex.rows.length || ex.rows[r]!.strike !== row.strike) return null;
    if (!copied.has(e)) {
      ex.rows = ex.rows.slice();
      copied.add(e);
    }
    ex.rows[r] = row;
  }
  return { ...chain, underlying: patch.underlying, asOf: patch.asOf, warnings: patch.warnings, expiries };
}
