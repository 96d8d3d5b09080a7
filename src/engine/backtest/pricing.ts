/**
 * What a leg is worth on a backtest day, and what it costs to trade: the one valuation the book, the model chain
 * and the VXTH overlay use. Option values come from the pricing models' contract (model/index.ts: the SPX vol at
 * a strike and term, the VIX future and the VIX option vol) through Black's formula (leg.ts blackValue, the engine's
 * one kernel).
 *
 * Stated constants (not fitted):
 * - SPX forward = spot × e^{(r − q)T} with a dividend yield q = DIVIDEND_YIELD (the S&P 500's 1990–2026 average is
 *   about 2 %); r is the day's T-bill rate.
 * - Time to expiry in calendar days / 365 from the day's close; every expiry is valued as settling at its date's
 *   close (the monthly SPX's morning settlement and the VIX's special opening quotation are not modelled).
 * - Bid/ask: the full spread is max(minimum, share × mid), capped (SPX_SPREAD, VIX_SPREAD); a trade fills at
 *   mid ± fillSpreadFraction × half the spread toward the natural price and pays commissionPerContractDollars per
 *   contract (both from the rulebook, the plan's own fill assumption). Settlement at expiry is cash, at intrinsic.
 */
import { daysApart } from '../../chain/calendar';
import { expectedMove } from '../condor';
import { blackValue } from '../leg';
import { normCdf, normInv } from '../pricing/normal';
import { spxForward, spxVolModel, vixModel, type MarketDay } from './model';

export const DIVIDEND_YIELD = 0.02;
/** SPX full spread: 5 % of the mid, at least 0.10, at most 5.00 points. */
export const SPX_SPREAD = { minimum: 0.1, share: 0.05, maximum: 5 } as const;
/** VIX full spread: 8 % of the mid, at least 0.05, at most 1.00 point. */
export const VIX_SPREAD = { minimum: 0.05, share: 0.08, maximum: 1 } as const;
/** SPX strikes are on a 5-point grid. */
export const SPX_STRIKE_STEP = 5;
export const MULTIPLIER = 100;

export type Underlying = 'SPX' | 'VIX';
export type Kind = 'call' | 'put';

export const yearsTo = (date: string, expiry: string): number => Math.max(daysApart(date, expiry), 0) / 365;

/**
 * The 1σ expected move to an expiry, index points: the condor analysis's own definition (condor.ts expectedMove,
 * forward × ATM vol × √T) on the model's smile read at its forward; null at or past expiry.
 */
export function spxExpectedMove(day: MarketDay, expiry: string): number | null {
  const T = yearsTo(day.date, expiry);
  const F = spxForward(day, T);
  const atmVol = T > 0 ? spxVolModel.vol(day, F, T) : null;
  return expectedMove({ rows: [], forward: F, years: T, atmVol }).fromAtmVol;
}

/** The forward SPX options are priced on, `T` years from the day's close: spot × e^{(r − q)T}, q = DIVIDEND_YIELD. */
export function spxPricingForward(day: MarketDay, T: number): number {
  return day.spx * Math.exp((day.rate - DIVIDEND_YIELD) * T);
}

/**
 * Value per share of an SPX option at the day's close: spxStrike's figure for that side, the same expressions,
 * without the other side and the delta (the book and every held leg are marked each day).
 */
export function spxValue(day: MarketDay, kind: Kind, strike: number, expiry: string): number {
  const T = yearsTo(day.date, expiry);
  if (!(T > 0)) return kind === 'call' ? Math.max(day.spx - strike, 0) : Math.max(strike - day.spx, 0);
  const vol = spxVolModel.vol(day, strike, T);
  return blackValue(kind, spxPricingForward(day, T), strike, vol * Math.sqrt(T), Math.exp(-day.rate * T));
}

/** Value per share of a VIX option at the day's close: vixStrike's figure for that side (Black-76 on the future). */
export function vixValue(day: MarketDay, kind: Kind, strike: number, expiry: string): number {
  const T = yearsTo(day.date, expiry);
  if (!(T > 0)) return kind === 'call' ? Math.max(day.vix - strike, 0) : Math.max(strike - day.vix, 0);
  const F = vixModel.future(day, T);
  const vol = vixModel.vol(day, strike, T);
  return blackValue(kind, F, strike, vol * Math.sqrt(T), Math.exp(-day.rate * T));
}

export function optionValue(day: MarketDay, under: Underlying, kind: Kind, strike: number, expiry: string): number {
  return under === 'SPX' ? spxValue(day, kind, strike, expiry) : vixValue(day, kind, strike, expiry);
}

/** Half the bid/ask spread at a mid, price units. */
export function halfSpread(under: Underlying, mid: number): number {
  const s = under === 'SPX' ? SPX_SPREAD : VIX_SPREAD;
  return 0.5 * Math.min(Math.max(s.minimum, s.share * mid), s.maximum);
}

/** N(d1) on the forward: a call's forward delta (Black 1976) with total deviation sd = σ√T > 0. */
function forwardCallDelta(F: number, strike: number, sd: number): number {
  return normCdf(Math.log(F / strike) / sd + 0.5 * sd);
}

/** Forward delta N(d1) of a call (put: N(d1) − 1) of an SPX option, from the model's vol at the strike. */
export function spxDelta(day: MarketDay, kind: Kind, strike: number, expiry: string): number {
  const T = yearsTo(day.date, expiry);
  const F = spxPricingForward(day, T);
  if (!(T > 0)) return kind === 'call' ? (F > strike ? 1 : 0) : F < strike ? -1 : 0;
  const sd = spxVolModel.vol(day, strike, T) * Math.sqrt(T);
  const n1 = forwardCallDelta(F, strike, sd);
  return kind === 'call' ? n1 : n1 - 1;
}

/**
 * Both sides of an SPX strike `T` years from the day's close: values, the model's vol, forward deltas. The one
 * valuation of an SPX option in the backtest (spxValue and spxDelta read it); a model chain's row takes it whole.
 */
export function spxStrike(
  day: MarketDay,
  strike: number,
  T: number,
): { call: number; put: number; vol: number; callDelta: number; putDelta: number } {
  const vol = spxVolModel.vol(day, strike, T);
  const F = spxPricingForward(day, T);
  if (!(T > 0)) {
    const call = Math.max(day.spx - strike, 0);
    const put = Math.max(strike - day.spx, 0);
    return { call, put, vol, callDelta: F > strike ? 1 : 0, putDelta: F < strike ? -1 : 0 };
  }
  const sd = vol * Math.sqrt(T);
  const D = Math.exp(-day.rate * T);
  const n1 = forwardCallDelta(F, strike, sd);
  return {
    call: blackValue('call', F, strike, sd, D),
    put: blackValue('put', F, strike, sd, D),
    vol,
    callDelta: n1,
    putDelta: n1 - 1,
  };
}

/** Both sides of a VIX strike: values on the modelled future, the model's vol, the call's forward delta (put: − 1). */
export function vixStrike(
  day: MarketDay,
  strike: number,
  T: number,
): { call: number; put: number; vol: number; callDelta: number } {
  const F = vixModel.future(day, T);
  const vol = vixModel.vol(day, strike, T);
  if (!(T > 0)) {
    return {
      call: Math.max(day.vix - strike, 0),
      put: Math.max(strike - day.vix, 0),
      vol,
      callDelta: F > strike ? 1 : 0,
    };
  }
  const sd = vol * Math.sqrt(T);
  const D = Math.exp(-day.rate * T);
  return {
    call: blackValue('call', F, strike, sd, D),
    put: blackValue('put', F, strike, sd, D),
    vol,
    callDelta: forwardCallDelta(F, strike, sd),
  };
}

/** The VIX option's delta on its future (forward delta). */
export function vixDelta(day: MarketDay, strike: number, expiry: string): number {
  const T = yearsTo(day.date, expiry);
  const F = vixModel.future(day, T);
  if (!(T > 0)) return F > strike ? 1 : 0;
  const sd = vixModel.vol(day, strike, T) * Math.sqrt(T);
  return forwardCallDelta(F, strike, sd);
}

/**
 * The SPX strike on the 5-point grid whose |delta| is nearest `target` (0.20 for a 20-delta short): solved on the
 * model's smile by a few fixed-point steps, then the grid neighbours compared.
 */
export function spxStrikeForDelta(day: MarketDay, kind: Kind, target: number, expiry: string): number {
  const T = Math.max(yearsTo(day.date, expiry), 1 / 365);
  const F = spxPricingForward(day, T);
  const z = normInv(kind === 'call' ? target : 1 - target); // d1 at the target delta
  let k = F;
  for (let i = 0; i < 4; i++) {
    const sd = spxVolModel.vol(day, k, T) * Math.sqrt(T);
    k = F * Math.exp(-z * sd + 0.5 * sd * sd);
  }
  const base = Math.round(k / SPX_STRIKE_STEP) * SPX_STRIKE_STEP;
  let best = base;
  let gap = Infinity;
  for (const c of [base - SPX_STRIKE_STEP, base, base + SPX_STRIKE_STEP]) {
    if (c <= 0) continue;
    const g = Math.abs(Math.abs(spxDelta(day, kind, c, expiry)) - target);
    if (g < gap) {
      gap = g;
      best = c;
    }
  }
  return best;
}
