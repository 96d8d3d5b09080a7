/**
 * Page reader cost in happy-dom: full read of 1,000- and 3,000-row straddle tables, and the incremental
 * update the live watcher does when a few quotes tick (budget: ≤ 2 ms of main-thread work per update on
 * 1,000 rows). happy-dom is slower than a browser's native DOM, so these figures are an upper bound.
 */
import { Window } from 'happy-dom';
import { readChain } from '../src/brokers/index';
import { watchChain } from '../src/brokers/watch';
import { record } from './figures';

function build(rows: number) {
  const window = new Window({ settings: { disableJavaScriptEvaluation: true } });
  const doc = window.document as unknown as Document;
  const tr = (i: number) => {
    const k = 4000 + i * 5;
    const c = (x: number) => x.toFixed(2);
    return `<tr><td>${c(100 - i / 20)}</td><td>${c(101 - i / 20)}</td><td>${i * 3}</td><td>${c(0.15 + i / 1e5)}</td><td>${k}</td><td>${c(1 + i / 20)}</td><td>${c(1.4 + i / 20)}</td><td>${i * 2}</td><td>${c(0.18)}</td></tr>`;
  };
  const body = Array.from({ length: rows }, (_, i) => tr(i)).join('');
  doc.write(
    `<html><head><title>SPX Option Chain</title></head><body><div>SPX 6,632.19</div><h2>SPXW Mar 20, 2026</h2><table><thead><tr><th colspan="4">Calls</th><th></th><th colspan="4">Puts</th></tr><tr><th>Bid</th><th>Ask</th><th>Volume</th><th>IV</th><th>Strike</th><th>Bid</th><th>Ask</th><th>Volume</th><th>IV</th></tr></thead><tbody>${body}</tbody></table></body></html>`,
  );
  return { window, doc };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function one(rows: number): Promise<void> {
  const { window, doc } = build(rows);
  const fullMs: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    const r = readChain(doc);
    fullMs.push(performance.now() - t0);
    if (!r.ok || r.chain.expiries[0]!.rows.length !== rows)
      throw new Error(`bench page misread: ${r.ok ? r.chain.expiries[0]!.rows.length : r.reason}`);
  }
  const queue: (() => void)[] = [];
  const ac = new AbortController();
  // The watcher's first read runs in slices of its own; the ticks start once it has given the first chain.
  let firstChain: () => void = () => {};
  const first = new Promise<void>((ok) => (firstChain = ok));
  const w = watchChain(doc, { onChange: () => firstChain(), signal: ac.signal, schedule: (cb) => queue.push(cb) });
  const deadline = setTimeout(() => firstChain(), 60_000);
  await first;
  clearTimeout(deadline);
  if (w.stats.fullReads !== 1) throw new Error(`the first read did not finish (full reads ${w.stats.fullReads})`);
  while (queue.length) queue.shift()!();
  const before = w.stats.incrementalReads;
  const trs = Array.from(doc.querySelectorAll('tbody tr'));
  const incMs: number[] = [];
  for (let frame = 0; frame < 30; frame++) {
    // A typical tick: 10 rows, bid and ask of both sides.
    for (let j = 0; j < 10; j++) {
      const cells = trs[(frame * 37 + j * 91) % rows]!.children;
      for (const k of [0, 1, 5, 6]) cells[k]!.textContent = (Math.random() * 50 + 1).toFixed(2);
    }
    await new Promise((r) => setTimeout(r, 0));
    const cb = queue.shift();
    if (!cb) throw new Error('no frame scheduled');
    const t0 = performance.now();
    cb();
    incMs.push(performance.now() - t0);
  }
  ac.abort();
  if (w.stats.incrementalReads - before !== 30)
    throw new Error(
      `expected 30 incremental updates, got ${w.stats.incrementalReads - before} (full ${w.stats.fullReads})`,
    );
  const full = median(fullMs);
  const inc = median(incMs);
  console.log(
    `${String(rows).padStart(5)} rows  full read ${full.toFixed(1)} ms (median of 5)   incremental update (10 rows × 4 cells) ${inc.toFixed(2)} ms median, ${Math.max(...incMs).toFixed(2)} ms max   full/incremental ×${(full / inc).toFixed(0)}`,
  );
  record({
    name: `happy-dom incremental update, ${rows} rows, median`,
    value: inc,
    unit: 'ms',
    target: null,
    lowerIsBetter: true,
    calibration: 'node',
  });
  record({
    name: `happy-dom full read, ${rows} rows, median`,
    value: full,
    unit: 'ms',
    target: null,
    lowerIsBetter: true,
    calibration: 'node',
  });
  await window.happyDOM.close();
}

export default async function (): Promise<void> {
  console.log('page reader in happy-dom (an upper bound for a browser DOM); budget ≤ 2 ms per update at 1,000 rows');
  await one(1000);
  await one(3000);
}
