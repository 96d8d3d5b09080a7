/**
 * The ALVH stage machine (DESIGN.md §3): Calm → Layer One → Second Engine → Time-shift → Unwind.
 * Deterministic: the same state, bar, position and rulebook always give the same stage and explanation.
 *
 * How the machine moves (every number from the rulebook):
 *  - Calm → Layer One when a VIX spike fires (change on the prior close ≥ spikePctOnPriorClose % or
 *    ≥ spikePointsOnPriorClose points, or RSI(rsiShortPeriod) > spikeRsiShortAbove with VIX ≥ spikeMinVixLevel), or the
 *    condor is threatened (a short strike's |delta| ≥ threatShortDeltaAbs, or the underlying within
 *    threatBreakevenExpectedMoves expected moves of a breakeven).
 *  - Layer One → Second Engine when Layer One has been on for at least secondEngineMinDaysAfterLayerOne bars (never
 *    on the bar it is entered: MACD must confirm after the spike bar) AND VIX momentum is
 *    confirmed (MACD line > signal, histogram rising ≥ secondEngineHistogramRisingBars bars, RSI(rsiLongPeriod) ≥
 *    secondEngineRsiLongMin) AND the hedge-adjusted stress loss per unit of remaining profit is ≥
 *    secondEngineStressLossPerRemainingProfit, AND the VIX level at or above secondEngineMinVixLevel, AND the term
 *    structure in backwardation (VIX ÷ VIX3M ≥ secondEngineMinVixToVix3m) when a VIX3M close is known, AND (the
 *    method's macro condition, secondEngineMacroGate) the dollar gauge in stress (its 1-month change ≥
 *    macroDollarStressZ standard deviations) when a dollar series is known. With no position (the backtest) the
 *    stress criterion is SKIPPED, without VIX3M the term structure is, without a dollar series the dollar is, and
 *    the explanation says so.
 *  - Layer One or Second Engine → Unwind when momentum turns: histogram falling ≥ unwindHistogramFallingBars bars,
 *    RSI(rsiLongPeriod) < unwindRsiLongBelow, and VIX down on the day; the Second Engine also when VIX closes below
 *    secondEngineMinVixLevel (it is entered only at or above it).
 *  - Persistence: Layer One stays until Unwind, the Second Engine, or layerOneCalmDaysToExpire consecutive bars with
 *    neither a spike nor a threat and VIX below stageHoldVixLevel (then Calm: the alarm stood down without
 *    escalating). The Second Engine stays until
 *    Unwind (its hedges are long volatility with little decay; they are taken off on the turn, not on a timer).
 *    Unwind lasts unwindHoldDays bars (hedges come off layer by layer), then Calm — or Layer One while VIX is still at
 *    or above stageHoldVixLevel — unless a new spike or threat re-enters Layer One first.
 *  - Time-shift overlays the volatility stage: whenever a position's short strike is breached or about to be (the
 *    underlying within timeShiftBreachExpectedMoves expected moves of it, or beyond it) with ≥ timeShiftMinDaysLeft
 *    days to expiry, the reported stage is Time-shift; the volatility stage underneath keeps evolving and is reported
 *    again when the breach clears.
 */
import { daysApart } from '../../chain/calendar';
import type { RuleKey, Thresholds } from './rulebook';
import type { VixSignalBar } from './signals';
import { keptBy } from '../keptBy';

export type VolStage = 'calm' | 'layer-one' | 'second-engine' | 'unwind';
export type Stage = VolStage | 'time-shift';

export type Comparator = '>=' | '>' | '<' | '<=';

/** One rule evaluated on one input against one threshold. */
export interface RuleCheck {
  /** Stable id, e.g. 'spike.pct'. */
  id: string;
  /** The rulebook key of the threshold (null for a comparison between two inputs, e.g. MACD line vs signal). */
  rule: RuleKey | null;
  input: string;
  value: number | null;
  comparator: Comparator;
  threshold: number | null;
  fired: boolean;
  /** True when the input is unavailable (e.g. no position, not enough history): the rule neither fires nor blocks. */
  skipped: boolean;
  sentence: string;
}

export interface Transition {
  date: string;
  from: Stage;
  to: Stage;
  /** The checks that decided it (fired ones, plus skipped ones the decision relied on). */
  rules: RuleCheck[];
  sentence: string;
}

/** What the stage machine needs to know about the condor (all from the condor analysis). */
export interface PositionInputs {
  underlying: number;
  shortPutStrike: number;
  shortCallStrike: number;
  lowerBreakeven: number;
  upperBreakeven: number;
  /** Per-share deltas (the short put's is negative as quoted; the sign is ignored). */
  shortPutDelta: number;
  shortCallDelta: number;
  /** 1σ expected move to expiry, in index points. */
  expectedMovePoints: number;
  daysToExpiry: number;
  /** Hedge-adjusted stress loss ÷ remaining profit (positive = loss per unit of profit); null if not computed. */
  stressLossPerRemainingProfit: number | null;
}

/**
 * The Time-shift breach measure: the distance from the underlying to the nearer short strike, in expected moves
 * (negative = breached); null without an expected move. The stage machine compares it with
 * timeShiftBreachExpectedMoves; the P/L backtest uses it to know on which days to ask the plan.
 */
export function breachDistance(
  pos: Pick<PositionInputs, 'underlying' | 'shortPutStrike' | 'shortCallStrike' | 'expectedMovePoints'>,
): number | null {
  const em = pos.expectedMovePoints > 0 ? pos.expectedMovePoints : null;
  if (em === null) return null;
  return Math.min((pos.underlying - pos.shortPutStrike) / em, (pos.shortCallStrike - pos.underlying) / em);
}

export interface MacroEvent {
  /** 'CPI', 'PPI', 'FOMC', … */
  kind: string;
  /** YYYY-MM-DD. */
  date: string;
}

export interface StageState {
  vol: VolStage;
  /** Date the current volatility stage was entered (null at the start). */
  since: string | null;
  /** Consecutive bars in Layer One with no spike and no threat. */
  quietDays: number;
  /** Bars spent in Unwind so far. */
  unwindDays: number;
  /** Whether the last reported stage was Time-shift. */
  timeShift: boolean;
  /** Bars completed in the current volatility stage (0 on the bar it was entered). */
  barsInStage?: number;
}

export function initialStageState(): StageState {
  return { vol: 'calm', since: null, quietDays: 0, unwindDays: 0, timeShift: false, barsInStage: 0 };
}

export interface StepResult {
  state: StageState;
  stage: Stage;
  checks: RuleCheck[];
  transitions: Transition[];
  /** Raised when a flagged macro event falls within macroEventWindowDays of the bar. */
  urgency: { level: 'normal' | 'raised'; reasons: string[] };
}

const WORD: Record<Comparator, string> = { '>=': '≥', '>': '>', '<': '<', '<=': '≤' };

function fmt(v: number | null, digits = 2): string {
  if (v === null || !Number.isFinite(v)) return 'n/a';
  return digits === 2 ? twoDecimals(v) : Number(v.toFixed(digits)).toString();
}
/** The same thresholds (and one bar's values) are written on every check of every plan asked: kept by value. */
const twoDecimals = keptBy(1024, (v: number) => Number(v.toFixed(2)).toString());

/**
 * Whether checks and transitions get their sentences. Off only inside replayStates (synchronous, restored after):
 * replaying a whole history for its states reads no sentence, and writing them was most of the replay's time.
 */
let sentences = true;

function check(p: {
  id: string;
  rule: RuleKey | null;
  input: string;
  value: number | null;
  comparator: Comparator;
  threshold: number | null;
  unit?: string;
  skipReason?: string;
}): RuleCheck {
  const { id, rule, input, value, comparator, threshold } = p;
  const unit = p.unit ?? '';
  const avail = value !== null && Number.isFinite(value) && threshold !== null && Number.isFinite(threshold);
  let fired = false;
  if (avail) {
    const v = value as number;
    const t = threshold as number;
    fired = comparator === '>=' ? v >= t : comparator === '>' ? v > t : comparator === '<' ? v < t : v <= t;
  }
  const ruleName = rule ? ` (${rule})` : '';
  const sentence = !sentences
    ? ''
    : !avail
      ? `${input}: skipped — ${p.skipReason ?? 'not available'}.`
      : `${input} ${fmt(value)}${unit} ${WORD[comparator]} ${fmt(threshold)}${unit}${ruleName}: ${fired ? 'fired' : 'not met'}.`;
  return { id, rule, input, value: avail ? value : null, comparator, threshold, fired, skipped: !avail, sentence };
}

export interface Signals {
  /** `reasons`: the checks that made the spike fire (the level filter only alongside the RSI rule). */
  spike: { fired: boolean; checks: RuleCheck[]; reasons: RuleCheck[] };
  threat: { fired: boolean; checks: RuleCheck[] };
  momentum: { fired: boolean; checks: RuleCheck[] };
  stress: { passed: boolean; check: RuleCheck };
  unwind: { fired: boolean; checks: RuleCheck[] };
  breach: { fired: boolean; checks: RuleCheck[] };
}

/** Evaluate every rule of the rulebook on one bar (and the position, if any). Pure. */
export function evaluateSignals(params: {
  bar: VixSignalBar;
  position?: PositionInputs | null;
  thresholds: Thresholds;
}): Signals {
  const { bar, thresholds: t } = params;
  const pos = params.position ?? null;
  const noPos = 'no position (signals from VIX alone)';

  const spikePct = check({
    id: 'spike.pct',
    rule: 'spikePctOnPriorClose',
    input: 'VIX change on the prior close',
    value: bar.changePct,
    comparator: '>=',
    threshold: t.spikePctOnPriorClose,
    unit: '%',
    skipReason: 'no prior close',
  });
  const spikePts = check({
    id: 'spike.points',
    rule: 'spikePointsOnPriorClose',
    input: 'VIX points change on the prior close',
    value: bar.changePoints,
    comparator: '>=',
    threshold: t.spikePointsOnPriorClose,
    skipReason: 'no prior close',
  });
  const spikeRsiRaw = check({
    id: 'spike.rsiShort',
    rule: 'spikeRsiShortAbove',
    input: `RSI(${t.rsiShortPeriod}) of VIX`,
    value: bar.rsiShort,
    comparator: '>',
    threshold: t.spikeRsiShortAbove,
    skipReason: `fewer than ${t.rsiShortPeriod + 1} closes`,
  });
  const spikeChecks = [spikePct, spikePts, spikeRsiRaw];
  let rsiSpike = spikeRsiRaw.fired;
  if (t.spikeMinVixLevel > 0) {
    const level = check({
      id: 'spike.rsiShort.minLevel',
      rule: 'spikeMinVixLevel',
      input: 'VIX level (for the RSI spike)',
      value: bar.close,
      comparator: '>=',
      threshold: t.spikeMinVixLevel,
    });
    spikeChecks.push(level);
    rsiSpike = rsiSpike && level.fired;
  }
  const reasons = [spikePct, spikePts].filter((c) => c.fired);
  if (rsiSpike) reasons.push(...spikeChecks.slice(2));
  const spike = { fired: reasons.length > 0, checks: spikeChecks, reasons };

  // Threat.
  let threat: Signals['threat'];
  if (pos) {
    const maxDelta = Math.max(Math.abs(pos.shortPutDelta), Math.abs(pos.shortCallDelta));
    const em = pos.expectedMovePoints > 0 ? pos.expectedMovePoints : null;
    const distLow = em === null ? null : (pos.underlying - pos.lowerBreakeven) / em;
    const distHigh = em === null ? null : (pos.upperBreakeven - pos.underlying) / em;
    const dist = distLow === null || distHigh === null ? null : Math.min(distLow, distHigh);
    const c1 = check({
      id: 'threat.delta',
      rule: 'threatShortDeltaAbs',
      input: 'largest short-strike |delta|',
      value: maxDelta,
      comparator: '>=',
      threshold: t.threatShortDeltaAbs,
    });
    const c2 = check({
      id: 'threat.breakeven',
      rule: 'threatBreakevenExpectedMoves',
      input: 'distance to the nearest breakeven in expected moves',
      value: dist,
      comparator: '<=',
      threshold: t.threatBreakevenExpectedMoves,
      skipReason: 'no expected move',
    });
    threat = { fired: c1.fired || c2.fired, checks: [c1, c2] };
  } else {
    threat = {
      fired: false,
      checks: [
        check({
          id: 'threat',
          rule: 'threatShortDeltaAbs',
          input: 'condor threat',
          value: null,
          comparator: '>=',
          threshold: t.threatShortDeltaAbs,
          skipReason: noPos,
        }),
      ],
    };
  }

  // Momentum (Second Engine).
  const macdAbove = check({
    id: 'momentum.macdAboveSignal',
    rule: null,
    input: 'MACD line minus signal (VIX)',
    value: bar.macdHistogram,
    comparator: '>',
    threshold: 0,
    skipReason: `fewer than ${t.macdSlowPeriod + t.macdSignalPeriod - 1} closes`,
  });
  const histRising = check({
    id: 'momentum.histogramRising',
    rule: 'secondEngineHistogramRisingBars',
    input: 'bars the MACD histogram has been rising',
    value: bar.macdHistogram === null ? null : bar.histogramRisingBars,
    comparator: '>=',
    threshold: t.secondEngineHistogramRisingBars,
    skipReason: 'no MACD histogram yet',
  });
  const rsiLongMin = check({
    id: 'momentum.rsiLong',
    rule: 'secondEngineRsiLongMin',
    input: `RSI(${t.rsiLongPeriod}) of VIX`,
    value: bar.rsiLong,
    comparator: '>=',
    threshold: t.secondEngineRsiLongMin,
    skipReason: `fewer than ${t.rsiLongPeriod + 1} closes`,
  });
  const momentum = {
    fired: macdAbove.fired && histRising.fired && rsiLongMin.fired,
    checks: [macdAbove, histRising, rsiLongMin],
  };

  const stressCheck = check({
    id: 'secondEngine.stress',
    rule: 'secondEngineStressLossPerRemainingProfit',
    input: "worst stress loss per dollar of the condor's credit (cost-of-capital drift, loss side)",
    value: pos ? pos.stressLossPerRemainingProfit : null,
    comparator: '>=',
    threshold: t.secondEngineStressLossPerRemainingProfit,
    skipReason: pos ? 'stress ratio not computed' : `${noPos}: the position criterion is skipped`,
  });
  // A skipped stress check does not block (the backtest has no position); a computed one must fire.
  const stress = { passed: stressCheck.skipped || stressCheck.fired, check: stressCheck };

  // Unwind.
  const histFalling = check({
    id: 'unwind.histogramFalling',
    rule: 'unwindHistogramFallingBars',
    input: 'bars the MACD histogram has been falling',
    value: bar.macdHistogram === null ? null : bar.histogramFallingBars,
    comparator: '>=',
    threshold: t.unwindHistogramFallingBars,
    skipReason: 'no MACD histogram yet',
  });
  const rsiBelow = check({
    id: 'unwind.rsiLong',
    rule: 'unwindRsiLongBelow',
    input: `RSI(${t.rsiLongPeriod}) of VIX`,
    value: bar.rsiLong,
    comparator: '<',
    threshold: t.unwindRsiLongBelow,
    skipReason: `fewer than ${t.rsiLongPeriod + 1} closes`,
  });
  const vixFalling = check({
    id: 'unwind.vixFalling',
    rule: null,
    input: 'VIX change on the prior close',
    value: bar.changePoints,
    comparator: '<',
    threshold: 0,
    skipReason: 'no prior close',
  });
  const unwind = {
    fired: histFalling.fired && rsiBelow.fired && vixFalling.fired,
    checks: [histFalling, rsiBelow, vixFalling],
  };

  // Breach (Time-shift).
  let breach: Signals['breach'];
  if (pos) {
    const d = breachDistance(pos);
    const c1 = check({
      id: 'timeShift.breach',
      rule: 'timeShiftBreachExpectedMoves',
      input: 'distance from the underlying to the nearer short strike in expected moves (negative = breached)',
      value: d,
      comparator: '<=',
      threshold: t.timeShiftBreachExpectedMoves,
      skipReason: 'no expected move',
    });
    const c2 = check({
      id: 'timeShift.daysLeft',
      rule: 'timeShiftMinDaysLeft',
      input: 'calendar days to expiry',
      value: pos.daysToExpiry,
      comparator: '>=',
      threshold: t.timeShiftMinDaysLeft,
      unit: ' d',
    });
    breach = { fired: c1.fired && c2.fired, checks: [c1, c2] };
  } else breach = { fired: false, checks: [] };

  return { spike, threat, momentum, stress, unwind, breach };
}

function describe(from: Stage, to: Stage, rules: RuleCheck[]): string {
  if (!sentences) return '';
  const names: Record<Stage, string> = {
    calm: 'Calm',
    'layer-one': 'Layer One',
    'second-engine': 'Second Engine',
    'time-shift': 'Time-shift',
    unwind: 'Unwind',
  };
  const why = rules.map((r) => r.sentence.replace(/\.$/, '')).join('; ');
  return `${names[from]} → ${names[to]}: ${why}.`;
}

/** Advance the machine by one bar. */
export function stepStage(params: {
  state: StageState;
  bar: VixSignalBar;
  position?: PositionInputs | null;
  macroEvents?: readonly MacroEvent[];
  thresholds: Thresholds;
}): StepResult {
  const { state, bar, thresholds: t } = params;
  const sig = evaluateSignals({ bar, position: params.position ?? null, thresholds: t });
  const transitions: Transition[] = [];
  const prevReported: Stage = state.timeShift ? 'time-shift' : state.vol;
  let vol = state.vol;
  let since = state.since;
  let quietDays = state.quietDays;
  let unwindDays = state.unwindDays;
  let barsInStage = (state.barsInStage ?? 0) + 1;

  const entry = sig.spike.fired || sig.threat.fired;
  const entryRules = [...sig.spike.reasons, ...sig.threat.checks.filter((c) => c.fired)];
  const secondRules = [...sig.momentum.checks, sig.stress.check];
  const go = (to: VolStage, rules: RuleCheck[]): void => {
    transitions.push({ date: bar.date, from: vol, to, rules, sentence: describe(vol, to, rules) });
    vol = to;
    since = bar.date;
    quietDays = 0;
    unwindDays = 0;
    barsInStage = 0;
  };
  // The Second Engine comes after Layer One has absorbed the first shock: never on the bar Layer One is entered, and
  // only after secondEngineMinDaysAfterLayerOne bars of it, so MACD confirms momentum after the spike bar.
  const afterLayerOne = check({
    id: 'secondEngine.afterLayerOne',
    rule: 'secondEngineMinDaysAfterLayerOne',
    input: 'bars Layer One has been on',
    value: vol === 'layer-one' ? barsInStage : 0,
    comparator: '>=',
    threshold: t.secondEngineMinDaysAfterLayerOne,
  });
  // The VIX level is an input: a confirmed-momentum layer of long volatility is for VIX above its long-run mean.
  const vixLevel = check({
    id: 'secondEngine.vixLevel',
    rule: 'secondEngineMinVixLevel',
    input: 'VIX level',
    value: bar.close,
    comparator: '>=',
    threshold: t.secondEngineMinVixLevel,
  });
  // The term structure is an input: the Second Engine's long volatility is for a curve in backwardation (VIX at or
  // above VIX3M × the rule). Without a VIX3M close for the bar, or with the rule at 0, it is not judged and does not
  // block (said in the check).
  const term = check({
    id: 'secondEngine.termStructure',
    rule: 'secondEngineMinVixToVix3m',
    input: 'VIX ÷ VIX3M (term structure; ≥ 1 = backwardation)',
    value: t.secondEngineMinVixToVix3m > 0 && bar.vix3m != null && bar.vix3m > 0 ? bar.close / bar.vix3m : null,
    comparator: '>=',
    threshold: t.secondEngineMinVixToVix3m,
    skipReason:
      t.secondEngineMinVixToVix3m > 0
        ? 'no VIX3M close for this day (give a VIX3M history: --vix3m VIX3M_History.csv)'
        : 'the rule is off (secondEngineMinVixToVix3m = 0)',
  });
  // The method's macro condition: the Second Engine also waits for the real effective exchange rate (or the broad
  // dollar) to signal broader stress. Without a dollar series, or with the rule off, it is not judged and does not
  // block (said in the check).
  const gateOn = t.secondEngineMacroGate > 0;
  const dollar = check({
    id: 'secondEngine.dollar',
    rule: 'macroDollarStressZ',
    input: "the dollar's 1-month change (real effective or broad dollar index), in standard deviations",
    value: gateOn && bar.dollar?.figure != null ? bar.dollar.figure : null,
    comparator: '>=',
    threshold: t.macroDollarStressZ,
    unit: ' sd',
    skipReason: !gateOn
      ? 'the rule is off (secondEngineMacroGate = 0)'
      : bar.dollar?.why
        ? `not judged: ${bar.dollar.why}`
        : 'not judged: no real effective exchange rate or broad dollar series (bring RBUSBIS or DTWEXBGS as a FRED CSV: Options → Macro series, or --macro-dir)',
  });
  const trySecond = (): void => {
    if (
      afterLayerOne.fired &&
      vixLevel.fired &&
      (term.skipped || term.fired) &&
      (dollar.skipped || dollar.fired) &&
      sig.momentum.fired &&
      sig.stress.passed
    )
      go('second-engine', [afterLayerOne, vixLevel, term, dollar, ...secondRules]);
  };

  switch (vol) {
    case 'calm':
      if (entry) go('layer-one', entryRules);
      break;
    case 'layer-one':
      if (sig.unwind.fired) go('unwind', sig.unwind.checks);
      else {
        trySecond();
        if (vol === 'layer-one') {
          // The VIX level is an input: Layer One does not stand down while VIX is at or above stageHoldVixLevel.
          if (entry || bar.close >= t.stageHoldVixLevel) quietDays = 0;
          else {
            quietDays++;
            if (quietDays >= t.layerOneCalmDaysToExpire) {
              const c = check({
                id: 'layerOne.expire',
                rule: 'layerOneCalmDaysToExpire',
                input: 'consecutive bars with no spike and no threat',
                value: quietDays,
                comparator: '>=',
                threshold: t.layerOneCalmDaysToExpire,
              });
              go('calm', [c]);
            }
          }
        }
      }
      break;
    case 'second-engine':
      if (sig.unwind.fired) go('unwind', sig.unwind.checks);
      // VIX back below the Second Engine's level: the spike is over, its hedges come off.
      else if (!vixLevel.fired) go('unwind', [vixLevel]);
      break;
    case 'unwind':
      if (entry) go('layer-one', entryRules);
      else {
        unwindDays++;
        if (unwindDays >= t.unwindHoldDays) {
          const c = check({
            id: 'unwind.done',
            rule: 'unwindHoldDays',
            input: 'bars spent unwinding',
            value: unwindDays,
            comparator: '>=',
            threshold: t.unwindHoldDays,
          });
          // The VIX level is an input: with VIX still at or above stageHoldVixLevel the alarm stays (Layer One).
          const hold = check({
            id: 'stage.holdVixLevel',
            rule: 'stageHoldVixLevel',
            input: 'VIX level',
            value: bar.close,
            comparator: '>=',
            threshold: t.stageHoldVixLevel,
          });
          go(hold.fired ? 'layer-one' : 'calm', [c, hold]);
        }
      }
      break;
  }

  const timeShift = sig.breach.fired;
  const stage: Stage = timeShift ? 'time-shift' : vol;
  if (timeShift && !state.timeShift) {
    transitions.push({
      date: bar.date,
      from: prevReported,
      to: 'time-shift',
      rules: sig.breach.checks,
      sentence: describe(prevReported, 'time-shift', sig.breach.checks),
    });
  } else if (!timeShift && state.timeShift) {
    const cleared = sig.breach.checks.filter((c) => !c.fired);
    transitions.push({
      date: bar.date,
      from: 'time-shift',
      to: vol,
      rules: cleared,
      sentence: describe('time-shift', vol, cleared.length ? cleared : sig.breach.checks),
    });
  }

  const reasons: string[] = [];
  for (const e of params.macroEvents ?? []) {
    const d = daysApart(bar.date, e.date);
    if (d >= 0 && d <= t.macroEventWindowDays) {
      reasons.push(
        `${e.kind} on ${e.date}, ${d} day(s) away (within macroEventWindowDays = ${t.macroEventWindowDays})`,
      );
    }
  }

  const checks = [
    ...sig.spike.checks,
    ...sig.threat.checks,
    afterLayerOne,
    vixLevel,
    term,
    dollar,
    ...sig.momentum.checks,
    sig.stress.check,
    ...sig.unwind.checks,
    ...sig.breach.checks,
  ];
  return {
    state: { vol, since, quietDays, unwindDays, timeShift, barsInStage },
    stage,
    checks,
    transitions,
    urgency: { level: reasons.length > 0 ? 'raised' : 'normal', reasons },
  };
}

/**
 * The machine's state after each bar of a whole history, from the VIX alone (no position, no macro events): what
 * stepStage gives, bar by bar, without the sentences (nobody reads them here; signalCache.ts keeps the states).
 */
export function replayStates(bars: readonly VixSignalBar[], thresholds: Thresholds): StageState[] {
  const states: StageState[] = [];
  let state = initialStageState();
  sentences = false;
  try {
    for (const bar of bars) {
      // The same properties in the same order as every other caller's: one shape of argument for V8 to compile for.
      state = stepStage({ state, bar, position: null, macroEvents: undefined, thresholds }).state;
      states.push(state);
    }
  } finally {
    sentences = true;
  }
  return states;
}

export interface StageDay {
  date: string;
  close: number;
  stage: Stage;
  transitions: Transition[];
  checks: RuleCheck[];
  urgency: StepResult['urgency'];
}

/** Run the machine over a whole series of signal bars, with an optional position per date. */
export function runStages(params: {
  bars: readonly VixSignalBar[];
  thresholds: Thresholds;
  positionAt?: (date: string) => PositionInputs | null;
  macroEvents?: readonly MacroEvent[];
  initial?: StageState;
}): { days: StageDay[]; state: StageState } {
  let state = params.initial ?? initialStageState();
  const days: StageDay[] = [];
  for (const bar of params.bars) {
    const r = stepStage({
      state,
      bar,
      position: params.positionAt ? params.positionAt(bar.date) : null,
      macroEvents: params.macroEvents,
      thresholds: params.thresholds,
    });
    state = r.state;
    days.push({
      date: bar.date,
      close: bar.close,
      stage: r.stage,
      transitions: r.transitions,
      checks: r.checks,
      urgency: r.urgency,
    });
  }
  return { days, state };
}
