import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/cli/commands/backtest-rules';
import { UsageError, type CliIo } from '../../src/cli/io';
import { applyEdit, defaultRulebook, exportRulebook } from '../../src/engine/alvh/rulebook';
import { FIXTURES_DIR, sharedFile } from '../helpers/shared';

function fakeIo(files: Record<string, string>): CliIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    readFile: async (p) => {
      if (p in files) return files[p] as string;
      if (p.startsWith('/')) return readFileSync(p, 'utf8');
      throw new Error(`ENOENT: no such file ${p}`);
    },
    now: () => new Date('2026-03-14T12:00:00Z'),
  };
}
const spike = readFileSync(resolve(FIXTURES_DIR, 'vix', 'authored_spike.csv'), 'utf8');

describe('backtest-rules', () => {
  it('--json prints {days, summary} with a stage per day', async () => {
    const io = fakeIo({ 'v.csv': spike });
    expect(await run(['--vix-history', 'v.csv', '--json'], io)).toBe(0);
    const j = JSON.parse(io.out.join('')) as {
      days: { date: string; stage: string; why: string[] }[];
      summary: { total: { days: number }; episodes: { start: string; firstSecondEngine: string | null }[] };
    };
    expect(j.days).toHaveLength(110);
    expect(j.days[0]).toMatchObject({ date: '2024-01-02', stage: 'calm' });
    for (const d of j.days) expect(['calm', 'layer-one', 'second-engine', 'unwind']).toContain(d.stage);
    expect(j.summary.total.days).toBe(110);
    expect(j.summary.episodes).toHaveLength(1);
    expect(j.summary.episodes[0]?.start).toBe('2024-03-27');
    expect(j.days.find((d) => d.date === '2024-03-27')?.why[0]).toMatch(/Calm → Layer One/);
    expect(io.err).toEqual([]);
  });

  it('prints a readable table and summary without --json', async () => {
    const io = fakeIo({ 'v.csv': spike });
    expect(await run(['--vix-history=v.csv'], io)).toBe(0);
    const text = io.out.join('');
    expect(text).toMatch(/^2024-03-27\s+17\.20\s+(layer-one|second-engine)\s+Calm → Layer One/m);
    expect(text).toMatch(/Episodes that reached the Second Engine:\n.*\n2024-03-27 /);
    expect(text).toMatch(/^2024\s+110\s/m);
  });

  it('uses the rulebook file: a stricter spike rule gives a different story', async () => {
    const strict = applyEdit(
      defaultRulebook(),
      { thresholds: { spikePctOnPriorClose: 80, spikePointsOnPriorClose: 30, spikeMinVixLevel: 100 } },
      { at: '2026-01-01T00:00:00Z', note: 'test' },
    );
    if (!strict.ok) throw new Error('edit failed');
    const io = fakeIo({ 'v.csv': spike, 'rb.json': exportRulebook(strict.rulebook) });
    await run(['--vix-history', 'v.csv', '--rulebook', 'rb.json', '--json'], io);
    const j = JSON.parse(io.out.join('')) as { days: { stage: string }[]; summary: { rulebookVersion: number } };
    expect(j.summary.rulebookVersion).toBe(2);
    expect(j.days.every((d) => d.stage === 'calm')).toBe(true);
  });

  it('bad input is a UsageError with one clear line', async () => {
    const io = fakeIo({ 'v.csv': spike, 'bad.json': '{"schemaVersion": 1}', 'x.csv': 'Strike,Bid\n1,2\n' });
    await expect(run([], io)).rejects.toThrow(/--vix-history FILE is required/);
    await expect(run(['--vix-history'], io)).rejects.toThrow(UsageError);
    await expect(run(['--vix-history', 'v.csv', '--bogus'], io)).rejects.toThrow(/unknown argument "--bogus"/);
    await expect(run(['--vix-history', 'nope.csv'], io)).rejects.toThrow(/cannot read VIX history nope.csv/);
    await expect(run(['--vix-history', 'x.csv'], io)).rejects.toThrow(/no VIX closes in x.csv .*DATE and CLOSE/);
    // The S&P 500's closes given as the VIX's: refused, not run into 110 days of nonsense stages.
    const spxLike = spike.replace(/^(\d\d\/\d\d\/\d{4}),.*$/gm, '$1,4800,4810,4790,4800');
    const io2 = fakeIo({ 'spx.csv': spxLike });
    await expect(run(['--vix-history', 'spx.csv'], io2)).rejects.toThrow(
      /^spx\.csv: the close 4,800 on 2024-01-02 \(and 109 more; the file's closes run from 4,800 to 4,800\) is not a level VIX can have .*\(--vix-history takes Cboe's VIX_History\.csv\)$/,
    );
    await expect(run(['--vix-history', 'v.csv', '--rulebook', 'bad.json'], io)).rejects.toThrow(
      /invalid rulebook bad.json: /,
    );
    try {
      await run(['--vix-history', 'v.csv', '--rulebook', 'bad.json'], io);
    } catch (e) {
      expect((e as Error).message).not.toMatch(/\n/);
    }
  });

  it('warns about skipped bad lines on stderr and still runs', async () => {
    const io = fakeIo({ 'b.csv': readFileSync(resolve(FIXTURES_DIR, 'vix', 'bad_lines.csv'), 'utf8') });
    expect(await run(['--vix-history', 'b.csv', '--json'], io)).toBe(0);
    expect(io.err.join('')).toMatch(/^warning: 5 bad line\(s\) in b.csv skipped \(first: line 3: unreadable date/);
  });

  const real = sharedFile('data/vix/VIX_History.csv');
  describe.skipIf(!real)('on ../shared/data/vix/VIX_History.csv', () => {
    it('reaches the Second Engine in Aug 2024 and prints every day', async () => {
      const io = fakeIo({});
      expect(await run(['--vix-history', real as string, '--json'], io)).toBe(0);
      const j = JSON.parse(io.out.join('')) as { days: { date: string; stage: string }[] };
      expect(j.days.length).toBeGreaterThan(9000);
      expect(j.days.find((d) => d.date === '2024-08-05')?.stage).toBe('second-engine');
    });
  });
});
