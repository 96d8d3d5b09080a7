/**
 * Is this history the series it is given as? A daily-closes file reads the same whatever index it holds, so the S&P
 * 500's file given as the VIX's (or the two swapped, or the same file twice) would be read without a word and every
 * figure after it would be nonsense (a backtest of −100% a year). These checks refuse such a file with what is wrong
 * and the date that shows it; nothing is repaired.
 *
 * The VIX-family indexes live in known ranges: the ranges below are far wider than anything on record, so a true
 * history never fails them. An equity index has no such range (the S&P 500 closed at 17 in 1928 and 7,000 in 2026;
 * another index may be given in its place), but its day-to-day moves are bounded: no index close has halved or
 * doubled in a session (the S&P 500's largest moves: −20.5% on 19 Oct 1987, +16.6% on 15 Mar 1933), so such a step is
 * a mistyped line or two series in one file.
 */
import type { VixBar } from './alvh/vixSeries';

export type VolIndex = 'VIX' | 'VIX3M' | 'VIX9D' | 'VVIX' | 'SKEW';

/** Bounds a close must lie within, and what the index has done, for the message. */
const RANGES: Record<VolIndex, { min: number; max: number; onRecord: string }> = {
  VIX: { min: 4, max: 200, onRecord: 'the VIX has closed between 9.14 (Nov 2017) and 82.69 (Mar 2020)' },
  VIX3M: { min: 4, max: 200, onRecord: 'VIX3M has closed between about 12 and 73' },
  VIX9D: { min: 2, max: 250, onRecord: 'VIX9D has closed between about 7 and 107' },
  // Cboe's VVIX file has one bad row, 15.71 on 15 Mar 2006, among closes of about 30 to 210: it is let through.
  VVIX: { min: 10, max: 500, onRecord: 'VVIX has closed between about 30 and 210' },
  SKEW: { min: 80, max: 250, onRecord: 'SKEW has closed between about 100 and 185' },
};

const fmt = (v: number): string => v.toLocaleString('en-US', { maximumFractionDigits: 2 });

/** Bars within [from, to] (inclusive; null: no bound). */
function within(bars: readonly VixBar[], from: string | null, to: string | null): VixBar[] {
  return bars.filter((b) => (from === null || b.date >= from) && (to === null || b.date <= to));
}

/**
 * Why these closes are not the volatility index they are given as (the first close outside its range, how many
 * are), or null when every close fits.
 */
export function volIndexProblem(
  bars: readonly VixBar[],
  index: VolIndex,
  from: string | null = null,
  to: string | null = null,
): string | null {
  const r = RANGES[index];
  const all = within(bars, from, to);
  const out = all.filter((b) => !(b.close >= r.min && b.close <= r.max));
  if (out.length === 0) return null;
  const b = out[0]!;
  let lo = Infinity;
  let hi = -Infinity;
  for (const x of all) {
    lo = Math.min(lo, x.close);
    hi = Math.max(hi, x.close);
  }
  const extent =
    out.length > 1 ? ` (and ${fmt(out.length - 1)} more; the file's closes run from ${fmt(lo)} to ${fmt(hi)})` : '';
  return `the close ${fmt(b.close)} on ${b.date}${extent} is not a level ${index} can have (${r.onRecord}; closes outside ${r.min}–${r.max} are refused): is it another index's file?`;
}

/** The bound on one session's move of an equity index: a close that halves or doubles. */
const MAX_STEP = 2;

/** Why these closes are not one equity index's (a session whose close halved or doubled), or null. */
export function indexStepProblem(
  bars: readonly VixBar[],
  from: string | null = null,
  to: string | null = null,
): string | null {
  const b = within(bars, from, to);
  for (let i = 1; i < b.length; i++) {
    const r = b[i]!.close / b[i - 1]!.close;
    if (r > MAX_STEP || r < 1 / MAX_STEP)
      return `the close goes from ${fmt(b[i - 1]!.close)} on ${b[i - 1]!.date} to ${fmt(b[i]!.close)} on ${b[i]!.date} (${r > 1 ? '+' : '−'}${(Math.abs(r - 1) * 100).toFixed(1)}%), more than any index has moved in a session: a mistyped line, or two series in one file`;
  }
  return null;
}

/**
 * Why these closes, given as an equity index's, look like a volatility index's instead (VIX, VIX3M, … in the index's
 * place), or null. Only a history reaching past 1970 with every close at most 200 and a median of at most 50 is
 * refused: the S&P 500 has closed above 100 since 1968, and an index whose closes stay that low for decades is not
 * one the backtest's SPX model fits anyway.
 */
export function volLevelsProblem(
  bars: readonly VixBar[],
  from: string | null = null,
  to: string | null = null,
): string | null {
  const b = within(bars, from, to);
  if (b.length < 20 || b[b.length - 1]!.date < '1971-01-01') return null;
  let max = 0;
  for (const x of b) if (x.close > max) max = x.close;
  const sorted = b.map((x) => x.close).sort((p, q) => p - q);
  const median = sorted[sorted.length >> 1]!;
  if (max > 200 || median > 50) return null;
  return `its closes (median ${fmt(median)}, none above ${fmt(max)}, up to ${b[b.length - 1]!.date}) look like a volatility index's, not an equity index's (the S&P 500 has closed above 100 since 1968): is it the VIX's file?`;
}

/** At least this share of the common dates with equal closes makes two histories the same series. */
const SAME_SHARE = 0.9;

/**
 * Whether two histories, each in date order, hold the same closes (the same file given twice): most common dates
 * close equal.
 */
export function sameCloses(a: readonly VixBar[], b: readonly VixBar[]): boolean {
  // Both in date order (readCboe's bars): their common dates met in one pass of each.
  let common = 0;
  let equal = 0;
  for (let i = 0, j = 0; i < a.length && j < b.length;) {
    const x = a[i]!,
      y = b[j]!;
    if (x.date < y.date) i++;
    else if (x.date > y.date) j++;
    else {
      common++;
      if (x.close === y.close) equal++;
      i++;
      j++;
    }
  }
  return common >= 20 && equal >= SAME_SHARE * common;
}
