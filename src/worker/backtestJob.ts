/**
 * The P/L backtest as the Options page asks for it (#15): the stored histories and the trader's rulebook in, the
 * report, its chart and (when the trader is editing a rule) the same run on the edited rulebook out. Pure and
 * synchronous: the backtest worker (backtest.worker.ts) runs it off the page's thread, the tests call it directly.
 */
import type { VixBar } from '../engine/alvh/vixSeries';
import type { Rulebook } from '../engine/alvh/rulebook';
import type { FredSeries } from '../engine/macro/fred';
import {
  backtestChartSvg,
  buildMarket,
  DEFAULT_ACCOUNT,
  PRESETS,
  runPnlBacktest,
  type BacktestReport,
  type Preset,
} from '../engine/backtest';

export interface BacktestJob {
  spx: { name: string; bars: readonly VixBar[] };
  vix: { name: string; bars: readonly VixBar[] };
  macroSeries?: readonly FredSeries[];
  /** The saved rulebook. */
  rulebook: Rulebook;
  /** The rulebook with the trader's unsaved edits: run as well, to show what the change would have done. */
  edited?: Rulebook | null;
  /**
   * The saved rulebook's result from an earlier run on the same inputs (histories, macro series, rulebook, preset,
   * period): kept, not run again, so an edit runs the edited rulebook alone.
   */
  saved?: { report: BacktestReport; chartSvg: string } | null;
  preset: Preset;
  /** The period to run, ISO dates (either may be absent: the start or the end of the shared history). */
  from?: string | null;
  to?: string | null;
}

export interface BacktestJobResult {
  report: BacktestReport;
  /** The same run on the edited rulebook (null: no edit). */
  edited: BacktestReport | null;
  /** The saved rulebook's chart (equity curves and drawdowns), an SVG document. */
  chartSvg: string;
  /**
   * How long the runs made for this job took where they ran (milliseconds of wall time on that thread's clock; the
   * worker's on the Options page), shown to the trader; 0 when nothing ran (the saved run brought back as it was).
   */
  computeMs: number;
}

/**
 * Runs the job; `onProgress` gets the fraction done, 0…1, across the runs made (the saved rulebook's is not made when
 * the job brings it). Throws BacktestInputError on bad data.
 */
export function runBacktestJob(job: BacktestJob, onProgress?: (fraction: number) => void): BacktestJobResult {
  if (job.saved && !job.edited) {
    onProgress?.(1);
    return { report: job.saved.report, edited: null, chartSvg: job.saved.chartSvg, computeMs: 0 };
  }
  const t0 = performance.now();
  const market = buildMarket({
    spx: job.spx,
    vix: job.vix,
    ...(job.macroSeries?.length ? { macroSeries: job.macroSeries } : {}),
    ...(job.from ? { from: job.from } : {}),
    ...(job.to ? { to: job.to } : {}),
  });
  const saved = job.saved ?? null;
  const runs = (saved ? 0 : 1) + (job.edited ? 1 : 0);
  const run = (rulebook: Rulebook, k: number) =>
    runPnlBacktest({
      market,
      rulebook,
      book: PRESETS[job.preset],
      account: DEFAULT_ACCOUNT,
      onProgress: (f) => onProgress?.((k + f) / runs),
    });
  const report = saved ? saved.report : run(job.rulebook, 0);
  const edited = job.edited ? run(job.edited, saved ? 0 : 1) : null;
  const chartSvg = saved ? saved.chartSvg : backtestChartSvg(report);
  onProgress?.(1);
  return { report, edited, chartSvg, computeMs: performance.now() - t0 };
}
