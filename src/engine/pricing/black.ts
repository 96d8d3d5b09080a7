import type { OptionKind } from '../../chain/types';
import { erfSmallOverX, erfcxLarge, normCdf, normPdf } from './normal';
import { normalisedBlackOtm, taylorIo, taylorOddBracketIo } from './normalised';

/**
 * Black's formula on the forward and the discount factor:
 *   V = D · (F·N(d1) − K·N(d2))  (call),   V = D · (K·N(−d2) − F·N(−d1))  (put)
 * Black-Scholes-Merton is this with F = S·e^{(r−q)T}, D = e^{−rT}; Black-76 (options on futures, e.g. VIX)
 * is this with F the future's price. Units are in the names: `years` of calendar time (Actual/365F),
 * `vol` as a fraction per √year.
 *
 * Prices are computed without cancellation: the time value of either side is √(FK)·b(−|x|, σ√T) with b the
 * normalised Black function (see normalised.ts), and the in-the-money side adds the discounted intrinsic value.
 * Greeks use Φ evaluated through erfc/erfcx (normal.ts), so deep wings keep their relative precision.
 * bsmGreeksInto/black76GreeksInto take a fast path for ordinary inputs (see fastCore: one exponential for the
 * density, both N(d) and the time value, no allocation, no throwing checks); limits, extreme moneyness and
 * anything invalid go to the careful path, which behaves as documented here.
 *
 * Limits: years = 0 or vol = 0 give the intrinsic value and the limit greeks (N(d) → 1, ½ or 0; density → 0,
 * or +Infinity for gamma and −Infinity for theta exactly at the money when years = 0). Invalid inputs
 * (non-finite, spot/forward/strike ≤ 0, years or vol < 0) throw a RangeError: no NaN is ever returned.
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
  /** bsm only: ∂V/∂q per 1.00 of dividend yield. */
  phi?: number;
}

function fail(fn: string, name: string, value: unknown, want: string): never {
  throw new RangeError(`${fn}: ${name} must be ${want}, got ${String(value)}`);
}

function checkKind(fn: string, kind: unknown): void {
  if (kind !== 'call' && kind !== 'put') fail(fn, 'kind', kind, "'call' or 'put'");
}
function checkPositive(fn: string, name: string, v: number): void {
  if (!(typeof v === 'number' && v > 0 && v < Number.POSITIVE_INFINITY)) fail(fn, name, v, 'a positive finite number');
}
function checkNonNegative(fn: string, name: string, v: number): void {
  if (!(typeof v === 'number' && v >= 0 && v < Number.POSITIVE_INFINITY)) fail(fn, name, v, 'a finite number ≥ 0');
}
function checkFinite(fn: string, name: string, v: number): void {
  if (!(typeof v === 'number' && Number.isFinite(v))) fail(fn, name, v, 'a finite number');
}

/**
 * Undiscounted time value √(FK)·b(−|x|, s) of either side, x = ln(F/K) (passed in for precision), s = σ√T.
 */
export function undiscountedTimeValue(forward: number, strike: number, logMoneyness: number, totalVol: number): number {
  if (!(totalVol > 0)) return 0;
  return Math.sqrt(forward * strike) * normalisedBlackOtm(-Math.abs(logMoneyness), totalVol);
}

export function blackPrice(i: BlackInput): number {
  const fn = 'blackPrice';
  checkKind(fn, i.kind);
  checkPositive(fn, 'forward', i.forward);
  checkPositive(fn, 'strike', i.strike);
  checkNonNegative(fn, 'years', i.years);
  checkNonNegative(fn, 'vol', i.vol);
  checkPositive(fn, 'discount', i.discount);
  const { forward: F, strike: K, years: T, vol, discount: D } = i;
  const intrinsic = i.kind === 'call' ? Math.max(F - K, 0) : Math.max(K - F, 0);
  const price = D * (intrinsic + undiscountedTimeValue(F, K, Math.log(F / K), vol * Math.sqrt(T)));
  if (price !== price)
    throw new RangeError(`${fn}: inputs overflow or underflow double precision (no meaningful value)`);
  return price;
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

export function emptyGreeks(): Greeks {
  return {
    price: 0,
    delta: 0,
    gamma: 0,
    vega: 0,
    vegaPerVolPoint: 0,
    theta: 0,
    thetaPerDay: 0,
    rho: 0,
    rhoPerPoint: 0,
    itmProbability: 0,
    phi: 0,
  };
}

/**
 * The common core. `scaledForward` = D·F (= S·e^{−qT} for bsm), `underlying` = S or F (what delta and gamma
 * differentiate by), `dUnderlying` = ∂(D·F)/∂underlying (e^{−qT} for bsm, D for b76).
 * Writes N(±d1), N(±d2), φ(d1) terms into `out` and returns nothing; rho/theta/phi are model-specific.
 */
let cNd1 = 0;
let cNd2 = 0;
let cPdfOverSd = 0; // φ(d1)/(σ√T), +Infinity at the money when σ√T = 0
let cPdfSqrtT = 0; // φ(d1)·√T
let cTimeDecay = 0; // φ(d1)·σ/(2√T)
function core(isCall: boolean, x: number, T: number, vol: number): number {
  const sqrtT = Math.sqrt(T);
  const sd = vol * sqrtT;
  if (sd === Number.POSITIVE_INFINITY) {
    // σ√T → ∞: the call is worth D·F, the put D·K.
    cNd1 = isCall ? 1 : 0;
    cNd2 = isCall ? 0 : 1;
    cPdfOverSd = 0;
    cPdfSqrtT = 0;
    cTimeDecay = 0;
  } else if (sd > 0) {
    const d1 = x / sd + 0.5 * sd;
    const d2 = d1 - sd;
    cNd1 = normCdf(isCall ? d1 : -d1);
    cNd2 = normCdf(isCall ? d2 : -d2);
    const pdf = normPdf(d1);
    cPdfOverSd = pdf / sd;
    cPdfSqrtT = pdf * sqrtT;
    cTimeDecay = (pdf * vol) / (2 * sqrtT);
  } else {
    // The σ√T → 0 limit: N(d) → 1 in the money, 0 out of it, ½ exactly at the money.
    const itm = isCall ? x > 0 : x < 0;
    const n = x === 0 ? 0.5 : itm ? 1 : 0;
    cNd1 = n;
    cNd2 = n;
    const atm = x === 0;
    const pdf0 = 0.3989422804014327;
    cPdfOverSd = atm ? Number.POSITIVE_INFINITY : 0;
    cPdfSqrtT = atm ? pdf0 * sqrtT : 0;
    cTimeDecay = atm && vol > 0 ? Number.POSITIVE_INFINITY : 0;
  }
  return sd;
}

// ---------------------------------------------------------------------------------------------------------------
// Fast path of the greeks. With x = ln(F/K), s = σ√T, the out-of-the-money side x_o = −|x|, h = x_o/s, t = s/2:
// d1 = ±(h ± t), and every Gaussian density is E = e^{−(h²+t²)/2} times a power of e^{x_o/2} = √(min(F,K)/max(F,K))
// (so one exponential and one square root serve φ(d1), N(±d1), N(±d2) and the time value); N is Cody's erfc in
// the form that is precise for its argument (erfcx·density in the tails, erf near 0, 1 − tail beyond), computed
// once per d for both signs. The time value is √(FK)·b(x_o, s) through normalisedBlackParts (same regions as
// normalisedBlackOtm). Anything unusual (limits, |x| > 600, non-finite results) goes to the careful path.
// ---------------------------------------------------------------------------------------------------------------

const INV_SQRT_2PI = 0.3989422804014327;
const SQRT1_2 = Math.SQRT1_2;

/**
 * fastCore's arguments and results, in a typed array: doubles passed to or stored by a function that V8 does not
 * inline would be boxed, one allocation each.
 */
const fast = new Float64Array(8);
const N1 = 0; // out: N(d1) call, N(−d1) put
const N2 = 1; // out: N(d2) call, N(−d2) put
const PDF = 2; // out: φ(d1)
const TIME_VALUE = 3; // out: undiscounted time value √(FK)·b
const IN_X = 4; // in: ln(F/K)
const IN_F = 5; // in: forward
const IN_K = 6; // in: strike
const IN_SD = 7; // in: σ√T

/** Fills `fast` from its inputs; needs 0 < σ√T < ∞, |x| ≤ 600, F, K > 0. */
function fastCore(isCall: boolean): void {
  const x = fast[IN_X]!;
  const F = fast[IN_F]!;
  const K = fast[IN_K]!;
  const sd = fast[IN_SD]!;
  const otm = x <= 0; // the call is the out-of-the-money side
  const xo = otm ? x : -x;
  const h = xo / sd;
  const t = 0.5 * sd;
  const E = Math.exp(-0.5 * (h * h + t * t));
  const ex = otm ? Math.sqrt(F / K) : Math.sqrt(K / F); // e^{x_o/2}
  // d1o = h + t: G1 = Φ(d1o), H1 = Φ(−d1o), with e^{−d1o²/2} = E/ex; X1 = erfcx(|d1o|/√2) when |d1o|/√2 > ½
  const d1o = h + t;
  const v1 = d1o * SQRT1_2;
  const av1 = v1 < 0 ? -v1 : v1;
  let G1: number;
  let H1: number;
  let X1 = 0;
  if (av1 > 0.5) {
    X1 = erfcxLarge(av1);
    const tail = (0.5 * E * X1) / ex;
    G1 = v1 > 0 ? 1 - tail : tail;
    H1 = v1 > 0 ? tail : 1 - tail;
  } else {
    const e = v1 * erfSmallOverX(v1);
    G1 = 0.5 * (1 + e);
    H1 = 0.5 * (1 - e);
  }
  // d2o = h − t < 0: G2 = Φ(d2o), H2 = Φ(−d2o), with e^{−d2o²/2} = E·ex; X2 = erfcx(−d2o/√2) when that is > ½
  const w2 = (t - h) * SQRT1_2;
  let G2: number;
  let H2: number;
  let X2 = 0;
  let tail2: number; // Φ(d2o)/ex
  if (w2 > 0.5) {
    X2 = erfcxLarge(w2);
    tail2 = 0.5 * E * X2;
    G2 = tail2 * ex;
    H2 = 1 - G2;
  } else {
    const e = w2 * erfSmallOverX(w2);
    G2 = 0.5 * (1 - e);
    H2 = 0.5 * (1 + e);
    tail2 = G2 / ex;
  }
  if (otm) {
    fast[N1] = isCall ? G1 : H1;
    fast[N2] = isCall ? G2 : H2;
    fast[PDF] = (INV_SQRT_2PI * E) / ex;
  } else {
    fast[N1] = isCall ? H2 : G2;
    fast[N2] = isCall ? H1 : G1;
    fast[PDF] = INV_SQRT_2PI * E * ex;
  }
  // b(x_o, s) in the regions of normalisedBlackOtm, from the values above
  let b: number;
  if (d1o > 0.85) {
    b = ex - (0.5 * E * X1 + tail2); // b_max − (b_max − b), a sum of positives
  } else if (E === 0) {
    b = 0;
  } else if (t < 0.35 && xo > -0.7) {
    taylorIo[0] = -h * SQRT1_2;
    taylorIo[1] = t * SQRT1_2;
    taylorOddBracketIo();
    b = -E * taylorIo[2]!;
  } else if (v1 < -0.5) {
    b = 0.5 * E * (X1 - X2); // ½E·[erfcx(a−δ) − erfcx(a+δ)], both arguments > ½
  } else {
    b = (v1 > 0.5 ? ex - 0.5 * E * X1 : ex * G1) - tail2; // e^{x/2}Φ(h+t) − e^{−x/2}Φ(h−t)
  }
  fast[TIME_VALUE] = (otm ? K : F) * ex * b; // √(FK)·b: √(FK) = K·e^{x_o/2} when F ≤ K, F·e^{x_o/2} when F > K
}

/**
 * The ordinary case of the fast paths, as one comparison chain instead of the checks: a kind; the underlying (spot or
 * forward), strike, years and vol positive and finite; the rate finite. Anything else takes the careful path.
 */
function plainInputs(kind: unknown, U: number, K: number, T: number, vol: number, r: number): boolean {
  return (
    (kind === 'call' || kind === 'put') &&
    typeof U === 'number' &&
    typeof K === 'number' &&
    typeof T === 'number' &&
    typeof vol === 'number' &&
    typeof r === 'number' &&
    U > 0 &&
    U < Number.POSITIVE_INFINITY &&
    K > 0 &&
    K < Number.POSITIVE_INFINITY &&
    T > 0 &&
    T < Number.POSITIVE_INFINITY &&
    vol > 0 &&
    vol < Number.POSITIVE_INFINITY &&
    r - r === 0
  );
}

/** Writes price and greeks into `out`, with their per-point and per-day forms; returns `out`. */
function setGreeks(
  out: Greeks,
  price: number,
  delta: number,
  gamma: number,
  vega: number,
  theta: number,
  rho: number,
  itmProbability: number,
  phi: number | undefined,
): Greeks {
  out.price = price;
  out.delta = delta;
  out.gamma = gamma;
  out.vega = vega;
  out.vegaPerVolPoint = vega / 100;
  out.theta = theta;
  out.thetaPerDay = theta / 365;
  out.rho = rho;
  out.rhoPerPoint = rho / 100;
  out.itmProbability = itmProbability;
  out.phi = phi;
  return out;
}

/** Inputs inside their domains can still over- or underflow in combination (e.g. r·T > 745): say so, never NaN. */
function checkResult(fn: string, out: Greeks): void {
  if (
    out.price !== out.price ||
    out.delta !== out.delta ||
    out.gamma !== out.gamma ||
    out.vega !== out.vega ||
    out.theta !== out.theta ||
    out.rho !== out.rho ||
    out.itmProbability !== out.itmProbability ||
    out.phi !== out.phi
  ) {
    throw new RangeError(`${fn}: inputs overflow or underflow double precision (no meaningful value)`);
  }
}

function checkBsm(fn: string, i: BsmInput): void {
  checkKind(fn, i.kind);
  checkPositive(fn, 'spot', i.spot);
  checkPositive(fn, 'strike', i.strike);
  checkNonNegative(fn, 'years', i.years);
  checkNonNegative(fn, 'vol', i.vol);
  checkFinite(fn, 'rate', i.rate);
  checkFinite(fn, 'dividendYield', i.dividendYield);
}

/** Black-Scholes-Merton price and greeks written into `out` (no allocation); returns `out`. */
export function bsmGreeksInto(i: BsmInput, out: Greeks): Greeks {
  const kind = i.kind;
  const S = i.spot;
  const K = i.strike;
  const T = i.years;
  const vol = i.vol;
  const r = i.rate;
  const q = i.dividendYield;
  if (!(plainInputs(kind, S, K, T, vol, r) && typeof q === 'number' && q - q === 0)) return bsmGreeksCareful(i, out);
  const isCall = kind === 'call';
  const sign = isCall ? 1 : -1;
  const D = Math.exp(-r * T);
  const Dq = q === 0 ? 1 : q === r ? D : Math.exp(-q * T);
  const SDq = S * Dq; // = D·F
  const KD = K * D;
  const F = SDq / D;
  const x = Math.log(S / K) + (r - q) * T;
  const sqrtT = Math.sqrt(T);
  const sd = vol * sqrtT;
  if (!(sd > 0 && sd < Number.POSITIVE_INFINITY && x >= -600 && x <= 600)) return bsmGreeksCareful(i, out);
  fast[IN_X] = x;
  fast[IN_F] = F;
  fast[IN_K] = K;
  fast[IN_SD] = sd;
  fastCore(isCall);
  const n1 = fast[N1]!;
  const n2 = fast[N2]!;
  const pdf = fast[PDF]!;
  const intrinsic = isCall ? (x > 0 ? SDq - KD : 0) : x < 0 ? KD - SDq : 0;
  const price = intrinsic + D * fast[TIME_VALUE]!;
  const delta = sign * Dq * n1;
  const gamma = (Dq * (pdf / sd)) / S;
  const vega = SDq * (pdf * sqrtT);
  const theta = -SDq * ((pdf * vol) / (2 * sqrtT)) + sign * (q * SDq * n1 - r * KD * n2);
  const rho = sign * T * KD * n2;
  const phi = -sign * T * SDq * n1;
  const all = price + delta + gamma + vega + theta + rho + phi;
  if (!(all - all === 0)) return bsmGreeksCareful(i, out); // a non-finite value: let the careful path decide
  return setGreeks(out, price, delta, gamma, vega, theta, rho, n2, phi);
}

/** bsmGreeksInto on the stand-alone functions, with every check: limits, edge cases and errors. */
function bsmGreeksCareful(i: BsmInput, out: Greeks): Greeks {
  checkBsm('bsmGreeks', i);
  const { kind, spot: S, strike: K, years: T, vol, rate: r, dividendYield: q } = i;
  const isCall = kind === 'call';
  const sign = isCall ? 1 : -1;
  const D = Math.exp(-r * T);
  const Dq = Math.exp(-q * T);
  const SDq = S * Dq; // = D·F
  const KD = K * D;
  const F = SDq / D;
  const x = Math.log(S / K) + (r - q) * T;
  const sd = core(isCall, x, T, vol);
  const intrinsic = isCall ? (x > 0 ? SDq - KD : 0) : x < 0 ? KD - SDq : 0;
  const price = intrinsic + D * undiscountedTimeValue(F, K, x, sd);
  const delta = sign * Dq * cNd1;
  const gamma = (Dq * cPdfOverSd) / S;
  const vega = SDq * cPdfSqrtT;
  const theta = -SDq * cTimeDecay + sign * (q * SDq * cNd1 - r * KD * cNd2);
  const rho = sign * T * KD * cNd2;
  setGreeks(out, price, delta, gamma, vega, theta, rho, cNd2, -sign * T * SDq * cNd1);
  checkResult('bsmGreeks', out);
  return out;
}

/** Black-Scholes-Merton price and greeks (delta and gamma in the spot, rho with S and q fixed, phi = ∂V/∂q). */
export function bsmGreeks(i: BsmInput): Greeks {
  return bsmGreeksInto(i, emptyGreeks());
}

/** Black-76 price and greeks written into `out` (no allocation); returns `out`. */
export function black76GreeksInto(i: Black76Input, out: Greeks): Greeks {
  const kind = i.kind;
  const F = i.forward;
  const K = i.strike;
  const T = i.years;
  const vol = i.vol;
  const r = i.rate;
  if (!plainInputs(kind, F, K, T, vol, r)) return black76GreeksCareful(i, out);
  const isCall = kind === 'call';
  const sign = isCall ? 1 : -1;
  const D = Math.exp(-r * T);
  const x = Math.log(F / K);
  const sqrtT = Math.sqrt(T);
  const sd = vol * sqrtT;
  if (!(sd > 0 && sd < Number.POSITIVE_INFINITY && x >= -600 && x <= 600)) return black76GreeksCareful(i, out);
  fast[IN_X] = x;
  fast[IN_F] = F;
  fast[IN_K] = K;
  fast[IN_SD] = sd;
  fastCore(isCall);
  const n1 = fast[N1]!;
  const pdf = fast[PDF]!;
  const intrinsic = isCall ? Math.max(F - K, 0) : Math.max(K - F, 0);
  const price = D * (intrinsic + fast[TIME_VALUE]!);
  const delta = sign * D * n1;
  const gamma = (D * (pdf / sd)) / F;
  const vega = D * F * (pdf * sqrtT);
  const theta = -D * F * ((pdf * vol) / (2 * sqrtT)) + r * price;
  const rho = -T * price;
  const all = price + delta + gamma + vega + theta + rho;
  if (!(all - all === 0)) return black76GreeksCareful(i, out);
  return setGreeks(out, price, delta, gamma, vega, theta, rho, fast[N2]!, undefined);
}

/** black76GreeksInto on the stand-alone functions, with every check: limits, edge cases and errors. */
function black76GreeksCareful(i: Black76Input, out: Greeks): Greeks {
  const fn = 'black76Greeks';
  checkKind(fn, i.kind);
  checkPositive(fn, 'forward', i.forward);
  checkPositive(fn, 'strike', i.strike);
  checkNonNegative(fn, 'years', i.years);
  checkNonNegative(fn, 'vol', i.vol);
  checkFinite(fn, 'rate', i.rate);
  const { kind, forward: F, strike: K, years: T, vol, rate: r } = i;
  const isCall = kind === 'call';
  const sign = isCall ? 1 : -1;
  const D = Math.exp(-r * T);
  const x = Math.log(F / K);
  const sd = core(isCall, x, T, vol);
  const intrinsic = isCall ? Math.max(F - K, 0) : Math.max(K - F, 0);
  const price = D * (intrinsic + undiscountedTimeValue(F, K, x, sd));
  const delta = sign * D * cNd1;
  const gamma = (D * cPdfOverSd) / F;
  const vega = D * F * cPdfSqrtT;
  const theta = -D * F * cTimeDecay + r * price;
  const rho = -T * price;
  setGreeks(out, price, delta, gamma, vega, theta, rho, cNd2, undefined);
  checkResult('black76Greeks', out);
  return out;
}

/** Black-76 price and greeks on a future (delta and gamma in F; rho with F fixed, = −T·V). */
export function black76Greeks(i: Black76Input): Greeks {
  const out = emptyGreeks();
  return black76GreeksInto(i, out);
}
