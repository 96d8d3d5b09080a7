import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultRulebook } from '../../../src/engine/alvh/rulebook';
import { computeVixSignals, type VixSignalBar } from '../../../src/engine/alvh/signals';
import {
  initialStageState,
  runStages,
  stepStage,
  type PositionInputs,
  type StageState,
} from '../../../src/engine/alvh/stages';
import { parseVixHistory } from '../../../src/engine/alvh/vixSeries';
import { FIXTURES_DIR } from '../../helpers/shared';

const T = defaultRulebook().thresholds;

/** A neutral bar: nothing fires. */
function bar(o: Partial<VixSignalBar> = {}): VixSignalBar {
  return {
    date: '2024-03-01',
    close: 14,
    prevClose: 14,
    changePct: 0,
    changePoints: 0,
    rsiShort: 50,
    rsiLong: 50,
    macdLine: 0,
    macdSignal: 0,
    macdHistogram: 0,
    histogramRisingBars: 0,
    histogramFallingBars: 0,
    ...o,
  };
}
const barAt30 = (o: Partial<VixSignalBar> = {}) => bar({ close: 30, prevClose: 30, ...o });
/** Confirmed momentum, with VIX at 30 (the Second Engine needs VIX ≥ secondEngineMinVixLevel). */
const momentum = { macdLine: 1, macdSignal: 0.5, macdHistogram: 0.5, histogramRisingBars: 1, rsiLong: 65, close: 30 };
const turning = {
  macdHistogram: 0.2,
  histogramFallingBars: 2,
  histogramRisingBars: 0,
  rsiLong: 45,
  changePoints: -1,
  changePct: -4,
};
const state = (vol: StageState['vol'], o: Partial<StageState> = {}): StageState => ({
  ...initialStageState(),
  vol,
  since: '2024-02-01',
  ...o,
});
const step = (s: StageState, b: VixSignalBar, position: PositionInputs | null = null) =>
  stepStage({ state: s, bar: b, position, thresholds: T });

const calmPosition: PositionInputs = {
  underlying: 5000,
  shortPutStrike: 4800,
  shortCallStrike: 5200,
  lowerBreakeven: 4790,
  upperBreakeven: 5210,
  shortPutDelta: -0.12,
  shortCallDelta: 0.1,
  expectedMovePoints: 150,
  daysToExpiry: 30,
  stressLossPerRemainingProfit: 0.5,
};

describe('Calm → Layer One: the VIX spike', () => {
  it('stays Calm on a quiet bar, and below every threshold', () => {
    const r = step(initialStageState(), bar({ changePct: 14.9, changePoints: 2.99, rsiShort: 90 }));
    expect(r.stage).toBe('calm');
    expect(r.transitions).toEqual([]);
  });
  it('fires on ≥ 15% on the prior close and explains it with numbers', () => {
    const r = step(initialStageState(), bar({ close: 16.1, prevClose: 14, changePct: 15, changePoints: 2.1 }));
    expect(r.stage).toBe('layer-one');
    expect(r.transitions).toHaveLength(1);
    const t = r.transitions[0]!;
    expect(t.from).toBe('calm');
    expect(t.rules.map((c) => c.rule)).toEqual(['spikePctOnPriorClose']);
    expect(t.rules[0]).toMatchObject({ value: 15, threshold: 15, comparator: '>=', fired: true });
    expect(t.sentence).toMatch(
      /Calm → Layer One: VIX change on the prior close 15% ≥ 15% \(spikePctOnPriorClose\): fired/,
    );
  });
  it('fires on ≥ 3 points', () => {
    const r = step(initialStageState(), bar({ close: 33, changePct: 10, changePoints: 3 }));
    expect(r.stage).toBe('layer-one');
    expect(r.transitions[0]!.rules.map((c) => c.rule)).toEqual(['spikePointsOnPriorClose']);
    const rsiOnly = step(initialStageState(), bar({ close: 22, rsiShort: 93 }));
    expect(rsiOnly.transitions[0]!.rules.map((c) => c.rule)).toEqual(['spikeRsiShortAbove', 'spikeMinVixLevel']);
  });
  it('fires on RSI(2) > 90 only with VIX at or above spikeMinVixLevel (20)', () => {
    expect(step(initialStageState(), bar({ close: 21, rsiShort: 91 })).stage).toBe('layer-one');
    const low = step(initialStageState(), bar({ close: 13, rsiShort: 95 }));
    expect(low.stage).toBe('calm');
    expect(low.checks.find((c) => c.id === 'spike.rsiShort')?.fired).toBe(true);
    expect(low.checks.find((c) => c.id === 'spike.rsiShort.minLevel')?.fired).toBe(false);
  });
  it('writes values and thresholds to two decimals, the same on every step', () => {
    const a = step(initialStageState(), bar({ changePct: 12.3456, changePoints: -0.004 }));
    const b = step(initialStageState(), bar({ changePct: 12.3456, changePoints: -0.004 }));
    expect(a.checks.map((c) => c.sentence)).toEqual(b.checks.map((c) => c.sentence));
    expect(a.checks.find((c) => c.id === 'spike.pct')?.sentence).toMatch(/^VIX change on the prior close 12\.35% ≥ /);
    expect(a.checks.find((c) => c.id === 'spike.points')?.sentence).toMatch(/prior close 0 ≥ /);
  });
  it('skips, visibly, what it cannot compute (first bar)', () => {
    const r = step(initialStageState(), bar({ changePct: null, changePoints: null, prevClose: null, rsiShort: null }));
    expect(r.stage).toBe('calm');
    expect(r.checks.find((c) => c.id === 'spike.pct')).toMatchObject({ skipped: true, fired: false });
    expect(r.checks.find((c) => c.id === 'spike.pct')?.sentence).toMatch(/skipped — no prior close/);
  });
});

describe('Calm → Layer One: the position threat', () => {
  it('fires on a short strike |delta| ≥ 0.30', () => {
    const r = step(initialStageState(), bar(), { ...calmPosition, shortPutDelta: -0.31 });
    expect(r.stage).toBe('layer-one');
    expect(r.transitions[0]!.rules[0]).toMatchObject({ rule: 'threatShortDeltaAbs', value: 0.31, threshold: 0.3 });
  });
  it('fires within 0.5 expected move of a breakeven, not at 0.6', () => {
    // lower breakeven 4790, EM 150: 0.5 EM → underlying 4865
    expect(step(initialStageState(), bar(), { ...calmPosition, underlying: 4865 }).stage).toBe('layer-one');
    expect(step(initialStageState(), bar(), { ...calmPosition, underlying: 4880 }).stage).toBe('calm');
    expect(step(initialStageState(), bar(), calmPosition).stage).toBe('calm');
  });
});

describe('Layer One → Second Engine', () => {
  it('needs MACD above signal, a rising histogram and RSI(14) ≥ 60', () => {
    expect(step(state('layer-one'), bar(momentum)).stage).toBe('second-engine');
    expect(step(state('layer-one'), bar({ ...momentum, rsiLong: 59.9 })).stage).toBe('layer-one');
    expect(step(state('layer-one'), bar({ ...momentum, histogramRisingBars: 0 })).stage).toBe('layer-one');
    expect(step(state('layer-one'), bar({ ...momentum, macdHistogram: -0.1 })).stage).toBe('layer-one');
    // momentum alone from Calm is not enough: Layer One must be in place or judged
    expect(step(initialStageState(), bar(momentum)).stage).toBe('calm');
  });
  it('without a position the stress criterion is skipped, and the explanation says so', () => {
    const r = step(state('layer-one'), bar(momentum));
    const t = r.transitions[0]!;
    expect(t.to).toBe('second-engine');
    const stress = t.rules.find((c) => c.rule === 'secondEngineStressLossPerRemainingProfit');
    expect(stress).toMatchObject({ skipped: true });
    expect(t.sentence).toMatch(/position criterion is skipped/);
    expect(t.sentence).toMatch(/RSI\(14\) of VIX 65 ≥ 60/);
  });
  it('with a position, the stress loss per remaining profit must reach its threshold', () => {
    const low = step(state('layer-one'), bar(momentum), { ...calmPosition, stressLossPerRemainingProfit: 1.2 });
    expect(low.stage).toBe('layer-one');
    const high = step(state('layer-one'), bar(momentum), { ...calmPosition, stressLossPerRemainingProfit: 1.6 });
    expect(high.stage).toBe('second-engine');
    expect(high.transitions[0]!.rules.find((c) => c.id === 'secondEngine.stress')).toMatchObject({
      fired: true,
      value: 1.6,
      threshold: 1.5,
    });
  });
  it('a spike with confirmed momentum goes Calm → Layer One on the spike bar, the Second Engine only after it', () => {
    const r = step(initialStageState(), bar({ ...momentum, close: 25, changePct: 30, changePoints: 5.8 }));
    expect(r.stage).toBe('layer-one');
    expect(r.transitions.map((t) => [t.from, t.to])).toEqual([['calm', 'layer-one']]);
    const next = step(r.state, bar({ ...momentum, date: '2024-03-02' }));
    expect(next.transitions.map((t) => [t.from, t.to])).toEqual([['layer-one', 'second-engine']]);
    expect(next.transitions[0]!.rules.find((c) => c.id === 'secondEngine.afterLayerOne')).toMatchObject({
      fired: true,
    });
  });
});

describe('persistence and Unwind', () => {
  it('Layer One stands down after layerOneCalmDaysToExpire quiet bars; a spike resets the count', () => {
    let s = state('layer-one');
    for (let i = 1; i < T.layerOneCalmDaysToExpire; i++) {
      const r = step(s, bar());
      expect(r.stage).toBe('layer-one');
      s = r.state;
    }
    expect(s.quietDays).toBe(T.layerOneCalmDaysToExpire - 1);
    const reset = step(s, bar({ changePct: 20, changePoints: 3 }));
    expect(reset.stage).toBe('layer-one');
    expect(reset.state.quietDays).toBe(0);
    const expire = step(s, bar());
    expect(expire.stage).toBe('calm');
    expect(expire.transitions[0]!.rules[0]?.rule).toBe('layerOneCalmDaysToExpire');
  });
  it('Second Engine stays on without momentum until the turn (or VIX below secondEngineMinVixLevel)', () => {
    expect(step(state('second-engine'), bar()).stage).toBe('unwind'); // VIX 14 < 22
    const b30 = (o: Partial<VixSignalBar> = {}) => barAt30(o);
    expect(step(state('second-engine'), b30()).stage).toBe('second-engine');
    expect(step(state('second-engine'), b30({ ...turning, changePoints: 0.5, changePct: 2 })).stage).toBe(
      'second-engine',
    );
    expect(step(state('second-engine'), b30({ ...turning, rsiLong: 50 })).stage).toBe('second-engine');
    expect(step(state('second-engine'), b30({ ...turning, histogramFallingBars: 1 })).stage).toBe('second-engine');
    const r = step(state('second-engine'), b30(turning));
    expect(r.stage).toBe('unwind');
    expect(r.transitions[0]!.rules.map((c) => c.id)).toEqual([
      'unwind.histogramFalling',
      'unwind.rsiLong',
      'unwind.vixFalling',
    ]);
  });
  it('Layer One can unwind directly', () => {
    expect(step(state('layer-one'), bar(turning)).stage).toBe('unwind');
  });
  it('Unwind lasts unwindHoldDays bars then Calm; a new spike re-enters Layer One', () => {
    let s = state('unwind');
    for (let i = 1; i < T.unwindHoldDays; i++) {
      const r = step(s, bar());
      expect(r.stage).toBe('unwind');
      s = r.state;
    }
    expect(step(s, bar()).stage).toBe('calm');
    expect(step(state('unwind'), bar({ changePct: 16, changePoints: 2.5 })).stage).toBe('layer-one');
  });
});

describe('Time-shift overlay', () => {
  const breached: PositionInputs = { ...calmPosition, underlying: 4790, shortPutDelta: -0.55 };
  it('reports Time-shift when a short strike is breached with time left, and keeps the volatility stage beneath', () => {
    const r = step(initialStageState(), bar(), breached);
    expect(r.stage).toBe('time-shift');
    expect(r.state.vol).toBe('layer-one'); // the threat also fired
    expect(r.transitions.map((t) => t.to)).toEqual(['layer-one', 'time-shift']);
    expect(r.transitions[1]!.rules.map((c) => c.rule)).toEqual([
      'timeShiftBreachExpectedMoves',
      'timeShiftMinDaysLeft',
    ]);
  });
  it('"about to be" = within 0.15 expected move of the short strike', () => {
    expect(step(initialStageState(), bar(), { ...calmPosition, underlying: 4822 }).stage).toBe('time-shift');
    expect(step(initialStageState(), bar(), { ...calmPosition, underlying: 4830 }).stage).toBe('layer-one');
  });
  it('no Time-shift without time left', () => {
    expect(step(initialStageState(), bar(), { ...breached, daysToExpiry: 3 }).stage).toBe('layer-one');
  });
  it('leaves Time-shift for the volatility stage when the breach clears', () => {
    const first = step(initialStageState(), bar(), breached);
    const second = step(first.state, bar(), calmPosition);
    expect(second.stage).toBe('layer-one');
    expect(second.transitions).toHaveLength(1);
    expect(second.transitions[0]).toMatchObject({ from: 'time-shift', to: 'layer-one' });
  });
});

describe('urgency and determinism', () => {
  it('raises urgency for a flagged macro event within the window', () => {
    const r = stepStage({
      state: initialStageState(),
      bar: bar({ date: '2024-03-11' }),
      macroEvents: [
        { kind: 'CPI', date: '2024-03-12' },
        { kind: 'FOMC', date: '2024-03-20' },
      ],
      thresholds: T,
    });
    expect(r.urgency.level).toBe('raised');
    expect(r.urgency.reasons).toHaveLength(1);
    expect(r.urgency.reasons[0]).toMatch(/CPI on 2024-03-12, 1 day/);
  });

  it('runs the authored spike series Calm → Layer One → Second Engine → Unwind → Calm, identically twice', () => {
    const bars = parseVixHistory({
      text: readFileSync(resolve(FIXTURES_DIR, 'vix', 'authored_spike.csv'), 'utf8'),
    }).bars;
    const signals = computeVixSignals({ points: bars, thresholds: T });
    const a = runStages({ bars: signals, thresholds: T });
    const b = runStages({ bars: signals, thresholds: T });
    expect(a).toEqual(b);
    const entered = a.days.flatMap((d) => d.transitions.map((t) => t.to));
    expect(entered).toEqual(['layer-one', 'second-engine', 'unwind', 'calm']);
    // the spike starts on 27 Mar 2024 (14.10 → 17.20, +22%)
    const firstL1 = a.days.find((d) => d.stage !== 'calm');
    expect(firstL1?.date).toBe('2024-03-27');
    expect(a.days.filter((d) => d.stage === 'calm').length).toBeGreaterThan(80);
    for (const d of a.days) for (const t of d.transitions) expect(t.sentence.length).toBeGreaterThan(20);
  });
});
