/**
 * Cboe's S&P 500 Iron Condor Index (CNDR), as published, to set beside the unhedged index-rules book. Only period
 * figures were found (no year-by-year table): the index level read from Cboe's CNDR dashboard chart, January 1988
 * 99.29 → January 2010 771.31 → January 2019 713.49, as quoted by "Analysis of the CBOE CNDR Index" (the-lazy-trader.com,
 * 14 January 2019, https://www.the-lazy-trader.com/2019/01/analysis-of-cboe-cndr-index-iron-an-iron-condors-benchmark.html).
 * The backtest is not fitted to these: they are printed beside it.
 */
import { addDays, daysApart } from '../../chain/calendar';
import type { BacktestReport } from './run';

export interface CndrPeriod {
  /** YYYY-MM: the period runs from the first session of `from` to the first session of `to`. */
  from: string;
  to: string;
  /** Index level at each end. */
  levels: [number, number];
}

export const CNDR_PUBLISHED = {
  source: 'Cboe CNDR dashboard levels quoted by the-lazy-trader.com, 14 Jan 2019',
  periods: [
    { from: '1988-01', to: '2010-01', levels: [99.29, 771.31] },
    { from: '2010-01', to: '2019-01', levels: [771.31, 713.49] },
  ] as CndrPeriod[],
  /** Year-by-year returns (year → fraction) when a published table is found; none yet. */
  annual: {} as Record<string, number>,
};

const years = (a: string, b: string) =>
  (Date.parse(`${b}-01T00:00:00Z`) - Date.parse(`${a}-01T00:00:00Z`)) / (365.25 * 86_400_000);

export interface CndrComparison {
  source: string;
  strategy: string;
  periods: { from: string; to: string; published: number; backtest: number | null; overlapFrom: string | null }[];
  correlation: number | null;
  years: number;
}

/** The unhedged strategy's CAGR over each published period (over the part the run covers), and the correlation of
 * annual returns where a year-by-year table exists. */
export function cndrComparison(report: BacktestReport, published = CNDR_PUBLISHED): CndrComparison | null {
  const s = report.strategies.find((x) => x.id === 'none');
  if (!s) return null;
  const at = (month: string): number => report.dates.findIndex((d) => d >= `${month}-01`);
  const periods = published.periods.map((p) => {
    const published = (p.levels[1] / p.levels[0]) ** (1 / years(p.from, p.to)) - 1;
    const i = Math.max(at(p.from), 0);
    const j = at(p.to);
    const from = report.dates[i]!;
    const ok = j > i && from < `${p.to}-01`;
    const backtest = ok
      ? (s.equity[j]! / (i === 0 ? report.book.account.dollars : s.equity[i - 1]!)) **
          (1 / ((Date.parse(report.dates[j]!) - Date.parse(from)) / (365.25 * 86_400_000))) -
        1
      : null;
    return { from: p.from, to: p.to, published, backtest, overlapFrom: ok ? from : null };
  });
  const ys = Object.keys(published.annual).filter((y) => y in s.annualReturns);
  const correlation =
    ys.length >= 3
      ? pearson(
          ys.map((y) => published.annual[y]!),
          ys.map((y) => s.annualReturns[y]!),
        )
      : null;
  return { source: published.source, strategy: 'none', periods, correlation, years: ys.length };
}

/**
 * An index history the trader downloaded (Cboe's CNDR_History.csv, or any index in a DATE…CLOSE layout) set beside
 * the run, year by year: each strategy's annual return (report.strategies[].annualReturns, from the account at the
 * run's start or the last close of the year before) and the index's over the same span (its close on the run's last
 * session of the year, or the nearest before it within BENCHMARK_SLACK_DAYS, against the same at the previous year's
 * end; the first year from its close before the run's first session). A year the index does not cover at both ends
 * is left out and named. Correlation of annual returns over the years in common (three at least), and the growth
 * over them as a yearly rate.
 */
export interface BenchmarkComparison {
  name: string;
  /** The index history's first and last close. */
  covers: { from: string; to: string };
  years: { year: string; benchmark: number; strategies: Record<string, number> }[];
  /** Years of the run the index does not cover at both ends. */
  missing: string[];
  /** Per strategy id: correlation of its annual returns with the index's (null under three years). */
  correlation: Record<string, number | null>;
  /** Per strategy id and 'benchmark': the years in common compounded, per year counted (a part year counts as one). */
  annualized: Record<string, number | null>;
}

/** How far before a year's last session the index's close may be and still stand for it (a holiday, a late file). */
export const BENCHMARK_SLACK_DAYS = 5;

export function benchmarkComparison(
  report: BacktestReport,
  bars: readonly { date: string; close: number }[],
  name: string,
): BenchmarkComparison {
  // The index's close on `date` or the nearest before it, within the slack; null without one.
  const closeOn = (date: string, slack = BENCHMARK_SLACK_DAYS): number | null => {
    let lo = 0;
    let hi = bars.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (bars[mid]!.date <= date) lo = mid + 1;
      else hi = mid;
    }
    const b = lo > 0 ? bars[lo - 1]! : null;
    return b && daysApart(b.date, date) <= slack ? b.close : null;
  };
  // The run's last session of each year, in order.
  const ends: { year: string; date: string }[] = [];
  for (let i = 0; i < report.dates.length; i++) {
    const d = report.dates[i]!;
    const next = report.dates[i + 1];
    if (next === undefined || next.slice(0, 4) !== d.slice(0, 4)) ends.push({ year: d.slice(0, 4), date: d });
  }
  // The first year starts from the index's close before the run's first session (the account before its first day).
  const years: BenchmarkComparison['years'] = [];
  const missing: string[] = [];
  let start = closeOn(addDays(report.from, -1));
  for (const e of ends) {
    const end = closeOn(e.date);
    const strategies: Record<string, number> = {};
    for (const s of report.strategies) {
      const r = s.annualReturns[e.year];
      if (r !== undefined) strategies[s.id] = r;
    }
    if (start !== null && end !== null && start > 0)
      years.push({ year: e.year, benchmark: end / start - 1, strategies });
    else missing.push(e.year);
    start = end;
  }
  const correlation: Record<string, number | null> = {};
  const annualized: Record<string, number | null> = {};
  const compound = (rs: number[]) => (rs.length ? rs.reduce((g, r) => g * (1 + r), 1) ** (1 / rs.length) - 1 : null);
  annualized.benchmark = compound(years.map((y) => y.benchmark));
  for (const s of report.strategies) {
    const both = years.filter((y) => s.id in y.strategies);
    correlation[s.id] = pearson(
      both.map((y) => y.benchmark),
      both.map((y) => y.strategies[s.id]!),
    );
    annualized[s.id] = compound(both.map((y) => y.strategies[s.id]!));
  }
  return {
    name,
    covers: { from: bars[0]?.date ?? '', to: bars[bars.length - 1]?.date ?? '' },
    years,
    missing,
    correlation,
    annualized,
  };
}

/** Pearson's correlation of two equally long series; null under three points or with no spread. */
function pearson(a: readonly number[], b: readonly number[]): number | null {
  if (a.length < 3 || a.length !== b.length) return null;
  const ma = a.reduce((x, y) => x + y, 0) / a.length;
  const mb = b.reduce((x, y) => x + y, 0) / b.length;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let k = 0; k < a.length; k++) {
    sab += (a[k]! - ma) * (b[k]! - mb);
    saa += (a[k]! - ma) ** 2;
    sbb += (b[k]! - mb) ** 2;
  }
  return saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : null;
}
