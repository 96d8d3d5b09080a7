/**
 * The stage for the plan: the stage machine (stages.ts) replayed over the VIX history, the position known only on
 * the last bar; then today's position criterion applied to a Second Engine the history held.
 */
import type { Thresholds } from '../rulebook';
import type { VixSignalBar } from '../signals';
import {
  initialStageState,
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
  let state = p.before ?? initialStageState();
  let r: StepResult | null = null;
  p.bars.forEach((b, i) => {
    if (p.before && i < p.bars.length - 1) return;
    const last = i === p.bars.length - 1;
    r = stepStage({
      state,
      bar: b,
      position: last ? p.position : null,
      macroEvents: last ? p.macroEvents : undefined,
      thresholds: p.t,
    });
    state = r.state;
  });
  return r;
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
