/**
 * Reading any broker's option chain (issue 4). Pure: takes the root it reads, no globals, so the same code
 * runs in the content script, in Node (happy-dom) and in tests. Never returns an empty success: a page with
 * no chain gives ok:false with the reason.
 */
import { drain, findGridsSteps, type Grid } from './grid';
import { readPageContext } from './page';
import {
  assemble,
  planGrid,
  readPlanRowsSteps,
  type Assembly,
  type GridPlan,
  type PageContext,
  type Reading,
  type RowEntry,
} from './read';
import { SITES } from './sites';
import { adapterForPage, adapterForUrl, safeQuery } from './sites/match';
import type { SiteAdapter } from './sites/types';
import { profileGrid } from './teach';
import type { ReadOptions, ReadResult, ReadingReport } from './types';
import { underlyingForRoot } from '../chain/importers/cboe';
import { findDate } from './dates';
import { classifyHeader } from './headers';

export type { ReadingReport, ReadResult, ReadOptions, VixSighting } from './types';
export type { TeachProfile } from '../shared/teachProfile';
export { mergeChains, createChainMerger } from './merge';

function emptyReport(adapter: string, notes: string[]): ReadingReport {
  return { adapter, rowsRead: 0, rowsDropped: 0, dropped: [], flagged: [], confidence: 0, notes };
}

function chainRoots(root: ParentNode, adapter: SiteAdapter | null): ParentNode[] {
  for (const sel of adapter?.hints.chain ?? []) {
    const el = safeQuery(root, sel);
    if (el) return [el];
  }
  return [root];
}

/**
 * First half of a reading: find the grids that are chains and plan how to read them (no row read yet). The
 * watcher can read the rows in a later task, so a large chain's first read is not one long task.
 */
export function planGrids(
  root: ParentNode,
  opts: ReadOptions = {},
): { planned: Planned | null; reason: string | null; grids: Grid[]; chainLike: boolean } {
  return drain(planGridsSteps(root, opts));
}

/** planGrids in steps (see drain in grid.ts): the watcher reads a large page in slices, not in one long task. */
export function* planGridsSteps(
  root: ParentNode,
  opts: ReadOptions = {},
): Generator<void, { planned: Planned | null; reason: string | null; grids: Grid[]; chainLike: boolean }> {
  const byUrl = opts.url ? adapterForUrl(SITES, opts.url) : null;
  const adapter = byUrl ?? adapterForPage(SITES, root);
  let adapterName = opts.profile ? `teach:${opts.profile.host}` : (adapter?.id ?? 'generic-table');
  const notes: string[] = [];
  if (adapter)
    notes.push(
      `site adapter ${adapter.id} (${adapter.verified === 'real-page' ? 'verified on a real page' : 'authored, not verified on a real page'})`,
    );
  let grids: Grid[] = [];
  const plans: GridPlan[] = [];
  const reasons: string[] = [];
  let taught = false;
  if (opts.profile) {
    const p = profileGrid(root, opts.profile, opts.now);
    if ('reason' in p) {
      // A profile is per site, and a site has pages it was not taught on: the detector reads those.
      reasons.push(`taught profile: ${p.reason}`);
      notes.push(`the profile taught for ${opts.profile.host} reads nothing here (${p.reason}): read by the detector`);
      adapterName = adapter?.id ?? 'generic-table';
    } else {
      taught = true;
      grids = [p.plan.grid];
      plans.push(p.plan);
      for (const n of p.plan.notes) if (!notes.includes(n)) notes.push(n);
    }
  }
  if (!taught) {
    for (const r of chainRoots(root, adapter)) grids.push(...(yield* findGridsSteps(r)));
    for (const g of grids) {
      yield; // a grid's plan reads its header and column cells: a step of its own (10 ms on a 1,000-row page)
      const res = planGrid(g, adapter?.headerAliases, opts.now);
      if ('plan' in res) {
        plans.push(res.plan);
        for (const n of res.plan.notes) if (!notes.includes(n)) notes.push(n);
      } else if (g.rows.length > 0 || g.headerRows.length > 0) reasons.push(res.reason);
    }
  }
  if (plans.length === 0) {
    const reason =
      grids.length === 0 && !opts.profile && reasons.length === 0
        ? 'no table or grid on the page (no column headed Strike)'
        : `no option chain found: ${[...new Set(reasons)].slice(0, 3).join('; ') || 'no column headed Strike'}`;
    return { planned: null, reason, grids, chainLike: grids.some(chainLikeGrid) };
  }
  // Grids nested in other chain grids (a layout table around the real one) read once: keep the innermost.
  const kept = plans.filter(
    (p) => !plans.some((q) => q !== p && p.grid.el.contains(q.grid.el) && q.grid.rows.length > 0),
  );
  return { planned: { adapter, adapterName, notes, plans: kept }, reason: null, grids, chainLike: true };
}

const CHAIN_MARKS = new Set(['strike', 'bid', 'ask', 'bidAsk', 'iv']);

/** A grid whose header names three or more chain columns, Strike, Bid, Ask or IV among them. */
export function chainLikeGrid(g: Grid): boolean {
  return g.headerRows.some((hr) => {
    const fields = hr.map((c) => classifyHeader(c.text)?.field).filter((f) => f !== undefined);
    return fields.length >= 3 && fields.some((f) => CHAIN_MARKS.has(f));
  });
}

/** What planGrids found: the chain grids and how to read them, before any row is read. */
export interface Planned {
  adapter: SiteAdapter | null;
  adapterName: string;
  notes: string[];
  plans: GridPlan[];
}

/** Second half of a reading: every row of the planned grids, then the page around them. */
export function readPlanned(root: ParentNode, opts: ReadOptions, planned: Planned): Reading {
  return drain(readPlannedSteps(root, opts, planned));
}

/** readPlanned in steps (see drain in grid.ts). */
export function* readPlannedSteps(root: ParentNode, opts: ReadOptions, planned: Planned): Generator<void, Reading> {
  const entries: RowEntry[] = [];
  for (const p of planned.plans) entries.push(...(yield* readPlanRowsSteps(p, entries.length, opts.now)));
  yield;
  const page = pageContextOf(root, opts, planned.adapter, planned.plans, entries);
  return { adapter: planned.adapterName, plans: planned.plans, entries, page, notes: planned.notes, now: opts.now };
}

/** Plan the reading of a page: which grids are chains and how to read them. Exposed for the watcher. */
export function planReading(
  root: ParentNode,
  opts: ReadOptions = {},
): { reading: Reading | null; reason: string | null; grids: Grid[] } {
  const { planned, reason, grids } = planGrids(root, opts);
  return { reading: planned ? readPlanned(root, opts, planned) : null, reason, grids };
}

/**
 * The page around the chain, with the fallbacks the rows allow: no symbol in headings, title or URL → the option
 * root in the rows names it (and its price is looked for again); no price on the page → a band row's price.
 * The watcher re-reads the page through this too, so a later re-read keeps what the first one found.
 */
export function pageContextOf(
  root: ParentNode,
  opts: ReadOptions,
  adapter: SiteAdapter | null,
  plans: readonly GridPlan[],
  entries: readonly RowEntry[],
): PageContext {
  const skip = plans.map((p) => p.grid.el);
  const roots: string[] = [];
  for (const e of entries) if (e.reading.kind === 'data' && e.reading.root) roots.push(e.reading.root);
  const tradeDate = latestTradeDate(plans, entries);
  let page = readPageContext(root, { ...opts, skip, roots, tradeDate }, adapter);
  if (!page.symbol) {
    let r: string | null = roots[0] ?? null;
    for (const p of plans) r ??= p.context.root;
    if (r) page = readPageContext(root, { ...opts, skip, tradeDate, symbolHint: underlyingForRoot(r) }, adapter);
  }
  if (!page.price) {
    for (const e of entries)
      if (e.reading.kind === 'band' && e.reading.price !== null) {
        page.price = e.reading.price;
        break;
      }
  }
  return page;
}

/** The latest date in the chain's Last Trade Date column (see GridPlan.tradeDateCol), or null. */
function latestTradeDate(plans: readonly GridPlan[], entries: readonly RowEntry[]): string | null {
  if (!plans.some((p) => p.tradeDateCol !== null)) return null;
  let latest: string | null = null;
  for (const e of entries) {
    const col = e.plan.tradeDateCol;
    if (col === null || e.reading.kind !== 'data') continue;
    const cell = e.row.cells.find((c) => col >= c.col && col < c.col + c.span);
    const d = cell ? findDate(cell.text) : null;
    if (d && (!latest || d > latest)) latest = d;
  }
  return latest;
}

export function resultOf(reading: Reading): ReadResult {
  return resultOfAssembly(assemble(reading));
}

/** The result of an assembled chain; `layout` as ReadResult says (the watcher's). */
export function resultOfAssembly(a: Assembly, layout?: number): ReadResult {
  // A planned chain that gave no rows is a chain the reader could not read.
  if (!a.chain) return { ok: false, reason: a.reason ?? 'no chain', report: a.report, chainLike: true };
  const r: ReadResult = { ok: true, chain: a.chain, report: a.report, vixSightings: a.vix };
  if (layout !== undefined) {
    r.layout = layout;
    if (a.changes) r.changes = a.changes;
  }
  return r;
}

export function readChain(root: ParentNode, opts: ReadOptions = {}): ReadResult {
  try {
    const { planned, reason, chainLike } = planGrids(root, opts);
    if (!planned)
      return {
        ok: false,
        reason: reason ?? 'no option chain found',
        report: emptyReport(opts.profile ? 'teach' : 'generic-table', []),
        ...(chainLike ? { chainLike: true as const } : {}),
      };
    const reading = readPlanned(root, opts, planned);
    return resultOf(reading);
  } catch (err) {
    // A reader on a page we do not control must not take the content script down with it.
    const msg = err instanceof Error ? err.message : String(err);
    return {
      ok: false,
      reason: `reader error: ${msg}`,
      report: emptyReport('generic-table', [`internal error: ${msg}`]),
    };
  }
}
