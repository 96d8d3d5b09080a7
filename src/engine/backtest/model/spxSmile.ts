/**
 * The SPX smile of a day with no option prices: its level from the VIX indexes, its shape fitted on real chains.
 *
 * 1. Variance-swap vol to the expiry, σᵥ(T), from VIX9D / VIX / VIX3M (varianceTerm.ts).
 * 2. At-the-money vol σₐ(T) = c·σᵥ(T), with c = c₀ + c₁·ln(T / 30 days) + c₂·ln(VIX / 20). A variance swap prices the
 *    whole smile, so it sits above the at-the-money vol; the gap grows with the term (the skew spreads in strike).
 * 3. The smile around it is SSVI (J. Gatheral & A. Jacquier, "Arbitrage-free SVI volatility surfaces",
 *    Quantitative Finance 2014), with θ = σₐ²T the at-the-money total variance:
 *      w(k) = θ/2 · (1 + ρφk + √((φk + ρ)² + 1 − ρ²)),   φ = η·θ^(−γ),   k = ln(K/F),   σ = √(w/T).
 *    The power law φ makes the at-the-money skew fall like T^(−γ) for a given level; ρ = ρ₀ + ρ₁·ln(VIX / 20) lets the
 *    skew's tilt depend on the VIX level.
 * The seven numbers are fitted in scripts/calibrate-backtest.ts on the four real Cboe chains (docs/BACKTEST_MODEL.md).
 * No allocation per call.
 */
import type { SviParams } from '../../types';
import { termVariance, YEARS_30D, type VarianceTermParams, type VolIndexes } from './varianceTerm';

export interface SpxSmileParams {
  c0: number;
  c1: number;
  c2: number;
  rho0: number;
  rho1: number;
  eta: number;
  gamma: number;
}

/** Fitted by scripts/calibrate-backtest.ts on the 2020, 2022, 2025 (SPY) and 2026 Cboe chains. */
export const SPX_SMILE: SpxSmileParams = {
  c0: 0.8493,
  c1: -0.0512,
  c2: 0.0006,
  rho0: -0.7284,
  rho1: 0.0994,
  eta: 1.7121,
  gamma: 0.3507,
};

/** Kept away from ±1, where the SSVI smile degenerates. */
const RHO_MAX = 0.99;

/** The at-the-money vol to `years` (a fraction per year). */
export function spxAtmVol(p: SpxSmileParams, term: VarianceTermParams, ix: VolIndexes, years: number): number {
  const T = years > 1e-6 ? years : 1e-6;
  const sv = Math.sqrt(termVariance(term, ix, T));
  let c = p.c0 + p.c1 * Math.log(T / YEARS_30D) + p.c2 * Math.log(ix.vix / 20);
  if (c < 0.3) c = 0.3;
  else if (c > 1.5) c = 1.5;
  return c * sv;
}

/** One expiry's SSVI slice: everything but the strike, so a day's legs of one expiry share it. */
export interface SmileSlice {
  years: number;
  /** At-the-money total variance σₐ²T. */
  theta: number;
  phi: number;
  rho: number;
}

export function newSmileSlice(): SmileSlice {
  return { years: 0, theta: 0, phi: 0, rho: 0 };
}

/** Fills `out` with the slice of `years` (no allocation). */
export function fillSmileSlice(
  p: SpxSmileParams,
  term: VarianceTermParams,
  ix: VolIndexes,
  years: number,
  out: SmileSlice,
): SmileSlice {
  const T = years > 1e-6 ? years : 1e-6;
  const atm = spxAtmVol(p, term, ix, T);
  const theta = atm * atm * T;
  let rho = p.rho0 + p.rho1 * Math.log(ix.vix / 20);
  if (rho < -RHO_MAX) rho = -RHO_MAX;
  else if (rho > RHO_MAX) rho = RHO_MAX;
  out.years = T;
  out.theta = theta;
  // φ = η·θ^(−γ), as exp/log: Math.pow costs several times more.
  out.phi = p.eta * Math.exp(-p.gamma * Math.log(theta));
  out.rho = rho;
  return out;
}

/** The slice's implied vol at log-moneyness `k` = ln(K/F). */
export function smileSliceVol(s: SmileSlice, k: number): number {
  const pk = s.phi * k;
  const r = s.rho;
  const w = 0.5 * s.theta * (1 + r * pk + Math.sqrt((pk + r) * (pk + r) + 1 - r * r));
  return Math.sqrt(w / s.years);
}

/**
 * The slice as raw SVI, exactly: SSVI is raw SVI with a = θ(1 − ρ²)/2, b = θφ/2, m = −ρ/φ, σ = √(1 − ρ²)/φ
 * (Gatheral & Jacquier 2014, section 4). The slice is read in k = ln(K/F) on the smile's forward F; `shift` =
 * ln(F′/F) gives the same smile in ln(K/F′) on another forward F′ (m moves by −shift).
 */
export function sliceSvi(s: SmileSlice, shift = 0): SviParams {
  const r = s.rho;
  const q = Math.sqrt(1 - r * r);
  return { a: 0.5 * s.theta * q * q, b: 0.5 * s.theta * s.phi, rho: r, m: -r / s.phi - shift, sigma: q / s.phi };
}

const scratch = newSmileSlice();

/** The implied vol at log-moneyness `k` = ln(K/F) for `years` to expiry. */
export function spxSmileVol(
  p: SpxSmileParams,
  term: VarianceTermParams,
  ix: VolIndexes,
  k: number,
  years: number,
): number {
  return smileSliceVol(fillSmileSlice(p, term, ix, years, scratch), k);
}
