import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importCboe, looksLikeCboe } from '../../src/chain/importers/cboe.ts';
import type { Chain, Expiry } from '../../src/chain/types.ts';
import { FIXTURES_DIR } from '../helpers/shared.ts';

function load(name: string): Chain {
  const text = readFileSync(resolve(FIXTURES_DIR, 'cboe', name), 'utf8');
  expect(looksLikeCboe(text)).toBe(true);
  const r = importCboe({ text, fileName: `some/dir/${name}` });
  if (!r.ok) throw new Error(r.reason);
  return r.chain;
}
const rowCount = (c: Chain): number => c.expiries.reduce((s, e) => s + e.rows.length, 0);
const find = (c: Chain, date: string, root: string): Expiry => {
  const e = c.expiries.find((x) => x.date === date && x.root === root);
  if (!e) throw new Error(`no ${root} ${date}`);
  return e;
};

describe('Cboe CSV: SPX 14 Mar 2026', () => {
  const chain = load('cboe_spx_quotedata_2026-03-14.csv');
  it('reads the header: underlying, spot, time stamp', () => {
    expect(chain.version).toBe(1);
    expect(chain.underlying).toEqual({ symbol: 'SPX', price: 6632.1899 });
    // "14 March 2026 at 07:34 GMT-4"
    expect(chain.asOf).toBe('2026-03-14T11:34:00.000Z');
    expect(chain.source).toEqual({ kind: 'csv', adapter: 'cboe-csv', name: 'cboe_spx_quotedata_2026-03-14.csv' });
  });
  it('splits SPX and SPXW of the same date and leaves the expired 13 Mar series out', () => {
    // 972 rows in 59 (date, root) pairs over 54 dates; 13 Mar SPXW (18 rows) had settled.
    expect(chain.expiries).toHaveLength(58);
    expect(new Set(chain.expiries.map((e) => e.date)).size).toBe(53);
    expect(rowCount(chain)).toBe(954);
    expect(chain.expiries.some((e) => e.date === '2026-03-13')).toBe(false);
    expect(chain.warnings).toEqual([
      { row: 4, reason: "expired: SPXW 2026-03-13 (PM) settled before the file's time stamp; 18 rows left out" },
    ]);
    expect(find(chain, '2026-03-20', 'SPX').settlement).toBe('AM');
    expect(find(chain, '2026-03-20', 'SPXW').settlement).toBe('PM');
    // 19 June 2026 is Juneteenth: the June standard expiry is Thursday 18 June, still AM.
    expect(find(chain, '2026-06-18', 'SPX').settlement).toBe('AM');
    expect(chain.expiries.filter((e) => e.settlement === 'AM')).toHaveLength(19);
    expect(chain.expiries.filter((e) => e.root === 'SPXW')).toHaveLength(39);
  });
  it('keeps rows sorted and unique and sorted expiries', () => {
    for (const e of chain.expiries) {
      const ks = e.rows.map((r) => r.strike);
      expect([...ks].sort((a, b) => a - b)).toEqual(ks);
      expect(new Set(ks).size).toBe(ks.length);
    }
    const keys = chain.expiries.map((e) => `${e.date}|${e.root}`);
    expect([...keys].sort()).toEqual(keys);
  });
  it('reads a row exactly (file line 95: SPXW 20 Mar 2026 6610)', () => {
    const row = find(chain, '2026-03-20', 'SPXW').rows.find((r) => r.strike === 6610);
    expect(row).toEqual({
      strike: 6610,
      call: { bid: 108.1, ask: 108.6, last: 110.28, volume: 36, openInterest: 65, iv: 0.2674, delta: 0.5444 },
      put: { bid: 87.2, ask: 87.7, last: 87.48, volume: 501, openInterest: 434, iv: 0.2671, delta: -0.4556 },
    });
    const spx = find(chain, '2026-03-20', 'SPX').rows.find((r) => r.strike === 6615);
    expect(spx?.call).toEqual({
      bid: 100,
      ask: 101.2,
      last: 100.1,
      volume: 45,
      openInterest: 9,
      iv: 0.2578,
      delta: 0.5376,
    });
  });
  it('turns an IV of 0 on a live series into null, not 0', () => {
    const row = find(chain, '2028-12-15', 'SPX').rows.find((r) => r.strike === 5800);
    expect(row?.call?.iv).toBeNull();
    expect(row?.put?.iv).toBe(0.2403);
  });
});

describe('Cboe CSV: SPY 25 Sep 2025', () => {
  const chain = load('cboe_spy_quotedata_2025-09-25.csv');
  it('reads the en-US header with quoted thousands separators', () => {
    expect(chain.underlying).toEqual({ symbol: 'SPY', price: 658.05 });
    // "September 25, 2025 at 9:05 PM EDT"
    expect(chain.asOf).toBe('2025-09-26T01:05:00.000Z');
  });
  it('has 11 PM expiries and all 1858 rows', () => {
    expect(chain.expiries).toHaveLength(11);
    expect(chain.expiries.every((e) => e.settlement === 'PM' && e.root === 'SPY')).toBe(true);
    expect(rowCount(chain)).toBe(1858);
    expect(chain.warnings).toEqual([]);
    expect(chain.expiries[0]?.date).toBe('2025-10-01');
    expect(chain.expiries[0]?.rows).toHaveLength(166);
  });
  it('reads "Last Sale" 0 as no sale', () => {
    expect(chain.expiries[0]?.rows[0]).toEqual({
      strike: 500,
      call: { bid: 157.1, ask: 159.91, last: null, volume: 0, openInterest: 0, iv: 0.6659, delta: 0.9994 },
      put: { bid: 0, ask: 0.01, last: 0.01, volume: 0, openInterest: 16, iv: 0.6459, delta: -0.0007 },
    });
  });
});

describe('Cboe legacy .dat: SPX 22 Mar 2020', () => {
  const chain = load('cboe_spx_quotedata_2020-03-22_legacy.dat');
  it('reads the ^SPX header and the ET time stamp (EDT on 22 Mar 2020)', () => {
    expect(chain.underlying).toEqual({ symbol: 'SPX', price: 2304.92 });
    expect(chain.asOf).toBe('2020-03-22T22:24:00.000Z');
    expect(chain.source.kind).toBe('dat');
    expect(chain.source.adapter).toBe('cboe-dat');
  });
  it('keeps all 9,500 rows in 41 (date, root) expiries over 37 dates', () => {
    expect(rowCount(chain)).toBe(9500);
    expect(chain.expiries).toHaveLength(41);
    expect(new Set(chain.expiries.map((e) => e.date)).size).toBe(37);
    expect(chain.warnings).toEqual([]);
    expect(chain.expiries.filter((e) => e.root === 'SPX').map((e) => e.date)).toEqual([
      '2020-04-17',
      '2020-05-15',
      '2020-06-19',
      '2020-07-17',
      '2020-08-21',
      '2020-09-18',
      '2020-10-16',
      '2020-11-20',
      '2020-12-18',
      '2021-01-15',
      '2021-03-19',
      '2021-06-18',
      '2021-12-17',
      '2022-12-16',
    ]);
    expect(find(chain, '2020-04-17', 'SPX').settlement).toBe('AM');
    expect(find(chain, '2020-04-17', 'SPXW').settlement).toBe('PM');
  });
  it('reads the first and last rows exactly', () => {
    expect(find(chain, '2020-03-23', 'SPXW').rows[0]).toEqual({
      strike: 1500,
      call: { bid: 793, ask: 806.7, last: 885.6, volume: 1, openInterest: 1, iv: null, delta: 0.9311 },
      put: { bid: 0, ask: 0.05, last: 0.05, volume: 3, openInterest: 623, iv: 1.7288, delta: -0.0003 },
    });
    const last = find(chain, '2022-12-16', 'SPX').rows.at(-1);
    expect(last).toEqual({
      strike: 4900,
      call: { bid: 4, ask: 7.3, last: 7.5, volume: 7, openInterest: 341, iv: 0.2146, delta: 0.0214 },
      put: { bid: 2585, ask: 2633, last: 2586.6, volume: 0, openInterest: 11, iv: null, delta: -0.9827 },
    });
  });
});

describe('Cboe legacy .dat: authored VIX chain', () => {
  const chain = load('vix_quotedata_2020-03-13_authored.dat');
  it('reads VIX and VIXW as AM-settled expiries and leaves the expired weekly out', () => {
    expect(chain.underlying).toEqual({ symbol: 'VIX', price: 57.83 });
    expect(chain.asOf).toBe('2020-03-13T21:05:00.000Z');
    expect(chain.expiries.map((e) => `${e.date} ${e.root} ${e.settlement} ${e.rows.length}`)).toEqual([
      '2020-03-18 VIX AM 13',
      '2020-03-25 VIXW AM 13',
      '2020-04-15 VIX AM 13',
    ]);
  });
  it('flags the zero and crossed markets, keeping the quotes as read', () => {
    expect(chain.warnings.map((w) => w.row)).toEqual([3, 16, 54]);
    expect(chain.warnings[0]?.reason).toContain('expired: VIXW 2020-03-11');
    expect(chain.warnings[1]?.reason).toBe('zero market: bid 0, ask 0 (put VIX 2020-03-18 15)');
    expect(chain.warnings[2]?.reason).toBe('crossed market: bid 5.2 > ask 4.9 (call VIX 2020-04-15 90)');
    const crossed = find(chain, '2020-04-15', 'VIX').rows.find((r) => r.strike === 90);
    expect(crossed?.call?.bid).toBe(5.2);
    expect(crossed?.call?.ask).toBe(4.9);
  });
});

describe('Cboe importer on bad input', () => {
  const header =
    'Expiration Date,Calls,Last Sale,Net,Bid,Ask,Volume,IV,Delta,Gamma,Open Interest,Strike,Puts,Last Sale,Net,Bid,Ask,Volume,IV,Delta,Gamma,Open Interest';
  const good =
    'Fri Mar 20 2026,SPXW260320C06610000,110.28,-40.92,108.1,108.6,36,0.2674,0.5444,0.0016,65,6610.00,SPXW260320P06610000,87.48,14.68,87.2,87.7,501,0.2671,-0.4556,0.0016,434';
  it('gives clear reasons', () => {
    expect(importCboe({ text: '' })).toEqual({ ok: false, reason: 'the file is empty' });
    expect(importCboe({ text: 'a,b,c\n1,2,3' })).toMatchObject({
      ok: false,
      reason: expect.stringContaining('Expiration Date'),
    });
    expect(importCboe({ text: 'Expiration Date,Calls,Bid\n' })).toMatchObject({
      ok: false,
      reason: expect.stringContaining('Strike'),
    });
    expect(importCboe({ text: `${header}\n` })).toMatchObject({
      ok: false,
      reason: expect.stringContaining('no option rows'),
    });
  });
  it('drops unreadable rows with counted warnings and warns about a missing time stamp', () => {
    const text = [
      header,
      good,
      good.replace('6610.00', 'abc'),
      good.replace('Fri Mar 20 2026', 'Someday'),
      good.replace('6610.00', '6620.00'), // strike disagrees with the symbols
      good.replace('SPXW260320P06610000', 'SPXW260320C06610000'),
      'Fri Mar 20 2026,too,short',
      good, // duplicate
    ].join('\n');
    const r = importCboe({ text });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.chain.asOf).toBeNull();
    expect(r.chain.underlying).toEqual({ symbol: 'SPX', price: null });
    expect(r.chain.expiries).toHaveLength(1);
    expect(r.chain.expiries[0]?.rows).toHaveLength(1);
    expect(r.chain.warnings.map((w) => w.row)).toEqual([2, 3, 4, 5, 6, 7, null]);
    expect(r.chain.warnings[2]?.reason).toContain('has strike 6610, row says 6620');
    expect(r.chain.warnings[3]?.reason).toContain('put column holds a call symbol');
    expect(r.chain.warnings[6]?.reason).toContain('no readable time stamp');
  });
});
