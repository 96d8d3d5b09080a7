import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseArgs } from '../../src/cli/args.ts';
import { fmtDollars, fmtNumber, fmtPercent, fmtStrike, table } from '../../src/cli/format.ts';
import { UsageError, type CliIo, type CommandRun } from '../../src/cli/io.ts';
import { main } from '../../src/cli/main.ts';
import { REPO_DIR } from '../helpers/shared.ts';

function fakeIo(): CliIo & { out: string; err: string } {
  const io = {
    out: '',
    err: '',
    stdout: (t: string) => void (io.out += t),
    stderr: (t: string) => void (io.err += t),
    readFile: async (p: string) => {
      throw Object.assign(new Error(`ENOENT: ${p}`), { code: 'ENOENT' });
    },
    now: () => new Date('2026-03-14T15:00:00Z'),
  };
  return io;
}

describe('main dispatch', () => {
  const loader = (run: CommandRun | null) => async (): Promise<CommandRun | null> => run;
  it('prints help and exits 0', async () => {
    const io = fakeIo();
    expect(await main({ argv: ['--help'], io })).toBe(0);
    expect(io.out).toContain('hedgelens analyze');
    expect(io.out).toContain('backtest-rules');
  });
  it('exits 2 with one line for no command and an unknown command', async () => {
    for (const argv of [[], ['frobnicate']]) {
      const io = fakeIo();
      expect(await main({ argv, io })).toBe(2);
      expect(io.err.trimEnd().split('\n')).toHaveLength(1);
    }
  });
  it('says a missing command module is not available yet', async () => {
    const io = fakeIo();
    expect(await main({ argv: ['price'], io, load: loader(null) })).toBe(1);
    expect(io.err).toBe('hedgelens price: command not available yet\n');
  });
  it('passes argv on and returns the command exit code', async () => {
    const io = fakeIo();
    let seen: string[] = [];
    const code = await main({
      argv: ['scrape', 'a.html', '--json'],
      io,
      load: loader(async (argv) => {
        seen = argv;
        return 0;
      }),
    });
    expect(code).toBe(0);
    expect(seen).toEqual(['a.html', '--json']);
  });
  it('maps UsageError to exit 2 with its message on one line, other errors to 1', async () => {
    const io = fakeIo();
    expect(
      await main({
        argv: ['analyze'],
        io,
        load: loader(async () => {
          throw new UsageError('bad\ninput here');
        }),
      }),
    ).toBe(2);
    expect(io.err).toBe('hedgelens analyze: bad input here\n');
    const io2 = fakeIo();
    expect(
      await main({
        argv: ['analyze'],
        io: io2,
        load: loader(async () => {
          throw new TypeError('boom');
        }),
      }),
    ).toBe(1);
    expect(io2.err).toBe('hedgelens analyze: internal error: boom\n');
  });
});

describe('parseArgs', () => {
  const flags = { json: { type: 'boolean' }, qty: { type: 'string' }, help: { type: 'boolean', alias: 'h' } } as const;
  it('reads flags, --flag=value, aliases, positionals and --', () => {
    expect(parseArgs({ argv: ['f.csv', '--qty', '2', '--json', '-h', '--', '--x'], flags, usage: 'u' })).toEqual({
      positionals: ['f.csv', '--x'],
      values: { qty: '2', json: true, help: true },
    });
    expect(parseArgs({ argv: ['--qty=3', '-5'], flags, usage: 'u' }).values.qty).toBe('3');
    expect(parseArgs({ argv: ['--qty=3', '-5'], flags, usage: 'u' }).positionals).toEqual(['-5']);
  });
  it.each([
    [['--nope'], 'unknown option --nope'],
    [['--qty'], '--qty needs a value'],
    [['--qty', '--json'], '--qty needs a value'],
    [['--json=1'], 'takes no value'],
    [['--qty', '1', '--qty', '2'], 'given twice'],
  ])('rejects %j', (argv, msg) => {
    expect(() => parseArgs({ argv, flags, usage: 'u' })).toThrow(msg);
  });
});

describe('format', () => {
  it('never prints NaN', () => {
    expect(fmtNumber(Number.NaN)).toBe('—');
    expect(fmtNumber(null)).toBe('—');
    expect(fmtPercent(Number.POSITIVE_INFINITY)).toBe('—');
    expect(fmtDollars(undefined)).toBe('—');
  });
  it('formats numbers, money, percentages and strikes', () => {
    expect(fmtNumber(6632.1899)).toBe('6,632.19');
    expect(fmtNumber(-0.001)).toBe('0.00');
    expect(fmtNumber(1.5, { sign: true })).toBe('+1.50');
    expect(fmtDollars(-4590)).toBe('-$4,590');
    expect(fmtDollars(3.391, { digits: 2, sign: true })).toBe('+$3.39');
    expect(fmtPercent(0.1432)).toBe('14.32%');
    expect(fmtStrike(657.5)).toBe('657.5');
    expect(fmtStrike(6600)).toBe('6600');
  });
  it('aligns tables', () => {
    expect(
      table({
        headers: ['a', 'bb'],
        rows: [
          ['x', '1'],
          ['yy', '22'],
        ],
        left: [0],
      }),
    ).toBe(['a   bb', '──  ──', 'x    1', 'yy  22'].join('\n'));
  });
});

describe('bin/hedgelens.mjs as a real process', () => {
  const bin = resolve(REPO_DIR, 'bin/hedgelens.mjs');
  const run = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { cwd: REPO_DIR, encoding: 'utf8' });
  it('--help exits 0', () => {
    const r = run('--help');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('usage: hedgelens');
  });
  it('an unknown command exits 2 with one line on stderr', () => {
    const r = run('nonsense');
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  });
});
