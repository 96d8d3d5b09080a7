/**
 * Per-bar VIX signals from a series of daily closes (the last one possibly today's live value): day-on-day change,
 * short and long RSI (Wilder), MACD line/signal/histogram and how many bars the histogram has been rising/falling.
 * All periods come from the rulebook.
 */
import { fallingBars, macd, risingBars, rsi } from './indicators';
import type { Thresholds } from './rulebook';
import type { DollarOnBar } from '../macro/gauges';

export interface VixSignalBar {
  date: string;
  close: number;
  prevClose: number | null;
  /** Percent change on the prior close (25.8 for +25.8%); null on the first bar. */
  changePct: number | null;
  changePoints: number | null;
  rsiShort: number | null;
  rsiLong: number | null;
  macdLine: number | null;
  macdSignal: number | null;
  macdHistogram: number | null;
  histogramRisingBars: number;
  histogramFallingBars: number;
  /** The VIX3M close of the day when known (the term structure); absent or null otherwise. */
  vix3m?: number | null;
  /** The dollar gauge on the day (the Second Engine's macro condition) when the trader brought a dollar series. */
  dollar?: DollarOnBar | null;
}

export function computeVixSignals(params: {
  points: readonly { date: string; close: number; vix3m?: number; dollar?: DollarOnBar | null }[];
  thresholds: Thresholds;
}): VixSignalBar[] {
  const { points, thresholds: t } = params;
  const closes = points.map((p) => p.close);
  const rs = rsi({ values: closes, period: t.rsiShortPeriod });
  const rl = rsi({ values: closes, period: t.rsiLongPeriod });
  const m = macd({
    values: closes,
    fastPeriod: t.macdFastPeriod,
    slowPeriod: t.macdSlowPeriod,
    signalPeriod: t.macdSignalPeriod,
  });
  return points.map((p, i) => {
    const prev = i > 0 ? (closes[i - 1] as number) : null;
    return {
      date: p.date,
      close: p.close,
      prevClose: prev,
      changePct: prev !== null && prev > 0 ? ((p.close - prev) / prev) * 100 : null,
      changePoints: prev !== null ? p.close - prev : null,
      rsiShort: rs[i] ?? null,
      rsiLong: rl[i] ?? null,
      macdLine: m.line[i] ?? null,
      macdSignal: m.signal[i] ?? null,
      macdHistogram: m.histogram[i] ?? null,
      histogramRisingBars: risingBars({ series: m.histogram, index: i }),
      histogramFallingBars: fallingBars({ series: m.histogram, index: i }),
      vix3m: p.vix3m ?? null,
      ...(p.dollar ? { dollar: p.dollar } : {}),
    };
  });
}
