/**
 * Live updates: a MutationObserver batched to animation frames. A tick inside known rows re-reads only those
 * rows and re-assembles the chain; rows added or removed, a band row changing, or a large batch (a page
 * redraw) trigger a full rescan. Virtualised grids merge what scrolls past by strike. Stops on abort.
 */
import { cellText } from './cellText';
import { pageContextOf, planGridsSteps, readPlannedSteps, resultOfAssembly } from './index';
import { createChainMerger } from './merge';
import { SITES } from './sites';
import {
  assemble,
  assembleSteps,
  readRow,
  reassemble,
  type Assembly,
  type Reading,
  type RowEntry,
  type RowReading,
} from './read';
import { ROWS_PER_STEP, type GridCell } from './grid';
import type { ReadOptions, ReadResult } from './types';

export interface WatchOptions {
  /** `update`: called from an update (timed, see onFlush), not from the first read. */
  onChange: (result: ReadResult, update: boolean) => void;
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
  /**
   * After each update: the main-thread time it took (ms), the observer's callbacks since the last one included,
   * and whatever onChange did synchronously (the content script sends the update to the worker from there).
   */
  onFlush?: (ms: number) => void;
  /** A full read runs in slices of at most this much main-thread time (ms; default 15), the rest in later tasks. */
  sliceMs?: number;
}

export interface WatchStats {
  fullReads: number;
  incrementalReads: number;
  rowsReread: number;
  lastFlushMs: number;
}

export interface ChainWatch {
  stats: WatchStats;
  /**
   * The page's row element that row `r` of expiry `e` of the chain given with layout number `layout` was read from
   * (the first, when calls and puts come from two rows), or null: another layout by now, a virtualised grid (its
   * chain is merged from what scrolled past), or a row not read. For the row marks: no scan of the page for them.
   */
  rowOf(layout: number | undefined, e: number, r: number): Element | null;
}

/** A changed row whose mutations were all on its cells' own text (those cells are re-read from `dirty`). */
const CELLS_ONLY: Node[] = Object.freeze([]) as unknown as Node[];

/**
 * A row the watcher follows, with what the current update found changed in it: `stamp` is the number of the update
 * that last found it changed, `nodes` the nodes that changed in it then (null: the row itself, re-read every cell;
 * CELLS_ONLY: only cells whose own text was set). Kept on the row, not in a map per update: a tick on a 1,000-row
 * chain is some 400 mutation records, and each would otherwise be a map lookup.
 */
interface Watched {
  entry: RowEntry;
  stamp: number;
  nodes: Node[] | null;
}

/**
 * Layout numbers, unique across every watcher of this realm: a watcher started again (an SPA navigation, a taught
 * profile) never gives a number an earlier one gave, so a consumer cannot take two layouts for one.
 */
let lastLayout = 0;

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
  let assembly: Assembly | null = null;
  /** New whenever the chain is assembled afresh (see ReadResult.layout). */
  let layout = 0;
  let rows = new WeakMap<Node, Watched>();
  /** Each cell element → the cell and its row (the common mutation: a cell's text set, the cell the target). */
  let cells = new WeakMap<Node, { cell: GridCell; row: Watched }>();
  /** The number of the current update (see Watched.stamp). */
  let updates = 0;
  /**
   * An update's changed rows and the cells whose own text was set: the first nChanged and nDirty items, in arrays
   * kept between updates (four hundred records a tick would otherwise grow two new arrays every time). Emptied on a
   * full read, so they keep no row of an earlier layout alive.
   */
  const changed: Watched[] = [];
  const dirty: GridCell[] = [];
  let gridEls: Element[] = [];
  let pending: MutationRecord[] = [];
  let scheduled = false;
  /** Nodes outside the chain that changed since the page around it was last read ('many': read it whole). */
  let outside: Node[] | 'many' = [];
  let lastPageRead = 0;
  let pageTimer: ReturnType<typeof setTimeout> | null = null;
  let starting = false;

  /** The layout and rows of the last chain given (see rowOf); null for a virtualised grid. */
  let given: { layout: number; places: Assembly['places'] } | null = null;
  /** In an update's flush (onChange says so). */
  let flushing = false;
  const emit = (a: Assembly, freshLayout: boolean) => {
    if (opts.signal.aborted) return;
    if (freshLayout) layout = ++lastLayout;
    const positioned = reading?.plans.some((p) => p.grid.positioned) ?? false;
    let r = resultOfAssembly(a, positioned ? undefined : layout);
    // What rowOf answers from: the last chain given, until the next one (a full read in slices clears `assembly`).
    given = positioned ? null : { layout, places: a.places };
    if (r.ok && positioned) {
      const merged = merger.add(r);
      if (merged) r = { ...r, chain: merged };
    }
    opts.onChange(r, flushing);
  };

  /**
   * A full read of the page, in slices of at most `sliceMs` of the main thread (the rest in later tasks), so a large
   * page is not read in one long task; a small one is read at once. A full read started while one is running
   * replaces it. Mutations meanwhile wait in `pending` (see flushNow) and are taken once the rows are known.
   */
  const sliceMs = opts.sliceMs ?? 15;
  let running: Generator<void, void> | null = null;
  const full = () => {
    stats.fullReads++;
    reading = null;
    assembly = null;
    rows = new WeakMap();
    cells = new WeakMap();
    changed.length = 0;
    dirty.length = 0;
    gridEls = [];
    starting = true;
    const steps = fullSteps();
    running = steps;
    slice(steps);
  };
  const slice = (steps: Generator<void, void>) => {
    if (steps !== running) return; // replaced by a newer full read
    if (opts.signal.aborted) {
      running = null;
      starting = false;
      return;
    }
    const t0 = performance.now();
    for (;;) {
      if (steps.next().done) break;
      if (performance.now() - t0 >= sliceMs) {
        setTimeout(() => slice(steps), 0);
        return;
      }
    }
    running = null;
    starting = false;
    // Mutations that came while the rows were being read: now that the rows are known, as usual.
    if (pending.length > 0 && !scheduled && !opts.signal.aborted) {
      scheduled = true;
      schedule(flush);
    }
  };
  function* fullSteps(): Generator<void, void> {
    const readOpts: ReadOptions = { ...opts.read, now: clock() };
    const { planned, reason, chainLike } = yield* planGridsSteps(root, readOpts);
    if (opts.signal.aborted) return;
    if (!planned) {
      given = null;
      opts.onChange(
        {
          ok: false,
          reason: reason ?? 'no option chain found',
          ...(chainLike ? { chainLike: true as const } : {}),
          report: {
            adapter: 'generic-table',
            rowsRead: 0,
            rowsDropped: 0,
            dropped: [],
            flagged: [],
            confidence: 0,
            notes: [],
          },
        },
        flushing,
      );
      return;
    }
    const read = yield* readPlannedSteps(root, readOpts, planned);
    let n = 0;
    for (const e of read.entries) {
      if (++n % ROWS_PER_STEP === 0) yield;
      const w: Watched = { entry: e, stamp: 0, nodes: CELLS_ONLY };
      rows.set(e.row.el, w);
      for (const c of e.row.cells) cells.set(c.el, { cell: c, row: w });
    }
    yield;
    reading = read;
    gridEls = read.plans.map((p) => p.grid.el);
    outside = [];
    lastPageRead = clock().getTime();
    assembly = yield* assembleSteps(read);
    emit(assembly, true);
  }

  const rowOf = (node: Node | null): Watched | null => {
    for (let n = node, depth = 0; n && n !== root && depth < 12; n = n.parentNode, depth++) {
      const e = rows.get(n);
      if (e) return e;
    }
    return null;
  };

  /** Time in the observer's callbacks since the last update (ms). */
  let observedMs = 0;
  const flush = () => {
    const t0 = performance.now();
    flushing = true;
    try {
      flushNow();
    } finally {
      flushing = false;
    }
    const ms = performance.now() - t0 + observedMs;
    observedMs = 0;
    opts.onFlush?.(ms);
  };

  const flushNow = () => {
    scheduled = false;
    if (opts.signal.aborted || starting) return; // starting: the first read's finish() flushes what came
    const t0 = performance.now();
    const batch = pending;
    pending = [];
    // A chain grid gone from the page (an SPA replaced its container): read the page again.
    if (!reading || !assembly || batch.length > largeBatch * 25 || gridEls.some((g) => !g.isConnected)) {
      full();
      stats.lastFlushMs = performance.now() - t0;
      return;
    }
    // Each changed row once, with the nodes that changed in it (Watched.nodes).
    const stamp = ++updates;
    let nChanged = 0;
    let needFull = false;
    /** Cells whose own text was set (target: the cell): read again below, no walk up the tree. */
    let nDirty = 0;
    for (let i = 0; i < batch.length; i++) {
      const rec = batch[i]!;
      const owner = cells.get(rec.target);
      if (owner) {
        dirty[nDirty++] = owner.cell;
        const w = owner.row;
        if (w.stamp !== stamp) {
          w.stamp = stamp;
          w.nodes = CELLS_ONLY;
          changed[nChanged++] = w;
        }
        continue;
      }
      const w = rowOf(rec.target);
      if (w) {
        if (w.stamp !== stamp) {
          w.stamp = stamp;
          w.nodes = CELLS_ONLY;
          changed[nChanged++] = w;
        }
        // A row's own children added/removed (cells re-rendered) is still that row; a whole row added is not.
        if (rec.target === w.entry.row.el) w.nodes = null;
        else if (w.nodes === CELLS_ONLY) w.nodes = [rec.target];
        else if (w.nodes) w.nodes.push(rec.target);
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
      if (outside !== 'many') {
        if (outside.length >= 64) outside = 'many';
        else outside.push(rec.target);
      }
    }
    if (needFull || nChanged > largeBatch) {
      full();
      stats.lastFlushMs = performance.now() - t0;
      return;
    }
    const now = clock();
    for (let i = 0; i < nDirty; i++) dirty[i]!.text = cellText(dirty[i]!.el);
    const reread: { entry: RowEntry; before: RowReading }[] = [];
    for (let i = 0; i < nChanged; i++) {
      const w = changed[i]!;
      const e = w.entry;
      const nodes = w.nodes;
      // Cells replaced under a row (a framework re-rendering the row): the grid is re-planned. (A row gone needs no
      // check here: its removal is a record on its parent, in the grid, so this batch or an earlier one reads the
      // page again. Records of mutations made before this frame have all been delivered when it runs.)
      if (nodes === null && e.row.cells.some((c) => !c.el.isConnected)) {
        needFull = true;
        break;
      }
      // Only the cells a mutation touched get their text again (a tick is usually bid and ask, not the row).
      if (nodes === null) for (const c of e.row.cells) c.text = cellText(c.el);
      else if (nodes !== CELLS_ONLY && !retext(e, nodes)) {
        needFull = true;
        break;
      }
      w.nodes = CELLS_ONLY; // the nodes are not kept past this update
      const before = e.reading;
      e.reading = readRow(e.plan, e.row, e.band, now);
      reread.push({ entry: e, before });
      stats.rowsReread++;
      if (before.kind !== e.reading.kind && (before.kind === 'band' || e.reading.kind === 'band')) {
        needFull = true;
        break;
      }
    }
    if (needFull) {
      full();
      stats.lastFlushMs = performance.now() - t0;
      return;
    }
    const pageRead = readPage(now);
    if (reread.length > 0 || pageRead) {
      reading.now = now;
      stats.incrementalReads++;
      // Only new quotes in known rows: the chain is patched, not assembled again.
      const next = reassemble(assembly, reading, reread);
      assembly = next ?? assemble(reading);
      emit(assembly, next === null);
    }
    stats.lastFlushMs = performance.now() - t0;
  };

  /** The text of the cells that mutated nodes belong to; false when a node is in no known cell (re-plan). */
  const retext = (e: RowEntry, nodes: Node[]): boolean => {
    for (const n of nodes) {
      let cell: GridCell | undefined;
      for (let x: Node | null = n, depth = 0; x && x !== e.row.el && depth < 8; x = x.parentNode, depth++) {
        cell = cells.get(x)?.cell;
        if (cell) break;
      }
      // A node between the cells (not inside one): re-read every cell of the row.
      if (!cell) {
        if (e.row.cells.some((c) => !c.el.isConnected)) return false;
        for (const c of e.row.cells) c.text = cellText(c.el);
        return true;
      }
      cell.text = cellText(cell.el);
    }
    return true;
  };

  /**
   * The underlying's price, the VIX and the quotes' time live outside the rows. The elements they were read from
   * are read again on every update they change in (the price follows the ticks); anything else around the chain
   * changing means reading the whole page around it again, at most once a second — at once when a figure no
   * longer reads where it was.
   */
  const readPage = (now: Date): boolean => {
    if (!reading || (outside !== 'many' && outside.length === 0)) return false;
    const sources = reading.page.sources;
    let rest: Node[] | 'many' = outside;
    let read = false;
    let lost = false;
    if (sources) {
      const inSources = (n: Node) => sources.nodes.some((s) => s === n || s.contains(n));
      if (rest !== 'many') rest = rest.filter((n) => !inSources(n));
      if (rest === 'many' || rest.length < (outside as Node[]).length) {
        const again = sources.reread(reading.page);
        if (again) {
          reading.page = again;
          read = true;
        } else lost = true;
      }
    }
    outside = rest;
    if (rest !== 'many' && rest.length === 0) return read;
    const wait = lost ? 0 : 1000 - (now.getTime() - lastPageRead);
    if (wait > 0) {
      // A trailing read, so the last change is not left unread when the page goes quiet.
      pageTimer ??= setTimeout(() => {
        pageTimer = null;
        if (!scheduled && !opts.signal.aborted) {
          scheduled = true;
          schedule(flush);
        }
      }, wait);
      return read;
    }
    outside = [];
    lastPageRead = now.getTime();
    const adapter = SITES.find((a) => a.id === reading?.adapter) ?? null;
    reading.page = pageContextOf(root, { ...opts.read, now }, adapter, reading.plans, reading.entries);
    return true;
  };

  // The root's own window first: an observer from another realm may not see its nodes (happy-dom in Node).
  const view = ((root as Node).ownerDocument ?? (root as Document)).defaultView as unknown as {
    MutationObserver?: typeof MutationObserver;
  } | null;
  const MO = view?.MutationObserver ?? (globalThis as { MutationObserver?: typeof MutationObserver }).MutationObserver;
  let observer: MutationObserver | null = null;
  if (!opts.signal.aborted) {
    full();
    if (MO) {
      observer = new MO((records) => {
        if (opts.signal.aborted) return;
        const t0 = performance.now();
        // The observer's list is ours to keep: no copy when nothing is waiting (the usual case).
        if (pending.length === 0) pending = records;
        else for (const r of records) pending.push(r);
        if (!scheduled) {
          scheduled = true;
          schedule(flush);
        }
        observedMs += performance.now() - t0;
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
        assembly = null;
        given = null;
        rowIndex = null;
        if (pageTimer !== null) clearTimeout(pageTimer);
        pageTimer = null;
      },
      { once: true },
    );
  }
  let rowIndex: { places: Assembly['places']; rows: Map<number, Element>[] } | null = null;
  const rowElement = (forLayout: number | undefined, e: number, r: number): Element | null => {
    if (!given || forLayout === undefined || forLayout !== given.layout) return null;
    if (rowIndex?.places !== given.places) {
      const rows: Map<number, Element>[] = [];
      for (const [entry, place] of given.places) {
        const m = (rows[place.e] ??= new Map());
        if (!m.has(place.r)) m.set(place.r, entry.row.el);
      }
      rowIndex = { places: given.places, rows };
    }
    return rowIndex.rows[e]?.get(r) ?? null;
  };
  return { stats, rowOf: rowElement };
}
