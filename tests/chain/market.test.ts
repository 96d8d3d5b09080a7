import { describe, expect, it } from 'vitest';
import { importCboe } from '../../src/chain/importers/cboe.ts';
import { marketProblem } from '../../src/chain/market.ts';
import { strikeVols } from '../../src/engine/smile';

describe('what is wrong with a quote', () => {
  it('an ask of 0 under a bid is nobody offering, not a crossed market', () => {
    expect(marketProblem(17.1, 0)).toBe('no-offer');
    expect(marketProblem(5.2, 4.9)).toBe('crossed');
    expect(marketProblem(0, 0)).toBe('zero');
    expect(marketProblem(0, 0.05)).toBeNull();
    expect(marketProblem(1.1, 1.2)).toBeNull();
  });

  it('Cboe’s file: a deep in-the-money call with no offer (ask written 0) is said so, and priced from nothing', () => {
    // The layout of Cboe's delayed-quotes download (a row of the 4 Feb 2022 SPX file, ../shared/data/real, its
    // 9200 call with bid 17.1 and no offer, at a made-up strike so that it is in the money).
    const text = [
      'Standard & Poors 500 Index,Last: 4500.5298,Change:  23.0898',
      '"Date: February 4 2022, 4:09 PM EST",Bid: 4420.5,Ask: 4615.4302,Size: 1*1,Volume: 0',
      'Expiration Date,Calls,Last Sale,Net,Bid,Ask,Volume,IV,Delta,Gamma,Open Interest,Strike,Puts,Last Sale,Net,Bid,Ask,Volume,IV,Delta,Gamma,Open Interest',
      'Fri Mar 18 2022,SPX220318C04480000,0,0,117.1,0,0,0,0.99,0,0,4480.00,SPX220318P04480000,95,0,94.5,95.5,12,0.21,-0.45,0.001,300',
    ].join('\n');
    const r = importCboe({ text, fileName: 'cboe.csv' });
    if (!r.ok) throw new Error(r.reason);
    expect(r.chain.warnings.map((w) => w.reason)).toEqual(['no offer: bid 117.1, ask 0 (call SPX 2022-03-18 4480)']);
    // The smile reads the out-of-the-money side (the put, below the forward): it has a market, so a vol.
    const [v] = strikeVols({ rows: r.chain.expiries[0]!.rows, forward: 4500, discount: 0.999, years: 42 / 365 });
    expect(v!.vol).not.toBeNull();
    // Above the forward the call is the side read: with no offer it has no mid, and the reason says why.
    const above = strikeVols({ rows: r.chain.expiries[0]!.rows, forward: 4400, discount: 0.999, years: 42 / 365 });
    expect(above[0]!.vol).toBeNull();
    expect(above[0]!.reason).toBe('no offer (ask 0)');
  });
});
