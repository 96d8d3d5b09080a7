/**
 * The P/L backtest (#15): the condor book with each hedge strategy, day by day, 1990–2026. Pure and deterministic:
 * histories in, a plain JSON-able report out; runs in the worker (progress through an optional callback) and in
 * the CLI.
 *
 * How a day is run, per strategy:
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
import type { HedgePlan, Layer, Structure } from '../alvh/plan';
import type { Rulebook } from '../alvh/rulebook';
import { prepareVixSignals, type VixSignalCache } from '../alvh/signalCache';
import { dollarOnDates } from '../macro/gauges';
import { breachDistance, type VolStage } from '../alvh/stages';
import type { Thresholds } from '../alvh/rulebook';
import {
  condorLegs,
  condorQuantity,
  DEFAULT_ACCOUNT,
  fillPrice,
  legCloseFlow,
  runCondorBook,
  type Account,
  type BookLeg,
  type BookRules,
  type CondorBook,
  type CondorTrade,
  type Costs,
} from './book';
import { daysBetween, vixExpiriesAfter } from './calendar';
import type { Market } from './market';
import type { MarketDay } from './model';
import { backtestSession, type Held } from './ask';
import { dayChains, type DayChains } from './modelChain';
import { vixModel } from './model';
import { MULTIPLIER, optionValue, spxExpectedMove, vixDelta, yearsTo } from './pricing';
import { figuresOf, namedSpikes, type SpikeWindow, type StrategyFigures } from './stats';
import {
  ALVH_MACRO,
  OPTIONAL_STRATEGIES,
  declinesLayerOne,
  layerOfPick,
  pickTicket,
  STRATEGIES,
  structuresOfPick,
  type StrategySpec,
} from './strategies';

/** Sessions between two plan checks while a strategy holds hedges in Unwind (hedges left open are asked again). */
export const DECISION_CADENCE = 1;

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

export interface StrategyResult extends StrategyFigures {
  id: string;
  label: string;
  /** Plan questions asked (session recomputes) and tickets taken. */
  decisions: number;
  tickets: {
    date: string;
    layer: string;
    structure: string;
    quantity: number;
    costDollars: number;
    /** A time-shift roll's legs as held: signed contracts (the strategy's condor quantity × ratio), fill per share. */
    legs?: { kind: 'call' | 'put'; strike: number; expiry: string; qty: number; fill: number }[];
  }[];
  /** Account value at each close, dollars (index-aligned with `dates`). */
  equity: number[];
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

/**
 * A leg a strategy holds: a hedge (Layer One, the Second Engine), or a leg of a time-shift roll of condor trade
 * `trade` (the roll's closing legs offset the book's condor legs; its new legs are the strategy's own).
 */
type Leg = Held | (BookLeg & { layer: 'time-shift'; trade: number });
const isHedge = (l: Leg): l is Held => l.layer !== 'time-shift';

/**
 * Whether a short strike of the condor is breached or near it at this close, as the stage machine reads it
 * (stages.ts breachDistance against timeShiftBreachExpectedMoves, at least timeShiftMinDaysLeft days left), on the
 * model's expected move to the condor's expiry. The backtest asks the plan on these days; the plan decides.
 */
function breached(day: MarketDay, trade: CondorTrade, t: Thresholds): boolean {
  if (daysBetween(day.date, trade.expiry) < t.timeShiftMinDaysLeft) return false;
  const em = spxExpectedMove(day, trade.expiry);
  if (em === null) return false;
  const d = breachDistance({
    underlying: day.spx,
    shortPutStrike: trade.strikes[1],
    shortCallStrike: trade.strikes[2],
    expectedMovePoints: em,
  });
  return d !== null && d <= t.timeShiftBreachExpectedMoves;
}

const now = (): number => (typeof performance !== 'undefined' ? performance.now() : Date.now());

function settleValue(day: MarketDay, l: BookLeg): number {
  const s = l.under === 'SPX' ? day.spx : day.vix;
  return Math.max(l.kind === 'call' ? s - l.strike : l.strike - s, 0);
}

/** Legs whose expiry has come by this close (the last session on or before the expiry date). */
const expiring = (l: BookLeg, date: string, next: string | null) =>
  l.expiry <= date || (next !== null && l.expiry < next);

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
  const askPlan = (
    i: number,
    rb: Rulebook,
    quantity: number,
    held: readonly Held[],
    equity: number,
    macro: boolean,
    layerOneDeclined: boolean,
    reads?: Reads,
  ): HedgePlan | null => {
    const day = days[i]!;
    const trade = book.trades[book.openAt[i]!]!;
    const layers = reads?.layers;
    // Structures matter only where Layer One or the Second Engine is priced.
    const structures =
      reads?.structures && layers?.some((l) => l === 'layer-one' || l === 'second-engine') ? reads.structures : null;
    const key = `${day.date}|${stageKey(rb, macro)}|${layerOneDeclined ? 'no-l1' : ''}|${layers ? layers.join('+') : 'all'}|${structures ? structures.join('+') : 'all'}|${quantity}|${equity}|${held.map((l) => `${l.under}${l.kind}${l.strike}${l.expiry}${l.qty}`).join(',')}`;
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
      ...(layers ? { layers } : {}),
      ...(structures ? { structures } : {}),
    });
    const state = session.recompute();
    const plan = state.status === 'ready' ? state.plan : null;
    planMemo.set(key, plan);
    if (plan) stageMemo.set(stageKey(rb, macro), plan.stage);
    return plan;
  };

  // ---- Each strategy ----
  const strategyMs: Record<string, number> = {};
  const runners = chosen.map((spec) => {
    strategyMs[spec.id] = 0;
    const rb = spec.rulebook ? spec.rulebook(rulebook) : rulebook;
    const cache = cacheFor(rb, spec.macro === true);
    const equity = new Float64Array(n);
    const tickets: StrategyResult['tickets'] = [];
    const hedgeCost = new Map<string, number>();
    const held: Leg[] = [];
    const rolled = new Set<number>(); // condor trades this strategy has rolled (at most one roll per trade)
    let cash = 0; // hedge and condor cash flows, dollars
    const qty = new Float64Array(book.trades.length); // condors held on each trade
    let interest = 0;
    let decisions = 0;
    let lastAsked = -Infinity;
    let taken = new Set<string>(); // layers taken this episode
    let prevStage: VolStage = 'calm';
    let vxthExpiry: string | null = null;
    const pay = (date: string, dollars: number) => {
      cash -= dollars;
      if (dollars > 0) hedgeCost.set(date.slice(0, 4), (hedgeCost.get(date.slice(0, 4)) ?? 0) + dollars);
    };
    /**
     * The book closed rolled trade k before its expiry (the trader preset's management): its roll legs on the
     * condor's expiry go with it. A closing leg of the roll offsets a book leg the book has just bought back, so that
     * trade is undone (no cost: the strategy no longer held the leg); any other leg there is closed at the fill.
     * Legs on later expiries stay to their own expiry.
     */
    const closeRoll = (day: MarketDay, k: number): number => {
      const trade = book.trades[k]!;
      if (trade.why === 'expiry') return 0;
      const unit = condorLegs(trade.strikes, trade.expiry, 1);
      let flow = 0;
      for (let j = held.length - 1; j >= 0; j--) {
        const h = held[j]!;
        if (h.layer !== 'time-shift' || h.trade !== k || h.expiry !== trade.expiry) continue;
        const offsets = unit.some(
          (u) => u.kind === h.kind && u.strike === h.strike && Math.sign(u.qty) === -Math.sign(h.qty),
        );
        flow += offsets ? -legCloseFlow(day, { ...h, qty: -h.qty }, costs) : legCloseFlow(day, h, costs);
        held.splice(j, 1);
      }
      return flow;
    };
    const step = (i: number) => {
      const day = days[i]!;
      const next = i + 1 < days.length ? days[i + 1]!.date : null;
      const prevEquity = i === 0 ? account.dollars : equity[i - 1]!;
      if (i > 0) interest += prevEquity * (Math.exp(day.rate * yearsTo(days[i - 1]!.date, day.date)) - 1);
      // Settle the hedge legs that expire by this close.
      for (let k = held.length - 1; k >= 0; k--) {
        const l = held[k]!;
        if (expiring(l, day.date, next)) {
          cash += l.qty * settleValue(day, l) * MULTIPLIER;
          held.splice(k, 1);
        }
      }
      const stage = stageOf(cache, day.date);
      if (stage === 'calm') taken = new Set();
      // The condor book: the trade closed today, the trade opened today (sized on the account at the last close).
      if (book.closedAt[i]! >= 0) {
        const k = book.closedAt[i]!;
        cash += qty[k]! * book.closeFlow[i]!;
        if (rolled.has(k)) cash += closeRoll(day, k);
      }
      if (book.openedAt[i]! >= 0) {
        const k = book.openedAt[i]!;
        qty[k] = condorQuantity(book.trades[k]!, prevEquity, account);
        cash += qty[k]! * book.openFlow[i]!;
      }
      const condorMark = book.openAt[i]! >= 0 ? qty[book.openAt[i]!]! * book.mark[i]! : 0;
      const eqNow = account.dollars + cash + interest + condorMark + markOf(day, held);

      if (spec.kind === 'plan' && book.openAt[i]! >= 0) {
        const open = book.openAt[i]!;
        const hedges = held.filter(isHedge);
        const entered = stage !== prevStage && stage !== 'calm';
        const due = hedges.length > 0 && stage === 'unwind' && i - lastAsked >= DECISION_CADENCE;
        // A short strike breached or near it, and this trade not rolled yet: the plan is asked for its Time-shift.
        const breach =
          spec.picks?.timeShift != null && !rolled.has(open) && breached(day, book.trades[open]!, rb.thresholds);
        // Whatever stage the plan is in, can its answer change anything? A roll to look for, a hedge held (to unwind),
        // or a layer the strategy picks and has not taken this episode. If not, the question is not asked.
        const actionable =
          breach ||
          hedges.length > 0 ||
          readsOf(spec, 'layer-one', taken).layers.length > 0 ||
          readsOf(spec, 'second-engine', taken).layers.length > 0;
        if ((entered || due || breach) && actionable) {
          lastAsked = i;
          decisions++;
          // The plan reads the held hedges only to unwind them, so outside Unwind it is asked without them, and the
          // account rounded to two significant figures: strategies asking the same question share the answer. The
          // roll's legs are never shown as hedges (the plan would unwind them); it sees the condor as opened.
          // Only what the strategy would read is priced (PlanInput.layers and .structures): its pick in the stage,
          // and the Time-shift on a breach day. The plan's stage can differ from the VIX-alone one (today's position
          // criterion): then it is asked again with what that stage's pick reads.
          const ask = (reads: Reads) =>
            askPlan(
              i,
              rb,
              Math.max(1, Math.round(qty[open]!)),
              stage === 'unwind' ? hedges : [],
              roundSignificant(eqNow, 2),
              spec.macro === true,
              declinesLayerOne(spec),
              reads,
            );
          const decides = entered || due;
          // The plan's stage today, when a plan of the day with this rulebook has told it (it depends on nothing
          // else the strategies differ in): the question reads what the pick of that stage reads, not the VIX-alone
          // stage's (a Time-shift stage keeps the VIX-alone stage's pick, as below). A strategy that can take
          // nothing in that stage asks nothing.
          const known = stageMemo.get(stageKey(rb, spec.macro === true));
          const reads = decides
            ? readsOf(spec, known === undefined || known === 'time-shift' ? stage : known, taken)
            : NOTHING;
          const asked = breach ? mergeReads(reads, TIME_SHIFT) : reads;
          // Reading no layer (or only the unwind of hedges it does not hold), the question is for the plan's stage
          // only.
          const stageOnly =
            asked.layers.length === 0 ||
            (asked.layers.length === 1 && asked.layers[0] === 'unwind' && hedges.length === 0);
          let plan = known !== undefined && stageOnly ? null : ask(asked);
          const planStage = known ?? plan?.stage;
          if (planStage !== undefined && decides) {
            const needed = readsOf(spec, planStage === 'time-shift' ? stage : planStage, taken);
            if (!covers(asked, needed)) plan = ask(mergeReads(asked, needed));
          }
          if (plan && breach && plan.stage === 'time-shift') {
            const tk = pickTicket(plan, spec.picks!.timeShift!);
            if (tk) {
              // The roll trades the strategy's whole condor quantity (fractional, like its condors), so its closing
              // legs offset the book's legs exactly; its new legs are marked and settled like any held leg.
              rolled.add(open);
              const n = qty[open]!;
              let cost = 0;
              const legs: NonNullable<StrategyResult['tickets'][number]['legs']> = [];
              for (const leg of tk.legs) {
                const q = leg.ratio * n;
                legs.push({ kind: leg.kind, strike: leg.strike, expiry: leg.expiry, qty: q, fill: leg.fill });
                cost += q * leg.fill * MULTIPLIER + Math.abs(q) * costs.commissionPerContract;
                held.push({
                  under: 'SPX',
                  kind: leg.kind,
                  strike: leg.strike,
                  expiry: leg.expiry,
                  qty: q,
                  entry: leg.fill,
                  layer: 'time-shift',
                  trade: open,
                });
              }
              pay(day.date, cost);
              tickets.push({
                date: day.date,
                layer: tk.layer,
                structure: tk.structure,
                quantity: Math.round(n * 100) / 100,
                costDollars: cost,
                legs,
              });
            }
          }
          if (plan && decides) {
            const vol = plan.stage === 'time-shift' ? stage : plan.stage;
            if (vol === 'unwind') {
              for (const tk of plan.tickets.filter((x) => x.layer === 'unwind')) {
                for (const leg of tk.legs) {
                  const q = leg.ratio * tk.quantity;
                  const at = held.findIndex(
                    (h) =>
                      isHedge(h) &&
                      h.under === (leg.underlying === 'VIX' ? 'VIX' : 'SPX') &&
                      h.kind === leg.kind &&
                      h.strike === leg.strike &&
                      h.expiry === leg.expiry &&
                      Math.sign(h.qty) === -Math.sign(q),
                  );
                  if (at < 0) continue;
                  const h = held[at]!;
                  const close = Math.sign(q) * Math.min(Math.abs(q), Math.abs(h.qty));
                  cash -= close * leg.fill * MULTIPLIER + Math.abs(close) * costs.commissionPerContract;
                  h.qty += close;
                  if (h.qty === 0) held.splice(at, 1);
                }
                tickets.push({
                  date: day.date,
                  layer: 'unwind',
                  structure: tk.structure,
                  quantity: tk.quantity,
                  costDollars: 0,
                });
              }
            } else {
              const slot = vol === 'layer-one' ? 'layer-one' : vol === 'second-engine' ? 'second-engine' : null;
              const pick =
                slot === 'layer-one'
                  ? spec.picks?.layerOne
                  : slot === 'second-engine'
                    ? spec.picks?.secondEngine
                    : null;
              const tk = slot && pick && !taken.has(slot) ? pickTicket(plan, pick) : null;
              if (tk && slot) {
                taken.add(slot);
                let cost = 0;
                for (const leg of tk.legs) {
                  const q = leg.ratio * tk.quantity;
                  cost += q * leg.fill * MULTIPLIER + Math.abs(q) * costs.commissionPerContract;
                  held.push({
                    under: leg.underlying === 'VIX' || /^VIX/i.test(leg.root) ? 'VIX' : 'SPX',
                    kind: leg.kind,
                    strike: leg.strike,
                    expiry: leg.expiry,
                    qty: q,
                    entry: leg.fill,
                    layer: slot,
                  });
                }
                pay(day.date, cost);
                tickets.push({
                  date: day.date,
                  layer: tk.layer,
                  structure: tk.structure,
                  quantity: tk.quantity,
                  costDollars: cost,
                });
              }
            }
          }
        }
      }

      if (
        spec.kind === 'vxth' &&
        (vxthExpiry === null || vxthExpiry <= day.date || (next !== null && vxthExpiry < next))
      ) {
        // Roll: buy the next one-month 30-delta VIX call, weight from the rulebook's VXTH schedule on its future.
        const expiry = vixExpiriesAfter(day.date, 2).find((e) => yearsTo(day.date, e) * 365 >= 14)!;
        vxthExpiry = expiry;
        const T = yearsTo(day.date, expiry);
        const future = vixModel.future(day, T);
        const band = rulebook.vxthSchedule.find((b) => b.upToVixFuture === null || future <= b.upToVixFuture);
        const pct = band?.accountPct ?? 0;
        if (pct > 0) {
          let strike = Math.max(1, Math.round(future));
          while (vixDelta(day, strike, expiry) > t.vixCallTargetDelta && strike < 500) strike += 1;
          const mid = optionValue(day, 'VIX', 'call', strike, expiry);
          const price = fillPrice('VIX', mid, 1, costs);
          const qty = Math.floor((eqNow * pct) / 100 / (price * MULTIPLIER + costs.commissionPerContract));
          if (qty > 0) {
            held.push({ under: 'VIX', kind: 'call', strike, expiry, qty, entry: price, layer: 'second-engine' });
            const cost = qty * (price * MULTIPLIER + costs.commissionPerContract);
            pay(day.date, cost);
            tickets.push({ date: day.date, layer: 'vxth', structure: 'vix-call', quantity: qty, costDollars: cost });
          }
        }
      }

      prevStage = stage;
      equity[i] = account.dollars + cash + interest + condorMark + markOf(day, held);
    };
    const finish = (): StrategyResult => {
      const s0 = now();
      const eq = Array.from(equity, (v) => Math.round(v * 100) / 100);
      const result: StrategyResult = {
        id: spec.id,
        label: spec.label,
        ...figuresOf({ days, equity: eq, spikes, hedgeCost, account: account.dollars }),
        decisions,
        tickets,
        equity: eq,
      };
      strategyMs[spec.id]! += now() - s0;
      return result;
    };
    return { id: spec.id, step, finish };
  });
  for (let i = 0; i < n; i++) {
    if (i > 0) {
      planMemo = new Map();
      stageMemo = new Map();
      chains = null;
    }
    // Each strategy's time, when asked for (the bench): two clock reads per strategy and day are 110,000 a run,
    // and a browser's clock is not free (0.34 µs a read in Chromium's worker, 0.09 µs in Node: 37 ms of a run).
    if (timed)
      for (const r of runners) {
        const s0 = now();
        r.step(i);
        strategyMs[r.id]! += now() - s0;
      }
    else for (const r of runners) r.step(i);
    if ((i & 255) === 0) progress(0.05 + (0.95 * i) / n);
  }
  const results = runners.map((r) => r.finish());
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
 * What a question reads of the plan: its layers, and of Layer One and the Second Engine the structures (null: all of
 * them; a time-shift or an unwind reads none of theirs).
 */
interface Reads {
  layers: readonly Layer[];
  structures: readonly Structure[] | null;
}

const NOTHING: Reads = { layers: [], structures: [] };
const TIME_SHIFT: Reads = { layers: ['time-shift'], structures: [] };

/** What a strategy reads in a stage: the layer and structures of its pick there, unless it took that layer already. */
function readsOf(spec: StrategySpec, stage: VolStage, taken: ReadonlySet<string>): Reads {
  if (stage === 'unwind') return { layers: ['unwind'], structures: [] };
  const pick =
    (stage === 'layer-one' ? spec.picks?.layerOne : stage === 'second-engine' ? spec.picks?.secondEngine : null) ??
    null;
  const layer = taken.has(stage) ? null : layerOfPick(pick);
  if (!layer) return NOTHING;
  return { layers: [layer], structures: layer === 'time-shift' ? [] : structuresOfPick(pick) };
}

function mergeReads(a: Reads, b: Reads): Reads {
  return {
    layers: [...new Set([...a.layers, ...b.layers])].sort(),
    structures:
      a.structures === null || b.structures === null ? null : [...new Set([...a.structures, ...b.structures])].sort(),
  };
}

/** Whether a plan asked for `asked` prices all that `needed` reads. */
function covers(asked: Reads, needed: Reads): boolean {
  if (needed.layers.some((x) => !asked.layers.includes(x))) return false;
  if (asked.structures === null) return true;
  return needed.structures !== null && needed.structures.every((x) => asked.structures!.includes(x));
}

function roundSignificant(v: number, digits: number): number {
  if (!(v > 0)) return v;
  const p = 10 ** (Math.floor(Math.log10(v)) - digits + 1);
  return Math.round(v / p) * p;
}

function markOf(day: MarketDay, legs: readonly BookLeg[]): number {
  let v = 0;
  for (const l of legs) v += l.qty * optionValue(day, l.under, l.kind, l.strike, l.expiry);
  return v * MULTIPLIER;
}

export type { CondorBook };

export const CAVEATS: readonly string[] = [
  'Option prices are modelled, not quoted: SPX options from a smile whose level is the VIX, VIX options on a modelled VIX future (docs/BACKTEST_MODEL.md). Real fills in a crash were wider than the stated spread model.',
  'VIX options were listed only from February 2006 and SPXW weeklies from October 2005: before those dates the strategies trade instruments that did not exist.',
  'Time-shift rolls are taken by ALVH only (with and without the macro gate), at most one per condor trade, when a short strike is within the rulebook’s breach distance and the plan’s stage is Time-shift; the other strategies hold the condors to the book’s rules. After a roll the plan still sees the condor as opened (its Layer One and Second Engine sizing too), and the book’s management rules read the condor as opened.',
  'Monthly SPX and VIX options settle at the close of their expiry date here (really at the next morning’s opening quotation).',
];
