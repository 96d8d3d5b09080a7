import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importChainText } from '../../src/chain/importers/index.ts';
import type { Chain } from '../../src/chain/types.ts';
import { FIXTURES_DIR, sharedFile } from '../helpers/shared.ts';

const fixture = (rel: string): string => readFileSync(resolve(FIXTURES_DIR, rel), 'utf8');

describe('Yahoo optionChain JSON (AAPL, 6 Sep 2016)', () => {
  const r = importChainText({
    text: fixture('yahoo-json/yahoo_options_api_2016_pdr1.json'),
    fileName: 'yahoo_options_api_2016_pdr1.json',
  });
  it('imports with underlying, time and one PM expiry', () => {
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const c = r.chain;
    expect(c.underlying).toEqual({ symbol: 'AAPL', price: 107.68 });
    expect(c.asOf).toBe('2016-09-06T20:00:00.000Z'); // regularMarketTime 1473192000
    expect(c.source).toEqual({ kind: 'json', adapter: 'yahoo-json', name: 'yahoo_options_api_2016_pdr1.json' });
    expect(c.expiries).toHaveLength(1);
    const e = c.expiries[0]!;
    expect([e.date, e.root, e.settlement]).toEqual(['2016-09-09', 'AAPL', 'PM']);
    // 38 calls and 38 puts on 44 distinct strikes: 6 strikes call-only, 6 put-only.
    expect(e.rows).toHaveLength(44);
    expect(e.rows.filter((x) => x.call && x.put)).toHaveLength(32);
    expect(e.rows.find((x) => x.strike === 117)?.put).toBeNull();
    expect(e.rows.find((x) => x.strike === 75)?.call).toBeNull();
  });
  it('reads a row exactly, with Yahoo IV as a fraction', () => {
    if (!r.ok) return;
    const row = r.chain.expiries[0]!.rows.find((x) => x.strike === 107);
    expect(row?.call).toEqual({
      bid: 1.41,
      ask: 1.43,
      last: 1.4,
      volume: 6639,
      openInterest: 10599,
      iv: 0.27197993652343744,
      delta: null,
    });
    expect(row?.put).toEqual({
      bid: 0.72,
      ask: 0.74,
      last: 0.75,
      volume: 12512,
      openInterest: 6312,
      iv: 0.2690502783203125,
      delta: null,
    });
  });
  it("treats Yahoo's 1e-5 placeholder IV as missing", () => {
    if (!r.ok) return;
    const all = r.chain.expiries[0]!.rows.flatMap((x) => [x.call, x.put]).filter((q) => q !== null);
    expect(all).toHaveLength(76);
    expect(all.every((q) => q.iv === null || q.iv > 1e-4)).toBe(true);
    // Five contracts carry 1.0000000000000003e-05 in the file (e.g. the 93 call, bid 12.8 / ask 13.7).
    expect(all.filter((q) => q.iv === null)).toHaveLength(5);
    expect(r.chain.expiries[0]!.rows.find((x) => x.strike === 93)?.call?.bid).toBe(12.8);
    expect(r.chain.expiries[0]!.rows.find((x) => x.strike === 93)?.call?.iv).toBeNull();
  });
});

describe('importChainText sniffing', () => {
  it('broken JSON: says what is wrong without echoing the file (found by the CLI fuzz test: a NaN came back out)', () => {
    const cases = [
      ['{"version":1,"rows":[{"oi":NaN,"x":0}]}', "Unexpected token 'N'"],
      [`{"version":1,"note":"${'y'.repeat(80)}","z":Infinity}`, "Unexpected token 'I'"],
      ['{"version":1', 'in JSON at position'],
    ] as const;
    for (const [text, says] of cases) {
      const r = importChainText({ text, fileName: 'chain.json' });
      if (r.ok) throw new Error('broken JSON imported');
      expect(r.reason).toMatch(/^not valid JSON \(chain\.json\): /);
      expect(r.reason).toContain(says);
      expect(r.reason).not.toMatch(/NaN|Infinity|yyyy/);
    }
  });
  it('routes Cboe CSV and .dat', () => {
    const csv = importChainText({ text: fixture('cboe/cboe_spy_quotedata_2025-09-25.csv') });
    expect(csv.ok && csv.chain.source.adapter).toBe('cboe-csv');
    const dat = importChainText({ text: fixture('cboe/vix_quotedata_2020-03-13_authored.dat') });
    expect(dat.ok && dat.chain.source.adapter).toBe('cboe-dat');
  });
  it('round-trips a Chain JSON and a snapshot holding one', () => {
    const csv = importChainText({ text: fixture('cboe/cboe_spy_quotedata_2025-09-25.csv') });
    if (!csv.ok) throw new Error(csv.reason);
    const text = JSON.stringify(csv.chain);
    const again = importChainText({ text });
    expect(again).toEqual({ ok: true, chain: csv.chain });
    const snap = importChainText({
      text: JSON.stringify({ id: 'x', savedAt: '2025-09-26T01:05:00Z', chain: csv.chain }),
    });
    expect(snap).toEqual({ ok: true, chain: csv.chain });
  });
  it('drops the surface a file says its quotes were priced from: a file’s quotes are fitted like a page’s', () => {
    const csv = importChainText({ text: fixture('cboe/cboe_spy_quotedata_2025-09-25.csv') });
    if (!csv.ok) throw new Error(csv.reason);
    const claimed = {
      ...csv.chain,
      expiries: csv.chain.expiries.map((e) => ({
        ...e,
        quotedFrom: { forward: 1, discount: 1, rate: 0, svi: { a: 0.04, b: 0, rho: 0, m: 0, sigma: 0.1 } },
      })),
    };
    const r = importChainText({ text: JSON.stringify(claimed) });
    if (!r.ok) throw new Error(r.reason);
    expect(r.chain).toEqual(csv.chain);
    expect(r.chain.expiries.some((e) => 'quotedFrom' in e)).toBe(false);
  });
  it.each([
    ['', 'the file is empty'],
    ['   \n', 'the file is empty'],
    ['{ "version": 1, ', 'not valid JSON'],
    ['{"hello": 1}', 'unrecognised JSON'],
    ['[1,2]', 'unrecognised JSON'],
    ['{"version": 2, "expiries": []}', 'version 2 is not 1'],
    ['{"chain": {"version": 1}}', 'snapshot (f.json): its chain is not valid: underlying.symbol is missing'],
    ['<html><body>hi</body></html>', 'an HTML page'],
    ['strike,bid,ask\n6600,1,2\n', 'unrecognised file (f.json): not a Cboe quote download'],
    [
      '{"optionChain": {"result": [], "error": {"code": "Not Found", "description": "No data found"}}}',
      'No data found',
    ],
  ])('explains %j', (text, reason) => {
    const r = importChainText({ text, fileName: '/tmp/f.json' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toContain(reason);
  });
  it('points at the first problem in a Chain JSON', () => {
    const base: Chain = {
      version: 1,
      underlying: { symbol: 'SPX', price: 6632.19 },
      asOf: '2026-03-14T11:34:00Z',
      source: { kind: 'html', adapter: 'generic-table' },
      expiries: [
        {
          date: '2026-03-20',
          root: 'SPXW',
          settlement: 'PM',
          rows: [
            {
              strike: 6600,
              call: { bid: 52.1, ask: 53.4, last: 52.9, volume: 1035, openInterest: 35, iv: 0.1432, delta: 0.55 },
              put: null,
            },
            { strike: 6650, call: null, put: null },
          ],
        },
      ],
      warnings: [{ row: 17, reason: 'crossed market: bid 5.2 > ask 4.9' }],
    };
    expect(importChainText({ text: JSON.stringify(base) }).ok).toBe(true);
    const bad = (mut: (c: Chain) => void): string => {
      const c = structuredClone(base);
      mut(c);
      const r = importChainText({ text: JSON.stringify(c) });
      return r.ok ? 'ok' : r.reason;
    };
    expect(bad((c) => (c.expiries[0]!.rows[0]!.call!.iv = 14.32 * 10))).toContain(
      'expiries[0].rows[0].call.iv 143.2 is not a fraction',
    );
    expect(bad((c) => (c.expiries[0]!.rows[1]!.strike = 6500))).toContain('rows must be sorted');
    expect(bad((c) => (c.expiries[0]!.settlement = 'XX' as 'AM'))).toContain('settlement is not AM or PM');
    expect(bad((c) => (c.expiries[0]!.date = '20/03/2026'))).toContain('date is not YYYY-MM-DD');
    expect(bad((c) => (c.expiries[0]!.rows[0]!.call!.bid = 'x' as unknown as number))).toContain(
      'call.bid is not a number',
    );
  });
});

const sharedSpx = sharedFile('data/real/cboe_spx_quotedata_2026-03-14.csv');
describe.skipIf(!sharedSpx)('the shared real file equals the fixture copy', () => {
  it('imports identically', () => {
    const a = importChainText({ text: readFileSync(sharedSpx!, 'utf8') });
    const b = importChainText({ text: fixture('cboe/cboe_spx_quotedata_2026-03-14.csv') });
    expect(a).toEqual(b);
  });
});
