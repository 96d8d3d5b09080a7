/**
 * Broker API chain JSON: a real TD Ameritrade response (the schema Schwab's market-data API kept) and a Tradier
 * response authored from Tradier's documentation (tests/fixtures/broker-api/README.md).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importChainText } from '../../src/chain/importers/index.ts';
import { FIXTURES_DIR, sharedFile } from '../helpers/shared.ts';

const TD = 'broker-api/tdameritrade_api_chain_F_2020-12-09.jsonc';
const TRADIER = 'broker-api/tradier_chain_SPY_authored.json';
const fixture = (rel: string): string => readFileSync(resolve(FIXTURES_DIR, rel), 'utf8');

describe('Schwab / TD Ameritrade chain JSON (real, F, 9 Dec 2020)', () => {
  const text = fixture(TD);
  const r = importChainText({ text, fileName: 'tdameritrade_api_chain_F_2020-12-09.jsonc' });
  type Raw = Record<string, unknown>;
  const raw = JSON.parse(text) as Record<string, Record<string, Record<string, Raw[]>>>;

  it('imports F at 9.425, 12 expiries, every one of the 494 contracts', () => {
    if (!r.ok) throw new Error(r.reason);
    const c = r.chain;
    expect(c.underlying).toEqual({ symbol: 'F', price: 9.425 });
    expect(c.source.adapter).toBe('schwab-json');
    expect(c.expiries).toHaveLength(12);
    expect(c.expiries[0]!.date).toBe('2020-12-11');
    const n = c.expiries.reduce(
      (s, e) => s + e.rows.filter((x) => x.call).length + e.rows.filter((x) => x.put).length,
      0,
    );
    expect(n).toBe(494);
    // The newest quote time in the file (quoteTimeInLong, epoch ms).
    expect(c.asOf?.slice(0, 10)).toBe('2020-12-09');
  });

  it('each quote as the file says; "NaN" and failed vols read as no IV, percents as fractions', () => {
    if (!r.ok) throw new Error(r.reason);
    let nan = 0;
    for (const [map, side] of [
      ['callExpDateMap', 'call'],
      ['putExpDateMap', 'put'],
    ] as const)
      for (const [key, strikes] of Object.entries(raw[map]!))
        for (const [, contracts] of Object.entries(strikes))
          for (const k of contracts) {
            const e = r.chain.expiries.find((x) => x.date === key.slice(0, 10))!;
            const q = e.rows.find((x) => x.strike === k.strikePrice)![side]!;
            expect([q.bid, q.ask]).toEqual([k.bid, k.ask]);
            const vol = k.volatility;
            if (vol === 'NaN') nan++;
            const iv = typeof vol === 'number' && vol > 0 && vol <= 2000 ? vol / 100 : null;
            expect(q.iv).toBe(iv);
          }
    expect(nan).toBe(120);
  });

  it('a failed response says so', () => {
    const bad = importChainText({ text: '{"symbol":"F","status":"FAILED","callExpDateMap":{},"putExpDateMap":{}}' });
    expect(bad).toEqual({ ok: false, reason: 'the Schwab/TD Ameritrade response says status "FAILED"' });
    const key = importChainText({ text: '{"symbol":"F","callExpDateMap":{"Dec 11":{}}}' });
    expect(key.ok).toBe(false);
    if (!key.ok) expect(key.reason).toMatch(/"Dec 11" is not "YYYY-MM-DD:days"/);
  });

  describe.skipIf(!sharedFile('data/real/tdameritrade_api_chain_F_2020-12-09.jsonc'))('copy', () => {
    it('is byte-identical to ../shared', () => {
      expect(text).toBe(readFileSync(sharedFile('data/real/tdameritrade_api_chain_F_2020-12-09.jsonc')!, 'utf8'));
    });
  });
});

describe('Tradier chain JSON (authored from the documentation)', () => {
  it('imports both expiries with mid IV and delta from greeks, no underlying price', () => {
    const r = importChainText({ text: fixture(TRADIER) });
    if (!r.ok) throw new Error(r.reason);
    const c = r.chain;
    expect(c.underlying).toEqual({ symbol: 'SPY', price: null });
    expect(c.source.adapter).toBe('tradier-json');
    expect(c.asOf).toBe('2022-05-13T20:00:00.000Z');
    expect(c.expiries.map((e) => [e.date, e.root, e.rows.length])).toEqual([
      ['2022-05-20', 'SPY', 2],
      ['2022-05-27', 'SPY', 1],
    ]);
    expect(c.expiries[0]!.rows[0]!.call).toEqual({
      bid: 11.41,
      ask: 11.49,
      last: 11.52,
      volume: 1520,
      openInterest: 20311,
      iv: 0.3046,
      delta: 0.5412,
    });
    // greeks: null (greeks not asked for) leaves IV and delta unknown.
    expect(c.expiries[0]!.rows[1]!.call).toMatchObject({ bid: 6.9, ask: 6.98, last: null, iv: null, delta: null });
  });

  it('one contract as an object, an empty chain, a contract that disagrees with its symbol', () => {
    const one = JSON.parse(fixture(TRADIER)) as { options: { option: unknown[] } };
    const single = importChainText({ text: JSON.stringify({ options: { option: one.options.option[0] } }) });
    expect(single.ok && single.chain.expiries[0]!.rows[0]!.call?.bid).toBe(11.41);
    expect(importChainText({ text: '{"options":null}' })).toEqual({
      ok: false,
      reason: 'the Tradier chain is empty ("options" holds no option)',
    });
    const wrong = { ...(one.options.option[0] as object), strike: 401 };
    const w = importChainText({ text: JSON.stringify({ options: { option: [wrong, one.options.option[1]] } }) });
    if (!w.ok) throw new Error(w.reason);
    expect(w.chain.warnings.some((x) => /disagrees with its fields/.test(x.reason))).toBe(true);
  });
});
