/**
 * Property-based: random straddle tables with random number formats. The reader never throws, never invents
 * a quote (a cell rendered as missing reads null), and every number it reads is the number that was rendered.
 */
import fc from 'fast-check';
import { Window } from 'happy-dom';
import { afterAll, describe, expect, it } from 'vitest';
import { readChain } from '../../src/brokers/index';
import { parseIv, parseNumber } from '../../src/chain/numbers';
import { cellText, ivOf, priceOf, stripDecorations } from '../../src/brokers/cellText';

const window = new Window({ settings: { disableJavaScriptEvaluation: true } });
const doc = window.document as unknown as Document;
afterAll(() => window.happyDOM.close());

const MISSING = ['', '—', '-', '--', 'N/A', 'n/a'];
interface Cell {
  value: number | null;
  text: string;
}
interface SideCells {
  bid: Cell;
  ask: Cell;
  iv: Cell;
  delta: Cell;
}
const cents = fc.integer({ min: 0, max: 500_000 }).map((c) => c / 100);

/** A price rendered in one of the real-world formats; `value` is what it means. */
const priceCell = fc.oneof(
  {
    weight: 5,
    arbitrary: fc
      .tuple(cents, fc.constantFrom('plain', 'dollar', 'grouped', 'nbsp', 'glyph'))
      .map(([v, f]) => ({ value: v as number | null, text: fmt(v, f) })),
  },
  { weight: 1, arbitrary: fc.constantFrom(...MISSING).map((t) => ({ value: null as number | null, text: t })) },
);

function fmt(v: number, f: string): string {
  const fixed = v.toFixed(2);
  const grouped = Number(fixed).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  switch (f) {
    case 'dollar':
      return `$${fixed}`;
    case 'grouped':
      return grouped;
    case 'nbsp':
      return `\u00a0${grouped.replace(/,/g, '\u00a0')}\u00a0`;
    case 'glyph':
      return `${fixed} ▲`;
    default:
      return fixed;
  }
}

const deltaCell = fc.oneof(
  fc.integer({ min: -100, max: 100 }).chain((d) =>
    fc.constantFrom('minus', 'paren', 'hyphen').map((f) => {
      const v = d / 100;
      const abs = Math.abs(v).toFixed(2);
      const text = v >= 0 ? v.toFixed(2) : f === 'minus' ? `\u2212${abs}` : f === 'paren' ? `(${abs})` : `-${abs}`;
      return { value: v === 0 ? 0 : v, text };
    }),
  ),
  fc.constantFrom(...MISSING).map((t) => ({ value: null as number | null, text: t })),
);

const ivCell = fc.oneof(
  fc.integer({ min: 100, max: 30000 }).map((bp) => ({ value: bp / 10000, text: `${(bp / 100).toFixed(2)}%` })),
  fc.constantFrom(...MISSING).map((t) => ({ value: null as number | null, text: t })),
);

const sideRow: fc.Arbitrary<SideCells> = fc.record({ bid: priceCell, ask: priceCell, iv: ivCell, delta: deltaCell });
const table = fc
  .tuple(
    fc.uniqueArray(fc.integer({ min: 1, max: 20000 }), { minLength: 1, maxLength: 25 }),
    fc.boolean(),
    fc.constantFrom('table', 'aria'),
  )
  .chain(([strikes, grouped, kind]) =>
    fc.tuple(
      fc.array(fc.tuple(sideRow, sideRow), { minLength: strikes.length, maxLength: strikes.length }),
      fc.constant(strikes),
      fc.constant(grouped),
      fc.constant(kind),
    ),
  );

function render(rows: [SideCells, SideCells][], strikes: number[], grouped: boolean, kind: string): string {
  const heads = ['Bid', 'Ask', 'IV', 'Delta', 'Strike', 'Bid', 'Ask', 'IV', 'Delta'];
  const cellsOf = (i: number) => {
    const [c, p] = rows[i]!;
    return [
      c.bid.text,
      c.ask.text,
      c.iv.text,
      c.delta.text,
      String(strikes[i]! / 4),
      p.bid.text,
      p.ask.text,
      p.iv.text,
      p.delta.text,
    ];
  };
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  if (kind === 'aria') {
    const hr = `<div role="row">${heads.map((h, i) => `<div role="columnheader">${i < 4 ? 'Call ' : i > 4 ? 'Put ' : ''}${h}</div>`).join('')}</div>`;
    const body = strikes
      .map(
        (_, i) =>
          `<div role="row">${cellsOf(i)
            .map((t) => `<div role="gridcell">${esc(t)}</div>`)
            .join('')}</div>`,
      )
      .join('');
    return `<h2>Mar 20, 2026</h2><div role="grid">${hr}${body}</div>`;
  }
  const group = grouped ? '<tr><th colspan="4">Calls</th><th></th><th colspan="4">Puts</th></tr>' : '';
  const hr = `<tr>${heads.map((h) => `<th>${h}</th>`).join('')}</tr>`;
  const body = strikes
    .map(
      (_, i) =>
        `<tr>${cellsOf(i)
          .map((t) => `<td>${esc(t)}</td>`)
          .join('')}</tr>`,
    )
    .join('');
  return `<h2>Mar 20, 2026</h2><table><thead>${group}${hr}</thead><tbody>${body}</tbody></table>`;
}

describe('reader properties (fast-check)', () => {
  it('reads back exactly what was rendered; missing stays null; crossed and zero markets are flagged', () => {
    fc.assert(
      fc.property(table, ([rows, strikes, grouped, kind]) => {
        doc.body.textContent = '';
        const host = doc.createElement('div');
        doc.body.appendChild(host);
        // Build through the DOM parser of the test page (the reader itself never writes HTML).
        const tpl = doc.createElement('template');
        tpl.innerHTML = render(rows, strikes, grouped, kind);
        host.appendChild(tpl.content);
        const r = readChain(doc);
        if (!r.ok) throw new Error(r.reason);
        const got = new Map(r.chain.expiries[0]!.rows.map((x) => [x.strike, x]));
        expect(got.size).toBe(strikes.length);
        strikes.forEach((s, i) => {
          const row = got.get(s / 4)!;
          const [c, p] = rows[i]!;
          for (const [q, src] of [
            [row.call, c],
            [row.put, p],
          ] as const) {
            expect(q).not.toBeNull();
            expect(q!.bid).toBe(src.bid.value);
            expect(q!.ask).toBe(src.ask.value);
            expect(q!.delta).toBe(src.delta.value);
            expect(q!.iv === null ? null : Math.round(q!.iv * 1e6)).toBe(
              src.iv.value === null ? null : Math.round(src.iv.value * 1e6),
            );
            expect(q!.last).toBeNull();
            expect(q!.volume).toBeNull();
          }
        });
        const crossedOrZero = rows
          .flatMap(([c, p]) => [c, p])
          .filter(
            (q) =>
              q.bid.value !== null &&
              q.ask.value !== null &&
              (q.bid.value > q.ask.value || (q.bid.value === 0 && q.ask.value === 0)),
          ).length;
        expect(r.chain.warnings).toHaveLength(crossedOrZero);
        expect(r.report.rowsDropped).toBe(0);
      }),
      { numRuns: 150 },
    );
  });

  it('never throws on arbitrary cell text and never reads a number out of non-numeric junk', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.string({ maxLength: 12 }), { minLength: 5, maxLength: 5 }), { maxLength: 12 }),
        (cells) => {
          doc.body.textContent = '';
          const table = doc.createElement('table');
          const head = doc.createElement('tr');
          for (const h of ['Bid', 'Ask', 'Strike', 'Bid', 'Ask']) {
            const th = doc.createElement('th');
            th.textContent = h;
            head.appendChild(th);
          }
          table.appendChild(head);
          for (const row of cells) {
            const tr = doc.createElement('tr');
            for (const t of row) {
              const td = doc.createElement('td');
              td.textContent = t;
              tr.appendChild(td);
            }
            table.appendChild(tr);
          }
          doc.body.appendChild(table);
          const r = readChain(doc, { now: new Date('2026-03-14T00:00:00Z') });
          expect(typeof r.ok).toBe('boolean');
          if (!r.ok) {
            expect(r.reason.length).toBeGreaterThan(0);
            return;
          }
          for (const e of r.chain.expiries)
            for (const row of e.rows)
              for (const q of [row.call, row.put]) {
                if (!q) continue;
                for (const v of [q.bid, q.ask]) {
                  if (v === null) continue;
                  expect(Number.isFinite(v)).toBe(true);
                  // The value must come from a cell whose text parses to it.
                  expect(cells.flat().some((t) => priceOf(t) === v)).toBe(true);
                }
              }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('ivOf agrees with the chain parser on percent cells', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 50000 }),
        (bp) => ivOf(`${(bp / 100).toFixed(2)}%`) === parseIv(`${(bp / 100).toFixed(2)}%`),
      ),
    );
  });

  it("a cell's text: the shortcut for text without spaces gives what collapsing and trimming gives", () => {
    const chars = [
      '1',
      '.',
      '-',
      '$',
      'a',
      ' ',
      '\u00a0',
      '\t',
      '\n',
      '\u2009',
      '\u200b',
      '\u202f',
      '\u3000',
      '\ufeff',
    ];
    const el = doc.createElement('span');
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...chars), { maxLength: 12 }), (parts) => {
        const text = parts.join('');
        el.textContent = text;
        const full = text.replace(/[\s\u00a0\u2000-\u200b\u202f\u205f\u3000\ufeff]+/g, ' ').trim();
        expect(cellText(el)).toBe(full);
      }),
      { numRuns: 2000 },
    );
  });

  it('a price cell: the shortcut for a bare decimal gives what stripping decorations and parsing gives', () => {
    const bits = ['1', '2', '0', '9', '.', ',', '-', '$', ' ', '▲', '*', '(', ')', '\u00a0', '\u2212'];
    fc.assert(
      fc.property(
        fc.oneof(
          fc.stringMatching(/^\d{1,18}(\.\d{0,18})?$/),
          fc.array(fc.constantFrom(...bits), { maxLength: 10 }).map((a) => a.join('')),
        ),
        (text) => void expect(priceOf(text)).toBe(parseNumber(stripDecorations(text))),
      ),
      { numRuns: 3000 },
    );
  });
});
