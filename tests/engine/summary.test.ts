import { describe, expect, test } from 'vitest';
import { summarizeChain } from '../../src/engine/summary';
import { emptyQuote, type Chain } from '../../src/chain/types';

const q = (bid: number | null, ask: number | null) => ({ ...emptyQuote(), bid, ask });
const base: Chain = {
  version: 1,
  underlying: { symbol: 'SPY', price: 658.05 },
  asOf: null,
  source: { kind: 'csv', adapter: 'test' },
  expiries: [],
  warnings: [],
};

describe('summarizeChain', () => {
  test('ATM is where the call and put mids are closest; crossed and one-sided markets are ignored', () => {
    const chain: Chain = {
      ...base,
      expiries: [
        {
          date: '2025-09-26',
          root: 'SPY',
          settlement: 'PM',
          rows: [
            { strike: 655, call: q(4.0, 4.2), put: q(1.0, 1.1) },
            { strike: 657, call: q(2.6, 2.7), put: q(2.5, 2.4) }, // crossed put: not ATM material
            { strike: 658, call: q(2.0, 2.1), put: q(1.9, 2.0) },
            { strike: 660, call: q(1.0, 1.1), put: q(null, 3.0) },
          ],
        },
      ],
    };
    const s = summarizeChain(chain);
    expect(s.atmStrike).toBe(658);
    expect(s.straddleMid).toBeCloseTo(2.05 + 1.95, 12);
    expect(s.strikes).toBe(4);
  });

  test('no two-sided pair gives nulls, not zeros', () => {
    const chain: Chain = {
      ...base,
      expiries: [
        { date: '2025-09-26', root: null, settlement: 'PM', rows: [{ strike: 650, call: q(null, 1), put: null }] },
      ],
    };
    expect(summarizeChain(chain)).toMatchObject({ atmStrike: null, straddleMid: null, strikes: 1 });
    expect(summarizeChain(base)).toMatchObject({ expiry: null, strikes: 0, straddleMid: null });
  });
});

describe('summarizeChain near the money', () => {
  test('with the underlying known, a far broken row with equal mids is not the ATM strike', () => {
    const chain: Chain = {
      ...base,
      underlying: { symbol: 'SPX', price: 6500 },
      expiries: [
        {
          date: '2027-06-18',
          root: 'SPXW',
          settlement: 'PM',
          rows: [
            { strike: 6500, call: q(66.4, 67.2), put: q(66.1, 66.9) },
            { strike: 9_000_000, call: q(5, 5), put: q(5, 5) },
          ],
        },
      ],
    };
    expect(summarizeChain(chain)).toMatchObject({ atmStrike: 6500 });
  });
});
