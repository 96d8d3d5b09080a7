/**
 * The backtest's option prices where history has none (#15): the contract between the pricing models and the
 * backtest that uses them. The backtest asks only these functions; the models behind them are fitted to the real
 * chains and the VIX futures history (docs/BACKTEST_MODEL.md gives each fit and its error).
 *
 * FIRST CUT (replaced by the calibrated models): SPX vol = VIX/100 flat, VIX future = VIX spot, VIX option vol
 * 80 %. Kept only so the backtest can be written against the contract while the models are fitted.
 */

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
}

export interface VixModel {
  /** The VIX future for an expiry `years` ahead, in VIX points. */
  future(day: MarketDay, years: number): number;
  /** Black-76 vol (a fraction per year) of the VIX option at `strike` expiring `years` ahead. */
  vol(day: MarketDay, strike: number, years: number): number;
}

export const spxVolModel: SpxVolModel = {
  vol: (day) => day.vix / 100,
};

export const vixModel: VixModel = {
  future: (day) => day.vix,
  vol: () => 0.8,
};
