/**
 * The New York market calendar and settlement rules (DESIGN.md §3, "Quotes and time"): dates on the exchange's
 * calendar, New York's UTC offset, exchange holidays and business days, the monthly SPX and VIX expiry calendars,
 * and when an expiry settles. These are facts about the market, not math: the chain importers and the page
 * readers need them, and the engine (src/engine/time.ts: time to expiry, valuation time) builds on them.
 *
 * - PM-settled (SPXW, equities, ETFs): 16:00 America/New_York on the expiry date.
 * - AM-settled (standard third-Friday SPX, NDX, RUT; VIX and VIXW): 09:30 America/New_York on the
 *   expiry date (the opening print); the last trade is on the business day before.
 *
 * New York's UTC offset comes from the US daylight-saving rules, computed here, not from Intl (so the
 * result is the same in a worker, in Node with any TZ/ICU and in tests):
 * - since 2007 (Energy Policy Act of 2005): DST from the second Sunday of March, 02:00 local standard time,
 *   to the first Sunday of November, 02:00 local daylight time;
 * - 1987–2006: first Sunday of April to the last Sunday of October;
 * - 1967–1986 (Uniform Time Act): last Sunday of April to the last Sunday of October (the 1974–75
 *   energy-crisis exceptions are ignored; option data that old is out of scope).
 * Dates are ISO 'YYYY-MM-DD' strings on the exchange's calendar.
 */
import type { Settlement } from './types.ts';

const MS_PER_DAY = 86_400_000;

/* ------------------------------------------------------------------ calendar helpers */

/** Days since 1970-01-01 for a civil date (proleptic Gregorian, as Date.UTC counts them). */
export function dayNumber(year: number, month: number, day: number): number {
  if (!(Number.isInteger(year) && Number.isInteger(month) && Number.isInteger(day) && month >= 1 && month <= 12))
    return Math.round(Date.UTC(year, month - 1, day) / MS_PER_DAY);
  // Howard Hinnant's days_from_civil ("chrono-Compatible Low-Level Date Algorithms"): the proleptic Gregorian count
  // Date.UTC makes, a day past the month's end included, by arithmetic (a backtest asks hundreds of thousands).
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  return era * 146097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy - 719468;
}

/** Day of week for a civil date: 0 = Sunday … 6 = Saturday. */
export function dayOfWeek(year: number, month: number, day: number): number {
  return new Date(Date.UTC(year, month - 1, day)).getUTCDay();
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

/** ISO date string from year, month (1–12), day. */
export function isoDate(year: number, month: number, day: number): string {
  const d = new Date(Date.UTC(year, month - 1, day));
  return `${String(d.getUTCFullYear()).padStart(4, '0')}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`;
}

/** Parse 'YYYY-MM-DD' strictly (real calendar date) into its parts; null otherwise. */
export function parseIsoDate(date: string): Readonly<{ year: number; month: number; day: number }> | null {
  let p = parsedDates.get(date);
  if (p === undefined) {
    p = parseFresh(date);
    if (parsedDates.size >= 4096) parsedDates.clear();
    parsedDates.set(date, p);
  }
  return p;
}

/**
 * The dates parsed lately (a backtest asks about the same few thousand dates again and again; the parts are frozen,
 * so every caller reads the same). Let go and kept afresh past 4,096.
 */
const parsedDates = new Map<string, Readonly<{ year: number; month: number; day: number }> | null>();

/**
 * YYYY-MM-DD read from its characters: a real day of its month (daysInMonth), a year from 0100 on (Date.UTC, which
 * isoDate writes through, reads the years 0–99 as 1900–1999, so those never read back the same).
 */
function parseFresh(date: string): Readonly<{ year: number; month: number; day: number }> | null {
  if (date.length !== 10 || date.charCodeAt(4) !== 45 /* - */ || date.charCodeAt(7) !== 45) return null;
  const year = digitsAt(date, 0, 4);
  const month = digitsAt(date, 5, 7);
  const day = digitsAt(date, 8, 10);
  if (year < 100 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  return Object.freeze({ year, month, day });
}

/** The number the decimal digits of s[from, to) write; −1 when one of them is not a digit. */
function digitsAt(s: string, from: number, to: number): number {
  let v = 0;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i) - 48;
    if (!(c >= 0 && c <= 9)) return -1;
    v = v * 10 + c;
  }
  return v;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Days in a month (1–12) of a year, by the Gregorian leap rule (proleptic, as Date.UTC counts them). */
export function daysInMonth(year: number, month: number): number {
  if (month !== 2) return DAYS_IN_MONTH[month - 1]!;
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
}

function requireIsoDate(date: string): Readonly<{ year: number; month: number; day: number }> {
  const p = parseIsoDate(date);
  if (!p) throw new RangeError(`not an ISO date (YYYY-MM-DD): ${JSON.stringify(date)}`);
  return p;
}

/** Add whole calendar days to an ISO date. */
export function addDays(date: string, days: number): string {
  const { year, month, day } = requireIsoDate(date);
  return isoDate(year, month, day + days);
}

/** Day of the month of the n-th (1-based) given weekday (0 = Sunday) of a month. */
function nthWeekday(year: number, month: number, weekday: number, n: number): number {
  const first = dayOfWeek(year, month, 1);
  return 1 + ((weekday - first + 7) % 7) + 7 * (n - 1);
}

/** Day of the month of the last given weekday of a month. */
function lastWeekday(year: number, month: number, weekday: number): number {
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const dow = dayOfWeek(year, month, lastDay);
  return lastDay - ((dow - weekday + 7) % 7);
}

/** The third Friday of a month (month 1–12), as an ISO date. */
export function thirdFriday(year: number, month: number): string {
  return isoDate(year, month, nthWeekday(year, month, 5, 3));
}

/* ------------------------------------------------------------------ New York offset */

/** The UTC instants (ms) at which daylight time starts and ends in New York in a given year; null if none. */
export function nyDstBounds(year: number): { startMs: number; endMs: number } | null {
  // Kept by year (every valuation time asks; a few hundred years at most): callers read the bounds, never change them.
  let b = dstBounds.get(year);
  if (b === undefined) {
    b = dstBoundsOf(year);
    if (Number.isInteger(year)) dstBounds.set(year, b);
  }
  return b;
}

const dstBounds = new Map<number, { startMs: number; endMs: number } | null>();

function dstBoundsOf(year: number): { startMs: number; endMs: number } | null {
  let start: [number, number];
  let end: [number, number];
  if (year >= 2007) {
    start = [3, nthWeekday(year, 3, 0, 2)];
    end = [11, nthWeekday(year, 11, 0, 1)];
  } else if (year >= 1987) {
    start = [4, nthWeekday(year, 4, 0, 1)];
    end = [10, lastWeekday(year, 10, 0)];
  } else if (year >= 1967) {
    start = [4, lastWeekday(year, 4, 0)];
    end = [10, lastWeekday(year, 10, 0)];
  } else {
    return null;
  }
  // 02:00 EST = 07:00 UTC; 02:00 EDT = 06:00 UTC.
  const startMs = Date.UTC(year, start[0] - 1, start[1], 7);
  const endMs = Date.UTC(year, end[0] - 1, end[1], 6);
  return { startMs, endMs };
}

/** New York's offset from UTC, in minutes (−240 in daylight time, −300 in standard time), at an instant. */
export function nyOffsetMinutes(instant: Date): number {
  const ms = instant.getTime();
  const year = instant.getUTCFullYear();
  const b = nyDstBounds(year);
  if (b && ms >= b.startMs && ms < b.endMs) return -240;
  return -300;
}

/**
 * The instant of a New York wall-clock time on a date. In the skipped hour of spring-forward the
 * standard-time reading is used (02:30 → 03:30 EDT); in the repeated hour of fall-back, the first
 * (daylight) occurrence. Market hours never fall in either.
 */
export function nyWallClockToInstant({
  date,
  hour,
  minute = 0,
}: {
  date: string;
  hour: number;
  minute?: number;
}): Date {
  const { year, month, day } = requireIsoDate(date);
  const asUtcMs = Date.UTC(year, month - 1, day, hour, minute);
  // Try daylight time first (earlier instant for ambiguous times), then standard time.
  const edt = asUtcMs + 240 * 60_000;
  if (nyOffsetMinutes(new Date(edt)) === -240) return new Date(edt);
  return new Date(asUtcMs + 300 * 60_000);
}

/** The New York calendar date (ISO) and minutes after midnight of an instant. */
export function nyWallClock(instant: Date): { date: string; minutes: number } {
  const local = new Date(instant.getTime() + nyOffsetMinutes(instant) * 60_000);
  return {
    date: isoDate(local.getUTCFullYear(), local.getUTCMonth() + 1, local.getUTCDate()),
    minutes: local.getUTCHours() * 60 + local.getUTCMinutes(),
  };
}

/* ------------------------------------------------------------------ exchange holidays */

/** Easter Sunday (Gregorian), by the anonymous algorithm published by Meeus (Astronomical Algorithms, ch. 8). */
export function easterSunday(year: number): string {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return isoDate(year, month, day);
}

/** One-off NYSE/Cboe closures (national days of mourning, storms) since 2001. */
const SPECIAL_CLOSURES = new Set([
  '2001-09-11',
  '2001-09-12',
  '2001-09-13',
  '2001-09-14',
  '2004-06-11',
  '2007-01-02',
  '2012-10-29',
  '2012-10-30',
  '2018-12-05',
  '2025-01-09',
]);

/** A fixed-date holiday observed on Friday when it falls on Saturday and on Monday when on Sunday. */
function observed(year: number, month: number, day: number): string {
  const dow = dayOfWeek(year, month, day);
  if (dow === 6) return isoDate(year, month, day - 1);
  if (dow === 0) return isoDate(year, month, day + 1);
  return isoDate(year, month, day);
}

const holidayCache = new Map<number, Set<string>>();

/** NYSE full-day holidays of a year (the rules in force since 1998; Juneteenth since 2022). */
export function exchangeHolidays(year: number): Set<string> {
  const cached = holidayCache.get(year);
  if (cached) return cached;
  const out = new Set<string>();
  // New Year's Day: Sunday → Monday; Saturday → not observed (NYSE rule 7.2).
  if (dayOfWeek(year, 1, 1) !== 6) out.add(observed(year, 1, 1));
  out.add(isoDate(year, 1, nthWeekday(year, 1, 1, 3))); // Martin Luther King Jr. Day
  out.add(isoDate(year, 2, nthWeekday(year, 2, 1, 3))); // Washington's Birthday
  out.add(addDays(easterSunday(year), -2)); // Good Friday
  out.add(isoDate(year, 5, lastWeekday(year, 5, 1))); // Memorial Day
  if (year >= 2022) out.add(observed(year, 6, 19)); // Juneteenth
  out.add(observed(year, 7, 4)); // Independence Day
  out.add(isoDate(year, 9, nthWeekday(year, 9, 1, 1))); // Labor Day
  out.add(isoDate(year, 11, nthWeekday(year, 11, 4, 4))); // Thanksgiving
  out.add(observed(year, 12, 25)); // Christmas
  for (const d of SPECIAL_CLOSURES) if (d.startsWith(`${year}-`)) out.add(d);
  holidayCache.set(year, out);
  return out;
}

/** True on a weekday the exchange is open (weekends and the holidays above are not). */
export function isBusinessDay(date: string): boolean {
  const { year, month, day } = requireIsoDate(date);
  const dow = dayOfWeek(year, month, day);
  if (dow === 0 || dow === 6) return false;
  return !exchangeHolidays(year).has(date);
}

/** The latest business day on or before a date. */
export function businessDayOnOrBefore(date: string): string {
  let d = date;
  for (let i = 0; i < 10 && !isBusinessDay(d); i++) d = addDays(d, -1);
  return d;
}

/** The business day strictly before a date. */
export function previousBusinessDay(date: string): string {
  return businessDayOnOrBefore(addDays(date, -1));
}

/* ------------------------------------------------------------------ expiry calendars */

/**
 * The standard monthly (AM-settled) SPX expiry of a month: the third Friday, or the business day before
 * it when that Friday is an exchange holiday (e.g. Good Friday, 18 April 2025 → Thursday 17 April).
 */
export function standardMonthlyExpiry(year: number, month: number): string {
  return byMonth(monthlyExpiries, year, month, () => businessDayOnOrBefore(thirdFriday(year, month)));
}

/**
 * The expiry of each month, kept once worked out (a pure function of the month, asked for every day of a backtest;
 * a few thousand months at most). Only months 1–12 of whole years are kept (a month past 12 rolls over, as before).
 */
const monthlyExpiries = new Map<number, string>();
const vixExpiries = new Map<number, string>();

function byMonth(kept: Map<number, string>, year: number, month: number, make: () => string): string {
  const key = year * 16 + month;
  let v = kept.get(key);
  if (v === undefined) {
    v = make();
    if (Number.isInteger(year) && Number.isInteger(month) && month >= 1 && month <= 12) kept.set(key, v);
  }
  return v;
}

/**
 * The standard VIX expiry in a given month (month 1–12): the Wednesday 30 days before the third Friday
 * of the FOLLOWING month (Cboe VIX options/futures rules); when that Friday is an exchange holiday, 30 days
 * before the business day preceding it; and when the Wednesday itself is a holiday, the business day before
 * it (e.g. June 2024: Wednesday 19 June is Juneteenth → Tuesday 18 June).
 */
export function vixExpiryFor({ year, month }: { year: number; month: number }): string {
  return byMonth(vixExpiries, year, month, () => {
    const nextYear = month === 12 ? year + 1 : year;
    const nextMonth = month === 12 ? 1 : month + 1;
    const spx = standardMonthlyExpiry(nextYear, nextMonth);
    return businessDayOnOrBefore(addDays(spx, -30));
  });
}

/** The first standard VIX expiry on or after a date (ISO). */
export function nextVixExpiry(date: string): string {
  const { year, month } = requireIsoDate(date);
  let y = year;
  let m = month;
  for (let i = 0; i < 3; i++) {
    const e = vixExpiryFor({ year: y, month: m });
    if (e >= date) return e;
    m += 1;
    if (m === 13) {
      m = 1;
      y += 1;
    }
  }
  /* c8 ignore next */
  throw new RangeError(`no VIX expiry found after ${date}`);
}

/** True when a date is the standard monthly SPX expiry of its month (third Friday or its holiday shift). */
export function isStandardMonthlyExpiry(date: string): boolean {
  const p = parseIsoDate(date);
  if (!p) return false;
  return standardMonthlyExpiry(p.year, p.month) === date;
}

/** Roots whose standard options settle at the open (special opening quotation). */
const AM_ROOTS = new Set(['SPX', 'NDX', 'RUT', 'DJX', 'OEX', 'XEO', 'MXEA', 'MXEF', 'VIX', 'VIXW']);
/** Roots that trade a PM-settled weekly/daily series beside an AM monthly one. */
const PM_ROOTS = new Set(['SPXW', 'SPXPM', 'NDXP', 'RUTW', 'XSP', 'XND', 'MRUT']);

/**
 * Settlement style from the option root and date. VIX and VIXW: AM. SPX (and NDX, RUT…): AM on their
 * standard monthly date; a non-standard date with the AM root (rare: old quarterlies) is PM.
 * SPXW, NDXP, RUTW, XSP, equities, ETFs and unknown roots: PM.
 */
export function inferSettlement(root: string | null | undefined, date: string): Settlement {
  const r = (root ?? '').trim().toUpperCase();
  if (r === 'VIX' || r === 'VIXW') return 'AM';
  if (PM_ROOTS.has(r)) return 'PM';
  if (AM_ROOTS.has(r)) return isStandardMonthlyExpiry(date) ? 'AM' : 'PM';
  return 'PM';
}

export interface ExpiryRef {
  /** ISO date of expiry. */
  date: string;
  settlement: Settlement;
  root?: string | null;
}

/** The instant an expiry settles: AM 09:30, PM 16:00, America/New_York on its date. */
export function settlementInstant(expiry: ExpiryRef): Date {
  if (expiry.settlement === 'AM') return nyWallClockToInstant({ date: expiry.date, hour: 9, minute: 30 });
  return nyWallClockToInstant({ date: expiry.date, hour: 16, minute: 0 });
}

/**
 * The last trading date: the expiry date for PM-settled series; the business day before for AM-settled
 * (their final price is the next morning's opening quotation).
 */
export function lastTradingDate(expiry: ExpiryRef): string {
  return expiry.settlement === 'AM' ? previousBusinessDay(expiry.date) : expiry.date;
}

/** Whole calendar days from a date to another (b − a), both ISO. */
export function daysBetween({ from, to }: { from: string; to: string }): number {
  const a = requireIsoDate(from);
  const b = requireIsoDate(to);
  return dayNumber(b.year, b.month, b.day) - dayNumber(a.year, a.month, a.day);
}

/**
 * Calendar days from `a` to `b` (b − a) as Date.parse counts them, without daysBetween's check: a day past its month
 * rolls into the next (Date.parse does so), another shape of date goes through Date.parse (NaN for none). For the
 * loops that ask about dates they made themselves (the backtest, the plan, the stage machine): the parts are read
 * once per date (parseIsoDate keeps them) and counted by arithmetic (dayNumber).
 */
export function daysApart(a: string, b: string): number {
  return isoDayNumber(b) - isoDayNumber(a);
}

/** Days since 1970-01-01 of a date, as Date.parse(`${date}T00:00:00Z`) counts them (daysApart). */
export function isoDayNumber(date: string): number {
  const p = parseIsoDate(date);
  return p ? dayNumber(p.year, p.month, p.day) : Date.parse(`${date}T00:00:00Z`) / MS_PER_DAY;
}
