/**
 * The backtest's figures from an equity curve (dollars at each close), and the named VIX spikes' windows.
 *
 * Definitions (stated, so the figures can be checked by hand):
 * - annual return: the last close of the year over the last close of the year before (the first year: over the
 *   account at the start), minus one; CAGR: (end / start)^(1 / years) − 1 with years = calendar days / 365.25.
 * - volatility: the standard deviation of daily simple returns × √252; Sortino: the mean daily return × 252 over
 *   the downside deviation (daily returns below zero, root mean square over all days) × √252; target return 0.
 * - max drawdown: the largest fall from a running peak, with the peak's and the trough's dates; worst month: the
 *   worst calendar-month return (last close of the month over the last close of the month before).
 * - hedge cost per year: the premiums and commissions paid to open hedges that year, dollars and as a share of the
 *   account at the year's start.
 * - spike window (one per named year): around the year's highest VIX close (the peak), from the last close before
 *   the peak at or below the median close of the 250 sessions before the peak (the calm before it), to the first
 *   close after the peak at or below the midpoint between that calm close and the peak (half the spike undone), or
 *   the run's end. A spike's P/L is the change in the account over the window, as a share of the account at its start.
 */
import type { MarketDay } from './model';

export const NAMED_SPIKE_YEARS = [1990, 1998, 2008, 2010, 2011, 2015, 2018, 2020, 2022, 2024, 2025] as const;

export interface SpikeWindow {
  year: number;
  start: string;
  peak: string;
  end: string;
  startVix: number;
  peakVix: number;
}

export interface SpikeResult extends SpikeWindow {
  /** Account change over the window, a fraction of the account at its start. */
  pnl: number;
  pnlDollars: number;
}

export interface StrategyFigures {
  annualReturns: Record<string, number>;
  cagr: number;
  volatility: number;
  sortino: number | null;
  maxDrawdown: { depth: number; peak: string; trough: string };
  worstMonth: { month: string; ret: number };
  hedgeCostPerYear: Record<string, { dollars: number; shareOfAccount: number }>;
  spikes: SpikeResult[];
  endDollars: number;
}

const r6 = (v: number) => Math.round(v * 1e6) / 1e6;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Each named year's peak: the index of its first session with the year's highest VIX close (one pass). */
function yearPeaks(days: readonly MarketDay[]): Map<string, number> {
  const named = new Set(NAMED_SPIKE_YEARS.map(String));
  const peaks = new Map<string, number>();
  for (let i = 0; i < days.length; i++) {
    const y = days[i]!.date.slice(0, 4);
    if (!named.has(y)) continue;
    const p = peaks.get(y);
    if (p === undefined || days[i]!.vix > days[p]!.vix) peaks.set(y, i);
  }
  return peaks;
}

/** The named spikes' windows present in the run (a year outside the run is left out). */
export function namedSpikes(days: readonly MarketDay[]): SpikeWindow[] {
  const out: SpikeWindow[] = [];
  const peaks = yearPeaks(days);
  for (const year of NAMED_SPIKE_YEARS) {
    const p = peaks.get(String(year));
    if (p === undefined) continue;
    const calm = median(days.slice(Math.max(0, p - 250), Math.max(1, p)).map((d) => d.vix));
    let s = p;
    while (s > 0 && days[s]!.vix > calm) s--;
    const half = (days[s]!.vix + days[p]!.vix) / 2;
    let e = p;
    while (e < days.length - 1 && days[e]!.vix > half) e++;
    out.push({
      year,
      start: days[s]!.date,
      peak: days[p]!.date,
      end: days[e]!.date,
      startVix: days[s]!.vix,
      peakVix: days[p]!.vix,
    });
  }
  return out;
}

/**
 * The year-end returns and month-end equity of a run. (Each pass over the days is a function of its own: V8 compiles
 * a long loop while it runs, and the code after the loop, never run yet, would throw that compile away.)
 */
function yearsAndMonths(days: readonly MarketDay[], equity: readonly number[], account: number) {
  const n = equity.length;
  const annualReturns: Record<string, number> = {};
  const startOfYear: Record<string, number> = {};
  const monthEnd = new Map<string, number>();
  let yearStart = account;
  for (let i = 0; i < n; i++) {
    const d = days[i]!.date;
    monthEnd.set(d.slice(0, 7), equity[i]!);
    const lastOfYear = i === n - 1 || days[i + 1]!.date.slice(0, 4) !== d.slice(0, 4);
    if (lastOfYear) {
      annualReturns[d.slice(0, 4)] = r6(equity[i]! / yearStart - 1);
      startOfYear[d.slice(0, 4)] = yearStart;
      yearStart = equity[i]!;
    }
  }
  return { annualReturns, startOfYear, monthEnd };
}

/** The daily returns' sums (plain, squared, of the losses squared) and the deepest drawdown. */
function dailyMoments(days: readonly MarketDay[], equity: readonly number[], account: number) {
  const n = equity.length;
  let sum = 0;
  let sumSq = 0;
  let down = 0;
  let peak = account;
  let peakAt = days[0]!.date;
  let dd = { depth: 0, peak: peakAt, trough: peakAt };
  for (let i = 0; i < n; i++) {
    const prev = i === 0 ? account : equity[i - 1]!;
    const r = equity[i]! / prev - 1;
    sum += r;
    sumSq += r * r;
    if (r < 0) down += r * r;
    if (equity[i]! > peak) {
      peak = equity[i]!;
      peakAt = days[i]!.date;
    }
    const depth = 1 - equity[i]! / peak;
    if (depth > dd.depth) dd = { depth: r6(depth), peak: peakAt, trough: days[i]!.date };
  }
  return { sum, sumSq, down, dd };
}

export function figuresOf(p: {
  days: readonly MarketDay[];
  equity: readonly number[];
  spikes: readonly SpikeWindow[];
  hedgeCost: ReadonlyMap<string, number>;
  account: number;
}): StrategyFigures {
  const { days, equity, account } = p;
  const n = equity.length;
  const { annualReturns, startOfYear, monthEnd } = yearsAndMonths(days, equity, account);
  let worstMonth = { month: '', ret: Infinity };
  let prevMonth = account;
  for (const [m, v] of monthEnd) {
    const r = v / prevMonth - 1;
    if (r < worstMonth.ret) worstMonth = { month: m, ret: r6(r) };
    prevMonth = v;
  }
  const { sum, sumSq, down, dd } = dailyMoments(days, equity, account);
  const mean = sum / n;
  const variance = Math.max(sumSq / n - mean * mean, 0);
  const downDev = Math.sqrt(down / n);
  const years = (Date.parse(days[n - 1]!.date) - Date.parse(days[0]!.date)) / (365.25 * 86_400_000);
  const end = equity[n - 1]!;
  const index = new Map(days.map((d, i) => [d.date, i]));
  const spikes: SpikeResult[] = p.spikes.map((w) => {
    const s = index.get(w.start)!;
    const e = index.get(w.end)!;
    const before = s === 0 ? account : equity[s - 1]!;
    return { ...w, pnl: r6(equity[e]! / before - 1), pnlDollars: Math.round((equity[e]! - before) * 100) / 100 };
  });
  const hedgeCostPerYear: StrategyFigures['hedgeCostPerYear'] = {};
  for (const y of Object.keys(annualReturns)) {
    const c = p.hedgeCost.get(y) ?? 0;
    hedgeCostPerYear[y] = { dollars: Math.round(c * 100) / 100, shareOfAccount: r6(c / startOfYear[y]!) };
  }
  return {
    annualReturns,
    cagr: r6(end > 0 && years > 0 ? (end / account) ** (1 / years) - 1 : -1),
    volatility: r6(Math.sqrt(variance) * Math.sqrt(252)),
    sortino: downDev > 0 ? r6((mean * 252) / (downDev * Math.sqrt(252))) : null,
    maxDrawdown: dd,
    worstMonth,
    hedgeCostPerYear,
    spikes,
    endDollars: Math.round(end * 100) / 100,
  };
}
