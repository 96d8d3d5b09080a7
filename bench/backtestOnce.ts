/**
 * The backtest bench's run as a program of its own, for instructions.bench.ts to count under Valgrind: reads the
 * histories in ../shared, then runs the whole 1990–2026 backtest of all six strategies (index rules) the number of
 * times HEDGELENS_BACKTEST_RUNS says (0: the files read, nothing run: what the count of a run is measured against).
 * Also a run as the command line makes it, for backtest.bench.ts: HEDGELENS_CLI_V8_FLAGS=1 sets the CLI's V8 flags
 * (src/cli/v8Flags.ts) first. Each run prints a line `{"wallMs":…,"cpuMs":…}` after its summary.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { defaultRulebook } from '../src/engine/alvh/rulebook';
import { buildMarket, PRESETS, runPnlBacktest } from '../src/engine/backtest';
import { applyCliV8Flags } from '../src/cli/v8Flags';

if (process.env.HEDGELENS_CLI_V8_FLAGS === '1') applyCliV8Flags();

const shared = resolve(import.meta.dirname, '../../shared/data');
const file = (path: string) => ({ name: path, text: readFileSync(resolve(shared, path), 'utf8') });
const market = buildMarket({ spx: file('spx/SPX_History.csv'), vix: file('vix/VIX_History.csv') });
const rulebook = defaultRulebook();
const runs = Number(process.env.HEDGELENS_BACKTEST_RUNS ?? '1');
for (let i = 0; i < runs; i++) {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const report = runPnlBacktest({ market, rulebook, book: PRESETS.cndr });
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(c0);
  console.log(`backtest ${report.from} … ${report.to}: ${report.strategies.length} strategies`);
  console.log(JSON.stringify({ wallMs, cpuMs: (cpu.user + cpu.system) / 1000 }));
}
