/**
 * daysApart (src/chain/calendar.ts), the day count of the backtest, the plan and the stage machine: it works days out
 * by arithmetic (Hinnant's days_from_civil) where they read them from Date.parse; the two must agree on every date.
 */
import { describe, expect, it } from 'vitest';
import { daysApart as daysBetween } from '../../src/chain/calendar';

const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const byParse = (a: string, b: string) =>
  Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);

describe('daysApart', () => {
  it('agrees with Date.parse on every day of 1890–2210 (leap days, century years, 1970 itself)', () => {
    const start = Date.UTC(1890, 0, 1);
    const end = Date.UTC(2210, 11, 31);
    let differ = 0;
    let n = 0;
    for (let ms = start; ms <= end; ms += 86_400_000) {
      const d = iso(ms);
      if (daysBetween('1970-01-01', d) !== byParse('1970-01-01', d)) differ++;
      n++;
    }
    expect(n).toBeGreaterThan(116_000);
    expect(differ).toBe(0);
    expect(daysBetween('1999-12-31', '2000-03-01')).toBe(61); // 2000 is a leap year
    expect(daysBetween('1900-02-28', '1900-03-01')).toBe(1); // 1900 is not
    expect(daysBetween('2026-07-02', '1990-01-02')).toBe(-13330);
  });

  it('reads a date past its month as Date.parse does (the next month), and another shape of date through it', () => {
    expect(daysBetween('2024-02-01', '2024-02-30')).toBe(byParse('2024-02-01', '2024-02-30'));
    expect(daysBetween('2024-02-01', '2024-02-30')).toBe(daysBetween('2024-02-01', '2024-03-01'));
    expect(Number.isNaN(daysBetween('2024-02-01', 'not a date'))).toBe(true);
    expect(daysBetween('2024-02-01', '+002024-02-03')).toBe(byParse('2024-02-01', '+002024-02-03'));
  });
});
