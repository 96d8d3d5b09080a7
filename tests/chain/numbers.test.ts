import { describe, expect, it, test } from 'vitest';
import fc from 'fast-check';
import { parseCount, parseIv, parseNumber, parsePercent, splitBidAsk } from '../../src/chain/numbers.ts';

describe('parseNumber', () => {
  it.each([
    ['52.10', 52.1],
    ['  52.10 ', 52.1],
    ['$1,035.50', 1035.5],
    ['1,035', 1035],
    ['1\u00a0035', 1035],
    ['1\u2009035,', null],
    ['1\u2009035', 1035],
    ['1\u202f035\u202f000', 1035000],
    ['(2.10)', -2.1],
    ['($2.10)', -2.1],
    ['\u22120.35', -0.35],
    ['-0.35', -0.35],
    ['-$2.10', -2.1],
    ['$-2.10', -2.1],
    ['+1.2', 1.2],
    ['.5', 0.5],
    ['0', 0],
    ['-0', 0],
    ['1.2e3', 1200],
    ['6632.1899', 6632.1899],
  ])('%j → %j', (text, expected) => {
    expect(parseNumber(text)).toBe(expected);
  });

  it.each([
    '',
    ' ',
    '—',
    '–',
    '-',
    '−',
    'N/A',
    'n/a',
    '--',
    'abc',
    '1.2.3',
    '1,03',
    '12abc',
    '(-2)',
    '+-2',
    '.',
    '$',
    '()',
    'NaN',
    'Infinity',
    '14.32%',
    '52.10 53.40',
  ])('junk %j → null', (text) => {
    expect(parseNumber(text)).toBeNull();
  });

  it('never throws on non-strings', () => {
    expect(parseNumber(undefined)).toBeNull();
    expect(parseNumber(null)).toBeNull();
    expect(parseNumber(42 as unknown as string)).toBeNull();
  });
});

describe('parsePercent', () => {
  it.each([
    ['14.32%', 0.1432],
    ['568.75%', 5.6875],
    ['-1.5 %', -0.015],
    ['(1.5%)', null],
    ['\u22122.00%', -0.02],
    ['0.00%', 0],
    ['N/A', null],
    ['', null],
  ])('%j → %j', (text, expected) => {
    expect(parsePercent(text)).toBe(expected);
  });
});

describe('parseIv', () => {
  it('reads percent with sign regardless of options', () => {
    expect(parseIv('14.32%')).toBe(0.1432);
    expect(parseIv('14.32%', { assumePercent: false })).toBe(0.1432);
  });
  it('honours assumePercent for bare numbers', () => {
    expect(parseIv('14.32', { assumePercent: true })).toBe(0.1432);
    expect(parseIv('0.1432', { assumePercent: false })).toBe(0.1432);
    expect(parseIv('1.7288', { assumePercent: false })).toBe(1.7288);
    expect(parseIv('1.7288', { assumePercent: true })).toBe(0.017288);
  });
  it('guesses by size without a flag', () => {
    expect(parseIv('0.1432')).toBe(0.1432);
    expect(parseIv('14.32')).toBe(0.1432);
  });
  it('treats zero, negatives and junk as missing', () => {
    expect(parseIv('0')).toBeNull();
    expect(parseIv('0.00%')).toBeNull();
    expect(parseIv('-0.2')).toBeNull();
    expect(parseIv('—')).toBeNull();
  });
});

describe('splitBidAsk', () => {
  it.each([
    ['52.10 × 53.40', 52.1, 53.4],
    ['52.10×53.40', 52.1, 53.4],
    ['52.10 x 53.40', 52.1, 53.4],
    ['52.10x53.40', 52.1, 53.4],
    ['52.10/53.40', 52.1, 53.4],
    ['52.10 / 53.40', 52.1, 53.4],
    ['52.10 - 53.40', 52.1, 53.4],
    ['1,035.00 x 1,040.50', 1035, 1040.5],
    ['N/A x 53.40', null, 53.4],
    ['— × —', null, null],
  ])('%j → %j / %j', (text, bid, ask) => {
    expect(splitBidAsk(text)).toEqual({ bid, ask });
  });
  it('gives nulls for a single value or junk', () => {
    expect(splitBidAsk('52.10')).toEqual({ bid: null, ask: null });
    expect(splitBidAsk('')).toEqual({ bid: null, ask: null });
    expect(splitBidAsk('1 x 2 x 3')).toEqual({ bid: null, ask: null });
  });
});

describe('parseCount', () => {
  it('reads integer counts only', () => {
    expect(parseCount('1,035')).toBe(1035);
    expect(parseCount('89,468,957')).toBe(89468957);
    expect(parseCount('1.5')).toBeNull();
    expect(parseCount('-3')).toBeNull();
    expect(parseCount('')).toBeNull();
  });
});

describe('parseNumber fast path', () => {
  test('a bare decimal reads as the full rules read it (a leading space takes the full path)', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^\d{1,15}(\.\d{1,15})?$/),
        (s) => void expect(parseNumber(s)).toBe(parseNumber(` ${s}`)),
      ),
    );
    expect(parseNumber('0012.50')).toBe(12.5);
    expect(parseNumber('1.')).toBeNull(); // not a bare decimal: the full rules decide
  });
});
