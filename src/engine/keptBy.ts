/**
 * A function of one key whose answers are kept by key: for the few inputs the engine asks about again and again (the
 * same dates, time stamps and thresholds on every plan of a chain, or of a backtest's day). At most `limit` answers
 * are kept; when that many are, they are all let go and kept afresh. An answer `make` throws for is not kept: the
 * same key throws again.
 */
export function keptBy<K, V>(limit: number, make: (key: K) => V): (key: K) => V {
  const kept = new Map<K, V>();
  return (key) => {
    if (kept.has(key)) return kept.get(key)!;
    const value = make(key);
    if (kept.size >= limit) kept.clear();
    kept.set(key, value);
    return value;
  };
}
