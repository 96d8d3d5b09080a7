/**
 * docs/performance.md: what `npm run bench -- --report` writes. Pure functions (tested in tests/bench/): the runs'
 * figures gathered into a spread (min / median / max over the repetitions), each against its target and as a
 * multiple of the calibration measured in the same repetition, and compared with the report it replaces. The data
 * travels inside the document (a JSON comment at its end), so the next report and the README's table
 * (scripts/perf-table.ts) read the figures, never retype them.
 */
import { calibrated, fmt, median, meets, type CalibrationEntry, type CalibrationKind, type Figure } from './figures';

export interface Machine {
  cpu: string;
  cores: number;
  memoryGb: number;
  /** 1-minute load average when the runs began and when they ended. */
  loadStart: number;
  loadEnd: number;
  node: string;
}

/** One figure over the repetitions. */
export interface FigureSpread {
  bench: string;
  name: string;
  unit: string;
  target: number | null;
  lowerIsBetter: boolean;
  calibration: CalibrationKind | null;
  /** One value per repetition that measured it. */
  values: number[];
  /** The same, each in units of its own repetition's calibration (empty without one). */
  calibrated: number[];
}

export interface CalibrationSpread {
  kind: CalibrationKind;
  bench: string;
  values: number[];
}

export interface ReportData {
  date: string;
  commit: string;
  machine: Machine;
  runs: number;
  benches: string[];
  /** Benches not run, and why (said in the report). */
  leftOut: string[];
  calibrations: CalibrationSpread[];
  figures: FigureSpread[];
}

export const DATA_START = '<!-- perf-data';
export const DATA_END = 'perf-data -->';

/** Gathers the figures and calibrations of each repetition (in run order) into spreads. */
export function gather(
  reps: { figures: readonly Figure[]; calibrations: readonly CalibrationEntry[] }[],
): Pick<ReportData, 'figures' | 'calibrations'> {
  const figs = new Map<string, FigureSpread>();
  const cals = new Map<string, CalibrationSpread>();
  for (const rep of reps) {
    for (const f of rep.figures) {
      const key = `${f.bench}\u0000${f.name}`;
      let s = figs.get(key);
      if (!s) {
        s = {
          bench: f.bench,
          name: f.name,
          unit: f.unit,
          target: f.target,
          lowerIsBetter: f.lowerIsBetter,
          calibration: f.calibration,
          values: [],
          calibrated: [],
        };
        figs.set(key, s);
      }
      s.values.push(f.value);
      const c = calibrated(f, f.calMs);
      if (c !== null) s.calibrated.push(c);
    }
    for (const c of rep.calibrations) {
      const key = `${c.kind}\u0000${c.bench}`;
      let s = cals.get(key);
      if (!s) cals.set(key, (s = { kind: c.kind, bench: c.bench, values: [] }));
      s.values.push(c.ms);
    }
  }
  return { figures: [...figs.values()], calibrations: [...cals.values()] };
}

export const spreadOf = (xs: readonly number[]) =>
  xs.length === 0 ? null : { min: Math.min(...xs), median: median(xs), max: Math.max(...xs) };

/** The key a figure is matched by across reports. */
const keyOf = (f: Pick<FigureSpread, 'bench' | 'name'>) => `${f.bench}: ${f.name}`;

export interface Comparison {
  key: string;
  /** New median over old, both calibrated when both have a calibration, else absolute. */
  ratio: number;
  calibratedTerms: boolean;
  /** Worse by more than 20 % (in the figure's direction). */
  regression: boolean;
  improvement: boolean;
}

/** Each figure against the same figure in the previous report; worse by over 20 % is a regression. */
export function compare(now: ReportData, before: ReportData | null): Comparison[] {
  if (!before) return [];
  const old = new Map(before.figures.map((f) => [keyOf(f), f]));
  const out: Comparison[] = [];
  for (const f of now.figures) {
    const b = old.get(keyOf(f));
    if (!b) continue;
    const cal = f.calibrated.length > 0 && b.calibrated.length > 0;
    const n = median(cal ? f.calibrated : f.values);
    const o = median(cal ? b.calibrated : b.values);
    if (!(o > 0) || !Number.isFinite(n)) continue;
    const ratio = n / o;
    // "worse" is larger for a time, smaller for a rate
    const worse = f.lowerIsBetter ? ratio : 1 / ratio;
    out.push({ key: keyOf(f), ratio, calibratedTerms: cal, regression: worse > 1.2, improvement: worse < 1 / 1.2 });
  }
  return out;
}

const range = (xs: readonly number[]) => {
  const s = spreadOf(xs);
  if (!s) return '—';
  return xs.length === 1 ? fmt(s.median) : `${fmt(s.median)} (${fmt(s.min)}–${fmt(s.max)})`;
};

export function verdict(f: FigureSpread): string {
  if (f.target === null) return '—';
  const m = meets(median(f.values), f);
  return m ? 'met' : 'not met';
}

export const targetText = (f: FigureSpread) =>
  f.target === null ? '—' : `${f.lowerIsBetter ? '≤' : '≥'} ${fmt(f.target)} ${f.unit}`;

/** The ×-calibration column: median (min–max) and which calibration. */
export function calibratedText(f: FigureSpread): string {
  if (f.calibrated.length === 0) return '—';
  return `${range(f.calibrated)} ${f.lowerIsBetter ? '×' : 'per'} ${f.calibration}`;
}

export function parseReport(markdown: string): ReportData | null {
  const a = markdown.indexOf(DATA_START);
  const b = markdown.indexOf(DATA_END, a);
  if (a < 0 || b < 0) return null;
  try {
    return JSON.parse(markdown.slice(a + DATA_START.length, b)) as ReportData;
  } catch {
    return null;
  }
}

/** A loaded machine: the 1-minute load average at or above its cores at the start or the end. */
export const loaded = (m: Machine) => Math.max(m.loadStart, m.loadEnd) >= m.cores;

export function renderReport(data: ReportData, before: ReportData | null): string {
  const m = data.machine;
  const lines: string[] = [];
  lines.push('# Performance');
  lines.push('');
  lines.push(
    "Generated by `npm run bench -- --report`; do not edit by hand. The README's Performance table is made from this " +
      'file by scripts/perf-table.ts.',
  );
  lines.push('');
  lines.push(`- date: ${data.date}`);
  lines.push(`- commit: ${data.commit}`);
  lines.push(`- machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGb.toFixed(1)} GB, Node ${m.node}`);
  lines.push(
    `- load average (1 min): ${m.loadStart.toFixed(2)} at the start, ${m.loadEnd.toFixed(2)} at the end` +
      (loaded(m)
        ? ` — **the machine was loaded** (load at or above its ${m.cores} cores): absolute figures are slower than a quiet run; compare the calibrated ones`
        : ' — quiet'),
  );
  lines.push(
    `- runs: the whole set ${data.runs} time${data.runs === 1 ? '' : 's'} (figures are median (min–max) over the runs); benches: ${data.benches.join(', ')}`,
  );
  if (data.leftOut.length > 0) lines.push(`- left out: ${data.leftOut.join('; ')}`);
  lines.push('');
  lines.push('## Calibration');
  lines.push('');
  lines.push(
    'Fixed workloads measured in the same runs (bench/figures.ts). `node`: 2,000 implied-vol solves with the ' +
      "project's solver, ms per pass. `chromium`: build, lay out and read a 1,000 × 8 table inside a page of the " +
      'Chromium the bench drives, ms per pass. A time figure is shown as × its calibration (ms ÷ calibration ms); a ' +
      'rate as work per calibration (rate × calibration ms). These are what to compare across machines and commits.',
  );
  lines.push('');
  lines.push('| calibration | measured in | ms per pass |');
  lines.push('|---|---|---|');
  for (const c of data.calibrations) lines.push(`| ${c.kind} | ${c.bench || 'run.ts'} | ${range(c.values)} |`);
  lines.push('');
  lines.push('## Figures');
  lines.push('');
  lines.push('| bench | figure | median (min–max) | calibrated | target | median meets it |');
  lines.push('|---|---|---|---|---|---|');
  for (const f of data.figures)
    lines.push(
      `| ${f.bench} | ${f.name} | ${range(f.values)} ${f.unit} | ${calibratedText(f)} | ${targetText(f)} | ${verdict(f)} |`,
    );
  lines.push('');
  lines.push('## Against the previous report');
  lines.push('');
  const cmp = compare(data, before);
  if (!before) lines.push('No previous report (or it held no figures).');
  else {
    lines.push(
      `Previous: ${before.date}, commit ${before.commit.slice(0, 12)}, load ${before.machine.loadStart.toFixed(1)}–${before.machine.loadEnd.toFixed(1)} on ${before.machine.cores} cores. ` +
        'Ratio = new median ÷ old median, in calibrated terms where both have a calibration.',
    );
    lines.push('');
    const reg = cmp.filter((c) => c.regression);
    lines.push(
      reg.length === 0
        ? 'No regression over 20 %.'
        : `**Regressions over 20 %:** ${reg.map((c) => `${c.key} ×${c.ratio.toFixed(2)}`).join('; ')}.`,
    );
    lines.push('');
    lines.push('| figure | new ÷ old | terms | |');
    lines.push('|---|---|---|---|');
    for (const c of cmp)
      lines.push(
        `| ${c.key} | ${c.ratio.toFixed(2)} | ${c.calibratedTerms ? 'calibrated' : 'absolute'} | ${c.regression ? '**regression**' : c.improvement ? 'better' : ''} |`,
      );
    const gone = before.figures.filter((b) => !data.figures.some((f) => keyOf(f) === keyOf(b)));
    if (gone.length > 0) lines.push('', `Not measured this time: ${gone.map(keyOf).join('; ')}.`);
  }
  lines.push('');
  lines.push(DATA_START);
  lines.push(JSON.stringify(data, null, 1));
  lines.push(DATA_END);
  lines.push('');
  return lines.join('\n');
}
