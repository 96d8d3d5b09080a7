import { describe, expect, test } from 'vitest';
import {
  DASH,
  fmtClock,
  fmtDateTime,
  fmtDays,
  fmtDollars,
  fmtNumber,
  fmtPercent,
  fmtShortDateTime,
  fmtSigned,
  fmtStrike,
  fmtVol,
} from '../../src/ui/format';

describe('numbers as traders read them', () => {
  test('dollars carry sign and thousands separators', () => {
    expect(fmtDollars(410)).toBe('$410');
    expect(fmtDollars(410, { sign: true })).toBe('+$410');
    expect(fmtDollars(-9180)).toBe('−$9,180');
    expect(fmtDollars(-0.2)).toBe('$0');
    expect(fmtDollars(1234.5, { cents: true })).toBe('$1,234.50');
  });
  test('percents, vol points, strikes, signed numbers, days', () => {
    expect(fmtPercent(0.6834)).toBe('68.3%');
    expect(fmtVol(0.1432)).toBe('14.3');
    expect(fmtStrike(6600)).toBe('6,600');
    expect(fmtStrike(657.5)).toBe('657.50');
    expect(fmtSigned(1.5)).toBe('+1.50');
    expect(fmtSigned(-1.5)).toBe('−1.50');
    expect(fmtNumber(-0.001)).toBe('0.00');
    expect(fmtDays(13.4)).toBe('13d');
    expect(fmtDays(0.5)).toBe('12h');
  });
  test('no NaN or Infinity ever reaches the screen', () => {
    for (const bad of [NaN, Infinity, -Infinity, null, undefined]) {
      expect(fmtDollars(bad)).toBe(DASH);
      expect(fmtPercent(bad)).toBe(DASH);
      expect(fmtNumber(bad)).toBe(DASH);
      expect(fmtStrike(bad)).toBe(DASH);
      expect(fmtVol(bad)).toBe(DASH);
      expect(fmtDays(bad)).toBe(DASH);
    }
  });
});

describe('the formatters made once give what toLocaleString gives', () => {
  test('for every decimals count used, on values across signs and magnitudes, halves included', () => {
    const values = [0, 0.004, 0.005, 0.5, 1.005, 2.5, 999.995, 1234.5, 65_432.125, 1e6 + 0.5, 123_456_789.987];
    for (const digits of [0, 1, 2, 3]) {
      for (const v of values) {
        for (const x of [v, -v]) {
          const old = Math.abs(x).toLocaleString('en-US', {
            minimumFractionDigits: digits,
            maximumFractionDigits: digits,
          });
          const want = x < 0 && old !== (0).toFixed(digits) ? `−${old}` : old;
          expect(fmtNumber(x, digits)).toBe(want);
          const zero = Number(old.replace(/,/g, '')) === 0;
          if (digits === 0 || digits === 2) {
            const wantDollars = zero ? `$${old}` : x < 0 ? `−$${old}` : `$${old}`;
            expect(fmtDollars(x, { cents: digits === 2 })).toBe(wantDollars);
          }
        }
      }
    }
    for (const k of [5, 650, 6500, 12_000]) expect(fmtStrike(k)).toBe(k.toLocaleString('en-US'));
  });
});

describe('the date formats made once give what toLocaleString gives', () => {
  test('medium and short date with time, and the clock', () => {
    for (const iso of ['2025-09-25T20:00:00Z', '2026-03-18T19:00:00.123Z', '2020-03-16T13:31:07Z']) {
      const d = new Date(iso);
      expect(fmtDateTime(iso)).toBe(d.toLocaleString('en-US', { dateStyle: 'medium', timeStyle: 'short' }));
      expect(fmtShortDateTime(iso)).toBe(d.toLocaleString('en-US', { dateStyle: 'short', timeStyle: 'short' }));
      expect(fmtClock(iso)).toBe(d.toLocaleTimeString());
    }
  });
});
