/**
 * `npm run bench [-- name…]`: runs every bench/*.bench.ts (or the named ones) in sequence, in this process,
 * single-threaded. Each module's default export prints its own figures and ratios against peers measured in
 * the same run, and records its main figures (bench/figures.ts), each also shown as a multiple of a calibration
 * measured in the same run. Figures, not pass/fail: this machine is shared and noisy.
 *
 * `npm run bench -- --report [--runs N] [name…]`: runs the set N times (default 3) for the spread, writes
 * docs/performance.md (bench/report.ts) and the README's table from it (scripts/perf-table.ts). Without names, the
 * report leaves out `load` (a five-minute soak; name it to include it). `instructions` (the backtest counted in
 * instructions under Valgrind) runs only when named.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { beginBench, calibrationsOf, figures, measureNodeCalibration, resetFigures } from './figures';
import { gather, parseReport, renderReport, type ReportData } from './report';
import { PERFORMANCE_DOC, updateReadme } from '../scripts/perf-table';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const report = args.includes('--report');
const runsAt = args.indexOf('--runs');
const runs = runsAt >= 0 ? Number(args[runsAt + 1]) : report ? 3 : 1;
if (!(Number.isInteger(runs) && runs >= 1)) {
  console.error(`--runs needs a whole number ≥ 1, got ${args[runsAt + 1]}`);
  process.exit(2);
}
const wanted = args.filter((a, i) => !a.startsWith('--') && !(runsAt >= 0 && i === runsAt + 1));
const all = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .sort();
const leftOut: string[] = [];
const files = all.filter((f) => {
  if (wanted.length > 0) return wanted.some((w) => f.startsWith(w));
  if (f === 'instructions.bench.ts') {
    leftOut.push('instructions (Valgrind counting the backtest, a minute or two: name it to include it)');
    return false;
  }
  if (report && f === 'load.bench.ts') {
    leftOut.push('load (the five-minute soak: name it to include it)');
    return false;
  }
  return true;
});
if (files.length === 0) {
  console.error(`no benchmark matches ${wanted.join(', ')}`);
  process.exit(2);
}
if (report && wanted.length > 0)
  for (const f of all) if (!files.includes(f)) leftOut.push(`${f.replace('.bench.ts', '')} (not named)`);

const loadStart = loadavg()[0]!;
const reps: { figures: ReturnType<typeof figures>; calibrations: ReturnType<typeof calibrationsOf> }[] = [];
for (let rep = 1; rep <= runs; rep++) {
  if (runs > 1) console.log(`\n##### run ${rep} of ${runs} (load average ${loadavg()[0]!.toFixed(2)})`);
  resetFigures();
  beginBench('');
  measureNodeCalibration();
  for (const f of files) {
    const name = f.replace('.bench.ts', '');
    console.log(`\n=== ${name} ===`);
    beginBench(name);
    const mod = (await import(pathToFileURL(join(here, f)).href)) as { default: () => Promise<void> | void };
    await mod.default();
  }
  reps.push({ figures: [...figures()], calibrations: [...calibrationsOf()] });
}
const loadEnd = loadavg()[0]!;

if (report) {
  const commit = (() => {
    try {
      const sha = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: here, encoding: 'utf8' }).trim();
      const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], {
        cwd: here,
        encoding: 'utf8',
      }).trim();
      return dirty ? `${sha} (with uncommitted changes)` : sha;
    } catch {
      return 'unknown';
    }
  })();
  const data: ReportData = {
    date: new Date().toISOString(),
    commit,
    machine: {
      cpu: cpus()[0]?.model.trim() ?? 'unknown',
      cores: cpus().length,
      memoryGb: totalmem() / 2 ** 30,
      loadStart,
      loadEnd,
      node: process.version,
    },
    runs,
    benches: files.map((f) => f.replace('.bench.ts', '')),
    leftOut,
    ...gather(reps),
  };
  const before = existsSync(PERFORMANCE_DOC) ? parseReport(readFileSync(PERFORMANCE_DOC, 'utf8')) : null;
  writeFileSync(PERFORMANCE_DOC, renderReport(data, before));
  updateReadme();
  console.log(`\nwrote ${PERFORMANCE_DOC} and the README's Performance table from it`);
}
