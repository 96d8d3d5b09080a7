/**
 * Property-based, for pages the reader has never seen: random header cells carrying help text (tooltips that
 * mention other columns, calls and puts), and the side of a one-sided table said in a random place (a band row
 * above the header, a page selector, a caption, a heading, only the option symbol in each row's link, a Type
 * column, column order). The reader never throws, never gives a quote the wrong side or the wrong strike, and
 * reads every row of these layouts.
 */
import fc from 'fast-check';
import { Window } from 'happy-dom';
import { afterAll, describe, expect, it } from 'vitest';
import { readChain } from '../../src/brokers/index';

const window = new Window({ settings: { disableJavaScriptEvaluation: true } });
const doc = window.document as unknown as Document;
afterAll(() => window.happyDOM.close());

type Side = 'call' | 'put';
const EXPIRY = '2022-05-11';

const LABELS = {
  strike: ['Strike', 'Strike Price', 'STRIKE', 'Exercise Price'],
  bid: ['Bid', 'BID', 'Bid Price'],
  ask: ['Ask', 'Ask Price', 'Offer'],
  volume: ['Volume', 'Vol', 'Day Volume'],
} as const;
type Col = keyof typeof LABELS;

/** Help sentences as sites write them: they name other columns and both sides, to trip a text match. */
const HELP = [
  'is the price a potential buyer is willing to pay.',
  'The Bid and Ask of this call or put, in dollars.',
  'Strike: the price at which the option may be exercised. Puts and calls alike.',
  'Number of contracts traded today; see Open Interest.',
];
const HELP_STYLE = ['plain', 'tooltip-class', 'tooltip-role', 'trailing-span', 'aria-label', 'sort-button'] as const;
const PLACES = ['band-above', 'band-thead', 'selector', 'caption', 'heading', 'occ-link', 'type-col', 'order'] as const;
type Place = (typeof PLACES)[number];

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');

function headerCell(label: string, style: (typeof HELP_STYLE)[number], help: string): string {
  const tip = `${esc(label)} ${esc(help)}`;
  switch (style) {
    case 'plain':
      return `<th>${esc(label)}</th>`;
    case 'tooltip-class':
      return `<th><span>${esc(label)}</span><span class="tooltip">${tip}</span></th>`;
    case 'tooltip-role':
      return `<th>${esc(label)}<div role="tooltip">${tip}</div></th>`;
    case 'trailing-span':
      // No class a reader could know: the label is the first text node.
      return `<th>${esc(label)}<span class="x9q">${tip}</span></th>`;
    case 'aria-label':
      return `<th aria-label="${esc(label)}"><i class="icon"></i><span class="c7">${tip}</span></th>`;
    case 'sort-button':
      return `<th><button type="button">${esc(label)}<span aria-hidden="true">▲</span></button><div class="popover">${tip}</div></th>`;
  }
}

interface Page {
  place: Place;
  side: Side;
  strikes: number[];
  quotes: [number, number][];
  labels: Record<Col, string>;
  styles: (typeof HELP_STYLE)[number][];
  help: string[];
}

const page: fc.Arbitrary<Page> = fc
  .record({
    place: fc.constantFrom(...PLACES),
    side: fc.constantFrom<Side>('call', 'put'),
    strikes: fc.uniqueArray(fc.integer({ min: 2, max: 4000 }), { minLength: 2, maxLength: 10 }),
    labels: fc.record({
      strike: fc.constantFrom(...LABELS.strike),
      bid: fc.constantFrom(...LABELS.bid),
      ask: fc.constantFrom(...LABELS.ask),
      volume: fc.constantFrom(...LABELS.volume),
    }),
    styles: fc.array(fc.constantFrom(...HELP_STYLE), { minLength: 8, maxLength: 8 }),
    help: fc.array(fc.constantFrom(...HELP), { minLength: 8, maxLength: 8 }),
  })
  .chain((p) =>
    fc
      .array(
        fc.tuple(fc.integer({ min: 1, max: 50_000 }), fc.integer({ min: 0, max: 500 })).map(([b, w]) => {
          const bid = b / 100;
          return [bid, (b + w) / 100] as [number, number];
        }),
        { minLength: p.strikes.length * 2, maxLength: p.strikes.length * 2 },
      )
      .map((quotes) => ({ ...p, strikes: [...p.strikes].sort((a, b) => a - b).map((k) => k / 2), quotes })),
  );

function occ(side: Side, strike: number): string {
  return `SPY220511${side === 'call' ? 'C' : 'P'}${String(Math.round(strike * 1000)).padStart(8, '0')}`;
}

/** The page, and the quotes it shows: side|strike → [bid, ask]. */
function render(p: Page): { html: string; shown: Map<string, [number, number]> } {
  const shown = new Map<string, [number, number]>();
  const h = (i: number, col: Col) => headerCell(p.labels[col], p.styles[i]!, p.help[i]!);
  const head = [h(0, 'strike'), h(1, 'bid'), h(2, 'ask'), h(3, 'volume')];
  const sideName = p.side === 'call' ? 'Calls' : 'Puts';
  let before = `<h1>SPDR S&amp;P 500 ETF (SPY)</h1><div><span>383.21</span><span>+1.20 (+0.31%)</span></div>`;
  let caption = '';
  let thead = '';
  let band = '';
  const rows: string[] = [];
  let headRow = `<tr>${head.join('')}</tr>`;
  if (p.place !== 'band-above' && p.place !== 'band-thead') before += `<h3>Expires May 11, 2022</h3>`;
  switch (p.place) {
    case 'band-above':
      band = `<tr><td colspan="4">${EXPIRY} - ${sideName}</td></tr>`;
      break;
    case 'band-thead':
      thead = `<tr><th colspan="4">${EXPIRY} - ${sideName}</th></tr>`;
      break;
    case 'selector':
      before += `<label for="t">Chain Type:</label><select id="t"><option${p.side === 'call' ? ' selected' : ''}>Calls</option><option${p.side === 'put' ? ' selected' : ''}>Puts</option></select>`;
      break;
    case 'caption':
      caption = `<caption>${sideName}</caption>`;
      break;
    case 'heading':
      before += `<h4>${sideName}</h4>`;
      break;
    case 'occ-link':
      headRow = `<tr>${headerCell('Symbol', p.styles[4]!, p.help[4]!)}${head.join('')}</tr>`;
      break;
    case 'type-col':
      headRow = `<tr>${head.join('')}${headerCell('Type', p.styles[5]!, p.help[5]!)}</tr>`;
      break;
    case 'order':
      headRow = `<tr>${head.join('')}${h(6, 'bid')}${h(7, 'ask')}${h(3, 'volume')}${h(0, 'strike')}</tr>`;
      break;
  }
  p.strikes.forEach((k, i) => {
    const [b, a] = p.quotes[i]!;
    const [pb, pa] = p.quotes[i + p.strikes.length]!;
    const cells = (bid: number, ask: number) => `<td>${bid.toFixed(2)}</td><td>${ask.toFixed(2)}</td><td>${i}</td>`;
    const kt = `<td>${k.toFixed(2)}</td>`;
    if (p.place === 'order') {
      shown.set(`call|${k}`, [b, a]);
      shown.set(`put|${k}`, [pb, pa]);
      rows.push(`<tr>${kt}${cells(b, a)}${cells(pb, pa)}${kt}`);
    } else if (p.place === 'occ-link' || p.place === 'type-col') {
      // Both sides, one row each, the side said only by the symbol's link or the Type cell.
      for (const [side, [qb, qa]] of [
        ['call', [b, a]],
        ['put', [pb, pa]],
      ] as const) {
        shown.set(`${side}|${k}`, [qb, qa]);
        if (p.place === 'occ-link')
          rows.push(
            `<tr><td><a href="/q?optsym=${encodeURIComponent(occ(side, k).replace(/^SPY/, 'SPY '))}">SPY</a></td>${kt}${cells(qb, qa)}</tr>`,
          );
        else rows.push(`<tr>${kt}${cells(qb, qa)}<td>${side === 'call' ? 'C' : 'P'}</td></tr>`);
      }
    } else {
      shown.set(`${p.side}|${k}`, [b, a]);
      rows.push(`<tr>${kt}${cells(b, a)}</tr>`);
    }
  });
  const table =
    p.place === 'band-above'
      ? `<table>${caption}<tbody>${band}${headRow}${rows.join('')}</tbody></table>`
      : `<table>${caption}<thead>${thead}${headRow}</thead><tbody>${rows.join('')}</tbody></table>`;
  return { html: `${before}<div>${table}</div>`, shown };
}

describe('pages never seen (fast-check): help text in headers, the side said anywhere', () => {
  it('never throws, never a wrong side or strike, and reads every row', () => {
    fc.assert(
      fc.property(page, (p) => {
        const { html, shown } = render(p);
        doc.body.textContent = '';
        const tpl = doc.createElement('template');
        tpl.innerHTML = html;
        doc.body.appendChild(tpl.content);
        const r = readChain(doc);
        if (!r.ok) throw new Error(`${p.place}: ${r.reason}`);
        const got = new Map<string, [number | null, number | null]>();
        for (const e of r.chain.expiries) {
          expect(e.date).toBe(EXPIRY);
          for (const row of e.rows)
            for (const side of ['call', 'put'] as const) {
              const q = row[side];
              if (q) got.set(`${side}|${row.strike}`, [q.bid, q.ask]);
            }
        }
        // Every quote read is one that was shown, on its side and strike, and every one shown was read.
        expect(got).toEqual(shown);
        expect(r.chain.underlying.symbol).toBe('SPY');
      }),
      { numRuns: 200 },
    );
  });
});
