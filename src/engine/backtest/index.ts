/**
 * The P/L backtest's public face (#15), for the CLI and the worker (the Options page's chart):
 * - runBacktestFromTexts: the history files' texts in, the report out (one call; throws BacktestInputError with the
 *   file and line named when a file is wrong, short, unsorted or gappy);
 * - buildMarket + runPnlBacktest: the same in two steps (parse once, run several rulebooks);
 * - backtestChartSvg: the report's equity curves and drawdowns as an SVG string; equityCsv: the curves as CSV.
 * Pure: no I/O, no DOM; the report is plain JSON (numbers, strings, arrays, records).
 */
import type { Rulebook } from '../alvh/rulebook';
import { DEFAULT_ACCOUNT, PRESETS, type Account, type Preset } from './book';
import { buildMarket, type MarketInputs } from './market';
import { runPnlBacktest, type BacktestReport, type BacktestTiming } from './run';
import type { StrategySpec } from './strategies';

export { backtestChartSvg, equityCsv, escapeXml, type ChartOptions } from './chart';
export { DEFAULT_ACCOUNT, PRESETS, type Account, type BookRules, type Preset } from './book';
export {
  BacktestInputError,
  buildMarket,
  DEFAULT_RATE,
  type HistoryFile,
  type HistorySource,
  type ParsedHistory,
  type Market,
  type MarketInputs,
} from './market';
export {
  CAVEATS,
  DECISION_CADENCE,
  runPnlBacktest,
  type BacktestOptions,
  type BacktestTiming,
  type BacktestReport,
  type StrategyResult,
} from './run';
export { NAMED_SPIKE_YEARS, type SpikeResult, type SpikeWindow, type StrategyFigures } from './stats';
export {
  ALVH_HEDGES_ONLY,
  ALVH_MACRO,
  OPTIONAL_STRATEGIES,
  STRATEGIES,
  strategyById,
  type Pick,
  type StrategySpec,
} from './strategies';

/** The history files (market.ts) and the run's choices. */
export interface BacktestTexts extends MarketInputs {
  rulebook: Rulebook;
  preset?: Preset;
  account?: Account;
  strategies?: readonly string[];
  extraStrategies?: readonly StrategySpec[];
  /** Fraction done, 0…1. */
  onProgress?: (fraction: number) => void;
  /** Filled with the run's timings (kept out of the report). */
  timing?: BacktestTiming;
}

export function runBacktestFromTexts(input: BacktestTexts): BacktestReport {
  const market = buildMarket(input);
  return runPnlBacktest({
    market,
    rulebook: input.rulebook,
    book: PRESETS[input.preset ?? 'cndr'],
    account: input.account ?? DEFAULT_ACCOUNT,
    ...(input.strategies ? { strategies: input.strategies } : {}),
    ...(input.extraStrategies ? { extraStrategies: input.extraStrategies } : {}),
    ...(input.onProgress ? { onProgress: input.onProgress } : {}),
    ...(input.timing ? { timing: input.timing } : {}),
  });
}
