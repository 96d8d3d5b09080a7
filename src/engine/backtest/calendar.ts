/**
 * The expiries the backtest trades, from the market calendar (src/chain/calendar.ts: holiday-shifted monthly SPX
 * and VIX expiries): SPX monthlies; SPXW weeklies on every Friday since October 2005 (when Cboe listed them); VIX
 * monthlies. A leg is settled on the last session on or before its expiry date (run.ts).
 */
import { addDays, isoDayNumber, standardMonthlyExpiry, vixExpiryFor } from '../../chain/calendar';

const DAY_MS = 86_400_000;

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
  const dow = new Date(isoDayNumber(date) * DAY_MS).getUTCDay();
  const out: string[] = [];
  for (let d = (5 - dow + 7) % 7 || 7; d <= maxDays; d += 7) out.push(addDays(date, d));
  return out;
}
