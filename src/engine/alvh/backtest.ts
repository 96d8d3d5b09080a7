/**
 * Backtest of the rulebook on a VIX history: the stage the VIX signals alone give each day (no position, so no
 * threat, no Time-shift, and the Second Engine's stress-per-profit criterion is skipped), and a summary of episodes.
 *
 * An episode runs from the day the machine leaves Calm to the last non-calm day before it returns to Calm. It is
 * counted a false alarm when VIX never closed at or above `falseAlarmBelowVix` during it (default 20, about VIX's
 * long-run mean): the alarm fired but volatility never left its calm regime. That yardstick is the backtest's, not a
 * rule: it never changes a stage.
 */
import type { FredSeries } from '../macro/fred';
import { dollarOnDates } from '../macro/gauges';
import type { Rulebook } from './rulebook';
import { computeVixSignals } from './signals';
import { runStages, type StageDay, type VolStage } from './stages';

export interface BacktestDay {
  date: string;
  close: number;
  stage: VolStage;
  changePct: number | null;
  rsiShort: number | null;
  rsiLong: number | null;
  macdHistogram: number | null;
  /** Stages entered on this day, in order (a bar may go Calm → Layer One → Second Engine). */
  entered: VolStage[];
  /** One readable sentence per transition that happened on this day. */
  why: string[];
}

export interface Episode {
  start: string;
  firstSecondEngine: string | null;
  end: string;
  /** Trading days not Calm. */
  daysOn: number;
  secondEngineDays: number;
  peakClose: number;
  peakDate: string;
  falseAlarm: boolean;
}

export interface PeriodStats {
  days: number;
  calmDays: number;
  layerOneDays: number;
  secondEngineDays: number;
  unwindDays: number;
  layerOneEntries: number;
  secondEngineEntries: number;
  episodes: number;
  falseAlarms: number;
}

export interface BacktestResult {
  days: BacktestDay[];
  episodes: Episode[];
  summary: {
    rulebookVersion: number;
    from: string | null;
    to: string | null;
    falseAlarmBelowVix: number;
    /** The dollar series that judged the Second Engine's macro condition, on how many days; null: none given. */
    dollarGate: { series: string[]; judgedDays: number } | null;
    total: PeriodStats;
    byYear: Record<string, PeriodStats>;
  };
}

export function runBacktest(params: {
  /** Daily closes; `vix3m` (the VIX3M close of the day, attachVix3m) lets the term-structure rule judge. */
  points: readonly { date: string; close: number; vix3m?: number }[];
  rulebook: Rulebook;
  falseAlarmBelowVix?: number;
  /** FRED series (src/engine/macro): a dollar series judges the Second Engine's macro condition on each day. */
  macroSeries?: readonly FredSeries[];
}): BacktestResult {
  const { rulebook } = params;
  const falseAlarmBelowVix = params.falseAlarmBelowVix ?? 20;
  const dollar = params.macroSeries?.length
    ? dollarOnDates(
        new Map(params.macroSeries.map((x) => [x.id, x])),
        params.points.map((p) => p.date),
      )
    : null;
  const points = dollar ? params.points.map((p, i) => ({ ...p, dollar: dollar[i]! })) : params.points;
  const bars = computeVixSignals({ points, thresholds: rulebook.thresholds });
  const { days: stageDays } = runStages({ bars, thresholds: rulebook.thresholds });
  const days: BacktestDay[] = stageDays.map((d: StageDay, i) => {
    const b = bars[i];
    return {
      date: d.date,
      close: d.close,
      stage: d.stage as VolStage, // no position: never time-shift
      changePct: b?.changePct ?? null,
      rsiShort: b?.rsiShort ?? null,
      rsiLong: b?.rsiLong ?? null,
      macdHistogram: b?.macdHistogram ?? null,
      entered: d.transitions.map((t) => t.to as VolStage),
      why: d.transitions.map((t) => t.sentence),
    };
  });
  const episodes = findEpisodes({ days, falseAlarmBelowVix });
  const byYear: Record<string, PeriodStats> = {};
  for (const d of days) {
    const y = d.date.slice(0, 4);
    byYear[y] ??= emptyStats();
  }
  const total = periodStats({ days, episodes, from: '0000-00-00', to: '9999-99-99' });
  for (const y of Object.keys(byYear)) {
    byYear[y] = periodStats({ days, episodes, from: `${y}-01-01`, to: `${y}-12-31` });
  }
  return {
    days,
    episodes,
    summary: {
      rulebookVersion: rulebook.version,
      from: days[0]?.date ?? null,
      to: days[days.length - 1]?.date ?? null,
      falseAlarmBelowVix,
      dollarGate: dollar
        ? {
            series: [...new Set(dollar.flatMap((d) => (d.series ? [d.series] : [])))].sort(),
            judgedDays: dollar.filter((d) => d.figure !== null).length,
          }
        : null,
      total,
      byYear,
    },
  };
}

function emptyStats(): PeriodStats {
  return {
    days: 0,
    calmDays: 0,
    layerOneDays: 0,
    secondEngineDays: 0,
    unwindDays: 0,
    layerOneEntries: 0,
    secondEngineEntries: 0,
    episodes: 0,
    falseAlarms: 0,
  };
}

function findEpisodes(params: { days: readonly BacktestDay[]; falseAlarmBelowVix: number }): Episode[] {
  const out: Episode[] = [];
  let cur: Episode | null = null;
  for (const d of params.days) {
    if (d.stage === 'calm') {
      if (cur) {
        cur.falseAlarm = cur.peakClose < params.falseAlarmBelowVix;
        out.push(cur);
        cur = null;
      }
      continue;
    }
    if (!cur) {
      cur = {
        start: d.date,
        firstSecondEngine: null,
        end: d.date,
        daysOn: 0,
        secondEngineDays: 0,
        peakClose: d.close,
        peakDate: d.date,
        falseAlarm: false,
      };
    }
    cur.end = d.date;
    cur.daysOn++;
    if (d.stage === 'second-engine') {
      cur.secondEngineDays++;
      cur.firstSecondEngine ??= d.date;
    }
    if (d.close > cur.peakClose) {
      cur.peakClose = d.close;
      cur.peakDate = d.date;
    }
  }
  if (cur) {
    cur.falseAlarm = cur.peakClose < params.falseAlarmBelowVix;
    out.push(cur);
  }
  return out;
}

/** Statistics over the days with from ≤ date ≤ to (YYYY-MM-DD, inclusive); episodes counted by their start date. */
export function periodStats(params: {
  days: readonly BacktestDay[];
  episodes: readonly Episode[];
  from: string;
  to: string;
  /** Optional: leave out days (and episodes starting) in these [from, to] windows, e.g. Aug 2024. */
  exclude?: readonly { from: string; to: string }[];
}): PeriodStats {
  const { from, to } = params;
  const excluded = (date: string): boolean => (params.exclude ?? []).some((w) => date >= w.from && date <= w.to);
  const s = emptyStats();
  for (const d of params.days) {
    const inside = d.date >= from && d.date <= to && !excluded(d.date);
    if (inside) {
      s.days++;
      if (d.stage === 'calm') s.calmDays++;
      else if (d.stage === 'layer-one') s.layerOneDays++;
      else if (d.stage === 'second-engine') s.secondEngineDays++;
      else s.unwindDays++;
      for (const e of d.entered) {
        if (e === 'layer-one') s.layerOneEntries++;
        if (e === 'second-engine') s.secondEngineEntries++;
      }
    }
  }
  for (const e of params.episodes) {
    if (e.start >= from && e.start <= to && !excluded(e.start)) {
      s.episodes++;
      if (e.falseAlarm) s.falseAlarms++;
    }
  }
  return s;
}
