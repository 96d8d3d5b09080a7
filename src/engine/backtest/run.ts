/**
 * The P/L backtest (#15): the condor book with each hedge strategy, day by day, 1990–2026. Pure and deterministic:
 * histories in, a plain JSON-able report out; runs in the worker (progress through an optional callback) and in
 * the CLI.
 *
 * How a day is run, per strategy (strategyRun.ts, one StrategyRun each):
 * - every day: the condor book (shared by all strategies, book.ts) and the strategy's hedge legs are marked at the
 *   model's mid (pricing.ts); legs at expiry settle at intrinsic; the account earns the day's T-bill rate.
 * - on decision days only, the live plan is asked through the session (ask.ts: createSession → state.plan, plan
 *   only), with a model chain of the day (modelChain.ts), the condor as the position, the strategy's hedges as held
 *   hedges, and the VIX history up to that close. Its tickets are added to the book at their assumed fill plus
 *   commissions (the plan's own fill rule); in Unwind, its unwind tickets close the held hedges.
 *   A decision day is a day with a condor open on which the VIX-alone stage machine (computed once for the whole
 *   history, signalCache.ts) enters Layer One, the Second Engine or Unwind, or a day in Unwind on which a strategy
 *   still holds hedges, DECISION_CADENCE sessions after it last asked (elsewhere hedges run to their expiry), and on
 *   which the answer can change something: a layer the strategy picks and has not taken this episode, a hedge held,
 *   or a roll looked for (a strategy that has taken all it picks and holds nothing is not asked). The
 *   strategies step through the days together: the plan is shared between strategies asking the same question (same
 *   day, rulebook, held hedges, condors and rounded account), the day's model chains and their fits between all;
 *   a question that can take nothing (no layer read, or the unwind of no hedge) needs only the plan's stage, and
 *   takes it from a plan asked that day with the same rulebook (the stage does not depend on the rest).
 * - The strategy takes at most one ticket per layer per episode (an episode ends when the VIX-alone stage is Calm).
 * - Time-shift (ALVH only: a strategy whose picks name a timeShift): on a day a short strike of the open condor is
 *   breached or near it (stages.ts breachDistance on the model's expected move, timeShiftBreachExpectedMoves, at
 *   least timeShiftMinDaysLeft days left) and that trade not rolled yet, the plan is asked too; when its stage is
 *   Time-shift, the strategy takes its Time-shift step (strategies.ts pickTicket 'time-shift'). The roll's legs, for
 *   the strategy's whole condor quantity, are held beside the shared book: the legs it closes offset the book's
 *   condor legs (both settle at the condor's expiry, net zero), its new legs are marked and settled like the hedges.
 *   They are never shown to the plan as hedges (it would unwind them). On a breach day that is not a decision day,
 *   only the roll is taken.
 *   (Only the Time-shift layer is priced on such a day, PlanInput.layers.)
 *
 * Stated approximations (in the report's caveats): at most one roll per condor trade, as the plan keeps seeing the
 * condor as opened (its Layer One and Second Engine sizing after a roll too); the book's own rules (the trader
 * preset's profit take and 21 days) read the condor as opened, and a trade the book closes early takes the roll's
 * legs on its expiry with it. Not modelled: early assignment, the morning settlement of monthly SPX and VIX options.
 */
import type { HedgePlan } from '../alvh/plan';
import type { Rulebook } from '../alvh/rulebook';
import { prepareVixSignals, type VixSignalCache } from '../alvh/signalCache';
import { dollarOnDates } from '../macro/gauges';
import type { VolStage } from '../alvh/stages';
import { DEFAULT_ACCOUNT, runCondorBook, type Account, type BookRules, type CondorBook, type Costs } from './book';
import type { Market } from './market';
import { backtestSession } from './ask';
import { dayChains, type DayChains } from './modelChain';
import { namedSpikes, type SpikeWindow } from './stats';
import { ALVH_MACRO, OPTIONAL_STRATEGIES, STRATEGIES, type StrategySpec } from './strategies';
import { StrategyRun, type RunShared, type StrategyResult } from './strategyRun';

export { DECISION_CADENCE, type StrategyResult } from './strategyRun';

export interface BacktestOptions {
  market: Market;
  rulebook: Rulebook;
  book: BookRules;
  account?: Account;
  /** Strategy ids (default: all). */
  strategies?: readonly string[];
  /** Extra strategies (e.g. one with its own rulebook); appended to the built-in ones. */
  extraStrategies?: readonly StrategySpec[];
  /** Called with the fraction done (0…1), a few hundred times at most. */
  onProgress?: (fraction: number) => void;
  /**
   * Filled with the run's timings when given (kept out of the report, so the same inputs give the same report,
   * byte for byte).
   */
  timing?: BacktestTiming;
}

export interface BacktestTiming {
  /** The condor book, the VIX signals and stages, the spike windows. */
  sharedMs: number;
  totalMs: number;
  /** Session recomputes (plan questions), after sharing between strategies. */
  sessionCalls: number;
  /** Each strategy's own work, milliseconds. */
  strategyMs: Record<string, number>;
}

export interface BacktestReport {
  from: string;
  to: string;
  days: number;
  dates: string[];
  book: {
    rules: BookRules;
    account: Account;
    costs: Costs;
    trades: number;
  };
  rulebook: { name: string; version: number };
  stageDays: Record<VolStage, number>;
  spikes: SpikeWindow[];
  strategies: StrategyResult[];
  notes: string[];
  caveats: string[];
}

const now = (): number => (typeof performance !== 'undefined' ? performance.now() : Date.now());

export function runPnlBacktest(opts: BacktestOptions): BacktestReport {
  const t0 = now();
  const timed = opts.timing !== undefined;
  const { market, rulebook } = opts;
  const days = market.days;
  const n = days.length;
  const account = opts.account ?? DEFAULT_ACCOUNT;
  const t = rulebook.thresholds;
  const costs: Costs = { fillFraction: t.fillSpreadFraction, commissionPerContract: t.commissionPerContractDollars };
  const progress = opts.onProgress ?? (() => {});

  // ---- Shared: the condor book, the VIX signals and the VIX-alone stages ----
  const book = runCondorBook(days, opts.book, costs);
  // The dollar gauge on every VIX bar, for the strategies that judge the Second Engine's macro condition (#21).
  const macroSeries = market.macroSeries ?? [];
  const dollar = macroSeries.length
    ? dollarOnDates(
        new Map(macroSeries.map((x) => [x.id, x])),
        market.vixBars.map((b) => b.date),
      )
    : null;
  const dollarBars = dollar ? market.vixBars.map((b, i) => ({ ...b, dollar: dollar[i]! })) : null;
  const all = [...STRATEGIES, ...(dollarBars ? [ALVH_MACRO] : []), ...(opts.extraStrategies ?? [])];
  const named = [...all, ...OPTIONAL_STRATEGIES];
  const unknown = (opts.strategies ?? []).filter((id) => !named.some((s) => s.id === id));
  if (unknown.length > 0)
    throw new Error(`unknown strategy ${unknown.join(', ')}; known: ${named.map((s) => s.id).join(', ')}`);
  const chosen = opts.strategies ? opts.strategies.map((id) => named.find((s) => s.id === id)!) : all;
  const caches = new Map<string, VixSignalCache>();
  const cacheIds = new Map<Rulebook, number>();
  const cacheFor = (rb: Rulebook, macro = false) => {
    if (!cacheIds.has(rb)) cacheIds.set(rb, cacheIds.size);
    const key = `${cacheIds.get(rb)}|${macro && dollarBars ? 'dollar' : 'vix'}`;
    let c = caches.get(key);
    if (!c) {
      const points = macro && dollarBars ? dollarBars : market.vixBars;
      c = prepareVixSignals({ points, thresholds: rb.thresholds });
      caches.set(key, c);
    }
    return c;
  };
  const baseCache = cacheFor(rulebook);
  const barIndex = new Map(market.vixBars.map((b, i) => [b.date, i]));
  const stageOf = (cache: VixSignalCache, date: string): VolStage => cache.states[barIndex.get(date)!]!.vol;
  const stageDays: Record<VolStage, number> = { calm: 0, 'layer-one': 0, 'second-engine': 0, unwind: 0 };
  for (const d of days) stageDays[stageOf(baseCache, d.date)]++;
  const spikes = namedSpikes(days);
  const sharedMs = now() - t0;
  progress(0.05);

  // ---- The plan, asked through the session; shared between strategies asking the same question ----
  // The strategies step through the days together, so what is shared lives for one day: the plans asked, the
  // model chains (and their rows).
  let planMemo = new Map<string, HedgePlan | null>();
  // The plan's stage on the day, by rulebook: it does not depend on the layers priced, the hedges held, the account
  // or the number of condors (the stage machine reads the VIX and the condor's per-condor criteria: its strikes,
  // deltas, breakevens and worst stress loss per dollar of credit). A question that reads no layer (it is asked
  // only to learn the plan's stage) takes it from a plan already asked that day with the same rulebook.
  let stageMemo = new Map<string, HedgePlan['stage']>();
  const stageKey = (rb: Rulebook, macro: boolean) =>
    `${rulebook === rb ? '' : rb.name}|${macro && dollarBars ? 'macro' : ''}`;
  // Made when the day's first question is asked (most days ask none).
  let chains: DayChains | null = null;
  let sessionCalls = 0;
  const askPlan: RunShared['ask'] = (i, rb, quantity, held, equity, macro, layerOneDeclined, reads) => {
    const day = days[i]!;
    const trade = book.trades[book.openAt[i]!]!;
    const layers = reads.layers;
    // Structures matter only where Layer One or the Second Engine is priced.
    const structures =
      reads.structures && layers.some((l) => l === 'layer-one' || l === 'second-engine') ? reads.structures : null;
    const key = `${day.date}|${stageKey(rb, macro)}|${layerOneDeclined ? 'no-l1' : ''}|${layers.join('+')}|${structures ? structures.join('+') : 'all'}|${quantity}|${equity}|${held.map((l) => `${l.under}${l.kind}${l.strike}${l.expiry}${l.qty}`).join(',')}`;
    if (planMemo.has(key)) return planMemo.get(key)!;
    sessionCalls++;
    const session = backtestSession({
      chains: (chains ??= dayChains(day)),
      trade,
      quantity,
      rulebook: rb,
      // The whole history: the session keeps the closes up to the day's (those after it had not happened yet).
      vixHistory: market.vixBars,
      vixSignalCache: cacheFor(rb, macro),
      macroSeries: macro ? macroSeries : [],
      equity,
      held,
      layerOneDeclined,
      layers,
      ...(structures ? { structures } : {}),
    });
    const state = session.recompute();
    const plan = state.status === 'ready' ? state.plan : null;
    planMemo.set(key, plan);
    if (plan) stageMemo.set(stageKey(rb, macro), plan.stage);
    return plan;
  };

  // ---- Each strategy ----
  const shared: RunShared = {
    days,
    book,
    costs,
    account,
    rulebook,
    ask: askPlan,
    knownStage: (rb, macro) => stageMemo.get(stageKey(rb, macro)),
  };
  const stagesOf = new Map<VixSignalCache, VolStage[]>();
  const runners = chosen.map((spec) => {
    const rb = spec.rulebook ? spec.rulebook(rulebook) : rulebook;
    const cache = cacheFor(rb, spec.macro === true);
    let stages = stagesOf.get(cache);
    if (!stages) stagesOf.set(cache, (stages = days.map((d) => stageOf(cache, d.date))));
    return new StrategyRun(spec, rb, stages, shared);
  });
  const strategyMs: Record<string, number> = {};
  for (const r of runners) strategyMs[r.id] = 0;
  const newDay = () => {
    planMemo = new Map();
    stageMemo = new Map();
    chains = null;
  };
  stepDays(runners, n, newDay, progress, timed ? strategyMs : null);
  const results = runners.map((r) => {
    const s0 = now();
    const result = r.finish(spikes);
    strategyMs[r.id]! += now() - s0;
    return result;
  });
  progress(1);
  if (opts.timing) Object.assign(opts.timing, { sharedMs, totalMs: now() - t0, sessionCalls, strategyMs });
  return {
    from: days[0]!.date,
    to: days[n - 1]!.date,
    days: n,
    dates: days.map((d) => d.date),
    book: {
      rules: opts.book,
      account,
      costs,
      trades: book.trades.length,
    },
    rulebook: { name: rulebook.name, version: rulebook.version },
    stageDays,
    spikes,
    strategies: results,
    notes: [...market.notes, `rates: ${market.rateSource}`],
    caveats: [...CAVEATS],
  };
}

/**
 * The strategies through the days together: what they share lives for one day (newDay lets it go). A function of its
 * own: the loop runs once, long, and the compiler compiles it while it runs. `strategyMs`: each strategy's time,
 * when asked for (the bench); two clock reads per strategy and day are 110,000 a run, and a browser's clock is not
 * free (0.34 µs a read in Chromium's worker, 0.09 µs in Node: 37 ms of a run).
 */
function stepDays(
  runners: readonly StrategyRun[],
  n: number,
  newDay: () => void,
  progress: (fraction: number) => void,
  strategyMs: Record<string, number> | null,
): void {
  for (let i = 0; i < n; i++) {
    if (i > 0) newDay();
    if (strategyMs)
      for (const r of runners) {
        const s0 = now();
        r.step(i);
        strategyMs[r.id]! += now() - s0;
      }
    else for (const r of runners) r.step(i);
    if ((i & 255) === 0) progress(0.05 + (0.95 * i) / n);
  }
}

export type { CondorBook };

export const CAVEATS: readonly string[] = [
  'Option prices are modelled, not quoted: SPX options from a smile whose level is the VIX, VIX options on a modelled VIX future (docs/BACKTEST_MODEL.md). Real fills in a crash were wider than the stated spread model.',
  'VIX options were listed only from February 2006 and SPXW weeklies from October 2005: before those dates the strategies trade instruments that did not exist.',
  'Time-shift rolls are taken by ALVH only (with and without the macro gate), at most one per condor trade, when a short strike is within the rulebook’s breach distance and the plan’s stage is Time-shift; the other strategies hold the condors to the book’s rules. After a roll the plan still sees the condor as opened (its Layer One and Second Engine sizing too), and the book’s management rules read the condor as opened.',
  'Monthly SPX and VIX options settle at the close of their expiry date here (really at the next morning’s opening quotation).',
];
