/**
 * Time to expiry and valuation time (DESIGN.md §3, "Quotes and time"). The calendar they stand on (New York
 * offset, holidays, settlement instants) is src/chain/calendar.ts.
 *
 * - Time to expiry: calendar seconds / (365 × 86 400), 0 once the settlement instant has passed.
 */
import {
  isBusinessDay,
  nyWallClock,
  nyWallClockToInstant,
  previousBusinessDay,
  settlementInstant,
  type ExpiryRef,
} from '../chain/calendar.ts';
import { keptBy } from './keptBy';

export const SECONDS_PER_YEAR = 365 * 86_400;

/**
 * Settlement instants (ms) by date and AM/PM, as settlementInstant gives them: an analysis asks for each expiry's
 * time left several times, and each is a date parsed and a New York offset found. A date settlementInstant refuses
 * is refused again.
 */
const settlesAt = keptBy(512, (key: string): number => {
  const [date, settlement] = key.split(' ') as [string, 'AM' | 'PM'];
  return settlementInstant({ date, settlement }).getTime();
});
const settlementMs = (expiry: ExpiryRef): number =>
  settlesAt(`${expiry.date} ${expiry.settlement === 'AM' ? 'AM' : 'PM'}`);

/** Calendar seconds from now to the settlement instant; 0 once it has passed. */
export function secondsToExpiry({ now, expiry }: { now: Date; expiry: ExpiryRef }): number {
  const s = (settlementMs(expiry) - now.getTime()) / 1000;
  return s > 0 ? s : 0;
}

/** Time to expiry in years: calendar seconds / 31 536 000 (365 days), 0 once settled. */
export function yearsToExpiry({ now, expiry }: { now: Date; expiry: ExpiryRef }): number {
  return secondsToExpiry({ now, expiry }) / SECONDS_PER_YEAR;
}

/* ------------------------------------------------------------------ valuation time */

export interface ValuationTime {
  /** The instant the chain is valued at. */
  at: Date;
  /** True when `at` was moved back to the last regular-session close. */
  adjusted: boolean;
  /** Why it was moved (for the UI and CLI), or null. */
  reason: string | null;
}

const OPEN_MINUTES = 9 * 60 + 30;
const CLOSE_MINUTES = 16 * 60;

/**
 * The instant to value quotes seen at `seenAt`. During the regular session (09:30–16:00 New York on a business
 * day) it is `seenAt`. Outside it, the quotes on show are the last close's, and valuing them at a later clock would
 * shrink every short-dated option's time to expiry and inflate its implied volatility: they are valued at the
 * previous regular close (16:00 New York). Measured on the Cboe SPX download of Saturday 14 March 2026
 * (docs/cboe-check.md): valued at its 07:34 time stamp our 0–7-day IVs sat 1.66 vol points above Cboe's; valued at
 * Friday's 16:00 close the median difference is 0.015 points.
 * (Global-trading-hours SPX quotes before the open are still valued at the prior close: a deliberate simplification.)
 */
export function valuationTime(seenAt: Date): ValuationTime {
  const { date, minutes } = nyWallClock(seenAt);
  if (isBusinessDay(date) && minutes >= OPEN_MINUTES && minutes < CLOSE_MINUTES) {
    return { at: seenAt, adjusted: false, reason: null };
  }
  const closeDate = isBusinessDay(date) && minutes >= CLOSE_MINUTES ? date : previousBusinessDay(date);
  const at = nyWallClockToInstant({ date: closeDate, hour: 16 });
  if (at.getTime() === seenAt.getTime()) return { at, adjusted: false, reason: null };
  return {
    at,
    adjusted: true,
    reason: `seen outside the regular session: valued at the ${closeDate} 16:00 New York close`,
  };
}
