/**
 * Finding the broker's own row for a strike, whatever the layout: a row is a `tr` or an ARIA row (or, in div
 * grids, the nearest ancestor with several cells), and its strike is the one cell whose number is a listed strike.
 * Pure DOM reading with the root as a parameter; no numbers are ever written into the page.
 */
import { parseNumber } from '../chain/numbers';

const ROW_SELECTOR = 'tr, [role="row"]';

function cellsOf(row: Element): Element[] {
  const cells = row.querySelectorAll(
    ':scope > td, :scope > th, :scope > [role="gridcell"], :scope > [role="cell"], :scope > [role="rowheader"]',
  );
  return cells.length > 0 ? Array.from(cells) : Array.from(row.children);
}

/** The strike a row stands for and the cell showing it, or null. */
export function strikeCellOfRow(row: Element, strikes: ReadonlySet<number>): { strike: number; cell: Element } | null {
  const cells = cellsOf(row);
  const hits: { index: number; strike: number; named: boolean; cell: Element }[] = [];
  cells.forEach((cell, index) => {
    const v = parseNumber(cell.textContent ?? '');
    if (v === null || !strikes.has(v)) return;
    const named = /strike/i.test(
      `${cell.className} ${cell.getAttribute('data-field') ?? ''} ${cell.getAttribute('aria-describedby') ?? ''}`,
    );
    hits.push({ index, strike: v, named, cell });
  });
  if (hits.length === 0) return null;
  const named = hits.find((h) => h.named);
  if (named) return named;
  if (hits.length === 1) return hits[0]!;
  const mid = (cells.length - 1) / 2;
  hits.sort((a, b) => Math.abs(a.index - mid) - Math.abs(b.index - mid));
  return hits[0]!;
}

/** The strike a row stands for, or null. When several cells hold listed strikes, the one named "strike" or the middle one wins. */
export function strikeOfRow(row: Element, strikes: ReadonlySet<number>): number | null {
  return strikeCellOfRow(row, strikes)?.strike ?? null;
}

/** The row element around a clicked node. */
export function rowOf(node: Element): Element | null {
  const row = node.closest(ROW_SELECTOR);
  if (row) return row;
  // Div grids without roles: the nearest ancestor with at least three element children.
  let el: Element | null = node;
  for (let depth = 0; el && depth < 6; depth++, el = el.parentElement) {
    if (el.children.length >= 3) return el;
  }
  return null;
}

/** Every row under root that stands for a listed strike (first row wins per strike). */
export function rowsByStrike(root: ParentNode, strikes: ReadonlySet<number>): Map<number, Element> {
  const out = new Map<number, Element>();
  for (const [k, hit] of strikeRows(root, strikes)) out.set(k, hit.row);
  return out;
}

/** Like rowsByStrike, with the cell that shows each row's strike. */
export function strikeRows(
  root: ParentNode,
  strikes: ReadonlySet<number>,
): Map<number, { row: Element; cell: Element; text: string }> {
  const out = new Map<number, { row: Element; cell: Element; text: string }>();
  for (const row of Array.from(root.querySelectorAll(ROW_SELECTOR))) {
    const hit = strikeCellOfRow(row, strikes);
    if (hit && !out.has(hit.strike)) out.set(hit.strike, { row, cell: hit.cell, text: hit.cell.textContent ?? '' });
  }
  return out;
}
