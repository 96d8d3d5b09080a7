import { spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAnalyzeArgs, parseCondorStrikes, run } from '../../src/cli/commands/analyze.ts';
import { UsageError, type CliIo } from '../../src/cli/io.ts';
import { main } from '../../src/cli/main.ts';
import type { ChainAnalysis } from '../../src/engine/types.ts';
import { FIXTURES_DIR, REPO_DIR } from '../helpers/shared.ts';

function fakeIo(files: Record<string, string> = {}): CliIo & { out: string; err: string } {
  const io = {
    out: '',
    err: '',
    stdout: (t: string) => void (io.out += t),
    stderr: (t: string) => void (io.err += t),
    readFile: async (p: string) => {
      if (p in files) return files[p]!;
      return readFile(resolve(REPO_DIR, p), 'utf8');
    },
    now: () => new Date('2030-01-01T00:00:00Z'),
  };
  return io;
}
const LEGACY = 'tests/fixtures/cboe/cboe_spx_quotedata_2020-03-22_legacy.dat';
const SPY = 'tests/fixtures/cboe/cboe_spy_quotedata_2025-09-25.csv';

describe('analyze arguments', () => {
  it('parses the condor and its options', () => {
    expect(parseCondorStrikes('6400/6450/6800/6850')).toEqual([6400, 6450, 6800, 6850]);
    expect(parseCondorStrikes('6400/6600/6600/6850')).toEqual([6400, 6600, 6600, 6850]);
    expect(
      parseAnalyzeArgs([
        'f.csv',
        '--condor',
        '1/2/3/4',
        '--qty',
        '3',
        '--credit',
        '0.4',
        '--now',
        '2026-03-14T15:30:00Z',
      ]),
    ).toEqual({
      file: 'f.csv',
      json: false,
      condor: { strikes: [1, 2, 3, 4], quantity: 3, credit: 0.4 },
      now: new Date('2026-03-14T15:30:00Z'),
    });
  });
  it.each([
    [[], 'no file given'],
    [['a', 'b'], 'one file at a time'],
    [['f', '--condor', '6450/6400/6800/6850'], 'K1 < K2 ≤ K3 < K4'],
    [['f', '--condor', '6400/6450/6800'], 'four strikes'],
    [['f', '--condor', '1/2/3/4', '--qty', '1.5'], '--qty must be a whole number'],
    [['f', '--condor', '1/2/3/4', '--qty', '0'], '--qty must be positive'],
    [['f', '--condor', '1/2/3/4', '--credit', '-1'], '--credit'],
    [['f', '--qty', '2'], 'give --condor'],
    [['f', '--expiry', '2026-02-30'], '--expiry must be a date'],
    [['f', '--vix', 'high'], '--vix must be a number'],
    [['f', '--now', 'yesterday'], '--now must be a time'],
    [['f', '--bogus'], 'unknown option --bogus'],
  ])('rejects %j', (argv, msg) => {
    expect(() => parseAnalyzeArgs(argv)).toThrow(UsageError);
    expect(() => parseAnalyzeArgs(argv)).toThrow(msg);
  });
});

describe('analyze through run()', () => {
  it('analyses the legacy SPX file with a given condor, at the close before the file time', async () => {
    const io = fakeIo();
    const code = await run(
      [LEGACY, '--expiry', '2020-04-17', '--condor', '1900/2000/2600/2700', '--qty', '2', '--credit', '30', '--json'],
      io,
    );
    expect(code).toBe(0);
    const a = JSON.parse(io.out) as ChainAnalysis;
    expect(a.symbol).toBe('SPX');
    expect(a.spot).toBe(2304.92);
    // Saved on Sunday 22 Mar 2020 18:24 EDT: its quotes are Friday's, valued at Friday 20 Mar 16:00 EDT (time.ts).
    expect(a.now).toBe('2020-03-20T20:00:00.000Z');
    expect(a.expiries[a.chosenExpiry!]!.date).toBe('2020-04-17');
    const c = a.condor!;
    expect(c.strikes).toEqual([1900, 2000, 2600, 2700]);
    // Given credit 30 on a 100-wide condor, ×2, $100 per point: by hand.
    expect(c.creditUsed).toBe(30);
    expect(c.maxProfitDollars).toBeCloseTo(6000, 6);
    expect(c.maxLossDollars).toBeCloseTo(14000, 6);
    expect(c.breakevenLower).toBeCloseTo(1970, 9);
    expect(c.breakevenUpper).toBeCloseTo(2630, 9);
    // The legs' quotes are the file's (SPX 17 Apr 2020 2000 put: bid 59.2, ask 62.5).
    expect(c.legs.find((l) => l.kind === 'put' && l.strike === 2000)).toMatchObject({ bid: 59.2, ask: 62.5 });
  });
  it('prints a readable summary without NaN', async () => {
    const io = fakeIo();
    expect(await run([SPY], io)).toBe(0);
    expect(io.out).toContain('SPY 658.05');
    // Saved Thu 25 Sep 2025 21:05 EDT, after the close: valued at that day's 16:00 close.
    expect(io.out).toContain(
      "as of 2025-09-25T20:00:00Z (the file's time stamp, seen outside the regular session: valued at the 2025-09-25 16:00 New York close)",
    );
    expect(io.out).toMatch(/Expiry 2025-\d\d-\d\d SPY PM/);
    expect(io.out).toContain('ATM IV');
    expect(io.out).toContain('Trading aids, not advice.');
    expect(io.out).not.toMatch(/NaN|Infinity|undefined/);
  });
  it('--now overrides the file time', async () => {
    const io = fakeIo();
    await run([SPY, '--now', '2025-09-30T14:00:00Z', '--json'], io);
    expect((JSON.parse(io.out) as ChainAnalysis).now).toBe('2025-09-30T14:00:00.000Z');
  });
  it('accepts --vix and --vix-history and says ALVH is not computed yet', async () => {
    const io = fakeIo();
    expect(await run([SPY, '--vix', '16.2'], io)).toBe(0);
    expect(io.out).toContain('--vix/--vix-history were accepted but not used');
  });
  it('reads Chain JSON and snapshot JSON', async () => {
    const spyText = await readFile(resolve(FIXTURES_DIR, 'cboe/cboe_spy_quotedata_2025-09-25.csv'), 'utf8');
    const { importChainText } = await import('../../src/chain/importers/index.ts');
    const r = importChainText({ text: spyText });
    if (!r.ok) throw new Error(r.reason);
    const io = fakeIo({ 'snap.json': JSON.stringify({ chain: r.chain }), 'chain.json': JSON.stringify(r.chain) });
    expect(await run(['snap.json', '--json'], io)).toBe(0);
    const a1 = JSON.parse(io.out) as ChainAnalysis;
    const io2 = fakeIo({ 'chain.json': JSON.stringify(r.chain) });
    expect(await run(['chain.json', '--json'], io2)).toBe(0);
    expect(JSON.parse(io2.out)).toEqual(a1);
    expect(a1.symbol).toBe('SPY');
  });
  it.each([
    [['missing-file.csv'], 'cannot read missing-file.csv: no such file'],
    [['junk.txt'], 'junk.txt: unrecognised file'],
    [[SPY, '--expiry', '2025-12-25'], 'no expiry 2025-12-25 in cboe_spy_quotedata_2025-09-25.csv; it has 2025-10-01'],
  ])('bad input %j → exit 2 with one line', async (argv, msg) => {
    const io = fakeIo({ 'junk.txt': 'hello world\n' });
    expect(await main({ argv: ['analyze', ...argv], io })).toBe(2);
    expect(io.err).toContain(msg);
    expect(io.err.trimEnd().split('\n')).toHaveLength(1);
  });
});

describe('analyze as a real process', () => {
  const bin = resolve(REPO_DIR, 'bin/hedgelens.mjs');
  const exec = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { cwd: REPO_DIR, encoding: 'utf8' });
  it('exits 0 on the authored VIX chain (AM-settled, Wednesday expiry)', () => {
    const r = exec('analyze', 'tests/fixtures/cboe/vix_quotedata_2020-03-13_authored.dat', '--json');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const a = JSON.parse(r.stdout) as ChainAnalysis;
    expect(a.symbol).toBe('VIX');
    expect(a.expiries.map((e) => `${e.date} ${e.root} ${e.settlement}`)).toEqual([
      '2020-03-18 VIX AM',
      '2020-03-25 VIXW AM',
      '2020-04-15 VIX AM',
    ]);
  });
  it('exits 2 with one line on a bad condor', () => {
    const r = exec('analyze', SPY, '--condor', '700/650/600/550');
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('K1 < K2 ≤ K3 < K4');
  });
});
