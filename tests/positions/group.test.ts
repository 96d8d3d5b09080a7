import { describe, expect, it } from 'vitest';
import { classify, groupPositions } from '../../src/positions/group';
import { formatOcc } from '../../src/chain/occ';
import type { ImportedLeg, OptionLeg } from '../../src/positions/types';

let line = 0;
function opt(
  kind: 'put' | 'call',
  strike: number,
  quantity: number,
  expiry = '2026-04-17',
  root = 'SPXW',
): OptionLeg & { line: number } {
  return {
    asset: 'option',
    occ: formatOcc({ root, expiry, kind, strike }),
    underlying: root === 'SPXW' ? 'SPX' : root,
    root,
    expiry,
    strike,
    kind,
    quantity,
    openPrice: 1,
    multiplier: 100,
    line: ++line,
  };
}

describe('structure of legs on one expiry', () => {
  it('recognises the common structures', () => {
    expect(classify([opt('put', 6300, 1), opt('put', 6400, -1), opt('call', 6900, -1), opt('call', 7000, 1)])).toBe(
      'iron condor',
    );
    expect(classify([opt('put', 6500, 1), opt('put', 6600, -1), opt('call', 6600, -1), opt('call', 6700, 1)])).toBe(
      'iron butterfly',
    );
    expect(classify([opt('put', 6300, 2), opt('put', 6400, -2)])).toBe('put vertical');
    expect(classify([opt('call', 6900, -1), opt('call', 7000, 1)])).toBe('call vertical');
    expect(classify([opt('put', 6300, 1), opt('put', 6350, -2), opt('put', 6400, 1)])).toBe('put butterfly');
    expect(classify([opt('put', 6400, -1)])).toBe('short put');
    expect(classify([opt('call', 7000, 3)])).toBe('long call');
    expect(classify([opt('put', 6500, -1), opt('call', 6500, -1)])).toBe('straddle');
  });

  it('calls anything else custom: unequal wings, a bought condor, a broken-wing butterfly', () => {
    expect(classify([opt('put', 6300, 1), opt('put', 6400, -1), opt('call', 6900, -2), opt('call', 7000, 2)])).toBe(
      'custom',
    );
    expect(classify([opt('put', 6300, -1), opt('put', 6400, 1), opt('call', 6900, 1), opt('call', 7000, -1)])).toBe(
      'custom',
    );
    expect(classify([opt('put', 6300, 1), opt('put', 6350, -2), opt('put', 6450, 1)])).toBe('custom');
  });

  it('nets one contract listed on two lines before naming', () => {
    expect(classify([opt('put', 6400, -1), opt('put', 6400, -1), opt('put', 6300, 2)])).toBe('put vertical');
  });
});

describe('grouping', () => {
  it('one position per underlying, expiry and account; shares apart', () => {
    const shares: ImportedLeg = {
      asset: 'shares',
      symbol: 'SPY',
      quantity: 100,
      openPrice: 600,
      multiplier: 1,
      line: 99,
    };
    const ps = groupPositions([
      opt('put', 6300, 1),
      opt('call', 7000, 1),
      opt('put', 6400, -1),
      opt('call', 6900, -1),
      opt('put', 640, -1, '2026-05-15', 'SPY'),
      opt('put', 630, 1, '2026-05-15', 'SPY'),
      opt('put', 6300, -1, '2026-05-15'),
      shares,
    ]);
    expect(ps.map((p) => p.name)).toEqual([
      'SPX 2026-04-17 iron condor',
      'SPX 2026-05-15 short put',
      // Sorted by underlying, then expiry; shares and futures (no expiry) first.
      'SPY 100 shares',
      'SPY 2026-05-15 put vertical',
    ]);
    expect(ps[0]!.legs.map((l) => (l.asset === 'option' ? `${l.kind}${l.strike}` : ''))).toEqual([
      'put6300',
      'put6400',
      'call6900',
      'call7000',
    ]);
  });
});
