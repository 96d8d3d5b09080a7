import type { OptionKind } from '../../chain/types';
import { normCdf, normPdf } from './normal';

/**
 * Black's formula on the forward and the discount factor:
 *   V = D · (F·N(d1) − K·N(d2))  (call),   V = D · (K·N(−d2) − F·N(−d1))  (put)
 * Black-Scholes-Merton is this with F = S·e^{(r−q)T}, D = e^{−rT}; Black-76 (options on futures, e.g. VIX)
 * is this with F the future's price. Units are in the names: `years` of calendar time (Actual/365F),
 * `vol` as a fraction per √year.
 */
export interface BlackInput {
  kind: OptionKind;
  forward: number;
  strike: number;
  years: number;
  vol: number;
  /** Discount factor to the payment date, e^{−rT}. */
  discount: number;
}

export interface Greeks {
  price: number;
  /** ∂V/∂S (bsm) or ∂V/∂F (b76 / forward-based). */
  delta: number;
  gamma: number;
  /** Per 1.00 of volatility. */
  vega: number;
  /** Per 0.01 (one volatility point). */
  vegaPerVolPoint: number;
  /** dV/dt per year of calendar time, underlying held fixed (negative for a long option, usually). */
  theta: number;
  /** theta / 365. */
  thetaPerDay: number;
  /** Per 1.00 of rate. */
  rho: number;
  /** Per 0.01 of rate. */
  rhoPerPoint: number;
  /** Risk-neutral probability of finishing in the money: N(d2) call, N(−d2) put. */
  itmProbability: number;
}

export function blackPrice(i: BlackInput): number {
  const { forward: F, strike: K, years: T, vol, discount: D } = i;
  const intrinsic = i.kind === 'call' ? Math.max(F - K, 0) : Math.max(K - F, 0);
  if (!(T > 0) || !(vol > 0)) return D * intrinsic;
  const sd = vol * Math.sqrt(T);
  const d1 = Math.log(F / K) / sd + 0.5 * sd;
  const d2 = d1 - sd;
  return i.kind === 'call' ? D * (F * normCdf(d1) - K * normCdf(d2)) : D * (K * normCdf(-d2) - F * normCdf(-d1));
}

export interface BsmInput {
  kind: OptionKind;
  spot: number;
  strike: number;
  years: number;
  vol: number;
  /** Continuously compounded risk-free rate. */
  rate: number;
  /** Continuously compounded dividend yield. */
  dividendYield: number;
}

export interface Black76Input {
  kind: OptionKind;
  /** The future's price. */
  forward: number;
  strike: number;
  years: number;
  vol: number;
  rate: number;
}

/** Black-Scholes-Merton price and greeks (delta and gamma in the spot, rho with S and q fixed). */
export function bsmGreeks(i: BsmInput): Greeks {
  const { kind, spot: S, strike: K, years: T, vol, rate: r, dividendYield: q } = i;
  const D = Math.exp(-r * T);
  const Dq = Math.exp(-q * T);
  const F = (S * Dq) / D;
  const sqrtT = Math.sqrt(T);
  const sd = vol * sqrtT;
  const d1 = Math.log(F / K) / sd + 0.5 * sd;
  const d2 = d1 - sd;
  const isCall = kind === 'call';
  const Nd1 = normCdf(isCall ? d1 : -d1);
  const Nd2 = normCdf(isCall ? d2 : -d2);
  const pdf1 = normPdf(d1);
  const sign = isCall ? 1 : -1;
  const price = sign * (S * Dq * Nd1 - K * D * Nd2);
  const delta = sign * Dq * Nd1;
  const gamma = (Dq * pdf1) / (S * sd);
  const vega = S * Dq * pdf1 * sqrtT;
  const theta = (-S * Dq * pdf1 * vol) / (2 * sqrtT) - sign * r * K * D * Nd2 + sign * q * S * Dq * Nd1;
  const rho = sign * K * T * D * Nd2;
  return {
    price,
    delta,
    gamma,
    vega,
    vegaPerVolPoint: vega / 100,
    theta,
    thetaPerDay: theta / 365,
    rho,
    rhoPerPoint: rho / 100,
    itmProbability: Nd2,
  };
}

/** Black-76 price and greeks on a future (delta and gamma in F; rho with F fixed, = −T·V). */
export function black76Greeks(i: Black76Input): Greeks {
  const { kind, forward: F, strike: K, years: T, vol, rate: r } = i;
  const D = Math.exp(-r * T);
  const sqrtT = Math.sqrt(T);
  const sd = vol * sqrtT;
  const d1 = Math.log(F / K) / sd + 0.5 * sd;
  const d2 = d1 - sd;
  const isCall = kind === 'call';
  const Nd1 = normCdf(isCall ? d1 : -d1);
  const Nd2 = normCdf(isCall ? d2 : -d2);
  const pdf1 = normPdf(d1);
  const sign = isCall ? 1 : -1;
  const price = sign * D * (F * Nd1 - K * Nd2);
  const delta = sign * D * Nd1;
  const gamma = (D * pdf1) / (F * sd);
  const vega = D * F * pdf1 * sqrtT;
  const theta = (-D * F * pdf1 * vol) / (2 * sqrtT) + r * price;
  const rho = -T * price;
  return {
    price,
    delta,
    gamma,
    vega,
    vegaPerVolPoint: vega / 100,
    theta,
    thetaPerDay: theta / 365,
    rho,
    rhoPerPoint: rho / 100,
    itmProbability: Nd2,
  };
}
