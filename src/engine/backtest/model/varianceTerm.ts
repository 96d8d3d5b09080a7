/**
 * The S&P 500 variance term structure of one day, from Cboe's volatility indexes.
 *
 * VIX9D, VIX and VIX3M are each a model-free variance-swap vol of a fixed term: 9, 30 and 93 calendar days
 * (Cboe's index methodology papers). Squared and times the term, each is a total variance node. Between the nodes
 * of the day the total variance σ²·T is linear in T. Before the first node the vol is flat at it.
 *
 * Where a node is missing (VIX9D before 2011, VIX3M before 2009-09) and past the last node, the average variance
 * to T follows a mean-reverting variance (the Heston expectation, S. Heston 1993):
 *   V(T) = θ + (v₀ − θ)·A(κT),  A(x) = (1 − e^{−x})/x,   κ = κ₂₀·(VIX/20)^a,
 * anchored so that V equals the node's variance at the node's term; a > 0 lets a high VIX revert faster (a spike's
 * term structure is steeper than a calm one's). κ₂₀ (per year), a and θ (a variance) are fitted in
 * scripts/calibrate-backtest.ts on the 2011–2026 history of VIX9D and VIX3M against VIX (docs/BACKTEST_MODEL.md).
 *
 * Everything is in fractions: a VIX of 20 is a vol of 0.20 and a variance of 0.04. No allocation per call.
 */

/** The day's volatility indexes, VIX points; VIX9D and VIX3M null where the history has none (MarketDay fits). */
export interface VolIndexes {
  vix: number;
  vix9d: number | null;
  vix3m: number | null;
}

export interface VarianceTermParams {
  /** Mean-reversion speed of the variance at VIX 20, per year. */
  kappa: number;
  /** Elasticity of the speed to the VIX level. */
  kappaVixExponent: number;
  /** Long-run variance (a vol of √θ), per year. */
  theta: number;
}

/** Fitted by scripts/calibrate-backtest.ts (VIX9D and VIX3M from VIX, 2011-01-04 – 2026-07-22). */
export const VARIANCE_TERM: VarianceTermParams = { kappa: 2.109, kappaVixExponent: 1.654, theta: 0.096 };

export const YEARS_9D = 9 / 365;
export const YEARS_30D = 30 / 365;
export const YEARS_93D = 93 / 365;

/** (1 − e^{−x})/x, the average of e^{−κt} over [0, T] with x = κT; 1 at x = 0. */
function avgDecay(x: number): number {
  return x < 1e-8 ? 1 - 0.5 * x : -Math.expm1(-x) / x;
}

/** The mean-reverting average variance to `years`, anchored at variance `v` for the term `at`; `vix` sets κ. */
export function anchoredVariance(p: VarianceTermParams, vix: number, v: number, at: number, years: number): number {
  const kappa = p.kappa * Math.exp(p.kappaVixExponent * Math.log(vix / 20));
  const out = p.theta + ((v - p.theta) * avgDecay(kappa * years)) / avgDecay(kappa * at);
  // A fall from a high anchor toward a low θ cannot go below zero in the Heston expectation; keep a floor anyway.
  return out > 1e-6 ? out : 1e-6;
}

/**
 * Annualised average variance (the variance-swap rate) from today to `years`, from the day's indexes in VIX points
 * (vix9d and vix3m may be null: the mean-reverting model fills in).
 */
export function termVariance(p: VarianceTermParams, ix: VolIndexes, years: number): number {
  const { vix, vix9d, vix3m } = ix;
  const v30 = (vix * vix) / 1e4;
  const T = years > 1e-6 ? years : 1e-6;
  if (T <= YEARS_30D) {
    if (vix9d === null || !(vix9d > 0)) return anchoredVariance(p, vix, v30, YEARS_30D, T);
    const v9 = (vix9d * vix9d) / 1e4;
    if (T <= YEARS_9D) return v9;
    // Total variance linear between the 9- and 30-day nodes.
    const w = v9 * YEARS_9D + ((v30 * YEARS_30D - v9 * YEARS_9D) * (T - YEARS_9D)) / (YEARS_30D - YEARS_9D);
    return w / T;
  }
  if (vix3m === null || !(vix3m > 0)) return anchoredVariance(p, vix, v30, YEARS_30D, T);
  const v93 = (vix3m * vix3m) / 1e4;
  if (T >= YEARS_93D) return anchoredVariance(p, vix, v93, YEARS_93D, T);
  const w = v30 * YEARS_30D + ((v93 * YEARS_93D - v30 * YEARS_30D) * (T - YEARS_30D)) / (YEARS_93D - YEARS_30D);
  return w / T;
}
