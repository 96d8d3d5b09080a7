import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importCboe } from '../../../src/chain/importers/cboe';
import type { Chain } from '../../../src/chain/types';
import {
  impliedVixFutures,
  pickVixExpiry,
  vixCallNearDelta,
  vixOptionGreeks,
  vixOptionQuote,
  vixOptionQuotes,
} from '../../../src/engine/alvh/vixOptions';
import { blackPrice } from '../../../src/engine/pricing/black';
import { vixExpiryFor } from '../../../src/chain/calendar';
import { FIXTURES_DIR } from '../../helpers/shared';

/** The authored VIX chain in Cboe's legacy layout (VIX + VIXW roots, zero bids), futures assumed 47 / 44 / 38. */
function vixChain(): Chain {
  const r = importCboe({
    text: readFileSync(resolve(FIXTURES_DIR, 'cboe', 'vix_quotedata_2020-03-13_authored.dat'), 'utf8'),
    fileName: 'vix_quotedata_2020-03-13_authored.dat',
  });
  if (!r.ok) throw new Error(r.reason);
  return r.chain;
}
const RATE = 0.01;

describe('VIX future per expiry from put-call parity', () => {
  const chain = vixChain();
  const now = new Date(chain.asOf as string);
  const futures = impliedVixFutures({ chain, now, rate: RATE });

  it('recovers the assumed futures of each expiry (not spot VIX 57.83)', () => {
    const by = Object.fromEntries(futures.map((f) => [f.expiry, f]));
    expect(by['2020-03-18']?.future).toBeCloseTo(47, 1);
    expect(by['2020-03-25']?.future).toBeCloseTo(44, 1);
    expect(by['2020-04-15']?.future).toBeCloseTo(38, 1);
    expect(by['2020-03-25']?.root).toBe('VIXW');
    for (const f of futures) {
      expect(f.method).toBe('parity');
      expect(f.bounds).not.toBeNull();
      expect(f.future as number).toBeGreaterThanOrEqual(f.bounds!.low);
      expect(f.future as number).toBeLessThanOrEqual(f.bounds!.high);
      expect(Math.abs((f.future as number) - 57.83)).toBeGreaterThan(10);
    }
  });

  it('the monthly expiries are the VIX expiry dates of time.ts (Wednesday 30 days before the SPX expiry)', () => {
    const monthly = futures.filter((f) => f.root === 'VIX').map((f) => f.expiry);
    expect(monthly).toEqual([vixExpiryFor({ year: 2020, month: 3 }), vixExpiryFor({ year: 2020, month: 4 })]);
  });

  it('with every bid zeroed (a one-sided book), still bounds the future from the asks', () => {
    const oneSided: Chain = structuredClone(chain);
    for (const e of oneSided.expiries)
      for (const r of e.rows) {
        if (r.put) r.put.bid = 0;
        if (r.call && r.strike >= 40) r.call.bid = 0;
      }
    const fs = impliedVixFutures({ chain: oneSided, now, rate: RATE });
    const apr = fs.find((f) => f.expiry === '2020-04-15')!;
    expect(apr.method).toBe('parity-bounds');
    expect(apr.reason).toMatch(/zero bids allowed/);
    expect(apr.bounds!.low).toBeLessThanOrEqual(38);
    expect(apr.bounds!.high).toBeGreaterThanOrEqual(38);
    expect(Math.abs((apr.future as number) - 38)).toBeLessThan(1);
  });

  it('says so when nothing can pin the future, and skips expired expiries', () => {
    const empty: Chain = structuredClone(chain);
    for (const e of empty.expiries) for (const r of e.rows) if (r.put) r.put.ask = null;
    const fs = impliedVixFutures({ chain: empty, now, rate: RATE });
    for (const f of fs) {
      expect(f.future).toBeNull();
      expect(f.method).toBe('none');
      expect(f.reason).toMatch(/cannot be implied/);
    }
    const later = impliedVixFutures({ chain, now: new Date('2020-03-20T15:00:00Z'), rate: RATE });
    expect(later.find((f) => f.expiry === '2020-03-18')).toMatchObject({ future: null, reason: 'expired' });
  });
});

describe('Black-76 on the future', () => {
  const chain = vixChain();
  const now = new Date(chain.asOf as string);
  const futures = impliedVixFutures({ chain, now, rate: RATE });

  it('prices each quote back to its mid from its implied vol', () => {
    const qs = vixOptionQuotes({ chain, expiry: '2020-04-15', futures, rate: RATE });
    expect(qs.length).toBeGreaterThan(15);
    for (const q of qs) {
      const again = blackPrice({
        kind: q.kind,
        forward: q.future,
        strike: q.strike,
        years: q.years,
        vol: q.vol,
        discount: Math.exp(-RATE * q.years),
      });
      expect(again).toBeCloseTo(q.mid, 6);
      expect(q.occ).toMatch(/^VIX {3}200415[CP]\d{8}$/);
    }
    // never spot: the same vol on spot VIX gives a very different price
    const c50 = qs.find((q) => q.kind === 'call' && q.strike === 50)!;
    const onSpot = blackPrice({
      kind: 'call',
      forward: 57.83,
      strike: 50,
      years: c50.years,
      vol: c50.vol,
      discount: 1,
    });
    expect(onSpot).toBeGreaterThan(c50.mid * 3);
  });

  it('picks the ~one-month expiry and the ~30-delta call', () => {
    const pick = pickVixExpiry({ futures, today: '2020-03-13', targetDays: 30 });
    expect(pick?.expiry).toBe('2020-04-15');
    const qs = vixOptionQuotes({ chain, expiry: pick!.expiry, futures, rate: RATE });
    const c = vixCallNearDelta({ quotes: qs, targetDelta: 0.3 });
    expect(c?.strike).toBe(50);
    expect(Math.abs(c!.greeks.delta - 0.3)).toBeLessThan(0.05);
    expect(pickVixExpiry({ futures, today: '2020-03-13', targetDays: 10 })?.expiry).toBe('2020-03-25');
  });

  it('one kind, or one quote, is priced as the whole expiry prices it', () => {
    const on = { chain, expiry: '2020-04-15', futures, rate: RATE };
    const all = vixOptionQuotes(on);
    const calls = vixOptionQuotes({ ...on, kind: 'call' });
    const puts = vixOptionQuotes({ ...on, kind: 'put' });
    expect(calls.length).toBeGreaterThan(5);
    expect(puts.length).toBeGreaterThan(5);
    expect(calls).toEqual(all.filter((q) => q.kind === 'call'));
    expect(puts).toEqual(all.filter((q) => q.kind === 'put'));
    for (const q of all) expect(vixOptionQuote({ ...on, kind: q.kind, strike: q.strike })).toEqual(q);
    // Not listed, no such expiry, no usable mid: null.
    expect(vixOptionQuote({ ...on, kind: 'call', strike: 1234 })).toBeNull();
    expect(vixOptionQuote({ ...on, expiry: '2020-05-20', kind: 'call', strike: 50 })).toBeNull();
    const noAsk: Chain = structuredClone(chain);
    const row = noAsk.expiries.find((e) => e.date === '2020-04-15')!.rows.find((r) => r.strike === 50)!;
    row.call!.ask = null;
    expect(vixOptionQuote({ ...on, chain: noAsk, kind: 'call', strike: 50 })).toBeNull();
    expect(vixOptionQuote({ ...on, chain: noAsk, kind: 'put', strike: 50 })).toEqual(
      all.find((q) => q.kind === 'put' && q.strike === 50),
    );
  });

  it('returns null rather than NaN on unusable inputs', () => {
    expect(vixOptionGreeks({ kind: 'call', future: 0, strike: 40, years: 0.1, vol: 1, rate: 0 })).toBeNull();
    expect(vixOptionGreeks({ kind: 'call', future: 40, strike: 40, years: Number.NaN, vol: 1, rate: 0 })).toBeNull();
    expect(
      vixOptionGreeks({ kind: 'call', future: 40, strike: 40, years: 0.1, vol: 1, rate: 0 })?.delta,
    ).toBeGreaterThan(0.5);
  });
});
