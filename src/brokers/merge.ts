/**
 * Merging readings by strike. Virtualised lists hold only the visible rows in the DOM: each reading is a
 * window onto the chain, and the merger keeps every row seen so far, the newest quote winning per side.
 */
import type { Chain, ChainRow, Expiry } from '../chain/types';
import type { ReadResult } from './types';

const key = (e: Pick<Expiry, 'date' | 'root'>) => `${e.date}|${e.root ?? ''}`;

/** `b` over `a`: rows of both, `b`'s quote for a side when it has one. Underlying and asOf from `b` when shown. */
export function mergeChains(a: Chain, b: Chain): Chain {
  const byKey = new Map<string, { exp: Expiry; rows: Map<number, ChainRow> }>();
  for (const src of [a, b])
    for (const e of src.expiries) {
      let slot = byKey.get(key(e));
      if (!slot) byKey.set(key(e), (slot = { exp: e, rows: new Map() }));
      for (const r of e.rows) {
        const old = slot.rows.get(r.strike);
        slot.rows.set(r.strike, old ? { strike: r.strike, call: r.call ?? old.call, put: r.put ?? old.put } : r);
      }
    }
  const expiries = [...byKey.values()]
    .map(({ exp, rows }) => ({ ...exp, rows: [...rows.values()].sort((x, y) => x.strike - y.strike) }))
    .sort((x, y) => (x.date === y.date ? (x.root ?? '').localeCompare(y.root ?? '') : x.date < y.date ? -1 : 1));
  return {
    ...b,
    underlying: { symbol: b.underlying.symbol, price: b.underlying.price ?? a.underlying.price },
    asOf: b.asOf ?? a.asOf,
    expiries,
    warnings: b.warnings,
  };
}

export interface ChainMerger {
  /** Fold in a new reading (ok:false readings are ignored); returns the merged chain so far. */
  add(result: ReadResult): Chain | null;
  current(): Chain | null;
  /** Forget everything (the user changed symbol or the page navigated). */
  reset(): void;
}

export function createChainMerger(): ChainMerger {
  let merged: Chain | null = null;
  return {
    add(result) {
      if (!result.ok) return merged;
      if (
        merged &&
        merged.underlying.symbol !== result.chain.underlying.symbol &&
        result.chain.underlying.symbol !== 'UNKNOWN'
      )
        merged = null;
      merged = merged ? mergeChains(merged, result.chain) : result.chain;
      return merged;
    },
    current: () => merged,
    reset() {
      merged = null;
    },
  };
}
