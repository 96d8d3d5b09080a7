/**
 * What is derived from an expiry's rows (the forward, the IVs and smile) depends on the rows and a few numbers
 * only. Rows frozen by whoever made them cannot change, so their derivations are kept and reused for the same
 * numbers: the backtest's model chains (modelChain.ts), asked about by several strategies on one day. Rows that are
 * not frozen (a live page, a patched chain) are always derived anew. Keyed by the rows' identity (a WeakMap), so
 * nothing is kept once the rows are gone. The results are shared: callers must not change them.
 */
const byRows = new WeakMap<object, Map<string, unknown>>();

export function onFrozenRows<T>(rows: readonly unknown[], key: string, derive: () => T): T {
  if (!Object.isFrozen(rows)) return derive();
  let memo = byRows.get(rows);
  if (!memo) byRows.set(rows, (memo = new Map()));
  if (memo.has(key)) return memo.get(key) as T;
  const v = derive();
  memo.set(key, v);
  return v;
}
