/**
 * Technical indicators on a series of closes, written from the published formulas:
 *  - SMA: arithmetic mean of the last `period` values.
 *  - EMA: α = 2/(period+1), seeded with the SMA of the first `period` values (the convention of StockCharts'
 *    ChartSchool "Moving Averages" worked example, which the tests reproduce).
 *  - RSI: J. Welles Wilder Jr., "New Concepts in Technical Trading Systems" (1978): first average gain/loss is the
 *    simple mean of the first `period` changes, then Wilder's smoothing avg = (prev·(n−1) + current)/n;
 *    RSI = 100 − 100/(1 + avgGain/avgLoss). Nothing fell → 100; nothing moved → 50.
 *  - MACD: Gerald Appel: line = EMA(fast) − EMA(slow); signal = EMA(signal) of the line (seeded with the SMA of its
 *    first `signal` values); histogram = line − signal.
 *
 * Every output array has the input's length; a bar without enough history is `null` (never NaN). Non-finite inputs
 * are rejected by the callers (vixSeries) before they reach here; here they would make the affected outputs null.
 */

export type Series = (number | null)[];

function assertPeriod(period: number): void {
  if (!Number.isInteger(period) || period < 1) throw new RangeError(`period must be a whole number ≥ 1, got ${period}`);
}

/** Simple moving average. */
export function sma(params: { values: readonly number[]; period: number }): Series {
  const { values, period } = params;
  assertPeriod(period);
  const out: Series = new Array<number | null>(values.length).fill(null);
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    sum += values[i] as number;
    if (i >= period) sum -= values[i - period] as number;
    if (i >= period - 1) out[i] = Number.isFinite(sum) ? sum / period : null;
  }
  return out;
}

/**
 * Exponential moving average. Leading nulls in `values` are skipped (so it can smooth another indicator's output);
 * the seed is the SMA of the first `period` non-null values.
 */
export function ema(params: { values: readonly (number | null)[]; period: number }): Series {
  const { values, period } = params;
  assertPeriod(period);
  const out: Series = new Array<number | null>(values.length).fill(null);
  const alpha = 2 / (period + 1);
  let count = 0;
  let sum = 0;
  let prev: number | null = null;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || v === undefined || !Number.isFinite(v)) {
      if (prev !== null) prev = null; // a gap after the start breaks the recursion; restart
      count = 0;
      sum = 0;
      continue;
    }
    if (prev === null) {
      count++;
      sum += v;
      if (count === period) {
        prev = sum / period;
        out[i] = prev;
      }
      continue;
    }
    prev = prev + alpha * (v - prev);
    out[i] = prev;
  }
  return out;
}

/** Wilder's RSI for any period ≥ 1 (RSI(2) and RSI(14) included). */
export function rsi(params: { values: readonly number[]; period: number }): Series {
  const { values, period } = params;
  assertPeriod(period);
  const out: Series = new Array<number | null>(values.length).fill(null);
  let avgGain = 0;
  let avgLoss = 0;
  for (let i = 1; i < values.length; i++) {
    const change = (values[i] as number) - (values[i - 1] as number);
    const gain = change > 0 ? change : 0;
    const loss = change < 0 ? -change : 0;
    if (i <= period) {
      avgGain += gain / period;
      avgLoss += loss / period;
      if (i < period) continue;
    } else {
      avgGain = (avgGain * (period - 1) + gain) / period;
      avgLoss = (avgLoss * (period - 1) + loss) / period;
    }
    out[i] = rsiFromAverages(avgGain, avgLoss);
  }
  return out;
}

function rsiFromAverages(avgGain: number, avgLoss: number): number | null {
  if (!Number.isFinite(avgGain) || !Number.isFinite(avgLoss)) return null;
  if (avgLoss === 0) return avgGain === 0 ? 50 : 100;
  return 100 - 100 / (1 + avgGain / avgLoss);
}

export interface Macd {
  line: Series;
  signal: Series;
  histogram: Series;
}

export function macd(params: {
  values: readonly number[];
  fastPeriod: number;
  slowPeriod: number;
  signalPeriod: number;
}): Macd {
  const { values, fastPeriod, slowPeriod, signalPeriod } = params;
  if (fastPeriod >= slowPeriod) throw new RangeError(`MACD fast period ${fastPeriod} must be below slow ${slowPeriod}`);
  const fast = ema({ values, period: fastPeriod });
  const slow = ema({ values, period: slowPeriod });
  const line: Series = values.map((_, i) => {
    const f = fast[i];
    const s = slow[i];
    return f === null || f === undefined || s === null || s === undefined ? null : f - s;
  });
  const signal = ema({ values: line, period: signalPeriod });
  const histogram: Series = line.map((l, i) => {
    const s = signal[i];
    return l === null || s === null || s === undefined ? null : l - s;
  });
  return { line, signal, histogram };
}

/** Number of consecutive bars, ending at `index`, over which the series rose (v[i] > v[i−1]). */
export function risingBars(params: { series: Series; index: number }): number {
  return monotoneBars(params.series, params.index, 1);
}

/** Number of consecutive bars, ending at `index`, over which the series fell (v[i] < v[i−1]). */
export function fallingBars(params: { series: Series; index: number }): number {
  return monotoneBars(params.series, params.index, -1);
}

function monotoneBars(series: Series, index: number, sign: 1 | -1): number {
  let n = 0;
  for (let i = index; i >= 1; i--) {
    const a = series[i];
    const b = series[i - 1];
    if (a === null || a === undefined || b === null || b === undefined) break;
    if (sign * (a - b) > 0) n++;
    else break;
  }
  return n;
}
