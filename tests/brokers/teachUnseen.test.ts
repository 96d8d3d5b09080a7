/**
 * Teach mode on the hard patterns real third-party pages showed (issue 16; tests/fixtures/unseen): one side per
 * table named outside the rows (a band row, the page's selector, option symbols in links), expiries as band rows
 * with the strike at both ends, header cells carrying help text. Each page is taught as a trader would — a click
 * on a strike and one on the Bid of the same row — and the profile must read the whole chain exactly, every
 * expiry and both sides where the page has them.
 *
 * The same pages with their column labels renamed ("Exercise", "Buyers", "Sellers": words the reader does not
 * know) are read right by nothing but the taught profile: the reader alone fails on them or reads the wrong
 * columns, and the two clicks fix it.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readChain } from '../../src/brokers/index';
import { parseHtml } from '../../src/brokers/node';
import { inferFromClicks } from '../../src/brokers/teach';
import { validateProfile } from '../../src/storage/profileCheck';
import { FIXTURES_DIR } from '../helpers/shared';
import { byKey, quotesOf, type Quote } from '../helpers/quotes';

type Q = Quote;
const DIR = resolve(FIXTURES_DIR, 'unseen');
const PAGES = ['tooltip-headers', 'band-row-side', 'selector-side', 'occ-link-side', 'band-expiries'];

/** Header labels renamed inside <th> cells only (the tooltips' sentences stay as they are). */
const renamed = (html: string) =>
  html.replace(/<th([^>]*)>(Strike|Bid|Ask)(?=[<\s])/g, (_m, attrs: string, label: string) => {
    const to: Record<string, string> = { Strike: 'Exercise', Bid: 'Buyers', Ask: 'Sellers' };
    return `<th${attrs}>${to[label]}`;
  });

function readQuotes(r: ReturnType<typeof readChain>): Q[] {
  if (!r.ok) throw new Error(r.reason);
  return quotesOf(r.chain);
}

/** The trader's two clicks: the first strike cell of the third quote row, and the first Bid cell of that row. */
function clicksOn(doc: Document, labels: { strike: string; bid: string }) {
  const headRows = [...doc.querySelectorAll('tr')].filter((tr) =>
    [...tr.children].some((c) => c.tagName === 'TH' && c.firstChild?.textContent?.trim() === labels.strike),
  );
  const head = headRows[headRows.length - 1]!;
  const labelAt = [...head.children].map((c) => c.firstChild?.textContent?.trim() ?? '');
  const si = labelAt.indexOf(labels.strike);
  const bi = labelAt.indexOf(labels.bid);
  const quoteRows = [...doc.querySelectorAll('tr')].filter(
    (tr) => tr.children.length === head.children.length && [...tr.children].every((c) => c.tagName === 'TD'),
  );
  const row = quoteRows[2]!;
  return { strikeCell: row.children[si]!, bidCell: row.children[bi]! };
}

describe('teach mode on the hard patterns of real pages', () => {
  for (const name of PAGES) {
    const want = JSON.parse(readFileSync(resolve(DIR, `${name}.expected.json`), 'utf8')) as { quotes: Q[] };
    const page = readFileSync(resolve(DIR, `${name}.html`), 'utf8');

    it(`${name}: two clicks, and the profile reads the whole chain exactly`, () => {
      const { document, close } = parseHtml(page);
      const t = inferFromClicks(document, clicksOn(document, { strike: 'Strike', bid: 'Bid' }), 'quotes.example');
      expect(t.preview.reason).toBeUndefined();
      expect(t.ok).toBe(true);
      // Plain JSON that storage accepts, and that reads the page after the round trip.
      const stored = validateProfile(JSON.parse(JSON.stringify(t.profile)));
      if (!stored.ok) throw new Error(stored.errors.join('; '));
      const r = readChain(document, { profile: stored.profile });
      close();
      expect(r.ok && r.report.adapter).toBe('teach:quotes.example');
      expect(byKey(readQuotes(r))).toEqual(byKey(want.quotes));
      expect(r.report.rowsDropped).toBe(0);
    });

    it(`${name} with labels the reader does not know: the reader alone misreads it, two clicks read it exactly`, () => {
      const { document, close } = parseHtml(renamed(page));
      // Alone, the reader fails here, or reads something else (last prices without the bids and asks).
      const alone = readChain(document);
      expect(alone.ok ? byKey(readQuotes(alone)) : alone.reason).not.toEqual(byKey(want.quotes));
      const t = inferFromClicks(document, clicksOn(document, { strike: 'Exercise', bid: 'Buyers' }), 'quotes.example');
      expect(t.preview.reason).toBeUndefined();
      expect(t.profile.headers).toMatchObject({ exercise: 'strike', buyers: 'bid', sellers: 'ask' });
      const r = readChain(document, { profile: t.profile });
      close();
      expect(byKey(readQuotes(r))).toEqual(byKey(want.quotes));
      if (r.ok) expect(r.report.notes.join('\n')).toMatch(/taught headers: "exercise" as strike, "buyers" as bid/);
    });
  }
});
