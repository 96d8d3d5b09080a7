import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Chain } from '../../src/chain/types';
import { readChainFromHtml } from '../../src/brokers/node';
import { FIXTURES_DIR, sharedFile } from '../helpers/shared';

const PAGES = [
  'yahoo_options_AAPL_2014-10_pdr1',
  'yahoo_options_AAPL_2014-11_pdr2',
  'yahoo_options_SPWR_2015_empty_puts_pdr3',
];
const load = (name: string, ext: string) => readFileSync(resolve(FIXTURES_DIR, 'yahoo', `${name}.${ext}`), 'utf8');

describe('real Yahoo Finance pages (2014–2015, pandas-datareader test data)', () => {
  for (const name of PAGES) {
    it(`${name} reads exactly as checked by hand`, () => {
      const expected = JSON.parse(load(name, 'expected.json')) as Chain;
      const r = readChainFromHtml(load(name, 'html'));
      if (!r.ok) throw new Error(r.reason);
      expect({ ...r.chain, asOf: null }).toEqual(expected);
      expect(r.report.rowsDropped).toBe(0);
      expect(r.report.adapter).toBe('yahoo');
      expect(r.report.confidence).toBeGreaterThan(0.9);
    });
  }

  it('counts: 42 calls + 38 puts, 39 + 36, 3 + 0 (empty puts table)', () => {
    const counts = PAGES.map((n) => {
      const r = readChainFromHtml(load(n, 'html'));
      if (!r.ok) throw new Error(r.reason);
      const rows = r.chain.expiries[0]!.rows;
      return [rows.filter((x) => x.call).length, rows.filter((x) => x.put).length];
    });
    expect(counts).toEqual([
      [42, 38],
      [39, 36],
      [3, 0],
    ]);
  });

  it('reads the same through the generic detector when the site adapter is not recognised', () => {
    // Drop the markers the adapter detects the site by: the generic reader must still find both tables.
    const html = load(PAGES[0]!, 'html')
      .replace(/optionsCallsTable/g, 'x')
      .replace(/options-calls-table/g, 'x')
      .replace(/id="quote-table"/g, '');
    const r = readChainFromHtml(html);
    if (!r.ok) throw new Error(r.reason);
    expect(r.report.adapter).toBe('generic-table');
    const rows = r.chain.expiries[0]!.rows;
    expect([rows.filter((x) => x.call).length, rows.filter((x) => x.put).length]).toEqual([42, 38]);
    expect(r.chain.underlying.symbol).toBe('AAPL');
  });

  it('a Yahoo page with its tables removed says there is no chain, and why', () => {
    const html = load(PAGES[0]!, 'html').replace(/<table class="details-table[\s\S]*?<\/table>/g, '');
    const r = readChainFromHtml(html);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(/Strike/);
  });

  describe.skipIf(!sharedFile('data/real/yahoo_options_AAPL_2014-10_pdr1.html'))(
    'fixture copies match ../shared',
    () => {
      it('are byte-identical', () => {
        for (const n of PAGES) expect(load(n, 'html')).toBe(readFileSync(sharedFile(`data/real/${n}.html`)!, 'utf8'));
      });
    },
  );
});
