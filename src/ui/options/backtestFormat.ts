/** How the backtest's figures are written in the Options page: fractions as percentages, "—" when there is none. */

export const pct = (v: number | null | undefined, digits = 1): string =>
  v === null || v === undefined || !Number.isFinite(v) ? '—' : `${(100 * v).toFixed(digits)}%`;

/** A percentage with its sign ("+8.1%", "-2.7%"). */
export const signedPct = (v: number | null | undefined, digits = 1): string =>
  v === null || v === undefined || !Number.isFinite(v) ? '—' : `${v > 0 ? '+' : ''}${(100 * v).toFixed(digits)}%`;
