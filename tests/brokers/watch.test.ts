import { describe, expect, it } from 'vitest';
import { Window } from 'happy-dom';
import { watchChain } from '../../src/brokers/watch';
import type { ReadResult } from '../../src/brokers/types';

function page(rows: number) {
  const window = new Window({ settings: { disableJavaScriptEvaluation: true } });
  const doc = window.document as unknown as Document;
  const body = Array.from({ length: rows }, (_, i) => {
    const k = 5000 + i * 5;
    return `<tr><td>${(10 + i / 10).toFixed(2)}</td><td>${(10.5 + i / 10).toFixed(2)}</td><td>${k}</td><td>${(3 + i / 10).toFixed(2)}</td><td>${(3.4 + i / 10).toFixed(2)}</td></tr>`;
  }).join('');
  doc.write(
    `<html><head><title>SPX Option Chain</title></head><body><h2>SPXW Mar 20, 2026</h2><table><thead><tr><th>Bid</th><th>Ask</th><th>Strike</th><th>Bid</th><th>Ask</th></tr></thead><tbody>${body}</tbody></table></body></html>`,
  );
  return { window, doc };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('watchChain', () => {
  it('re-reads only the changed row, batched into one scheduled flush, and stops on abort', async () => {
    const { window, doc } = page(50);
    const queue: (() => void)[] = [];
    const results: ReadResult[] = [];
    const ac = new AbortController();
    const flushes: number[] = [];
    const w = watchChain(doc, {
      onChange: (r) => results.push(r),
      signal: ac.signal,
      schedule: (cb) => queue.push(cb),
      sliceMs: Infinity, // full reads at once (reading in slices has its own test)
      onFlush: (ms) => flushes.push(ms),
    });
    expect(results).toHaveLength(1);
    expect(w.stats.fullReads).toBe(1);
    const cells = doc.querySelectorAll('tbody tr')[7]!.children;
    cells[0]!.textContent = '11.11';
    cells[1]!.textContent = '11.22';
    await tick();
    expect(queue).toHaveLength(1); // two mutations, one frame
    queue.shift()!();
    expect(w.stats).toMatchObject({ fullReads: 1, incrementalReads: 1, rowsReread: 1 });
    expect(flushes).toHaveLength(1); // one update, its time told once
    expect(flushes[0]).toBeGreaterThanOrEqual(w.stats.lastFlushMs);
    const last = results[results.length - 1]!;
    if (!last.ok) throw new Error(last.reason);
    const row = last.chain.expiries[0]!.rows.find((r) => r.strike === 5035)!;
    expect(row.call).toMatchObject({ bid: 11.11, ask: 11.22 });

    // Rows added → full rescan.
    const tb = doc.querySelector('tbody')!;
    tb.appendChild(tb.firstElementChild!.cloneNode(true));
    (tb.lastElementChild!.children[2] as Element).textContent = '9000';
    await tick();
    queue.shift()!();
    expect(w.stats.fullReads).toBe(2);
    const after = results[results.length - 1]!;
    expect(after.ok && after.chain.expiries[0]!.rows.some((r) => r.strike === 9000)).toBe(true);

    ac.abort();
    const n = results.length;
    cells[0]!.textContent = '12.00';
    await tick();
    for (const cb of queue.splice(0)) cb();
    expect(results).toHaveLength(n);
    await window.happyDOM.close();
  });

  it('past a large batch it rescans instead of handling each mutation', async () => {
    const { window, doc } = page(300);
    const queue: (() => void)[] = [];
    const ac = new AbortController();
    const w = watchChain(doc, {
      onChange: () => {},
      signal: ac.signal,
      schedule: (cb) => queue.push(cb),
      sliceMs: Infinity, // full reads at once (reading in slices has its own test)
      largeBatch: 200,
    });
    for (const tr of Array.from(doc.querySelectorAll('tbody tr'))) tr.children[0]!.textContent = '1.00';
    await tick();
    queue.shift()!();
    expect(w.stats).toMatchObject({ fullReads: 2, incrementalReads: 0 });
    ac.abort();
    await window.happyDOM.close();
  });

  it("gives the page's row element of each chain row, for the layout it read (the row marks use it)", async () => {
    const { window, doc } = page(40);
    const queue: (() => void)[] = [];
    const results: ReadResult[] = [];
    const w = watchChain(doc, {
      onChange: (r) => results.push(r),
      signal: new AbortController().signal,
      schedule: (cb) => queue.push(cb),
      sliceMs: Infinity, // full reads at once (reading in slices has its own test)
    });
    const first = results[0]!;
    if (!first.ok) throw new Error(first.reason);
    const rows = first.chain.expiries[0]!.rows;
    expect(rows).toHaveLength(40);
    rows.forEach((row, r) => {
      const el = w.rowOf(first.layout, 0, r)!;
      expect(el.tagName).toBe('TR');
      expect(el.children[2]!.textContent).toBe(String(row.strike));
    });
    expect(w.rowOf(first.layout, 0, 40)).toBeNull(); // no such row
    expect(w.rowOf(first.layout, 1, 0)).toBeNull(); // no such expiry
    expect(w.rowOf(undefined, 0, 0)).toBeNull();
    // A tick keeps the layout and its rows; a row added makes a new layout, and the old number gives nothing.
    const trs = doc.querySelectorAll('tbody tr');
    trs[3]!.children[0]!.textContent = '10.35'; // bid 10.30 → 10.35 (under the ask: no new flag)
    await tick();
    queue.shift()!();
    const ticked = results[results.length - 1]!;
    expect(ticked.ok && ticked.layout).toBe(first.layout);
    expect(w.rowOf(first.layout, 0, 3)).toBe(trs[3]);
    const tb = doc.querySelector('tbody')!;
    const added = tb.firstElementChild!.cloneNode(true) as Element;
    added.children[2]!.textContent = '4000';
    tb.insertBefore(added, tb.firstElementChild);
    await tick();
    queue.shift()!();
    const redrawn = results[results.length - 1]!;
    if (!redrawn.ok) throw new Error(redrawn.reason);
    expect(redrawn.layout).not.toBe(first.layout);
    expect(w.rowOf(first.layout, 0, 0)).toBeNull();
    expect(w.rowOf(redrawn.layout, 0, 0)).toBe(added); // 4000 sorts first
    expect(w.rowOf(redrawn.layout, 0, 4)).toBe(trs[3]);
    await window.happyDOM.close();
  });

  it('reads a large page in slices across tasks, takes what changed meanwhile, and stops on abort', async () => {
    const { window, doc } = page(3000);
    const results: ReadResult[] = [];
    const queue: (() => void)[] = [];
    const ac = new AbortController();
    const w = watchChain(doc, {
      onChange: (r) => results.push(r),
      signal: ac.signal,
      schedule: (cb) => queue.push(cb),
      sliceMs: 1,
    });
    expect(results).toHaveLength(0); // not read in the task that started it
    expect(w.stats.fullReads).toBe(1);
    // The page changes while it is being read: a row already read, and the last row (not read yet).
    const trs = doc.querySelectorAll('tbody tr');
    trs[2]!.children[0]!.textContent = '10.15';
    trs[2999]!.children[3]!.textContent = '303.00';
    let slices = 0;
    for (let i = 0; i < 500 && results.length === 0; i++) {
      await tick();
      slices++;
    }
    expect(slices).toBeGreaterThan(3); // it took several tasks
    expect(results).toHaveLength(1);
    expect(w.stats.fullReads).toBe(1);
    // What changed meanwhile is taken in the next update, as any change.
    await tick();
    for (const cb of queue.splice(0)) cb();
    const last = results[results.length - 1]!;
    if (!last.ok) throw new Error(last.reason);
    const rows = last.chain.expiries[0]!.rows;
    expect(rows).toHaveLength(3000);
    expect(rows.find((r) => r.strike === 5010)!.call!.bid).toBe(10.15);
    expect(rows.find((r) => r.strike === 5000 + 2999 * 5)!.put!.bid).toBe(303);
    // A full read again (a row added), in slices: until it is done, the rows of the chain last given still answer.
    const before = results.length;
    const tb = doc.querySelector('tbody')!;
    const added = tb.firstElementChild!.cloneNode(true) as Element;
    added.children[2]!.textContent = '4000';
    tb.insertBefore(added, tb.firstElementChild);
    await tick();
    for (const cb of queue.splice(0)) cb();
    expect(results).toHaveLength(before); // still reading
    expect(w.rowOf(last.layout, 0, 0)).toBe(trs[0]);
    for (let i = 0; i < 500 && results.length === before; i++) await tick();
    const redrawn = results[results.length - 1]!;
    if (!redrawn.ok) throw new Error(redrawn.reason);
    expect(w.rowOf(last.layout, 0, 0)).toBeNull();
    expect(w.rowOf(redrawn.layout, 0, 0)).toBe(added);
    // A read stopped half way by abort gives nothing.
    const again: ReadResult[] = [];
    const stop = new AbortController();
    watchChain(doc, { onChange: (r) => again.push(r), signal: stop.signal, sliceMs: 1 });
    await tick();
    stop.abort();
    for (let i = 0; i < 50; i++) await tick();
    expect(again).toHaveLength(0);
    ac.abort();
    await window.happyDOM.close();
  });
});
