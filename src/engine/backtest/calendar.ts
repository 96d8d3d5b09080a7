/**
 * The expiries the backtest trades, from the market calendar (src/chain/calendar.ts: holiday-shifted monthly SPX
 * and VIX expiries): SPX monthlies; SPXW weeklies on every Friday since October 2005 (when Cboe listed them); VIX
 * monthlies. A leg is settled on the last session on or before its expiry date (run.ts).
 */
import { addDays, dayNumber, standardMonthlyExpiry, vixExpiryFor } from '../../chain/calendar';

const DAY_MS = 86_400_000;

/**
 * Days since 1970-01-01 of a YYYY-MM-DD date (chain/calendar.ts dayNumber, by arithmetic), its digits read in place:
 * the number Date.parse gives, divided by a day, without reading a string into a Date (the hot loop asks for hundreds
 * of thousands). Another shape of date: from Date.parse, as before.
 */
const dayNo = (date: string): number => {
  const y = digits(date, 0, 4);
  const m = digits(date, 5, 7);
  const d = digits(date, 8, 10);
  if (date.length !== 10 || date[4] !== '-' || date[7] !== '-' || y < 0 || m < 1 || m > 12 || d < 1 || d > 31)
    return Date.parse(`${date}T00:00:00Z`) / DAY_MS;
  return dayNumber(y, m, d);
};

/** The number the decimal digits of s[from, to) write; −1 when one of them is not a digit. */
function digits(s: string, from: number, to: number): number {
  let v = 0;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i) - 48;
    if (!(c >= 0 && c <= 9)) return -1;
    v = v * 10 + c;
  }
  return v;
}

/** Calendar days from a to b (YYYY-MM-DD); plain arithmetic, for the hot loop (no validation). */
export const daysBetween = (a: string, b: string): number => Math.round(dayNo(b) - dayNo(a));

function monthsFrom(date: string, startOffset: number, count: number, expiryOf: (y: number, m: number) => string) {
  let y = Number(date.slice(0, 4));
  let m = Number(date.slice(5, 7)) + startOffset;
  while (m < 1) {
    m += 12;
    y -= 1;
  }
  const out: string[] = [];
  while (out.length < count) {
    const d = expiryOf(y, m);
    if (d > date) out.push(d);
    m += 1;
    if (m === 13) {
      m = 1;
      y += 1;
    }
  }
  return out;
}

/** The first `count` monthly SPX expiries strictly after `date`. */
export const monthlyExpiriesAfter = (date: string, count: number): string[] =>
  monthsFrom(date, 0, count, standardMonthlyExpiry);

/** The first `count` VIX expiries strictly after `date`. */
export const vixExpiriesAfter = (date: string, count: number): string[] =>
  monthsFrom(date, -1, count, (year, month) => vixExpiryFor({ year, month }));

/** SPXW weeklies were listed from this date on (Cboe, October 2005). */
export const WEEKLIES_FROM = '2005-10-28';

/** Fridays strictly after `date` and at most `maxDays` calendar days ahead, once weeklies were listed. */
export function weeklyExpiriesAfter(date: string, maxDays: number): string[] {
  if (date < WEEKLIES_FROM) return [];
  const dow = new Date(dayNo(date) * DAY_MS).getUTCDay();
  const out: string[] = [];
  for (let d = (5 - dow + 7) % 7 || 7; d <= maxDays; d += 7) out.push(addDays(date, d));
  return out;
}
