import { describe, expect, test } from 'vitest';
import { DASH, fmtDollars, fmtNumber, fmtPercent, fmtSigned, fmtStrike, fmtVol, fmtDays } from '../../src/ui/format';

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
