import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { applyPatch, chainShape, diffChain } from '../../src/worker/chainPatch';
import { emptyQuote, type Chain } from '../../src/chain/types';

const q = (bid: number, ask: number) => ({ ...emptyQuote(), bid, ask });
function chain(prices: number[]): Chain {
  return {
    version: 1,
    underlying: { symbol: 'SPX', price: 6600 },
    asOf: null,
    source: { kind: 'html', adapter: 'generic-table' },
    expiries: [
      {
        date: '2026-04-17',
        root: 'SPXW',
        settlement: 'PM',
        rows: prices.map((p, i) => ({ strike: 6500 + 5 * i, call: q(p, p + 0.2), put: q(p / 2, p / 2 + 0.2) })),
      },
    ],
    warnings: [],
  };
}

describe('chain patches', () => {
  test('only changed rows travel, and applying them gives the new chain', () => {
    const a = chain([10, 11, 12, 13, 14]);
    const b = chain([10, 11.5, 12, 13, 14.5]);
    const patch = diffChain(a, b)!;
    expect(patch.rows.map((r) => r.r)).toEqual([1, 4]);
    expect(applyPatch(a, patch)).toEqual(b);
    expect(a.expiries[0]!.rows[1]!.call!.bid).toBe(11); // the base is not modified
  });

  test('a new shape (a strike added, another expiry) is a full send; a stale patch is refused', () => {
    const a = chain([10, 11, 12]);
    expect(diffChain(a, chain([10, 11, 12, 13]))).toBeNull();
    const patch = diffChain(chain([1, 2, 3, 4]), chain([1, 2, 3, 5]))!;
    expect(applyPatch(a, patch)).toBeNull();
    expect(chainShape(a)).not.toBe(patch.shape);
  });

  test('property: diff then apply reproduces any same-shape update', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0.05, max: 500, noNaN: true }), { minLength: 1, maxLength: 60 }).chain((base) =>
          fc.tuple(
            fc.constant(base),
            fc.array(fc.double({ min: 0.05, max: 500, noNaN: true }), {
              minLength: base.length,
              maxLength: base.length,
            }),
          ),
        ),
        ([before, after]) => {
          const a = chain(before);
          const b = chain(after);
          const patch = diffChain(a, b);
          expect(patch).not.toBeNull();
          expect(applyPatch(a, patch!)).toEqual(b);
        },
      ),
    );
  });
});
