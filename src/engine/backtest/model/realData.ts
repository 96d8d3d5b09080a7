/**
 * The measuring sticks of the backtest's models, in one place for scripts/calibrate-backtest.ts (which fits) and
 * tests/backtest (which pin the errors docs/BACKTEST_MODEL.md states):
 * - real implied vols from the four Cboe chains in ../shared/data/real, read with the project's own importer and
 *   analysis (parity forward, Let's Be Rational IV of each out-of-the-money mid);
 * - Cboe VX futures settlements with that day's VIX close.
 * The product never calls this file; it takes file text and reads nothing.
 */
import { importCboe } from '../../../chain/importers/cboe';
import { analyzeChain } from '../../analyze';
import { spxSmileVol, type SpxSmileParams } from './spxSmile';
import { termVariance, type VarianceTermParams, type VolIndexes } from './varianceTerm';

/**
 * The chains, each valued at the close of its trading day (the quotes are that close's; the files were saved
 * later, on a weekend or in the evening). The day's VIX, VIX9D and VIX3M are the closes of that trading day.
 */
export const REAL_CHAINS = [
  { file: 'cboe_spx_quotedata_2020-03-22_legacy.dat', date: '2020-03-20', close: '2020-03-20T20:00:00Z' },
  { file: 'cboe_spx_quotedata_2022-02-04.csv', date: '2022-02-04', close: '2022-02-04T21:00:00Z' },
  { file: 'cboe_spy_quotedata_2025-09-25.csv', date: '2025-09-25', close: '2025-09-25T20:00:00Z' },
  { file: 'cboe_spx_quotedata_2026-03-14.csv', date: '2026-03-13', close: '2026-03-13T20:00:00Z' },
] as const;

/**
 * The filter: the out-of-the-money side with a bid (smile.ts strikeVols: zero-bid, crossed and one-sided quotes
 * have no vol), more than 1 and at most 365 days to expiry, and a standardised moneyness
 * x = ln(K/F) / (σᵥ(T)·√T) within [X_MIN, X_MAX], σᵥ the variance-swap vol of the day's indexes (so the filter does
 * not look at the option's own vol).
 */
export const FILTER = { minDays: 1, maxDays: 365, xMin: -4, xMax: 2.5 } as const;

export interface VolPoint {
  days: number;
  years: number;
  /** ln(K/F), F the expiry's parity forward. */
  k: number;
  /** The real mid's implied vol, a fraction. */
  vol: number;
  /** Each expiry weighs the same in its chain: 1 / (expiries × the expiry's points). */
  weight: number;
}

export interface ChainDay extends VolIndexes {
  label: string;
  /** The same day as the backtest sees it before 2009: VIX alone. */
  vixOnly: VolIndexes;
  points: VolPoint[];
}

/** The filtered vol points of one chain file's text. Throws if the file does not import (a broken ../shared). */
export function chainDay(params: {
  text: string;
  file: string;
  close: string;
  date: string;
  vix: number;
  vix9d: number | null;
  vix3m: number | null;
  term: VarianceTermParams;
}): ChainDay {
  const r = importCboe({ text: params.text, fileName: params.file });
  if (!r.ok) throw new Error(`${params.file}: ${r.reason}`);
  const a = analyzeChain({ chain: r.chain, now: new Date(params.close) });
  const perExpiry: VolPoint[][] = [];
  for (const e of a.expiries) {
    if (e.reason !== null || !(e.daysToExpiry > FILTER.minDays) || e.daysToExpiry > FILTER.maxDays) continue;
    const sv = Math.sqrt(termVariance(params.term, params, e.years));
    const pts: VolPoint[] = [];
    for (const s of e.strikes) {
      if (s.vol === null) continue;
      const x = s.logMoneyness / (sv * Math.sqrt(e.years));
      if (x < FILTER.xMin || x > FILTER.xMax) continue;
      pts.push({ days: e.daysToExpiry, years: e.years, k: s.logMoneyness, vol: s.vol, weight: 0 });
    }
    if (pts.length > 0) perExpiry.push(pts);
  }
  for (const pts of perExpiry) for (const p of pts) p.weight = 1 / (perExpiry.length * pts.length);
  return {
    label: `${r.chain.underlying.symbol} ${params.date}`,
    vix: params.vix,
    vix9d: params.vix9d,
    vix3m: params.vix3m,
    vixOnly: { vix: params.vix, vix9d: null, vix3m: null },
    points: perExpiry.flat(),
  };
}

/** Whether the model sees the day's VIX9D and VIX3M or, as before 2009, VIX alone. */
export type IndexMode = 'indexes' | 'vix-only';

/** The model's vol at a real point. */
export function modelVolAt(
  p: SpxSmileParams,
  term: VarianceTermParams,
  d: ChainDay,
  pt: VolPoint,
  mode: IndexMode,
): number {
  return spxSmileVol(p, term, mode === 'indexes' ? d : d.vixOnly, pt.k, pt.years);
}

export interface ErrorFigures {
  n: number;
  /** Median and 90th percentile of |model − real|, vol points. */
  median: number;
  p90: number;
}

/** Linear-interpolated quantile of a non-empty list. */
export function quantile(xs: readonly number[], p: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const h = (s.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, s.length - 1);
  return s[lo]! + (h - lo) * (s[hi]! - s[lo]!);
}

/** Error figures of a vol function over a chain's points, all of them (≤ 1 year) or those of 7–60 days. */
export function chainErrors(d: ChainDay, vol: (pt: VolPoint) => number, range: 'all' | '7-60'): ErrorFigures {
  const abs: number[] = [];
  for (const pt of d.points) {
    if (range === '7-60' && (pt.days < 7 || pt.days > 60)) continue;
    abs.push(100 * Math.abs(vol(pt) - pt.vol));
  }
  return { n: abs.length, median: quantile(abs, 0.5), p90: quantile(abs, 0.9) };
}

/** One VX futures contract on one trading day. */
export interface FutureRow {
  date: string;
  expiry: string;
  /** Calendar days from the trade date to the expiry. */
  days: number;
  /** That day's VIX close. */
  vix: number;
  /** Settle, or Close where Settle is 0. */
  price: number;
}

/**
 * Rows of ../shared/data/vix/term/VX_futures_2013-2026.csv (",Trade Date,Futures,Open,High,Low,Close,Settle,…").
 * Settle is 0 on 852 rows of 2013: Close is used. Rows with an unreadable expiry (the 2026 rows labelled
 * "20268-03-18"), no price, an expiry before the trade date or no VIX close that day are left out and counted.
 */
export function readVxFutures(
  text: string,
  vixClose: ReadonlyMap<string, number>,
): { rows: FutureRow[]; left: number } {
  const rows: FutureRow[] = [];
  let left = 0;
  const lines = text.split(/\r?\n/);
  for (let i = 1; i < lines.length; i++) {
    const c = lines[i]!.split(',');
    if (c.length < 8) continue;
    const date = c[1]!;
    const expiry = c[2]!;
    let price = Number(c[7]);
    if (!(price > 0)) price = Number(c[6]);
    const vix = vixClose.get(date);
    const days = (Date.parse(expiry) - Date.parse(date)) / 86_400_000;
    if (!/^\d{4}-\d\d-\d\d$/.test(expiry) || !(price > 0) || vix === undefined || !(days >= 0)) {
      left++;
      continue;
    }
    rows.push({ date, expiry, days, vix, price });
  }
  return { rows, left };
}

/** The term buckets the futures errors are given in, calendar days [from, to). */
export const FUTURE_TERM_BUCKETS: readonly (readonly [number, number])[] = [
  [0, 10],
  [10, 30],
  [30, 60],
  [60, 120],
  [120, 400],
];

/** Median and 90th percentile of |model − settle|, VIX points, over the rows. */
export function futureErrors(rows: readonly FutureRow[], model: (r: FutureRow) => number): ErrorFigures {
  const abs = rows.map((r) => Math.abs(model(r) - r.price));
  return { n: abs.length, median: quantile(abs, 0.5), p90: quantile(abs, 0.9) };
}
