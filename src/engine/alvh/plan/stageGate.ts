/**
 * The stage for the plan: the stage machine (stages.ts) replayed over the VIX history, the position known only on
 * the last bar; then today's position criterion applied to a Second Engine the history held.
 */
import type { Thresholds } from '../rulebook';
import type { VixSignalBar } from '../signals';
import {
  initialStageState,
  replayStates,
  stepStage,
  type MacroEvent,
  type PositionInputs,
  type StageState,
  type StepResult,
  type Transition,
} from '../stages';

/**
 * Run the stage machine over history; the position and the macro events apply on the last bar only. `before`: the
 * VIX-alone state after the bar before the last, when known (signalCache.ts): only the last bar is stepped.
 */
export function runMachine(p: {
  bars: readonly VixSignalBar[];
  position: PositionInputs | null;
  macroEvents?: readonly MacroEvent[];
  t: Thresholds;
  before?: StageState | null;
}): StepResult | null {
  const n = p.bars.length;
  if (n === 0) return null;
  const bar = p.bars[n - 1]!;
  const step = (state: StageState) =>
    stepStage({ state, bar, position: p.position, macroEvents: p.macroEvents, thresholds: p.t });
  // The bars before the last: their states only (replayStates), unless the caller has the state after them. Then the
  // step is kept for the same state, bar, rulebook and position (no macro events): the backtest's strategies ask
  // about one day in turn, and half of their questions put the same position to the machine.
  if (p.before && !p.macroEvents?.length) return keptStep(p.before, bar, p.t, p.position, step);
  return step(p.before ?? (n > 1 ? replayStates(p.bars.slice(0, n - 1), p.t)[n - 2]! : initialStageState()));
}

/**
 * Steps with no macro event, kept by their inputs: the state and bar objects (a signal cache's, the same objects for
 * every question on a day), the rulebook's thresholds (by identity, as the stress grid is kept) and the position's
 * numbers. stepStage is a function of these alone; the steps are shared, so callers must not change them. Nothing is
 * kept once the state is gone.
 */
const steps = new WeakMap<StageState, WeakMap<VixSignalBar, WeakMap<Thresholds, Map<string, StepResult>>>>();

function keptStep(
  state: StageState,
  bar: VixSignalBar,
  t: Thresholds,
  position: PositionInputs | null,
  make: (state: StageState) => StepResult,
): StepResult {
  let byBar = steps.get(state);
  if (!byBar) steps.set(state, (byBar = new WeakMap()));
  let byRules = byBar.get(bar);
  if (!byRules) byBar.set(bar, (byRules = new WeakMap()));
  let byKey = byRules.get(t);
  if (!byKey) byRules.set(t, (byKey = new Map()));
  const key = positionKey(position);
  let result = byKey.get(key);
  if (!result) byKey.set(key, (result = make(state)));
  return result;
}

/** Every value of the position, in order, written so that no two different values read the same (−0, NaN, null). */
function positionKey(position: PositionInputs | null): string {
  if (position === null) return '-';
  let key = '';
  for (const v of Object.values(position) as unknown[])
    key += `${typeof v === 'number' && Object.is(v, -0) ? '-0' : String(v)},`;
  return key;
}

/**
 * The history is replayed from the VIX alone (the position is known only today), so a Second Engine entered on an
 * earlier bar skipped the position criterion. Today it is applied: if the stress loss per remaining profit is below
 * its threshold, the stage is Layer One, and a transition says why.
 */
export function gateSecondEngine(step: StepResult, now: Date): StepResult {
  const stress = step.checks.find((c) => c.id === 'secondEngine.stress');
  if (step.state.vol !== 'second-engine' || !stress || stress.skipped || stress.fired) return step;
  const enteredToday = step.transitions.some((t) => t.to === 'second-engine');
  if (enteredToday) return step; // cannot happen (entry requires the check) but keep the machine's word
  const date = now.toISOString().slice(0, 10);
  const tr: Transition = {
    date,
    from: 'second-engine',
    to: 'layer-one',
    rules: [stress],
    sentence: `Second Engine → Layer One: the VIX signals held it, but today's position criterion is not met — ${stress.sentence}`,
  };
  const state = { ...step.state, vol: 'layer-one' as const, quietDays: 0 };
  return {
    ...step,
    state,
    stage: step.stage === 'time-shift' ? 'time-shift' : 'layer-one',
    transitions: [...step.transitions, tr],
  };
}
