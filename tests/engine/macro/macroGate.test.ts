/**
 * The method's macro condition on the Second Engine (issue #21): it waits for the dollar (the real effective
 * exchange rate, or the broad dollar index) to signal stress, beside MACD; "not judged" and not blocking without a
 * dollar series; off at secondEngineMacroGate = 0. Today's credit and curve gauges raise Layer One's size, a CPI or
 * PPI surprise the urgency. The dollar is read on every bar of the history with no look-ahead.
 */
import { readFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { runBacktest } from '../../../src/engine/alvh/backtest';
import { layerOneSignalStrength } from '../../../src/engine/alvh/breadth';
import { applyEdit, defaultRulebook } from '../../../src/engine/alvh/rulebook';
import { stepStage } from '../../../src/engine/alvh/stages';
import { confirmedBar, inLayerOne } from '../../helpers/stageBars';
import { parseVixHistory } from '../../../src/engine/alvh/vixSeries';
import { parseFredCsv, type FredSeries, type Observation } from '../../../src/engine/macro/fred';
import { dollarOnDates, readGauges } from '../../../src/engine/macro/gauges';
import { main } from '../../../src/cli/main';
import { sharedFile } from '../../helpers/shared';

const t = defaultRulebook().thresholds;
const rulebookWith = (thresholds: Partial<typeof t>) => {
  const r = applyEdit(defaultRulebook(), { thresholds }, { at: '2026-01-01T00:00:00Z', note: 'test' });
  if (!r.ok) throw new Error(r.errors.join('; '));
  return r.rulebook;
};

const bar = confirmedBar;
const dollarCheck = (r: ReturnType<typeof stepStage>) => r.checks.find((c) => c.id === 'secondEngine.dollar')!;

describe('stepStage: the dollar condition of the Second Engine', () => {
  it('the dollar in stress (2.3 sd ≥ 1.5): the Second Engine, with the check among its reasons', () => {
    const r = stepStage({
      state: inLayerOne,
      bar: bar({ dollar: { figure: 2.3, series: 'DTWEXBGS', why: null } }),
      thresholds: t,
    });
    expect(r.stage).toBe('second-engine');
    expect(dollarCheck(r)).toMatchObject({ rule: 'macroDollarStressZ', value: 2.3, threshold: 1.5, fired: true });
    expect(r.transitions[0]!.rules.map((c) => c.id)).toContain('secondEngine.dollar');
  });

  it('the dollar calm (0.4 sd): Layer One holds although MACD confirms, and the check says why', () => {
    const r = stepStage({
      state: inLayerOne,
      bar: bar({ dollar: { figure: 0.4, series: 'RBUSBIS', why: null } }),
      thresholds: t,
    });
    expect(r.stage).toBe('layer-one');
    expect(r.checks.find((c) => c.id === 'momentum.macdAboveSignal')!.fired).toBe(true);
    expect(dollarCheck(r).sentence).toBe(
      "the dollar's 1-month change (real effective or broad dollar index), in standard deviations 0.4 sd ≥ 1.5 sd (macroDollarStressZ): not met.",
    );
  });

  it('no dollar series: not judged, does not block, and says what to bring; a stale one says why', () => {
    const r = stepStage({ state: inLayerOne, bar: bar({}), thresholds: t });
    expect(r.stage).toBe('second-engine');
    expect(dollarCheck(r).skipped).toBe(true);
    expect(dollarCheck(r).sentence).toMatch(/not judged: no real effective exchange rate or broad dollar series/);
    const stale = stepStage({
      state: inLayerOne,
      bar: bar({
        dollar: { figure: null, series: null, why: "RBUSBIS's last value (2023-01-01) is stale on 2024-03-28" },
      }),
      thresholds: t,
    });
    expect(stale.stage).toBe('second-engine');
    expect(dollarCheck(stale).sentence).toMatch(/not judged: RBUSBIS's last value \(2023-01-01\) is stale/);
  });

  it('secondEngineMacroGate = 0: the rule is off, a calm dollar no longer holds the Second Engine back', () => {
    const off = rulebookWith({ secondEngineMacroGate: 0 });
    const r = stepStage({
      state: inLayerOne,
      bar: bar({ dollar: { figure: 0.4, series: 'RBUSBIS', why: null } }),
      thresholds: off.thresholds,
    });
    expect(r.stage).toBe('second-engine');
    expect(dollarCheck(r).sentence).toMatch(/the rule is off \(secondEngineMacroGate = 0\)/);
  });
});

const series = (id: string, frequency: FredSeries['frequency'], observations: Observation[]): FredSeries => ({
  id,
  frequency,
  observations,
  missing: observations.filter((o) => o.value === null).length,
});
/** 60 months of a dollar index alternating ±1 %, then +3 %, −0.5 %, with one missing month. */
function monthlyDollar(): FredSeries {
  const obs: Observation[] = [];
  let v = 100;
  for (let i = 0; i < 63; i++) {
    const d = new Date(Date.UTC(2015, i, 1)).toISOString().slice(0, 10);
    if (i > 0) v *= i === 61 ? 1.03 : i === 62 ? 0.995 : i % 2 === 0 ? 1.01 : 1 / 1.01;
    obs.push({ date: d, value: i === 30 ? null : v });
  }
  return series('RBUSBIS', 'monthly', obs);
}

describe('dollarOnDates: the dollar gauge on every bar', () => {
  it('equals the gauge read on each date alone (figure, series, not-judged reason)', () => {
    const s = monthlyDollar();
    const map = new Map([['RBUSBIS', s]]);
    const dates: string[] = [];
    for (let d = Date.UTC(2017, 0, 2); d <= Date.UTC(2020, 8, 30); d += 86_400_000 * 3)
      dates.push(new Date(d).toISOString().slice(0, 10));
    const on = dollarOnDates(map, dates)!;
    dates.forEach((date, i) => {
      const g = readGauges(map, date).find((x) => x.id === 'reer')!;
      expect(on[i]!.figure, date).toBe(g.figure);
      expect(on[i]!.series, date).toBe(g.series);
      if (g.state === 'not-judged') expect(g.sentence, date).toContain(on[i]!.why!);
    });
    expect(on.some((x) => x.figure !== null && x.figure >= 1.5)).toBe(true); // the +3 % month, once released
    expect(on.some((x) => x.figure === null)).toBe(true); // too few changes early on; stale after the last release
  });

  it('keeps each reading by series and date: asked again, in another order, or with another series set, the same', () => {
    const s = monthlyDollar();
    const dates: string[] = [];
    for (let d = Date.UTC(2017, 0, 2); d <= Date.UTC(2020, 8, 30); d += 86_400_000 * 5)
      dates.push(new Date(d).toISOString().slice(0, 10));
    const first = dollarOnDates(new Map([['RBUSBIS', s]]), dates)!;
    // The same series read anew (another object): computed afresh, the same figures.
    const fresh = dollarOnDates(new Map([['RBUSBIS', { ...s, observations: [...s.observations] }]]), dates)!;
    expect(fresh).toEqual(first);
    const again = dollarOnDates(new Map([['RBUSBIS', s]]), [...dates].reverse())!;
    expect(again).toEqual([...first].reverse());
    expect(again[0]).toBe(first[first.length - 1]); // kept, not recomputed
    // A daily index given beside it is a different set: its readings are its own, not the monthly one's kept ones.
    const daily = series(
      'DTWEXBGS',
      'daily',
      dates.map((date, i) => ({ date, value: 100 + (i % 2) })),
    );
    const both = dollarOnDates(
      new Map([
        ['RBUSBIS', s],
        ['DTWEXBGS', daily],
      ]),
      dates,
    )!;
    expect(both.some((x) => x.series === 'DTWEXBGS')).toBe(true);
    expect(dollarOnDates(new Map([['RBUSBIS', s]]), dates)).toEqual(first);
  });

  it('no dollar series among those given: null (the rule says "not judged" itself)', () => {
    const other = series('T10Y2Y', 'daily', [{ date: '2020-01-02', value: 1 }]);
    expect(dollarOnDates(new Map([['T10Y2Y', other]]), ['2020-01-03'])).toBeNull();
  });
});

describe("Layer One's size and the urgency from today's gauges", () => {
  it('credit or curve stress adds layerOneMacroStressBoost to the signal strength, and says so', () => {
    const plain = layerOneSignalStrength({ rsiLong: 60, breadth: null, macroStress: [], thresholds: t });
    const hot = layerOneSignalStrength({
      rsiLong: 60,
      breadth: null,
      macroStress: ['High-yield credit spread'],
      thresholds: t,
    });
    expect(plain.strength).toBeCloseTo(0.5, 12); // RSI 60 on the 50 → 70 scale
    expect(hot.strength).toBeCloseTo(0.5 + t.layerOneMacroStressBoost, 12);
    expect(hot.share).toBeGreaterThan(plain.share);
    expect(hot.sentence).toMatch(/macro stress \(High-yield credit spread\) → \+0\.25 \(layerOneMacroStressBoost\)/);
    expect(plain.sentence).toMatch(/no credit or curve stress/);
  });
});

const VIX = sharedFile('data/vix/VIX_History.csv');
const MACRO = sharedFile('data/macro');
describe.skipIf(!VIX || !MACRO)('on the real series (../shared)', () => {
  const io = (out: string[]) => ({
    stdout: (x: string) => void out.push(x),
    stderr: () => undefined,
    readFile: (p: string) => readFile(p, 'utf8'),
    listDir: (p: string) => readdir(p),
    now: () => new Date('2030-01-01T00:00:00Z'),
  });
  const argv = [
    'analyze',
    'tests/fixtures/cboe/cboe_spx_quotedata_2020-03-22_legacy.dat',
    '--condor',
    '1850/1900/2650/2700',
    '--qty',
    '10',
    '--expiry',
    '2020-04-17',
    '--vix',
    '66.04',
    '--vix-history',
    VIX!,
    '--json',
  ];
  type Check = { id: string; value: number | null; fired: boolean; skipped: boolean; sentence: string };
  const planChecks = async (extra: string[]) => {
    const out: string[] = [];
    expect(await main({ argv: [...argv, ...extra], io: io(out) })).toBe(0);
    return (JSON.parse(out.join('')) as { plan: { checks: Check[] } }).plan.checks;
  };

  it('analyze on 20 Mar 2020: plan.checks has the dollar rule with its figure (2.25 sd) and that it fired', async () => {
    const c = (await planChecks(['--macro-dir', MACRO!])).find((x) => x.id === 'secondEngine.dollar')!;
    expect(c.value).toBeCloseTo(2.25, 2);
    expect(c.fired).toBe(true);
    const none = (await planChecks([])).find((x) => x.id === 'secondEngine.dollar')!;
    expect(none.skipped).toBe(true);
    expect(none.sentence).toMatch(/not judged/);
  });

  const parse = (f: string) => {
    const r = parseFredCsv(readFileSync(`${MACRO}/${f}`, 'utf8'), f);
    if (!r.ok) throw new Error(r.reason);
    return r.series;
  };
  const bars = VIX ? parseVixHistory({ text: readFileSync(VIX, 'utf8') }).bars : [];

  it('backtest-rules: the dollar gate holds the Second Engine back on days the dollar is calm', () => {
    const dollar = [parse('RBUSBIS.csv'), parse('DTWEXBGS.csv')];
    const gated = runBacktest({ points: bars, rulebook: defaultRulebook(), macroSeries: dollar });
    const plain = runBacktest({ points: bars, rulebook: defaultRulebook() });
    expect(gated.summary.dollarGate!.judgedDays).toBeGreaterThan(7000);
    expect(gated.summary.total.secondEngineEntries).toBeLessThan(plain.summary.total.secondEngineEntries);
    // Every Second Engine entry under the gate happened on a day the dollar read stress, or before any dollar
    // series could judge it (RBUSBIS starts in 1994: "not judged" does not block, and the reason says so).
    const entries = gated.days.filter((x) => x.entered.includes('second-engine'));
    expect(entries.length).toBeGreaterThan(0);
    for (const d of entries)
      expect(d.why.join(' '), d.date).toMatch(
        d.date >= '1996-01-01'
          ? /macroDollarStressZ\): fired/
          : /macroDollarStressZ\): fired|dollar.*skipped — not judged/,
      );
  });

  it('no look-ahead: a dollar value changed after a date changes no stage before its release', () => {
    const broad = parse('DTWEXBGS.csv');
    const cut = '2020-03-02';
    const shocked: FredSeries = {
      ...broad,
      observations: broad.observations.map((o) =>
        o.date >= cut && o.value !== null ? { ...o, value: o.value * 1.2 } : o,
      ),
    };
    const a = runBacktest({ points: bars, rulebook: defaultRulebook(), macroSeries: [broad] });
    const b = runBacktest({ points: bars, rulebook: defaultRulebook(), macroSeries: [shocked] });
    // DTWEXBGS is taken 7 days after its date: nothing before 9 Mar 2020 may move.
    const before = (r: typeof a) => r.days.filter((d) => d.date < '2020-03-09').map((d) => [d.stage, d.why]);
    expect(before(b)).toEqual(before(a));
    expect(b.days.map((d) => d.stage)).not.toEqual(a.days.map((d) => d.stage));
  });
});
