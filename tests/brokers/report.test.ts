/**
 * "Report this page": the anonymised page keeps the chain's layout (hedgelens scrape reads it to the same
 * expiries, strikes and sides) and nothing the trader would not share: no original figure in the chain's
 * cells, no URL or query, no word from outside the chain's headers, no script, style or data attribute.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseHtml, readChainFromHtml } from '../../src/brokers/node';
import { KEEP_WORDS, reportPage, seededRandom } from '../../src/brokers/report';
import type { ReadResult } from '../../src/brokers/types';
import { FIXTURES_DIR } from '../helpers/shared';

const PAGES = [
  'unseen/tooltip-headers.html',
  'unseen/band-row-side.html',
  'unseen/selector-side.html',
  'unseen/occ-link-side.html',
  'unseen/band-expiries.html',
  'yahoo/yahoo_options_AAPL_2014-10_pdr1.html',
  'yahoo2020/yahoo_options_SPY_2020-09_yfs.html',
];
/** Private things a trader's page may hold, added to each page under test. */
const PRIVATE = `<div class="account"><span>Account 12345678-901</span> <span>John Q. Smithers</span>
  <a href="https://broker.example/acct/summary?id=987654&amp;token=s3cr3t">Balances</a>
  <span data-account="12345678">Margin: $104,211.57</span></div>`;

function layout(r: ReadResult) {
  if (!r.ok) return r.reason;
  return r.chain.expiries.map((e) => [
    e.rows.length,
    e.rows.filter((x) => x.call).length,
    e.rows.filter((x) => x.put).length,
  ]);
}

/** Text of every node outside header cells (th, thead, columnheader), and the text inside them. */
function texts(doc: Document): { outside: string; headers: string } {
  let outside = '';
  let headers = '';
  const walk = (n: Node, inHead: boolean) => {
    for (let c = n.firstChild; c; c = c.nextSibling) {
      if (c.nodeType === 3) {
        if (inHead) headers += ` ${c.nodeValue}`;
        else outside += ` ${c.nodeValue}`;
      } else if (c.nodeType === 1) {
        const el = c as Element;
        if (/^(script|style|noscript|template)$/i.test(el.tagName)) continue;
        walk(el, inHead || /^(TH|THEAD)$/.test(el.tagName) || el.getAttribute('role') === 'columnheader');
      }
    }
  };
  walk(doc.body, false);
  return { outside, headers };
}

describe('Report this page', () => {
  for (const rel of PAGES) {
    it(`${rel}: reads to the same layout, and nothing private survives`, () => {
      const html = readFileSync(resolve(FIXTURES_DIR, rel), 'utf8').replace(/<body([^>]*)>/i, `<body$1>${PRIVATE}`);
      const { document, close } = parseHtml(html);
      try {
        const before = document.documentElement.outerHTML;
        const rep = reportPage(document, { random: seededRandom(16) });
        expect(document.documentElement.outerHTML).toBe(before); // the page is not touched

        // hedgelens scrape reads the report like the page: same expiries, strikes and sides.
        const original = readChainFromHtml(html);
        const reported = readChainFromHtml(rep.html);
        expect(original.ok).toBe(true);
        expect(layout(reported)).toEqual(layout(original));

        // No URL, no query, no script, style or data attribute.
        expect(rep.html).not.toMatch(/https?:|\?[\w-]+=|<script|<style|\sdata-[\w-]+=/i);
        for (const secret of ['12345678', '987654', 's3cr3t', 'Smithers', 'John', 'broker.example', '104,211.57'])
          expect(rep.html).not.toContain(secret);

        // No figure in a cell of the chain is the original one (cell by cell: tables are kept whole).
        const out = parseHtml(rep.html);
        try {
          const a = Array.from(document.querySelectorAll('td'));
          const b = Array.from(out.document.querySelectorAll('td'));
          expect(b.length).toBe(a.length);
          let figures = 0;
          a.forEach((td, i) => {
            const was = (td.textContent ?? '').trim();
            // A figure: a non-zero number that is not a time of day (times are kept).
            if (!/^[$+\-−]?[\d,]*\.?\d+%?$/.test(was) || Number(was.replace(/[$,%+−-]/g, '')) === 0) return;
            figures++;
            expect((b[i]!.textContent ?? '').trim()).not.toBe(was);
          });
          expect(figures).toBeGreaterThan(10);

          // No word from outside the headers survives unless it is one the chain is read by (or an option root).
          const orig = texts(document);
          const now = texts(out.document);
          // Option roots: in the cells' text or in their links' targets.
          const roots = new Set(
            [...html.replace(/%20/g, ' ').matchAll(/([A-Z]{1,6})\s?\d{6}[CP]\d/g)].map((m) => m[1]!),
          );
          const headerWords = new Set(orig.headers.match(/[A-Za-z]{3,}/g) ?? []);
          const kept = new Set(now.outside.match(/[A-Za-z]{3,}/g) ?? []);
          for (const w of new Set(orig.outside.match(/[A-Za-z]{3,}/g) ?? [])) {
            if (KEEP_WORDS.has(w.toLowerCase()) || roots.has(w) || headerWords.has(w)) continue;
            expect(kept.has(w), `"${w}" survived`).toBe(false);
          }
        } finally {
          out.close();
        }
        expect(rep.counts.numbers).toBeGreaterThan(10);
      } finally {
        close();
      }
    });
  }
});
