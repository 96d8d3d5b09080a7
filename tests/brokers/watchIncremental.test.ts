/**
 * The watcher's incremental path (re-read rows, patch the chain, re-read the page's live figures from where they
 * were found) must give exactly what a fresh read of the same page gives, whatever ticks.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Window } from 'happy-dom';
import { watchChain } from '../../src/brokers/watch';
import { readChain } from '../../src/brokers';
import type { ReadResult } from '../../src/brokers/types';

const NOW = new Date('2026-03-13T15:00:00Z');
const tick = () => new Promise((r) => setTimeout(r, 0));

type Layout = 'straddle' | 'list';

function page(layout: Layout, rows: number) {
  const window = new Window({ settings: { disableJavaScriptEvaluation: true } });
  const doc = window.document as unknown as Document;
  const cell = (v: string) => `<td>${v}</td>`;
  let table: string;
  if (layout === 'straddle') {
    const body = Array.from({ length: rows }, (_, i) =>
      [(10 + i / 10).toFixed(2), (10.5 + i / 10).toFixed(2), 100 + i, 5000 + i * 5, (3 + i / 10).toFixed(2)]
        .concat([(3.4 + i / 10).toFixed(2), 200 + i])
        .map((v) => cell(String(v)))
        .join(''),
    );
    table = `<table><thead><tr><th>Bid</th><th>Ask</th><th>Volume</th><th>Strike</th><th>Bid</th><th>Ask</th><th>Volume</th></tr></thead><tbody>${body.map((r) => `<tr>${r}</tr>`).join('')}</tbody></table>`;
  } else {
    const body: string[] = [];
    for (let i = 0; i < rows; i++)
      for (const type of ['Call', 'Put'])
        body.push(
          `<tr>${[type, 5000 + i * 5, (2 + i / 10).toFixed(2), (2.3 + i / 10).toFixed(2), 50 + i].map((v) => cell(String(v))).join('')}</tr>`,
        );
    table = `<table><thead><tr><th>Type</th><th>Strike</th><th>Bid</th><th>Ask</th><th>Vol</th></tr></thead><tbody>${body.join('')}</tbody></table>`;
  }
  doc.write(
    `<html><head><title>SPX Option Chain</title></head><body><div class="quote">SPX <span id="spot">5,100.00</span></div><p id="clock">12:00:00</p><h2>SPXW Mar 20, 2026</h2>${table}</body></html>`,
  );
  return { window, doc };
}

/** The reading clock: each flush of a test is 1.1 s after the one before (past the page re-read's throttle). */
let clock = NOW;

function watch(doc: Document) {
  clock = NOW;
  const queue: (() => void)[] = [];
  const results: ReadResult[] = [];
  const ac = new AbortController();
  const w = watchChain(doc, {
    onChange: (r) => results.push(r),
    signal: ac.signal,
    schedule: (cb) => queue.push(cb),
    read: { url: 'http://127.0.0.1/chain', title: 'SPX Option Chain', now: NOW },
    now: () => clock,
    // These tests drive every update by hand: full reads at once (reading in slices has its own test).
    sliceMs: Infinity,
  });
  const flush = async () => {
    clock = new Date(clock.getTime() + 1100);
    await tick();
    for (const cb of queue.splice(0)) cb();
  };
  return { w, results, ac, flush, last: () => results[results.length - 1]! };
}

const fresh = (doc: Document) =>
  readChain(doc, { url: 'http://127.0.0.1/chain', title: 'SPX Option Chain', now: clock });

/** What must agree: the chain and the report (not the order of keys). */
function essence(r: ReadResult) {
  if (!r.ok) return { ok: false, reason: r.reason };
  return { ok: true, chain: r.chain, report: r.report, vix: r.vixSightings };
}

describe('the watcher, incrementally', () => {
  it('keeps unchanged rows as the same objects, the layout number while only quotes change, and a new one past a new strike', async () => {
    const { window, doc } = page('straddle', 40);
    const { w, results, flush, last } = watch(doc);
    const first = results[0]!;
    if (!first.ok) throw new Error(first.reason);
    const tds = doc.querySelectorAll('tbody tr')[5]!.children;
    tds[0]!.textContent = '10.60';
    await flush();
    const second = last();
    if (!second.ok) throw new Error(second.reason);
    expect(w.stats).toMatchObject({ fullReads: 1, incrementalReads: 1, rowsReread: 1 });
    expect(second.layout).toBe(first.layout);
    const a = first.chain.expiries[0]!.rows;
    const b = second.chain.expiries[0]!.rows;
    expect(b[5]).not.toBe(a[5]);
    expect(b[5]!.call!.bid).toBe(10.6);
    expect(b[5]!.put).toBe(a[5]!.put); // the side that did not change is the same quote
    expect(b.filter((row, i) => row !== a[i])).toHaveLength(1);
    expect(a[5]!.call!.bid).toBe(10.5); // the previous chain is never modified
    // The update says what it replaced, from which chain: the feed sends those rows without comparing 40.
    expect(second.changes?.from).toBe(first.chain);
    expect(second.changes?.rows).toEqual([{ e: 0, r: 5, row: b[5] }]);
    expect(first.changes).toBeUndefined(); // a full read replaced nothing: it is a chain of its own
    // Re-rendered with the same numbers: a re-read row, but no new row.
    tds[1]!.textContent = tds[1]!.textContent!;
    await flush();
    expect(w.stats.rowsReread).toBe(2);
    const same = last();
    expect(same.ok && same.chain.expiries[0]!.rows.every((row, i) => row === b[i])).toBe(true);
    expect(same.ok && same.changes?.from === second.chain && same.changes.rows).toEqual([]);
    tds[0]!.textContent = '99.10'; // crossed: a flag appears, so the chain is assembled afresh
    await flush();
    const crossed = last();
    expect(crossed.ok && crossed.layout).toBeGreaterThan(first.layout!);
    expect(crossed.ok && crossed.report.flagged.map((f) => f.reason)).toContain(
      'crossed market: call bid 99.1 > ask 11',
    );

    const tb = doc.querySelector('tbody')!;
    const extra = tb.lastElementChild!.cloneNode(true) as Element;
    extra.children[3]!.textContent = '9000';
    tb.appendChild(extra);
    await flush();
    const third = last();
    expect(w.stats.fullReads).toBe(2);
    expect(third.ok && third.layout).toBeGreaterThan(crossed.ok ? crossed.layout! : Infinity);
    await window.happyDOM.close();
  });

  it('a watcher started again never reuses a layout number (a consumer pairing chains by it would patch wrongly)', async () => {
    const { window, doc } = page('straddle', 10);
    const one = watch(doc);
    one.ac.abort();
    const two = watch(doc);
    const [a, b] = [one.results[0]!, two.results[0]!];
    expect(a.ok && b.ok && a.layout !== undefined && b.layout !== undefined && a.layout !== b.layout).toBe(true);
    two.ac.abort();
    await window.happyDOM.close();
  });

  it('follows the underlying price on every tick from the element it was read from', async () => {
    const { window, doc } = page('straddle', 20);
    const { results, flush, last } = watch(doc);
    expect(results[0]!.ok && results[0]!.chain.underlying.price).toBe(5100);
    for (const p of ['5,101.25', '5,099.50', '5,102.00']) {
      doc.getElementById('spot')!.textContent = p;
      await flush();
      const r = last();
      expect(r.ok && r.chain.underlying.price).toBe(Number(p.replace(',', '')));
      expect(essence(r)).toEqual(essence(fresh(doc)));
    }
    await window.happyDOM.close();
  });

  it('reads the page whole again when the chain container is replaced', async () => {
    const { window, doc } = page('straddle', 20);
    const { w, flush, last } = watch(doc);
    const old = doc.querySelector('table')!;
    const copy = old.cloneNode(true) as Element;
    copy.querySelectorAll('tbody tr')[3]!.children[0]!.textContent = '77.70';
    old.replaceWith(copy);
    await flush();
    expect(w.stats.fullReads).toBe(2);
    const r = last();
    expect(r.ok && r.chain.expiries[0]!.rows[3]!.call!.bid).toBe(77.7);
    await window.happyDOM.close();
  });

  for (const layout of ['straddle', 'list'] as const)
    it(`property (${layout}): after any ticks — quotes, crossed and broken cells, the price, text elsewhere — it equals a fresh read`, async () => {
      const edit = fc.record({
        row: fc.nat(),
        col: fc.nat(),
        value: fc.oneof(
          fc.double({ min: 0, max: 120, noNaN: true }).map((v) => v.toFixed(2)),
          fc.constantFrom('—', 'N/A', '', 'x1.2', '(1.50)', '1,234.50', '0.00'),
        ),
      });
      const step = fc.oneof(
        { weight: 6, arbitrary: fc.array(edit, { minLength: 1, maxLength: 8 }).map((edits) => ({ edits })) },
        { weight: 1, arbitrary: fc.double({ min: 4000, max: 6000, noNaN: true }).map((spot) => ({ spot })) },
        { weight: 1, arbitrary: fc.constant({ clock: true }) },
      );
      let patched = 0;
      await fc.assert(
        fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 6 }), async (steps) => {
          const { window, doc } = page(layout, 12);
          const { flush, last, results } = watch(doc);
          const trs = Array.from(doc.querySelectorAll('tbody tr'));
          for (const s of steps) {
            if ('edits' in s)
              for (const e of s.edits) {
                const tr = trs[e.row % trs.length]!;
                // Quote cells only: a changed strike or type is a new layout (also covered, by the full read).
                const quoteCols = layout === 'straddle' ? [0, 1, 2, 4, 5, 6] : [2, 3, 4];
                tr.children[quoteCols[e.col % quoteCols.length]!]!.textContent = e.value;
              }
            else if ('spot' in s)
              doc.getElementById('spot')!.textContent = s.spot.toLocaleString('en-US', { minimumFractionDigits: 2 });
            else doc.getElementById('clock')!.textContent = `12:00:0${steps.indexOf(s)}`;
            const n = results.length;
            await flush();
            expect(essence(last())).toEqual(essence(fresh(doc)));
            const [a, b] = [results[n - 1]!, last()];
            if (results.length > n && a.ok && b.ok && a.layout === b.layout) patched++;
          }
          await window.happyDOM.close();
        }),
        { numRuns: 40 },
      );
      // The incremental path itself was exercised (not only fresh assemblies).
      expect(patched).toBeGreaterThan(10);
    });
});
