/**
 * Risk-neutral probabilities for one expiry. Day count: calendar time, Actual/365F (`years`).
 *
 * - Lognormal: P(S_T > K) = N(d2) with one volatility (the ATM vol by default).
 * - Skew-aware: the digital is minus the strike derivative of the undiscounted call priced on the smile,
 *     P(S_T > K) = −∂c/∂K = N(d2(σ(K))) − K·φ(d2)·√T·σ′(K)
 *   (Breeden & Litzenberger 1978; the second term is the smile-slope correction, positive under a negative skew).
 * - Touch: exact first-passage probability of a driftless geometric Brownian motion (the forward is a martingale,
 *   ln F has drift −σ²/2) at a barrier H, with the smile vol at H (reflection principle with drift; e.g.
 *   Shreve, Stochastic Calculus for Finance II, §7.2): for H > F₀, with b = ln(H/F₀), s = σ√T,
 *     P = N(−b/s − s/2) + (F₀/H)·N(−b/s + s/2),
 *   and the mirror image for H < F₀. It is close to 2·P(finish beyond H) for short expiries, the trader's rule
 *   of thumb, and never below P(finish beyond H).
 */
import { normCdf, normPdf } from './pricing/normal';
import type { Smile } from './types';
import { volAt, volSlopeAt } from './smile';

function clamp01(x: number): number {
  return Number.isFinite(x) ? (x < 0 ? 0 : x > 1 ? 1 : x) : 0;
}

function d2Of({
  forward,
  strike,
  years,
  vol,
}: {
  forward: number;
  strike: number;
  years: number;
  vol: number;
}): number {
  const sd = vol * Math.sqrt(years);
  return (Math.log(forward) - Math.log(strike)) / sd - 0.5 * sd;
}

/** P(S_T > strike) under a lognormal law with the given vol. */
export function probAboveLognormal(i: { forward: number; strike: number; years: number; vol: number }): number {
  if (!(i.strike > 0)) return 1;
  if (!(i.years > 0) || !(i.vol > 0)) return i.forward > i.strike ? 1 : 0;
  return clamp01(normCdf(d2Of(i)));
}

/** P(S_T > strike) from the smile (digital = −∂C/∂K, including the smile-slope term). */
export function probAboveSmile({ smile, strike }: { smile: Smile; strike: number }): number {
  const { forward, years } = smile;
  if (!(strike > 0)) return 1;
  if (!(years > 0)) return forward > strike ? 1 : 0;
  const vol = volAt(smile, strike);
  const d2 = d2Of({ forward, strike, years, vol });
  const slope = volSlopeAt(smile, strike);
  return clamp01(normCdf(d2) - strike * normPdf(d2) * Math.sqrt(years) * slope);
}

/** Probability that the forward touches `barrier` before expiry (exact driftless-GBM first passage). */
export function probTouch({
  forward,
  barrier,
  years,
  vol,
}: {
  forward: number;
  barrier: number;
  years: number;
  vol: number;
}): number {
  if (!(barrier > 0) || !(forward > 0)) return 0;
  if (barrier === forward) return 1;
  if (!(years > 0) || !(vol > 0)) return 0;
  const s = vol * Math.sqrt(years);
  if (barrier > forward) {
    const b = Math.log(barrier / forward);
    return clamp01(normCdf(-b / s - s / 2) + (forward / barrier) * normCdf(-b / s + s / 2));
  }
  const b = Math.log(forward / barrier);
  return clamp01(normCdf(-b / s + s / 2) + (forward / barrier) * normCdf(-b / s - s / 2));
}

export const TOUCH_METHOD =
  'exact first-passage probability of a driftless (martingale) forward under GBM, at the smile vol of the strike';

/** Lognormal and skew-aware P(lower < S_T < upper). */
export function probBetween({
  smile,
  lower,
  upper,
  lognormalVol,
}: {
  smile: Smile;
  lower: number;
  upper: number;
  lognormalVol: number;
}): {
  lognormal: number;
  skewAware: number;
  belowLower: number;
  aboveUpper: number;
} {
  const { forward, years } = smile;
  const ln =
    probAboveLognormal({ forward, strike: lower, years, vol: lognormalVol }) -
    probAboveLognormal({ forward, strike: upper, years, vol: lognormalVol });
  const aboveLower = probAboveSmile({ smile, strike: lower });
  const aboveUpper = probAboveSmile({ smile, strike: upper });
  return {
    lognormal: clamp01(ln),
    skewAware: clamp01(aboveLower - aboveUpper),
    belowLower: clamp01(1 - aboveLower),
    aboveUpper: clamp01(aboveUpper),
  };
}
