/**
 * Standard normal density and distribution to machine precision.
 *
 * erf / erfc / erfcx follow W. J. Cody, "Rational Chebyshev approximations for the error function",
 * Mathematics of Computation 23 (1969) 631–637: three rational approximations on |x| ≤ 0.5, 0.5 < |x| ≤ 4 and
 * |x| > 4 (the last one in 1/x²), with the coefficients of the paper's double-precision tables, and the
 * exp(−x²) factor evaluated as exp(−xs²)·exp(−(x−xs)(x+xs)) with xs = x rounded down to 1/16 so that the
 * rounding of x² is not amplified in the tails. Relative error of erfc and erfcx ≈ a few ulp.
 */

const INV_SQRT_2PI = 0.3989422804014327; // 1/√(2π)
const INV_SQRT_PI = 0.5641895835477563; // 1/√π
const SQRT1_2 = Math.SQRT1_2;

// |x| ≤ 0.5: erf(x) = x·P(x²)/Q(x²)
const A0 = 3.1611237438705655;
const A1 = 113.86415415105016;
const A2 = 377.485237685302;
const A3 = 3209.3775891384694;
const A4 = 0.18577770618460315;
const B0 = 23.601290952344122;
const B1 = 244.02463793444417;
const B2 = 1282.6165260773723;
const B3 = 2844.2368334391704;

// 0.5 < x ≤ 4: erfcx(x) = P(x)/Q(x)
const C0 = 0.5641884969886701;
const C1 = 8.883149794388377;
const C2 = 66.11919063714163;
const C3 = 298.6351381974001;
const C4 = 881.952221241769;
const C5 = 1712.0476126340707;
const C6 = 2051.0783778260716;
const C7 = 1230.3393547979972;
const C8 = 2.1531153547440383e-8;
const D0 = 15.744926110709835;
const D1 = 117.6939508913125;
const D2 = 537.1811018620099;
const D3 = 1621.3895745666903;
const D4 = 3290.7992357334597;
const D5 = 4362.619090143247;
const D6 = 3439.3676741437216;
const D7 = 1230.3393548037495;

// x > 4: erfcx(x) = (1/√π + z·P(z)/Q(z)) / x with z = 1/x²
const P0 = 0.30532663496123236;
const P1 = 0.36034489994980445;
const P2 = 0.12578172611122926;
const P3 = 0.016083785148742275;
const P4 = 6.587491615298378e-4;
const P5 = 0.016315387137302097;
const Q0 = 2.568520192289822;
const Q1 = 1.8729528499234604;
const Q2 = 0.5279051029514285;
const Q3 = 0.06051834131244132;
const Q4 = 0.0023352049762686918;

/** erf(x)/x for |x| ≤ 0.5. */
export function erfSmallOverX(x: number): number {
  const z = x * x;
  const num = (((A4 * z + A0) * z + A1) * z + A2) * z + A3;
  const den = (((z + B0) * z + B1) * z + B2) * z + B3;
  return num / den;
}

/** erfcx(x) = e^{x²}·erfc(x) for x > 0.5. */
export function erfcxLarge(x: number): number {
  if (x <= 4) {
    const num = (((((((C8 * x + C0) * x + C1) * x + C2) * x + C3) * x + C4) * x + C5) * x + C6) * x + C7;
    const den = (((((((x + D0) * x + D1) * x + D2) * x + D3) * x + D4) * x + D5) * x + D6) * x + D7;
    return num / den;
  }
  return erfcxAsymptotic(x);
}

/** erfcx(x) for x > 4 (kept apart so that erfcxLarge stays small enough to inline in the hot paths). */
function erfcxAsymptotic(x: number): number {
  if (x >= 1e8) return INV_SQRT_PI / x;
  const z = 1 / (x * x);
  const num = ((((P5 * z + P0) * z + P1) * z + P2) * z + P3) * z + P4;
  const den = ((((z + Q0) * z + Q1) * z + Q2) * z + Q3) * z + Q4;
  return (INV_SQRT_PI - (z * num) / den) / x;
}

/**
 * exp(−xs²) and exp(−xs²/2) at xs = k/16, the first factor of Cody's splitting below, worked out once with the same
 * expressions (so the same bits) instead of on every call: one Math.exp per Φ instead of two.
 */
const EXP_NEG_SQUARE = Float64Array.from({ length: Math.trunc(27.3 * 16) + 1 }, (_, k) => {
  const xs = k / 16;
  return Math.exp(-xs * xs);
});
const EXP_NEG_HALF_SQUARE = Float64Array.from({ length: Math.trunc(38.6 * 16) + 1 }, (_, k) => {
  const xs = k / 16;
  return Math.exp(-0.5 * xs * xs);
});

/** exp(−x²) without amplifying the rounding of x² (Cody's splitting). */
export function expNegSquare(x: number): number {
  const ax = Math.abs(x);
  if (ax > 27.3) return 0;
  const k = Math.trunc(ax * 16);
  const xs = k / 16;
  const del = (ax - xs) * (ax + xs);
  return EXP_NEG_SQUARE[k]! * Math.exp(-del);
}

/** exp(+x²) with the same splitting (finite for |x| < 26.6). */
function expPosSquare(x: number): number {
  const ax = Math.abs(x);
  const xs = Math.trunc(ax * 16) / 16;
  const del = (ax - xs) * (ax + xs);
  return Math.exp(xs * xs) * Math.exp(del);
}

export function erf(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  const ax = Math.abs(x);
  if (ax <= 0.5) return x * erfSmallOverX(x);
  const r = ax >= 6 ? 1 : 1 - expNegSquare(ax) * erfcxLarge(ax);
  return x < 0 ? -r : r;
}

/** Complementary error function, relative accuracy of a few ulp over the whole line (0 below 1e-308). */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  if (Math.abs(x) <= 0.5) return 1 - x * erfSmallOverX(x);
  if (x > 0) return x > 27.3 ? 0 : expNegSquare(x) * erfcxLarge(x);
  return x < -6 ? 2 : 2 - expNegSquare(x) * erfcxLarge(-x);
}

/** Scaled complementary error function e^{x²}·erfc(x) (Infinity for x < −26.6). */
export function erfcx(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  if (x > 0.5) return erfcxLarge(x);
  if (x >= -0.5) return expPosSquare(x) * (1 - x * erfSmallOverX(x));
  if (x < -26.6) return Number.POSITIVE_INFINITY;
  return 2 * expPosSquare(x) - erfcxLarge(-x);
}

/** exp(−x²/2), splitting x² so that its rounding is not amplified in the tails. */
export function expNegHalfSquare(x: number): number {
  const ax = Math.abs(x);
  if (ax > 38.6) return 0;
  const k = Math.trunc(ax * 16);
  const xs = k / 16;
  const del = (ax - xs) * (ax + xs);
  return EXP_NEG_HALF_SQUARE[k]! * Math.exp(-0.5 * del);
}

export function normPdf(x: number): number {
  return INV_SQRT_2PI * expNegHalfSquare(x);
}

/**
 * Φ(x): in the lower tail ½·erfcx(−x/√2)·e^{−x²/2} (erfcx is insensitive to the rounding of −x/√2, and the
 * exponential is split), elsewhere ½·erfc(−x/√2). Full relative precision in the lower tail, no 1 − Φ.
 */
export function normCdf(x: number): number {
  const u = -x * SQRT1_2;
  if (u > 0.5) return x < -38.5 ? 0 : 0.5 * erfcxLarge(u) * expNegHalfSquare(x);
  if (u >= -0.5) return 0.5 * (1 - u * erfSmallOverX(u));
  // u < −0.5 (or NaN, which every step below carries through): ½·(2 − erfc(−u)).
  return u < -6 ? 1 : 0.5 * (2 - expNegSquare(u) * erfcxLarge(-u));
}

// Inverse normal: P. J. Acklam's rational approximation (relative error < 1.2e-9), refined by one Halley step
// on Φ(x) − p using the machine-precision Φ above.
const IA0 = -39.69683028665376;
const IA1 = 220.9460984245205;
const IA2 = -275.9285104469687;
const IA3 = 138.357751867269;
const IA4 = -30.66479806614716;
const IA5 = 2.506628277459239;
const IB0 = -54.47609879822406;
const IB1 = 161.5858368580409;
const IB2 = -155.6989798598866;
const IB3 = 66.80131188771972;
const IB4 = -13.28068155288572;
const IC0 = -0.007784894002430293;
const IC1 = -0.3223964580411365;
const IC2 = -2.400758277161838;
const IC3 = -2.549732539343734;
const IC4 = 4.374664141464968;
const IC5 = 2.938163982698783;
const ID0 = 0.007784695709041462;
const ID1 = 0.3224671290700398;
const ID2 = 2.445134137142996;
const ID3 = 3.754408661907416;

/**
 * Acklam's approximation of Φ⁻¹(p) alone (relative error < 1.2e-9), for 0 < p < 1: cheap enough for initial
 * guesses (no Halley step). Out of (0, 1) the rational forms give NaN or ±Infinity; callers check.
 */
export function normInvApprox(p: number): number {
  if (p < 0.02425) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (
      (((((IC0 * q + IC1) * q + IC2) * q + IC3) * q + IC4) * q + IC5) /
      ((((ID0 * q + ID1) * q + ID2) * q + ID3) * q + 1)
    );
  }
  if (p <= 1 - 0.02425) {
    const q = p - 0.5;
    const r = q * q;
    return (
      ((((((IA0 * r + IA1) * r + IA2) * r + IA3) * r + IA4) * r + IA5) * q) /
      (((((IB0 * r + IB1) * r + IB2) * r + IB3) * r + IB4) * r + 1)
    );
  }
  const q = Math.sqrt(-2 * Math.log1p(-p));
  return (
    -(((((IC0 * q + IC1) * q + IC2) * q + IC3) * q + IC4) * q + IC5) / ((((ID0 * q + ID1) * q + ID2) * q + ID3) * q + 1)
  );
}

/** Φ⁻¹(p) for 0 < p < 1; −Infinity at 0, +Infinity at 1, NaN outside. */
export function normInv(p: number): number {
  if (!(p >= 0 && p <= 1)) return Number.NaN;
  if (p === 0) return Number.NEGATIVE_INFINITY;
  if (p === 1) return Number.POSITIVE_INFINITY;
  const x = normInvApprox(p);
  // Halley refinement; in the upper half work with the complement for precision.
  const e = x <= 0 ? normCdf(x) - p : 1 - p - normCdf(-x);
  const u = e / normPdf(x);
  return x - u / (1 + 0.5 * x * u);
}
