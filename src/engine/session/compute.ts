/**
 * The session's one computation: inputs → state. Pure (no browser API, no I/O) and deterministic given its inputs
 * and clocks; the worker, the CLI and the tests call it, so the same chain, position and ALVH inputs give the same
 * analysis and plan, figure for figure, wherever they are shown.
 *
 * Each chain is analysed once per update: the trader's condor is resolved on the chosen expiry inside the analysis
 * (analyze.ts resolveCondor), not by a first analysis thrown away.
 */
import { valuationTime } from '../time';
import { analyzeChain, modelFor } from '../analyze';
import { condorFromStrikes, condorFromTargets, parseCondorText, parseTargets, type BuildResult } from '../builders';
import { planHedges, type HedgePlan, type PlanInput } from '../alvh/plan';
import { newYorkDate, type VixBar, type VixSighting } from '../alvh/vixSeries';
import { defaultPriceGrid, pnlCurve, positionPnl } from '../scenarios';
import { macroThresholdsOf, readGauges } from '../macro/gauges';
import { upcomingMacroEvents } from '../alvh/macroCalendar';
import { summarizeChain } from '../summary';
import type { ChainAnalysis } from '../types';
import { chainVix, withVixChecks, type ChainVix } from './vixCheck';
import { journalPnl } from '../../positions/journal';
import { managementMarks, type ManagementInput, type ManagementMarks, type ManagementReuse } from '../management';
import {
  addToCurve,
  addToGrid,
  chainMid,
  positionRisk,
  priceableLegs,
  type PositionHedge,
  type PositionRisk,
} from './hedges';
import {
  DEFAULT_ACCOUNT,
  type AccountInput,
  type CurveRequest,
  type PositionInput,
  type ReadyState,
  type SessionCurves,
  type SessionInputs,
  type SessionMeta,
  type SessionState,
} from './state';

export interface ComputeClocks {
  /** Monotonic milliseconds, for computeMs. */
  clock?: () => number;
  /** The wall clock: when the chain has no time stamp, and computedAt. */
  wallClock?: () => Date;
}

/** What a session keeps from one state to the next (computeSession is otherwise a function of its inputs). */
export interface ComputeKept {
  /** The last management marks, kept while the condor and the market barely moved (management.ts). */
  management?: ManagementReuse;
  /**
   * Set (to null at first) where the suggested condor should keep still between updates: the shorts it suggested
   * last, which the next analysis keeps while the market only jitters (analyze.ts keepSuggested).
   */
  suggested?: { expiry: string; shorts: readonly [number, number] } | null;
}

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** The account the plan judges on: the trader's figures, one standing for the other when one is missing. */
export function resolveAccount(input: AccountInput | null): ReadyState['account'] {
  const size = input?.sizeDollars ?? null;
  const bp = input?.buyingPowerDollars ?? null;
  if (size === null && bp === null) return { ...DEFAULT_ACCOUNT, assumed: true };
  const s = size ?? bp!;
  return { sizeDollars: s, buyingPowerDollars: bp ?? s, assumed: false };
}

/** The entered position as a resolver of the chosen expiry (analyze.ts), or null for the suggested condor. */
function resolverFor(position: PositionInput): Parameters<typeof analyzeChain>[0]['resolveCondor'] | null {
  switch (position.kind) {
    case 'suggested':
      return null;
    case 'text':
      return ({ expiry }) => parseCondorText({ text: position.text, rows: expiry.rows });
    case 'strikes':
      return ({ expiry }) =>
        condorFromStrikes({
          strikes: position.strikes,
          quantity: position.quantity,
          credit: position.credit ?? null,
          rows: expiry.rows,
        });
    case 'targets':
      return ({ expiry, model }): BuildResult => {
        const t = parseTargets(position.text);
        if (!t.ok) return t;
        return condorFromTargets({ targets: t.targets, model, rows: expiry.rows });
      };
  }
}

/**
 * Whether a history's bars are in ascending date order, one per date (parseVixHistory's output, and so every history
 * the extension stores): kept per array, so a caller passing the same long history on every question (the P/L
 * backtest, 9,000 bars) pays for the check once, and its cut below is a binary search instead of a scan.
 */
const ascending = new WeakMap<readonly VixBar[], boolean>();
function isAscending(bars: readonly VixBar[]): boolean {
  let v = ascending.get(bars);
  if (v === undefined) {
    v = true;
    for (let i = 1; i < bars.length && v; i++) v = bars[i - 1]!.date < bars[i]!.date;
    ascending.set(bars, v);
  }
  return v;
}

/** How many of the ascending bars come before `date` (or on it, with `orOn`): a binary search. */
function countBefore(bars: readonly VixBar[], date: string, orOn: boolean): number {
  let lo = 0;
  let hi = bars.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const d = bars[mid]!.date;
    if (d < date || (orOn && d === date)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The last cut made of each ascending history (its first n bars, and the history's length then): the backtest's
 * strategies ask about the same day one after another, and a cut is a copy of up to 9,000 bars. Shared: callers
 * only read it.
 */
const lastCut = new WeakMap<readonly VixBar[], { of: number; bars: VixBar[] }>();

/** The bars before `date` (and on it, with `orOn`), in the history's order; the history itself when that is all. */
export function historyBefore(history: readonly VixBar[], date: string, orOn: boolean): VixBar[] {
  if (!isAscending(history)) return history.filter((b) => b.date < date || (orOn && b.date === date));
  const n = countBefore(history, date, orOn);
  if (n === history.length) return history as VixBar[];
  const kept = lastCut.get(history);
  if (kept && kept.of === history.length && kept.bars.length === n) return kept.bars;
  const bars = history.slice(0, n);
  lastCut.set(history, { of: history.length, bars });
  return bars;
}

function historyHasDate(history: readonly VixBar[], date: string): boolean {
  if (!isAscending(history)) return history.some((b) => b.date === date);
  const i = countBefore(history, date, false);
  return i < history.length && history[i]!.date === date;
}

/** The VIX level the plan uses and where it came from: typed, seen on a page, or the history's last close. */
function vixLevel(
  manual: number | null,
  sightings: readonly VixSighting[],
  history: readonly VixBar[],
): ReadyState['vix'] {
  if (manual !== null) return { level: manual, source: 'manual' };
  const seen = sightings.length ? sightings[sightings.length - 1]! : null;
  if (seen) return { level: seen.value, source: `seen on ${seen.source}` };
  const last = history.length ? history[history.length - 1]! : null;
  if (last) return { level: last.close, source: `last close in your VIX history (${last.date})` };
  return { level: null, source: null };
}

/**
 * The P/L curves of the position at the request's date and vol shift and at the condor's expiry, on one price
 * grid, with the SPX legs of the added hedges; null without a condor or a model.
 */
export function curvesFor(
  analysis: ChainAnalysis,
  hedges: readonly PositionHedge[],
  request: CurveRequest,
): SessionCurves | null {
  const risk = analysis.condor;
  const chosen = analysis.chosenExpiry === null ? null : analysis.expiries[analysis.chosenExpiry];
  if (!risk || !chosen) return null;
  const model = modelFor(chosen, analysis.spot);
  if (!model) return null;
  const legs = { strikes: risk.strikes, quantity: risk.quantity, multiplier: risk.multiplier, credit: risk.creditUsed };
  const prices = defaultPriceGrid({ model, strikes: risk.strikes, points: request.points ?? 121 });
  const days = Math.max(0, Math.min(request.daysForward, risk.daysToExpiry));
  const hedged = hedges.length > 0 ? priceableLegs(hedges, analysis).legs : [];
  const m = analysis.multiplier;
  return {
    request,
    at: addToCurve(
      pnlCurve({ model, legs, prices, daysForward: days, volShiftPoints: request.volShiftPoints }),
      hedged,
      m,
    ),
    expiry: addToCurve(pnlCurve({ model, legs, prices, daysForward: risk.daysToExpiry }), hedged, m),
  };
}

/** The condor with the added hedges (greeks, extremes at expiry), and the grid with their SPX legs. */
function withHedges(
  analysis: ChainAnalysis,
  hedges: readonly PositionHedge[],
): { analysis: ChainAnalysis; risk: PositionRisk | null } {
  if (hedges.length === 0) return { analysis, risk: null };
  let risk: PositionRisk | null = null;
  const condor = analysis.condor;
  const chosen = analysis.chosenExpiry === null ? null : analysis.expiries[analysis.chosenExpiry];
  const model = chosen ? modelFor(chosen, analysis.spot) : null;
  if (condor && model) {
    const legs = {
      strikes: condor.strikes,
      quantity: condor.quantity,
      multiplier: condor.multiplier,
      credit: condor.creditUsed,
    };
    risk = positionRisk({
      analysis,
      hedges,
      condorPnlAt: (price) => positionPnl({ model, legs, price, daysForward: condor.daysToExpiry, volShiftPoints: 0 }),
    });
  }
  if (analysis.grid && analysis.spot !== null) {
    const priced = priceableLegs(hedges, analysis).legs;
    analysis = { ...analysis, grid: addToGrid(analysis.grid, priced, analysis.multiplier, analysis.spot) };
  }
  return { analysis, risk };
}

/** The condor's management marks (management.ts) on its expiry's model; null without a condor or a model. */
function managementOf(analysis: ChainAnalysis, reuse?: ManagementReuse): ManagementMarks | null {
  const risk = analysis.condor;
  const e = risk ? analysis.expiries.find((x) => x.date === risk.expiry) : undefined;
  const model = e ? modelFor(e, analysis.spot) : null;
  if (!risk || !e || !model || analysis.spot === null || !(e.atmVol !== null && e.atmVol > 0)) return null;
  const input: ManagementInput = {
    legs: risk.legs.map((l) => ({
      leg: { kind: l.kind, strike: l.strike, model, vol: l.vol },
      quantity: l.side * risk.quantity,
    })),
    entryCreditDollars: risk.creditUsed * risk.quantity * risk.multiplier,
    maxProfitDollars: risk.maxProfitDollars,
    multiplier: risk.multiplier,
    spot: analysis.spot,
    model,
    pathVol: e.atmVol,
    daysToExpiry: risk.daysToExpiry,
    expiry: risk.expiry,
  };
  return reuse ? reuse.marks(input) : managementMarks(input);
}

/** The state of the session for these inputs; `seq` numbers it. Never throws: an error is a state. */
export function computeSession<M extends SessionMeta>(
  inputs: SessionInputs<M>,
  seq: number,
  { clock = () => performance.now(), wallClock = () => new Date() }: ComputeClocks = {},
  kept: ComputeKept = {},
): SessionState<M> {
  const t0 = clock();
  const { chain, meta, position, expiry, hedges, alvh } = inputs;
  try {
    let now: Date;
    let valuationNote: string | null = null;
    if (inputs.now) now = inputs.now;
    else {
      const stamped = chain.asOf ? new Date(chain.asOf) : null;
      const seen = stamped && Number.isFinite(stamped.getTime()) ? stamped : wallClock();
      const valuation = valuationTime(seen);
      now = valuation.at;
      valuationNote = valuation.reason;
    }
    const summary = summarizeChain(chain, expiry);

    let analysis: ChainAnalysis | null = null;
    let analysisError: string | null = null;
    let positionError: string | null = null;
    try {
      const resolver = resolverFor(position);
      const unlisted = position.kind === 'strikes' && position.allowUnlisted === true;
      const keepSuggested = position.kind === 'suggested' ? kept.suggested : undefined;
      analysis = analyzeChain({
        chain,
        now,
        ...(keepSuggested ? { keepSuggested } : {}),
        // A first look leaves out the analysis' P/L curves and grid too: what the plan-only question leaves out.
        ...(inputs.planOnly || inputs.firstLook ? { planOnly: true } : {}),
        ...(expiry ? { expiry } : {}),
        ...(unlisted
          ? { condor: { strikes: position.strikes, quantity: position.quantity, credit: position.credit ?? null } }
          : resolver
            ? {
                resolveCondor: (on) => {
                  const r = resolver(on);
                  if (!r.ok) positionError = r.error;
                  return r;
                },
              }
            : {}),
      });
      if (resolver && !unlisted && analysis.chosenExpiry === null)
        positionError = 'no usable expiry on this chain for a condor';
      if (kept.suggested !== undefined && position.kind === 'suggested') {
        const c = analysis.condorSuggested ? analysis.condor : null;
        const on = analysis.chosenExpiry !== null ? analysis.expiries[analysis.chosenExpiry] : undefined;
        kept.suggested = c && on ? { expiry: on.date, shorts: [c.strikes[1], c.strikes[2]] } : null;
      }
    } catch (err) {
      analysisError = message(err);
    }

    // VIX: typed, seen with this chain or on earlier pages, or the history's last close.
    const sightings: VixSighting[] = [...alvh.vixSightings, ...(meta.vixSightings ?? [])];
    const manual = inputs.manualVix;
    if (manual && manual.priorClose !== null) {
      // The prior close the trader typed stands for the previous session's close (a day before the valuation).
      sightings.unshift({
        at: new Date(now.getTime() - 86_400_000).toISOString(),
        value: manual.priorClose,
        source: 'manual prior close',
      });
    }
    // The plan is as of the valuation date: closes after it had not happened yet, and with a live value (typed,
    // seen, or the chain's own index) that day's close is today's value, not a bar before it.
    const today = newYorkDate(now);
    // No VIX typed, none seen today, no close of today in the history: the chain's own 30-day index stands for it.
    // A VIX seen with this chain (on the same page) is of the chain's moment, whatever the clock said when the page
    // was read (a saved page is valued at its own close).
    const seenToday =
      (meta.vixSightings?.length ?? 0) > 0 ||
      sightings.some((x) => Number.isFinite(Date.parse(x.at)) && newYorkDate(new Date(x.at)) === today);
    const mayStand = manual === null && !seenToday && !historyHasDate(alvh.vixHistory, today);
    // The index is worked out for the panels and the plan's check of the VIX against it; plan only (the backtest, whose
    // model chain is priced from the very VIX it would be checked against), only where it may stand for the VIX.
    const indexed: ChainVix | null =
      analysis && (!inputs.planOnly || mayStand) ? chainVix(chain, now, analysis.rateAssumed) : null;
    const fromChain = mayStand && indexed?.usable === true;
    const chainLevel = fromChain && indexed?.index.ok ? indexed.index.value : null;
    const live = manual !== null || (meta.vixSightings?.length ?? 0) > 0 || chainLevel !== null;
    const bars = historyBefore(alvh.vixHistory, today, !live);
    const vix =
      chainLevel !== null && indexed?.index.ok
        ? { level: chainLevel, source: `this chain's ${indexed.index.label}` }
        : vixLevel(manual?.level ?? null, sightings, bars);
    const account = resolveAccount(alvh.account);

    const planAssumptions: string[] = [];
    if (account.assumed)
      planAssumptions.push(
        'no account entered: the quick ratio and the VXTH cap are not judged (set your account size and buying power in Options)',
      );
    if (alvh.vixHistory.length === 0)
      planAssumptions.push(
        'no VIX history imported: RSI and MACD cannot be judged (import VIX_History.csv in Options)',
      );

    let plan: HedgePlan | null = null;
    let planError: string | null = null;
    if (analysis && !inputs.firstLook) {
      // The hedges held: added to this position, and given from outside (the CLI's --held); Unwind closes them.
      const held = [...alvh.heldHedges, ...hedges.flatMap((h) => h.legs)];
      try {
        // The optional inputs are set one by one, not spread in (a spread of objects of many shapes takes a slow
        // path, on every question of the backtest): the same inputs (planHedges reads them by name).
        const planInput: PlanInput = {
          analysis,
          chain,
          vix: { spot: manual?.level ?? chainLevel, history: bars, sightings },
          vixChain: alvh.vixChain,
          rulebook: alvh.rulebook,
          // An assumed account judges nothing: without the trader's figures those constraints are "not judged".
          account: account.assumed
            ? null
            : { sizeDollars: account.sizeDollars, buyingPowerDollars: account.buyingPowerDollars },
          now,
        };
        if (alvh.fill) planInput.fill = alvh.fill;
        if (alvh.macroEvents.length) planInput.macroEvents = alvh.macroEvents;
        if (alvh.advanceDecline.length) planInput.advanceDecline = alvh.advanceDecline;
        if (held.length) planInput.heldHedges = held;
        if (alvh.macroSeries.length) planInput.macroSeries = alvh.macroSeries;
        if (alvh.vixSignalCache) planInput.vixSignalCache = alvh.vixSignalCache;
        if (alvh.layerOneDeclined) planInput.layerOneDeclined = true;
        if (alvh.layers) planInput.layers = alvh.layers;
        if (alvh.structures) planInput.structures = alvh.structures;
        plan = planHedges(planInput);
      } catch (err) {
        planError = message(err);
      }
      if (plan)
        plan = withVixChecks(plan, {
          indexed,
          fromChain: chainLevel !== null,
          vix,
          manual: manual !== null,
          tolerancePoints: alvh.rulebook.thresholds.vixChainTolerancePoints,
          vixChain: alvh.vixChain,
          now,
        });
    }

    // The plan judges the condor as entered; what the panels show of the position includes the hedges. Plan only
    // (the backtest): none of what only the panels show (the position with its hedges, curves, management marks).
    const panels = !inputs.planOnly && !inputs.firstLook;
    let risk: PositionRisk | null = null;
    if (analysis && !inputs.planOnly) ({ analysis, risk } = withHedges(analysis, hedges));
    const curves = analysis && panels ? curvesFor(analysis, hedges, inputs.curve) : null;
    const management = analysis && panels ? managementOf(analysis, kept.management) : null;

    return {
      status: 'ready',
      seq,
      computedAt: wallClock().toISOString(),
      computeMs: clock() - t0,
      valuedAt: now.toISOString(),
      valuationNote,
      summary,
      meta,
      analysis,
      analysisError,
      position,
      positionError,
      expiry,
      plan,
      planError,
      vix,
      account,
      history: {
        bars: bars.length,
        first: bars[0]?.date ?? null,
        last: bars[bars.length - 1]?.date ?? null,
        droppedAfter: alvh.vixHistory.length - bars.length,
      },
      planAssumptions,
      hedges,
      management,
      journal: inputs.journal ?? [],
      adjustmentError: inputs.adjustmentError ?? null,
      journalPnl:
        inputs.journal && inputs.journal.length > 0 ? journalPnl(inputs.journal, (l) => chainMid(chain, l)) : null,
      positionRisk: risk,
      curves,
      macro: panels
        ? readGauges(
            new Map(alvh.macroSeries.map((x) => [x.id, x])),
            today,
            macroThresholdsOf(alvh.rulebook.thresholds),
          )
        : [],
      upcomingMacro: panels ? upcomingMacroEvents(alvh.macroEvents, today, 3) : [],
      chainVix: indexed,
      ...(inputs.planOnly ? { planOnly: true as const } : {}),
      ...(inputs.firstLook && !inputs.planOnly ? { firstLook: true as const } : {}),
    };
  } catch (err) {
    return { status: 'error', seq, message: message(err) };
  }
}
