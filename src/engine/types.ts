/**
 * Plain-data results of the chain analysis and the condor's risk (structured-clone safe: no class instances,
 * no functions, no Maps). Units are in the names: `years` (calendar, Actual/365F), `vol` as a fraction per
 * √year, money in the quote's units per share (index points) unless the name says `dollars`.
 * Missing is `null`, always with a `reason` beside it; no NaN or Infinity is ever stored.
 */
import type { OptionKind } from '../chain/types';

// ───────────────────────── forward ─────────────────────────

/**
 * How the forward and discount of one expiry were obtained:
 * - 'parity': F and D both from a fit of C − P = D·(F − K) across liquid strikes;
 * - 'parity-given-rate': F from parity, D from a given/term-structure rate (the strikes span too little to pin D);
 * - 'fallback-spot': no usable parity pair; F = spot·e^{rT}, D = e^{−rT} from the given rate (no dividend: biased).
 * - 'quoted-model': F and D as the model that priced the quotes states them (Expiry.quotedFrom: the backtest's
 *   model chains); nothing fitted.
 */
export type ForwardMethod = 'parity' | 'parity-given-rate' | 'fallback-spot' | 'quoted-model';

export interface ForwardFit {
  method: ForwardMethod;
  /** null only when neither parity nor a spot price is available (then `reason` says why). */
  forward: number | null;
  discount: number | null;
  /** Continuously compounded rate −ln(D)/years actually used (from parity or the given rate). */
  rate: number | null;
  /** The rate implied by the parity slope, even when it was judged too imprecise to use; null if no fit. */
  impliedRate: number | null;
  /** Standard error of the implied rate (from the slope's standard error); null if not estimable. */
  impliedRateStdErr: number | null;
  strikesUsed: number[];
  /** Strikes with two-sided call and put that the robust fit rejected as outliers. */
  strikesRejected: number[];
  /** Weighted RMS of the parity residuals on the strikes used, in price units; null if fewer than 2 strikes. */
  residualRms: number | null;
  /** Why the method is not 'parity' (or why the forward is null); null when all went well. */
  reason: string | null;
}

// ───────────────────────── smile ─────────────────────────

/** One strike's implied volatility from the out-of-the-money side's mid. */
export interface StrikeVol {
  strike: number;
  /** ln(K/F). */
  logMoneyness: number;
  /** The side inverted: put below the forward, call at or above. */
  side: OptionKind;
  mid: number | null;
  /** Bid/ask spread of that side, price units; null if one-sided. */
  spread: number | null;
  vol: number | null;
  /** Why vol is null (or a note such as 'used the in-the-money side'); null when fine. */
  reason: string | null;
}

/** Raw SVI (Gatheral 2004): w(k) = a + b·(ρ·(k − m) + √((k − m)² + σ²)), w total implied variance. */
export interface SviParams {
  a: number;
  b: number;
  rho: number;
  m: number;
  sigma: number;
}

export type SmileMethod = 'svi' | 'convex' | 'flat';

export interface Smile {
  method: SmileMethod;
  forward: number;
  years: number;
  /** Set when method = 'svi'. */
  svi: SviParams | null;
  /** Knots of the convex piecewise-linear total variance (method = 'convex'); flat uses one knot. */
  knotK: number[];
  knotW: number[];
  /** Data range in log-moneyness; outside it the total variance is extrapolated linearly. */
  kMin: number;
  kMax: number;
  wAtMin: number;
  wAtMax: number;
  /** dw/dk used beyond kMin / kMax, within Lee's moment bound |slope| ≤ 2. */
  slopeLeft: number;
  slopeRight: number;
  atmVol: number;
  /** RMS of (fitted vol − market vol) over the points used, in vol (fraction). */
  rmsErrorVol: number;
  pointsUsed: number;
  /** Minimum of Gatheral's density function g(k) over a check grid (≥ 0: no butterfly arbitrage). */
  minDensityG: number;
  butterflyFree: boolean;
  /**
   * Why a simpler method was used (e.g. 'SVI violated g ≥ 0 at k = −0.31'), and which quotes the fit left out;
   * null when SVI fitted every quote.
   */
  reason: string | null;
  /**
   * Quotes not fitted (absent: none): beyond Lee's wing bound (no arbitrage-free smile passes there: a stale or
   * adjusted contract), and far from the money when no smile fitted every quote (smile.ts fitSmile).
   */
  quotesLeftOut?: { beyondLee: number; farFromMoney: number };
}

// ───────────────────────── condor ─────────────────────────

/**
 * What repricing one expiry needs. `underlying` is the spot when known (else the forward): deltas are per point
 * of it and scenario moves apply to it, the forward moving in proportion (F = underlying·e^{carry·years}).
 * Vols are sticky-strike: each strike keeps its smile vol (plus any shift) as the underlying moves.
 */
export interface ExpiryModel {
  underlying: number;
  forward: number;
  discount: number;
  years: number;
  /** −ln(D)/years. */
  rate: number;
  /** ln(F/underlying)/years (= rate − dividend yield). */
  carry: number;
  smile: Smile;
}

export interface CondorSpec {
  /** K1 < K2 ≤ K3 < K4: long put, short put, short call, long call. */
  strikes: [number, number, number, number];
  /** Number of condors (positive). */
  quantity: number;
  /** Entry credit per condor in price units (index points); null/undefined: the current mid. */
  credit?: number | null;
}

export interface CondorLeg {
  kind: OptionKind;
  strike: number;
  /** +1 long, −1 short (per condor). */
  side: 1 | -1;
  bid: number | null;
  ask: number | null;
  mid: number | null;
  /** Smile volatility at the strike. */
  vol: number;
  /** Model price with the smile vol. */
  modelPrice: number;
  /** Delta per option per point of the underlying. */
  delta: number;
}

export interface PositionGreeks {
  /** Dollars per 1 point of the underlying. */
  deltaDollarsPerPoint: number;
  /** Change of deltaDollarsPerPoint per 1 point of the underlying. */
  gammaDollarsPerPoint: number;
  /** Dollars per volatility point (0.01), all legs shifted together. */
  vegaDollarsPerVolPoint: number;
  /** Dollars per calendar day, underlying and vols held fixed. */
  thetaDollarsPerDay: number;
}

export interface CondorRisk {
  expiry: string;
  strikes: [number, number, number, number];
  quantity: number;
  multiplier: number;
  years: number;
  daysToExpiry: number;
  legs: CondorLeg[];
  /** Per condor, price units: sum of leg mids (short − long); null if a leg has no two-sided market. */
  creditMid: number | null;
  /** Per condor: sell the shorts at the bid, buy the wings at the ask; null if a quote is missing. */
  creditNatural: number | null;
  /** The credit the risk figures use, per condor. */
  creditUsed: number;
  creditSource: 'given' | 'mid' | 'model';
  putWidth: number;
  callWidth: number;
  /** max(putWidth, callWidth). */
  width: number;
  maxProfitDollars: number;
  maxLossDollars: number;
  breakevenLower: number;
  breakevenUpper: number;
  /** maxProfit / maxLoss; null when maxLoss ≤ 0 (a credit at or above the width). */
  returnOnRisk: number | null;
  probability: {
    /** Day count of every probability: calendar time, Actual/365F. */
    dayCount: 'calendar Actual/365F';
    /** P(BE_lower < S_T < BE_upper), lognormal at the ATM vol: N(d2) at each breakeven. */
    profitLognormal: number;
    /** Same from the smile's risk-neutral distribution (digital = −∂C/∂K incl. the smile slope). */
    profitSkewAware: number;
    /** P(S_T < BE_lower) and P(S_T > BE_upper) from the smile. */
    belowLowerSkewAware: number;
    aboveUpperSkewAware: number;
    /** Probability the underlying touches the short put / short call strike before expiry. */
    touchShortPut: number;
    touchShortCall: number;
    touchMethod: string;
  };
  expectedMove: ExpectedMove;
  greeks: PositionGreeks;
}

export interface ExpectedMove {
  /** F·σ_ATM·√T, price units; null if no ATM vol. */
  fromAtmVol: number | null;
  /** Call mid + put mid at the strike nearest the forward; null if either side has no mid. */
  fromStraddle: number | null;
  straddleStrike: number | null;
}

export interface PnlCurve {
  /** Days from now at which the curve is valued (daysToExpiry for the expiry curve). */
  daysForward: number;
  /** Volatility shift applied to every leg's smile vol, in vol points (before term scaling). */
  volShiftPoints: number;
  atExpiry: boolean;
  prices: number[];
  /** P/L in dollars for the whole position at each price. */
  pnlDollars: number[];
}

export interface ScenarioGrid {
  /** Underlying moves as fractions (−0.15 … +0.10), columns. */
  moves: number[];
  /** Nominal vol shifts in vol points (−5 … +30), rows. */
  volShiftsPoints: number[];
  /** The multiplier applied to every nominal vol shift: clamp(√(30 / daysToExpiry), 0.25, 3). */
  volShiftScale: number;
  daysForward: number;
  /** pnlDollars[row][col]: row = vol shift, col = move. */
  pnlDollars: number[][];
}

// ───────────────────────── analysis ─────────────────────────

export interface ExpiryAnalysis {
  date: string;
  root: string | null;
  settlement: 'AM' | 'PM';
  years: number;
  daysToExpiry: number;
  forward: ForwardFit;
  atmVol: number | null;
  strikes: StrikeVol[];
  smile: Smile | null;
  expectedMove: ExpectedMove;
  /** Why this expiry has no smile/forward (expired, no quotes…); null when fine. */
  reason: string | null;
}

export interface ChainAnalysis {
  symbol: string;
  spot: number | null;
  now: string;
  rateAssumed: number;
  multiplier: number;
  expiries: ExpiryAnalysis[];
  /** Index in `expiries` of the expiry chosen for the condor; null when none is usable. */
  chosenExpiry: number | null;
  chosenReason: string;
  condor: CondorRisk | null;
  /** True when the condor was not given and was built by the default rule. */
  condorSuggested: boolean;
  condorReason: string | null;
  /** The expiry asked for (or nearest to 30 days) when it could not hold the suggested condor and another did. */
  suggestionMovedFrom?: string;
  pnlCurves: PnlCurve[];
  grid: ScenarioGrid | null;
  warnings: string[];
}
