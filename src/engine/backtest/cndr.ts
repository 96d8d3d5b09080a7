/**
 * Cboe's S&P 500 Iron Condor Index (CNDR), as published, to set beside the unhedged index-rules book. Only period
 * figures were found (no year-by-year table): the index level read from Cboe's CNDR dashboard chart, January 1988
 * 99.29 → January 2010 771.31 → January 2019 713.49, as quoted by "Analysis of the CBOE CNDR Index" (the-lazy-trader.com,
 * 14 January 2019, https://www.the-lazy-trader.com/2019/01/analysis-of-cboe-cndr-index-iron-an-iron-condors-benchmark.html).
 * The backtest is not fitted to these: they are printed beside it.
 */
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
  let correlation: number | null = null;
  if (ys.length >= 3) {
    const a = ys.map((y) => published.annual[y]!);
    const b = ys.map((y) => s.annualReturns[y]!);
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
    correlation = saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : null;
  }
  return { source: published.source, strategy: 'none', periods, correlation, years: ys.length };
}
