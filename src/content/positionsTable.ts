/**
 * Finding the account's option positions on a broker's page: an HTML table or an ARIA grid whose header names a
 * quantity column and an open-price column, and whose rows name options (an OCC symbol or a description, read by
 * src/chain/optionText.ts). Header words are matched generically, not per site: "Qty", "Quantity", "Position",
 * "Qty #" for the quantity; "Trade Price", "Avg Price", "Average Cost Basis", "Cost/Share", "Price Paid", "Open
 * Price" per share; "… per Contract"; "Cost Basis" (a total). A side column ("Side", "Action", "Long/Short", or values
 * Buy/Sell/Long/Short) signs an unsigned quantity.
 *
 * Pure DOM reading: nothing is written into the page. A row that names no leg is counted with why, never guessed.
 * The chain's own table is passed over after one look at its header row (it has no quantity column).
 */
import { cellText } from '../brokers/cellText';
import { findGrids, gridCell, type Grid, type GridCell } from '../brokers/grid';
import { normaliseHeader } from '../brokers/headers';
import { parseNumber } from '../chain/numbers';
import { parseOptionText, type OptionText } from '../chain/optionText';
import type { PageLeg, PageLegRejected, PageLegs } from '../shared/pageLegs';

/** Rows a positions table may have; a longer one is not a positions table (or is read in its first rows only). */
const MAX_ROWS = 400;
/** Shares per contract: brokers' position screens show equity and index options at ×100. */
const MULTIPLIER = 100;

type PriceBasis = 'share' | 'contract' | 'total';

export interface PositionColumns {
  quantity: number;
  price: number;
  basis: PriceBasis;
  side: number | null;
}

/** A header's words as the chain reader normalises them (case, glyphs, "sort" noise), for the patterns below. */
const words = (text: string): string => normaliseHeader(text);

/** A header that names the position's size. */
export function isQuantityHeader(raw: string): boolean {
  const h = words(raw);
  if (h.length > 30) return false;
  if (
    /volume|\bvol\b|open int|interest|value|cost|price|p ?\/ ?l|gain|loss|chg|change|%|\bday\b|delta|theta|gamma|vega|weight|margin|\bbp\b|effect|limit|\bavg\b|average/.test(
      h,
    )
  )
    return false;
  return /^(qty|quantity|qnty|quant|position|pos|net pos|net position|contracts|size|units|shares)\b/.test(h);
}

/** What a header says of the open price, or null when it is not one (the current price, a mark, a P/L). */
export function priceBasisOfHeader(raw: string): PriceBasis | null {
  const h = words(raw);
  if (h.length > 40) return null;
  if (
    /\bmark\b|\blast\b|\bbid\b|\bask\b|market|current|\bclose\b|change|chg|p ?\/ ?l|gain|loss|value|%|today|\bday\b|break/.test(
      h,
    )
  )
    return null;
  if (/per contract|\/ ?contract/.test(h) && /price|cost|basis|paid/.test(h)) return 'contract';
  if (/per share|\/ ?share|cost\/sh/.test(h)) return 'share';
  if (
    /\b(avg|average|open|opening|trade|entry|fill|purchase|paid|unit)\b/.test(h) &&
    /price|\bpx\b|cost|basis|paid/.test(h)
  )
    return 'share';
  if (/^(cost basis|cost basis total|total cost|cost)$/.test(h)) return 'total';
  return null;
}

/** A header that names the side of the position. */
function isSideHeader(raw: string): boolean {
  return /^(side|action|b ?\/ ?s|buy ?\/ ?sell|long ?\/ ?short|l ?\/ ?s|direction)$/.test(words(raw));
}

/** +1 long, −1 short, null when the text is not a side. */
function sideOf(text: string): 1 | -1 | null {
  const t = words(text);
  if (/^(buy|bought|long|b|l|bto|btc|buy to open)$/.test(t)) return 1;
  if (/^(sell|sold|short|s|sto|stc|sell to open)$/.test(t)) return -1;
  return null;
}

/** The quantity and price columns a header row names (the first of each), or null. */
export function positionColumns(header: readonly { text: string; col: number }[]): PositionColumns | null {
  const qty = header.find((c) => isQuantityHeader(c.text));
  // Per share first, then per contract, then a total: the plainest statement of the open price wins.
  let price: { col: number; basis: PriceBasis } | null = null;
  for (const basis of ['share', 'contract', 'total'] as const) {
    const hit = header.find((c) => priceBasisOfHeader(c.text) === basis);
    if (hit) {
      price = { col: hit.col, basis };
      break;
    }
  }
  if (!qty || !price) return null;
  const side = header.find((c) => isSideHeader(c.text));
  return { quantity: qty.col, price: price.col, basis: price.basis, side: side?.col ?? null };
}

/**
 * Rows a grid library split in two (a pinned first column in one container, the rest in another): the parts share
 * their aria-rowindex and place their cells with aria-colindex. Merged into one row each, in the first part's place.
 */
function mergeSplitRows<R>(
  rows: R[],
  rowEl: (r: R) => Element | null | undefined,
  cellsOf: (r: R) => GridCell[],
  make: (r: R, cells: GridCell[]) => R,
): R[] {
  const out: R[] = [];
  const byIndex = new Map<string, number>();
  for (const r of rows) {
    const k = rowEl(r)?.getAttribute('aria-rowindex') ?? null;
    const at = k === null ? undefined : byIndex.get(k);
    if (at === undefined) {
      if (k !== null) byIndex.set(k, out.length);
      out.push(r);
    } else
      out[at] = make(
        out[at]!,
        [...cellsOf(out[at]!), ...cellsOf(r)].sort((a, b) => a.col - b.col),
      );
  }
  return out;
}

/** The first rows of a table or ARIA grid, cheaply: enough to judge its header without reading the rest. */
function leadingRows(container: Element): { text: string; col: number }[][] {
  const rows: { text: string; col: number }[][] = [];
  if (container.tagName.toLowerCase() === 'table') {
    // Its own rows, walked from the top and no further than needed: a chain table may hold 20,000 of them.
    const take = (tr: Element) => {
      const cells = Array.from(tr.children).filter((c) => /^(td|th)$/i.test(c.tagName));
      rows.push(cells.map((el, col) => ({ text: cellText(el), col })));
    };
    for (let c = container.firstElementChild; c && rows.length < 5; c = c.nextElementSibling) {
      const tag = c.tagName.toLowerCase();
      if (tag === 'tr') take(c);
      else if (tag === 'thead' || tag === 'tbody' || tag === 'tfoot')
        for (let r = c.firstElementChild; r && rows.length < 5; r = r.nextElementSibling)
          if (r.tagName.toLowerCase() === 'tr') take(r);
    }
    return rows;
  }
  const parts: { row: Element; cells: GridCell[] }[] = [];
  // The first rows in document order, found by a walk that stops early (no list of every row of a large grid).
  const walker = container.ownerDocument.createTreeWalker(container, 1);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const row = n as Element;
    if (row.getAttribute('role') !== 'row') continue;
    if (row.parentElement?.closest('[role="grid"],[role="treegrid"],[role="table"]') !== container) continue;
    const cells = Array.from(
      row.querySelectorAll('[role="columnheader"],[role="gridcell"],[role="cell"],[role="rowheader"]'),
    ).filter((c) => c.closest('[role="row"]') === row);
    parts.push({
      row,
      cells: cells.map((el, i) => {
        const ci = Number(el.getAttribute('aria-colindex'));
        return gridCell(el, Number.isFinite(ci) && ci >= 1 ? ci - 1 : i);
      }),
    });
    if (parts.length >= 10) break;
  }
  return mergeSplitRows(
    parts,
    (p) => p.row,
    (p) => p.cells,
    (p, cells) => ({ row: p.row, cells }),
  )
    .slice(0, 5)
    .map((p) => p.cells);
}

function looksLikePositions(container: Element): boolean {
  return leadingRows(container).some((cells) => positionColumns(cells) !== null);
}

/** The text of each cell of a row by column, and the whole row's text for the report. */
function cellAt(cells: readonly GridCell[], col: number): GridCell | undefined {
  return cells.find((c) => col >= c.col && col < c.col + c.span);
}

/** Each piece of text a cell shows on its own line (a symbol above its description), then the whole. */
function textsOf(cell: GridCell): string[] {
  const parts: string[] = [];
  const walk = (n: Node) => {
    for (let c = n.firstChild; c; c = c.nextSibling) {
      if (c.nodeType === 3) {
        const t = (c.nodeValue ?? '').replace(/\s+/g, ' ').trim();
        if (t) parts.push(t);
      } else if (c.nodeType === 1) walk(c);
    }
  };
  walk(cell.el);
  return [cell.text, ...parts.filter((p) => p !== cell.text)];
}

function optionIn(cell: GridCell | undefined): OptionText | null {
  if (!cell) return null;
  for (const t of textsOf(cell)) {
    const o = parseOptionText(t);
    if (o) return o;
  }
  return null;
}

const round4 = (x: number) => Math.round(x * 10_000) / 10_000;
const excerpt = (cells: readonly GridCell[]) => {
  const t = cells
    .map((c) => c.text)
    .filter(Boolean)
    .join(' · ');
  return t.length > 60 ? `${t.slice(0, 59)}…` : t;
};

/** The legs of one positions grid (its header already judged), with the rows that gave none. */
export function readPositionsGrid(grid: Grid): { legs: PageLeg[]; rejected: PageLegRejected[] } | null {
  const headerRows = mergeSplitRows(
    grid.headerRows,
    (cells) => cells[0]?.el.closest('[role="row"]'),
    (cells) => cells,
    (_, cells) => cells,
  );
  let header = headerRows.find((cells) => positionColumns(cells));
  let body = mergeSplitRows(
    grid.rows,
    (r) => r.el,
    (r) => r.cells,
    (r, cells) => ({ ...r, cells }),
  );
  if (!header) {
    // A table whose header row is made of td cells: its first row.
    const first = body[0];
    if (!first || !positionColumns(first.cells)) return null;
    header = first.cells;
    body = body.slice(1);
  }
  const cols = positionColumns(header)!;
  body = body.slice(0, MAX_ROWS);
  // The option column: the one whose cells name an option most often (symbol and description columns differ by
  // broker and language; the values say which it is).
  const width = Math.max(0, ...body.map((r) => r.cells.reduce((m, c) => Math.max(m, c.col + c.span), 0)));
  let optionCol = -1;
  let best = 0;
  for (let col = 0; col < width; col++) {
    if (col === cols.quantity || col === cols.price) continue;
    let n = 0;
    for (const r of body) if (optionIn(cellAt(r.cells, col))) n++;
    if (n > best) {
      best = n;
      optionCol = col;
    }
  }
  if (optionCol < 0) return null;
  const legs: PageLeg[] = [];
  const rejected: PageLegRejected[] = [];
  body.forEach((r, i) => {
    const row = i + 1;
    if (r.cells.every((c) => c.text === '')) return;
    const reject = (reason: string) => rejected.push({ row, text: excerpt(r.cells), reason });
    const option = optionIn(cellAt(r.cells, optionCol));
    if (!option) {
      const said = cellAt(r.cells, optionCol)?.text ?? '';
      return reject(
        /\b(puts?|calls?)\b|\d[CP]\d/i.test(said)
          ? 'reads like an option but not as one HedgeLens can take: root, expiry with its year, strike and put/call'
          : 'names no option (a symbol or a description with root, expiry, strike, put/call)',
      );
    }
    const qtyText = cellAt(r.cells, cols.quantity)?.text ?? '';
    let quantity = parseNumber(qtyText);
    if (quantity === null || !Number.isInteger(quantity) || quantity === 0)
      return reject(`quantity ${JSON.stringify(qtyText)} is not a whole number of contracts`);
    if (cols.side !== null) {
      const sideText = cellAt(r.cells, cols.side)?.text ?? '';
      const side = sideOf(sideText);
      if (side === null) return reject(`side ${JSON.stringify(sideText)} is neither long nor short`);
      if (quantity < 0 && side > 0) return reject(`quantity ${quantity} on a ${sideText} row`);
      quantity = Math.abs(quantity) * side;
    }
    if (option.quantity !== undefined && option.quantity !== quantity)
      return reject(`the description says ${option.quantity} contracts, the quantity column ${quantity}`);
    const priceText = cellAt(r.cells, cols.price)?.text ?? '';
    const price = parseNumber(priceText);
    if (price === null) return reject(`open price ${JSON.stringify(priceText)} is not a number`);
    // A credit is shown negative by some brokers; the quantity carries the side.
    const perShare =
      cols.basis === 'share'
        ? Math.abs(price)
        : cols.basis === 'contract'
          ? Math.abs(price) / MULTIPLIER
          : Math.abs(price) / (Math.abs(quantity) * MULTIPLIER);
    legs.push({
      root: option.root,
      expiry: option.expiry,
      kind: option.kind,
      strike: option.strike,
      quantity,
      openPrice: round4(perShare),
      row,
    });
  });
  return legs.length > 0 ? { legs, rejected } : null;
}

/**
 * The tables and ARIA grids under root whose header names a quantity and an open price. Finding the ARIA grids
 * looks at every element of the page (about 20 ms on a 20,000-row chain on a loaded laptop), so the feature does it
 * seldom and re-reads the containers found in between (readPositions).
 */
export function findPositionContainers(root: ParentNode): Element[] {
  return [
    ...Array.from(root.querySelectorAll('table')),
    ...Array.from(root.querySelectorAll('[role="grid"],[role="treegrid"],[role="table"]')).filter(
      (e) => e.tagName.toLowerCase() !== 'table',
    ),
  ].filter(looksLikePositions);
}

/** The legs the containers list and the rows they rejected; null when none lists an option. */
export function readPositions(containers: readonly Element[]): PageLegs | null {
  const out: PageLegs = { tables: 0, legs: [], rejected: [] };
  for (const container of containers) {
    if (!looksLikePositions(container)) continue;
    const grid = findGrids(container).find((g) => g.el === container);
    const read = grid ? readPositionsGrid(grid) : null;
    if (!read) continue;
    out.tables += 1;
    out.legs.push(...read.legs);
    out.rejected.push(...read.rejected);
  }
  return out.tables > 0 ? out : null;
}

/**
 * Every positions table under root: the legs read and the rows rejected; null when the page shows none. A table
 * with a quantity and a price column but no row naming an option is not a positions table of options.
 */
export function findPagePositions(root: ParentNode): PageLegs | null {
  return readPositions(findPositionContainers(root));
}
