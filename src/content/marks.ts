/**
 * Marks on the broker's own chain rows: the condor's legs, the rows just past each breakeven, the expected-move
 * band and the strikes of suggested hedges. Only a data attribute and one stylesheet go into the page — never a
 * number. `clearMarks` removes every trace.
 */
import { rowsByStrike } from './rows';

export const MARK_ATTR = 'data-hedgelens-mark';
const STYLE_ID = 'hedgelens-marks-style';

export interface MarkSpec {
  legs: number[];
  breakevens: [number, number] | null;
  expectedMove: [number, number] | null;
  hedges: number[];
}

const CSS = `
[${MARK_ATTR}~="leg"] > * { box-shadow: inset 0 2px 0 rgba(31,111,235,.85), inset 0 -2px 0 rgba(31,111,235,.85) !important; }
[${MARK_ATTR}~="em"] > * { background-image: linear-gradient(rgba(31,111,235,.07), rgba(31,111,235,.07)) !important; }
[${MARK_ATTR}~="be"] > * { box-shadow: inset 0 3px 0 rgba(210,153,34,.95) !important; }
[${MARK_ATTR}~="hedge"] > * { box-shadow: inset 3px 0 0 rgba(163,113,247,.95) !important; }
[${MARK_ATTR}~="pick"] > * { background-image: linear-gradient(rgba(31,111,235,.22), rgba(31,111,235,.22)) !important; }
.hedgelens-picking, .hedgelens-picking * { cursor: crosshair !important; }
`;

export function ensureMarkStyle(doc: Document): void {
  if (doc.getElementById(STYLE_ID)) return;
  const style = doc.createElement('style');
  style.id = STYLE_ID;
  style.textContent = CSS;
  (doc.head ?? doc.documentElement).append(style);
}

function addToken(el: Element, token: string): void {
  const tokens = new Set((el.getAttribute(MARK_ATTR) ?? '').split(' ').filter(Boolean));
  tokens.add(token);
  el.setAttribute(MARK_ATTR, [...tokens].join(' '));
}

export function clearMarks(root: ParentNode, tokens?: string[]): void {
  for (const el of Array.from(root.querySelectorAll(`[${MARK_ATTR}]`))) {
    if (!tokens) {
      el.removeAttribute(MARK_ATTR);
      continue;
    }
    const left = (el.getAttribute(MARK_ATTR) ?? '').split(' ').filter((t) => t && !tokens.includes(t));
    if (left.length) el.setAttribute(MARK_ATTR, left.join(' '));
    else el.removeAttribute(MARK_ATTR);
  }
}

/** Applies the marks for one expiry's listed strikes; returns how many rows were marked. */
export function applyMarks(doc: Document, root: ParentNode, strikes: readonly number[], spec: MarkSpec): number {
  ensureMarkStyle(doc);
  clearMarks(root, ['leg', 'be', 'em', 'hedge']);
  const sorted = [...strikes].sort((a, b) => a - b);
  const rows = rowsByStrike(root, new Set(sorted));
  let marked = 0;
  const mark = (k: number, token: string) => {
    const row = rows.get(k);
    if (row) {
      addToken(row, token);
      marked++;
    }
  };
  spec.legs.forEach((k) => mark(k, 'leg'));
  spec.hedges.forEach((k) => mark(k, 'hedge'));
  if (spec.breakevens) {
    const [lo, hi] = spec.breakevens;
    const below = [...sorted].reverse().find((k) => k <= lo);
    const above = sorted.find((k) => k >= hi);
    if (below !== undefined) mark(below, 'be');
    if (above !== undefined) mark(above, 'be');
  }
  if (spec.expectedMove) {
    const [lo, hi] = spec.expectedMove;
    sorted.filter((k) => k >= lo && k <= hi).forEach((k) => mark(k, 'em'));
  }
  return marked;
}
