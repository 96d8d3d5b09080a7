/**
 * Real Yahoo Finance pages of 2020 (MIT, tests/fixtures/yahoo2020/README.md). Every bid and ask of both tables
 * is checked against an independent parse: regular expressions over the raw HTML, no DOM and none of the
 * reader's code. The page context must come from the chain's own quote header, not the market strip above it.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readChainFromHtml } from '../../src/brokers/node';
import type { ReadResult } from '../../src/brokers/types';
import { FIXTURES_DIR, sharedFile } from '../helpers/shared';

const DIR = resolve(FIXTURES_DIR, 'yahoo2020');
const load = (name: string) => readFileSync(resolve(DIR, `${name}.html`), 'utf8');

interface Expected {
  name: string;
  symbol: string;
  price: number;
  asOf: string;
  expiry: string;
  calls: number;
  puts: number;
}
// Symbol, price and counts as ../shared/data/README.md describes each page; the quote time is "At close: 4:00PM
// EDT" on the day of the latest trade in the chain (AAPL closed at 113.02 on Fri 2 Oct 2020, SPY at 328.73 on
// Fri 25 Sep 2020).
const PAGES: Expected[] = [
  {
    name: 'yahoo_options_AAPL_2020-10_yfs',
    symbol: 'AAPL',
    price: 113.02,
    asOf: '2020-10-02T20:00:00.000Z',
    expiry: '2020-10-16',
    calls: 261,
    puts: 247,
  },
  {
    name: 'yahoo_options_SPY_2020-09_yfs',
    symbol: 'SPY',
    price: 328.73,
    asOf: '2020-09-25T20:00:00.000Z',
    expiry: '2020-09-28',
    calls: 99,
    puts: 102,
  },
  {
    name: 'yahoo_options_TSLA_2020-10_yfs',
    symbol: 'TSLA',
    price: 415.09,
    asOf: '2020-10-02T20:00:00.000Z',
    expiry: '2020-10-09',
    calls: 125,
    puts: 137,
  },
];

interface RawQuote {
  side: 'call' | 'put';
  strike: number;
  bid: number | null;
  ask: number | null;
}

/** The independent parse: each <tr> of each <table> outside scripts, cells by position from the header. */
function rawQuotes(html: string): RawQuote[] {
  const body = html.replace(/<script\b[\s\S]*?<\/script>/gi, '');
  const out: RawQuote[] = [];
  const text = (cell: string) =>
    cell
      .replace(/<[^>]*>/g, '')
      .replace(/&amp;/g, '&')
      .trim();
  const num = (t: string) => (t === '-' || t === '' ? null : Number(t.replace(/,/g, '')));
  for (const table of body.match(/<table\b[\s\S]*?<\/table>/gi) ?? []) {
    const heads = [...table.matchAll(/<th\b[^>]*>([\s\S]*?)<\/th>/gi)].map((m) => text(m[1]!));
    const col = (name: string) => heads.indexOf(name);
    const [iName, iStrike, iBid, iAsk] = [col('Contract Name'), col('Strike'), col('Bid'), col('Ask')];
    if (iName < 0 || iStrike < 0 || iBid < 0 || iAsk < 0) continue;
    for (const tr of table.matchAll(/<tr\b[^>]*>([\s\S]*?)<\/tr>/gi)) {
      const cells = [...tr[1]!.matchAll(/<td\b[^>]*>([\s\S]*?)<\/td>/gi)].map((m) => text(m[1]!));
      if (cells.length === 0) continue;
      const kind = /^[A-Z]+\d{6}([CP])\d{8}$/.exec(cells[iName]!);
      if (!kind) throw new Error(`unexpected contract name ${cells[iName]}`);
      out.push({
        side: kind[1] === 'C' ? 'call' : 'put',
        strike: num(cells[iStrike]!)!,
        bid: num(cells[iBid]!),
        ask: num(cells[iAsk]!),
      });
    }
  }
  return out;
}

const results = new Map<string, ReadResult>();
function read(name: string): ReadResult {
  let r = results.get(name);
  if (!r) results.set(name, (r = readChainFromHtml(load(name))));
  return r;
}

describe('real Yahoo Finance pages (2020 layout, yfs test data)', () => {
  for (const p of PAGES) {
    it(`${p.name}: every bid and ask of both tables, as the raw HTML says`, () => {
      const r = read(p.name);
      if (!r.ok) throw new Error(r.reason);
      expect(r.chain.expiries.map((e) => e.date)).toEqual([p.expiry]);
      const rows = r.chain.expiries[0]!.rows;
      const raw = rawQuotes(load(p.name));
      expect(raw.filter((q) => q.side === 'call').length).toBe(p.calls);
      expect(raw.filter((q) => q.side === 'put').length).toBe(p.puts);
      const got = rows.flatMap((row) =>
        (['call', 'put'] as const).flatMap((side) => {
          const q = row[side];
          return q ? [{ side, strike: row.strike, bid: q.bid, ask: q.ask }] : [];
        }),
      );
      const key = (q: RawQuote) => `${q.side}|${q.strike}`;
      expect(new Map(got.map((q) => [key(q), q]))).toEqual(new Map(raw.map((q) => [key(q), q])));
      expect(r.report.rowsDropped).toBe(0);
    });

    it(`${p.name}: symbol ${p.symbol}, price ${p.price} and the quote time from the quote header`, () => {
      const r = read(p.name);
      if (!r.ok) throw new Error(r.reason);
      expect(r.chain.underlying).toEqual({ symbol: p.symbol, price: p.price });
      expect(r.chain.asOf).toBe(p.asOf);
      expect(r.report.adapter).toBe('yahoo');
      // Each inference is in the reading report.
      expect(r.report.notes.join('\n')).toMatch(/quote header/);
      expect(r.report.notes.join('\n')).toMatch(/At close: 4:00PM EDT/);
    });
  }

  it('the page with no chain says so in one line', () => {
    const r = readChainFromHtml(load('yahoo_options_EXFO_2020-10_empty_yfs'));
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.reason).toMatch(/no (option chain|table)/);
      expect(r.reason).not.toMatch(/\n/);
    }
  });

  describe.skipIf(!sharedFile('data/real/yahoo_options_AAPL_2020-10_yfs.html'))(
    'fixture copies match ../shared',
    () => {
      it('are byte-identical', () => {
        for (const n of [...PAGES.map((p) => p.name), 'yahoo_options_EXFO_2020-10_empty_yfs'])
          expect(load(n)).toBe(readFileSync(sharedFile(`data/real/${n}.html`)!, 'utf8'));
      });
    },
  );
});
