/**
 * Implied volatility after P. Jäckel, "Let's Be Rational" (Wilmott 2015, pp. 40–53; revised 2024).
 *
 * The price is reduced to the out-of-the-money side (put-call parity on the undiscounted price, so an
 * in-the-money quote is inverted through its time value) and normalised: β = (time value)/√(FK), x = −|ln(F/K)|,
 * and we solve b(x, s) = β for s = σ√T with b the normalised Black function (normalised.ts). As in the paper:
 *   - the central point s_c = √(2|x|) (the inflection of b in s) and the tangent points
 *     s_l = s_c − b(s_c)/b'(s_c), s_u = s_c + (b_max − b(s_c))/b'(s_c) split the price axis into four branches;
 *   - lowest branch: the asymptotic map f_l(s) = (2π|x|/(3√3))·Φ(−|x|/(√3 s))³ inverted in closed form gives the
 *     initial guess, and the objective is 1/ln b(s) − 1/ln β (almost linear there);
 *   - the two middle branches: cubic Hermite interpolation of s(β) through the branch ends (with slopes 1/b'),
 *     objective b(s) − β;
 *   - highest branch: the map b_max − b ≈ (e^{x/2} + e^{−x/2})·Φ(−s/2) inverted in closed form, objective
 *     ln(b_max − β) − ln(b_max − b(s)) with b_max − b(s) summed without cancellation;
 *   - Householder iterations of order 4 (the paper's "Householder(3)") using the closed forms
 *     b'(s) = e^{−(h²+t²)/2}/√(2π), b''/b' = x²/s³ − s/4, b'''/b' = (b''/b')² − 3x²/s⁴ − 1/4,
 *     safeguarded by the bracket that each evaluation tightens (b is increasing in s).
 * The paper's rational-cubic interpolation of the initial guess is replaced by the simpler maps above. Cost
 * (issue 3): one exponential per evaluation (b, b_max − b and b' share E = e^{−(h²+t²)/2}, and e^{x/2} is computed
 * once), b_c in closed form, b_l skipped where the lowest branch is certain, and the iteration stops after a
 * Householder(3) step below 1e-5·s (order 4: the error left is ~1e-20·s). On the reference set that is 2.05
 * evaluations per solve on average besides b_l/b_u (lowest branch 1/2/3 evaluations: 4%/82%/14%; middle and
 * highest: 1 or 2). A rational-cubic guess would mostly save the third evaluation of those 14%: a few percent.
 *
 * impliedVolatility*Value are the allocation-free forms (σ, or a negative IV_* code); the {ok, vol} functions wrap
 * them and explain failures.
 */
import type { OptionKind } from '../../chain/types';
import { erfSmallOverX, erfcxLarge, normInv, normInvApprox } from './normal';
import {
  normalisedBlackOtm,
  normalisedBlackOtmComplement,
  normalisedBlackParts,
  normalisedComplementParts,
  normalisedVega,
} from './normalised';

export type IvFailure = 'negative-price' | 'below-intrinsic' | 'at-or-above-upper-bound' | 'invalid-input';
export type IvResult = { ok: true; vol: number } | { ok: false; reason: IvFailure; message: string };

const INV_SQRT_2PI = 0.3989422804014327;
const SQRT1_2 = Math.SQRT1_2;
const SQRT3 = Math.sqrt(3);
const LOWER_MAP_SCALE = (2 * Math.PI) / (3 * SQRT3);
const EPS = 2.220446049250313e-16;
const MAX_ITERATIONS = 12;
const CONVERGED = 1e-5; // |Householder(3) step| ≤ 1e-5·s: the step is of order 4, the error left ~(1e-5)⁴·s

const BRANCH_LOWER = 0;
const BRANCH_MIDDLE = 1;
const BRANCH_UPPER = 2;

/** Cubic Hermite interpolation of s(β) on [b0, b1] (slopes m0, m1 = ds/dβ), clamped to [s0, s1]. */
function hermite(beta: number, b0: number, s0: number, m0: number, b1: number, s1: number, m1: number): number {
  const w = b1 - b0;
  if (!(w > 0)) return 0.5 * (s0 + s1);
  const u = (beta - b0) / w;
  const u2 = u * u;
  const u3 = u2 * u;
  let s = (2 * u3 - 3 * u2 + 1) * s0 + (u3 - 2 * u2 + u) * w * m0 + (-2 * u3 + 3 * u2) * s1 + (u3 - u2) * w * m1;
  if (!(s > s0 && s < s1)) s = s0 + u * (s1 - s0); // fall back to linear when the cubic overshoots
  return s;
}

/**
 * Solve b(x, s) = β for s ≥ 0, with x ≤ 0 and 0 < β < e^{x/2}. Returns s, or −1 when β is at or above the
 * upper bound e^{x/2}, 0 when β ≤ 0.
 *
 * Each evaluation shares e^{x/2} (computed once) and E = e^{−(h²+t²)/2} between b, b_max − b and b' (see
 * normalisedBlackParts); b at the central point is in closed form: h = −t there, so
 *   b_c = ½e^{x/2}·(1 − erfcx(√|x|)),   b'(s_c) = e^{x/2}/√(2π).
 * For x < −600 (`careful`: there E/e^{x/2} could overflow while E underflows) the same steps and iterations evaluate
 * b and b_max − b by the stand-alone functions of normalised.ts instead, b_c and b'(s_c) included, and b_l always.
 */
export function normalisedImpliedTotalVol(beta: number, x: number): number {
  if (!(beta > 0)) return 0;
  const ex = Math.exp(0.5 * x);
  if (!(beta < ex)) return -1;
  const careful = !(x >= -600);
  const bMax = ex;
  const sc = Math.sqrt(-2 * x);
  let bc: number;
  let vc: number;
  if (careful) {
    bc = normalisedBlackOtm(x, sc);
    vc = normalisedVega(x, sc);
  } else {
    const y = sc * SQRT1_2; // √|x|
    // 1 − erfcx(y): for y ≤ ½ as erf(y)·e^{y²} − (e^{y²} − 1) with e^{y²} = 1/ex² (no cancellation)
    bc = y > 0.5 ? 0.5 * ex * (1 - erfcxLarge(y)) : 0.5 * ((y * erfSmallOverX(y)) / ex - ex * Math.expm1(-x));
    vc = ex * INV_SQRT_2PI;
  }
  let branch: number;
  let s: number;
  let lo: number;
  let hi: number;
  if (beta < bc) {
    const sl = sc - bc / vc;
    // b_l/b_c depends on x alone and increases with |x| (from 0 at x = 0 to 0.207 at x = −600): below these floors
    // the lowest branch is certain and b_l need not be evaluated (the branch's guess does not use it); the careful
    // path, where b_l may underflow, always evaluates it
    const floor = careful ? 0 : x <= -1 ? 0.129 : x <= -0.1 ? 0.064 : x <= -0.01 ? 0.0242 : x <= -0.001 ? 0.0081 : 0;
    let bl = 0;
    let vl = 0;
    if (!(beta < floor * bc)) {
      if (careful) {
        bl = normalisedBlackOtm(x, sl);
        vl = normalisedVega(x, sl);
      } else {
        const hl = x / sl;
        const tl = 0.5 * sl;
        const El = Math.exp(-0.5 * (hl * hl + tl * tl));
        bl = normalisedBlackParts(x, hl, tl, ex, El);
        vl = El * INV_SQRT_2PI;
      }
    }
    if (beta < floor * bc || beta < bl) {
      branch = BRANCH_LOWER;
      lo = 0;
      hi = sl;
      const z = Math.cbrt(beta / (LOWER_MAP_SCALE * -x));
      s = z < 0.5 ? -x / (SQRT3 * -(careful ? normInv(z) : normInvApprox(z))) : 0.5 * sl;
      if (!(s > 0 && s < sl)) s = 0.5 * sl;
    } else {
      branch = BRANCH_MIDDLE;
      lo = sl;
      hi = sc;
      s = vl > 0 ? hermite(beta, bl, sl, 1 / vl, bc, sc, 1 / vc) : sl + ((beta - bl) / (bc - bl)) * (sc - sl);
    }
  } else {
    const su = sc + (bMax - bc) / vc;
    let bu: number;
    let vu: number;
    if (careful) {
      bu = normalisedBlackOtm(x, su);
      vu = normalisedVega(x, su);
    } else {
      const hu = x / su;
      const tu = 0.5 * su;
      const Eu = Math.exp(-0.5 * (hu * hu + tu * tu));
      bu = normalisedBlackParts(x, hu, tu, ex, Eu);
      vu = Eu * INV_SQRT_2PI;
    }
    if (beta <= bu) {
      branch = BRANCH_MIDDLE;
      lo = sc;
      hi = su;
      s = vu > 0 ? hermite(beta, bc, sc, 1 / vc, bu, su, 1 / vu) : sc + ((beta - bc) / (bu - bc)) * (su - sc);
    } else {
      branch = BRANCH_UPPER;
      lo = su;
      hi = Number.POSITIVE_INFINITY;
      const p = (bMax - beta) / (ex + 1 / ex);
      s = -2 * (careful ? normInv(p) : normInvApprox(p));
      if (!(s > su && s < Number.POSITIVE_INFINITY)) s = 2 * su;
    }
  }
  const lnBeta = Math.log(beta);
  const upperTarget = branch === BRANCH_UPPER ? Math.log(bMax - beta) : 0;
  const x2 = x * x;
  for (let iter = 0; iter < MAX_ITERATIONS; iter++) {
    const h = x / s;
    const t = 0.5 * s;
    const E = Math.exp(-0.5 * (h * h + t * t));
    const bp = E * INV_SQRT_2PI; // b'(s): normalisedVega's very expression, so on either path
    const s2 = s * s;
    const psi1 = x2 / (s2 * s) - 0.25 * s; // b''/b'
    const psi2 = (-3 * x2) / (s2 * s2) - 0.25; // (b'''/b') − (b''/b')²
    let nu: number;
    let h2: number;
    let h3: number;
    if (branch === BRANCH_UPPER) {
      const c = careful ? normalisedBlackOtmComplement(x, s) : normalisedComplementParts(h, t, ex, E);
      if (c < bMax - beta) hi = s;
      else lo = s;
      const mu = bp / c;
      nu = (upperTarget - Math.log(c)) / -mu; // −g/g', g = ln(bMax−β) − ln c, g' = b'/c
      h2 = mu + psi1;
      h3 = 2 * mu * mu + 3 * mu * psi1 + psi1 * psi1 + psi2;
    } else {
      const b = careful ? normalisedBlackOtm(x, s) : normalisedBlackParts(x, h, t, ex, E);
      if (b < beta) lo = s;
      else hi = s;
      if (branch === BRANCH_LOWER) {
        const L = Math.log(b);
        const lambda = bp / b;
        const g = 1 / L - 1 / lnBeta;
        nu = (g * L * L) / lambda; // −g/g', g' = −λ/L²
        const k = (2 + L) / L;
        h2 = psi1 - lambda * k;
        h3 = (2 * lambda * lambda * (L * L + 3 * L + 3)) / (L * L) - 3 * lambda * psi1 * k + psi1 * psi1 + psi2;
      } else {
        nu = (beta - b) / bp;
        h2 = psi1;
        h3 = psi1 * psi1 + psi2;
      }
    }
    let step = (nu * (1 + 0.5 * h2 * nu)) / (1 + nu * (h2 + (h3 * nu) / 6));
    if (!(Math.abs(step) > CONVERGED * s)) {
      // converged (or ν = 0 exactly); Householder(3) is of order 4, so the error left is far below an ulp
      if (Number.isFinite(step) && s + step >= lo && s + step <= hi) s += step;
      break;
    }
    let next = s + step;
    if (!(next >= lo && next <= hi)) {
      next = s + nu; // Newton
      if (!(next >= lo && next <= hi)) next = hi < Number.POSITIVE_INFINITY ? 0.5 * (lo + hi) : 2 * Math.max(s, lo);
      step = next - s;
    }
    if (!Number.isFinite(next)) break;
    s = next;
    if (hi - lo <= 4 * EPS * s) break;
  }
  return s;
}

function fmt(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-4 || a >= 1e12)) return v.toExponential(4);
  return String(Number(v.toPrecision(10)));
}

const reject = (reason: IvFailure, message: string): IvResult => ({ ok: false, reason, message });

function ulp(v: number): number {
  const a = Math.abs(v);
  if (a === 0 || !Number.isFinite(a)) return Number.MIN_VALUE;
  return Math.max(2 ** (Math.floor(Math.log2(a)) - 52), Number.MIN_VALUE);
}

/**
 * Core: undiscounted quantities. `logMoneyness` = ln(F/K) (passed separately so callers can compute it
 * without rounding F), `price` is discounted, `discount` = D.
 */
function solve(
  kind: OptionKind,
  price: number,
  forward: number,
  strike: number,
  logMoneyness: number,
  years: number,
  discount: number,
  /** Discounted intrinsic value of this side, computed exactly as the pricer does (so that solver and pricer agree). */
  intrinsicDiscounted: number,
): IvResult {
  if (!(price >= 0)) {
    return reject('negative-price', `price ${fmt(price)} is negative: no volatility gives a negative price`);
  }
  const isCall = kind === 'call';
  const upper = discount * (isCall ? forward : strike);
  if (price >= upper) {
    return reject(
      'at-or-above-upper-bound',
      `price ${fmt(price)} is at or above the upper bound ${fmt(upper)} (the discounted ${isCall ? 'forward' : 'strike'}) that no volatility reaches`,
    );
  }
  const timeValueDiscounted = price - intrinsicDiscounted;
  if (timeValueDiscounted <= 0) {
    if (price < intrinsicDiscounted - 4 * ulp(intrinsicDiscounted)) {
      return reject(
        'below-intrinsic',
        `price ${fmt(price)} is below the discounted intrinsic value ${fmt(intrinsicDiscounted)}`,
      );
    }
    return { ok: true, vol: 0 }; // at the σ → 0 bound (within rounding)
  }
  const beta = timeValueDiscounted / discount / Math.sqrt(forward * strike);
  const s = normalisedImpliedTotalVol(beta, -Math.abs(logMoneyness));
  if (s < 0) {
    return reject(
      'at-or-above-upper-bound',
      `price ${fmt(price)} is at the upper bound ${fmt(upper)} within rounding: no finite volatility gives it`,
    );
  }
  const vol = s / Math.sqrt(years);
  if (!Number.isFinite(vol)) {
    return reject('invalid-input', `no finite volatility reproduces price ${fmt(price)} in ${fmt(years)} years`);
  }
  return { ok: true, vol };
}

/** D·max(±(F − K), 0), as blackPrice and black76Greeks compute it. */
function forwardIntrinsic(kind: OptionKind, x: number, forward: number, strike: number, discount: number): number {
  if (kind === 'call') return x > 0 ? discount * Math.max(forward - strike, 0) : 0;
  return x < 0 ? discount * Math.max(strike - forward, 0) : 0;
}

function badInput(fn: string, what: string, v: unknown): IvResult {
  return reject('invalid-input', `${fn}: ${what}, got ${typeof v === 'number' ? fmt(v) : String(v)}`);
}

function checkCommon(fn: string, kind: unknown, price: number, strike: number, years: number): IvResult | null {
  if (kind !== 'call' && kind !== 'put') return badInput(fn, "kind must be 'call' or 'put'", kind);
  if (typeof price !== 'number' || Number.isNaN(price) || !Number.isFinite(price)) {
    return badInput(fn, 'price must be a finite number', price);
  }
  if (!(strike > 0 && strike < Number.POSITIVE_INFINITY))
    return badInput(fn, 'strike must be positive and finite', strike);
  if (!(years > 0 && years < Number.POSITIVE_INFINITY)) {
    return badInput(fn, 'years to expiry must be positive and finite (an expired option has no volatility)', years);
  }
  return null;
}

/** The inputs of impliedVolatility: a discounted price on a forward. */
interface IvInput {
  kind: OptionKind;
  price: number;
  forward: number;
  strike: number;
  years: number;
  discount: number;
}
/** The inputs of impliedVolatilityBsm: spot, continuous rate and dividend yield. */
interface IvBsmInput {
  kind: OptionKind;
  price: number;
  spot: number;
  strike: number;
  years: number;
  rate: number;
  dividendYield: number;
}
/** The inputs of impliedVolatilityBlack76: the future's price and the rate. */
interface IvBlack76Input {
  kind: OptionKind;
  price: number;
  forward: number;
  strike: number;
  years: number;
  rate: number;
}

/** Implied volatility from a discounted price on a forward: V = D·Black(F, K, σ√T). */
export function impliedVolatility(i: IvInput): IvResult {
  const vol = impliedVolatilityValue(i.kind, i.price, i.forward, i.strike, i.years, i.discount);
  return vol >= 0 ? { ok: true, vol } : impliedVolatilityExplained(i);
}

/** impliedVolatility with the reasons spelled out (the failure path). */
function impliedVolatilityExplained(i: IvInput): IvResult {
  const fn = 'impliedVolatility';
  const bad = checkCommon(fn, i.kind, i.price, i.strike, i.years);
  if (bad) return bad;
  if (!(i.forward > 0 && i.forward < Number.POSITIVE_INFINITY))
    return badInput(fn, 'forward must be positive and finite', i.forward);
  if (!(i.discount > 0 && i.discount < Number.POSITIVE_INFINITY))
    return badInput(fn, 'discount factor must be positive and finite', i.discount);
  const x = Math.log(i.forward / i.strike);
  const intrinsic = forwardIntrinsic(i.kind, x, i.forward, i.strike, i.discount);
  return solve(i.kind, i.price, i.forward, i.strike, x, i.years, i.discount, intrinsic);
}

/** Implied volatility under Black-Scholes-Merton (spot, continuous rate and dividend yield). */
export function impliedVolatilityBsm(i: IvBsmInput): IvResult {
  const vol = impliedVolatilityBsmValue(i.kind, i.price, i.spot, i.strike, i.years, i.rate, i.dividendYield);
  return vol >= 0 ? { ok: true, vol } : impliedVolatilityBsmExplained(i);
}

/** impliedVolatilityBsm with the reasons spelled out (the failure path). */
function impliedVolatilityBsmExplained(i: IvBsmInput): IvResult {
  const fn = 'impliedVolatilityBsm';
  const bad = checkCommon(fn, i.kind, i.price, i.strike, i.years);
  if (bad) return bad;
  if (!(i.spot > 0 && i.spot < Number.POSITIVE_INFINITY))
    return badInput(fn, 'spot must be positive and finite', i.spot);
  if (!Number.isFinite(i.rate)) return badInput(fn, 'rate must be finite', i.rate);
  if (!Number.isFinite(i.dividendYield)) return badInput(fn, 'dividend yield must be finite', i.dividendYield);
  const T = i.years;
  const discount = Math.exp(-i.rate * T);
  const carry = (i.rate - i.dividendYield) * T;
  const forward = i.spot * Math.exp(carry);
  if (!(discount > 0 && forward > 0 && Number.isFinite(discount) && Number.isFinite(forward))) {
    return badInput(fn, 'rate, dividend yield and years give no usable forward and discount', carry);
  }
  const x = Math.log(i.spot / i.strike) + carry;
  // as bsmGreeks: S·e^{−qT} − K·e^{−rT} for an in-the-money call, mirrored for a put
  const sDq = i.spot * Math.exp(-i.dividendYield * T);
  const kD = i.strike * discount;
  const intrinsic = i.kind === 'call' ? (x > 0 ? sDq - kD : 0) : x < 0 ? kD - sDq : 0;
  return solve(i.kind, i.price, forward, i.strike, x, T, discount, intrinsic);
}

/** Implied volatility under Black-76 (options on a future, e.g. VIX). */
export function impliedVolatilityBlack76(i: IvBlack76Input): IvResult {
  const vol = impliedVolatilityBlack76Value(i.kind, i.price, i.forward, i.strike, i.years, i.rate);
  return vol >= 0 ? { ok: true, vol } : impliedVolatilityBlack76Explained(i);
}

/** impliedVolatilityBlack76 with the reasons spelled out (the failure path). */
function impliedVolatilityBlack76Explained(i: IvBlack76Input): IvResult {
  const fn = 'impliedVolatilityBlack76';
  const bad = checkCommon(fn, i.kind, i.price, i.strike, i.years);
  if (bad) return bad;
  if (!(i.forward > 0 && i.forward < Number.POSITIVE_INFINITY))
    return badInput(fn, 'forward must be positive and finite', i.forward);
  if (!Number.isFinite(i.rate)) return badInput(fn, 'rate must be finite', i.rate);
  const discount = Math.exp(-i.rate * i.years);
  if (!(discount > 0 && Number.isFinite(discount)))
    return badInput(fn, 'rate and years give no usable discount factor', i.rate);
  const x = Math.log(i.forward / i.strike);
  return solve(
    i.kind,
    i.price,
    i.forward,
    i.strike,
    x,
    i.years,
    discount,
    forwardIntrinsic(i.kind, x, i.forward, i.strike, discount),
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Allocation-free solvers: the same decisions as the functions above, as one number. A volatility ≥ 0 is the
// answer; a failure is one of the negative codes below (never NaN), and ivFailureReason names it. The functions
// above return exactly these volatilities, and their messages on failure.
// ---------------------------------------------------------------------------------------------------------------

/** Failure codes of the *Value solvers. */
export const IV_NEGATIVE_PRICE = -1;
export const IV_BELOW_INTRINSIC = -2;
export const IV_AT_OR_ABOVE_UPPER_BOUND = -3;
export const IV_INVALID_INPUT = -4;

/** The IvFailure of a negative code from a *Value solver (undefined for a volatility). */
export function ivFailureReason(code: number): IvFailure | undefined {
  if (code === IV_NEGATIVE_PRICE) return 'negative-price';
  if (code === IV_BELOW_INTRINSIC) return 'below-intrinsic';
  if (code === IV_AT_OR_ABOVE_UPPER_BOUND) return 'at-or-above-upper-bound';
  if (code === IV_INVALID_INPUT) return 'invalid-input';
  return undefined;
}

/** solve() as a number: the volatility, or a negative code. */
function solveValue(
  isCall: boolean,
  price: number,
  forward: number,
  strike: number,
  logMoneyness: number,
  years: number,
  discount: number,
  intrinsicDiscounted: number,
): number {
  if (!(price >= 0)) return IV_NEGATIVE_PRICE;
  if (price >= discount * (isCall ? forward : strike)) return IV_AT_OR_ABOVE_UPPER_BOUND;
  const timeValueDiscounted = price - intrinsicDiscounted;
  if (timeValueDiscounted <= 0) {
    return price < intrinsicDiscounted - 4 * ulp(intrinsicDiscounted) ? IV_BELOW_INTRINSIC : 0;
  }
  const beta = timeValueDiscounted / discount / Math.sqrt(forward * strike);
  const s = normalisedImpliedTotalVol(beta, logMoneyness > 0 ? -logMoneyness : logMoneyness);
  if (s < 0) return IV_AT_OR_ABOVE_UPPER_BOUND;
  const vol = s / Math.sqrt(years);
  return vol - vol === 0 ? vol : IV_INVALID_INPUT;
}

/** The checks of checkCommon, as a yes/no. */
function commonOk(kind: unknown, price: number, strike: number, years: number): boolean {
  return (
    (kind === 'call' || kind === 'put') &&
    typeof price === 'number' &&
    price - price === 0 &&
    strike > 0 &&
    strike < Number.POSITIVE_INFINITY &&
    years > 0 &&
    years < Number.POSITIVE_INFINITY
  );
}

/** impliedVolatility as a number: σ ≥ 0, or a negative IV_* code. */
export function impliedVolatilityValue(
  kind: OptionKind,
  price: number,
  forward: number,
  strike: number,
  years: number,
  discount: number,
): number {
  if (!(
    commonOk(kind, price, strike, years) &&
    forward > 0 &&
    forward < Number.POSITIVE_INFINITY &&
    discount > 0 &&
    discount < Number.POSITIVE_INFINITY
  ))
    return IV_INVALID_INPUT;
  const x = Math.log(forward / strike);
  const intrinsic = forwardIntrinsic(kind, x, forward, strike, discount);
  return solveValue(kind === 'call', price, forward, strike, x, years, discount, intrinsic);
}

/** impliedVolatilityBsm as a number: σ ≥ 0, or a negative IV_* code. */
export function impliedVolatilityBsmValue(
  kind: OptionKind,
  price: number,
  spot: number,
  strike: number,
  years: number,
  rate: number,
  dividendYield: number,
): number {
  if (!(
    commonOk(kind, price, strike, years) &&
    spot > 0 &&
    spot < Number.POSITIVE_INFINITY &&
    typeof rate === 'number' &&
    rate - rate === 0 &&
    typeof dividendYield === 'number' &&
    dividendYield - dividendYield === 0
  ))
    return IV_INVALID_INPUT;
  const T = years;
  const discount = Math.exp(-rate * T);
  const carry = (rate - dividendYield) * T;
  const forward = spot * Math.exp(carry);
  if (!(discount > 0 && forward > 0 && discount - discount === 0 && forward - forward === 0)) return IV_INVALID_INPUT;
  const x = Math.log(spot / strike) + carry;
  const isCall = kind === 'call';
  // as bsmGreeks: S·e^{−qT} − K·e^{−rT} for an in-the-money call, mirrored for a put
  let intrinsic = 0;
  if (isCall ? x > 0 : x < 0) {
    const sDq =
      dividendYield === 0 ? spot : dividendYield === rate ? spot * discount : spot * Math.exp(-dividendYield * T);
    const kD = strike * discount;
    intrinsic = isCall ? sDq - kD : kD - sDq;
  }
  return solveValue(isCall, price, forward, strike, x, T, discount, intrinsic);
}

/** impliedVolatilityBlack76 as a number: σ ≥ 0, or a negative IV_* code. */
export function impliedVolatilityBlack76Value(
  kind: OptionKind,
  price: number,
  forward: number,
  strike: number,
  years: number,
  rate: number,
): number {
  if (!(
    commonOk(kind, price, strike, years) &&
    forward > 0 &&
    forward < Number.POSITIVE_INFINITY &&
    typeof rate === 'number' &&
    rate - rate === 0
  ))
    return IV_INVALID_INPUT;
  const discount = Math.exp(-rate * years);
  if (!(discount > 0 && discount - discount === 0)) return IV_INVALID_INPUT;
  const x = Math.log(forward / strike);
  const intrinsic = forwardIntrinsic(kind, x, forward, strike, discount);
  return solveValue(kind === 'call', price, forward, strike, x, years, discount, intrinsic);
}
