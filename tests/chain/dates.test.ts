import { describe, expect, it } from 'vitest';
import { parseDate, parseTimestamp, toIsoDate, validDate } from '../../src/chain/dates.ts';

describe('parseDate', () => {
  it.each([
    ['Fri Mar 20 2026', '2026-03-20'],
    ['Wed Oct 01 2025', '2025-10-01'],
    ['03/20/2020', '2020-03-20'],
    ['12/16/2022', '2022-12-16'],
    ['2026-03-20', '2026-03-20'],
    ['14/03/2026', '2026-03-14'],
    ['14.03.2026', '2026-03-14'],
    ['03.04.2026', '2026-04-03'],
    ['March 14, 2026', '2026-03-14'],
    ['14 March 2026', '2026-03-14'],
    ['Saturday, 14 March 2026', '2026-03-14'],
    ['14 марта 2026 г.', '2026-03-14'],
    ['14. März 2026', '2026-03-14'],
    ['Samstag, 14. März 2026', '2026-03-14'],
    ['14 mars 2026', '2026-03-14'],
    ['samedi 14 mars 2026', '2026-03-14'],
    ['1er août 2026', '2026-08-01'],
    ['14 de marzo de 2026', '2026-03-14'],
    ['14 dicembre 2026', '2026-12-14'],
    ['Sept 18, 2026', '2026-09-18'],
    ['March 14th, 2026', '2026-03-14'],
  ])('%s → %s', (text, iso) => {
    expect(parseDate(text)).toEqual({ ok: true, date: iso });
  });
  it('reads ambiguous numeric dates as US unless told', () => {
    expect(toIsoDate('03/04/2026')).toBe('2026-03-04');
    expect(toIsoDate('03/04/2026', { dayFirst: true })).toBe('2026-04-03');
    expect(toIsoDate('03/20/2026', { dayFirst: true })).toBe('2026-03-20'); // 20 cannot be a month
  });
  it.each([
    ['', 'empty date'],
    ['Feb 30 2026', 'no such date'],
    ['2026-02-30', 'no such date'],
    ['13/13/2026', 'no such date'],
    ['Frobruary 3 2026', 'unrecognised word "frobruary"'],
    ['March 2026', 'no day'],
    ['March 14', 'no year'],
    ['14 2026', 'no month'],
    ['March April 3 2026', 'two month names'],
  ])('rejects %j with a reason', (text, reason) => {
    const r = parseDate(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toContain(reason);
  });
});

describe('parseTimestamp', () => {
  it.each([
    // Cboe CSV header, en-GB browser, downloaded from a GMT-4 machine
    ['Date: 14 March 2026 at 07:34 GMT-4', '2026-03-14', '2026-03-14T11:34:00.000Z', 'GMT-4'],
    ['14 March 2026 at 07:34 GMT-4', '2026-03-14', '2026-03-14T11:34:00.000Z', 'GMT-4'],
    ['March 14, 2026 at 7:34 AM EDT', '2026-03-14', '2026-03-14T11:34:00.000Z', 'EDT'],
    // Cboe SPY header (en-US)
    ['Date: September 25, 2025 at 9:05 PM EDT', '2025-09-25', '2025-09-26T01:05:00.000Z', 'EDT'],
    // legacy .dat header: ET means New York, which on 22 Mar 2020 was EDT
    ['Mar 22 2020 @ 18:24 ET', '2020-03-22', '2020-03-22T22:24:00.000Z', 'ET'],
    ['Jan 22 2020 @ 18:24 ET', '2020-01-22', '2020-01-22T23:24:00.000Z', 'ET'],
    ['14 марта 2026 г. в 07:34 GMT-4', '2026-03-14', '2026-03-14T11:34:00.000Z', 'GMT-4'],
    ['14. März 2026 um 07:34 GMT-4', '2026-03-14', '2026-03-14T11:34:00.000Z', 'GMT-4'],
    ['14 mars 2026 à 07:34 UTC\u22124', '2026-03-14', '2026-03-14T11:34:00.000Z', 'UTC-4'],
    ['14 mars 2026 à 12h34 UTC+1', '2026-03-14', '2026-03-14T11:34:00.000Z', 'UTC+1'],
    ['14 March 2026 at 16:34 GMT+05:30', '2026-03-14', '2026-03-14T11:04:00.000Z', 'GMT+05:30'],
    ['March 14, 2026 at 12:05 AM EST', '2026-03-14', '2026-03-14T05:05:00.000Z', 'EST'],
    ['March 14, 2026 at 12:05 PM CST', '2026-03-14', '2026-03-14T18:05:00.000Z', 'CST'],
    ['2026-03-14T11:34:00Z', '2026-03-14', '2026-03-14T11:34:00.000Z', 'UTC'],
  ])('%s', (text, date, instant, zone) => {
    expect(parseTimestamp(text)).toEqual({ ok: true, date, instant, zone, zoneAssumed: false });
  });
  it('assumes New York (or UTC) when no zone is written, and says so', () => {
    expect(parseTimestamp('14/03/2026, 07:34')).toEqual({
      ok: true,
      date: '2026-03-14',
      instant: '2026-03-14T11:34:00.000Z',
      zone: 'America/New_York',
      zoneAssumed: true,
    });
    const utc = parseTimestamp('14/03/2026 07:34', { defaultZone: 'UTC' });
    expect(utc.ok && utc.instant).toBe('2026-03-14T07:34:00.000Z');
  });
  it('gives a date without an instant when there is no time', () => {
    expect(parseTimestamp('Fri Mar 20 2026')).toEqual({
      ok: true,
      date: '2026-03-20',
      instant: null,
      zone: null,
      zoneAssumed: false,
    });
  });
  it.each([
    ['', 'empty'],
    ['14 March 2026 at 25:34 GMT-4', 'bad time'],
    ['March 14, 2026 at 13:05 PM EDT', 'bad 12-hour'],
    ['14 March 2026 at 07:34 GMT-19', 'bad UTC offset'],
    ['14 Smarch 2026 at 07:34 GMT-4', 'unrecognised word'],
    ['14 March 2026 at 07:34 XYZ', 'unrecognised word "xyz"'],
  ])('rejects %j with a reason', (text, reason) => {
    const r = parseTimestamp(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toContain(reason);
  });
});

describe('validDate', () => {
  // The definition it stands for: the date Date.UTC makes of (year, month, day) falls in that month.
  const byDateUtc = (y: number, m: number, d: number): string | null => {
    if (!Number.isInteger(y) || y < 1900 || y > 2199 || m < 1 || m > 12 || d < 1 || d > 31) return null;
    if (new Date(Date.UTC(y, m - 1, d)).getUTCMonth() !== m - 1) return null;
    return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  };

  it('agrees with Date.UTC on every month and day of 1899–2201, the century leap rules included', () => {
    let differ = 0;
    let valid = 0;
    for (let y = 1899; y <= 2201; y++)
      for (let m = 0; m <= 13; m++)
        for (let d = 0; d <= 32; d++) {
          const got = validDate(y, m, d);
          if (got !== byDateUtc(y, m, d)) differ++;
          if (got !== null) valid++;
        }
    expect(differ).toBe(0);
    // 1900–2199: 300 years of 365 days and 73 leap days (1900 and 2100 are not leap years; 2000 is).
    expect(valid).toBe(300 * 365 + 73);
    expect(validDate(2000, 2, 29)).toBe('2000-02-29');
    expect(validDate(1900, 2, 29)).toBeNull();
    expect(validDate(2100, 2, 29)).toBeNull();
    expect(validDate(2024, 4, 31)).toBeNull();
  });

  it('reads a month or day that is not whole as Date.UTC does', () => {
    for (const [y, m, d] of [
      [2024, 1.5, 3],
      [2024, 2, 29.5],
      [2023, 2, 28.9],
      [2024, 12, 31.2],
    ] as const)
      expect(validDate(y, m, d)).toBe(byDateUtc(y, m, d));
  });
});
