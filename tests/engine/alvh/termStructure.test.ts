/**
 * The VIX term structure as an input of the stage machine (issue #14, "Stages as the method reads"): the Second
 * Engine needs VIX ÷ VIX3M ≥ secondEngineMinVixToVix3m (backwardation) where a VIX3M close is known, and says when it
 * is not judged. On the real histories (../shared): the five big spikes still reach the Second Engine at least one
 * session after Layer One, and 2017 and 2019 stay at or under 3% of days.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { periodStats, runBacktest } from '../../../src/engine/alvh/backtest';
import { applyEdit, defaultRulebook } from '../../../src/engine/alvh/rulebook';
import { stepStage } from '../../../src/engine/alvh/stages';
import { confirmedBar, inLayerOne } from '../../helpers/stageBars';
import { attachVix3m, mergeSightings, parseVixHistory } from '../../../src/engine/alvh/vixSeries';
import { sharedFile } from '../../helpers/shared';

const t = defaultRulebook().thresholds;

const bar = confirmedBar;

describe('stepStage: the term structure', () => {
  it('backwardation (VIX 30 over VIX3M 27): the Second Engine, with the check among its reasons', () => {
    const r = stepStage({ state: inLayerOne, bar: bar({ vix3m: 27 }), thresholds: t });
    expect(r.stage).toBe('second-engine');
    const c = r.checks.find((x) => x.id === 'secondEngine.termStructure')!;
    expect(c).toMatchObject({ rule: 'secondEngineMinVixToVix3m', fired: true, skipped: false, threshold: 1 });
    expect(c.value).toBeCloseTo(30 / 27, 12);
    expect(r.transitions[0]!.rules.map((x) => x.id)).toContain('secondEngine.termStructure');
  });

  it('contango (VIX 30 under VIX3M 32): Layer One holds, the check says why', () => {
    const r = stepStage({ state: inLayerOne, bar: bar({ vix3m: 32 }), thresholds: t });
    expect(r.stage).toBe('layer-one');
    const c = r.checks.find((x) => x.id === 'secondEngine.termStructure')!;
    expect(c.fired).toBe(false);
    expect(c.sentence).toBe(
      'VIX ÷ VIX3M (term structure; ≥ 1 = backwardation) 0.94 ≥ 1 (secondEngineMinVixToVix3m): not met.',
    );
  });

  it('no VIX3M close: not judged, does not block, and says how to judge it; the rule at 0 is off', () => {
    const r = stepStage({ state: inLayerOne, bar: bar({}), thresholds: t });
    expect(r.stage).toBe('second-engine');
    const c = r.checks.find((x) => x.id === 'secondEngine.termStructure')!;
    expect(c.skipped).toBe(true);
    expect(c.sentence).toMatch(/skipped — no VIX3M close for this day \(give a VIX3M history: --vix3m/);
    const off = applyEdit(
      defaultRulebook(),
      { thresholds: { secondEngineMinVixToVix3m: 0 } },
      { at: '2026-01-01T00:00:00Z', note: 'off' },
    );
    if (!off.ok) throw new Error(off.errors.join('; '));
    const r0 = stepStage({ state: inLayerOne, bar: bar({ vix3m: 32 }), thresholds: off.rulebook.thresholds });
    expect(r0.stage).toBe('second-engine');
    expect(r0.checks.find((x) => x.id === 'secondEngine.termStructure')!.sentence).toMatch(/the rule is off/);
  });
});

describe('attachVix3m and the series', () => {
  it('puts the same day’s VIX3M close on each bar, none where it has none, and carries it through the merge', () => {
    const vix = [
      { date: '2024-03-26', open: null, high: null, low: null, close: 14 },
      { date: '2024-03-27', open: null, high: null, low: null, close: 17 },
    ];
    const v3 = [{ date: '2024-03-27', open: null, high: null, low: null, close: 16 }];
    const a = attachVix3m({ bars: vix, vix3m: v3 });
    expect(a.matched).toBe(1);
    expect(a.bars[0]!.vix3m).toBeUndefined();
    expect(a.bars[1]!.vix3m).toBe(16);
    const merged = mergeSightings({ bars: a.bars, sightings: [] });
    expect(merged.points.map((p) => p.vix3m)).toEqual([undefined, 16]);
  });
});

const VIX = sharedFile('data/vix/VIX_History.csv');
const VIX3M = sharedFile('data/vix/term/VIX3M_History.csv');
describe.skipIf(!VIX || !VIX3M)('the rulebook with VIX3M on the real histories (../shared)', () => {
  const bars = VIX ? parseVixHistory({ text: readFileSync(VIX, 'utf8') }).bars : [];
  const v3 = VIX3M ? parseVixHistory({ text: readFileSync(VIX3M, 'utf8') }).bars : [];
  const { bars: withTerm, matched } = attachVix3m({ bars, vix3m: v3 });
  const r = runBacktest({ points: withTerm, rulebook: defaultRulebook() });
  const plain = runBacktest({ points: bars, rulebook: defaultRulebook() });

  it('VIX3M covers Sep 2009 on: 4,222 days', () => {
    expect(matched).toBe(4222);
  });

  // first Layer One, first Second Engine (README table; unchanged with VIX3M: each in backwardation, 1.10–1.33).
  const spikes: [string, string, string][] = [
    ['Aug 2015', '2015-08-20', '2015-08-21'],
    ['Feb 2018', '2018-01-29', '2018-02-05'],
    ['Mar 2020', '2020-02-24', '2020-02-25'],
    ['Aug 2024', '2024-08-02', '2024-08-05'],
    ['Apr 2025', '2025-03-28', '2025-04-03'],
  ];
  it.each(spikes)('%s: Layer One %s, the Second Engine a session or more later, %s', (_n, l1, se) => {
    const e = r.episodes.find((x) => x.start === l1)!;
    expect(e.firstSecondEngine).toBe(se);
    expect(se > l1).toBe(true);
    const day = withTerm.find((b) => b.date === se)!;
    expect(day.close / day.vix3m!).toBeGreaterThan(1);
  });

  it('2017 and 2019: the Second Engine on at most 3% of days', () => {
    for (const [from, to] of [
      ['2017-01-01', '2017-12-31'],
      ['2019-01-01', '2019-12-31'],
    ] as const) {
      const s = periodStats({ days: r.days, episodes: r.episodes, from, to, exclude: [] });
      expect(s.secondEngineDays / s.days).toBeLessThanOrEqual(0.03);
    }
  });

  it('in contango the Second Engine waits: fewer entries and days than without VIX3M, none before Sep 2009 changed', () => {
    expect(r.summary.total.secondEngineEntries).toBe(89);
    expect(plain.summary.total.secondEngineEntries).toBe(106);
    expect(r.summary.total.secondEngineDays).toBe(726);
    expect(plain.summary.total.secondEngineDays).toBe(797);
    const before = (x: typeof r) => x.days.filter((d) => d.date < '2009-09-18').map((d) => d.stage);
    expect(before(r)).toEqual(before(plain));
  });
});
