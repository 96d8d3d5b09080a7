import { readFileSync, readdirSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseFredCsv, type FredSeries, type Observation } from '../../../src/engine/macro/fred';
import { readGauges, type GaugeId } from '../../../src/engine/macro/gauges';
import { sharedFile } from '../../helpers/shared';
import { main } from '../../../src/cli/main';

const series = (id: string, frequency: FredSeries['frequency'], observations: Observation[]): FredSeries => ({
  id,
  frequency,
  observations,
  missing: observations.filter((o) => o.value === null).length,
});

/** Weekdays from `start`, one value each. */
function daily(id: string, start: string, vals: (number | null)[]): FredSeries {
  const out: Observation[] = [];
  const d = new Date(`${start}T00:00:00Z`);
  for (const v of vals) {
    while (d.getUTCDay() === 0 || d.getUTCDay() === 6) d.setUTCDate(d.getUTCDate() + 1);
    out.push({ date: d.toISOString().slice(0, 10), value: v });
    d.setUTCDate(d.getUTCDate() + 1);
  }
  return series(id, 'daily', out);
}

/** Months from `year`-`month`, dated the 1st. */
function monthly(id: string, year: number, month: number, vals: number[]): FredSeries {
  return series(
    id,
    'monthly',
    vals.map((value, i) => {
      const d = new Date(Date.UTC(year, month - 1 + i, 1));
      return { date: d.toISOString().slice(0, 10), value };
    }),
  );
}

const gauge = (readings: ReturnType<typeof readGauges>, id: GaugeId) => readings.find((g) => g.id === id)!;

describe('each gauge on a small hand-checked series', () => {
  it('high-yield spread: widening over 20 sessions, missing days skipped', () => {
    // 3.00 for 21 sessions, a holiday, then 4.25: the change over the last 20 values is 1.25 points.
    const hy = daily('BAMLH0A0HYM2', '2020-02-03', [...Array(21).fill(3), null, 4.25]);
    const last = hy.observations[hy.observations.length - 1]!.date;
    const g = gauge(readGauges(new Map([['BAMLH0A0HYM2', hy]]), '2020-03-06'), 'hy-spread');
    expect(last).toBe('2020-03-04');
    expect(g.figure).toBeCloseTo(1.25, 12);
    expect(g.state).toBe('stress');
    expect(g.lastDate).toBe('2020-03-04');
    expect(g.sentence).toMatch(/1\.25 percentage points .* ≥ 1\.00: stress/);
  });

  it('yield curve: a steepening below the threshold is calm', () => {
    const vals = Array.from({ length: 25 }, (_, i) => -0.5 + 0.01 * i); // +0.20 over 20 sessions
    const g = gauge(readGauges(new Map([['T10Y2Y', daily('T10Y2Y', '2020-02-03', vals)]]), '2020-03-10'), 'curve');
    expect(g.figure).toBeCloseTo(0.2, 12);
    expect(g.state).toBe('calm');
  });

  it('CPI: the last month-on-month change against the trailing 12 months, in their standard deviations', () => {
    // Month-on-month changes alternate 0.1% and 0.3% for a year (mean 0.2, sd √(12/11)·0.1), then 0.6%.
    const vals = [100];
    for (let i = 0; i < 12; i++) vals.push(vals[vals.length - 1]! * (1 + (i % 2 === 0 ? 0.001 : 0.003)));
    vals.push(vals[vals.length - 1]! * 1.006);
    const cpi = monthly('CPIAUCSL', 2021, 1, vals); // last month 2022-02-01, published mid-March
    const g = gauge(readGauges(new Map([['CPIAUCSL', cpi]]), '2022-03-20'), 'cpi');
    const sd = Math.sqrt((12 * 0.01) / 11);
    expect(g.figure).toBeCloseTo((0.6 - 0.2) / sd, 9);
    expect(g.state).toBe('stress');
  });

  it('dollar: a monthly real index, its 1-month log change in standard deviations of its history', () => {
    // 48 months alternating ±1% (changes ln(1.01), ln(1/1.01)), then +3%.
    const vals = [100];
    for (let i = 0; i < 48; i++) vals.push(vals[vals.length - 1]! * (i % 2 === 0 ? 1.01 : 1 / 1.01));
    vals.push(vals[vals.length - 1]! * 1.03);
    const reer = monthly('RBUSBIS', 2016, 1, vals); // last month 2020-02-01
    const g = gauge(readGauges(new Map([['RBUSBIS', reer]]), '2020-03-20'), 'reer');
    const changes = vals.slice(1).map((v, i) => Math.log(v / vals[i]!));
    const past = changes.slice(0, -1);
    const mean = past.reduce((s, x) => s + x, 0) / past.length;
    const sd = Math.sqrt(past.reduce((s, x) => s + (x - mean) ** 2, 0) / (past.length - 1));
    expect(g.figure).toBeCloseTo((Math.log(1.03) - mean) / sd, 9);
    expect(g.series).toBe('RBUSBIS');
    expect(g.state).toBe('stress');
  });
});

describe('no look-ahead, no stale figure', () => {
  it('a monthly value is used only from its release (45 days after its date)', () => {
    const vals = [100];
    for (let i = 0; i < 13; i++) vals.push(vals[vals.length - 1]! * (i % 2 === 0 ? 1.001 : 1.003));
    const cpi = monthly('CPIAUCSL', 2021, 1, [...vals, vals[vals.length - 1]! * 1.02]); // a jump in 2022-03
    const before = gauge(readGauges(new Map([['CPIAUCSL', cpi]]), '2022-04-14'), 'cpi');
    const after = gauge(readGauges(new Map([['CPIAUCSL', cpi]]), '2022-04-15'), 'cpi');
    expect(before.lastDate).toBe('2022-02-01');
    expect(after.lastDate).toBe('2022-03-01');
    expect(before.state).not.toBe('stress');
    expect(after.state).toBe('stress');
  });
  it('a later observation never changes an earlier reading', () => {
    const base = daily(
      'BAMLH0A0HYM2',
      '2020-01-06',
      Array.from({ length: 40 }, (_, i) => 3 + 0.01 * i),
    );
    const extended = series('BAMLH0A0HYM2', 'daily', [...base.observations, { date: '2020-03-02', value: 9 }]);
    const asOf = '2020-02-28';
    expect(readGauges(new Map([['BAMLH0A0HYM2', extended]]), asOf)).toEqual(
      readGauges(new Map([['BAMLH0A0HYM2', base]]), asOf),
    );
  });
  it('missing or stale series are not judged, and say why', () => {
    const readings = readGauges(new Map(), '2020-03-20');
    expect(readings.every((g) => g.state === 'not-judged' && g.figure === null)).toBe(true);
    expect(gauge(readings, 'reer').sentence).toMatch(/bring RBUSBIS or DTWEXBGS or TWEXBMTH as a FRED CSV/);
    const old = daily(
      'T10Y2Y',
      '2019-01-07',
      Array.from({ length: 30 }, () => 0.2),
    );
    const g = gauge(readGauges(new Map([['T10Y2Y', old]]), '2020-03-20'), 'curve');
    expect(g.state).toBe('not-judged');
    expect(g.sentence).toMatch(/stale on 2020-03-20/);
  });
});

describe('the real series on 20 March 2020', () => {
  const dir = sharedFile('data/macro');
  it.skipIf(!dir)('reads every gauge with its figure; credit, curve and dollar in stress', () => {
    const map = new Map<string, FredSeries>();
    for (const f of readdirSync(dir!)) {
      const r = parseFredCsv(readFileSync(join(dir!, f), 'utf8'), f);
      if (!r.ok) throw new Error(r.reason);
      map.set(r.series.id, r.series);
    }
    const readings = readGauges(map, '2020-03-20');
    expect(readings.map((g) => [g.id, g.state])).toEqual([
      ['reer', 'stress'],
      ['hy-spread', 'stress'],
      ['curve', 'stress'],
      ['cpi', 'calm'],
      ['ppi', 'calm'],
    ]);
    // The broad dollar is the freshest series that day (the monthly real index is published weeks later).
    expect(gauge(readings, 'reer').series).toBe('DTWEXBGS');
    expect(gauge(readings, 'hy-spread').figure).toBeGreaterThan(5); // 6.16 points in 20 sessions
  });
});

describe('hedgelens analyze with the macro series', () => {
  const dir = sharedFile('data/macro');
  const history = sharedFile('data/vix/VIX_History.csv');
  it.skipIf(!dir || !history)('prints each gauge on 20 Mar 2020 and puts them in --json', async () => {
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
      history!,
      '--macro-dir',
      dir!,
    ];
    const out: string[] = [];
    const io = {
      stdout: (t: string) => void out.push(t),
      stderr: () => undefined,
      readFile: (p: string) => readFile(p, 'utf8'),
      listDir: (p: string) => readdir(p),
      now: () => new Date('2030-01-01T00:00:00Z'),
    };
    expect(await main({ argv, io })).toBe(0);
    expect(await main({ argv: [...argv, '--json'], io })).toBe(0);
    const [text, json] = [out.slice(0, -1).join(''), out[out.length - 1]!];
    expect(text).toMatch(/Macro gauges on 2020-03-20/);
    expect(text).toMatch(/✓ High-yield credit spread: .* 6\.16 percentage points/);
    const macro = (JSON.parse(json) as { macro: { id: string; state: string }[] }).macro;
    expect(macro.find((g) => g.id === 'reer')!.state).toBe('stress');
  });
});
