/**
 * Marks on the broker's own chain rows: the condor's legs, the rows just past each breakeven, the expected-move
 * band and the strikes of suggested hedges. Only a data attribute and one stylesheet go into the page — never a
 * number. `clearMarks` removes every trace.
 */
import { strikeRows } from './rows';

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

/** Which mark tokens each strike gets, from the spec: legs, hedges, the rows just past each breakeven, the EM band. */
export function markTokens(strikes: readonly number[], spec: MarkSpec): Map<number, string[]> {
  let sorted = strikes;
  for (let i = 1; i < strikes.length; i++)
    if (strikes[i]! < strikes[i - 1]!) {
      sorted = [...strikes].sort((a, b) => a - b);
      break;
    }
  const out = new Map<number, string[]>();
  const add = (k: number | undefined, token: string) => {
    if (k === undefined) return;
    const ts = out.get(k);
    if (ts) ts.push(token);
    else out.set(k, [token]);
  };
  const listed = new Set(sorted);
  spec.legs.filter((k) => listed.has(k)).forEach((k) => add(k, 'leg'));
  spec.hedges.filter((k) => listed.has(k)).forEach((k) => add(k, 'hedge'));
  if (spec.breakevens) {
    const [lo, hi] = spec.breakevens;
    let below: number | undefined;
    for (const k of sorted) if (k <= lo) below = k;
    add(below, 'be');
    add(
      sorted.find((k) => k >= hi),
      'be',
    );
  }
  if (spec.expectedMove) {
    const [lo, hi] = spec.expectedMove;
    for (const k of sorted) if (k >= lo && k <= hi) add(k, 'em');
  }
  return out;
}

const OURS = new Set(['leg', 'be', 'em', 'hedge']);

/** First index whose strike is ≥ x (strikes sorted ascending). */
function lowerBound(strikes: readonly number[], x: number): number {
  let lo = 0;
  let hi = strikes.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (strikes[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index whose strike is > x. */
function upperBound(strikes: readonly number[], x: number): number {
  let lo = 0;
  let hi = strikes.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (strikes[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** What decides markTokens for sorted strikes, in a few numbers. */
function quickKey(strikes: readonly number[], spec: MarkSpec): string {
  const be = spec.breakevens
    ? `${upperBound(strikes, spec.breakevens[0])},${lowerBound(strikes, spec.breakevens[1])}`
    : '';
  const em = spec.expectedMove
    ? `${lowerBound(strikes, spec.expectedMove[0])},${upperBound(strikes, spec.expectedMove[1])}`
    : '';
  return `${spec.legs.join(',')}|${spec.hedges.join(',')}|${be}|${em}`;
}

/** Sets our tokens on a row (others, such as the picker's, are kept); none left → no attribute. */
function setOurTokens(el: Element, ours: readonly string[]): void {
  const kept = (el.getAttribute(MARK_ATTR) ?? '').split(' ').filter((t) => t && !OURS.has(t));
  const all = [...kept, ...ours];
  if (all.length > 0) el.setAttribute(MARK_ATTR, all.join(' '));
  else el.removeAttribute(MARK_ATTR);
}

export interface Marker {
  /** Marks the rows for the spec; returns how many rows carry marks. Does no DOM work when nothing changed. */
  apply(strikes: readonly number[], spec: MarkSpec): number;
  clear(): void;
}

/**
 * Marks that follow a live chain cheaply: the strike → row map is remembered with the cell that showed each
 * strike, and rebuilt only when a remembered row has left the page or its strike cell shows other text; an update
 * changes only the rows whose marks changed (the expected-move band moving by a strike touches two rows), and an
 * update whose marks are unchanged touches nothing. (A full scan of a 1,000-row chain parses ~9,000 cells: ~10 ms
 * of the page's main thread, too much per tick.)
 */
export function createMarker(doc: Document, root: ParentNode): Marker {
  let rows = new Map<number, { row: Element; cell: Element; text: string }>();
  let appliedKey = '';
  /** Each row we marked → the tokens we set on it. */
  let applied = new Map<Element, string>();
  const rowFor = (k: number, listed: ReadonlySet<number>): Element | undefined => {
    const c = rows.get(k);
    if (c && c.row.isConnected && c.cell.isConnected && c.cell.textContent === c.text) return c.row;
    rows = strikeRows(root, listed);
    return rows.get(k)?.row;
  };
  const allConnected = () => {
    for (const el of applied.keys()) if (!el.isConnected) return false;
    return true;
  };
  /** The last spec applied, by what decides the marks: the strikes array, legs, hedges, band edges as indices. */
  let lastStrikes: readonly number[] | null = null;
  let lastSorted = false;
  let lastQuick = '';
  return {
    apply(strikes, spec) {
      // The expected move changes on every tick; the strikes inside it rarely do. On sorted strikes (the chain's
      // order), the band's and breakevens' edges as indices decide the marks without building them.
      if (strikes !== lastStrikes) {
        lastStrikes = strikes;
        lastSorted = strikes.every((k, i) => i === 0 || strikes[i - 1]! <= k);
        lastQuick = '';
      }
      const quick = lastSorted ? quickKey(strikes, spec) : null;
      if (quick !== null && quick === lastQuick && allConnected()) return applied.size;
      lastQuick = quick ?? '';
      const tokens = markTokens(strikes, spec);
      let key = '';
      for (const [k, ts] of tokens) key += `${k}:${ts.join(' ')};`;
      if (key === appliedKey && allConnected()) return applied.size;
      ensureMarkStyle(doc);
      const listed = new Set(strikes);
      const want = new Map<Element, string>();
      for (const [k, ts] of tokens) {
        const row = rowFor(k, listed);
        if (!row) continue;
        const before = want.get(row);
        want.set(row, before ? `${before} ${ts.join(' ')}` : ts.join(' '));
      }
      for (const el of applied.keys()) if (!want.has(el)) setOurTokens(el, []);
      for (const [el, ts] of want) if (applied.get(el) !== ts || !el.isConnected) setOurTokens(el, ts.split(' '));
      applied = want;
      appliedKey = key;
      return applied.size;
    },
    clear() {
      lastStrikes = null;
      for (const el of applied.keys()) setOurTokens(el, []);
      clearMarks(root, [...OURS]);
      appliedKey = '';
      applied = new Map();
    },
  };
}
