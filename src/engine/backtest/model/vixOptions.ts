/**
 * The implied vol of a VIX option (Black-76 on the VIX future of the same expiry) when no VIX option prices exist.
 *
 * 1. The 30-day at-the-money vol is VVIX/100 on days that have VVIX (VVIX is Cboe's 30-day implied vol of VIX
 *    options, computed like VIX from the whole strip: it sits a little above the at-the-money vol when the smile
 *    slopes; with no VIX option prices in ../shared the gap cannot be measured and is taken as zero).
 *    Without VVIX (before March 2006): the fit VVIX = e^{b₀}·VIX^{b₁} on the 2006–2026 closes.
 * 2. Term: σ(T) = σ₃₀·(T / 30 days)^(−β), held flat below TERM_FLOOR_DAYS. A VIX future's own vol falls with its
 *    time to expiry (it follows spot VIX less the longer it has to revert); β is the power fitted to the realised vol
 *    of VX futures' daily log changes by days to expiry, 2013–2026. With σ_F(τ) ∝ τ^(−β), the option's Black vol
 *    (the root-mean-square of σ_F over its life) has the same power.
 * 3. Skew: σ(K) = σ(T) + s·ln(K/F)·√(30 days / T), floored at a third of σ(T). VIX options slope upward (calls
 *    dearer than puts; J. Marabel Romo, 2015: "upward sloping volatility skew … largely independent of the volatility
 *    level"). s is an assumption, not a fit: 0.8 vol per unit of log-moneyness at 30 days, i.e. a 25-delta call about
 *    17 vol points over the at-the-money vol and a 25-delta put about 11 under it (at a 90% vol).
 * No allocation per call.
 */

export interface VixOptionParams {
  /** ln VVIX = vvixLogIntercept + vvixLogSlope · ln VIX, for days without VVIX. */
  vvixLogIntercept: number;
  vvixLogSlope: number;
  /** Power of the term decay of the at-the-money vol. */
  termPower: number;
  /** Below this many days the at-the-money vol is held at its value there. */
  termFloorDays: number;
  /** Vol per unit of ln(K/F) at 30 days (assumed, see above). */
  skewSlope: number;
}

/** vvix* and termPower fitted by scripts/calibrate-backtest.ts; termFloorDays and skewSlope chosen (see above). */
export const VIX_OPTION: VixOptionParams = {
  vvixLogIntercept: 3.9502,
  vvixLogSlope: 0.1974,
  termPower: 0.42,
  termFloorDays: 15,
  skewSlope: 0.8,
};

/** VVIX (points) modelled from VIX, for days without a VVIX close. */
export function vvixFromVix(p: VixOptionParams, vix: number): number {
  return Math.exp(p.vvixLogIntercept + p.vvixLogSlope * Math.log(vix));
}

/** Black-76 vol of a VIX option on the future `future` at `strike`, `years` to expiry. */
export function vixOptionVolOf(
  p: VixOptionParams,
  vix: number,
  vvix: number | null,
  future: number,
  strike: number,
  years: number,
): number {
  const atm30 = (vvix !== null && vvix > 0 ? vvix : vvixFromVix(p, vix)) / 100;
  const days = years * 365 > p.termFloorDays ? years * 365 : p.termFloorDays;
  const atm = atm30 * Math.exp(-p.termPower * Math.log(days / 30));
  const k = strike > 0 && future > 0 ? Math.log(strike / future) : 0;
  const vol = atm + p.skewSlope * k * Math.sqrt(30 / days);
  return vol > atm / 3 ? vol : atm / 3;
}
