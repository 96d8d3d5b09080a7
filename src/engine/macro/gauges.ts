/**
 * The method's macro gauges, from series the trader brings (FRED CSVs: fred.ts). Each gauge is a series (or a list of
 * series in order of preference), a transform stated in words, a threshold with its source, and a state: calm,
 * stress, or not judged (the series is missing, or its last usable value is stale).
 *
 * No look-ahead: an observation is used only from its release, which each series states as a lag after the date
 * FRED gives it (a monthly value is dated the 1st of its month and published weeks after the month ends).
 */
import type { FredSeries, Frequency } from './fred';
import { defaultRulebook, type Thresholds } from '../alvh/rulebook';

export type GaugeState = 'calm' | 'stress' | 'not-judged';

export interface GaugeReading {
  id: GaugeId;
  name: string;
  state: GaugeState;
  /** The series used (null: none usable). */
  series: string | null;
  /** The transformed figure compared with the threshold (null when not judged). */
  figure: number | null;
  /** Its unit in words ("standard deviations", "percentage points"). */
  unit: string;
  threshold: number;
  /** The last observation used (its date as FRED gives it), or null. */
  lastDate: string | null;
  /** One sentence: what was measured, against what, and the state. */
  sentence: string;
  source: string;
}

export type GaugeId = 'reer' | 'hy-spread' | 'curve' | 'cpi' | 'ppi';

/** The thresholds (a rulebook may override them); each with the reason it is set where it is. */
export interface MacroThresholds {
  /** The dollar's 1-month change, in standard deviations of its own 1-month changes, at or above which it signals stress. */
  reerStressZ: number;
  /** High-yield option-adjusted spread widening over 20 sessions, percentage points. */
  hySpreadWideningPoints: number;
  /** 10y–2y spread steepening over 20 sessions, percentage points (a crisis bull-steepener). */
  curveSteepeningPoints: number;
  /** CPI or PPI month-on-month change above its trailing 12-month mean, in its standard deviations. */
  inflationSurpriseZ: number;
}

/** The gauges' thresholds from the rulebook (schema 5 keys; their sources are there). */
export function macroThresholdsOf(t: Thresholds): MacroThresholds {
  return {
    reerStressZ: t.macroDollarStressZ,
    hySpreadWideningPoints: t.macroHySpreadWideningPoints,
    curveSteepeningPoints: t.macroCurveSteepeningPoints,
    inflationSurpriseZ: t.macroInflationSurpriseZ,
  };
}

export const DEFAULT_MACRO_THRESHOLDS: MacroThresholds = macroThresholdsOf(defaultRulebook().thresholds);

/** What each gauge reads: series in order of preference, with their release lag in days after FRED's date. */
interface SeriesChoice {
  id: string;
  lagDays: number;
  /** Older than this after its release: stale. */
  maxAgeDays: number;
}

interface GaugeDef {
  id: GaugeId;
  name: string;
  series: SeriesChoice[];
  unit: string;
  transform: string;
  source: string;
  threshold: (t: MacroThresholds) => number;
  /** The figure from the first `m` values of the series (oldest first), or a reason it cannot be computed. */
  figure: (p: Prepared, m: number, frequency: Frequency) => number | string;
}

const DAY_MS = 86_400_000;
const day = (date: string) => Date.parse(`${date}T00:00:00Z`) / DAY_MS;

/**
 * A series made ready for readings on any date in O(log n): the values without the missing ones, where each sits,
 * and running sums of its log changes (so a z-score over a trailing window costs two subtractions). Made once per
 * series object: the stage machine reads a gauge on every bar of a 36-year history.
 */
interface Prepared {
  /** Day number of each observation (missing ones included). */
  days: Float64Array;
  /** Number of values among the first k observations (length n + 1). */
  valuesBefore: Int32Array;
  values: Float64Array;
  /** Observation index of each value. */
  valueAt: Int32Array;
  /** Log changes over `step` values and their running sums, by step. */
  changes: Map<number, { c: Float64Array; sum: Float64Array; sumSq: Float64Array }>;
}

const PREPARED = new WeakMap<FredSeries, Prepared>();

function prepare(s: FredSeries): Prepared {
  const hit = PREPARED.get(s);
  if (hit) return hit;
  const n = s.observations.length;
  const days = new Float64Array(n);
  const valuesBefore = new Int32Array(n + 1);
  const values: number[] = [];
  const valueAt: number[] = [];
  s.observations.forEach((o, k) => {
    days[k] = day(o.date);
    if (o.value !== null) {
      values.push(o.value);
      valueAt.push(k);
    }
    valuesBefore[k + 1] = values.length;
  });
  const p: Prepared = {
    days,
    valuesBefore,
    values: Float64Array.from(values),
    valueAt: Int32Array.from(valueAt),
    changes: new Map(),
  };
  PREPARED.set(s, p);
  return p;
}

function changesOf(p: Prepared, step: number) {
  let hit = p.changes.get(step);
  if (!hit) {
    const v = p.values;
    const len = Math.max(0, v.length - step);
    const c = new Float64Array(len);
    const sum = new Float64Array(len + 1);
    const sumSq = new Float64Array(len + 1);
    for (let j = 0; j < len; j++) {
      c[j] = Math.log(v[j + step]! / v[j]!);
      sum[j + 1] = sum[j]! + c[j]!;
      sumSq[j + 1] = sumSq[j]! + c[j]! * c[j]!;
    }
    hit = { c, sum, sumSq };
    p.changes.set(step, hit);
  }
  return hit;
}

/** Observations released by `today` (FRED's date + lag ≤ today): how many, by binary search on the sorted dates. */
function releasedCount(p: Prepared, today: number, lagDays: number): number {
  let lo = 0;
  let hi = p.days.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (p.days[mid]! + lagDays <= today) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The last change over `step` values in standard deviations of the same changes over the trailing `window` (at
 * least `min` of them), log changes for an index level; from the first `m` values.
 */
function changeZ(p: Prepared, m: number, step: number, window: number, min: number): number | string {
  const count = Math.max(0, m - step);
  if (count < min + 1) return `${count} changes, fewer than the ${min + 1} needed`;
  const { c, sum, sumSq } = changesOf(p, step);
  const last = c[count - 1]!;
  const a = Math.max(0, count - 1 - window);
  const b = count - 1;
  const k = b - a;
  const mean = (sum[b]! - sum[a]!) / k;
  const variance = Math.max(0, (sumSq[b]! - sumSq[a]! - k * mean * mean) / Math.max(1, k - 1));
  const sd = Math.sqrt(variance);
  return sd > 1e-12 ? (last - mean) / sd : 'no variation in its history';
}

/** The change over the last `step` of the first `m` values, in the series' own unit. */
function changeOver(p: Prepared, m: number, step: number): number | string {
  return m > step ? p.values[m - 1]! - p.values[m - 1 - step]! : `fewer than ${step + 1} values`;
}

/** Month-on-month % change of the last month against its trailing 12-month mean, in their standard deviations. */
function inflationZ(p: Prepared, m: number): number | string {
  if (m < 14) return 'fewer than 14 months';
  const v = p.values;
  const mom = (i: number) => (100 * (v[i]! - v[i - 1]!)) / v[i - 1]!;
  const last = mom(m - 1);
  let mean = 0;
  for (let i = m - 13; i < m - 1; i++) mean += mom(i);
  mean /= 12;
  let ss = 0;
  for (let i = m - 13; i < m - 1; i++) ss += (mom(i) - mean) ** 2;
  const sd = Math.sqrt(ss / 11);
  return sd > 0 ? (last - mean) / sd : 'no variation in the trailing year';
}

const MONTHLY_LAG = 45; // a month's value, dated the 1st, is published about two weeks after the month ends
const GAUGES: GaugeDef[] = [
  {
    id: 'reer',
    name: 'Dollar (real effective, or the broad index)',
    series: [
      { id: 'RBUSBIS', lagDays: MONTHLY_LAG, maxAgeDays: 62 },
      { id: 'DTWEXBGS', lagDays: 7, maxAgeDays: 14 },
      { id: 'TWEXBMTH', lagDays: 30, maxAgeDays: 62 },
    ],
    unit: 'standard deviations',
    transform:
      "the dollar's latest 1-month change (log; 21 sessions for a daily index) in standard deviations of its own 1-month changes over the trailing ten years",
    source:
      'Avdjiev, Bruno, Koch & Shin (2019), "The Dollar Exchange Rate as a Global Risk Factor", IMF Economic Review 67: a stronger dollar goes with tighter global financial conditions',
    threshold: (t) => t.reerStressZ,
    figure: (p, m, f) => (f === 'daily' ? changeZ(p, m, 21, 2520, 250) : changeZ(p, m, 1, 120, 36)),
  },
  {
    id: 'hy-spread',
    name: 'High-yield credit spread',
    series: [{ id: 'BAMLH0A0HYM2', lagDays: 1, maxAgeDays: 10 }],
    unit: 'percentage points',
    transform: "the high-yield option-adjusted spread's widening over the last 20 sessions",
    source:
      'Gilchrist & Zakrajšek (2012), "Credit Spreads and Business Cycle Fluctuations", American Economic Review 102(4): widening credit spreads lead financial stress',
    threshold: (t) => t.hySpreadWideningPoints,
    figure: (p, m) => changeOver(p, m, 20),
  },
  {
    id: 'curve',
    name: 'Yield curve (10y–2y)',
    series: [{ id: 'T10Y2Y', lagDays: 1, maxAgeDays: 10 }],
    unit: 'percentage points',
    transform: 'the change of the 10-year minus 2-year Treasury spread over the last 20 sessions (steepening positive)',
    source:
      'Estrella & Mishkin (1998), "Predicting U.S. Recessions: Financial Variables as Leading Indicators", Review of Economics and Statistics 80(1); a fast bull steepening marks markets pricing emergency cuts',
    threshold: (t) => t.curveSteepeningPoints,
    figure: (p, m) => changeOver(p, m, 20),
  },
  {
    id: 'cpi',
    name: 'CPI surprise',
    series: [{ id: 'CPIAUCSL', lagDays: MONTHLY_LAG, maxAgeDays: 62 }],
    unit: 'standard deviations',
    transform: "CPI's latest month-on-month change above its trailing 12-month mean, in their standard deviations",
    source:
      'the method: CPI prints judged against what the FOMC expects; with no expectation typed, the trailing trend stands for it (docs/alvh-method.md)',
    threshold: (t) => t.inflationSurpriseZ,
    figure: (p, m) => inflationZ(p, m),
  },
  {
    id: 'ppi',
    name: 'PPI surprise',
    series: [{ id: 'PPIACO', lagDays: MONTHLY_LAG, maxAgeDays: 62 }],
    unit: 'standard deviations',
    transform: "PPI's latest month-on-month change above its trailing 12-month mean, in their standard deviations",
    source: 'the method: PPI prints judged like CPI (docs/alvh-method.md)',
    threshold: (t) => t.inflationSurpriseZ,
    figure: (p, m) => inflationZ(p, m),
  },
];

/** Each gauge's name and the series it reads, in order of preference (for the import page: what to bring). */
export const GAUGES_INFO: readonly { id: GaugeId; name: string; series: string[] }[] = GAUGES.map((g) => ({
  id: g.id,
  name: g.name,
  series: g.series.map((s) => s.id),
}));

const fmt = (x: number) => (Math.abs(x) >= 10 ? x.toFixed(1) : x.toFixed(2));

/** A gauge's figure on a day: from the freshest usable series, or the reasons none was usable. */
type Figure = { ok: true; figure: number; choice: SeriesChoice; lastDate: string } | { ok: false; why: string[] };

function figureOn(g: GaugeDef, series: ReadonlyMap<string, FredSeries>, today: number, asOf: string): Figure {
  const why: string[] = [];
  // Of the series given, the freshest usable one (a daily index beats a monthly one published weeks later).
  let best: { figure: number; choice: SeriesChoice; lastDate: string; releasedDay: number } | null = null;
  for (const choice of g.series) {
    const s = series.get(choice.id);
    if (!s) continue;
    // Released by asOf: FRED's date plus the release lag.
    const p = prepare(s);
    const m = p.valuesBefore[releasedCount(p, today, choice.lagDays)]!;
    if (m === 0) {
      why.push(`${choice.id} has no value released by ${asOf}`);
      continue;
    }
    const last = s.observations[p.valueAt[m - 1]!]!;
    const released = day(last.date) + choice.lagDays;
    if (today - released > choice.maxAgeDays) {
      why.push(`${choice.id}'s last value (${last.date}) is stale on ${asOf}`);
      continue;
    }
    const figure = g.figure(p, m, s.frequency);
    if (typeof figure === 'string') {
      why.push(`${choice.id}: ${figure}`);
      continue;
    }
    if (best && best.releasedDay >= released) continue;
    best = { figure, choice, lastDate: last.date, releasedDay: released };
  }
  if (best) return { ok: true, figure: best.figure, choice: best.choice, lastDate: best.lastDate };
  return { ok: false, why: why.length ? why : [`bring ${g.series.map((c) => c.id).join(' or ')} as a FRED CSV`] };
}

function readingOf(g: GaugeDef, f: Figure, threshold: number): GaugeReading {
  const base = { id: g.id, name: g.name, unit: g.unit, threshold, source: g.source };
  if (!f.ok)
    return {
      ...base,
      state: 'not-judged',
      series: null,
      figure: null,
      lastDate: null,
      sentence: `${g.name}: not judged (${f.why.join('; ')}).`,
    };
  const { figure, choice } = f;
  const stress = figure >= threshold;
  return {
    ...base,
    state: stress ? 'stress' : 'calm',
    series: choice.id,
    figure,
    lastDate: f.lastDate,
    sentence: `${g.name}: ${g.transform} is ${fmt(figure)} ${g.unit} (${choice.id} to ${f.lastDate}, taken ${choice.lagDays} day${choice.lagDays === 1 ? '' : 's'} after its date, when it is published) ${stress ? '≥' : '<'} ${fmt(threshold)}: ${stress ? 'stress' : 'calm'}.`,
  };
}

/** Every gauge's reading on `asOf` (a YYYY-MM-DD date) from the series given, by id. */
export function readGauges(
  series: ReadonlyMap<string, FredSeries>,
  asOf: string,
  thresholds: MacroThresholds = DEFAULT_MACRO_THRESHOLDS,
): GaugeReading[] {
  const today = day(asOf);
  return GAUGES.map((g) => readingOf(g, figureOn(g, series, today, asOf), g.threshold(thresholds)));
}

/** The dollar gauge on one bar, for the Second Engine's condition: its figure, or why it is not judged. */
export interface DollarOnBar {
  /** Standard deviations (null: not judged). */
  figure: number | null;
  /** The series used (null: none usable). */
  series: string | null;
  /** Why it is not judged (null when it is). */
  why: string | null;
}

/**
 * The dollar readings already made, by the series they were read from: a plan reads the gauge on every bar of its
 * history on every recompute (the live page's, each backtest question), and a date's reading depends only on the
 * series and the date. Keyed by the series objects themselves (a series read anew is a new object), one level per
 * candidate of the gauge (NO_SERIES where it was not brought), then by date. Shared: callers must not change them.
 */
const NO_SERIES = {};
const dollarKept = new WeakMap<object, unknown>();

function keptReadings(series: ReadonlyMap<string, FredSeries>, g: GaugeDef): Map<string, DollarOnBar> {
  let level: WeakMap<object, unknown> = dollarKept;
  const ids = g.series;
  for (let i = 0; i < ids.length; i++) {
    const key: object = series.get(ids[i]!.id) ?? NO_SERIES;
    let next = level.get(key);
    if (!next) level.set(key, (next = i === ids.length - 1 ? new Map<string, DollarOnBar>() : new WeakMap()));
    level = next as WeakMap<object, unknown>;
  }
  return level as unknown as Map<string, DollarOnBar>;
}

/**
 * The dollar gauge on each date of a sorted list (the VIX bars the stage machine replays): O(log n) a date the first
 * time, then kept (keptReadings). Null when no dollar series was brought at all (the rule says so itself).
 */
export function dollarOnDates(series: ReadonlyMap<string, FredSeries>, dates: readonly string[]): DollarOnBar[] | null {
  const g = GAUGES.find((x) => x.id === 'reer')!;
  if (!g.series.some((c) => series.has(c.id))) return null;
  const kept = keptReadings(series, g);
  const out: DollarOnBar[] = new Array(dates.length);
  for (let i = 0; i < dates.length; i++) {
    const date = dates[i]!;
    let r = kept.get(date);
    if (!r) {
      const f = figureOn(g, series, day(date), date);
      r = f.ok
        ? { figure: f.figure, series: f.choice.id, why: null }
        : { figure: null, series: null, why: f.why.join('; ') };
      kept.set(date, r);
    }
    out[i] = r;
  }
  return out;
}
