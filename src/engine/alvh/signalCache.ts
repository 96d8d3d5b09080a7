/**
 * The VIX signals and the stage machine's VIX-alone states of a whole history, computed once, for callers that ask
 * the plan about many days of the same history (the P/L backtest, #15). The plan replays the machine over every bar
 * before today with no position (stageGate.ts runMachine); bar i's signals depend on the closes up to i only (RSI,
 * MACD and the histogram's run are causal), so a prefix of the cached bars and the cached state after the bar before
 * today give the plan exactly what its own replay would — in microseconds instead of a replay of ~9,000 bars.
 *
 * The cache is used only when the plan's series is a prefix of it (same first bar, same last date and close, same
 * VIX3M and dollar reading on it, a dollar on both or on neither) and it was computed with the plan's own thresholds
 * object; otherwise the plan computes as before.
 */
import type { FredSeries } from '../macro/fred';
import type { DollarOnBar } from '../macro/gauges';
import type { Thresholds } from './rulebook';
import type { VixBar } from './vixSeries';
import { computeVixSignals, type VixSignalBar } from './signals';
import { replayStates, type StageState } from './stages';

export interface VixSignalCache {
  thresholds: Thresholds;
  bars: VixSignalBar[];
  /** The machine's state after each bar, from the VIX alone (no position, no macro events). */
  states: StageState[];
  /** Whether the bars carry the dollar gauge (the Second Engine's macro condition). */
  withDollar: boolean;
}

type Point = { date: string; close: number; vix3m?: number; dollar?: DollarOnBar | null };

export function prepareVixSignals(params: { points: readonly Point[]; thresholds: Thresholds }): VixSignalCache {
  return cacheOfBars(computeVixSignals(params), params.thresholds);
}

/** The cache of signal bars already computed (with these thresholds): their VIX-alone states replayed. */
function cacheOfBars(bars: VixSignalBar[], thresholds: Thresholds): VixSignalCache {
  return { thresholds, bars, states: replayStates(bars, thresholds), withDollar: bars.some((b) => b.dollar) };
}

/** The cached signals of `points` and the state before its last bar, or null when the cache does not cover them. */
export function fromCache(
  cache: VixSignalCache | null | undefined,
  points: readonly Point[],
  thresholds: Thresholds,
): { bars: VixSignalBar[]; before: StageState } | null {
  if (!covers(cache, points, thresholds)) return null;
  const n = points.length;
  if (cache.withDollar !== points.some((p) => p.dollar)) return null;
  if ((cache.bars[n - 1]!.dollar?.figure ?? null) !== (points[n - 1]!.dollar?.figure ?? null)) return null;
  return { bars: cache.bars.slice(0, n), before: cache.states[n - 2]! };
}

/**
 * A plan's own history's cache, kept with the history between plans (the live page recomputes the plan on every
 * update with today's value appended, on the same history array: the session keeps its cut), for the thresholds and
 * macro series it was made with. `bars`: the plan's signal bars, whose first ones are the history's (a bar's signals
 * read the closes up to it only). Null for a history of under about a year: replaying that costs little.
 */
export function keptHistoryCache(
  history: readonly VixBar[],
  bars: readonly VixSignalBar[],
  thresholds: Thresholds,
  macro: readonly FredSeries[] | undefined,
): VixSignalCache | null {
  if (history.length < 250 || bars.length < history.length) return null;
  const kept = keptHistory.get(history);
  if (kept && kept.cache.thresholds === thresholds && sameSeries(kept.macro, macro)) return kept.cache;
  const cache = cacheOfBars(bars.slice(0, history.length), thresholds);
  keptHistory.set(history, { macro, cache });
  return cache;
}

const keptHistory = new WeakMap<
  readonly VixBar[],
  { macro: readonly FredSeries[] | undefined; cache: VixSignalCache }
>();

const sameSeries = (a: readonly FredSeries[] | undefined, b: readonly FredSeries[] | undefined): boolean =>
  (a?.length ?? 0) === (b?.length ?? 0) && (a ?? []).every((x, i) => x === b![i]);

/**
 * The machine's state after the second-to-last of `points` from a cache of the bars before it, when the cache covers
 * every point but the last (today's live value appended to a history): the plan then steps only today's bar instead
 * of replaying the history (stageGate.ts runMachine). The states of earlier bars depend only on the points up to
 * them, so they are those a replay of these points would give.
 */
export function stateBeforeLast(
  cache: VixSignalCache | null | undefined,
  points: readonly Point[],
  thresholds: Thresholds,
): StageState | null {
  const n = points.length;
  if (n < 3 || !covers(cache, points, thresholds, n - 1)) return null;
  if (cache.withDollar !== points.some((p) => p.dollar)) return null;
  if ((cache.bars[n - 2]!.dollar?.figure ?? null) !== (points[n - 2]!.dollar?.figure ?? null)) return null;
  return cache.states[n - 2]!;
}

/**
 * fromCache for a history with nothing appended (the backtest's question): the bars are read as they are, so the
 * plan need not make a point of each of them first. `lastDollar`: the dollar gauge the plan reads on the last bar
 * (null: it reads none); the cache must carry the dollar exactly then, with the same figure on that bar — the test
 * fromCache makes on the points. What the plan reads with the state before the last bar is the last bar's signals
 * alone (`last`): the bars before it are not copied out of the cache (a copy of up to 9,000 bars a day).
 */
export function fromCacheOfBars(
  cache: VixSignalCache | null | undefined,
  bars: readonly Point[],
  thresholds: Thresholds,
  lastDollar: DollarOnBar | null = null,
): { last: VixSignalBar; before: StageState } | null {
  if (!covers(cache, bars, thresholds) || cache.withDollar !== (lastDollar !== null)) return null;
  const n = bars.length;
  const last = cache.bars[n - 1]!;
  if (lastDollar && (last.dollar?.figure ?? null) !== lastDollar.figure) return null;
  return { last, before: cache.states[n - 2]! };
}

/** Whether the cache, made with these thresholds, starts with the series' first bar and has its n-th (its last). */
function covers(
  cache: VixSignalCache | null | undefined,
  series: readonly Point[],
  thresholds: Thresholds,
  n = series.length,
): cache is VixSignalCache {
  if (!cache || cache.thresholds !== thresholds || n < 2 || n > cache.bars.length) return false;
  const first = cache.bars[0]!;
  const last = cache.bars[n - 1]!;
  const s0 = series[0]!;
  const sn = series[n - 1]!;
  return (
    first.date === s0.date &&
    first.close === s0.close &&
    last.date === sn.date &&
    last.close === sn.close &&
    (last.vix3m ?? null) === (sn.vix3m ?? null)
  );
}
