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
import { erfSmallOverX, erfcx, erfcxLarge, normCdf } from './normal';

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

// ---------------------------------------------------------------------------------------------------------------
// The same function from shared parts, for the hot paths (IV iterations, price+greeks). With h = x/s, t = s/2,
// ex = e^{x/2} and E = e^{−(h²+t²)/2} computed once by the caller (E also gives b' = E/√(2π)), every Gaussian
// exponential of the three regions is E times a power of ex:
//   e^{−(h+t)²/2} = E/ex,   e^{−(h−t)²/2} = E·ex,
// so an evaluation costs the one exponential E plus Cody's rational forms (normal.ts), instead of two to six
// exponentials. Valid for x ≤ 0, 0 < s < ∞ and x ≥ −600 (so that E/ex cannot overflow while E underflows);
// callers keep the functions above for anything else.
// ---------------------------------------------------------------------------------------------------------------

/** 1/k for the Taylor recurrence (a multiplication instead of a division on the critical path). */
const RECIPROCALS = new Float64Array(84);
for (let k = 1; k < RECIPROCALS.length; k++) RECIPROCALS[k] = 1 / k;

/**
 * b_max − b = e^{x/2}Φ(−h−t) + e^{−x/2}Φ(h−t) from the parts (sum of positives, no cancellation).
 */
export function normalisedComplementParts(h: number, t: number, ex: number, E: number): number {
  const v1 = (h + t) * SQRT1_2; // Φ(−d1) = ½erfc(v1)
  let c1: number;
  if (v1 > 0.5) c1 = 0.5 * E * erfcxLarge(v1);
  else if (v1 >= -0.5) c1 = 0.5 * ex * (1 - v1 * erfSmallOverX(v1));
  else c1 = ex - 0.5 * E * erfcxLarge(-v1);
  const w2 = (t - h) * SQRT1_2; // Φ(d2) = ½erfc(w2), w2 > 0
  const c2 = w2 > 0.5 ? 0.5 * E * erfcxLarge(w2) : (0.5 * (1 - w2 * erfSmallOverX(w2))) / ex;
  return c1 + c2;
}

/** b(x, s) from the parts (see above); same regions and forms as normalisedBlackOtm. */
export function normalisedBlackParts(x: number, h: number, t: number, ex: number, E: number): number {
  if (h + t > 0.85) return ex - normalisedComplementParts(h, t, ex, E);
  if (E === 0) return 0;
  const a = -h * SQRT1_2;
  const d = t * SQRT1_2;
  if (t < 0.35 && x > -0.7) return -E * taylorOddBracket(a, d);
  // erfcx difference ½E·[erfcx(a−δ) − erfcx(a+δ)]; when a − δ ≤ ½ its erfcx is e^{(a−δ)²}erfc(a−δ) and
  // e^{(a−δ)²} = ex/E, so that term is ex·Φ(h+t) (no further exponential).
  const u1 = a - d;
  const u2 = a + d; // > 0
  const t2 = u2 > 0.5 ? 0.5 * E * erfcxLarge(u2) : (0.5 * (1 - u2 * erfSmallOverX(u2))) / ex;
  if (u1 > 0.5) return 0.5 * E * (erfcxLarge(u1) - erfcxLarge(u2));
  const t1 = u1 >= -0.5 ? 0.5 * ex * (1 - u1 * erfSmallOverX(u1)) : ex - 0.5 * E * erfcxLarge(-u1);
  return t1 - t2;
}

/**
 * Σ_{k odd} δ^k f^{(k)}(a)/k! with f = erfcx and a ≥ 0 (so that b = −E·this), by the recurrence of
 * normalisedBlackOtm, two orders per step.
 */
export function taylorOddBracket(a: number, d: number): number {
  const f0 = a > 0.5 ? erfcxLarge(a) : Math.exp(a * a) * (1 - a * erfSmallOverX(a));
  const twoAd = 2 * a * d;
  const twoD2 = 2 * d * d;
  let gPrev = f0;
  let g = d * (2 * a * f0 - TWO_OVER_SQRT_PI);
  let sum = g;
  for (let n = 1; n < 79; n += 2) {
    const gEven = (twoAd * g + twoD2 * gPrev) * RECIPROCALS[n + 1]!;
    const gOdd = (twoAd * gEven + twoD2 * g) * RECIPROCALS[n + 2]!;
    gPrev = gEven;
    g = gOdd;
    sum += gOdd;
    if (Math.abs(gOdd) <= 1e-17 * Math.abs(sum)) break;
  }
  return sum;
}

/**
 * taylorOddBracket through a typed array, for callers into which V8 does not inline it (doubles passed to or
 * returned from a call that is not inlined are boxed): reads a and δ from taylorIo[0], taylorIo[1], writes the
 * sum to taylorIo[2].
 */
export const taylorIo = new Float64Array(3);
export function taylorOddBracketIo(): void {
  taylorIo[2] = taylorOddBracket(taylorIo[0]!, taylorIo[1]!);
}
