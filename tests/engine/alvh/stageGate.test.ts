/**
 * runMachine (src/engine/alvh/plan/stageGate.ts) keeps a step for the same state, bar, rulebook and position: what
 * it gives is stepStage's own answer, the same object for the same inputs, and a new answer whenever any input
 * differs — a position number (also −0 against 0, NaN against null), the bar, the state, the rulebook — or macro
 * events are given (never kept).
 */
import { describe, expect, it } from 'vitest';
import { runMachine } from '../../../src/engine/alvh/plan/stageGate';
import { defaultRulebook } from '../../../src/engine/alvh/rulebook';
import type { VixSignalBar } from '../../../src/engine/alvh/signals';
import { initialStageState, stepStage, type PositionInputs, type StageState } from '../../../src/engine/alvh/stages';

const T = defaultRulebook().thresholds;

function bar(o: Partial<VixSignalBar> = {}): VixSignalBar {
  return {
    date: '2024-03-04',
    close: 30,
    prevClose: 29,
    changePct: 3.4,
    changePoints: 1,
    rsiShort: 60,
    rsiLong: 65,
    macdLine: 1,
    macdSignal: 0.5,
    macdHistogram: 0.5,
    histogramRisingBars: 1,
    histogramFallingBars: 0,
    ...o,
  };
}

const layerOne = (): StageState => ({ ...initialStageState(), vol: 'layer-one', since: '2024-03-01' });

/** A 6,600 SPX condor a month out, its loss side past secondEngineStressLossPerRemainingProfit (1.5). */
const position: PositionInputs = {
  underlying: 6600,
  shortPutStrike: 6350,
  shortCallStrike: 6850,
  lowerBreakeven: 6338,
  upperBreakeven: 6862,
  shortPutDelta: -0.15,
  shortCallDelta: 0.11,
  expectedMovePoints: 190,
  daysToExpiry: 28,
  stressLossPerRemainingProfit: 1.6,
};

const bars = (last: VixSignalBar): VixSignalBar[] => [bar({ date: '2024-03-01' }), last];

describe('runMachine keeps a step for the same inputs', () => {
  it("gives stepStage's answer, and the same object for the same state, bar, rulebook and position", () => {
    const before = layerOne();
    const last = bar();
    const a = runMachine({ bars: bars(last), position: { ...position }, t: T, before });
    const b = runMachine({ bars: bars(last), position: { ...position }, t: T, before });
    expect(a).toEqual(stepStage({ state: before, bar: last, position, thresholds: T }));
    expect(a!.stage).toBe('second-engine');
    expect(b).toBe(a);
    expect(runMachine({ bars: bars(last), position: null, t: T, before })).toEqual(
      stepStage({ state: before, bar: last, position: null, thresholds: T }),
    );
  });

  it('answers anew when a position number, the bar, the state or the rulebook differs', () => {
    const before = layerOne();
    const last = bar();
    const kept = runMachine({ bars: bars(last), position, t: T, before })!;
    const lower = { ...position, stressLossPerRemainingProfit: 1.2 };
    const other = runMachine({ bars: bars(last), position: lower, t: T, before })!;
    expect(other).not.toBe(kept);
    expect(other.stage).toBe('layer-one');
    expect(other).toEqual(stepStage({ state: before, bar: last, position: lower, thresholds: T }));
    const nullStress = { ...position, stressLossPerRemainingProfit: null };
    const nanStress = { ...position, stressLossPerRemainingProfit: Number.NaN };
    const asNull = runMachine({ bars: bars(last), position: nullStress, t: T, before })!;
    const asNaN = runMachine({ bars: bars(last), position: nanStress, t: T, before })!;
    expect(asNaN).not.toBe(asNull);
    expect(asNaN).toEqual(stepStage({ state: before, bar: last, position: nanStress, thresholds: T }));
    const zero = runMachine({ bars: bars(last), position: { ...position, shortPutDelta: 0 }, t: T, before })!;
    const minusZero = runMachine({ bars: bars(last), position: { ...position, shortPutDelta: -0 }, t: T, before })!;
    expect(minusZero).not.toBe(zero);
    const sameValues = bar();
    expect(runMachine({ bars: bars(sameValues), position, t: T, before })).not.toBe(kept);
    expect(runMachine({ bars: bars(last), position, t: T, before: layerOne() })).not.toBe(kept);
    const strict = { ...T, secondEngineStressLossPerRemainingProfit: 2 };
    const ruled = runMachine({ bars: bars(last), position, t: strict, before })!;
    expect(ruled.stage).toBe('layer-one');
    expect(ruled).toEqual(stepStage({ state: before, bar: last, position, thresholds: strict }));
  });

  it('never keeps a step with macro events, nor one replayed without the state before', () => {
    const before = layerOne();
    const last = bar();
    const macroEvents = [{ date: '2024-03-05', kind: 'CPI' }];
    const a = runMachine({ bars: bars(last), position, t: T, before, macroEvents });
    const b = runMachine({ bars: bars(last), position, t: T, before, macroEvents });
    expect(b).not.toBe(a);
    expect(b).toEqual(a);
    expect(a).toEqual(stepStage({ state: before, bar: last, position, macroEvents, thresholds: T }));
    const replayed = runMachine({ bars: bars(last), position, t: T });
    expect(runMachine({ bars: bars(last), position, t: T })).not.toBe(replayed);
  });
});
