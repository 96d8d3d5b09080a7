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
  /**
   * Marks the rows for the spec; returns how many rows carry marks. Does no DOM work when nothing changed.
   * `generation`: the reader's layout number for the chain the strikes came from (ReadResult.layout). Within one,
   * the reader vouches that the chain's rows are the same elements showing the same strikes (it gives a new number
   * when a row is replaced or shows another strike), so an update re-marks only the rows whose marks changed
   * without checking the others. Undefined (a virtualised grid, whose rows are recycled): every update checks.
   * `rowAt`: the row element of strikes[i] as the reader knows it (ChainWatch.rowOf), or null; without one, or
   * where it gives null, the rows are found by scanning the page for strike cells.
   */
  apply(strikes: readonly number[], spec: MarkSpec, generation?: number, rowAt?: (i: number) => Element | null): number;
  clear(): void;
}

/** The edges of a spec on sorted strikes, as indices: what markTokens decides from besides legs and hedges. */
interface Edges {
  /** Index of the last strike ≤ the lower breakeven (-1: none), of the first ≥ the upper one (length: none). */
  beLo: number;
  beHi: number;
  /** The expected-move band: indices [emLo, emHi). */
  emLo: number;
  emHi: number;
}

function edgesOf(strikes: readonly number[], spec: MarkSpec): Edges {
  const be = spec.breakevens;
  const em = spec.expectedMove;
  return {
    beLo: be ? upperBound(strikes, be[0]) - 1 : -1,
    beHi: be ? lowerBound(strikes, be[1]) : strikes.length,
    emLo: em ? lowerBound(strikes, em[0]) : 0,
    emHi: em ? upperBound(strikes, em[1]) : 0,
  };
}

/** The tokens markTokens gives strike `i` of sorted strikes, joined by spaces ('' for none). */
function tokensAt(i: number, k: number, spec: MarkSpec, e: Edges): string {
  const ts: string[] = [];
  // As often as listed: an iron fly's short call and short put share a strike.
  for (const l of spec.legs) if (l === k) ts.push('leg');
  for (const h of spec.hedges) if (h === k) ts.push('hedge');
  if (i === e.beLo) ts.push('be');
  if (i === e.beHi) ts.push('be');
  if (i >= e.emLo && i < e.emHi) ts.push('em');
  return ts.join(' ');
}

/**
 * Marks that follow a live chain cheaply: the strike → row map is remembered with the cell that showed each
 * strike, and rebuilt only when a remembered row has left the page or its strike cell shows other text; an update
 * changes only the rows whose marks changed (the expected-move band moving by a strike touches two rows), and an
 * update whose marks are unchanged touches nothing. (A full scan of a 1,000-row chain parses ~9,000 cells: ~10 ms
 * of the page's main thread, too much per tick.) Within one generation of the chain (see Marker.apply) an update
 * looks only at the strikes whose marks can have changed: the legs and hedges before and after, the breakeven
 * rows before and after, and the strikes between the band's old and new edges.
 */
export function createMarker(doc: Document, root: ParentNode): Marker {
  let rows = new Map<number, { row: Element; cell: Element; text: string }>();
  /** The key of the tokens applied by the full path (null: unknown, after the generation path changed them). */
  let appliedKey: string | null = '';
  /** Each row we marked → the tokens we set on it. */
  let applied = new Map<Element, string>();
  /** Each strike we marked → its row and tokens (the generation path's view of `applied`). */
  let byStrike = new Map<number, { row: Element; tokens: string }>();
  /** The reader's rows for the current apply (see Marker.apply), and strike → index of the strikes given. */
  let readerRow: ((i: number) => Element | null) | undefined;
  let indexOf: Map<number, number> | null = null;
  const rowFor = (k: number, listed: ReadonlySet<number>, i?: number): Element | undefined => {
    if (readerRow) {
      if (i === undefined) {
        if (!indexOf) {
          indexOf = new Map();
          lastStrikes?.forEach((x, j) => indexOf!.has(x) || indexOf!.set(x, j));
        }
        i = indexOf.get(k);
      }
      const el = i === undefined ? null : readerRow(i);
      if (el) return el;
    }
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
  let lastListed: ReadonlySet<number> = new Set();
  let lastSorted = false;
  let lastQuick = '';
  /** The generation the marks were last applied in whole (undefined: none), with the spec and its edges. */
  let lastGeneration: number | undefined;
  let lastSpec: MarkSpec | null = null;
  let lastEdges: Edges | null = null;

  /** The generation path: only the strikes whose marks can differ from the last spec's. */
  const update = (strikes: readonly number[], spec: MarkSpec, edges: Edges): void => {
    const prev = lastSpec!;
    const was = lastEdges!;
    const candidates = new Set<number>();
    const index = (k: number) => {
      const i = lowerBound(strikes, k);
      if (strikes[i] === k) candidates.add(i);
    };
    for (const k of prev.legs) index(k);
    for (const k of spec.legs) index(k);
    for (const k of prev.hedges) index(k);
    for (const k of spec.hedges) index(k);
    for (const i of [was.beLo, was.beHi, edges.beLo, edges.beHi]) if (i >= 0 && i < strikes.length) candidates.add(i);
    const span = (a: number, b: number) => {
      for (let i = Math.min(a, b); i < Math.max(a, b); i++) candidates.add(i);
    };
    // Strikes in one band and not the other (the bands as index ranges, empty ones as nothing).
    const [a0, b0] = was.emHi > was.emLo ? [was.emLo, was.emHi] : [0, 0];
    const [a1, b1] = edges.emHi > edges.emLo ? [edges.emLo, edges.emHi] : [0, 0];
    if (b0 <= a1 || b1 <= a0) {
      span(a0, b0);
      span(a1, b1);
    } else {
      span(a0, a1);
      span(b0, b1);
    }
    for (const i of candidates) {
      const k = strikes[i]!;
      const tokens = tokensAt(i, k, spec, edges);
      const had = byStrike.get(k);
      if ((had?.tokens ?? '') === tokens) continue;
      const row = tokens ? rowFor(k, lastListed, i) : had?.row;
      if (had && had.row !== row) {
        setOurTokens(had.row, []);
        applied.delete(had.row);
      }
      if (!row) {
        byStrike.delete(k);
        continue;
      }
      setOurTokens(row, tokens ? tokens.split(' ') : []);
      if (tokens) {
        byStrike.set(k, { row, tokens });
        applied.set(row, tokens);
      } else {
        byStrike.delete(k);
        applied.delete(row);
      }
    }
  };

  return {
    apply(strikes, spec, generation, rowAt) {
      readerRow = rowAt;
      // The expected move changes on every tick; the strikes inside it rarely do. On sorted strikes (the chain's
      // order), the band's and breakevens' edges as indices decide the marks without building them.
      if (strikes !== lastStrikes) {
        lastStrikes = strikes;
        lastListed = new Set(strikes);
        lastSorted = strikes.every((k, i) => i === 0 || strikes[i - 1]! <= k);
        indexOf = null;
        lastQuick = '';
        lastGeneration = undefined;
      }
      const trusted = lastSorted && generation !== undefined && generation === lastGeneration;
      const quick = lastSorted ? quickKey(strikes, spec) : null;
      if (quick !== null && quick === lastQuick && (trusted || allConnected())) {
        lastSpec = spec;
        lastEdges = edgesOf(strikes, spec);
        return applied.size;
      }
      lastQuick = quick ?? '';
      if (trusted) {
        const edges = edgesOf(strikes, spec);
        update(strikes, spec, edges);
        lastSpec = spec;
        lastEdges = edges;
        appliedKey = null;
        return applied.size;
      }
      const tokens = markTokens(strikes, spec);
      let key = '';
      for (const [k, ts] of tokens) key += `${k}:${ts.join(' ')};`;
      const done = () => {
        lastGeneration = lastSorted ? generation : undefined;
        lastSpec = spec;
        lastEdges = lastSorted ? edgesOf(strikes, spec) : null;
        return applied.size;
      };
      if (key === appliedKey && allConnected()) return done();
      ensureMarkStyle(doc);
      const want = new Map<Element, string>();
      const wantByStrike = new Map<number, { row: Element; tokens: string }>();
      for (const [k, ts] of tokens) {
        const row = rowFor(k, lastListed);
        if (!row) continue;
        const before = want.get(row);
        const joined = ts.join(' ');
        want.set(row, before ? `${before} ${joined}` : joined);
        wantByStrike.set(k, { row, tokens: joined });
      }
      for (const el of applied.keys()) if (!want.has(el)) setOurTokens(el, []);
      for (const [el, ts] of want) if (applied.get(el) !== ts || !el.isConnected) setOurTokens(el, ts.split(' '));
      applied = want;
      byStrike = wantByStrike;
      appliedKey = key;
      return done();
    },
    clear() {
      lastStrikes = null;
      lastGeneration = undefined;
      for (const el of applied.keys()) setOurTokens(el, []);
      clearMarks(root, [...OURS]);
      appliedKey = '';
      applied = new Map();
      byStrike = new Map();
    },
  };
}
