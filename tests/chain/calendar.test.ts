import { describe, expect, it } from 'vitest';
import {
  dayNumber,
  easterSunday,
  exchangeHolidays,
  inferSettlement,
  isStandardMonthlyExpiry,
  lastTradingDate,
  nextVixExpiry,
  nyOffsetMinutes,
  nyWallClock,
  nyWallClockToInstant,
  daysInMonth,
  parseIsoDate,
  settlementInstant,
  standardMonthlyExpiry,
  thirdFriday,
  vixExpiryFor,
} from '../../src/chain/calendar.ts';

describe('calendar', () => {
  it('parses an ISO date strictly, the same (frozen) parts when asked again', () => {
    for (let k = 0; k < 2; k++) {
      const p = parseIsoDate('2024-02-29');
      expect(p).toEqual({ year: 2024, month: 2, day: 29 });
      expect(Object.isFrozen(p)).toBe(true);
      expect(parseIsoDate('2024-02-29')).toBe(p);
      for (const bad of ['2023-02-29', '2024-13-01', '2024-2-29', '20240229', ' 2024-02-29', ''])
        expect([bad, parseIsoDate(bad)]).toEqual([bad, null]);
    }
    // More dates than are kept: each still parses right.
    for (let d = 0; d < 5000; d++) {
      const iso = new Date(Date.UTC(2000, 0, 1 + d)).toISOString().slice(0, 10);
      expect(parseIsoDate(iso)).toEqual({ year: +iso.slice(0, 4), month: +iso.slice(5, 7), day: +iso.slice(8, 10) });
    }
  });
  it('reads a date as real exactly when Date.UTC writes it back the same (every day-shaped string of 0000–0101, 1899–1901, 1999–2001, 2099–2101; odd shapes)', () => {
    const roundTrip = (s: string): boolean => {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
      const [y, m, d] = [+s.slice(0, 4), +s.slice(5, 7), +s.slice(8, 10)];
      if (m < 1 || m > 12 || d < 1 || d > 31) return false;
      const t = new Date(Date.UTC(y, m - 1, d));
      const back = `${String(t.getUTCFullYear()).padStart(4, '0')}-${String(t.getUTCMonth() + 1).padStart(2, '0')}-${String(t.getUTCDate()).padStart(2, '0')}`;
      return back === s;
    };
    let n = 0;
    let differ = 0;
    for (const [from, to] of [
      [0, 101],
      [1899, 1901],
      [1999, 2001],
      [2099, 2101],
    ] as const)
      for (let y = from; y <= to; y++)
        for (let m = 0; m <= 13; m++)
          for (let d = 0; d <= 32; d++) {
            const s = `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
            n++;
            if ((parseIsoDate(s) !== null) !== roundTrip(s)) differ++;
          }
    expect(n).toBeGreaterThan(50_000);
    expect(differ).toBe(0);
    for (const odd of ['2024-02-2a', '2024/02/20', '2024-02-200', '+02024-02-20', '2024-02-20 ', '\u0032024-02-20x'])
      expect([odd, parseIsoDate(odd)]).toEqual([odd, null]);
    expect([daysInMonth(1900, 2), daysInMonth(2000, 2), daysInMonth(2024, 2), daysInMonth(2023, 4)]).toEqual([
      28, 29, 29, 30,
    ]);
  });
  it('finds third Fridays', () => {
    expect(thirdFriday(2026, 3)).toBe('2026-03-20');
    expect(thirdFriday(2020, 4)).toBe('2020-04-17');
    expect(thirdFriday(2022, 12)).toBe('2022-12-16');
    expect(thirdFriday(2021, 1)).toBe('2021-01-15');
    expect(thirdFriday(2025, 8)).toBe('2025-08-15'); // Aug 1 2025 is a Friday
  });
  it('computes Easter (published dates)', () => {
    expect(easterSunday(2024)).toBe('2024-03-31');
    expect(easterSunday(2025)).toBe('2025-04-20');
    expect(easterSunday(2026)).toBe('2026-04-05');
    expect(easterSunday(2000)).toBe('2000-04-23');
  });
  it('lists NYSE holidays with observance rules', () => {
    const h2022 = exchangeHolidays(2022);
    expect(h2022.has('2022-06-20')).toBe(true); // Juneteenth on Sunday → Monday
    expect(h2022.has('2022-12-26')).toBe(true); // Christmas on Sunday → Monday
    expect(h2022.has('2021-12-31')).toBe(false);
    expect(exchangeHolidays(2022).size).toBe(9); // nine: New Year 2022 fell on a Saturday and is not observed
    expect(exchangeHolidays(2021).has('2021-06-18')).toBe(false); // Juneteenth not yet a market holiday
    expect(exchangeHolidays(2025).has('2025-04-18')).toBe(true); // Good Friday
    expect(exchangeHolidays(2025).has('2025-01-09')).toBe(true); // national day of mourning
  });
  it('moves a holiday third Friday to Thursday', () => {
    expect(standardMonthlyExpiry(2025, 4)).toBe('2025-04-17');
    expect(standardMonthlyExpiry(2026, 3)).toBe('2026-03-20');
    expect(isStandardMonthlyExpiry('2025-04-17')).toBe(true);
    expect(isStandardMonthlyExpiry('2025-04-18')).toBe(false);
  });
});

describe('VIX expiries', () => {
  it.each([
    [2018, 2, '2018-02-14'],
    [2020, 3, '2020-03-18'],
    [2026, 3, '2026-03-18'],
    [2025, 4, '2025-04-16'],
    // Third Friday of April 2025 is Good Friday: 30 days before Thursday 17 April → Tuesday 18 March.
    [2025, 3, '2025-03-18'],
    // 19 June 2024 (Wednesday) was Juneteenth → Tuesday 18 June.
    [2024, 6, '2024-06-18'],
    // December rolls into January of the next year: third Friday 15 Jan 2021 → 16 Dec 2020.
    [2020, 12, '2020-12-16'],
  ])('%i-%i → %s', (year, month, expected) => {
    expect(vixExpiryFor({ year, month })).toBe(expected);
  });
  it('gives the same expiry when asked again (kept per month); a month past 12 still rolls into the next year', () => {
    for (let k = 0; k < 2; k++) {
      expect(vixExpiryFor({ year: 2025, month: 3 })).toBe('2025-03-18');
      expect(standardMonthlyExpiry(2025, 4)).toBe('2025-04-17');
      expect(standardMonthlyExpiry(2025, 13)).toBe(standardMonthlyExpiry(2026, 1));
      expect(vixExpiryFor({ year: 2025, month: 0 })).toBe(vixExpiryFor({ year: 2024, month: 12 }));
    }
  });
  it('finds the next VIX expiry on or after a date', () => {
    expect(nextVixExpiry('2026-03-14')).toBe('2026-03-18');
    expect(nextVixExpiry('2026-03-18')).toBe('2026-03-18');
    expect(nextVixExpiry('2026-03-19')).toBe('2026-04-15'); // third Friday of May 2026 = 15 May
  });
});

describe('New York offset (no Intl)', () => {
  it('switches at 2:00 local on the second Sunday of March and first Sunday of November (2007+)', () => {
    // 2026-03-08 is the second Sunday: 06:59 UTC = 01:59 EST; 07:00 UTC = 03:00 EDT.
    expect(nyOffsetMinutes(new Date('2026-03-08T06:59:00Z'))).toBe(-300);
    expect(nyOffsetMinutes(new Date('2026-03-08T07:00:00Z'))).toBe(-240);
    // 2026-11-01: 05:59 UTC = 01:59 EDT; 06:00 UTC = 01:00 EST.
    expect(nyOffsetMinutes(new Date('2026-11-01T05:59:00Z'))).toBe(-240);
    expect(nyOffsetMinutes(new Date('2026-11-01T06:00:00Z'))).toBe(-300);
  });
  it('uses the 1987–2006 rule for older dates', () => {
    // 2006: DST from 2 April to 29 October. 15 March 2006 is standard time.
    expect(nyOffsetMinutes(new Date('2006-03-15T12:00:00Z'))).toBe(-300);
    expect(nyOffsetMinutes(new Date('2006-04-02T07:00:00Z'))).toBe(-240);
    expect(nyOffsetMinutes(new Date('2006-10-29T05:59:00Z'))).toBe(-240);
    expect(nyOffsetMinutes(new Date('2006-10-29T06:00:00Z'))).toBe(-300);
    expect(nyOffsetMinutes(new Date('2006-11-02T12:00:00Z'))).toBe(-300);
  });
  it('agrees with the platform time-zone database over 2007–2030 (Intl only in the test)', () => {
    const fmt = new Intl.DateTimeFormat('en-US', { timeZone: 'America/New_York', timeZoneName: 'shortOffset' });
    for (let ms = Date.UTC(2007, 0, 1); ms < Date.UTC(2030, 0, 1); ms += 5 * 3600_000 + 7 * 60_000) {
      const d = new Date(ms);
      const part = fmt.formatToParts(d).find((p) => p.type === 'timeZoneName')?.value;
      const expected = part === 'GMT-4' ? -240 : -300;
      if (nyOffsetMinutes(d) !== expected) throw new Error(`mismatch at ${d.toISOString()}: ${part}`);
    }
  });
  it('maps wall-clock times to instants and back', () => {
    expect(nyWallClockToInstant({ date: '2026-03-20', hour: 16 }).toISOString()).toBe('2026-03-20T20:00:00.000Z');
    expect(nyWallClockToInstant({ date: '2026-01-16', hour: 9, minute: 30 }).toISOString()).toBe(
      '2026-01-16T14:30:00.000Z',
    );
    // Spring-forward day itself: 09:30 is already EDT.
    expect(nyWallClockToInstant({ date: '2026-03-08', hour: 9, minute: 30 }).toISOString()).toBe(
      '2026-03-08T13:30:00.000Z',
    );
    // Fall-back day: 16:00 is EST.
    expect(nyWallClockToInstant({ date: '2026-11-01', hour: 16 }).toISOString()).toBe('2026-11-01T21:00:00.000Z');
    expect(nyWallClock(new Date('2026-03-14T11:34:00Z'))).toEqual({ date: '2026-03-14', minutes: 7 * 60 + 34 });
    expect(nyWallClock(new Date('2026-03-21T02:00:00Z'))).toEqual({ date: '2026-03-20', minutes: 22 * 60 });
  });
});

describe('settlement', () => {
  it('infers settlement from the root', () => {
    expect(inferSettlement('SPXW', '2026-03-20')).toBe('PM');
    expect(inferSettlement('SPX', '2026-03-20')).toBe('AM');
    expect(inferSettlement('SPX', '2025-04-17')).toBe('AM');
    expect(inferSettlement('SPX', '2026-03-27')).toBe('PM');
    expect(inferSettlement('VIX', '2026-03-18')).toBe('AM');
    expect(inferSettlement('VIXW', '2026-03-25')).toBe('AM');
    expect(inferSettlement('SPY', '2026-03-20')).toBe('PM');
    expect(inferSettlement(null, '2026-03-20')).toBe('PM');
    expect(inferSettlement('spx', '2026-03-20')).toBe('AM');
  });
  it('gives 16:00 New York for PM and 09:30 for AM, across DST', () => {
    expect(settlementInstant({ date: '2026-03-20', settlement: 'PM', root: 'SPXW' }).toISOString()).toBe(
      '2026-03-20T20:00:00.000Z',
    );
    expect(settlementInstant({ date: '2026-03-20', settlement: 'AM', root: 'SPX' }).toISOString()).toBe(
      '2026-03-20T13:30:00.000Z',
    );
    expect(settlementInstant({ date: '2026-02-20', settlement: 'AM' }).toISOString()).toBe('2026-02-20T14:30:00.000Z');
    expect(settlementInstant({ date: '2026-12-18', settlement: 'PM' }).toISOString()).toBe('2026-12-18T21:00:00.000Z');
    expect(settlementInstant({ date: '2026-03-18', settlement: 'AM', root: 'VIX' }).toISOString()).toBe(
      '2026-03-18T13:30:00.000Z',
    );
  });
  it('knows the last trading day of AM series', () => {
    expect(lastTradingDate({ date: '2026-03-20', settlement: 'AM' })).toBe('2026-03-19');
    expect(lastTradingDate({ date: '2026-03-20', settlement: 'PM' })).toBe('2026-03-20');
    expect(lastTradingDate({ date: '2025-04-17', settlement: 'AM' })).toBe('2025-04-16');
  });
  it('rejects a malformed date loudly', () => {
    expect(() => settlementInstant({ date: '2026-02-30', settlement: 'PM' })).toThrow(RangeError);
  });
});

describe('dayNumber', () => {
  const byUtc = (y: number, m: number, d: number) => Math.round(Date.UTC(y, m - 1, d) / 86_400_000);
  it('counts days as Date.UTC does, by arithmetic: every day of 1600–2400 and days past a month end', () => {
    let differ = 0;
    for (let y = 1600; y <= 2400; y++)
      for (let m = 1; m <= 12; m++) for (let d = 0; d <= 32; d++) if (dayNumber(y, m, d) !== byUtc(y, m, d)) differ++;
    expect(differ).toBe(0);
    expect(dayNumber(1970, 1, 1)).toBe(0);
    expect(dayNumber(2000, 3, 1) - dayNumber(2000, 2, 28)).toBe(2);
  });
  it('leaves a month outside 1–12 or parts that are not whole to Date.UTC', () => {
    for (const [y, m, d] of [
      [2024, 13, 1],
      [2024, 0, 15],
      [2024, 2.5, 3],
      [2024.5, 6, 1],
    ] as const)
      expect(dayNumber(y, m, d)).toBe(byUtc(y, m, d));
  });
});
