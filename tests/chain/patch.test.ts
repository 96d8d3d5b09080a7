import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import {
  ROW_WIDTH,
  applyPatch,
  diffByIdentity,
  diffChain,
  packChain,
  packRows,
  patchOf,
  unpackChain,
  unpackRows,
} from '../../src/chain/patch';
import { emptyQuote, type Chain, type Quote } from '../../src/chain/types';

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
  test('only changed rows travel, in one packed buffer, and applying them gives the new chain', () => {
    const a = chain([10, 11, 12, 13, 14]);
    const b = chain([10, 11.5, 12, 13, 14.5]);
    b.underlying.price = 6601.25;
    const rows = diffChain(a, b)!;
    expect(rows.map((r) => r.r)).toEqual([1, 4]);
    const patch = patchOf(7, b, rows);
    expect(patch.rows).toBeInstanceOf(Float64Array);
    expect(patch.rows.length).toBe(2 * ROW_WIDTH);
    expect(applyPatch(a, patch)).toEqual(b);
    expect(a.expiries[0]!.rows[1]!.call!.bid).toBe(11); // the base is not modified
  });

  test('a new shape (a strike added) is a full send; a patch whose rows are not there is refused', () => {
    const a = chain([10, 11, 12]);
    expect(diffChain(a, chain([10, 11, 12, 13]))).toBeNull();
    const other = chain([1, 2, 3, 4, 5]);
    const patch = patchOf(1, other, [{ e: 0, r: 4, row: other.expiries[0]!.rows[4]! }]);
    expect(applyPatch(a, patch)).toBeNull(); // row 4 does not exist in a
    const shifted = chain([1, 2, 3]);
    shifted.expiries[0]!.rows[1]!.strike = 6502; // another strike at that index
    expect(applyPatch(a, patchOf(1, shifted, [{ e: 0, r: 1, row: shifted.expiries[0]!.rows[1]! }]))).toBeNull();
    expect(applyPatch(a, { ...patch, rows: new Float64Array(ROW_WIDTH + 1) })).toBeNull(); // not whole rows
  });

  test('by identity: exactly the rows that are new objects', () => {
    const a = chain([10, 11, 12, 13]);
    const rows = a.expiries[0]!.rows.slice();
    rows[2] = { ...rows[2]!, call: q(1, 2) };
    const b: Chain = { ...a, expiries: [{ ...a.expiries[0]!, rows }] };
    expect(diffByIdentity(a, b)!.map((c) => c.r)).toEqual([2]);
    expect(diffByIdentity(a, a)).toEqual([]);
    expect(diffByIdentity(a, chain([10, 11, 12]))).toBeNull(); // not one layout
  });

  test('property: packing keeps every field, null as null, a missing side as missing', () => {
    const num = fc.option(fc.double({ noNaN: true, min: -1e7, max: 1e7 }), { nil: null });
    const quote = fc.option(
      fc.record({ bid: num, ask: num, last: num, volume: num, openInterest: num, iv: num, delta: num }),
      { nil: null },
    ) as fc.Arbitrary<Quote | null>;
    const change = fc.record({
      e: fc.nat(20),
      r: fc.nat(5000),
      row: fc.record({ strike: fc.double({ min: 0.01, max: 1e7, noNaN: true }), call: quote, put: quote }),
    });
    fc.assert(
      fc.property(fc.array(change, { maxLength: 40 }), (changes) => {
        expect(unpackRows(packRows(changes))).toEqual(changes);
      }),
    );
  });

  test('property: a whole chain packed and unpacked is the same chain (every expiry, row, side and field)', () => {
    const num = fc.option(fc.double({ noNaN: true, min: -1e7, max: 1e7 }), { nil: null });
    const quote = fc.option(
      fc.record({ bid: num, ask: num, last: num, volume: num, openInterest: num, iv: num, delta: num }),
      { nil: null },
    ) as fc.Arbitrary<Quote | null>;
    const expiry = fc.record({
      date: fc.constantFrom('2026-04-17', '2026-05-15'),
      root: fc.constantFrom('SPX', 'SPXW', null),
      settlement: fc.constantFrom('AM' as const, 'PM' as const),
      rows: fc.array(fc.record({ strike: fc.double({ min: 0.01, max: 1e7, noNaN: true }), call: quote, put: quote }), {
        maxLength: 30,
      }),
    });
    fc.assert(
      fc.property(fc.array(expiry, { maxLength: 4 }), (expiries) => {
        const c: Chain = { ...chain([]), expiries, warnings: [{ row: 3, reason: 'crossed market' }] };
        const { chain: skeleton, rows } = packChain(c);
        expect(skeleton.expiries.every((e) => e.rows.length === 0)).toBe(true);
        expect(rows.length).toBe(expiries.reduce((n, e) => n + e.rows.length, 0) * ROW_WIDTH);
        expect(unpackChain(skeleton, rows)).toEqual(c);
      }),
    );
    // Rows out of order, or for an expiry the skeleton does not have: not a chain.
    const two = packChain(chain([10, 11]));
    const swapped = two.rows.slice();
    swapped.set(two.rows.subarray(0, ROW_WIDTH), ROW_WIDTH);
    swapped.set(two.rows.subarray(ROW_WIDTH), 0);
    expect(unpackChain(two.chain, swapped)).toBeNull();
    expect(unpackChain({ ...two.chain, expiries: [] }, two.rows)).toBeNull();
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
          const rows = diffChain(a, b);
          expect(rows).not.toBeNull();
          expect(applyPatch(a, patchOf(1, b, rows!))).toEqual(b);
        },
      ),
    );
  });
});
