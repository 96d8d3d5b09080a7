/**
 * An option named in a line of text (src/chain/optionText.ts): OCC symbols through occ.ts, descriptions brokers write
 * on their positions screens, and the lines it must not guess at.
 */
import { describe, expect, it } from 'vitest';
import { expiryOfText, parseOptionText } from '../../src/chain/optionText';

const put5800 = { root: 'SPXW', expiry: '2025-10-24', kind: 'put', strike: 5800 };

describe('parseOptionText', () => {
  it.each([
    ['SPXW  251024P05800000', put5800],
    ['.SPXW251024P5800', put5800],
    [' -SPXW251024P5800', put5800],
    ['SPX OCT2025 5800 P [SPXW  251024P05800000 100]', put5800],
    ["SPXW Oct 24 '25 5800 P", put5800],
    ['SPXW 10/24/2025 5800.00 P', put5800],
    ['SPXW Oct 24, 2025 $5,800 Put', put5800],
    ['PUT (SPXW) S&P 500 INDEX OCT 24 25 $5800 (100 SHS)', put5800],
    ['SPX 24 Oct 25 5800 Put', { ...put5800, root: 'SPX' }],
    ['SPX 24OCT25 5800 P', { ...put5800, root: 'SPX' }],
    ['-1 SPX 100 24 OCT 25 5800 PUT', { ...put5800, root: 'SPX', quantity: -1 }],
    ['\u22122 SPX 100 (Weeklys) 24 OCT 25 5800 PUT', { ...put5800, root: 'SPX', quantity: -2 }],
    ["SPXW Oct24'25 5800 Put", put5800],
    ['SPXW 10/24/25 P 5800', put5800],
    ['SPXW 24 OCT 25 P5800', put5800],
    ['SPXW $5,800 Put 10/24/2025', put5800],
    ['SPXW 5800 P 24 Oct 25', put5800],
    ['SPY Oct 24 2025 657.5 C [PM]', { root: 'SPY', expiry: '2025-10-24', kind: 'call', strike: 657.5 }],
  ])('%s', (text, want) => {
    expect(parseOptionText(text)).toEqual(want);
  });

  it.each([
    ['SPX Oct 24 5800 Put', 'no year: not guessed'],
    ['SPX 24 Oct 25 Put', 'no strike'],
    ['SPX 24 Oct 25 5800', 'no put or call'],
    ['SPX 31 Sep 25 5800 P', 'no such day'],
    ['SPY', 'a share symbol'],
    ['SPY 100 shares', 'a share holding'],
    ['Overall Totals', 'a total row'],
    ['SPX 24 Oct 25 5800 5900 Put', 'two strikes'],
    ['', 'empty'],
    ['SPXW 10/24 P 5800', 'no year, the kind before the strike'],
    ['SPY $620 Put 10/24', 'no year, the expiry last'],
  ])('%s → null (%s)', (text) => {
    expect(parseOptionText(text)).toBeNull();
  });
});

describe('expiryOfText', () => {
  it('reads the forms descriptions use, each with its year, and nothing without one', () => {
    expect(expiryOfText('24 OCT 25')).toBe('2025-10-24');
    expect(expiryOfText("Oct 24 '25")).toBe('2025-10-24');
    expect(expiryOfText('October 24, 2025')).toBe('2025-10-24');
    expect(expiryOfText('10/24/25')).toBe('2025-10-24');
    expect(expiryOfText('2025-10-24')).toBe('2025-10-24');
    expect(expiryOfText('Oct 24')).toBeNull();
    expect(expiryOfText('2/30/2026')).toBeNull();
  });
});
