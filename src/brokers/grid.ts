/**
 * Finding grids on a page: HTML tables, ARIA grids, and div/CSS-grid layouts whose header and body live in
 * different containers. A Grid is cells placed on logical columns (colspan expanded), nothing more: what the
 * columns mean is decided by the reader.
 */
import { cellText, priceOf } from './cellText';
import { classifyHeader, sideWord } from './headers';

export interface GridCell {
  el: Element;
  text: string;
  col: number;
  span: number;
  /**
   * The last parse of this cell's text, the text it was of and the parser (see parsedCell in read.ts): a live re-read
   * parses only cells that changed. Fields of the cell, not an object of their own: a 1,000-row chain has some ten
   * thousand cells, all alive as long as the page's rows, and each object more is one more for the page's collector
   * to mark on every cycle.
   */
  memoText: string | null;
  memoParse: unknown;
  memoValue: unknown;
}

export interface GridRow {
  el: Element;
  cells: GridCell[];
  /** Sort key for rows that sit out of DOM order (virtualised lists); DOM order otherwise. */
  order: number;
}

export interface Grid {
  kind: 'table' | 'aria' | 'div' | 'css-grid';
  el: Element;
  headerRows: GridCell[][];
  rows: GridRow[];
  /** Rows were positioned (aria-rowindex, transform, top), so DOM order is not reading order. */
  positioned: boolean;
}

const ROW_ROLES = '[role="row"]';

function childElements(el: Element): Element[] {
  return Array.from(el.children);
}

function span(el: Element): number {
  const n = Number(el.getAttribute('colspan') ?? el.getAttribute('aria-colspan') ?? 1);
  return Number.isFinite(n) && n >= 1 ? Math.min(Math.floor(n), 100) : 1;
}

/**
 * A cell as read now, its memo empty. The one place cells are made: every cell has the same shape from the start
 * (its memo fields included), since the reader reads them on every tick and cells of two shapes would make each of
 * those reads a slower, polymorphic one.
 */
export function gridCell(el: Element, col: number, span = 1): GridCell {
  return { el, text: cellText(el), col, span, memoText: null, memoParse: null, memoValue: null };
}

function placeCells(cells: Element[]): GridCell[] {
  const out: GridCell[] = [];
  let col = 0;
  for (const el of cells) {
    const ci = Number(el.getAttribute('aria-colindex'));
    if (Number.isFinite(ci) && ci >= 1) col = Math.max(col, ci - 1);
    const s = span(el);
    out.push(gridCell(el, col, s));
    col += s;
  }
  return out;
}

/** An element a person does not see: hidden, aria-hidden, a tooltip or popover, display:none written inline. */
function unseen(el: Element): boolean {
  if (el.hasAttribute('hidden') || el.getAttribute('aria-hidden') === 'true') return true;
  const role = el.getAttribute('role');
  if (role === 'tooltip' || role === 'dialog') return true;
  const tag = el.tagName.toLowerCase();
  if (tag === 'template' || tag === 'script' || tag === 'style' || tag === 'svg') return true;
  const cls = typeof el.className === 'string' ? el.className : (el.getAttribute('class') ?? '');
  if (/(?:^|[\s_-])(tool-?tip|popover|tip-?text|help-?text|hint|sr-only|visually-hidden|screen-?reader)/i.test(cls))
    return true;
  const style = el.getAttribute('style') ?? '';
  return /display\s*:\s*none|visibility\s*:\s*hidden/i.test(style);
}

/** The text a person sees in a cell: unseen descendants (tooltips, hidden help) left out. */
function seenText(el: Element): string {
  let out = '';
  const walk = (n: Node) => {
    for (let c = n.firstChild; c; c = c.nextSibling) {
      if (c.nodeType === 3) out += c.nodeValue ?? '';
      else if (c.nodeType === 1 && !unseen(c as Element)) walk(c);
    }
  };
  walk(el);
  return out.replace(/[\s\u00a0\u202f]+/g, ' ').trim();
}

/** The first non-empty text node of a cell (the label, before any help text that follows it). */
function firstText(el: Element): string {
  const doc = el.ownerDocument;
  const w = doc?.createTreeWalker?.(el, 4);
  if (!w) return '';
  for (let n = w.nextNode(); n; n = w.nextNode()) {
    const t = (n.nodeValue ?? '').replace(/[\s\u00a0\u202f]+/g, ' ').trim();
    if (t) return t;
  }
  return '';
}

/**
 * A header cell's label as a person reads it. Header cells often carry help text (a tooltip span holding a
 * sentence, hidden by a stylesheet that a saved page may not have): the whole text is tried first, then the
 * rendered text when a layout engine is there (innerText), the aria-label, the text without unseen parts, the
 * first text node, and the title; the first that names a column (or a Calls/Puts group) wins.
 */
export function headerLabel(el: Element, full = cellText(el)): string {
  if (full.length <= 40 && (classifyHeader(full) || sideWord(full))) return full;
  const inner = (el as { innerText?: unknown }).innerText;
  const candidates = [
    typeof inner === 'string' && inner !== (el.textContent ?? '') ? inner.replace(/\s+/g, ' ').trim() : '',
    el.getAttribute('aria-label') ?? '',
    seenText(el),
    firstText(el),
    el.getAttribute('title') ?? '',
  ];
  for (const c of candidates) if (c && c.length <= 40 && (classifyHeader(c) || sideWord(c))) return c;
  const seen = candidates[2]!;
  return seen && seen.length < full.length ? seen : full;
}

/** Header cells carry their label as the text (see headerLabel). */
function asHeader(cells: GridCell[]): GridCell[] {
  for (const c of cells) c.text = headerLabel(c.el, c.text);
  return cells;
}

function headerScoreOf(cells: GridCell[]): number {
  let n = 0;
  for (const c of cells) if (classifyHeader(headerLabel(c.el, c.text))) n++;
  return n;
}

/** Position of a row from aria-rowindex, data-index, style top or translateY; null when not positioned. */
export function rowPosition(el: Element): number | null {
  const ari = el.getAttribute('aria-rowindex');
  if (ari !== null && ari !== '' && Number.isFinite(Number(ari))) return Number(ari);
  for (const a of ['data-index', 'data-row-index', 'data-rowindex', 'data-item-index']) {
    const v = el.getAttribute(a);
    if (v !== null && v !== '' && Number.isFinite(Number(v))) return Number(v);
  }
  const style = el.getAttribute('style') ?? '';
  const t =
    /translate(?:Y|3d)?\(\s*(?:[-\d.]+px\s*,\s*)?([-\d.]+)px/.exec(style) ??
    /(?:^|;|\s)top\s*:\s*([-\d.]+)px/.exec(style);
  if (t) return Number(t[1]);
  return null;
}

function orderRows(rows: GridRow[]): boolean {
  const pos = rows.map((r) => rowPosition(r.el));
  const positioned = pos.length > 0 && pos.every((p) => p !== null);
  if (positioned) {
    rows.forEach((r, i) => (r.order = pos[i]!));
    rows.sort((a, b) => a.order - b.order);
  }
  return positioned;
}

function headerScore(cells: { text: string }[]): number {
  let n = 0;
  for (const c of cells) if (c.text.length < 40 && classifyHeader(c.text)) n++;
  return n;
}

function isNumericText(t: string): boolean {
  return priceOf(t) !== null;
}

/* ------------------------------------------------------------------ tables */

function tableRows(table: Element): Element[] {
  const out: Element[] = [];
  for (const c of childElements(table)) {
    const tag = c.tagName.toLowerCase();
    if (tag === 'tr') out.push(c);
    else if (tag === 'thead' || tag === 'tbody' || tag === 'tfoot')
      for (const r of childElements(c)) if (r.tagName.toLowerCase() === 'tr') out.push(r);
  }
  return out;
}

/**
 * Rows read between two pauses of a stepped reading (see drain): 1-2 ms of a page's main thread on a 2-core laptop.
 * The watcher runs the steps in slices of about 15 ms, checking the clock between steps, so a slice overruns by at
 * most one step: with 500 rows a step (10 ms there) a slice of the first read took 43 ms on a 1,000-row page (3 Dec,
 * `npm run bench -- page`). Everything else drains the steps at once.
 */
export const ROWS_PER_STEP = 100;

/** Runs a stepped reading to its end, at once. */
export function drain<T>(steps: Generator<void, T>): T {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

function* readTable(table: Element): Generator<void, Grid> {
  const headerRows: GridCell[][] = [];
  const rows: GridRow[] = [];
  let i = 0;
  for (const tr of tableRows(table)) {
    if (i > 0 && i % ROWS_PER_STEP === 0) yield;
    const cellEls = childElements(tr).filter((c) => /^(td|th)$/i.test(c.tagName));
    const cells = placeCells(cellEls);
    const inHead = tr.parentElement?.tagName.toLowerCase() === 'thead';
    const allTh = cellEls.length > 0 && cellEls.every((c) => c.tagName.toLowerCase() === 'th');
    // A number in the row first: one parse settles a data row, where scoring headers costs every cell.
    const looksHeader = !cells.some((c) => isNumericText(c.text)) && headerScoreOf(cells) >= 2;
    if ((inHead || allTh || looksHeader) && (rows.length === 0 || looksHeader)) headerRows.push(asHeader(cells));
    else rows.push({ el: tr, cells, order: i });
    i++;
  }
  const grid: Grid = { kind: 'table', el: table, headerRows, rows, positioned: false };
  grid.positioned = orderRows(rows);
  return grid;
}

/* ------------------------------------------------------------------ ARIA grids */

function* readAria(gridEl: Element): Generator<void, Grid> {
  const headerRows: GridCell[][] = [];
  const rows: GridRow[] = [];
  let i = 0;
  for (const row of Array.from(gridEl.querySelectorAll(ROW_ROLES))) {
    if (i > 0 && i % ROWS_PER_STEP === 0) yield;
    if (row.parentElement?.closest('[role="grid"],[role="treegrid"],[role="table"]') !== gridEl) continue;
    const cellEls = Array.from(
      row.querySelectorAll('[role="columnheader"],[role="gridcell"],[role="cell"],[role="rowheader"]'),
    ).filter((c) => c.closest(ROW_ROLES) === row);
    const cells = placeCells(cellEls);
    const isHeader = cellEls.length > 0 && cellEls.every((c) => c.getAttribute('role') === 'columnheader');
    if (isHeader) headerRows.push(asHeader(cells));
    else rows.push({ el: row, cells, order: i });
    i++;
  }
  const grid: Grid = { kind: 'aria', el: gridEl, headerRows, rows, positioned: false };
  grid.positioned = orderRows(rows);
  return grid;
}

/* ------------------------------------------------------------------ div / CSS-grid layouts */

/** Leaf-ish elements whose own text is a Strike header, outside any table or ARIA grid already read. */
function strikeHeaderLeaves(root: ParentNode, taken: Element[]): Element[] {
  const out: Element[] = [];
  const all = root.querySelectorAll('div,span,p,li,label,strong,b,button,header');
  for (const el of Array.from(all)) {
    if (el.childElementCount > 3) continue;
    const t = cellText(el);
    if (t.length > 30 || classifyHeader(t)?.field !== 'strike') continue;
    if (taken.some((g) => g.contains(el))) continue;
    // keep the innermost: skip if a child already qualifies
    if (Array.from(el.children).some((c) => classifyHeader(cellText(c))?.field === 'strike')) continue;
    out.push(el);
  }
  return out;
}

function findHeaderRow(leaf: Element): Element | null {
  let el: Element | null = leaf;
  for (let up = 0; up < 5 && el; up++) {
    const parent: Element | null = el.parentElement;
    if (!parent) return null;
    const kids = childElements(parent);
    if (kids.length >= 3) {
      const score = headerScore(kids.slice(0, 60).map((k) => ({ text: headerLabel(k) })));
      if (score >= 2) return parent;
    }
    el = parent;
  }
  return null;
}

function divGrid(headerRow: Element): Grid | null {
  const headerEls = childElements(headerRow);
  // CSS grid with header and body cells as siblings in one container: the header is the leading run of non-numeric cells.
  let lead = 0;
  while (lead < headerEls.length && !isNumericText(cellText(headerEls[lead]!))) lead++;
  if (lead >= 3 && lead < headerEls.length && headerEls.length >= lead * 2) {
    const rows: GridRow[] = [];
    for (let s = lead, r = 0; s + lead <= headerEls.length; s += lead, r++) {
      const slice = headerEls.slice(s, s + lead);
      rows.push({ el: slice[0]!, cells: placeCells(slice), order: r });
    }
    return {
      kind: 'css-grid',
      el: headerRow,
      headerRows: [asHeader(placeCells(headerEls.slice(0, lead)))],
      rows,
      positioned: false,
    };
  }
  const headerCells = asHeader(placeCells(headerEls));
  const n = headerEls.length;
  const strikeIdx = headerCells.findIndex((c) => classifyHeader(c.text)?.field === 'strike');
  let scope: Element | null = headerRow.parentElement;
  for (let up = 0; up < 6 && scope; up++, scope = scope.parentElement) {
    const found: Element[] = [];
    for (const el of Array.from(scope.querySelectorAll('*'))) {
      if (el === headerRow || el.contains(headerRow) || headerRow.contains(el)) continue;
      if (el.childElementCount !== n) continue;
      const kids = el.children;
      const strikeText = cellText(kids[strikeIdx < 0 ? 0 : strikeIdx]!);
      if (!isNumericText(strikeText)) continue;
      if (found.length > 0 && found[found.length - 1]!.contains(el)) continue;
      found.push(el);
    }
    if (found.length > 0) {
      const rows = found.map((el, i) => ({ el, cells: placeCells(childElements(el)), order: i }));
      // The rows' own container carries the expiry heading of a section ("Mar 20 '26 6d" above the strikes).
      const parent = found[0]!.parentElement;
      const body = parent && found.every((f) => f.parentElement === parent) ? parent : scope;
      const grid: Grid = { kind: 'div', el: body, headerRows: [headerCells], rows, positioned: false };
      // A group row above the header ("Calls | | Puts") sits as the header row's previous sibling.
      const prev = headerRow.previousElementSibling;
      if (prev && prev.childElementCount >= 2 && prev.childElementCount < n)
        grid.headerRows.unshift(asHeader(placeCells(childElements(prev))));
      grid.positioned = orderRows(rows);
      return grid;
    }
  }
  return null;
}

/* ------------------------------------------------------------------ all */

/** Every candidate grid under root, in document order (tables, then ARIA grids, then div layouts). */
export function findGrids(root: ParentNode): Grid[] {
  return drain(findGridsSteps(root));
}

/** findGrids in steps (see drain). */
export function* findGridsSteps(root: ParentNode): Generator<void, Grid[]> {
  const grids: Grid[] = [];
  const rootEl = (root as Element).tagName ? (root as Element) : null;
  const tables: Element[] = Array.from(root.querySelectorAll('table'));
  if (rootEl?.tagName.toLowerCase() === 'table') tables.unshift(rootEl);
  for (const t of tables) grids.push(yield* readTable(t));
  const ariaEls = Array.from(root.querySelectorAll('[role="grid"],[role="treegrid"],[role="table"]')).filter(
    (e) => e.tagName.toLowerCase() !== 'table',
  );
  if (
    rootEl &&
    /^(grid|treegrid|table)$/.test(rootEl.getAttribute('role') ?? '') &&
    rootEl.tagName.toLowerCase() !== 'table'
  )
    ariaEls.unshift(rootEl);
  for (const g of ariaEls) grids.push(yield* readAria(g));
  yield;
  const taken: Element[] = [...tables, ...ariaEls];
  const seenHeaders = new Set<Element>();
  for (const leaf of strikeHeaderLeaves(root, taken)) {
    const hr = findHeaderRow(leaf);
    if (!hr || seenHeaders.has(hr)) continue;
    seenHeaders.add(hr);
    const g = divGrid(hr);
    if (g) grids.push(g);
  }
  return grids;
}
