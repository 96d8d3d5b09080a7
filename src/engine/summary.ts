import type { Chain, Expiry } from '../chain/types';
import { quoteMid } from '../chain/types';

/** The first thing the overlay says about a chain: what was read and the at-the-money straddle. */
export interface ChainSummary {
  symbol: string;
  underlyingPrice: number | null;
  expiry: string | null;
  root: string | null;
  expiries: number;
  /** Strikes read on the shown expiry. */
  strikes: number;
  /** Strike where the call and put mids are closest (the forward's neighbourhood); null if no two-sided pair. */
  atmStrike: number | null;
  /** Call mid + put mid at atmStrike, in the quote's units (index points for SPX). */
  straddleMid: number | null;
}

/** Picks the expiry to summarise: the requested date if present, else the first (nearest) one. */
export function pickExpiry(chain: Chain, date?: string | null): Expiry | null {
  if (date) {
    const hit = chain.expiries.find((e) => e.date === date);
    if (hit) return hit;
  }
  return chain.expiries[0] ?? null;
}

export function summarizeChain(chain: Chain, date?: string | null): ChainSummary {
  const expiry = pickExpiry(chain, date);
  let atmStrike: number | null = null;
  let straddleMid: number | null = null;
  let bestGap = Infinity;
  const spot = chain.underlying.price;
  for (const row of expiry?.rows ?? []) {
    // With the underlying's price known, the at-the-money strike is within ±25% of it (a broken row's equal mids
    // far away must not win).
    if (spot !== null && spot > 0 && Math.abs(row.strike / spot - 1) > 0.25) continue;
    const c = quoteMid(row.call);
    const p = quoteMid(row.put);
    if (c === null || p === null) continue;
    const gap = Math.abs(c - p);
    if (gap < bestGap) {
      bestGap = gap;
      atmStrike = row.strike;
      straddleMid = c + p;
    }
  }
  return {
    symbol: chain.underlying.symbol,
    underlyingPrice: chain.underlying.price,
    expiry: expiry?.date ?? null,
    root: expiry?.root ?? null,
    expiries: chain.expiries.length,
    strikes: expiry?.rows.length ?? 0,
    atmStrike,
    straddleMid,
  };
}
