import { describe, expect, it } from 'vitest';
import { formatOcc, occFormatter, occOrLabelFormatter, parseOcc } from '../../src/chain/occ.ts';

describe('parseOcc', () => {
  it.each([
    ['SPXW  260320P06600000', { root: 'SPXW', expiry: '2026-03-20', kind: 'put', strike: 6600 }],
    ['SPXW260320P06600000', { root: 'SPXW', expiry: '2026-03-20', kind: 'put', strike: 6600 }],
    ['SPXW260320P6600', { root: 'SPXW', expiry: '2026-03-20', kind: 'put', strike: 6600 }],
    ['SPX   200417C02500000', { root: 'SPX', expiry: '2020-04-17', kind: 'call', strike: 2500 }],
    ['SPY251001C00657500', { root: 'SPY', expiry: '2025-10-01', kind: 'call', strike: 657.5 }],
    ['SPY251001C657.5', { root: 'SPY', expiry: '2025-10-01', kind: 'call', strike: 657.5 }],
    ['.SPXW260320C6650', { root: 'SPXW', expiry: '2026-03-20', kind: 'call', strike: 6650 }],
    ['O:SPY251001P00500000', { root: 'SPY', expiry: '2025-10-01', kind: 'put', strike: 500 }],
    ['VIX   260318C00025000', { root: 'VIX', expiry: '2026-03-18', kind: 'call', strike: 25 }],
    ['VIXW260325C00022500', { root: 'VIXW', expiry: '2026-03-25', kind: 'call', strike: 22.5 }],
    ['AAPL1 261218C00100000', { root: 'AAPL1', expiry: '2026-12-18', kind: 'call', strike: 100 }],
    ['spxw260320p06600000', { root: 'SPXW', expiry: '2026-03-20', kind: 'put', strike: 6600 }],
    ['SPX200417C02500000-E', { root: 'SPX', expiry: '2020-04-17', kind: 'call', strike: 2500 }],
  ])('%s', (symbol, expected) => {
    expect(parseOcc(symbol)).toEqual(expected);
  });
  it.each([
    '',
    'SPX',
    'SPXW260230P06600000',
    'SPXW261320P06600000',
    'SPXW260320X06600000',
    '260320P06600000',
    'SPXW260320P',
    'TOOLONGR260320P06600000',
    'SPXW260320P00000000',
  ])('rejects %j', (s) => {
    expect(parseOcc(s)).toBeNull();
  });
});

describe('formatOcc', () => {
  const put = { root: 'SPXW', expiry: '2026-03-20', kind: 'put' as const, strike: 6600 };
  it('writes the 21-character padded form', () => {
    const s = formatOcc(put);
    expect(s).toBe('SPXW  260320P06600000');
    expect(s).toHaveLength(21);
  });
  it('writes the Cboe and compact forms', () => {
    expect(formatOcc(put, { style: 'cboe' })).toBe('SPXW260320P06600000');
    expect(formatOcc(put, { style: 'compact' })).toBe('SPXW260320P6600');
    expect(formatOcc({ root: 'SPY', expiry: '2025-10-01', kind: 'call', strike: 657.5 }, { style: 'compact' })).toBe(
      'SPY251001C657.5',
    );
    expect(formatOcc({ root: 'VIX', expiry: '2026-03-18', kind: 'call', strike: 22.5 })).toBe('VIX   260318C00022500');
  });
  it('round-trips', () => {
    for (const strike of [0.5, 1, 22.5, 657.5, 6600, 99999.999]) {
      for (const style of ['padded', 'cboe', 'compact'] as const) {
        const o = { root: 'SPXW', expiry: '2031-12-19', kind: 'call' as const, strike };
        expect(parseOcc(formatOcc(o, { style }))).toEqual(o);
      }
    }
  });
  it('refuses what OCC cannot encode', () => {
    expect(() => formatOcc({ ...put, strike: 0 })).toThrow(RangeError);
    expect(() => formatOcc({ ...put, strike: 100000 })).toThrow(RangeError);
    expect(() => formatOcc({ ...put, strike: 1.0001 })).toThrow(RangeError);
    expect(() => formatOcc({ ...put, root: 'TOOLONGR' })).toThrow(RangeError);
    expect(() => formatOcc({ ...put, expiry: '1999-01-01' })).toThrow(RangeError);
  });
});

describe('occFormatter (one root and expiry, many strikes)', () => {
  it('writes what formatOcc writes, in every style', () => {
    for (const style of ['padded', 'cboe', 'compact'] as const) {
      const write = occFormatter('spxw ', '2026-03-20', style);
      for (const kind of ['call', 'put'] as const)
        for (const strike of [0.5, 22.5, 657.5, 6600])
          expect(write(kind, strike)).toBe(formatOcc({ root: 'SPXW', expiry: '2026-03-20', kind, strike }, { style }));
    }
  });
  it('refuses a bad root or expiry at once, a bad strike when written', () => {
    expect(() => occFormatter('TOOLONGR', '2026-03-20')).toThrow(RangeError);
    expect(() => occFormatter('SPX', '1999-01-01')).toThrow(RangeError);
    const write = occFormatter('SPX', '2026-03-20');
    expect(() => write('put', 1.0001)).toThrow(RangeError);
    expect(write('put', 6600)).toBe('SPX   260320P06600000');
  });
  it('labels an expiry before 2000 instead (occOrLabelFormatter)', () => {
    expect(occOrLabelFormatter('spx', '1995-06-16')('put', 515)).toBe('SPX 1995-06-16 P515');
    expect(occOrLabelFormatter('SPX', '2020-03-20')('call', 2500)).toBe('SPX   200320C02500000');
  });
});
