/**
 * Marks on the broker's own chain rows: the condor's legs, the rows just past each breakeven, the expected-move
 * band and the strikes of suggested hedges. Only a data attribute and one stylesheet go into the page — never a
 * number. `clearMarks` removes every trace.
 */
import { rowsByStrike, strikeOfRow } from './rows';

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

/** Which mark tokens each strike gets, from the spec: legs, hedges, the rows just past each breakeven, the EM band. */
export function markTokens(strikes: readonly number[], spec: MarkSpec): Map<number, string[]> {
  const sorted = [...strikes].sort((a, b) => a - b);
  const out = new Map<number, string[]>();
  const add = (k: number | undefined, token: string) => {
    if (k === undefined) return;
    out.set(k, [...(out.get(k) ?? []), token]);
  };
  const listed = new Set(sorted);
  spec.legs.filter((k) => listed.has(k)).forEach((k) => add(k, 'leg'));
  spec.hedges.filter((k) => listed.has(k)).forEach((k) => add(k, 'hedge'));
  if (spec.breakevens) {
    const [lo, hi] = spec.breakevens;
    add(
      [...sorted].reverse().find((k) => k <= lo),
      'be',
    );
    add(
      sorted.find((k) => k >= hi),
      'be',
    );
  }
  if (spec.expectedMove) {
    const [lo, hi] = spec.expectedMove;
    sorted.filter((k) => k >= lo && k <= hi).forEach((k) => add(k, 'em'));
  }
  return out;
}

export interface Marker {
  /** Marks the rows for the spec; returns how many rows carry marks. Does no DOM work when nothing changed. */
  apply(strikes: readonly number[], spec: MarkSpec): number;
  clear(): void;
}

/**
 * Marks that follow a live chain cheaply: the strike → row map is remembered and rebuilt only when a remembered
 * row has left the page or no longer shows its strike, and an update whose marks are unchanged touches nothing.
 * (A full scan of a 1,000-row chain parses ~9,000 cells: ~10 ms of the page's main thread, too much per tick.)
 */
export function createMarker(doc: Document, root: ParentNode): Marker {
  let rows = new Map<number, Element>();
  let applied = '';
  let marked: Element[] = [];
  const rowFor = (k: number, listed: ReadonlySet<number>): Element | undefined => {
    const cached = rows.get(k);
    if (cached && cached.isConnected && strikeOfRow(cached, listed) === k) return cached;
    rows = rowsByStrike(root, listed);
    return rows.get(k);
  };
  return {
    apply(strikes, spec) {
      const tokens = markTokens(strikes, spec);
      const key = JSON.stringify([...tokens.entries()]);
      if (key === applied && marked.every((el) => el.isConnected)) return marked.length;
      ensureMarkStyle(doc);
      clearMarks(root, ['leg', 'be', 'em', 'hedge']);
      const listed = new Set(strikes);
      marked = [];
      for (const [k, ts] of tokens) {
        const row = rowFor(k, listed);
        if (!row) continue;
        ts.forEach((t) => addToken(row, t));
        marked.push(row);
      }
      applied = key;
      return marked.length;
    },
    clear() {
      clearMarks(root, ['leg', 'be', 'em', 'hedge']);
      applied = '';
      marked = [];
    },
  };
}
