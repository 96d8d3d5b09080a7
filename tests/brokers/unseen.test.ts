/**
 * Authored pages (tests/fixtures/unseen/README.md) that reproduce the patterns real third-party chain pages
 * broke the reader with: header cells carrying help text, one side per table named outside the rows, and
 * expiries as band rows in one table. Each reads exactly, and says in its report how it decided.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readChainFromHtml } from '../../src/brokers/node';
import { FIXTURES_DIR } from '../helpers/shared';
import { byKey, quotesOf, type Quote } from '../helpers/quotes';

type Q = Quote;
const DIR = resolve(FIXTURES_DIR, 'unseen');
const CASES: [string, RegExp | null][] = [
  ['tooltip-headers', null],
  ['band-row-side', /side from the band row "2022-05-11 - Puts"/],
  ['selector-side', /side from the (page selector|selected) .*Puts/],
  ['occ-link-side', /side from the option symbol in each row's link/],
  ['band-expiries', /sides from the column order/],
];

describe('pages the reader had never seen (authored from real patterns)', () => {
  for (const [name, note] of CASES) {
    it(`${name} reads exactly`, () => {
      const html = readFileSync(resolve(DIR, `${name}.html`), 'utf8');
      const want = JSON.parse(readFileSync(resolve(DIR, `${name}.expected.json`), 'utf8')) as {
        symbol: string;
        price: number;
        quotes: Q[];
      };
      const r = readChainFromHtml(html);
      if (!r.ok) throw new Error(r.reason);
      const got = quotesOf(r.chain);
      expect(byKey(got)).toEqual(byKey(want.quotes));
      expect(r.chain.underlying).toEqual({ symbol: want.symbol, price: want.price });
      expect(r.report.rowsDropped).toBe(0);
      if (note) expect(r.report.notes.join('\n')).toMatch(note);
    });
  }
});
