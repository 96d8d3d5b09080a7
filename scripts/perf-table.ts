/**
 * The README's Performance table, made from docs/performance.md (the data `npm run bench -- --report` wrote there),
 * between the two marker comments; never typed. `npm run bench -- --report` runs it; by hand:
 * `node --import tsx scripts/perf-table.ts`. tests/bench/perfTable.test.ts checks the README equals what this makes.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { calibratedText, loaded, parseReport, spreadOf, targetText, verdict, type ReportData } from '../bench/report';
import { fmt } from '../bench/figures';

export const TABLE_START = '<!-- perf-table:start (generated from docs/performance.md by scripts/perf-table.ts) -->';
export const TABLE_END = '<!-- perf-table:end -->';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..');
export const README = join(REPO, 'README.md');
export const PERFORMANCE_DOC = join(REPO, 'docs/performance.md');

/** The table (with its one-line provenance) for a report's data. */
export function perfTable(data: ReportData): string {
  const m = data.machine;
  const lines = [
    `From docs/performance.md: ${data.date.slice(0, 10)}, commit ${data.commit.slice(0, 12)}, ${m.cpu} (${m.cores} cores), ` +
      `load ${m.loadStart.toFixed(1)}–${m.loadEnd.toFixed(1)}${loaded(m) ? ' (loaded)' : ''}; median (min–max) over ${data.runs} run${data.runs === 1 ? '' : 's'}.`,
    '',
    '| what | measured | calibrated | target | met |',
    '|---|---|---|---|---|',
  ];
  for (const f of data.figures) {
    const s = spreadOf(f.values)!;
    const measured = f.values.length === 1 ? fmt(s.median) : `${fmt(s.median)} (${fmt(s.min)}–${fmt(s.max)})`;
    lines.push(
      `| ${f.bench}: ${f.name} | ${measured} ${f.unit} | ${calibratedText(f)} | ${targetText(f)} | ${verdict(f)} |`,
    );
  }
  return lines.join('\n');
}

/** The README with the text between the markers replaced by `table`; throws when the markers are missing. */
export function withTable(readme: string, table: string): string {
  const a = readme.indexOf(TABLE_START);
  const b = readme.indexOf(TABLE_END);
  if (a < 0 || b < a) throw new Error(`README.md has no ${TABLE_START} … ${TABLE_END} markers`);
  return `${readme.slice(0, a + TABLE_START.length)}\n${table}\n${readme.slice(b)}`;
}

/** What the README should be for the current docs/performance.md. */
export function expectedReadme(readme: string, performanceDoc: string): string {
  const data = parseReport(performanceDoc);
  if (!data) throw new Error('docs/performance.md holds no perf-data block: run `npm run bench -- --report`');
  return withTable(readme, perfTable(data));
}

export function updateReadme(): void {
  const next = expectedReadme(readFileSync(README, 'utf8'), readFileSync(PERFORMANCE_DOC, 'utf8'));
  writeFileSync(README, next);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  updateReadme();
  console.log('README.md: Performance table written from docs/performance.md');
}
