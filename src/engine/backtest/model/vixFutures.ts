/**
 * The VIX futures curve of a day with no futures prices: spot VIX reverting to a long-run level.
 *
 *   F(T) = θ + (VIX − θ)·e^{−(κ·(VIX/20)^a · T)^p}
 *
 * At T = 0 the future is spot VIX; as T grows it leans to θ: contango below θ, backwardation above. p < 1 (a
 * stretched exponential) lets the curve bend fast over the first weeks and slowly after, as the futures do; a > 0
 * makes a high VIX revert faster than a low one (spikes are short). Fitted in scripts/calibrate-backtest.ts on Cboe
 * VX futures settlements against VIX closes, 2013–2026 (docs/BACKTEST_MODEL.md gives the errors by term).
 * No allocation per call.
 */

export interface VixFutureParams {
  /** Long-run level of the futures, VIX points. */
  theta: number;
  /** Reversion speed at VIX 20, per year. */
  kappa: number;
  /** Stretch exponent on κT (1 = plain exponential). */
  power: number;
  /** Elasticity of κ to the VIX level. */
  kappaVixExponent: number;
}

/** Fitted by scripts/calibrate-backtest.ts (29,492 contract-days, 2013-01-02 – 2026-04-17). */
export const VIX_FUTURE: VixFutureParams = { theta: 25.32, kappa: 1.15, power: 0.636, kappaVixExponent: 1.214 };

/** The VIX future `years` ahead, VIX points, from spot VIX. */
export function vixFutureOf(p: VixFutureParams, vix: number, years: number): number {
  if (!(years > 0)) return vix;
  // (κ·(VIX/20)^a·T)^p through one log: Math.pow costs several times more than exp and log.
  const lnRate = Math.log(p.kappa * years) + p.kappaVixExponent * Math.log(vix / 20);
  return p.theta + (vix - p.theta) * Math.exp(-Math.exp(p.power * lnRate));
}
