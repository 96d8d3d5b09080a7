/**
 * Teach mode, the pure part: from one row's strike and bid cells, infer the rows and columns of a layout the
 * generic detector missed, as a plain-JSON profile that readChain can use (opts.profile).
 */
import { cellText, priceOf } from './cellText';
import { findGrids, gridCell, type Grid, type GridRow } from './grid';
import { classifyHeader, type Side } from './headers';
import { aliasKey, cellAt, planGrid, QUOTE_FIELDS, surroundings, type ColSpec, type GridPlan } from './read';
import type { Field, TeachProfile } from '../shared/teachProfile';
import type { ReadResult } from './types';

const STATE_CLASS =
  /^(active|selected|hover|focus|odd|even|first|last|in-the-money|itm|otm|atm|highlight(ed)?|up|down|green|red|flash.*|is-.*|has-.*)$/i;

function stableClasses(el: Element): string[] {
  return Array.from(el.classList).filter(
    (c) =>
      !STATE_CLASS.test(c) &&
      !/^[a-z]{1,3}-[A-Za-z0-9]{5,}$/.test(c) &&
      !/[0-9a-f]{5,}/i.test(c) &&
      /^[A-Za-z_-][\w-]*$/.test(c),
  );
}

function cssEscape(s: string): string {
  return s.replace(/([^\w-])/g, '\\$1');
}

function step(el: Element): string {
  if (el.id && /^[A-Za-z][\w-]*$/.test(el.id) && !/\d{3,}/.test(el.id)) return `#${cssEscape(el.id)}`;
  const role = el.getAttribute('role');
  const cls = stableClasses(el)
    .slice(0, 2)
    .map((c) => `.${cssEscape(c)}`)
    .join('');
  return `${el.tagName.toLowerCase()}${role ? `[role="${role}"]` : ''}${cls}`;
}

/** A selector for the row and its siblings: a short path from the nearest ancestor with an id (or 4 levels). */
function rowSelector(row: Element, root: ParentNode): string {
  const parts = [step(row)];
  let cur = row.parentElement;
  for (let up = 0; up < 4 && cur && cur !== root; up++, cur = cur.parentElement) {
    const s = step(cur);
    parts.unshift(s);
    if (s.startsWith('#')) break;
  }
  return parts.join(' > ');
}

function rowCells(row: Element, cellSelector?: string): Element[] {
  if (cellSelector) {
    try {
      return Array.from(row.querySelectorAll(cellSelector));
    } catch {
      return [];
    }
  }
  return Array.from(row.children);
}

function commonAncestor(a: Element, b: Element): Element | null {
  let cur: Element | null = a;
  while (cur && !cur.contains(b)) cur = cur.parentElement;
  return cur;
}

function indexWithin(row: Element, cell: Element): number {
  const kids = Array.from(row.children);
  return kids.findIndex((k) => k === cell || k.contains(cell));
}

export interface TeachResult {
  ok: boolean;
  profile: TeachProfile;
  /** What the profile reads now, for the trader to confirm; reason when it reads nothing. */
  preview: {
    rows: { strike: number; bid: number | null; ask: number | null }[];
    rowCount: number;
    side: Side | null;
    reason?: string;
    /**
     * The page does not say whether the taught columns are calls or puts (no Calls/Puts label or header, the strike
     * at the edge of the row): ask the trader and infer again with `opts.side`.
     */
    needsSide?: boolean;
  };
}

/** Share of sample rows where the `ask` cell's value is at or above the `bid` cell's (rows with both numbers). */
function askAboveBid(rows: readonly Element[], bid: number, ask: number): { share: number; n: number } {
  let ok = 0;
  let n = 0;
  for (const r of rows.slice(0, 50)) {
    const b = priceOf(cellText(r.children[bid] ?? null));
    const a = priceOf(cellText(r.children[ask] ?? null));
    if (b === null || a === null) continue;
    n++;
    if (a >= b) ok++;
  }
  return { share: n > 0 ? ok / n : 0, n };
}

/**
 * The other side of a straddle row (calls | strike | puts) without a header: the taught bid and ask mapped across
 * the strike, either in the same order (Bid Ask | K | Bid Ask) or mirrored (Ask Bid | K | Bid Ask). A mapping is
 * taken only when its ask is at or above its bid on 90% of the rows and the other mapping's is not.
 */
function otherSide(
  rows: readonly Element[],
  width: number,
  si: number,
  bi: number,
  ai: number,
): { bid: number; ask: number } | null {
  const leftLen = si;
  const rightLen = width - si - 1;
  const maps: ((i: number) => number)[] = [(i) => 2 * si - i];
  if (leftLen === rightLen) maps.push((i) => (i < si ? i + si + 1 : i - si - 1));
  const fits = maps
    .map((f) => ({ bid: f(bi), ask: f(ai) }))
    .filter((m) => (bi < si ? m.bid > si && m.ask > si : m.bid < si && m.ask < si))
    .filter((m) => m.bid >= 0 && m.ask >= 0 && m.bid < width && m.ask < width && m.bid !== m.ask)
    .filter((m) => {
      const t = askAboveBid(rows, m.bid, m.ask);
      return t.n > 0 && t.share >= 0.9;
    });
  return fits.length === 1 ? fits[0]! : null;
}

export function inferFromClicks(
  root: ParentNode,
  clicks: { strikeCell: Element; bidCell: Element },
  host = '',
  opts: { side?: Side } = {},
): TeachResult {
  const row = commonAncestor(clicks.strikeCell, clicks.bidCell);
  const bad = (reason: string): TeachResult => ({
    ok: false,
    profile: { version: 1, host, rowSelector: '', columns: [], side: null },
    preview: { rows: [], rowCount: 0, side: null, reason },
  });
  if (!row || row === clicks.strikeCell || row === clicks.bidCell)
    return bad('the two cells must be different cells of the same row');
  const si = indexWithin(row, clicks.strikeCell);
  const bi = indexWithin(row, clicks.bidCell);
  if (si < 0 || bi < 0 || si === bi) return bad('could not tell the strike cell from the bid cell');
  const strikeBox = row.children[si]!;
  if (priceOf(cellText(strikeBox)) === null) {
    // Two clicks in two rows: their common ancestor is the list, and the "cells" are whole rows of several cells.
    const rowsNotCells =
      strikeBox !== clicks.strikeCell && strikeBox.children.length > 1 && row.children[bi]!.children.length > 1;
    return bad(
      rowsNotCells
        ? 'the two cells are in different rows: click a strike, then the Bid of that same row'
        : `the strike cell "${cellText(strikeBox).slice(0, 40)}" is not a number`,
    );
  }
  const selector = rowSelector(row, root);
  let siblings: Element[] = [];
  try {
    siblings = Array.from(root.querySelectorAll(selector));
  } catch {
    /* invalid selector: reported below */
  }
  if (!siblings.includes(row)) return bad('could not build a selector for this row');

  const grid = findGrids(root).find((g) => g.rows.some((r) => r.el === row));
  // A table with a header: read it as the reader reads any table, the clicked columns' labels understood.
  const byHeaders = grid ? teachByHeaders(grid, row, clicks, { host, selector, si, bi }) : null;
  if (byHeaders) return byHeaders;

  // Columns: the strike and bid taught; the rest from a header over the row if the page has one.
  const width = row.children.length;
  const columns: TeachProfile['columns'] = [{ index: si, field: 'strike', side: null }];
  const headerRow = grid?.headerRows[grid.headerRows.length - 1];
  const header = headerRow && headerRow.length === width ? headerRow : null;
  const ctx = surroundings(row.parentElement ?? row);
  // Cells on both sides of the strike and no Calls/Puts label around: calls on the left, puts on the right.
  const straddleRow = si > 0 && si < width - 1 && ctx.side === null;
  const bySide = (i: number): Side | null => (straddleRow ? (i < si ? 'call' : 'put') : ctx.side);
  const bidSide: Side | null =
    (header ? classifyHeader(header[bi]!.text)?.side : null) ?? bySide(bi) ?? opts.side ?? null;
  if (header) {
    header.forEach((h, i) => {
      const m = classifyHeader(h.text);
      if (!m || i === si || i === bi || m.field === 'strike') return;
      // An unsided header column is on the side of the strike it sits (straddle), or the table's one side.
      if (QUOTE_FIELDS.has(m.field)) columns.push({ index: i, field: m.field, side: m.side ?? bySide(i) ?? bidSide });
    });
  }
  if (bidSide === null) {
    const unsure = bad('the page does not say whether these are calls or puts (no Calls/Puts label near the rows)');
    unsure.preview.needsSide = true;
    return unsure;
  }
  columns.push({ index: bi, field: 'bid', side: bidSide });
  const taken = (i: number) => columns.some((c) => c.index === i);
  let askIndex = columns.find((c) => c.field === 'ask' && c.side === bidSide)?.index ?? null;
  if (askIndex === null) {
    // Guess the ask: the neighbouring cell away from the strike whose values are ≥ the bid on most rows.
    const cand = bi < si ? bi - 1 : bi + 1;
    const alt = bi < si ? bi + 1 : bi - 1;
    for (const k of [cand, alt]) {
      if (k < 0 || k === si || k >= width || taken(k)) continue;
      if (askAboveBid(siblings, bi, k).share >= 0.9) {
        columns.push({ index: k, field: 'ask', side: bidSide });
        askIndex = k;
        break;
      }
    }
  }
  // A straddle row without a header: the other side's bid and ask, mirrored across the strike. An iron condor
  // needs both calls and puts.
  const other: Side = bidSide === 'call' ? 'put' : 'call';
  if (straddleRow && askIndex !== null && !columns.some((c) => c.side === other)) {
    const o = otherSide(siblings, width, si, bi, askIndex);
    if (o && !taken(o.bid) && !taken(o.ask)) {
      columns.push({ index: o.bid, field: 'bid', side: other }, { index: o.ask, field: 'ask', side: other });
    }
  }
  const profile: TeachProfile = {
    version: 1,
    host,
    rowSelector: selector,
    columns,
    side: columns.every((c) => c.field === 'strike' || c.side === bidSide) ? bidSide : null,
  };
  const preview: TeachResult['preview'] = { rows: [], rowCount: 0, side: bidSide };
  const plan = profileGrid(root, profile);
  if ('reason' in plan) return { ok: false, profile, preview: { ...preview, reason: plan.reason } };
  for (const r of plan.plan.grid.rows) {
    const get = (f: string) => {
      const c = profile.columns.find((x) => x.field === f && x.side === bidSide);
      return c ? priceOf(cellText(r.cells[c.index]?.el ?? null)) : null;
    };
    const k = get('strike') ?? priceOf(cellText(r.cells[si]?.el ?? null));
    if (k === null) continue;
    preview.rowCount++;
    if (preview.rows.length < 5) preview.rows.push({ strike: k, bid: get('bid'), ask: get('ask') });
  }
  return { ok: preview.rowCount > 0, profile, preview };
}

/** The label over grid column `col`: the lowest header row's cell that covers it, or null. */
function headerText(grid: Grid, col: number): string | null {
  for (let h = grid.headerRows.length - 1; h >= 0; h--) {
    const t = cellAt(grid.headerRows[h]!, col)?.text.trim();
    if (t) return t;
  }
  return null;
}

/**
 * Teaching a table that has a header row: the labels over the two clicked cells become aliases (strike, bid; and
 * the ask beside the bid, when its values sit at or above the bid's), and the table is planned by the page reader
 * itself (planGrid), so sides and expiries come from wherever the reader finds them — band rows, the page's
 * selector, option symbols in links, the column order — instead of one side for the whole table. Taken only when
 * the reader's plan reads the clicked cells as the trader said (its strike column, a bid column); otherwise null and
 * the clicked columns alone make the profile.
 */
function teachByHeaders(
  grid: Grid,
  row: Element,
  clicks: { strikeCell: Element; bidCell: Element },
  at: { host: string; selector: string; si: number; bi: number },
): TeachResult | null {
  if (grid.headerRows.length === 0) return null;
  const gridRow = grid.rows.find((r) => r.el === row);
  const cellOf = (click: Element) => gridRow?.cells.find((c) => c.el === click || c.el.contains(click));
  const sc = cellOf(clicks.strikeCell);
  const bc = cellOf(clicks.bidCell);
  if (!sc || !bc) return null;
  const strikeLabel = headerText(grid, sc.col);
  const bidLabel = headerText(grid, bc.col);
  if (!strikeLabel || !bidLabel || aliasKey(strikeLabel) === aliasKey(bidLabel)) return null;
  const headers: Record<string, Field> = {};
  if (classifyHeader(strikeLabel)?.field !== 'strike') headers[aliasKey(strikeLabel)] = 'strike';
  const bidField = classifyHeader(bidLabel)?.field;
  if (bidField !== 'bid' && bidField !== 'bidAsk') headers[aliasKey(bidLabel)] = 'bid';

  const plan = () => planGrid(grid, headers);
  let res = plan();
  const bidCol = (p: GridPlan) => p.cols.find((c) => c.col === bc.col && (c.field === 'bid' || c.field === 'bidAsk'));
  if ('plan' in res && !res.plan.strikeCols.includes(sc.col)) return null;
  // No ask beside the taught bid: the neighbour (away from the strike first) whose values sit at or above the bid.
  const askOf = (p: GridPlan, side: Side | null) => p.cols.some((c) => c.field === 'ask' && c.side === side);
  const bidNow = 'plan' in res ? bidCol(res.plan) : undefined;
  if (!('plan' in res) || !bidNow || (bidNow.field === 'bid' && !askOf(res.plan, bidNow.side))) {
    const away = bc.col < sc.col ? -1 : 1;
    for (const k of [bc.col + away, bc.col - away]) {
      const label = k === sc.col ? null : headerText(grid, k);
      if (!label || classifyHeader(label) || aliasKey(label) in headers) continue;
      const askAt = (r: GridRow) => priceOf(cellAt(r.cells, k)?.text ?? '');
      const bidAt = (r: GridRow) => priceOf(cellAt(r.cells, bc.col)?.text ?? '');
      const pairs = grid.rows
        .slice(0, 50)
        .map((r) => [bidAt(r), askAt(r)])
        .filter((p): p is [number, number] => p[0] !== null && p[1] !== null);
      if (pairs.length > 0 && pairs.filter(([b, a]) => a >= b).length >= 0.9 * pairs.length) {
        headers[aliasKey(label)] = 'ask';
        res = plan();
        break;
      }
    }
  }
  if (!('plan' in res)) return null;
  const p = res.plan;
  const bidSpec = bidCol(p);
  if (!p.strikeCols.includes(sc.col) || !bidSpec) return null;
  const askSpec = p.cols.find((c) => c.field === 'ask' && c.side === bidSpec.side);
  const profile: TeachProfile = {
    version: 1,
    host: at.host,
    rowSelector: at.selector,
    columns: [
      { index: at.si, field: 'strike', side: null },
      { index: at.bi, field: 'bid', side: bidSpec.side },
    ],
    side: null,
    headers,
  };
  const preview: TeachResult['preview'] = { rows: [], rowCount: 0, side: bidSpec.side };
  for (const r of grid.rows) {
    const k = priceOf(cellAt(r.cells, sc.col)?.text ?? '');
    if (k === null) continue;
    preview.rowCount++;
    if (preview.rows.length < 5)
      preview.rows.push({
        strike: k,
        bid: priceOf(cellAt(r.cells, bc.col)?.text ?? ''),
        ask: askSpec ? priceOf(cellAt(r.cells, askSpec.col)?.text ?? '') : null,
      });
  }
  return { ok: preview.rowCount > 0, profile, preview };
}

/** The table a header-mode profile's rows sit in, planned by the reader with the taught labels. */
function headerProfileGrid(
  root: ParentNode,
  profile: TeachProfile,
  rowEls: Element[],
  now?: Date,
): { plan: GridPlan } | { reason: string } {
  const taught = new Set(rowEls);
  const grid = findGrids(root).find((g) => g.rows.some((r) => taught.has(r.el)));
  if (!grid) return { reason: `the rows matching ${JSON.stringify(profile.rowSelector)} are not in a table here` };
  const res = planGrid(grid, profile.headers, now);
  if ('reason' in res) return { reason: `the taught table: ${res.reason}` };
  const labels = Object.entries(profile.headers ?? {}).map(([k, f]) => `"${k}" as ${f}`);
  if (labels.length > 0) res.plan.notes.push(`taught headers: ${labels.join(', ')}`);
  return res;
}

/** A profile as a reading plan (used by readChain when opts.profile is given). */
export function profileGrid(
  root: ParentNode,
  profile: TeachProfile,
  now?: Date,
): { plan: GridPlan } | { reason: string } {
  if (profile.version !== 1 || typeof profile.rowSelector !== 'string' || !Array.isArray(profile.columns))
    return { reason: 'not a version-1 teach profile' };
  const strike = profile.columns.find((c) => c.field === 'strike');
  if (!strike) return { reason: 'the profile has no strike column' };
  let rowEls: Element[];
  try {
    rowEls = Array.from(root.querySelectorAll(profile.rowSelector));
  } catch {
    return { reason: `invalid row selector ${JSON.stringify(profile.rowSelector)}` };
  }
  if (rowEls.length === 0)
    return { reason: `no rows match ${JSON.stringify(profile.rowSelector)} (the page changed?)` };
  if (profile.headers) return headerProfileGrid(root, profile, rowEls, now);
  const rows: GridRow[] = rowEls.map((el, i) => ({
    el,
    order: i,
    cells: rowCells(el, profile.cellSelector).map((c, col) => gridCell(c, col)),
  }));
  const container = commonAncestor(rowEls[0]!, rowEls[rowEls.length - 1]!) ?? rowEls[0]!;
  const grid: Grid = { kind: 'div', el: container, headerRows: [], rows, positioned: false };
  const cols: ColSpec[] = profile.columns
    .filter((c) => c.field !== 'strike' && QUOTE_FIELDS.has(c.field))
    .map((c) => ({ col: c.index, field: c.field, side: c.side ?? profile.side, percent: false, label: c.field }));
  if (cols.some((c) => c.side === null))
    return { reason: 'the profile does not say whether its columns are calls or puts' };
  for (const c of cols)
    if (c.field === 'iv')
      c.percent = rows
        .slice(0, 100)
        .some((r) => /%/.test(r.cells[c.col]?.text ?? '') || (priceOf(r.cells[c.col]?.text ?? '') ?? 0) >= 3);
  const ctx = surroundings(container);
  return {
    plan: {
      grid,
      cols,
      strikeCols: [strike.index],
      typeCol: null,
      symbolCol: null,
      expiryCol: null,
      sides: 'columns',
      context: { date: ctx.date, root: ctx.root, dateFrom: ctx.from },
      strikeByLadder: false,
      score: cols.length,
      occIn: null,
      tradeDateCol: null,
      notes: [],
    },
  };
}

/** Run a profile through readChain-equivalent reading (convenience for the confirm step). */
export type TeachPreview = ReadResult;
