/**
 * The normalised Black function of P. Jäckel, "Let's Be Rational" (Wilmott 2015; revised 2024):
 *
 *   b(x, s) = e^{x/2}·Φ(x/s + s/2) − e^{−x/2}·Φ(x/s − s/2),   x = ln(F/K),  s = σ√T,
 *
 * so that an undiscounted call is √(FK)·b(x, s). Only the out-of-the-money side x ≤ 0 is evaluated here (the
 * in-the-money side is intrinsic plus that, by put-call parity); a put at x is a call at −x.
 *
 * With h = x/s, t = s/2 and erfcx(z) = e^{z²}erfc(z):
 *   b = ½·e^{−(h²+t²)/2}·[erfcx(a − δ) − erfcx(a + δ)],   a = −h/√2, δ = t/√2,
 * and ∂b/∂s = e^{−(h²+t²)/2}/√(2π) exactly. Three evaluation regions keep full relative precision:
 *   - small t and small |x|: the odd Taylor series of the bracket in δ, with the derivatives of erfcx from
 *     their recurrence f⁽ⁿ⁺¹⁾ = 2a·f⁽ⁿ⁾ + 2n·f⁽ⁿ⁻¹⁾ (the bracket would otherwise cancel to ~1/t);
 *   - h + t > 0.85: the Φ form above (no cancellation there, and erfcx of a negative argument would grow);
 *   - elsewhere: the erfcx difference, whose cancellation is at most ~1/|x| and is compensated by the
 *     conditioning of the inverse problem.
 */
import { erfcx, normCdf } from './normal';

const INV_SQRT_2PI = 0.3989422804014327;
const TWO_OVER_SQRT_PI = 1.1283791670955126;
const SQRT1_2 = Math.SQRT1_2;

/** b(x, s) for x ≤ 0 (out of the money), s ≥ 0. */
export function normalisedBlackOtm(x: number, s: number): number {
  if (!(s > 0)) return 0;
  if (!(s < Number.POSITIVE_INFINITY)) return Math.exp(0.5 * x);
  const h = x / s;
  const t = 0.5 * s;
  if (h + t > 0.85) {
    const ex = Math.exp(0.5 * x);
    return ex * normCdf(h + t) - normCdf(h - t) / ex;
  }
  const e = Math.exp(-0.5 * (h * h + t * t));
  if (e === 0) return 0;
  if (t < 0.35 && x > -0.7) {
    const a = -h * SQRT1_2;
    const d = t * SQRT1_2;
    // Σ_{k odd} δ^k f^{(k)}(a)/k!  with g_k = δ^k f^{(k)}/k!:  g_{n+1} = (2aδ·g_n + 2δ²·g_{n−1})/(n+1)
    const f0 = erfcx(a);
    const twoAd = 2 * a * d;
    const twoD2 = 2 * d * d;
    let gPrev = f0;
    let g = d * (2 * a * f0 - TWO_OVER_SQRT_PI);
    let sum = g;
    for (let n = 1; n < 80; n++) {
      const gNext = (twoAd * g + twoD2 * gPrev) / (n + 1);
      gPrev = g;
      g = gNext;
      if ((n & 1) === 0) {
        // g is now an odd-order term (n+1 odd)
        sum += g;
        if (Math.abs(g) <= 1e-17 * Math.abs(sum)) break;
      }
    }
    return -e * sum;
  }
  const a = -h * SQRT1_2;
  const d = t * SQRT1_2;
  return 0.5 * e * (erfcx(a - d) - erfcx(a + d));
}

/** b_max − b(x, s) = e^{x/2}Φ(−h−t) + e^{−x/2}Φ(h−t) for x ≤ 0: a sum of positives, no cancellation. */
export function normalisedBlackOtmComplement(x: number, s: number): number {
  const ex = Math.exp(0.5 * x);
  if (!(s > 0)) return ex;
  if (!(s < Number.POSITIVE_INFINITY)) return 0;
  const h = x / s;
  const t = 0.5 * s;
  return ex * normCdf(-h - t) + normCdf(h - t) / ex;
}

/** ∂b/∂s = e^{−(h²+t²)/2}/√(2π). */
export function normalisedVega(x: number, s: number): number {
  if (!(s > 0) || !(s < Number.POSITIVE_INFINITY)) return 0;
  const h = x / s;
  const t = 0.5 * s;
  return INV_SQRT_2PI * Math.exp(-0.5 * (h * h + t * t));
}
