/**
 * The backtest's option prices where history has none (#15): the contract between the pricing models and the
 * backtest that uses them. The backtest asks only these functions; the models behind them are fitted to the real
 * chains and the VIX futures history (docs/BACKTEST_MODEL.md gives each fit and its error):
 * - SPX: an SSVI smile whose at-the-money level comes from the day's VIX9D / VIX / VIX3M (spxSmile.ts,
 *   varianceTerm.ts), fitted on four real Cboe chains (2020, 2022, 2025, 2026);
 * - VIX futures: spot VIX reverting to a long-run level (vixFutures.ts), fitted on Cboe VX futures 2013–2026;
 * - VIX options: VVIX (or VIX's fit to it) as the 30-day at-the-money vol, a fitted term decay, an assumed call skew
 *   (vixOptions.ts).
 * The parameters are constants (scripts/calibrate-backtest.ts prints the fit); nothing here reads a file. Every
 * function is pure, deterministic and allocation-free: the backtest calls them about a million times.
 */

import type { SviParams } from '../../types';
import { fillSmileSlice, newSmileSlice, SPX_SMILE, sliceSvi, smileSliceVol } from './spxSmile';
import { VARIANCE_TERM } from './varianceTerm';
import { VIX_FUTURE, vixFutureOf } from './vixFutures';
import { VIX_OPTION, vixOptionVolOf } from './vixOptions';

export { SPX_SMILE, spxAtmVol, spxSmileVol, type SpxSmileParams } from './spxSmile';
export { termVariance, VARIANCE_TERM, type VarianceTermParams, type VolIndexes } from './varianceTerm';
export { VIX_FUTURE, vixFutureOf, type VixFutureParams } from './vixFutures';
export { VIX_OPTION, vixOptionVolOf, vvixFromVix, type VixOptionParams } from './vixOptions';

/** One trading day as the backtest knows it: closes from the trader's history files, no option prices. */
export interface MarketDay {
  /** YYYY-MM-DD. */
  date: string;
  /** S&P 500 close, index points. */
  spx: number;
  /** VIX close, points. */
  vix: number;
  /** VIX9D, VIX3M, VVIX and SKEW closes where the trader's files have them that day, else null. */
  vix9d: number | null;
  vix3m: number | null;
  vvix: number | null;
  skew: number | null;
  /** Risk-free rate, continuously compounded, a fraction per year. */
  rate: number;
}

export interface SpxVolModel {
  /** Black–Scholes implied vol (a fraction per year) of the SPX option at `strike` expiring `years` ahead. */
  vol(day: MarketDay, strike: number, years: number): number;
  /**
   * The same smile as raw SVI total variance in k = ln(K/forward), for any forward: vol(day, K, years) =
   * √(w(ln(K/forward)) / years). A model chain states it (chain Expiry.quotedFrom), so the session reads the smile
   * its quotes were priced from.
   */
  svi(day: MarketDay, years: number, forward: number): SviParams;
}

export interface VixModel {
  /** The VIX future for an expiry `years` ahead, in VIX points. */
  future(day: MarketDay, years: number): number;
  /** Black-76 vol (a fraction per year) of the VIX option at `strike` expiring `years` ahead. */
  vol(day: MarketDay, strike: number, years: number): number;
}

/**
 * S&P 500 dividend yield the models assume for the forward (a fraction per year). The smile is in ln(K/F); a
 * percent of yield moves F by 0.1% over a 45-day option, far inside the smile's error.
 */
export const SPX_DIVIDEND_YIELD = 0.015;

/** The SPX forward the smile is read against: spot·e^{(r − q)T}. Price SPX options on this forward. */
export function spxForward(day: MarketDay, years: number): number {
  return day.spx * Math.exp((day.rate - SPX_DIVIDEND_YIELD) * years);
}

/**
 * The last expiry slice asked for, kept by value (never by the day object, which a caller may reuse): a day's
 * legs of one expiry then cost a log and two square roots each.
 */
const slice = newSmileSlice();
const sliceKey = {
  spx: NaN,
  vix: NaN,
  vix9d: NaN as number | null,
  vix3m: NaN as number | null,
  rate: NaN,
  years: NaN,
};
let sliceForward = NaN;

export const spxVolModel: SpxVolModel = {
  vol(day, strike, years) {
    const key = sliceKey;
    if (
      key.years !== years ||
      key.vix !== day.vix ||
      key.spx !== day.spx ||
      key.rate !== day.rate ||
      key.vix9d !== day.vix9d ||
      key.vix3m !== day.vix3m
    ) {
      fillSmileSlice(SPX_SMILE, VARIANCE_TERM, day, years, slice);
      sliceForward = spxForward(day, years);
      key.years = years;
      key.vix = day.vix;
      key.spx = day.spx;
      key.rate = day.rate;
      key.vix9d = day.vix9d;
      key.vix3m = day.vix3m;
    }
    return smileSliceVol(slice, Math.log(strike / sliceForward));
  },
  svi(day, years, forward) {
    const s = fillSmileSlice(SPX_SMILE, VARIANCE_TERM, day, years, newSmileSlice());
    return sliceSvi(s, Math.log(forward / spxForward(day, years)));
  },
};

export const vixModel: VixModel = {
  future: (day, years) => vixFutureOf(VIX_FUTURE, day.vix, years),
  vol(day, strike, years) {
    const future = vixFutureOf(VIX_FUTURE, day.vix, years);
    return vixOptionVolOf(VIX_OPTION, day.vix, day.vvix, future, strike, years);
  },
};
