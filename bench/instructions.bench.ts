/**
 * The backtest's work counted in machine instructions (`npm run bench -- instructions`; run only when named: it
 * takes a minute or two). Timings on this shared machine move ±20% from one run to the next; the count of
 * instructions of a run on one V8 thread (node --single-threaded: its compiles and collections made on the main
 * thread, when the run reaches them, not when a helper thread is free) moves by under 1% (two counts in a row:
 * 21.35 and 21.21 G; of a bundle without tsx, 0.1%). So a change of a few per cent, invisible in timings, shows
 * here: count the code before and after it.
 *
 * Valgrind's cachegrind counts the instructions of two runs of bench/backtestOnce.ts side by side: one that reads
 * the histories and runs the backtest once, one that reads them only; the difference is the backtest's (what it
 * is made of, V8's optimising compiler first: docs/BACKTEST_MODEL.md, "Speed").
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { record } from './figures';

const SHARED = resolve(import.meta.dirname, '../../shared/data');
const ENTRY = resolve(import.meta.dirname, 'backtestOnce.ts');

function hasValgrind(): boolean {
  try {
    execFileSync('valgrind', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * Instructions of one single-threaded node run of the entry with HEDGELENS_BACKTEST_RUNS = runs; `cliFlags`: with
 * the command line's V8 flags (src/cli/v8Flags.ts).
 */
function count(runs: number, cliFlags = false): Promise<number> {
  return new Promise((done, fail) => {
    const child = spawn(
      'valgrind',
      [
        '--tool=cachegrind',
        '--cache-sim=no',
        // V8 writes its compiled code on the heap: Valgrind must look for code changes there.
        '--smc-check=all-non-file',
        '--cachegrind-out-file=/dev/null',
        process.execPath,
        '--single-threaded',
        '--import',
        'tsx',
        ENTRY,
      ],
      {
        env: { ...process.env, HEDGELENS_BACKTEST_RUNS: String(runs), HEDGELENS_CLI_V8_FLAGS: cliFlags ? '1' : '0' },
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', fail);
    child.on('close', (code) => {
      const m = /I\s+refs:\s+([\d,]+)/.exec(err);
      if (code !== 0 || !m) fail(new Error(`valgrind exited ${code}: ${err.slice(-400)}`));
      else done(Number(m[1]!.replace(/,/g, '')));
    });
  });
}

export default async function main(): Promise<void> {
  if (!existsSync(resolve(SHARED, 'spx/SPX_History.csv')) || !existsSync(resolve(SHARED, 'vix/VIX_History.csv'))) {
    console.log('[skip] ../shared/data/spx or ../shared/data/vix is absent: no real history to run the backtest on');
    return;
  }
  if (!hasValgrind()) {
    console.log('[skip] valgrind is not installed (Debian: apt install valgrind): nothing to count instructions with');
    return;
  }
  // tsx keeps what it compiled on disk: a first plain run fills that, so both counted runs start alike.
  execFileSync(process.execPath, ['--import', 'tsx', ENTRY], {
    env: { ...process.env, HEDGELENS_BACKTEST_RUNS: '0' },
    stdio: 'ignore',
  });
  const t0 = performance.now();
  const [withRun, readOnly] = await Promise.all([count(1), count(0)]);
  const [cliRun, cliReadOnly] = await Promise.all([count(1, true), count(0, true)]);
  const run = withRun - readOnly;
  const asCli = cliRun - cliReadOnly;
  console.log(
    `whole 1990–2026 backtest, six strategies, one V8 thread: ${(run / 1e9).toFixed(3)} G instructions ` +
      `(the process ${(withRun / 1e9).toFixed(3)} G, reading the files and starting ${(readOnly / 1e9).toFixed(3)} G); ` +
      `with the command line's V8 flags ${(asCli / 1e9).toFixed(3)} G (${(cliRun / 1e9).toFixed(3)} G, ` +
      `${(cliReadOnly / 1e9).toFixed(3)} G); counted in ${((performance.now() - t0) / 1000).toFixed(0)} s`,
  );
  record({
    name: 'whole 1990–2026 P/L backtest, six strategies, instructions on one V8 thread',
    value: run,
    unit: 'instructions',
    target: null,
    lowerIsBetter: true,
    calibration: null,
  });
  record({
    name: "whole 1990–2026 P/L backtest, six strategies, instructions on one V8 thread with the command line's V8 flags",
    value: asCli,
    unit: 'instructions',
    target: null,
    lowerIsBetter: true,
    calibration: null,
  });
}
