/**
 * Live updates: a MutationObserver batched to animation frames. A tick inside known rows re-reads only those
 * rows and re-assembles the chain; rows added or removed, a band row changing, or a large batch (a page
 * redraw) trigger a full rescan. Virtualised grids merge what scrolls past by strike. Stops on abort.
 */
import { cellText } from './cellText';
import { pageContextOf, planGrids, readPlanned, resultOf } from './index';
import { createChainMerger } from './merge';
import { SITES } from './sites';
import { readRow, type Reading, type RowEntry } from './read';
import type { ReadOptions, ReadResult } from './types';

export interface WatchOptions {
  onChange: (result: ReadResult) => void;
  signal: AbortSignal;
  /** Defaults to requestAnimationFrame (setTimeout 16 ms where there is none). */
  schedule?: (cb: () => void) => void;
  read?: ReadOptions;
  /**
   * More changed rows than this in one frame → full rescan (a redraw). Counted in rows, not mutation records:
   * a tick that rewrites bid and ask of both sides is four records per row, and 100 rows ticking on a
   * 1,000-row chain must stay incremental. Past 25× this many records the batch is not even sorted into rows.
   */
  largeBatch?: number;
  /** Clock for the reading time (tests inject one). */
  now?: () => Date;
}

export interface WatchStats {
  fullReads: number;
  incrementalReads: number;
  rowsReread: number;
  lastFlushMs: number;
}

export interface ChainWatch {
  stats: WatchStats;
  /** Force a full rescan now (e.g. on the SPA's location change). */
  rescan(): void;
}

/** A first read of more rows than this reads them in a second task (see full()). */
const SPLIT_ROWS = 500;

export function watchChain(root: ParentNode, opts: WatchOptions): ChainWatch {
  const schedule =
    opts.schedule ??
    ((cb: () => void) => {
      const raf = (globalThis as { requestAnimationFrame?: (cb: () => void) => unknown }).requestAnimationFrame;
      if (raf) raf(cb);
      else setTimeout(cb, 16);
    });
  const largeBatch = opts.largeBatch ?? 200;
  const stats: WatchStats = { fullReads: 0, incrementalReads: 0, rowsReread: 0, lastFlushMs: 0 };
  const clock = opts.now ?? (() => opts.read?.now ?? new Date());
  const merger = createChainMerger();
  let reading: Reading | null = null;
  let rows = new WeakMap<Node, RowEntry>();
  let gridEls: Element[] = [];
  let pending: MutationRecord[] = [];
  let scheduled = false;
  let pageDirty = false;
  let lastPageRead = 0;
  let starting = false;

  const emit = (r: ReadResult) => {
    if (opts.signal.aborted) return;
    if (r.ok && reading?.plans.some((p) => p.grid.positioned)) {
      const merged = merger.add(r);
      if (merged) r = { ...r, chain: merged };
    }
    opts.onChange(r);
  };

  const full = (split = false) => {
    stats.fullReads++;
    const readOpts: ReadOptions = { ...opts.read, now: clock() };
    const { planned, reason } = planGrids(root, readOpts);
    reading = null;
    rows = new WeakMap();
    gridEls = [];
    if (!planned) {
      emit({
        ok: false,
        reason: reason ?? 'no option chain found',
        report: {
          adapter: 'generic-table',
          rowsRead: 0,
          rowsDropped: 0,
          dropped: [],
          flagged: [],
          confidence: 0,
          notes: [],
        },
      });
      return;
    }
    const finish = () => {
      starting = false;
      if (opts.signal.aborted) return;
      reading = readPlanned(root, readOpts, planned);
      for (const e of reading.entries) rows.set(e.row.el, e);
      gridEls = reading.plans.map((p) => p.grid.el);
      emit(resultOf(reading));
      // Mutations that came while the rows were being read: now that the rows are known, as usual.
      if (pending.length > 0 && !scheduled) {
        scheduled = true;
        schedule(flush);
      }
    };
    const rowCount = planned.plans.reduce((n, p) => n + p.grid.rows.length, 0);
    if (split && rowCount > SPLIT_ROWS) {
      // Finding the grids and reading 1,000 rows in one go is one long task on a cold start: two tasks instead.
      starting = true;
      setTimeout(finish, 0);
    } else finish();
  };

  const rowOf = (node: Node | null): RowEntry | null => {
    for (let n = node, depth = 0; n && n !== root && depth < 12; n = n.parentNode, depth++) {
      const e = rows.get(n);
      if (e) return e;
    }
    return null;
  };

  const flush = () => {
    scheduled = false;
    if (opts.signal.aborted || starting) return; // starting: the first read's finish() flushes what came
    const t0 = performance.now();
    const batch = pending;
    pending = [];
    if (!reading || batch.length > largeBatch * 25) {
      full();
      stats.lastFlushMs = performance.now() - t0;
      return;
    }
    // Each changed row, with the nodes that changed in it (null: the row itself changed, re-read every cell).
    const changed = new Map<RowEntry, Node[] | null>();
    let needFull = false;
    for (const rec of batch) {
      const e = rowOf(rec.target);
      if (e) {
        // A row's own children added/removed (cells re-rendered) is still that row; a whole row added is not.
        const nodes = changed.get(e);
        if (rec.target === e.row.el) changed.set(e, null);
        else if (nodes) nodes.push(rec.target);
        else if (nodes === undefined) changed.set(e, [rec.target]);
        continue;
      }
      const inGrid =
        rec.target.nodeType === 1
          ? gridEls.some((g) => g === rec.target || g.contains(rec.target))
          : gridEls.some((g) => g.contains(rec.target));
      if (inGrid) {
        needFull = true;
        break;
      }
      pageDirty = true;
    }
    if (needFull || changed.size > largeBatch) {
      full();
      stats.lastFlushMs = performance.now() - t0;
      return;
    }
    const now = clock();
    for (const [e, nodes] of changed) {
      // A row gone, or cells replaced under it (a framework re-rendering the row): the grid is re-planned.
      if (!e.row.el.isConnected || (nodes === null && e.row.cells.some((c) => !c.el.isConnected))) {
        needFull = true;
        break;
      }
      // Only the cells a mutation touched get their text again (a tick is usually bid and ask, not the row).
      for (const c of e.row.cells)
        if (nodes === null || nodes.some((n) => c.el === n || c.el.contains(n))) c.text = cellText(c.el);
      const before: string = e.reading.kind;
      e.reading = readRow(e.plan, e.row, e.band, now);
      stats.rowsReread++;
      if (before !== e.reading.kind && (before === 'band' || e.reading.kind === 'band')) needFull = true;
    }
    if (needFull) {
      full();
      stats.lastFlushMs = performance.now() - t0;
      return;
    }
    // Underlying price and VIX live outside the rows: re-read them at most once a second.
    let pageRead = false;
    if (pageDirty && now.getTime() - lastPageRead > 1000) {
      pageDirty = false;
      pageRead = true;
      lastPageRead = now.getTime();
      const adapter = SITES.find((a) => a.id === reading?.adapter) ?? null;
      reading.page = pageContextOf(root, { ...opts.read, now }, adapter, reading.plans, reading.entries);
    }
    if (changed.size > 0 || pageRead) {
      reading.now = now;
      stats.incrementalReads++;
      emit(resultOf(reading));
    }
    stats.lastFlushMs = performance.now() - t0;
  };

  // The root's own window first: an observer from another realm may not see its nodes (happy-dom in Node).
  const view = ((root as Node).ownerDocument ?? (root as Document)).defaultView as unknown as {
    MutationObserver?: typeof MutationObserver;
  } | null;
  const MO = view?.MutationObserver ?? (globalThis as { MutationObserver?: typeof MutationObserver }).MutationObserver;
  let observer: MutationObserver | null = null;
  if (!opts.signal.aborted) {
    full(true);
    if (MO) {
      observer = new MO((records) => {
        if (opts.signal.aborted) return;
        pending.push(...records);
        if (!scheduled) {
          scheduled = true;
          schedule(flush);
        }
      });
      observer.observe(root as Node, { subtree: true, childList: true, characterData: true });
    }
    opts.signal.addEventListener(
      'abort',
      () => {
        observer?.disconnect();
        observer = null;
        pending = [];
        reading = null;
      },
      { once: true },
    );
  }
  return {
    stats,
    rescan: () => {
      if (!opts.signal.aborted) full();
    },
  };
}
