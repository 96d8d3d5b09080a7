import { describe, expect, it } from 'vitest';
import { ema, fallingBars, macd, risingBars, rsi, sma } from '../../../src/engine/alvh/indicators';

/**
 * Test vectors:
 *  - EMA/SMA(10): StockCharts ChartSchool "Moving Averages – Simple and Exponential" worked example (30 closes).
 *    The spreadsheet rounds to 2 dp, so values agree within about a cent.
 *  - RSI(14): Wilder's worked example as reproduced in StockCharts ChartSchool "Relative Strength Index (RSI)"
 *    (cs-rsi.xls, 33 closes, 4-dp inputs); the table shows RSI to 2 dp.
 */
const MA_CLOSES = [
  22.27, 22.19, 22.08, 22.17, 22.18, 22.13, 22.23, 22.43, 22.24, 22.29, 22.15, 22.39, 22.38, 22.61, 23.36, 24.05, 23.75,
  23.83, 23.95, 23.63, 23.82, 23.87, 23.65, 23.19, 23.1, 23.33, 22.68, 23.1, 22.4, 22.17,
];
const SMA10 = [
  22.22, 22.21, 22.23, 22.26, 22.31, 22.42, 22.61, 22.77, 22.91, 23.08, 23.21, 23.38, 23.53, 23.65, 23.71, 23.69, 23.61,
  23.51, 23.43, 23.28, 23.13,
];
const EMA10 = [
  22.22, 22.21, 22.24, 22.27, 22.33, 22.52, 22.8, 22.97, 23.13, 23.28, 23.34, 23.43, 23.51, 23.54, 23.47, 23.4, 23.39,
  23.26, 23.23, 23.08, 22.92,
];
const RSI_CLOSES = [
  44.3389, 44.0902, 44.1497, 43.6124, 44.3278, 44.8264, 45.0955, 45.4245, 45.8433, 46.0826, 45.8931, 46.0328, 45.614,
  46.282, 46.282, 46.0028, 46.0328, 46.4116, 46.2222, 45.6439, 46.2122, 46.2521, 45.7137, 46.4515, 45.7835, 45.3548,
  44.0288, 44.1783, 44.2181, 44.5672, 43.4205, 42.6628, 43.1314,
];
const RSI14 = [
  70.53, 66.32, 66.55, 69.41, 66.36, 57.97, 62.93, 63.26, 56.06, 62.38, 54.71, 50.42, 39.99, 41.46, 41.87, 45.46, 37.3,
  33.08, 37.77,
];

describe('SMA and EMA against the StockCharts worked example', () => {
  it('SMA(10)', () => {
    const out = sma({ values: MA_CLOSES, period: 10 });
    expect(out.slice(0, 9).every((v) => v === null)).toBe(true);
    SMA10.forEach((want, i) => expect(Math.abs((out[9 + i] as number) - want), `bar ${9 + i}`).toBeLessThan(0.011));
  });
  it('EMA(10), seeded with the SMA', () => {
    const out = ema({ values: MA_CLOSES, period: 10 });
    expect(out.slice(0, 9).every((v) => v === null)).toBe(true);
    expect(out[9]).toBeCloseTo(MA_CLOSES.slice(0, 10).reduce((a, b) => a + b) / 10, 12);
    EMA10.forEach((want, i) => expect(Math.abs((out[9 + i] as number) - want), `bar ${9 + i}`).toBeLessThan(0.011));
  });
  it('EMA skips leading nulls (EMA of another indicator)', () => {
    expect(ema({ values: [null, null, 1, 2, 3, 4], period: 2 })).toEqual([null, null, null, 1.5, 2.5, 3.5]);
  });
  it('rejects a bad period', () => {
    expect(() => sma({ values: [1, 2], period: 0 })).toThrow(RangeError);
    expect(() => rsi({ values: [1, 2], period: 1.5 })).toThrow(RangeError);
  });
});

describe("RSI (Wilder's smoothing)", () => {
  it("matches Wilder's worked example to the table's 2 dp", () => {
    const out = rsi({ values: RSI_CLOSES, period: 14 });
    expect(out.slice(0, 14).every((v) => v === null)).toBe(true);
    RSI14.forEach((want, i) => expect(Math.abs((out[14 + i] as number) - want), `bar ${14 + i}`).toBeLessThan(0.006));
  });
  it('RSI(2) by hand: first value from simple averages, then Wilder smoothing', () => {
    // changes: +2, −1, +3; avgGain0 = (2+0)/2 = 1, avgLoss0 = (0+1)/2 = 0.5 → RSI = 100 − 100/3
    // next: avgGain = (1·1 + 3)/2 = 2, avgLoss = (0.5·1 + 0)/2 = 0.25 → RS 8 → RSI = 100 − 100/9
    const out = rsi({ values: [10, 12, 11, 14], period: 2 });
    expect(out[0]).toBeNull();
    expect(out[1]).toBeNull();
    expect(out[2]).toBeCloseTo(100 - 100 / 3, 12);
    expect(out[3]).toBeCloseTo(100 - 100 / 9, 12);
  });
  it('is 100 when nothing fell, 50 when nothing moved, 0 when nothing rose; never NaN', () => {
    expect(rsi({ values: [1, 2, 3, 4, 5], period: 2 })[4]).toBe(100);
    expect(rsi({ values: [5, 5, 5, 5], period: 2 })[3]).toBe(50);
    expect(rsi({ values: [5, 4, 3, 2], period: 2 })[3]).toBe(0);
  });
});

describe('MACD(12,26,9)', () => {
  const closes = Array.from({ length: 80 }, (_, i) => 20 + 5 * Math.sin(i / 6) + i * 0.05);
  const m = macd({ values: closes, fastPeriod: 12, slowPeriod: 26, signalPeriod: 9 });
  it('line = EMA(12) − EMA(26), defined from bar 25', () => {
    const e12 = ema({ values: closes, period: 12 });
    const e26 = ema({ values: closes, period: 26 });
    expect(m.line.slice(0, 25).every((v) => v === null)).toBe(true);
    for (let i = 25; i < closes.length; i++) expect(m.line[i]).toBeCloseTo((e12[i] as number) - (e26[i] as number), 12);
  });
  it('signal = EMA(9) of the line seeded with the SMA of its first 9 values; histogram = line − signal', () => {
    expect(m.signal.slice(0, 33).every((v) => v === null)).toBe(true);
    const first9 = m.line.slice(25, 34) as number[];
    expect(m.signal[33]).toBeCloseTo(first9.reduce((a, b) => a + b) / 9, 12);
    const a = 2 / 10;
    expect(m.signal[34]).toBeCloseTo(
      (m.signal[33] as number) + a * ((m.line[34] as number) - (m.signal[33] as number)),
      12,
    );
    for (let i = 33; i < closes.length; i++) {
      expect(m.histogram[i]).toBeCloseTo((m.line[i] as number) - (m.signal[i] as number), 12);
    }
  });
  it('on a constant series everything is 0 (no NaN)', () => {
    const flat = macd({ values: new Array(40).fill(15), fastPeriod: 12, slowPeriod: 26, signalPeriod: 9 });
    expect(flat.histogram[39]).toBe(0);
  });
  it('on a steady ramp the line is positive (fast EMA above slow)', () => {
    const ramp = macd({
      values: Array.from({ length: 60 }, (_, i) => 10 + i),
      fastPeriod: 12,
      slowPeriod: 26,
      signalPeriod: 9,
    });
    // For a linear ramp of slope 1, EMA(n) lags by (n−1)/2, so line → (26−1)/2 − (12−1)/2 = 7.
    expect(ramp.line[59]).toBeCloseTo(7, 6);
  });
  it('rejects fast ≥ slow', () => {
    expect(() => macd({ values: closes, fastPeriod: 26, slowPeriod: 12, signalPeriod: 9 })).toThrow(RangeError);
  });
});

describe('rising/falling bar counts', () => {
  it('counts consecutive moves ending at the index, stopping at nulls', () => {
    const s = [null, 1, 2, 3, 2, 1, 0, 0.5];
    expect(risingBars({ series: s, index: 3 })).toBe(2);
    expect(risingBars({ series: s, index: 4 })).toBe(0);
    expect(fallingBars({ series: s, index: 6 })).toBe(3);
    expect(fallingBars({ series: s, index: 7 })).toBe(0);
    expect(risingBars({ series: s, index: 7 })).toBe(1);
  });
});
