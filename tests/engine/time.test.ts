import { describe, expect, it, test } from 'vitest';
import { secondsToExpiry, valuationTime, yearsToExpiry } from '../../src/engine/time.ts';

describe('time to expiry', () => {
  const spxw0dte = { date: '2026-03-20', settlement: 'PM' as const, root: 'SPXW' };
  it('is exact to the minute on expiry day', () => {
    const now = new Date('2026-03-20T19:59:00Z'); // 15:59 EDT
    expect(secondsToExpiry({ now, expiry: spxw0dte })).toBe(60);
    expect(yearsToExpiry({ now, expiry: spxw0dte })).toBeCloseTo(60 / 31_536_000, 15);
    expect(yearsToExpiry({ now: new Date('2026-03-20T13:30:00Z'), expiry: spxw0dte })).toBeCloseTo(
      (6.5 * 3600) / 31_536_000,
      15,
    );
  });
  it('is 0 at and after settlement', () => {
    expect(yearsToExpiry({ now: new Date('2026-03-20T20:00:00Z'), expiry: spxw0dte })).toBe(0);
    expect(yearsToExpiry({ now: new Date('2026-03-21T00:00:00Z'), expiry: spxw0dte })).toBe(0);
    // AM expiry: already settled in the afternoon of its own date.
    expect(
      yearsToExpiry({ now: new Date('2026-03-20T15:00:00Z'), expiry: { date: '2026-03-20', settlement: 'AM' } }),
    ).toBe(0);
  });
  it('gives each expiry its own settlement, asked again or after others, and refuses a bad date each time', () => {
    // The settlement instants are kept by date and AM/PM: the same answers in any order.
    const now = new Date('2026-03-06T21:00:00Z');
    const asked: { date: string; settlement: 'AM' | 'PM' }[] = [
      { date: '2026-03-20', settlement: 'PM' },
      { date: '2026-03-20', settlement: 'AM' },
      { date: '2026-03-20', settlement: 'PM' },
      { date: '2026-03-09', settlement: 'PM' },
      { date: '2026-03-20', settlement: 'AM' },
    ];
    const want = [14 * 86_400 - 3600, 14 * 86_400 - 3600 - 6.5 * 3600, 14 * 86_400 - 3600, 3 * 86_400 - 3600];
    want.push(want[1]!);
    asked.forEach((e, i) => expect(secondsToExpiry({ now, expiry: e })).toBe(want[i]));
    for (let i = 0; i < 2; i++)
      expect(() => secondsToExpiry({ now, expiry: { date: '2026-3-20', settlement: 'PM' } })).toThrow(RangeError);
  });
  it('counts the 23-hour spring-forward day as calendar seconds', () => {
    // From Saturday 7 March 16:00 EST to Monday 9 March 16:00 EDT is 47 hours, not 48.
    const now = new Date('2026-03-07T21:00:00Z');
    expect(secondsToExpiry({ now, expiry: { date: '2026-03-09', settlement: 'PM' } })).toBe(47 * 3600);
    // Fall back: Saturday 31 Oct 16:00 EDT → Monday 2 Nov 16:00 EST is 49 hours.
    const now2 = new Date('2026-10-31T20:00:00Z');
    expect(secondsToExpiry({ now: now2, expiry: { date: '2026-11-02', settlement: 'PM' } })).toBe(49 * 3600);
  });
  it('counts one year of calendar days as 365/365', () => {
    const now = new Date('2025-03-20T20:00:00Z');
    expect(yearsToExpiry({ now, expiry: { date: '2026-03-20', settlement: 'PM' } })).toBe(1);
  });
});

describe('valuationTime', () => {
  test('inside the regular session the quotes are valued when seen', () => {
    const seen = new Date('2026-03-13T15:00:00Z'); // Fri 11:00 EDT
    expect(valuationTime(seen)).toEqual({ at: seen, adjusted: false, reason: null });
  });
  test('a Saturday download is valued at Friday 16:00 New York', () => {
    const v = valuationTime(new Date('2026-03-14T11:34:00Z')); // Sat 07:34 EDT
    expect(v.at.toISOString()).toBe('2026-03-13T20:00:00.000Z');
    expect(v.adjusted).toBe(true);
    expect(v.reason).toMatch(/2026-03-13 16:00/);
  });
  test('after the close the same day’s close; before the open the previous business day’s (holidays skipped)', () => {
    expect(valuationTime(new Date('2025-09-26T01:05:00Z')).at.toISOString()).toBe('2025-09-25T20:00:00.000Z'); // Thu 21:05 EDT
    expect(valuationTime(new Date('2025-12-26T13:00:00Z')).at.toISOString()).toBe('2025-12-24T21:00:00.000Z'); // Fri 08:00 EST, Christmas skipped
    expect(valuationTime(new Date('2026-01-05T14:00:00Z')).at.toISOString()).toBe('2026-01-02T21:00:00.000Z'); // Mon 09:00 EST
  });
});
