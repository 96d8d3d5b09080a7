/**
 * The backtest chart's axes: the account's log axis reads in dollars whatever the run's range (a few years, where
 * the accounts stay within a factor of two, or 36 years across decades), and the drawdown axis in round percentages.
 */
import { describe, expect, it } from 'vitest';
import { accountTicks, drawdownTicks } from '../../src/engine/backtest/chart';
import { backtestChartSvg, type BacktestReport } from '../../src/engine/backtest';

describe('backtest chart axes', () => {
  it('labels a narrow account range with evenly spaced round dollars', () => {
    // 2018–2020 on the index rules: the accounts ran between about $75k and $140k (one 1-2-5 value, $100k, inside).
    expect(accountTicks(75_000, 140_000)).toEqual([80_000, 100_000, 120_000, 140_000]);
    expect(accountTicks(98_000, 104_000)).toEqual([98_000, 100_000, 102_000, 104_000]);
    for (const [lo, hi] of [
      [61_000, 250_000],
      [9_400, 9_900],
      [123_456, 198_765],
    ] as const) {
      const ticks = accountTicks(lo, hi);
      expect(ticks.length, `${lo}…${hi}`).toBeGreaterThanOrEqual(3);
      expect(ticks.length, `${lo}…${hi}`).toBeLessThanOrEqual(6);
      for (const v of ticks) {
        expect(v).toBeGreaterThanOrEqual(lo);
        expect(v).toBeLessThanOrEqual(hi);
      }
    }
  });

  it('labels a range across decades with the 1-2-5 values of each decade', () => {
    expect(accountTicks(40_000, 1_300_000)).toEqual([50_000, 100_000, 200_000, 500_000, 1_000_000]);
  });

  it('has no ticks for an empty or upside-down range', () => {
    expect(accountTicks(0, 10)).toEqual([]);
    expect(accountTicks(5, 5)).toEqual([]);
  });

  it('marks drawdowns at round percentages, at most six lines', () => {
    expect(drawdownTicks(0.25)).toEqual([0, 0.05, 0.1, 0.15, 0.2, 0.25]);
    expect(drawdownTicks(0.6)).toEqual([0, 0.2, 0.4, 0.6]);
    expect(drawdownTicks(0.05)).toEqual([0, 0.01, 0.02, 0.03, 0.04, 0.05]);
    for (let d = 0.05; d <= 1; d += 0.05) expect(drawdownTicks(d).length).toBeLessThanOrEqual(6);
  });

  it('writes the dollar labels into the SVG', () => {
    const dates = ['2018-01-02', '2019-01-02', '2020-01-02', '2020-12-31'];
    const report = {
      from: dates[0],
      to: dates[3],
      dates,
      strategies: [
        { id: 'a', label: 'A', cagr: 0.01, maxDrawdown: { depth: 0.2 }, equity: [100_000, 80_000, 120_000, 95_000] },
        { id: 'b', label: 'B', cagr: 0.02, maxDrawdown: { depth: 0.1 }, equity: [100_000, 110_000, 135_000, 140_000] },
      ],
    } as unknown as BacktestReport;
    const svg = backtestChartSvg(report);
    for (const label of ['$80k', '$100k', '$120k', '$140k', '−10 %', '−20 %'])
      expect(svg, label).toContain(`>${label}</text>`);
  });
});
