/**
 * `--vix3m FILE` (Cboe's VIX3M_History.csv) on `backtest-rules` and `analyze`: the term structure the stage machine
 * judges, said in the output; bad input is one clear line.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run as analyze, parseAnalyzeArgs } from '../../src/cli/commands/analyze';
import { run as backtest } from '../../src/cli/commands/backtest-rules';
import { UsageError } from '../../src/cli/io';
import { memoryIo } from '../helpers/cliIo';
import { FIXTURES_DIR, REPO_DIR, sharedFile } from '../helpers/shared';

const spike = readFileSync(resolve(FIXTURES_DIR, 'vix', 'authored_spike.csv'), 'utf8');

/** The CLI's IO: `files` in memory, the repository's files beside them, a clock far from every fixture. */
const cliIo = (files: Record<string, string> = {}) => memoryIo({ files, disk: REPO_DIR, now: '2030-01-01T00:00:00Z' });

describe('backtest-rules --vix3m', () => {
  it('says the term structure is not judged without it, and which days it covers with it', async () => {
    const plain = cliIo({ 'v.csv': spike });
    expect(await backtest(['--vix-history', 'v.csv'], plain)).toBe(0);
    expect(plain.out).toContain('Term structure: no --vix3m, not judged');
    // A VIX3M series in contango on every day of the authored spike: the Second Engine never comes.
    const rows = spike
      .trim()
      .split(/\r?\n/)
      .slice(1)
      .map((l) => l.split(','))
      .map(([d, , , , c]) => `${d},0,0,0,${(Number(c) * 1.5).toFixed(2)}`);
    const contango = ['DATE,OPEN,HIGH,LOW,CLOSE', ...rows].join('\n');
    const io = cliIo({ 'v.csv': spike, 'v3.csv': contango });
    expect(await backtest(['--vix-history', 'v.csv', '--vix3m', 'v3.csv', '--json'], io)).toBe(0);
    const j = JSON.parse(io.out) as {
      days: { stage: string }[];
      summary: { vix3m: { days: number } | null; total: { secondEngineEntries: number; layerOneEntries: number } };
    };
    expect(j.summary.vix3m?.days).toBe(110);
    expect(j.summary.total.layerOneEntries).toBe(1);
    expect(j.summary.total.secondEngineEntries).toBe(0);
    expect(j.days.some((d) => d.stage === 'second-engine')).toBe(false);
  });

  it('a VIX3M file sharing no date with the history is refused in one line', async () => {
    const io = cliIo({ 'v.csv': spike, 'v3.csv': 'DATE,OPEN,HIGH,LOW,CLOSE\n01/02/1990,1,1,1,20\n' });
    await expect(backtest(['--vix-history', 'v.csv', '--vix3m', 'v3.csv'], io)).rejects.toThrow(
      /v3\.csv shares no date with v\.csv/,
    );
    await expect(backtest(['--vix-history', 'v.csv', '--vix3m', 'x.csv'], cliIo({ 'v.csv': spike }))).rejects.toThrow(
      UsageError,
    );
  });

  const VIX = sharedFile('data/vix/VIX_History.csv');
  const VIX3M = sharedFile('data/vix/term/VIX3M_History.csv');
  it.skipIf(!VIX || !VIX3M)(
    'on the real files: the Mar 2020 spike reaches the Second Engine on 2020-02-25',
    async () => {
      const io = cliIo();
      expect(await backtest(['--vix-history', VIX!, '--vix3m', VIX3M!], io)).toBe(0);
      expect(io.out).toMatch(/on 4222 of the days; the Second Engine needs VIX ÷ VIX3M ≥ 1/);
      expect(io.out).toMatch(/^2020-02-24 {2}2020-02-25 /m);
    },
  );
});

describe('analyze --vix3m', () => {
  it('needs --vix-history', () => {
    expect(() => parseAnalyzeArgs(['f.csv', '--vix', '30', '--vix3m', 'v3.csv'])).toThrow(
      /--vix3m is read beside the VIX history/,
    );
  });

  const VIX = sharedFile('data/vix/VIX_History.csv');
  const VIX3M = sharedFile('data/vix/term/VIX3M_History.csv');
  it.skipIf(!VIX || !VIX3M)('SPX 20 Mar 2020: the stage checks judge VIX ÷ VIX3M (66.04 ÷ 65.59)', async () => {
    const io = cliIo();
    const file = 'tests/fixtures/cboe/cboe_spx_quotedata_2020-03-22_legacy.dat';
    expect(await analyze([file, '--vix-history', VIX!, '--vix3m', VIX3M!], io), io.err).toBe(0);
    expect(io.out).toMatch(/term structure: VIX3M from VIX3M_History\.csv, on 4222 days of the history/);
    expect(io.out).toContain(
      '✓ VIX ÷ VIX3M (term structure; ≥ 1 = backwardation) 1.01 ≥ 1 (secondEngineMinVixToVix3m): fired.',
    );
  });
});
