/**
 * One hedge strategy through the backtest's days (run.ts steps every strategy through each day together): its cash,
 * its condors, its hedge legs and its tickets. The day is cheap on most days (settle what expires, the book's flows,
 * the marks); on a decision day the plan is asked (RunShared.ask, the live session through ask.ts) and its ticket
 * taken (decide). Written as a class so that every strategy runs the same functions: the daily step stays small and
 * the rarely run decision code is apart from it (a browser compiles each hot function for all strategies once).
 *
 * The rules (which days are decision days, what a strategy reads of the plan and takes) are stated in run.ts.
 */
import { daysApart } from '../../chain/calendar';
import type { HedgePlan, HedgeTicket, Layer, Structure } from '../alvh/plan';
import type { Rulebook, Thresholds } from '../alvh/rulebook';
import { breachDistance, type VolStage } from '../alvh/stages';
import type { Held } from './ask';
import {
  condorLegs,
  condorQuantity,
  fillPrice,
  legCloseFlow,
  settleValue,
  type Account,
  type BookLeg,
  type CondorBook,
  type CondorTrade,
  type Costs,
} from './book';
import { vixExpiriesAfter } from './calendar';
import { vixModel, type MarketDay } from './model';
import { MULTIPLIER, optionValue, spxExpectedMove, vixDelta, yearsTo } from './pricing';
import { figuresOf, type SpikeWindow, type StrategyFigures } from './stats';
import { declinesLayerOne, layerOfPick, pickTicket, structuresOfPick, type StrategySpec } from './strategies';

/** Sessions between two plan checks while a strategy holds hedges in Unwind (hedges left open are asked again). */
export const DECISION_CADENCE = 1;

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

/**
 * What a question reads of the plan: its layers, and of Layer One and the Second Engine the structures (null: all of
 * them; a time-shift or an unwind reads none of theirs).
 */
export interface Reads {
  layers: readonly Layer[];
  structures: readonly Structure[] | null;
}

/** What the strategies share through the run: the days, the condor book, the costs, and the plan, asked once a day. */
export interface RunShared {
  days: readonly MarketDay[];
  book: CondorBook;
  costs: Costs;
  account: Account;
  /** The run's rulebook (the VXTH overlay's schedule and VIX-call delta). */
  rulebook: Rulebook;
  /**
   * The plan on day i, shared between strategies asking the same question: the condors held, the hedges shown to
   * it, the account (rounded), and what it is to price.
   */
  ask(
    i: number,
    rb: Rulebook,
    quantity: number,
    held: readonly Held[],
    equity: number,
    macro: boolean,
    layerOneDeclined: boolean,
    reads: Reads,
  ): HedgePlan | null;
  /** The plan's stage today with this rulebook, when a plan of the day has told it. */
  knownStage(rb: Rulebook, macro: boolean): HedgePlan['stage'] | undefined;
}

/**
 * A leg a strategy holds: a hedge (Layer One, the Second Engine; trade −1), or a leg of a time-shift roll of condor
 * trade `trade` (the roll's closing legs offset the book's condor legs; its new legs are the strategy's own). Every
 * leg has the same fields, in the same order (one shape for the code that marks and settles them).
 */
type Leg = (Held & { trade: -1 }) | (BookLeg & { layer: 'time-shift'; trade: number });
const isHedge = (l: Leg): l is Held & { trade: -1 } => l.layer !== 'time-shift';

type Ticket = StrategyResult['tickets'][number];

export class StrategyRun {
  readonly id: string;
  private readonly equity: Float64Array;
  private readonly tickets: Ticket[] = [];
  private readonly hedgeCost = new Map<string, number>();
  private readonly held: Leg[] = [];
  /** Condor trades this strategy has rolled (at most one roll per trade). */
  private readonly rolled = new Set<number>();
  /** Hedge and condor cash flows, dollars. */
  private cash = 0;
  /** Condors held on each trade. */
  private readonly qty: Float64Array;
  private interest = 0;
  private decisions = 0;
  private lastAsked = -Infinity;
  /** Layers taken this episode. */
  private taken = new Set<string>();
  private prevStage: VolStage = 'calm';
  private vxthExpiry: string | null = null;

  /**
   * @param rb the rulebook the strategy's plan is asked with
   * @param stages the VIX-alone stage of each day (index-aligned with the days) under that rulebook
   */
  constructor(
    private readonly spec: StrategySpec,
    private readonly rb: Rulebook,
    private readonly stages: readonly VolStage[],
    private readonly shared: RunShared,
  ) {
    this.id = spec.id;
    this.equity = new Float64Array(shared.days.length);
    this.qty = new Float64Array(shared.book.trades.length);
  }

  /** Day i's close: settle, the book's flows, the strategy's decision, the VXTH roll, the account's value. */
  step(i: number): void {
    const { days, book, account } = this.shared;
    const day = days[i]!;
    const next = i + 1 < days.length ? days[i + 1]!.date : null;
    const prevEquity = i === 0 ? account.dollars : this.equity[i - 1]!;
    if (i > 0) this.interest += prevEquity * (Math.exp(day.rate * yearsTo(days[i - 1]!.date, day.date)) - 1);
    // Settle the legs that expire by this close.
    const held = this.held;
    for (let k = held.length - 1; k >= 0; k--) {
      const l = held[k]!;
      if (expiring(l, day.date, next)) {
        this.cash += l.qty * settleValue(day, l) * MULTIPLIER;
        held.splice(k, 1);
      }
    }
    const stage = this.stages[i]!;
    if (stage === 'calm' && this.taken.size > 0) this.taken = new Set();
    // The condor book: the trade closed today, the trade opened today (sized on the account at the last close).
    if (book.closedAt[i]! >= 0) {
      const k = book.closedAt[i]!;
      this.cash += this.qty[k]! * book.closeFlow[i]!;
      if (this.rolled.has(k)) this.cash += this.closeRoll(day, k);
    }
    if (book.openedAt[i]! >= 0) {
      const k = book.openedAt[i]!;
      this.qty[k] = condorQuantity(book.trades[k]!, prevEquity, account);
      this.cash += this.qty[k]! * book.openFlow[i]!;
    }
    const condorMark = book.openAt[i]! >= 0 ? this.qty[book.openAt[i]!]! * book.mark[i]! : 0;
    const eqNow = account.dollars + this.cash + this.interest + condorMark + markOf(day, held);
    // Whether the decision or the VXTH roll changed the cash or the legs (otherwise the close's value is eqNow).
    let changed = false;
    if (this.spec.kind === 'plan' && book.openAt[i]! >= 0) changed = this.decide(i, stage, eqNow);
    if (
      this.spec.kind === 'vxth' &&
      (this.vxthExpiry === null || this.vxthExpiry <= day.date || (next !== null && this.vxthExpiry < next))
    ) {
      this.rollVxth(day, eqNow);
      changed = true;
    }
    this.prevStage = stage;
    this.equity[i] = changed ? account.dollars + this.cash + this.interest + condorMark + markOf(day, held) : eqNow;
  }

  /** The strategy's figures, tickets and equity curve. */
  finish(spikes: readonly SpikeWindow[]): StrategyResult {
    const { days, account } = this.shared;
    const eq = Array.from(this.equity, (v) => Math.round(v * 100) / 100);
    return {
      id: this.spec.id,
      label: this.spec.label,
      ...figuresOf({ days, equity: eq, spikes, hedgeCost: this.hedgeCost, account: account.dollars }),
      decisions: this.decisions,
      tickets: this.tickets,
      equity: eq,
    };
  }

  private pay(date: string, dollars: number): void {
    this.cash -= dollars;
    if (dollars > 0) this.hedgeCost.set(date.slice(0, 4), (this.hedgeCost.get(date.slice(0, 4)) ?? 0) + dollars);
  }

  /**
   * The book closed rolled trade k before its expiry (the trader preset's management): its roll legs on the
   * condor's expiry go with it. A closing leg of the roll offsets a book leg the book has just bought back, so that
   * trade is undone (no cost: the strategy no longer held the leg); any other leg there is closed at the fill.
   * Legs on later expiries stay to their own expiry.
   */
  private closeRoll(day: MarketDay, k: number): number {
    const { book, costs } = this.shared;
    const trade = book.trades[k]!;
    if (trade.why === 'expiry') return 0;
    const unit = condorLegs(trade.strikes, trade.expiry, 1);
    const held = this.held;
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
  }

  /**
   * A plan strategy's day with a condor open: whether it asks the plan (a stage entered, a held hedge in Unwind, a
   * short strike breached) and can take something, and what it takes. Returns whether anything was taken.
   */
  private decide(i: number, stage: VolStage, eqNow: number): boolean {
    const { days, book } = this.shared;
    const spec = this.spec;
    const day = days[i]!;
    const open = book.openAt[i]!;
    const hedges = this.held.filter(isHedge);
    const entered = stage !== this.prevStage && stage !== 'calm';
    const due = hedges.length > 0 && stage === 'unwind' && i - this.lastAsked >= DECISION_CADENCE;
    // A short strike breached or near it, and this trade not rolled yet: the plan is asked for its Time-shift.
    const breach =
      spec.picks?.timeShift != null && !this.rolled.has(open) && breached(day, book.trades[open]!, this.rb.thresholds);
    if (!(entered || due || breach)) return false;
    // Whatever stage the plan is in, can its answer change anything? A roll to look for, a hedge held (to unwind),
    // or a layer the strategy picks and has not taken this episode. If not, the question is not asked.
    const actionable =
      breach ||
      hedges.length > 0 ||
      readsOf(spec, 'layer-one', this.taken).layers.length > 0 ||
      readsOf(spec, 'second-engine', this.taken).layers.length > 0;
    if (!actionable) return false;
    this.lastAsked = i;
    this.decisions++;
    // The plan reads the held hedges only to unwind them, so outside Unwind it is asked without them, and the
    // account rounded to two significant figures: strategies asking the same question share the answer. The roll's
    // legs are never shown as hedges (the plan would unwind them); it sees the condor as opened. Only what the
    // strategy would read is priced (PlanInput.layers and .structures): its pick in the stage, and the Time-shift on
    // a breach day. The plan's stage can differ from the VIX-alone one (today's position criterion): then it is
    // asked again with what that stage's pick reads.
    const macro = spec.macro === true;
    const ask = (reads: Reads) =>
      this.shared.ask(
        i,
        this.rb,
        Math.max(1, Math.round(this.qty[open]!)),
        stage === 'unwind' ? hedges : [],
        roundSignificant(eqNow, 2),
        macro,
        declinesLayerOne(spec),
        reads,
      );
    const decides = entered || due;
    // The plan's stage today, when a plan of the day with this rulebook has told it (it depends on nothing else the
    // strategies differ in): the question reads what the pick of that stage reads, not the VIX-alone stage's (a
    // Time-shift stage keeps the VIX-alone stage's pick, as below). A strategy that can take nothing in that stage
    // asks nothing.
    const known = this.shared.knownStage(this.rb, macro);
    const reads = decides
      ? readsOf(spec, known === undefined || known === 'time-shift' ? stage : known, this.taken)
      : NOTHING;
    const asked = breach ? mergeReads(reads, TIME_SHIFT) : reads;
    // Reading no layer (or only the unwind of hedges it does not hold), the question is for the plan's stage only.
    const stageOnly =
      asked.layers.length === 0 || (asked.layers.length === 1 && asked.layers[0] === 'unwind' && hedges.length === 0);
    let plan = known !== undefined && stageOnly ? null : ask(asked);
    const planStage = known ?? plan?.stage;
    if (planStage !== undefined && decides) {
      const needed = readsOf(spec, planStage === 'time-shift' ? stage : planStage, this.taken);
      if (!covers(asked, needed)) plan = ask(mergeReads(asked, needed));
    }
    if (!plan) return false;
    let changed = false;
    if (breach && plan.stage === 'time-shift') {
      const tk = pickTicket(plan, spec.picks!.timeShift!);
      if (tk) {
        this.takeRoll(day, open, tk);
        changed = true;
      }
    }
    if (decides) {
      const vol = plan.stage === 'time-shift' ? stage : plan.stage;
      if (vol === 'unwind') changed = this.takeUnwind(day, plan) || changed;
      else if (vol === 'layer-one' || vol === 'second-engine') changed = this.takeLayer(day, vol, plan) || changed;
    }
    return changed;
  }

  /**
   * The roll trades the strategy's whole condor quantity (fractional, like its condors), so its closing legs offset
   * the book's legs exactly; its new legs are marked and settled like any held leg.
   */
  private takeRoll(day: MarketDay, open: number, tk: HedgeTicket): void {
    const costs = this.shared.costs;
    this.rolled.add(open);
    const n = this.qty[open]!;
    let cost = 0;
    const legs: NonNullable<Ticket['legs']> = [];
    for (const leg of tk.legs) {
      const q = leg.ratio * n;
      legs.push({ kind: leg.kind, strike: leg.strike, expiry: leg.expiry, qty: q, fill: leg.fill });
      cost += q * leg.fill * MULTIPLIER + Math.abs(q) * costs.commissionPerContract;
      this.held.push({
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
    this.pay(day.date, cost);
    this.tickets.push({
      date: day.date,
      layer: tk.layer,
      structure: tk.structure,
      quantity: Math.round(n * 100) / 100,
      costDollars: cost,
      legs,
    });
  }

  /** In Unwind: the plan's unwind tickets close the held hedges they name. Returns whether it had any. */
  private takeUnwind(day: MarketDay, plan: HedgePlan): boolean {
    const costs = this.shared.costs;
    const held = this.held;
    let any = false;
    for (const tk of plan.tickets) {
      if (tk.layer !== 'unwind') continue;
      any = true;
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
        this.cash -= close * leg.fill * MULTIPLIER + Math.abs(close) * costs.commissionPerContract;
        h.qty += close;
        if (h.qty === 0) held.splice(at, 1);
      }
      this.tickets.push({
        date: day.date,
        layer: 'unwind',
        structure: tk.structure,
        quantity: tk.quantity,
        costDollars: 0,
      });
    }
    return any;
  }

  /** In Layer One or the Second Engine: the strategy's pick there, once per episode. Returns whether it took one. */
  private takeLayer(day: MarketDay, slot: 'layer-one' | 'second-engine', plan: HedgePlan): boolean {
    const pick = slot === 'layer-one' ? this.spec.picks?.layerOne : this.spec.picks?.secondEngine;
    const tk = pick && !this.taken.has(slot) ? pickTicket(plan, pick) : null;
    if (!tk) return false;
    const costs = this.shared.costs;
    this.taken.add(slot);
    let cost = 0;
    for (const leg of tk.legs) {
      const q = leg.ratio * tk.quantity;
      cost += q * leg.fill * MULTIPLIER + Math.abs(q) * costs.commissionPerContract;
      this.held.push({
        under: leg.underlying === 'VIX' || /^VIX/i.test(leg.root) ? 'VIX' : 'SPX',
        kind: leg.kind,
        strike: leg.strike,
        expiry: leg.expiry,
        qty: q,
        entry: leg.fill,
        layer: slot,
        trade: -1,
      });
    }
    this.pay(day.date, cost);
    this.tickets.push({
      date: day.date,
      layer: tk.layer,
      structure: tk.structure,
      quantity: tk.quantity,
      costDollars: cost,
    });
    return true;
  }

  /** The VXTH-style overlay's roll: buy the next one-month 30-delta VIX call, weighted by the rulebook's schedule. */
  private rollVxth(day: MarketDay, eqNow: number): void {
    const { rulebook, costs } = this.shared;
    const t = rulebook.thresholds;
    const expiry = vixExpiriesAfter(day.date, 2).find((e) => yearsTo(day.date, e) * 365 >= 14)!;
    this.vxthExpiry = expiry;
    const T = yearsTo(day.date, expiry);
    const future = vixModel.future(day, T);
    const band = rulebook.vxthSchedule.find((b) => b.upToVixFuture === null || future <= b.upToVixFuture);
    const pct = band?.accountPct ?? 0;
    if (!(pct > 0)) return;
    let strike = Math.max(1, Math.round(future));
    while (vixDelta(day, strike, expiry) > t.vixCallTargetDelta && strike < 500) strike += 1;
    const mid = optionValue(day, 'VIX', 'call', strike, expiry);
    const price = fillPrice('VIX', mid, 1, costs);
    const qty = Math.floor((eqNow * pct) / 100 / (price * MULTIPLIER + costs.commissionPerContract));
    if (!(qty > 0)) return;
    this.held.push({
      under: 'VIX',
      kind: 'call',
      strike,
      expiry,
      qty,
      entry: price,
      layer: 'second-engine',
      trade: -1,
    });
    const cost = qty * (price * MULTIPLIER + costs.commissionPerContract);
    this.pay(day.date, cost);
    this.tickets.push({ date: day.date, layer: 'vxth', structure: 'vix-call', quantity: qty, costDollars: cost });
  }
}

/**
 * Whether a short strike of the condor is breached or near it at this close, as the stage machine reads it
 * (stages.ts breachDistance against timeShiftBreachExpectedMoves, at least timeShiftMinDaysLeft days left), on the
 * model's expected move to the condor's expiry. The backtest asks the plan on these days; the plan decides.
 */
function breached(day: MarketDay, trade: CondorTrade, t: Thresholds): boolean {
  if (daysApart(day.date, trade.expiry) < t.timeShiftMinDaysLeft) return false;
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

/** Legs whose expiry has come by this close (the last session on or before the expiry date). */
const expiring = (l: BookLeg, date: string, next: string | null) =>
  l.expiry <= date || (next !== null && l.expiry < next);

function markOf(day: MarketDay, legs: readonly BookLeg[]): number {
  let v = 0;
  for (const l of legs) v += l.qty * optionValue(day, l.under, l.kind, l.strike, l.expiry);
  return v * MULTIPLIER;
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
