/**
 * `hedgelens backtest` through injected io: the table, --json (the report, timings left out), --chart (an SVG
 * written through io.writeFile), and the refusals (an unknown strategy, a broken file with its line named).
 * With ../shared present, the real 2019–2020 histories: every strategy has the 2020 spike's P/L.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/cli/commands/backtest';
import { main } from '../../src/cli/main';
import type { CliIo } from '../../src/cli/io';
import { sharedFile } from '../helpers/shared.ts';
import { authoredFiles } from './fixture';

function fakeIo(files: Record<string, string>) {
  const io = {
    out: '',
    err: '',
    written: {} as Record<string, string>,
    stdout: (t: string) => void (io.out += t),
    stderr: (t: string) => void (io.err += t),
    readFile: async (p: string) => {
      if (p in files) return files[p]!;
      if (p.startsWith('/')) return readFileSync(p, 'utf8');
      throw new Error('ENOENT: no such file');
    },
    writeFile: async (p: string, t: string) => void (io.written[p] = t),
    now: () => new Date('2026-01-01T00:00:00Z'),
  };
  return io;
}

const f = authoredFiles();
const files = { 'spx.csv': f.spx.text, 'vix.csv': f.vix.text };
const base = ['--spx-history', 'spx.csv', '--vix-history', 'vix.csv'];

describe('hedgelens backtest', () => {
  it('prints the table, the spikes and the caveats, and writes the chart', async () => {
    const io = fakeIo(files);
    expect(
      await run([...base, '--strategies', 'none,spx-puts', '--chart', 'c.svg', '--equity-csv', 'e.csv'], io as CliIo),
    ).toBe(0);
    expect(io.out).toContain('No hedge');
    expect(io.out).toContain('SPX puts only');
    expect(io.out).not.toContain('VXTH');
    expect(io.out).toMatch(/2020 +2020-\d\d-\d\d → 2020-\d\d-\d\d/);
    expect(io.out).toContain('Caveats:');
    expect(io.written['c.svg']).toMatch(/^<svg[^>]*>/);
    // The curves as CSV: a header of the strategies' ids, a row per session, dollars to the cent.
    const csv = io.written['e.csv']!.trim().split('\n');
    expect(csv[0]).toBe('date,none,spx-puts');
    expect(csv.length - 1).toBe(Number(/\((\d+) sessions\)/.exec(io.out)![1]));
    for (const line of csv.slice(1)) expect(line).toMatch(/^\d{4}-\d\d-\d\d,\d+\.\d\d,\d+\.\d\d$/);
    expect(csv[1]!.split(',')[1]).not.toBe('NaN');
    expect(io.out).toContain('Equity curves written to e.csv.');
  });

  it('gives the whole report as JSON, with annual returns per strategy', async () => {
    const io = fakeIo(files);
    expect(await run([...base, '--json', '--preset', 'trader'], io as CliIo)).toBe(0);
    const r = JSON.parse(io.out) as {
      book: { rules: { preset: string } };
      strategies: { id: string; annualReturns: Record<string, number>; spikes: { year: number }[] }[];
    };
    expect(r.book.rules.preset).toBe('trader');
    expect(r.strategies).toHaveLength(6);
    for (const s of r.strategies) {
      expect(Object.keys(s.annualReturns)).toEqual(['2019', '2020']);
      expect(s.spikes.map((x) => x.year)).toEqual([2020]);
    }
    expect(io.out).not.toContain('strategyMs');
  });

  it('refuses an unknown strategy and a broken file, with a clear line (exit 2)', async () => {
    const io = fakeIo(files);
    await expect(run([...base, '--strategies', 'none,magic'], io as CliIo)).rejects.toThrow(
      /unknown strategy "magic"; known: none, alvh/,
    );
    const broken = f.vix.text.split('\n');
    broken[3] = '02/30/2019,1,1,1,1';
    const io2 = fakeIo({ ...files, 'vix.csv': broken.join('\n') });
    expect(await main({ argv: ['backtest', ...base], io: io2 as CliIo })).toBe(2);
    expect(io2.err).toMatch(/VIX history vix\.csv, line 4: unreadable date/);
  });

  it('sets an index history beside each strategy year by year (--benchmark), and says when it shares no year with the run', async () => {
    // Cboe's strategy-index downloads name their one value column after the index (DATE,CNDR): here the authored
    // S&P 500 closes in that layout, with ISO dates.
    const rows = f.spx.text
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(','))
      .map(([d, , , , c]) => ({ date: `${d!.slice(6, 10)}-${d!.slice(0, 2)}-${d!.slice(3, 5)}`, close: Number(c) }));
    const cndr = ['DATE,CNDR', ...rows.map((r) => `${r.date},${r.close}`)].join('\n');
    const io = fakeIo({ ...files, 'CNDR_History.csv': cndr });
    expect(await run([...base, '--json', '--benchmark', 'CNDR_History.csv'], io as CliIo)).toBe(0);
    const r = JSON.parse(io.out) as {
      dates: string[];
      strategies: { id: string; annualReturns: Record<string, number> }[];
      benchmarkComparison: {
        name: string;
        years: { year: string; benchmark: number; strategies: Record<string, number> }[];
        missing: string[];
        correlation: Record<string, number | null>;
      };
    };
    const b = r.benchmarkComparison;
    expect(b.name).toBe('CNDR_History.csv');
    // The run starts on the file's first session: 2019 has no close before it, so only 2020 is compared.
    expect(b.missing).toEqual(['2019']);
    expect(b.years.map((y) => y.year)).toEqual(['2020']);
    const closeOn = (d: string) => rows.find((x) => x.date === d)!.close;
    const last2019 = r.dates.filter((d) => d < '2020').at(-1)!;
    const last2020 = r.dates.filter((d) => d < '2021').at(-1)!;
    expect(b.years[0]!.benchmark).toBeCloseTo(closeOn(last2020) / closeOn(last2019) - 1, 12);
    for (const s of r.strategies) expect(b.years[0]!.strategies[s.id]).toBe(s.annualReturns['2020']);
    expect(b.correlation.none).toBeNull(); // one year: no correlation

    const text = fakeIo({ ...files, 'CNDR_History.csv': cndr });
    expect(await run([...base, '--strategies', 'none', '--benchmark', 'CNDR_History.csv'], text as CliIo)).toBe(0);
    expect(text.out).toMatch(/Against CNDR_History\.csv \(closes \d{4}-\d\d-\d\d … \d{4}-\d\d-\d\d\)/);
    expect(text.out).toMatch(/\n {2}2020 +-?\d+\.\d%/);
    expect(text.out).toContain('not covered by the index at both ends: 2019');

    // An index history that starts after the run's last year began: nothing to compare, said, and the run's own
    // figures are still printed (exit 0).
    const late = ['DATE,CNDR', ...rows.filter((x) => x.date >= '2020-03-01').map((x) => `${x.date},${x.close}`)];
    const io3 = fakeIo({ ...files, 'late.csv': late.join('\n') });
    expect(await main({ argv: ['backtest', ...base, '--benchmark', 'late.csv'], io: io3 as CliIo })).toBe(0);
    expect(io3.out).toMatch(
      /Against late\.csv: it covers 2020-03-\d\d … .*no year of the run has the index's closes at both ends, so nothing is compared\./,
    );
    expect(io3.out).toContain('No hedge');
    const io3j = fakeIo({ ...files, 'late.csv': late.join('\n') });
    expect(await run([...base, '--json', '--benchmark', 'late.csv'], io3j as CliIo)).toBe(0);
    const j3 = JSON.parse(io3j.out) as { benchmarkComparison: { years: unknown[]; missing: string[] } };
    expect(j3.benchmarkComparison.years).toEqual([]);
    expect(j3.benchmarkComparison.missing).toEqual(['2019', '2020']);

    // A broken benchmark file is refused with its line.
    const io4 = fakeIo({ ...files, 'bad.csv': 'DATE,CNDR\n2020-01-02,100\n2020-01-03,abc\n' });
    expect(await main({ argv: ['backtest', ...base, '--benchmark', 'bad.csv'], io: io4 as CliIo })).toBe(2);
    expect(io4.err).toMatch(/benchmark history bad\.csv, line 3/);
  });

  const spx = sharedFile('data/spx/SPX_History.csv');
  const vix = sharedFile('data/vix/VIX_History.csv');
  it.skipIf(spx === null || vix === null)(
    'on the real histories (../shared), 2019-06 … 2020-12: every strategy has the 2020 spike',
    async () => {
      const io = fakeIo({});
      const argv = [
        '--spx-history',
        spx!,
        '--vix-history',
        vix!,
        '--from',
        '2019-06-01',
        '--to',
        '2020-12-31',
        '--json',
      ];
      expect(await run(argv, io as CliIo)).toBe(0);
      const r = JSON.parse(io.out) as {
        spikes: { year: number; peak: string }[];
        strategies: { spikes: { year: number; pnl: number }[] }[];
      };
      expect(r.spikes.find((s) => s.year === 2020)!.peak).toBe('2020-03-16');
      for (const s of r.strategies) expect(Number.isFinite(s.spikes.find((x) => x.year === 2020)!.pnl)).toBe(true);
    },
    120_000,
  );
});
