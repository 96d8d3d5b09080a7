/**
 * benchmarkComparison (cndr.ts): an index history set beside the run year by year. Small made-up reports, so each
 * figure can be worked out by hand: the years' ends, the slack for an index closed on the run's last session, a year
 * the index misses, the correlation and the compounded rate.
 */
import { describe, expect, it } from 'vitest';
import { BENCHMARK_SLACK_DAYS, benchmarkComparison } from '../../src/engine/backtest/cndr';
import type { BacktestReport } from '../../src/engine/backtest';

const dates = ['2015-01-02', '2015-12-31', '2016-06-01', '2016-12-30', '2017-12-29', '2018-12-31'];
const report = {
  from: dates[0],
  to: dates.at(-1),
  dates,
  strategies: [
    { id: 'none', annualReturns: { '2015': 0.05, '2016': 0.1, '2017': -0.02, '2018': 0.2 } },
    { id: 'hedged', annualReturns: { '2015': 0.01, '2016': -0.01, '2017': 0.03, '2018': -0.02 } },
  ],
} as unknown as BacktestReport;

describe('benchmarkComparison', () => {
  it('compares each year from the close before the run and at the run’s last session of each year', () => {
    const bars = [
      { date: '2014-12-31', close: 100 },
      { date: '2015-12-31', close: 110 },
      { date: '2016-12-30', close: 121 },
      { date: '2017-12-29', close: 108.9 },
      { date: '2018-12-31', close: 130.68 },
    ];
    const c = benchmarkComparison(report, bars, 'CNDR');
    expect(c.missing).toEqual([]);
    expect(c.years.map((y) => y.year)).toEqual(['2015', '2016', '2017', '2018']);
    const got = c.years.map((y) => y.benchmark);
    [0.1, 0.1, -0.1, 0.2].forEach((r, i) => expect(got[i]).toBeCloseTo(r, 12));
    expect(c.years[1]!.strategies).toEqual({ none: 0.1, hedged: -0.01 });
    // none moves with the index (0.05, 0.1, −0.02, 0.2 against 0.1, 0.1, −0.1, 0.2).
    expect(c.correlation.none).toBeGreaterThan(0.8);
    expect(c.correlation.hedged).toBeLessThan(0);
    expect(c.annualized.benchmark).toBeCloseTo((1.1 * 1.1 * 0.9 * 1.2) ** 0.25 - 1, 12);
    expect(c.annualized.none).toBeCloseTo((1.05 * 1.1 * 0.98 * 1.2) ** 0.25 - 1, 12);
    expect(c.covers).toEqual({ from: '2014-12-31', to: '2018-12-31' });
  });

  it('takes the nearest close before a year’s end within the slack, and leaves out a year it cannot close', () => {
    const bars = [
      { date: '2014-12-30', close: 100 }, // the run starts 2015-01-02: the close before it, 3 days earlier
      { date: '2015-12-30', close: 110 }, // one day before the run's 2015 end
      // 2016: the index stopped printing in November, more than the slack before the run's last 2016 session
      { date: '2016-11-15', close: 120 },
      { date: '2017-12-29', close: 132 },
      { date: '2018-12-31', close: 145.2 },
    ];
    expect(BENCHMARK_SLACK_DAYS).toBeLessThan(45);
    const c = benchmarkComparison(report, bars, 'X');
    // 2016 has no end; 2017 has no start (the 2016 end): both are left out.
    expect(c.missing).toEqual(['2016', '2017']);
    expect(c.years.map((y) => y.year)).toEqual(['2015', '2018']);
    expect(c.years[0]!.benchmark).toBeCloseTo(0.1, 12);
    expect(c.years[1]!.benchmark).toBeCloseTo(0.1, 12);
    expect(c.correlation.none).toBeNull(); // two years
  });

  it('compares nothing with an index that ends before the run', () => {
    const c = benchmarkComparison(report, [{ date: '2001-01-02', close: 50 }], 'old');
    expect(c.years).toEqual([]);
    expect(c.missing).toEqual(['2015', '2016', '2017', '2018']);
    expect(c.annualized.benchmark).toBeNull();
  });
});
