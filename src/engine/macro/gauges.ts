/**
 * The method's macro gauges, from series the trader brings (FRED CSVs: fred.ts). Each gauge is a series (or a list of
 * series in order of preference), a transform stated in words, a threshold with its source, and a state: calm,
 * stress, or not judged (the series is missing, or its last usable value is stale).
 *
 * No look-ahead: an observation is used only from its release, which each series states as a lag after the date
 * FRED gives it (a monthly value is dated the 1st of its month and published weeks after the month ends).
 */
import type { FredSeries, Frequency, Observation } from './fred';

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

export const DEFAULT_MACRO_THRESHOLDS: MacroThresholds = {
  reerStressZ: 1.5,
  hySpreadWideningPoints: 1.0,
  curveSteepeningPoints: 0.5,
  inflationSurpriseZ: 2,
};

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
  /** The figure from the usable observations (oldest first), or a reason it cannot be computed. */
  figure: (obs: readonly Observation[], frequency: Frequency) => number | string;
}

const DAY_MS = 86_400_000;
const day = (date: string) => Date.parse(`${date}T00:00:00Z`) / DAY_MS;

/** Values only (missing ones dropped), oldest first. */
const values = (obs: readonly Observation[]) => obs.flatMap((o) => (o.value === null ? [] : [o.value]));

function meanSd(xs: readonly number[]): { mean: number; sd: number } {
  const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
  const v = xs.reduce((s, x) => s + (x - mean) ** 2, 0) / Math.max(1, xs.length - 1);
  return { mean, sd: Math.sqrt(v) };
}

/**
 * The last change over `step` observations in standard deviations of the same changes over the trailing `window`
 * (at least `min` of them), log changes for an index level.
 */
function changeZ(vs: readonly number[], step: number, window: number, min: number): number | string {
  const changes: number[] = [];
  for (let i = step; i < vs.length; i++) changes.push(Math.log(vs[i]! / vs[i - step]!));
  if (changes.length < min + 1) return `${changes.length} changes, fewer than the ${min + 1} needed`;
  const last = changes[changes.length - 1]!;
  const past = changes.slice(Math.max(0, changes.length - 1 - window), changes.length - 1);
  const { mean, sd } = meanSd(past);
  return sd > 0 ? (last - mean) / sd : 'no variation in its history';
}

/** The change over the last `step` observations, in the series' own unit. */
function changeOver(vs: readonly number[], step: number): number | string {
  return vs.length > step ? vs[vs.length - 1]! - vs[vs.length - 1 - step]! : `fewer than ${step + 1} values`;
}

/** Month-on-month % change of the last month against its trailing 12-month mean, in their standard deviations. */
function inflationZ(vs: readonly number[]): number | string {
  if (vs.length < 14) return 'fewer than 14 months';
  const mom: number[] = [];
  for (let i = 1; i < vs.length; i++) mom.push((100 * (vs[i]! - vs[i - 1]!)) / vs[i - 1]!);
  const last = mom[mom.length - 1]!;
  const { mean, sd } = meanSd(mom.slice(-13, -1));
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
    figure: (obs, f) => (f === 'daily' ? changeZ(values(obs), 21, 2520, 250) : changeZ(values(obs), 1, 120, 36)),
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
    figure: (obs) => changeOver(values(obs), 20),
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
    figure: (obs) => changeOver(values(obs), 20),
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
    figure: (obs) => inflationZ(values(obs)),
  },
  {
    id: 'ppi',
    name: 'PPI surprise',
    series: [{ id: 'PPIACO', lagDays: MONTHLY_LAG, maxAgeDays: 62 }],
    unit: 'standard deviations',
    transform: "PPI's latest month-on-month change above its trailing 12-month mean, in their standard deviations",
    source: 'the method: PPI prints judged like CPI (docs/alvh-method.md)',
    threshold: (t) => t.inflationSurpriseZ,
    figure: (obs) => inflationZ(values(obs)),
  },
];

/** Each gauge's name and the series it reads, in order of preference (for the import page: what to bring). */
export const GAUGES_INFO: readonly { id: GaugeId; name: string; series: string[] }[] = GAUGES.map((g) => ({
  id: g.id,
  name: g.name,
  series: g.series.map((s) => s.id),
}));

const fmt = (x: number) => (Math.abs(x) >= 10 ? x.toFixed(1) : x.toFixed(2));

/** Every gauge's reading on `asOf` (a YYYY-MM-DD date) from the series given, by id. */
export function readGauges(
  series: ReadonlyMap<string, FredSeries>,
  asOf: string,
  thresholds: MacroThresholds = DEFAULT_MACRO_THRESHOLDS,
): GaugeReading[] {
  const today = day(asOf);
  return GAUGES.map((g): GaugeReading => {
    const threshold = g.threshold(thresholds);
    const base = { id: g.id, name: g.name, unit: g.unit, threshold, source: g.source };
    const why: string[] = [];
    // Of the series given, the freshest usable one (a daily index beats a monthly one published weeks later).
    let best: { reading: GaugeReading; releasedDay: number } | null = null;
    for (const choice of g.series) {
      const s = series.get(choice.id);
      if (!s) continue;
      // Released by asOf: FRED's date plus the release lag.
      const usable = s.observations.filter((o) => day(o.date) + choice.lagDays <= today);
      const last = [...usable].reverse().find((o) => o.value !== null);
      if (!last) {
        why.push(`${choice.id} has no value released by ${asOf}`);
        continue;
      }
      const released = day(last.date) + choice.lagDays;
      if (today - released > choice.maxAgeDays) {
        why.push(`${choice.id}'s last value (${last.date}) is stale on ${asOf}`);
        continue;
      }
      const figure = g.figure(usable, s.frequency);
      if (typeof figure === 'string') {
        why.push(`${choice.id}: ${figure}`);
        continue;
      }
      if (best && best.releasedDay >= released) continue;
      const stress = figure >= threshold;
      best = {
        releasedDay: released,
        reading: {
          ...base,
          state: stress ? 'stress' : 'calm',
          series: choice.id,
          figure,
          lastDate: last.date,
          sentence: `${g.name}: ${g.transform} is ${fmt(figure)} ${g.unit} (${choice.id} to ${last.date}, taken ${choice.lagDays} day${choice.lagDays === 1 ? '' : 's'} after its date, when it is published) ${stress ? '≥' : '<'} ${fmt(threshold)}: ${stress ? 'stress' : 'calm'}.`,
        },
      };
    }
    if (best) return best.reading;
    const wanted = g.series.map((s) => s.id).join(' or ');
    return {
      ...base,
      state: 'not-judged',
      series: null,
      figure: null,
      lastDate: null,
      sentence: `${g.name}: not judged (${why.length ? why.join('; ') : `bring ${wanted} as a FRED CSV`}).`,
    };
  });
}
