/**
 * The backtest bench's run as a program of its own, for instructions.bench.ts to count under Valgrind: reads the
 * histories in ../shared, then runs the whole 1990–2026 backtest of all six strategies (index rules) the number of
 * times HEDGELENS_BACKTEST_RUNS says (0: the files read, nothing run: what the count of a run is measured against).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { defaultRulebook } from '../src/engine/alvh/rulebook';
import { buildMarket, PRESETS, runPnlBacktest } from '../src/engine/backtest';

const shared = resolve(import.meta.dirname, '../../shared/data');
const file = (path: string) => ({ name: path, text: readFileSync(resolve(shared, path), 'utf8') });
const market = buildMarket({ spx: file('spx/SPX_History.csv'), vix: file('vix/VIX_History.csv') });
const rulebook = defaultRulebook();
const runs = Number(process.env.HEDGELENS_BACKTEST_RUNS ?? '1');
for (let i = 0; i < runs; i++) {
  const report = runPnlBacktest({ market, rulebook, book: PRESETS.cndr });
  console.log(`backtest ${report.from} … ${report.to}: ${report.strategies.length} strategies`);
}
