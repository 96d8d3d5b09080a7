/**
 * Standard normal density and distribution.
 * PLACEHOLDER accuracy (Abramowitz & Stegun 7.1.26, |error| < 1.5e-7): to be replaced by a
 * machine-precision erfc (W. J. Cody, "Rational Chebyshev approximations for the error function", 1969).
 */
const INV_SQRT_2PI = 0.3989422804014327;

export function normPdf(x: number): number {
  return INV_SQRT_2PI * Math.exp(-0.5 * x * x);
}

export function normCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * z);
  const y =
    t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))) * Math.exp(-z * z);
  return x >= 0 ? 1 - 0.5 * y : 0.5 * y;
}
