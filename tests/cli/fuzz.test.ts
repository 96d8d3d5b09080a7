/**
 * The command line against malformed files (fast-check): `hedgelens analyze`, `scrape` and `price --batch` on
 * real fixtures broken at random (truncated, numbers swapped for NaN / Infinity / 1e308 / negatives / junk, lines
 * dropped or duplicated, bytes of noise) and on noise alone. Each run either succeeds or fails with a UsageError
 * (the CLI prints it as one line and exits 2); nothing else is ever thrown, and no NaN or Infinity is ever printed.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CliIo, CommandRun } from '../../src/cli/io';
import { main } from '../../src/cli/main';
import { run as analyze } from '../../src/cli/commands/analyze';
import { run as scrape } from '../../src/cli/commands/scrape';
import { run as price } from '../../src/cli/commands/price';

const FIX = join(import.meta.dirname, '../fixtures');
const read = (p: string) => readFileSync(join(FIX, p), 'utf8');

// Small seeds: the first rows of real files (the fuzzing is in what is done to them).
const cboeCsv = read('cboe/cboe_spx_quotedata_2026-03-14.csv').split('\n').slice(0, 40).join('\n');
const legacyDat = read('cboe/cboe_spx_quotedata_2020-03-22_legacy.dat').split('\n').slice(0, 40).join('\n');
const straddleHtml = read('e2e/simple-straddle.html');
const chainJson = JSON.stringify({
  version: 1,
  underlying: { symbol: 'SPX', price: 6500 },
  asOf: '2026-03-14T16:00:00Z',
  source: { kind: 'import', adapter: 'fuzz' },
  expiries: [
    {
      date: '2026-04-17',
      root: 'SPXW',
      settlement: 'PM',
      rows: [6400, 6450, 6500, 6550, 6600].map((k, i) => ({
        strike: k,
        call: { bid: 150 - i * 40, ask: 152 - i * 40, last: null, volume: 10, openInterest: 5, iv: 0.16, delta: null },
        put: { bid: 20 + i * 30, ask: 22 + i * 30, last: null, volume: 10, openInterest: 5, iv: 0.17, delta: null },
      })),
    },
  ],
  warnings: [],
});
const priceJsonl = [
  { id: 'a', model: 'bsm', type: 'call', S: 100, K: 100, T: 1, r: 0, q: 0, sigma: 0.2 },
  { id: 'b', model: 'b76', type: 'put', F: 20, K: 25, T: 0.1, r: 0.04, sigma: 1.1 },
  { id: 'c', model: 'bsm', type: 'call', S: 100, K: 100, T: 1, r: 0, q: 0, price: 7.97 },
]
  .map((l) => JSON.stringify(l))
  .join('\n');

const ABSURD = [
  'NaN',
  'Infinity',
  '-Infinity',
  '1e308',
  '-1e308',
  '1e-320',
  '-5',
  '0',
  '',
  'abc',
  '1,2,3',
  '9e15',
  'null',
  '"x"',
  '--1',
];

/** A seed broken by a list of random edits. */
const broken = (seed: string) =>
  fc
    .array(
      fc.oneof(
        fc.record({ kind: fc.constant('absurd' as const), nth: fc.nat(200), value: fc.constantFrom(...ABSURD) }),
        fc.record({ kind: fc.constant('truncate' as const), at: fc.double({ min: 0, max: 1, noNaN: true }) }),
        fc.record({ kind: fc.constant('dropLine' as const), nth: fc.nat(60) }),
        fc.record({ kind: fc.constant('dupLine' as const), nth: fc.nat(60) }),
        fc.record({
          kind: fc.constant('noise' as const),
          at: fc.double({ min: 0, max: 1, noNaN: true }),
          text: fc.string({ maxLength: 12 }),
        }),
      ),
      { minLength: 1, maxLength: 6 },
    )
    .map((edits) => {
      let s = seed;
      for (const e of edits) {
        if (e.kind === 'absurd') {
          let n = 0;
          s = s.replace(/-?\d+(?:\.\d+)?(?:e[+-]?\d+)?/gi, (m) => (n++ === e.nth ? e.value : m));
        } else if (e.kind === 'truncate') s = s.slice(0, Math.floor(s.length * e.at));
        else if (e.kind === 'dropLine' || e.kind === 'dupLine') {
          const lines = s.split('\n');
          const i = e.nth % Math.max(1, lines.length);
          if (e.kind === 'dropLine') lines.splice(i, 1);
          else lines.splice(i, 0, lines[i] ?? '');
          s = lines.join('\n');
        } else {
          const i = Math.floor(s.length * e.at);
          s = s.slice(0, i) + e.text + s.slice(i);
        }
      }
      return s;
    });

function fakeIo(files: Record<string, string>) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    readFile: async (p) => {
      if (Object.hasOwn(files, p)) return files[p]!;
      throw new Error(`ENOENT: no such file ${p}`);
    },
    now: () => new Date('2026-03-14T17:00:00Z'),
  };
  return { io, out, err };
}

/**
 * The printed text with every quoted echo of the input taken out: a warning may quote a cell as the file has it
 * (`call Bid "NaN" unreadable`), which is not a NaN of ours. What is left must hold no NaN and no Infinity.
 */
function computed(printed: string, inputs: string[]): string {
  // Quoted as the file has it, or a quoted value rebuilt from the file's words (a date joined from two cells).
  const fromInput = (w: string) => inputs.some((i) => i.includes(w));
  const echo = (m: string, body: string) =>
    fromInput(body) || body.split(/\s+/).every((w) => !/NaN|Infinity/.test(w) || fromInput(w)) ? '""' : m;
  return printed
    .replace(/\\"([^"\\]*)\\"/g, echo) // quoted inside a JSON string: \"NaN\"
    .replace(/"((?:[^"\\]|\\.)*)"/g, echo);
}

/** Runs a command module directly: only a UsageError may escape; then through main, as the CLI runs it. */
async function check(name: string, command: CommandRun, argv: string[], files: Record<string, string>) {
  const inputs = [...Object.values(files), ...argv];
  const direct = fakeIo(files);
  let code: number;
  try {
    code = await command(argv, direct.io);
  } catch (e) {
    expect(e instanceof Error && e.name === 'UsageError', `${name} threw ${String(e)}`).toBe(true);
    code = 2;
  }
  expect([0, 2]).toContain(code);
  const printed = computed(direct.out.join('') + direct.err.join(''), inputs);
  const at = printed.search(/NaN|Infinity/);
  expect(at < 0 ? '' : printed.slice(Math.max(0, at - 150), at + 60), `${name} printed NaN or Infinity`).toBe('');

  const viaMain = fakeIo(files);
  const exit = await main({ argv: [name, ...argv], io: viaMain.io });
  expect(exit).toBe(code);
  if (exit === 2) {
    const err = viaMain.err.join('');
    expect(err.trimEnd().split('\n'), `${name} exit 2 with more than one line: ${err}`).toHaveLength(1);
  }
  expect(computed(viaMain.out.join('') + viaMain.err.join(''), inputs)).not.toMatch(/NaN|Infinity/);
}

const RUNS = Number(process.env.FUZZ_RUNS ?? 100);

describe('hedgelens CLI on malformed files (fast-check)', () => {
  it('analyze: broken Cboe CSV, legacy .dat, Chain JSON and saved HTML', { timeout: 120_000 }, async () => {
    const seeds: [string, string][] = [
      ['chain.csv', cboeCsv],
      ['chain.dat', legacyDat],
      ['chain.json', chainJson],
      ['page.html', straddleHtml],
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...seeds).chain(([file, seed]) => broken(seed).map((text) => [file, text] as const)),
        fc.boolean(),
        async ([file, text], json) => {
          await check('analyze', analyze, [file, ...(json ? ['--json'] : [])], { [file]: text });
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('analyze with broken side files (--vix-history, --rulebook) and absurd flags', { timeout: 60_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ maxLength: 200 }),
        fc.constantFrom('--vix', '--qty', '--credit', '--account-size'),
        fc.constantFrom(...ABSURD),
        async (noise, flag, value) => {
          await check('analyze', analyze, ['chain.json', '--vix-history', 'vix.csv', flag, value], {
            'chain.json': chainJson,
            'vix.csv': `Date,Close\n2026-03-13,${value}\n${noise}`,
          });
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('scrape: broken saved pages and noise', { timeout: 60_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(broken(straddleHtml), fc.string({ maxLength: 300 })),
        fc.boolean(),
        async (html, json) => {
          await check('scrape', scrape, ['page.html', ...(json ? ['--json'] : [])], { 'page.html': html });
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('price --batch: broken JSON lines', { timeout: 60_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(broken(priceJsonl), fc.string({ maxLength: 200 })),
        fc.boolean(),
        async (jsonl, json) => {
          await check('price', price, ['--batch', 'in.jsonl', ...(json ? ['--json'] : [])], { 'in.jsonl': jsonl });
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('a file that does not exist, and no file at all: exit 2, one line', async () => {
    await check('analyze', analyze, ['missing.csv'], {});
    await check('scrape', scrape, [], {});
    await check('price', price, ['--batch', 'missing.jsonl'], {});
  });
});
