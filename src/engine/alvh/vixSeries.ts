/**
 * The VIX series: Cboe's VIX_History.csv (DATE,OPEN,HIGH,LOW,CLOSE with MM/DD/YYYY dates, daily since 1990) plus the
 * time-stamped VIX sightings the page reader collects. Indicators run on the closes with today's live value appended.
 *
 * Bad lines are counted and reported, never fatal: a user's file is not ours.
 */
import { keptBy } from '../keptBy';

export interface VixBar {
  /** YYYY-MM-DD. */
  date: string;
  open: number | null;
  high: number | null;
  low: number | null;
  close: number;
  /** The 3-month VIX (VIX3M) close of the same day, when a VIX3M series was given (attachVix3m). */
  vix3m?: number;
}

export interface LineError {
  /** 1-based line number in the file. */
  line: number;
  reason: string;
}

export interface VixHistory {
  bars: VixBar[];
  errors: LineError[];
  /**
   * The first line whose date comes before the line above it (the bars are returned sorted all the same); null when
   * the file is in date order. A reader that must not guess (the backtest) refuses such a file.
   */
  outOfOrder?: LineError | null;
}

export interface VixSighting {
  /** ISO 8601 instant the value was seen. */
  at: string;
  value: number;
  /** Where it was seen: an adapter name, 'manual', … */
  source: string;
}

/** One point of the series the indicators run on. */
export interface VixPoint {
  date: string;
  close: number;
  /** 'history' for a file close, 'live' for the latest sighting of a day the history does not cover yet. */
  kind: 'history' | 'live';
  /** For live points: the sighting's instant and source. */
  at?: string;
  source?: string;
  /** The VIX3M close of that day (history points with a VIX3M series only). */
  vix3m?: number;
}

const MAX_ERRORS_KEPT = 200;

function parseUsDate(s: string): string | null {
  const m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(s.trim());
  if (!m) return null;
  const month = Number(m[1]);
  const day = Number(m[2]);
  const year = Number(m[3]);
  if (month < 1 || month > 12 || day < 1 || day > 31) return null;
  const d = new Date(Date.UTC(year, month - 1, day));
  if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) return null;
  return `${m[3]}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function parseField(s: string | undefined): number | null {
  if (s === undefined) return null;
  const t = s.trim().replace(/^"|"$/g, '');
  if (t === '' || t === '.' || /^n\/?a$/i.test(t)) return null;
  const v = Number(t);
  return Number.isFinite(v) ? v : null;
}

/**
 * Parse Cboe's VIX_History.csv. The header must name DATE and CLOSE (OPEN/HIGH/LOW optional, any order). Rows with
 * an unreadable date or a missing/non-positive close are skipped and reported with their line number. Rows are
 * returned in date order; a repeated date keeps the later line and reports the earlier one.
 */
export function parseVixHistory(params: { text: string }): VixHistory {
  const lines = params.text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  const errors: LineError[] = [];
  let errorCount = 0;
  const report = (line: number, reason: string): void => {
    errorCount++;
    if (errors.length < MAX_ERRORS_KEPT) errors.push({ line, reason });
  };
  let headerIdx = -1;
  let col: Record<'date' | 'open' | 'high' | 'low' | 'close', number> = {
    date: -1,
    open: -1,
    high: -1,
    low: -1,
    close: -1,
  };
  for (let i = 0; i < lines.length; i++) {
    const l = (lines[i] as string).trim();
    if (l === '') continue;
    const heads = l.split(',').map((h) => h.trim().replace(/^"|"$/g, '').toUpperCase());
    if (heads.includes('DATE') && heads.includes('CLOSE')) {
      headerIdx = i;
      col = {
        date: heads.indexOf('DATE'),
        open: heads.indexOf('OPEN'),
        high: heads.indexOf('HIGH'),
        low: heads.indexOf('LOW'),
        close: heads.indexOf('CLOSE'),
      };
    }
    break;
  }
  if (headerIdx < 0) {
    return {
      bars: [],
      errors: [{ line: 1, reason: 'no header naming DATE and CLOSE (expected DATE,OPEN,HIGH,LOW,CLOSE)' }],
    };
  }
  const byDate = new Map<string, { bar: VixBar; line: number }>();
  let prevDate = '';
  let outOfOrder: LineError | null = null;
  for (let i = headerIdx + 1; i < lines.length; i++) {
    const raw = lines[i] as string;
    if (raw.trim() === '') continue;
    const lineNo = i + 1;
    const cells = raw.split(',');
    const date = parseUsDate((cells[col.date] ?? '').replace(/"/g, ''));
    if (date === null) {
      report(lineNo, `unreadable date ${JSON.stringify(cells[col.date] ?? '')} (expected MM/DD/YYYY)`);
      continue;
    }
    const close = parseField(cells[col.close]);
    if (close === null || close <= 0) {
      report(lineNo, `missing or non-positive CLOSE ${JSON.stringify(cells[col.close] ?? '')}`);
      continue;
    }
    const pick = (c: number): number | null => {
      const v = c < 0 ? null : parseField(cells[c]);
      return v !== null && v > 0 ? v : null;
    };
    if (outOfOrder === null && date < prevDate)
      outOfOrder = {
        line: lineNo,
        reason: `date ${date} is earlier than ${prevDate} on the line above (the file is not in date order)`,
      };
    prevDate = date;
    const prev = byDate.get(date);
    if (prev) report(prev.line, `date ${date} repeated on line ${lineNo}; the later line is kept`);
    byDate.set(date, {
      bar: { date, open: pick(col.open), high: pick(col.high), low: pick(col.low), close },
      line: lineNo,
    });
  }
  const bars = [...byDate.values()].map((v) => v.bar).sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  if (errorCount > errors.length) {
    errors.push({ line: 0, reason: `${errorCount - errors.length} more bad lines not listed` });
  }
  return { bars, errors, outOfOrder };
}

const nyDate = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'America/New_York',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/**
 * The dates newYorkDate has formatted, by instant (Intl's format is costly, and a session asks it a few times for the
 * same instants: its valuation time, the VIX chain's session). An invalid instant (NaN) throws, as before.
 */
const nyDateOf = keptBy(32, (ms: number) => nyDate.format(ms));

/** The New York calendar date (YYYY-MM-DD) of an instant: VIX trades on Cboe, its sessions are NY dates. */
export function newYorkDate(at: Date): string {
  return nyDateOf(at.getTime());
}

export interface MergedSeries {
  points: VixPoint[];
  /** Sightings ignored: unreadable, non-positive, or on a date the history already closes (the close is final). */
  ignored: { sighting: VixSighting; reason: string }[];
}

/**
 * Merge sightings into the daily history: for each New York date after the history's last date, the latest sighting
 * of that date becomes that day's point (kind 'live'); the last of them is "today's live value". Sightings on dates the
 * history covers are ignored (the official close wins) and listed.
 */
export function mergeSightings(params: { bars: readonly VixBar[]; sightings: readonly VixSighting[] }): MergedSeries {
  const { bars, sightings } = params;
  const points: VixPoint[] = bars.map((b) =>
    b.vix3m !== undefined
      ? { date: b.date, close: b.close, kind: 'history', vix3m: b.vix3m }
      : { date: b.date, close: b.close, kind: 'history' },
  );
  const lastDate = bars.length > 0 ? (bars[bars.length - 1] as VixBar).date : '';
  const { live, ignored } = liveSightings(lastDate, sightings);
  for (const p of live) points.push(p);
  return { points, ignored };
}

/**
 * The sightings that add a day to a history ending on `lastDate` ('' for none): the latest readable one of each
 * later New York date, as live points in date order; the others with why they were left out.
 */
export function liveSightings(
  lastDate: string,
  sightings: readonly VixSighting[],
): { live: VixPoint[]; ignored: MergedSeries['ignored'] } {
  const ignored: MergedSeries['ignored'] = [];
  const latestByDate = new Map<string, { s: VixSighting; t: number }>();
  for (const s of sightings) {
    const t = Date.parse(s.at);
    if (!Number.isFinite(t)) {
      ignored.push({ sighting: s, reason: `unreadable time ${JSON.stringify(s.at)}` });
      continue;
    }
    if (typeof s.value !== 'number' || !Number.isFinite(s.value) || s.value <= 0) {
      ignored.push({ sighting: s, reason: `not a positive VIX value: ${String(s.value)}` });
      continue;
    }
    const date = newYorkDate(new Date(t));
    if (date <= lastDate) {
      ignored.push({ sighting: s, reason: `the history already has the close of ${date}` });
      continue;
    }
    const cur = latestByDate.get(date);
    if (!cur || t >= cur.t) latestByDate.set(date, { s, t });
  }
  const live: VixPoint[] = [...latestByDate.entries()]
    .sort((a, b) => (a[0] < b[0] ? -1 : 1))
    .map(([date, { s }]) => ({
      date,
      close: s.value,
      kind: 'live',
      at: new Date(Date.parse(s.at)).toISOString(),
      source: s.source,
    }));
  return { live, ignored };
}

/**
 * The VIX bars with the VIX3M close of the same day (Cboe's VIX3M_History.csv, the same DATE,OPEN,HIGH,LOW,CLOSE
 * layout, read with parseVixHistory). Days without a VIX3M close keep none: the term-structure rule is not judged
 * on them. Returns how many bars got one.
 */
export function attachVix3m(params: { bars: readonly VixBar[]; vix3m: readonly VixBar[] }): {
  bars: VixBar[];
  matched: number;
} {
  const byDate = new Map(params.vix3m.map((b) => [b.date, b.close]));
  let matched = 0;
  const bars = params.bars.map((b) => {
    const v = byDate.get(b.date);
    if (v === undefined || !(v > 0)) {
      const { vix3m: _drop, ...rest } = b;
      return rest;
    }
    matched++;
    return { ...b, vix3m: v };
  });
  return { bars, matched };
}
