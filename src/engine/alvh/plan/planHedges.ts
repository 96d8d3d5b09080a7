/**
 * planHedges: the orchestrator. It reads the VIX series and futures, builds the stress grid and the condor's
 * baseline on it, runs the stage machine with today's position, then asks each layer for its tickets (Layer One,
 * the Second Engine on what Layer One leaves, time-shifting, unwinding held hedges) and applies the chosen steps
 * in order (combine.ts). The module comment of plan.ts states the method.
 */
import type { Chain } from '../../../chain/types';
import { modelFor } from '../../analyze';
import { zeroGreeks } from '../../leg';
import { condorValuesOnCells, pnlOfValue, positionPnl, type PositionLegs } from '../../scenarios';
import type { ChainAnalysis, CondorRisk, ExpiryModel } from '../../types';
import type { Thresholds } from '../rulebook';
import { computeVixSignals, type VixSignalBar } from '../signals';
import { fromCache, fromCacheOfBars, keptHistoryCache, stateBeforeLast } from '../signalCache';
import type { PositionInputs, Stage, StageState, StepResult } from '../stages';
import { liveSightings, mergeSightings, type VixPoint, type VixSighting } from '../vixSeries';
import { impliedVixFutures, pickVixExpiry, type VixFutureEstimate } from '../vixOptions';
import { sideOf, type Base, type PlanEnv } from './base';
import { chooseStep, combinePlan } from './combine';
import { pnlSigmaAtExpiry } from './constraints';
import { fmtHorizon, money, signedPct } from './format';
import { layerOneExpiry, layerOneTickets } from './layerOne';
import { timeShiftTickets } from './rolls';
import { secondEngineTickets } from './secondEngine';
import { signalStrengthOf } from './sizing';
import { gateSecondEngine, runMachine } from './stageGate';
import { stressGrid, stressHorizons, worstAndTail } from './stress';
import {
  DISCLAIMER,
  LAYER_ONE_STRUCTURES,
  SECOND_ENGINE_STRUCTURES,
  type HedgePlan,
  type HedgeTicket,
  type Layer,
  type PlanInput,
} from './types';
import { unwindHeld } from './unwind';
import { termModelVixFutures } from './vixTerm';
import type { FredSeries } from '../../macro/fred';
import { dollarOnDates, macroThresholdsOf, readGauges, type DollarOnBar, type GaugeReading } from '../../macro/gauges';
import { keptOnGrid, type Ctx } from './value';

interface VixInputs {
  /**
   * The signal bars up to the plan's day: all of them, or with `before` (the state after the bars before the last)
   * the last alone, which is all the machine and the sizing read then.
   */
  bars: VixSignalBar[];
  /** The VIX-alone machine state before the last bar, from the caller's cache (null: the machine replays all). */
  before: StageState | null;
  lastDate: string | null;
  vix0: number | null;
  rate: number;
  futures: VixFutureEstimate[];
  oneMonth: VixFutureEstimate | null;
  today: string;
}

/** The VIX series with today's live value appended, its signals, and the VIX futures from the VIX chain. */
function vixInputs(input: PlanInput, t: Thresholds, macro: ReadonlyMap<string, FredSeries> | null): VixInputs {
  const { now } = input;
  const sightings: VixSighting[] = [...(input.vix.sightings ?? [])];
  if (input.vix.spot !== null && Number.isFinite(input.vix.spot) && input.vix.spot > 0) {
    sightings.push({ at: now.toISOString(), value: input.vix.spot, source: 'input' });
  }
  const history = input.vix.history;
  const lastBar = history.length > 0 ? history[history.length - 1]! : null;
  // Nothing to append: the caller's cache, read on the bars as they are (the backtest), when it was made with the
  // dollar gauge exactly when this plan reads one, and reads the same dollar on the last bar.
  let quick: ReturnType<typeof fromCacheOfBars> = null;
  if (input.vixSignalCache && liveSightings(lastBar?.date ?? '', sightings).live.length === 0) {
    const lastDollar = macro && lastBar ? dollarOnDates(macro, [lastBar.date]) : null;
    quick = fromCacheOfBars(input.vixSignalCache, history, t, lastDollar ? lastDollar[0]! : null);
  }
  if (quick) return withBars(vixTail(input, lastBar, t), [quick.last], quick.before);
  const merged = mergeSightings({ bars: history, sightings });
  const dollar = macro
    ? dollarOnDates(
        macro,
        merged.points.map((p) => p.date),
      )
    : null;
  const points = dollar ? merged.points.map((p, i) => signalPoint(p, dollar[i]!)) : merged.points;
  // The caller's cache is used when it was computed from the same bars (the dollar on them included: fromCache).
  const cached = fromCache(input.vixSignalCache, points, t);
  const bars = cached?.bars ?? computeVixSignals({ points, thresholds: t });
  // Otherwise the history's own states, kept from the last plan on the same history (the live page recomputes the
  // plan on every update with today's value appended): the machine then steps today's bar only.
  const before =
    cached?.before ??
    stateBeforeLast(input.vixSignalCache, points, t) ??
    stateBeforeLast(keptHistoryCache(history, bars, t, input.macroSeries), points, t);
  const last = merged.points[merged.points.length - 1];
  return withBars(vixTail(input, last ?? null, t), bars, before);
}

/** What the signals read of a point, with the dollar on it (fields named: a spread of 9,000 points was slow). */
function signalPoint(
  p: VixPoint,
  dollar: DollarOnBar,
): { date: string; close: number; vix3m?: number; dollar: DollarOnBar } {
  return p.vix3m === undefined
    ? { date: p.date, close: p.close, dollar }
    : { date: p.date, close: p.close, vix3m: p.vix3m, dollar };
}

/** The tail with the bars (fields named, not spread: an object spread here was a slow path of every question). */
function withBars(
  tail: Omit<VixInputs, 'bars' | 'before'>,
  bars: VixSignalBar[],
  before: StageState | null,
): VixInputs {
  const { lastDate, vix0, rate, futures, oneMonth, today } = tail;
  return { lastDate, vix0, rate, futures, oneMonth, today, bars, before };
}

/** What follows the series' last point: the VIX level, the rate, the VIX futures and the one-month one. */
function vixTail(
  input: PlanInput,
  last: { date: string; close: number } | null,
  t: Thresholds,
): Omit<VixInputs, 'bars' | 'before'> {
  const { now } = input;
  const rate = input.vixRate ?? input.analysis.rateAssumed;
  const today = now.toISOString().slice(0, 10);
  const vix0 = input.vix.spot ?? last?.close ?? null;
  // Without a VIX chain the futures come from the fitted term model (labelled term-model), not from nothing.
  const futures = input.vixChain
    ? impliedVixFutures({ chain: input.vixChain, now, rate })
    : vix0 !== null && vix0 > 0
      ? termModelVixFutures(t, vix0, today)
      : [];
  const oneMonth = pickVixExpiry({ futures, today, targetDays: t.vixCallTargetDays });
  return {
    lastDate: last?.date ?? null,
    vix0,
    rate,
    futures,
    oneMonth,
    today,
  };
}

/** Today's CPI or PPI surprise in stress raises the urgency (the method watches the prints before layering). */
function withMacroUrgency(step: StepResult | null, gauges: readonly GaugeReading[] | null): StepResult | null {
  const hot = (gauges ?? []).filter((g) => (g.id === 'cpi' || g.id === 'ppi') && g.state === 'stress');
  if (!step || hot.length === 0) return step;
  return {
    ...step,
    urgency: {
      level: 'raised',
      reasons: [...step.urgency.reasons, ...hot.map((g) => `${g.sentence} (macroInflationSurpriseZ)`)],
    },
  };
}

/** A plan without tickets: no condor, no VIX or no model for the condor's expiry. */
function emptyPlan(vix: VixInputs, step: StepResult | null, why: string, lists: Lists): HedgePlan {
  return {
    stage: step?.stage ?? 'calm',
    transitions: step?.transitions ?? [],
    checks: step?.checks ?? [],
    urgency: step?.urgency ?? { level: 'normal', reasons: [] },
    vix: { spot: vix.vix0, lastDate: vix.lastDate, future: vix.oneMonth, futures: vix.futures },
    baseline: { worstLossDollars: 0, tailLossDollars: 0, sigmaDollars: 0, remainingProfitDollars: 0 },
    combined: { worstLossDollars: 0, tailLossDollars: 0, costDollars: 0, greeks: zeroGreeks(), steps: [], cells: [] },
    warnings: lists.warnings,
    tickets: [],
    rejected: lists.rejected,
    notes: [...lists.notes, why],
    disclaimer: DISCLAIMER,
  };
}

interface Lists {
  notes: string[];
  warnings: string[];
  rejected: HedgePlan['rejected'];
}

/** The condor on the stress grid: the models, Layer One's expiry, the grid, the baseline P/L and its worst cell. */
function gridOf(p: {
  analysis: ChainAnalysis;
  chain: Chain;
  condor: CondorRisk;
  condorModel: ExpiryModel;
  vix0: number;
  today: string;
  fill: NonNullable<PlanInput['fill']>;
  t: Thresholds;
}) {
  const { analysis, condor, t } = p;
  const spot = analysis.spot!;
  const models = new Map<string, ExpiryModel>();
  for (const a of analysis.expiries) {
    const m = modelFor(a, spot);
    if (m) models.set(a.date, m);
  }
  const condorLegs: PositionLegs = {
    strikes: condor.strikes,
    quantity: condor.quantity,
    multiplier: condor.multiplier,
    credit: condor.creditUsed,
  };
  const l1 = layerOneExpiry({ models, expiries: p.chain.expiries, condor, t });
  // The stress grid: moves both ways × horizons, VIX continuous in the move; plus VIX reverting.
  const horizons = stressHorizons(t, condor.daysToExpiry, l1.l1Days === null ? [] : [l1.l1Days]);
  const ctx: Ctx = {
    t,
    spot,
    vix0: p.vix0,
    path: stressGrid(t, p.vix0, horizons),
    models,
    today: p.today,
    fraction: Math.min(Math.max(p.fill.spreadFraction ?? t.fillSpreadFraction, 0), 1),
    commission: Math.max(p.fill.commissionPerContractDollars ?? t.commissionPerContractDollars, 0),
    grid: `${p.vix0} ${horizons.join(',')}`,
    // Its slot made here, filled when first read (legs.ts listedStrikes): the context keeps one shape.
    listed: undefined,
  };
  // The condor's value per condor in each cell (kept for the next plans on this grid: other sizes of the condor).
  const strikes = condor.strikes;
  const values = keptOnGrid(ctx, p.condorModel, `condor ${strikes.join(',')} ${spot}`, () => {
    const out = new Float64Array(ctx.path.length);
    condorValuesOnCells(p.condorModel, strikes, spot, ctx.path, out);
    return out;
  });
  const pathBefore = ctx.path.map((_, i) => pnlOfValue(condorLegs, values[i]!));
  const worstIdx = pathBefore.reduce((w, v, i) => (v < (pathBefore[w] as number) ? i : w), 0);
  return {
    models,
    condorLegs,
    l1,
    horizons,
    ctx,
    pathBefore,
    worst: worstAndTail(pathBefore),
    worstCell: ctx.path[worstIdx]!,
  };
}

/** The position criteria the stage machine reads on the last bar. */
function positionInputs(condor: CondorRisk, spot: number, em: number, worstLoss: number): PositionInputs {
  return {
    underlying: spot,
    shortPutStrike: condor.strikes[1],
    shortCallStrike: condor.strikes[2],
    lowerBreakeven: condor.breakevenLower,
    upperBreakeven: condor.breakevenUpper,
    shortPutDelta: condor.legs[1]?.delta ?? 0,
    shortCallDelta: condor.legs[2]?.delta ?? 0,
    expectedMovePoints: em,
    daysToExpiry: condor.daysToExpiry,
    // The method's cost-of-capital drift on the loss side: the worst stress loss per dollar of credit taken in (it
    // grows as the condor loses, where a ratio to the remaining profit would shrink).
    stressLossPerRemainingProfit:
      condor.maxProfitDollars > 0 ? worstLoss / condor.maxProfitDollars : worstLoss > 0 ? 1e6 : 0,
  };
}

/** In Unwind, the note that says why, and the tickets that close the held hedges layer by layer (unwind.ts). */
function unwindStep(p: {
  env: PlanEnv;
  input: PlanInput;
  vix: VixInputs;
  stage: Stage;
  unwinding: boolean;
}): HedgeTicket[] {
  const { env, input, vix } = p;
  const rules = env.checks('unwind');
  if (p.unwinding) {
    env.notes.push(
      'Unwind: momentum has turned (' +
        rules.map((c) => c.sentence.replace(/\.$/, '')).join('; ') +
        '). Take profit on hedges layer by layer: the Second Engine first (VIX calls lose value fastest as VIX falls), then Layer One.',
    );
  }
  return unwindHeld({
    held: input.heldHedges ?? [],
    base: env.base,
    chain: env.chain,
    symbol: env.symbol,
    vixChain: input.vixChain ?? null,
    futures: vix.futures,
    vixRate: vix.rate,
    unwinding: p.unwinding,
    stage: p.stage,
    rules,
    rejected: env.rejected,
    notes: env.notes,
  });
}

export function planHedges(input: PlanInput): HedgePlan {
  const { analysis, chain, rulebook, account, now } = input;
  const t = rulebook.thresholds;
  const condor = input.condor === undefined ? analysis.condor : input.condor;
  const lists: Lists = { notes: [], warnings: [], rejected: [] };
  const { notes, rejected } = lists;
  const macro = input.macroSeries?.length ? new Map(input.macroSeries.map((x) => [x.id, x])) : null;
  const vix = vixInputs(input, t, macro);
  const { vix0, bars, futures, oneMonth } = vix;
  const gauges = macro ? readGauges(macro, vix.today, macroThresholdsOf(t)) : null;

  const ci = analysis.chosenExpiry;
  const condorExpiry = ci === null ? null : analysis.expiries[ci];
  const condorModel = condorExpiry ? modelFor(condorExpiry, analysis.spot) : null;
  const machine = (position: PositionInputs | null) =>
    withMacroUrgency(runMachine({ bars, position, macroEvents: input.macroEvents, t, before: vix.before }), gauges);

  if (!condor || !condorModel || !condorExpiry || vix0 === null || analysis.spot === null) {
    const why = !condor
      ? 'no condor: the stage is from the VIX signals alone and no hedge can be sized'
      : vix0 === null
        ? 'no VIX value (no history, no sighting, no spot): the stage cannot be judged'
        : 'the condor expiry has no forward or smile: hedges cannot be priced';
    return emptyPlan(vix, machine(null), why, lists);
  }

  const g = gridOf({ analysis, chain, condor, condorModel, vix0, today: vix.today, fill: input.fill ?? {}, t });
  const { ctx, pathBefore, worstCell, models } = g;
  const base0 = g.worst;
  // Which side is threatened: the side of the grid's worst loss for the unhedged condor (ties: the downside, where
  // VIX spikes); Layer One's structures are chosen for that side.
  const downside = worstCell.move <= 0;
  notes.push(
    `The unhedged condor's worst stress loss is ${money(base0.worst)} at ${signedPct(worstCell.move)} ${fmtHorizon(worstCell.horizonDays)} with VIX ${(vix0 + worstCell.vixShiftPoints).toFixed(1)}: the ${downside ? 'put' : 'call'} side is treated as threatened.`,
  );
  const sigma = pnlSigmaAtExpiry(condorModel, condor);
  const nowPnl = positionPnl({
    model: condorModel,
    legs: g.condorLegs,
    price: analysis.spot,
    daysForward: 0,
    volShiftPoints: 0,
  });
  const remainingProfit = Math.max(condor.maxProfitDollars - nowPnl, 0);
  const em = condor.expectedMove.fromAtmVol ?? condor.expectedMove.fromStraddle ?? 0;
  const step = gateSecondEngine(machine(positionInputs(condor, analysis.spot, em, base0.worst)) as StepResult, now);
  const stage: Stage = step.stage;
  const volStage = step.state.vol;

  const vixFuture = oneMonth?.future ?? null;
  if (!input.vixChain)
    notes.push(
      `no VIX option chain: VIX hedges are not offered (the index long put is, without the VXTH cap); the VIX futures are from the term model${oneMonth?.future != null ? ` (${oneMonth.expiry}: ${oneMonth.future.toFixed(2)})` : ''}`,
    );
  const base: Base = {
    ctx,
    condor,
    condorModel,
    condorLegs: g.condorLegs,
    pathBefore,
    worstBefore: base0.worst,
    tailBefore: base0.tail,
    greeks: condor.greeks,
    sigma,
    remainingProfit,
    account,
    rulebook,
    vixFuture,
    downside,
  };
  // The layers priced (PlanInput.layers): the Second Engine is sized on what Layer One leaves, so it needs Layer One
  // (whole, whatever PlanInput.structures says) unless Layer One is declined.
  const wanted = new Set<Layer>(input.layers ?? ['layer-one', 'second-engine', 'time-shift', 'unwind']);
  const layerOneWhole = wanted.has('second-engine') && !input.layerOneDeclined;
  if (layerOneWhole) wanted.add('layer-one');
  const skipped = (['layer-one', 'second-engine', 'time-shift', 'unwind'] as const).filter((x) => !wanted.has(x));
  if (skipped.length > 0) notes.push(`Not priced on this request: ${skipped.join(', ')}.`);
  const pricedStructures = input.structures ? new Set(input.structures) : null;
  if (pricedStructures) {
    const left = [...LAYER_ONE_STRUCTURES, ...SECOND_ENGINE_STRUCTURES].filter(
      (x) => !pricedStructures.has(x) && !(layerOneWhole && LAYER_ONE_STRUCTURES.has(x)),
    );
    if (left.length > 0) notes.push(`Structures not priced on this request: ${left.join(', ')}.`);
  }

  const tickets: HedgeTicket[] = [];
  const env: PlanEnv = {
    base,
    side: sideOf(ctx, downside),
    maxQty: Math.max(1, Math.ceil(condor.quantity * t.hedgeMaxQuantityPerCondor)),
    chain,
    symbol: chain.underlying.symbol,
    checks: (prefix) => step.checks.filter((c) => c.id.startsWith(prefix)),
    priced: (x) =>
      pricedStructures === null || pricedStructures.has(x) || (layerOneWhole && LAYER_ONE_STRUCTURES.has(x)),
    tickets,
    rejected,
    notes,
  };

  // ---- Layer One ----  In Unwind the hedges come off: new Layer One hedges are shown for reference only.
  const strength = signalStrengthOf(input, bars, t, vix.today, gauges);
  const layerOneActive = (volStage !== 'calm' && volStage !== 'unwind') || stage === 'time-shift';
  if (wanted.has('layer-one')) layerOneTickets({ env, exp: g.l1, strength, active: layerOneActive });

  // ---- Second Engine ----  It comes after Layer One: sized on the position Layer One's best active ticket leaves.
  if (input.layerOneDeclined)
    for (const x of tickets)
      if (x.layer === 'layer-one' && x.active) {
        x.active = false;
        x.why.sentences.push('Not placed: Layer One is declined; the Second Engine is sized on the condor alone.');
      }
  const l1Chosen = chooseStep(tickets.filter((x) => x.layer === 'layer-one' && x.active));
  if (wanted.has('second-engine'))
    secondEngineTickets({
      env,
      l1Chosen,
      active: volStage === 'second-engine',
      vix: { chain: input.vixChain ?? null, oneMonth, futures, rate: vix.rate },
      models,
      em,
    });

  // ---- Time-shift ----
  if (wanted.has('time-shift')) timeShiftTickets({ env, active: stage === 'time-shift' });

  const unwindTickets = wanted.has('unwind')
    ? unwindStep({ env, input, vix, stage, unwinding: volStage === 'unwind' })
    : [];

  if (stage === 'calm')
    notes.push('Calm: nothing to do. The tickets below show what each layer would use, priced now.');
  if (step.checks.filter((c) => c.fired).length === 0) notes.push('No rule fired on the last bar.');

  // ---- The plan: Layer One, then the Second Engine, then Time-shift, applied in order ----
  const combined = combinePlan({ ctx, tickets, l1Chosen, pathBefore, greeks: base.greeks });
  if (combined.steps.length > 0)
    notes.push(
      `The plan: ${combined.steps.map((x) => x.structure).join(' → ')}; worst stress loss ${money(base0.worst)} → ${money(combined.worstLossDollars)}, for ${money(combined.costDollars)} at the assumed fill.`,
    );

  // Order: the unwind closes first (in their layer order), then active layers, then by score.
  tickets.sort((a, b) => Number(b.active) - Number(a.active) || b.score - a.score);
  tickets.unshift(...unwindTickets);
  return {
    stage,
    transitions: step.transitions,
    checks: step.checks,
    urgency: step.urgency,
    vix: { spot: vix0, lastDate: vix.lastDate, future: oneMonth, futures },
    baseline: {
      worstLossDollars: base0.worst,
      tailLossDollars: base0.tail,
      sigmaDollars: sigma,
      remainingProfitDollars: remainingProfit,
      worstCell: { move: worstCell.move, horizonDays: worstCell.horizonDays, vixShiftPoints: worstCell.vixShiftPoints },
    },
    combined,
    horizonsDays: g.horizons,
    warnings: lists.warnings,
    tickets,
    rejected,
    notes,
    disclaimer: DISCLAIMER,
    signalStrength: strength,
  };
}
