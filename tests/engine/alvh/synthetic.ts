/**
 * AUTHORED synthetic chains for the ALVH plan tests and the benchmark (not market data): an SPX chain priced with
 * Black-Scholes-Merton on a skewed smile, and a VIX chain priced with Black-76 on assumed futures, both with
 * realistic ticks and spreads (bid 0 when the option is worth less than a tick).
 */
import type { Chain, ChainRow, Quote } from '../../../src/chain/types';
import { blackPrice } from '../../../src/engine/pricing/black';
import { vixExpiryFor } from '../../../src/chain/calendar';

const tick = (x: number, t: number): number => Math.round(x / t) * t;

function quote(price: number, tickSize: number, iv: number): Quote {
  const half = Math.max(tickSize, 0.015 * price);
  const bid = price - half < tickSize ? 0 : tick(price - half, tickSize);
  const ask = Math.max(tick(price + half, tickSize), tickSize);
  return { bid, ask, last: null, volume: 100, openInterest: 1000, iv, delta: null };
}

export function spxChain(p: {
  spot: number;
  asOf: string;
  expiries: string[];
  strikesPerExpiry: number;
  step: number;
  atmVol: number;
  rate?: number;
  dividendYield?: number;
}): Chain {
  const r = p.rate ?? 0.04;
  const q = p.dividendYield ?? 0.013;
  const t0 = Date.parse(p.asOf);
  return {
    version: 1,
    underlying: { symbol: 'SPX', price: p.spot },
    asOf: p.asOf,
    source: { kind: 'manual', adapter: 'synthetic' },
    warnings: [],
    expiries: p.expiries.map((date) => {
      const T = (Date.parse(`${date}T20:00:00Z`) - t0) / (365 * 86400e3);
      const F = p.spot * Math.exp((r - q) * T);
      const D = Math.exp(-r * T);
      const rows: ChainRow[] = [];
      const k0 = Math.round(p.spot / p.step) * p.step - Math.floor(p.strikesPerExpiry / 2) * p.step;
      for (let i = 0; i < p.strikesPerExpiry; i++) {
        const K = k0 + i * p.step;
        if (K <= 0) continue;
        const x = Math.log(K / F);
        const vol = Math.max(p.atmVol - 0.9 * x + 2.5 * x * x, 0.06);
        const call = blackPrice({ kind: 'call', forward: F, strike: K, years: T, vol, discount: D });
        const put = blackPrice({ kind: 'put', forward: F, strike: K, years: T, vol, discount: D });
        const tk = (v: number) => (v < 3 ? 0.05 : 0.1);
        rows.push({ strike: K, call: quote(call, tk(call), vol), put: quote(put, tk(put), vol) });
      }
      return { date, root: 'SPXW', settlement: 'PM' as const, rows };
    }),
  };
}

export function vixChain(p: {
  asOf: string;
  months: { year: number; month: number; future: number; atmVol: number }[];
  rate?: number;
}): Chain {
  const r = p.rate ?? 0.04;
  const t0 = Date.parse(p.asOf);
  return {
    version: 1,
    underlying: { symbol: 'VIX', price: null },
    asOf: p.asOf,
    source: { kind: 'manual', adapter: 'synthetic' },
    warnings: [],
    expiries: p.months.map((m) => {
      const date = vixExpiryFor({ year: m.year, month: m.month });
      const T = (Date.parse(`${date}T13:30:00Z`) - t0) / (365 * 86400e3);
      const D = Math.exp(-r * T);
      const rows: ChainRow[] = [];
      for (const K of [
        10, 12, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 32, 35, 37, 40, 45, 50, 55, 60, 70,
        80,
      ]) {
        const x = Math.log(K / m.future);
        const vol = Math.max(m.atmVol + 0.35 * x, 0.3); // VIX smile slopes up
        const c = blackPrice({ kind: 'call', forward: m.future, strike: K, years: T, vol, discount: D });
        const pp = blackPrice({ kind: 'put', forward: m.future, strike: K, years: T, vol, discount: D });
        rows.push({ strike: K, call: quote(c, 0.05, vol), put: quote(pp, 0.05, vol) });
      }
      return { date, root: 'VIX', settlement: 'AM' as const, rows };
    }),
  };
}
