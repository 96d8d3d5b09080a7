/** A chain's quotes as flat rows (expiry, side, strike, bid, ask), keyed for comparison with an expected list. */
import type { Chain } from '../../src/chain/types';

export interface Quote {
  expiry: string;
  side: 'call' | 'put';
  strike: number;
  bid: number | null;
  ask: number | null;
}

export function quotesOf(chain: Chain): Quote[] {
  return chain.expiries.flatMap((e) =>
    e.rows.flatMap((row) =>
      (['call', 'put'] as const).flatMap((side) => {
        const q = row[side];
        return q ? [{ expiry: e.date, side, strike: row.strike, bid: q.bid, ask: q.ask }] : [];
      }),
    ),
  );
}

/** By expiry, side and strike: two readings compare equal whatever their order. */
export const byKey = (qs: readonly Quote[]): Map<string, Quote> =>
  new Map(qs.map((q) => [`${q.expiry}|${q.side}|${q.strike}`, q]));
