/**
 * The performance report's bookkeeping (bench/report.ts, scripts/perf-table.ts): spreads, calibrated multiples,
 * the comparison with the previous report, and the README's table, which must equal what the generator makes from
 * docs/performance.md. No timing here: figures are given, not measured.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { calibrated, type Figure } from '../../bench/figures';
import { compare, gather, parseReport, renderReport, type ReportData } from '../../bench/report';
import {
  PERFORMANCE_DOC,
  README,
  TABLE_END,
  TABLE_START,
  expectedReadme,
  perfTable,
  withTable,
} from '../../scripts/perf-table';

const fig = (over: Partial<Figure>): Figure => ({
  bench: 'ui',
  name: 'first paint, p50',
  value: 100,
  unit: 'ms',
  target: 100,
  lowerIsBetter: true,
  calibration: 'chromium',
  calMs: 10,
  ...over,
});

const machine = { cpu: 'Test CPU', cores: 2, memoryGb: 8, loadStart: 12, loadEnd: 14, node: 'v20' };

function data(figures: Figure[][], over: Partial<ReportData> = {}): ReportData {
  return {
    date: '2026-12-02T12:00:00.000Z',
    commit: 'abc123def4567890',
    machine,
    runs: figures.length,
    benches: ['ui'],
    leftOut: [],
    ...gather(
      figures.map((f) => ({ figures: f, calibrations: [{ kind: 'chromium', bench: 'ui', ms: f[0]!.calMs! }] })),
    ),
    ...over,
  };
}

describe('calibrated figures', () => {
  it('divides a time by its calibration and multiplies a rate by it', () => {
    expect(calibrated({ value: 50, lowerIsBetter: true, calibration: 'node' }, 5)).toBe(10);
    expect(calibrated({ value: 2e6, lowerIsBetter: false, calibration: 'node' }, 2)).toBe(4e6);
    expect(calibrated({ value: 30, lowerIsBetter: true, calibration: null }, 5)).toBeNull();
    expect(calibrated({ value: 30, lowerIsBetter: true, calibration: 'node' }, null)).toBeNull();
  });

  it('gathers repetitions into a spread, each value against its own repetition’s calibration', () => {
    const d = data([[fig({ value: 120, calMs: 12 })], [fig({ value: 80, calMs: 10 })], [fig({ value: 90, calMs: 9 })]]);
    expect(d.figures).toHaveLength(1);
    expect(d.figures[0]!.values).toEqual([120, 80, 90]);
    expect(d.figures[0]!.calibrated).toEqual([10, 8, 10]);
    expect(d.calibrations[0]!.values).toEqual([12, 10, 9]);
  });
});

describe('the report', () => {
  it('says a loaded machine is loaded, and judges the target on the median', () => {
    const md = renderReport(data([[fig({ value: 120 })], [fig({ value: 80 })], [fig({ value: 99 })]]), null);
    expect(md).toContain('**the machine was loaded**');
    expect(md).toMatch(/\| ui \| first paint, p50 \| 99\.0 \(80\.0–120\) ms \| .* \| ≤ 100 ms \| met \|/);
    const missed = renderReport(data([[fig({ value: 120 })], [fig({ value: 101 })], [fig({ value: 80 })]]), null);
    expect(missed).toContain('| not met |');
  });

  it('round-trips its data through the document', () => {
    const d = data([[fig({})]]);
    expect(parseReport(renderReport(d, null))).toEqual(d);
  });

  it('calls out a regression over 20 % in calibrated terms, not one that is only the machine', () => {
    const before = data([[fig({ value: 100, calMs: 10 })]]);
    // twice as slow, on a machine twice as slow: the same in calibrated terms
    const slowerMachine = data([[fig({ value: 200, calMs: 20 })]]);
    expect(compare(slowerMachine, before)[0]).toMatchObject({ regression: false, calibratedTerms: true });
    // 30 % slower on the same machine: a regression
    const worse = data([[fig({ value: 130, calMs: 10 })]]);
    expect(compare(worse, before)[0]).toMatchObject({ regression: true });
    expect(renderReport(worse, before)).toContain('**Regressions over 20 %:** ui: first paint, p50 ×1.30');
    // a rate that fell by 30 %: a regression too
    const rate = (v: number) => fig({ name: 'solves', value: v, lowerIsBetter: false, target: 2e6, unit: '/s' });
    expect(compare(data([[rate(0.7e6)]]), data([[rate(1e6)]]))[0]).toMatchObject({ regression: true });
    expect(compare(data([[rate(1.1e6)]]), data([[rate(1e6)]]))[0]).toMatchObject({ regression: false });
  });
});

describe("README's Performance table", () => {
  it('is put between the markers, and refused without them', () => {
    const readme = `# x\n\n${TABLE_START}\nold\n${TABLE_END}\n\nafter\n`;
    const table = perfTable(data([[fig({})]]));
    const next = withTable(readme, table);
    expect(next).toContain(`${TABLE_START}\n${table}\n${TABLE_END}`);
    expect(next).toContain('after');
    expect(() => withTable('# no markers', table)).toThrow(/markers/);
  });

  it('equals what scripts/perf-table.ts makes from docs/performance.md (never typed)', () => {
    const readme = readFileSync(README, 'utf8');
    expect(readme).toBe(expectedReadme(readme, readFileSync(PERFORMANCE_DOC, 'utf8')));
  });
});
