/**
 * The generic reader: grids → column plans → row readings → Chain. Split in two steps (plan the reading,
 * then assemble it) so the live watcher can re-read one row and re-assemble without a full rescan.
 */
import {
  CHAIN_VERSION,
  MAX_PRICE,
  type Chain,
  type ChainRow,
  type ChainWarning,
  type Expiry,
  type Quote,
  emptyQuote,
  sameQuote,
} from '../chain/types';
import { inferSettlement } from '../chain/calendar';
import type { RowChange } from '../chain/patch';
import { underlyingForRoot } from '../chain/importers/cboe';
import { bidAskOf, cellText, countOf, findOccSymbol, isMissingMarker, ivOf, priceOf, sideOf } from './cellText';
import { findDate, findRoot } from './dates';
import { drain, ROWS_PER_STEP, type Grid, type GridCell, type GridRow } from './grid';
import type { Field } from '../shared/teachProfile';
import { classifyHeader, normaliseHeader, sideWord, type HeaderMeaning, type Side } from './headers';
import { selectedSide, occInLink } from './context';
import type { ReadingReport, VixSighting } from './types';
import { marketProblem } from '../chain/market';

export const QUOTE_FIELDS: ReadonlySet<Field> = new Set([
  'bid',
  'ask',
  'bidAsk',
  'last',
  'mark',
  'volume',
  'openInterest',
  'iv',
  'delta',
]);
const PRICE_FIELDS: ReadonlySet<Field> = new Set(['bid', 'ask', 'bidAsk', 'last', 'mark']);

export interface ColSpec {
  col: number;
  field: Field;
  side: Side | null;
  /** iv column: values are percents (true), fractions (false). */
  percent: boolean;
  label: string;
}

export interface GridPlan {
  grid: Grid;
  cols: ColSpec[];
  strikeCols: number[];
  typeCol: number | null;
  symbolCol: number | null;
  expiryCol: number | null;
  /** How calls and puts are told apart. */
  sides: 'columns' | 'straddle' | 'table' | 'row' | 'band';
  context: { date: string | null; root: string | null; dateFrom: string | null };
  strikeByLadder: boolean;
  score: number;
  /** Where the symbol column's option symbols are: the cell's text, or only its link's target (…optsym=…). */
  occIn: 'text' | 'link' | null;
  /** A Last Trade Date column: the latest date in it dates a quote time said without one. */
  tradeDateCol: number | null;
  /** Inferences made in planning, for the reading report ("side from the band row '2022-05-11 - Puts'"). */
  notes: string[];
}

export type RowReading =
  | { kind: 'band'; date: string | null; root: string | null; side: Side | null; price: number | null }
  | { kind: 'skip' }
  | { kind: 'drop'; reason: string }
  | {
      kind: 'data';
      strike: number;
      date: string | null;
      root: string | null;
      quotes: { call?: Quote; put?: Quote };
      flags: string[];
    };

/** One source row as read, in page order; `index` is the row number used in reports and warnings. */
export interface RowEntry {
  index: number;
  plan: GridPlan;
  row: GridRow;
  /** Band context in force at this row (date, root, side from band rows above it). */
  band: { date: string | null; root: string | null; side: Side | null };
  reading: RowReading;
}

export interface Reading {
  adapter: string;
  plans: GridPlan[];
  entries: RowEntry[];
  page: PageContext;
  notes: string[];
  now?: Date;
}

export interface PageContext {
  symbol: string | null;
  price: number | null;
  date: string | null;
  root: string | null;
  vix: { value: number; source: string }[];
  /** When the page says its quotes were taken (ISO instant), or null. */
  asOf: string | null;
  /** How the figures above were found when it took an inference ("price 113.02 from the quote header …"). */
  notes?: string[];
  /** Where the live figures were read, for the watcher (not enumerable: see withSources in page.ts). */
  readonly sources?: PageSources;
}

/**
 * The elements the page's live figures came from (the underlying's price, each VIX sighting, the quotes' time)
 * and how to read them again from those elements alone: when only these changed, the watcher re-reads them
 * instead of the whole page around the chain.
 */
export interface PageSources {
  nodes: Element[];
  /** `prev` with the figures read again, or null when one of them no longer reads (read the whole page). */
  reread(prev: PageContext): PageContext | null;
}

/* ------------------------------------------------------------------ planning */

export type Aliases = Record<string, Field> | undefined;

/** The key a header text has in an alias table (lower case, single spaces). */
export const aliasKey = (text: string): string => text.toLowerCase().replace(/\s+/g, ' ').trim();

function meaning(text: string, aliases: Aliases): HeaderMeaning | null {
  if (aliases) {
    const key = aliasKey(text);
    const f = aliases[key];
    if (f) return { field: f, side: null, percent: /%/.test(key) };
  }
  return classifyHeader(text);
}

export function cellAt(cells: GridCell[], col: number): GridCell | undefined {
  // A row without spans before `col` has its cell at that index: no scan (eight columns per row, every tick).
  const at = cells[col];
  if (at !== undefined && at.col === col) return at;
  for (const c of cells) if (col >= c.col && col < c.col + c.span) return c;
  return undefined;
}

function shortText(el: Element | null, max = 160): string | null {
  if (!el) return null;
  const t = cellText(el);
  return t.length > 0 && t.length <= max ? t : null;
}

/** Date, root and Calls/Puts label from the text around a grid: caption, labels, headings above, accordion summaries. */
export function surroundings(
  el: Element,
  now?: Date,
): { date: string | null; root: string | null; side: Side | null; from: string | null; sideFrom: string | null } {
  const out = {
    date: null as string | null,
    root: null as string | null,
    side: null as Side | null,
    from: null as string | null,
    sideFrom: null as string | null,
  };
  const consider = (text: string | null, from: string) => {
    if (!text) return;
    if (!out.date) {
      const d = findDate(text, now);
      if (d) {
        out.date = d;
        out.from = from;
        out.root ??= findRoot(text);
      }
    }
    if (!out.side && text.length <= 60) {
      const m = /^\s*(calls?|puts?)\b/i.exec(text);
      out.side = m ? (m[1]!.toLowerCase().startsWith('c') ? 'call' : 'put') : sideWord(text);
      if (out.side) out.sideFrom = `${from} ${JSON.stringify(text)}`;
    }
    out.root ??= text.length <= 80 ? findRoot(text) : null;
  };
  const caption = el.querySelector(':scope > caption');
  consider(shortText(caption), 'caption');
  consider(el.getAttribute('aria-label'), 'aria-label');
  let cur: Element | null = el;
  for (let up = 0; up < 7 && cur && !(out.date && out.side); up++) {
    consider(cur.getAttribute('aria-label'), 'aria-label');
    const labelled = cur.getAttribute('aria-labelledby');
    if (labelled && cur.ownerDocument)
      for (const id of labelled.split(/\s+/))
        consider(shortText(cur.ownerDocument.getElementById(id)), 'aria-labelledby');
    if (cur.tagName.toLowerCase() === 'details') consider(shortText(cur.querySelector(':scope > summary')), 'summary');
    if (cur.id && cur.ownerDocument) {
      const ctl = cur.ownerDocument.querySelector(`[aria-controls="${cur.id.replace(/"/g, '')}"]`);
      consider(shortText(ctl), 'accordion');
    }
    let sib = cur.previousElementSibling;
    for (let k = 0; k < 4 && sib; k++, sib = sib.previousElementSibling) {
      // Another chain's block is not this chain's heading.
      if (sib.tagName.toLowerCase() !== 'head' && !sib.querySelector('table,[role="grid"]')) {
        // A strip of expiry buttons: the selected one, never the first one.
        const picked = sib.querySelector(
          '[aria-pressed="true"],[aria-selected="true"],[aria-current="true"],[aria-current="page"],option[selected]',
        );
        const t = picked ? shortText(picked) : shortText(sib);
        if (picked || !t || !ambiguousDates(t, now)) consider(t, picked ? 'selected' : 'heading');
      }
    }
    cur = cur.parentElement;
  }
  return out;
}

function ambiguousDates(text: string, now?: Date): boolean {
  const first = findDate(text, now);
  if (!first) return false;
  const parts = text.split(/\s{0,}(?=\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b)/i);
  const dates = new Set(parts.map((p) => findDate(p, now)).filter((d) => d !== null));
  return dates.size > 1;
}

/** A column with no header that is a strike ladder: every value positive, unique, and sorted. */
function ladderColumn(grid: Grid, taken: Set<number>, width: number): number | null {
  const sample = grid.rows.slice(0, 200);
  for (let col = 0; col < width; col++) {
    if (taken.has(col)) continue;
    const vals: number[] = [];
    for (const r of sample) {
      const c = cellAt(r.cells, col);
      const v = c ? priceOf(c.text) : null;
      if (v !== null) vals.push(v);
    }
    if (vals.length < 3 || vals.length < sample.length * 0.8) continue;
    const asc = vals.every((v, i) => i === 0 || v > vals[i - 1]!);
    const desc = vals.every((v, i) => i === 0 || v < vals[i - 1]!);
    if ((asc || desc) && vals.every((v) => v > 0)) return col;
  }
  return null;
}

export function planGrid(grid: Grid, aliases: Aliases, now?: Date): { plan: GridPlan } | { reason: string } {
  if (grid.headerRows.length === 0) return { reason: 'no header row' };
  // Leaf header: the header row with the most recognised columns; the others may carry Calls/Puts groups.
  let leaf = grid.headerRows[0]!;
  let best = -1;
  for (const hr of grid.headerRows) {
    const n = hr.filter((c) => meaning(c.text, aliases)).length;
    if (n > best) {
      best = n;
      leaf = hr;
    }
  }
  const cols: ColSpec[] = [];
  const strikeCols: number[] = [];
  let typeCol: number | null = null;
  let symbolCol: number | null = null;
  let expiryCol: number | null = null;
  let tradeDateCol: number | null = null;
  let width = 0;
  const notes: string[] = [];
  for (const c of leaf) {
    width = Math.max(width, c.col + c.span);
    if (TRADE_DATE.test(normaliseHeader(c.text))) tradeDateCol ??= c.col;
    const m = meaning(c.text, aliases);
    if (!m) continue;
    if (m.field === 'strike') strikeCols.push(c.col);
    else if (m.field === 'type') typeCol ??= c.col;
    else if (m.field === 'symbol') symbolCol ??= c.col;
    else if (m.field === 'expiry') expiryCol ??= c.col;
    else if (QUOTE_FIELDS.has(m.field))
      cols.push({ col: c.col, field: m.field, side: m.side, percent: m.percent, label: c.text });
  }
  for (const r of grid.rows.slice(0, 5)) for (const c of r.cells) width = Math.max(width, c.col + c.span);
  let strikeByLadder = false;
  if (strikeCols.length === 0) {
    const taken = new Set(cols.map((c) => c.col));
    const lad = cols.length >= 2 ? ladderColumn(grid, taken, width) : null;
    if (lad === null) return { reason: 'no column headed Strike' };
    strikeCols.push(lad);
    strikeByLadder = true;
  }
  if (!cols.some((c) => PRICE_FIELDS.has(c.field)))
    return { reason: 'a Strike column but no Bid, Ask, Last or Mark column' };

  // Group labels ("Calls" over the left block, "Puts" over the right), and a band row above the header that
  // names the whole table ("2022-05-11 - Puts": its side and expiry).
  let headDate: string | null = null;
  for (const hr of grid.headerRows) {
    if (hr === leaf) continue;
    const band = hr.length === 1;
    for (const g of hr) {
      if (band) headDate ??= findDate(g.text, now);
      const side = sideWord(g.text);
      if (!side) continue;
      let n = 0;
      for (const c of cols)
        if (c.side === null && (band || (c.col >= g.col && c.col < g.col + g.span))) {
          c.side = side;
          n++;
        }
      if (band && n > 0) notes.push(`side from the band row ${JSON.stringify(g.text.slice(0, 40))} above the header`);
    }
  }
  const ctx = surroundings(grid.el, now);
  if (headDate && !ctx.date) {
    ctx.date = headDate;
    ctx.from = 'band row above the header';
  }
  let occIn: GridPlan['occIn'] = symbolCol !== null ? occWhere(grid, symbolCol) : null;
  let sides: GridPlan['sides'] = 'columns';
  const unsided = cols.filter((c) => c.side === null);
  if (unsided.length > 0) {
    const s = strikeCols[0]!;
    const left = new Set(unsided.filter((c) => c.col < s).map((c) => c.field));
    const right = unsided.filter((c) => c.col > s).map((c) => c.field);
    const straddle =
      right.some((f) => left.has(f) && PRICE_FIELDS.has(f)) &&
      !(strikeCols.length > 1 && strikeCols[strikeCols.length - 1]! > Math.max(...unsided.map((c) => c.col)));
    const blocks = straddle ? null : twoBlocks(unsided);
    const bandRow = straddle || blocks ? null : sideBandRow(grid);
    if (straddle) {
      sides = 'straddle';
      for (const c of unsided) c.side = c.col < s ? 'call' : 'put';
    } else if (blocks) {
      // Strike at both ends (or one), each field twice: calls come first, as chains are written.
      sides = 'straddle';
      for (const c of unsided) c.side = c.col <= blocks ? 'call' : 'put';
      notes.push('sides from the column order: each column twice, calls first');
    } else if (typeCol !== null || (symbolCol !== null && occIn !== null)) {
      sides = 'row';
      if (typeCol === null && occIn === 'link')
        notes.push(
          `side from the option symbol in each row's link (column ${JSON.stringify(leafLabel(leaf, symbolCol!))})`,
        );
    } else if (bandRow?.first) {
      sides = 'band';
      notes.push(`side from the band row ${JSON.stringify(bandRow.text.slice(0, 40))}`);
    } else if (ctx.side) {
      sides = 'table';
      for (const c of unsided) c.side = ctx.side;
      notes.push(`side from the ${ctx.sideFrom ?? 'label'} around the table`);
    } else if (bandRow) {
      sides = 'band';
      notes.push(`side from the band row ${JSON.stringify(bandRow.text.slice(0, 40))}`);
    } else {
      const picked = selectedSide(grid.el);
      const linkCol = picked ? null : occLinkColumn(grid, width);
      if (picked) {
        sides = 'table';
        for (const c of unsided) c.side = picked.side;
        notes.push(`side from the page selector ${JSON.stringify(picked.text.slice(0, 40))}`);
      } else if (linkCol !== null) {
        sides = 'row';
        symbolCol = linkCol;
        occIn = 'link';
        notes.push(`side from the option symbol in each row's link (column ${linkCol + 1})`);
      } else
        return {
          reason:
            'Bid/Ask columns but no way to tell calls from puts (no Calls/Puts label, no Type column, no option symbols)',
        };
    }
  }
  // A field repeated on the same side keeps its first column.
  const seen = new Set<string>();
  const kept = cols.filter((c) => {
    const k = `${c.side}:${c.field}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  // IV as percent or fraction, decided per column from the header and the values.
  for (const c of kept) {
    if (c.field !== 'iv' || c.percent) continue;
    let maxV = 0;
    let pctSign = false;
    for (const r of grid.rows.slice(0, 300)) {
      const t = cellAt(r.cells, c.col)?.text ?? '';
      if (/%/.test(t)) pctSign = true;
      const v = priceOf(t.replace(/%\s*$/, ''));
      if (v !== null) maxV = Math.max(maxV, v);
    }
    c.percent = pctSign || maxV >= 3;
  }
  const score = kept.length + (strikeByLadder ? 0 : 2) + Math.min(grid.rows.length, 50) / 50;
  return {
    plan: {
      grid,
      cols: kept,
      strikeCols,
      typeCol,
      symbolCol,
      expiryCol,
      sides,
      context: { date: ctx.date, root: ctx.root, dateFrom: ctx.from },
      strikeByLadder,
      score,
      occIn,
      tradeDateCol,
      notes,
    },
  };
}

const TRADE_DATE =
  /^(?:last trade(?:d)? (?:date|time)(?: time)?|last trade date\/time|trade (?:date|time)|last traded)$/;

function leafLabel(leaf: GridCell[], col: number): string {
  return (cellAt(leaf, col)?.text ?? '').slice(0, 30);
}

/** Where the symbol column holds option symbols in its first rows: the text, only the link, or neither. */
function occWhere(grid: Grid, col: number): 'text' | 'link' | null {
  let text = 0;
  let link = 0;
  let n = 0;
  for (const r of grid.rows) {
    const c = cellAt(r.cells, col);
    if (!c) continue;
    if (++n > 40) break;
    if (findOccSymbol(c.text)) text++;
    else if (occInLink(c.el)) link++;
  }
  if (text === 0 && link === 0) return null;
  return text >= link ? 'text' : 'link';
}

/** A column whose cells link to option symbols (href=…optsym=SPY 220511P00383000), in most of the first rows. */
function occLinkColumn(grid: Grid, width: number): number | null {
  const sample = grid.rows.slice(0, 30);
  if (sample.length === 0) return null;
  for (let col = 0; col < width; col++) {
    let hits = 0;
    for (const r of sample) {
      const c = cellAt(r.cells, col);
      if (c && occInLink(c.el)) hits++;
    }
    if (hits >= Math.max(1, sample.length * 0.6)) return col;
  }
  return null;
}

/**
 * The first body row that names a side in at most two cells ("2022-05-11 - Puts", "CALLS"), and whether it
 * comes before every data row (then it sides them all), or null.
 */
function sideBandRow(grid: Grid): { text: string; first: boolean } | null {
  let data = false;
  for (const r of grid.rows) {
    if (r.cells.length > 2) {
      data ||= r.cells.some((c) => priceOf(c.text) !== null);
      continue;
    }
    const t = r.cells.map((c) => c.text).join(' ');
    if (sideWord(t)) return { text: t, first: !data };
  }
  return null;
}

/**
 * Unsided columns that hold each price field twice, the first copies all left of the second ("Strike Bid Ask
 * … Bid Ask … Strike"): the last column of the first block, or null.
 */
function twoBlocks(unsided: ColSpec[]): number | null {
  const first = new Map<Field, number>();
  const second = new Map<Field, number>();
  for (const c of unsided) {
    if (!first.has(c.field)) first.set(c.field, c.col);
    else if (!second.has(c.field)) second.set(c.field, c.col);
    else return null;
  }
  if (![...second.keys()].some((f) => PRICE_FIELDS.has(f))) return null;
  for (const f of first.keys()) if (PRICE_FIELDS.has(f) && !second.has(f)) return null;
  const lastFirst = Math.max(...[...first.values()]);
  const firstSecond = Math.min(...[...second.values()]);
  return lastFirst < firstSecond ? lastFirst : null;
}

/* ------------------------------------------------------------------ rows */

/**
 * `parse(cell.text)`, remembered on the cell until its text changes: on a ticking page a row's bid and ask change,
 * its strike, volume and IV mostly do not. Values are numbers or small objects that readRow only reads.
 */
function parsedCell<T>(cell: GridCell, parse: (text: string) => T): T {
  if (cell.memoText === cell.text && cell.memoParse === parse) return cell.memoValue as T;
  const value = parse(cell.text);
  cell.memoText = cell.text;
  cell.memoParse = parse;
  cell.memoValue = value;
  return value;
}

const ivPercent = (t: string) => ivOf(t, true);
const ivFraction = (t: string) => ivOf(t, false);

const NO_FLAGS = Object.freeze([]) as unknown as string[];
/** `flags` with `text` added: the shared empty list is never written to. */
function withFlag(flags: string[], text: string): string[] {
  if (flags === NO_FLAGS) return [text];
  flags.push(text);
  return flags;
}
const SIDES = ['call', 'put'] as const;
const PRICE_KEYS = ['bid', 'ask', 'last'] as const;

export function readRow(plan: GridPlan, row: GridRow, band: RowEntry['band'], now?: Date): RowReading {
  const cells = row.cells;
  const strikeCell = cellAt(cells, plan.strikeCols[0]!);
  const strikeText = strikeCell?.text ?? '';
  const strike = strikeCell && strikeCell.span === 1 ? parsedCell(strikeCell, priceOf) : null;
  if (strike === null) {
    const text = cells
      .map((c) => c.text)
      .join(' ')
      .trim();
    const date = findDate(text, now);
    const side = cells.length <= 2 ? sideWord(text) : null;
    const pm = /(?:price|last|underlying|spot)[^\d$]{0,12}\$?\s*([\d,]+\.\d+)/i.exec(text);
    if (date || side || (cells.length <= 2 && pm))
      return { kind: 'band', date, root: findRoot(text), side, price: pm ? priceOf(pm[1]!) : null };
    if (!cells.some((c) => priceOf(c.text) !== null)) return { kind: 'skip' };
    return {
      kind: 'drop',
      reason: strikeCell
        ? `strike cell ${JSON.stringify(strikeText.slice(0, 20))} is not a number`
        : 'no strike cell in this row',
    };
  }
  if (!(strike > 0)) return { kind: 'drop', reason: `strike ${strike} is not positive` };
  if (strike > MAX_PRICE) return { kind: 'drop', reason: `strike ${strike} is impossible (above ${MAX_PRICE})` };
  for (let i = 1; i < plan.strikeCols.length; i++) {
    const other = priceOf(cellAt(cells, plan.strikeCols[i]!)?.text ?? '');
    if (other !== null && other !== strike)
      return { kind: 'drop', reason: `strike columns disagree: ${strike} vs ${other}` };
  }
  let rowSide: Side | null = band.side;
  let date: string | null = null;
  let root: string | null = null;
  if (plan.typeCol !== null) rowSide = sideOf(cellAt(cells, plan.typeCol)?.text ?? '') ?? rowSide;
  if (plan.symbolCol !== null) {
    const cell = cellAt(cells, plan.symbolCol);
    const occ = cell ? (findOccSymbol(cell.text) ?? (plan.occIn === 'link' ? occInLink(cell.el) : null)) : null;
    if (occ) {
      if (plan.typeCol === null) rowSide = occ.side;
      date = occ.date;
      root = occ.root;
    }
  }
  if (plan.expiryCol !== null) date = findDate(cellAt(cells, plan.expiryCol)?.text ?? '', now) ?? date;
  // Most rows raise no flag: they share one empty list (never written to; a row with flags gets its own).
  let flags: string[] = NO_FLAGS;
  const quotes: { call?: Quote; put?: Quote } = {};
  const cols = plan.cols;
  for (let i = 0; i < cols.length; i++) {
    const c = cols[i]!;
    const side = c.side ?? rowSide;
    if (!side) continue;
    const cell = cellAt(cells, c.col);
    if (!cell || cell.el === strikeCell?.el) continue;
    const q = (quotes[side] ??= emptyQuote());
    const t = cell.text;
    switch (c.field) {
      case 'bid':
        q.bid = parsedCell(cell, priceOf);
        break;
      case 'ask':
        q.ask = parsedCell(cell, priceOf);
        break;
      case 'bidAsk': {
        const ba = parsedCell(cell, bidAskOf);
        q.bid = ba.bid;
        q.ask = ba.ask;
        break;
      }
      case 'last':
        q.last = parsedCell(cell, priceOf);
        break;
      case 'volume':
        q.volume = parsedCell(cell, countOf);
        break;
      case 'openInterest':
        q.openInterest = parsedCell(cell, countOf);
        break;
      case 'iv':
        q.iv = parsedCell(cell, c.percent ? ivPercent : ivFraction);
        break;
      case 'delta':
        q.delta = parsedCell(cell, priceOf);
        break;
      case 'mark':
        break;
    }
    if (c.field !== 'mark' && valueOf(q, c.field) === null && !isMissingMarker(t))
      flags = withFlag(flags, `${side} ${c.label || c.field} ${JSON.stringify(t.slice(0, 24))} unreadable`);
  }
  if (plan.sides === 'row' && rowSide === null && plan.cols.some((c) => c.side === null))
    return { kind: 'drop', reason: 'cannot tell call from put in this row (Type/Symbol cell unreadable)' };
  for (let s = 0; s < SIDES.length; s++) {
    const side = SIDES[s]!;
    const q = quotes[side];
    if (!q) continue;
    // An option price above any listed strike is a broken cell, not a market: left out, with the reason.
    for (let k = 0; k < PRICE_KEYS.length; k++) {
      const f = PRICE_KEYS[k]!;
      const v = q[f];
      if (v !== null && Math.abs(v) > MAX_PRICE) {
        flags = withFlag(flags, `impossible ${side} ${f} ${v}: left out`);
        q[f] = null;
      }
    }
    if (q.bid !== null && q.ask !== null) {
      const problem = marketProblem(q.bid, q.ask);
      if (problem === 'no-offer') flags = withFlag(flags, `no offer: ${side} bid ${q.bid} ask 0`);
      else if (problem === 'crossed') flags = withFlag(flags, `crossed market: ${side} bid ${q.bid} > ask ${q.ask}`);
      else if (problem === 'zero') flags = withFlag(flags, `zero market: ${side} bid 0 ask 0`);
    }
    if ((q.bid !== null && q.bid < 0) || (q.ask !== null && q.ask < 0))
      flags = withFlag(flags, `negative ${side} price`);
  }
  return { kind: 'data', strike, date, root, quotes, flags };
}

function valueOf(q: Quote, f: Field): number | null {
  switch (f) {
    case 'bid':
      return q.bid;
    case 'ask':
      return q.ask;
    case 'bidAsk':
      return q.bid ?? q.ask;
    case 'last':
      return q.last;
    case 'volume':
      return q.volume;
    case 'openInterest':
      return q.openInterest;
    case 'iv':
      return q.iv;
    case 'delta':
      return q.delta;
    default:
      return 0;
  }
}

/**
 * Every row of a plan read, band context flowing down; `startIndex` numbers the rows across grids. In steps (see
 * drain in grid.ts).
 */
export function* readPlanRowsSteps(plan: GridPlan, startIndex: number, now?: Date): Generator<void, RowEntry[]> {
  const out: RowEntry[] = [];
  let band: RowEntry['band'] = { date: null, root: null, side: null };
  let i = startIndex;
  for (const row of plan.grid.rows) {
    if (i > startIndex && (i - startIndex) % ROWS_PER_STEP === 0) yield;
    const reading = readRow(plan, row, band, now);
    out.push({ index: i++, plan, row, band, reading });
    if (reading.kind === 'band') {
      band = {
        date: reading.date ?? band.date,
        root: reading.date ? reading.root : (reading.root ?? band.root),
        side: reading.side ?? (reading.date ? null : band.side),
      };
      if (reading.side && reading.date === null) band = { ...band, side: reading.side };
    }
  }
  return out;
}

/* ------------------------------------------------------------------ assembling */

interface Slot {
  date: string;
  root: string | null;
  rows: Map<number, ChainRow>;
}

/** Where an entry's quotes went in the assembled chain: expiry index, row index, the sides it gave. */
export interface RowPlace {
  e: number;
  r: number;
  sides: Side[];
}

/** An assembled chain, with what a later re-assembly of a few rows needs (see reassemble). */
export interface Assembly {
  chain: Chain | null;
  report: ReadingReport;
  reason: string | null;
  vix: VixSighting[];
  /** Each data entry whose quotes are in the chain → where. */
  places: Map<RowEntry, RowPlace>;
  /** The page context the chain was assembled with. */
  page: PageContext;
  /** Set by reassemble: the chain is `from` with these rows replaced. */
  changes?: { from: Chain; rows: RowChange[] };
}

function vixOf(reading: Reading): VixSighting[] {
  const at = (reading.now ?? new Date()).toISOString();
  return reading.page.vix.map((v) => ({ at, value: v.value, source: `${reading.adapter}: ${v.source}` }));
}

export function assemble(reading: Reading): Assembly {
  return drain(assembleSteps(reading));
}

/** assemble in steps (see drain in grid.ts). */
export function* assembleSteps(reading: Reading): Generator<void, Assembly> {
  const report: ReadingReport = {
    adapter: reading.adapter,
    rowsRead: 0,
    rowsDropped: 0,
    dropped: [],
    flagged: [],
    confidence: 0,
    notes: [...reading.notes],
  };
  const warnings: ChainWarning[] = [];
  const slots = new Map<string, Slot>();
  let noDate = 0;
  let ladderBreaks = 0;
  let ladderPairs = 0;
  let lastStrike = new Map<GridPlan, number>();
  let firstRoot: string | null = null;
  /** Each entry's chain row and the sides it gave, until the rows are sorted into places. */
  const gave = new Map<RowEntry, { row: ChainRow; sides: Side[] }>();
  let n = 0;
  for (const e of reading.entries) {
    if (++n % ROWS_PER_STEP === 0) yield;
    const r = e.reading;
    if (r.kind === 'drop') {
      report.rowsDropped++;
      report.dropped.push({ row: e.index, reason: r.reason });
      continue;
    }
    if (r.kind !== 'data') continue;
    const date = r.date ?? e.band.date ?? e.plan.context.date ?? reading.page.date;
    if (!date) {
      noDate++;
      report.rowsDropped++;
      report.dropped.push({ row: e.index, reason: 'no expiry date for this row' });
      continue;
    }
    const root = r.root ?? e.band.root ?? e.plan.context.root ?? reading.page.root;
    firstRoot ??= root;
    const key = `${date}|${root ?? ''}`;
    let slot = slots.get(key);
    if (!slot) slots.set(key, (slot = { date, root, rows: new Map() }));
    let cr = slot.rows.get(r.strike);
    if (!cr) slot.rows.set(r.strike, (cr = { strike: r.strike, call: null, put: null }));
    const sides: Side[] = [];
    for (const side of ['call', 'put'] as const) {
      const q = r.quotes[side];
      if (!q) continue;
      if (cr[side]) {
        report.flagged.push({
          row: e.index,
          reason: `duplicate ${side} at strike ${r.strike} (${date}): kept the first`,
        });
        continue;
      }
      cr[side] = q;
      sides.push(side);
    }
    if (sides.length > 0) gave.set(e, { row: cr, sides });
    report.rowsRead++;
    for (const f of r.flags) {
      report.flagged.push({ row: e.index, reason: f });
      if (/^(crossed|zero|no offer|negative)/.test(f)) warnings.push({ row: e.index, reason: f });
    }
    const prev = lastStrike.get(e.plan);
    if (prev !== undefined) {
      ladderPairs++;
      if (r.strike === prev) ladderBreaks++;
    }
    lastStrike.set(e.plan, r.strike);
  }
  lastStrike = new Map();
  const page = reading.page;
  const vix = vixOf(reading);
  const places = new Map<RowEntry, RowPlace>();
  if (report.rowsRead === 0) {
    const reason =
      noDate > 0
        ? `read ${noDate} rows but found no expiry date on the page (no date in the rows, band rows, headings or selected expiry)`
        : report.rowsDropped > 0
          ? `found a chain but could not read any of its ${report.rowsDropped} rows (${report.dropped[0]!.reason})`
          : 'found a chain layout with no rows in it';
    return { chain: null, report, reason, vix, places, page };
  }
  const expiries: Expiry[] = [...slots.values()]
    .sort((a, b) => (a.date === b.date ? (a.root ?? '').localeCompare(b.root ?? '') : a.date < b.date ? -1 : 1))
    .map((s) => ({
      date: s.date,
      root: s.root,
      settlement: inferSettlement(s.root, s.date),
      rows: [...s.rows.values()].sort((a, b) => a.strike - b.strike),
    }));
  let symbol = page.symbol;
  if (!symbol && firstRoot) symbol = underlyingForRoot(firstRoot);
  if (page.notes) report.notes.push(...page.notes);
  if (!symbol) report.notes.push('underlying symbol not found on the page');
  if (page.price === null) report.notes.push('underlying price not shown on the page');
  const chain: Chain = {
    version: CHAIN_VERSION,
    underlying: { symbol: symbol ?? 'UNKNOWN', price: page.price },
    asOf: page.asOf ?? (reading.now ? reading.now.toISOString() : null),
    source: { kind: 'html', adapter: reading.adapter },
    expiries,
    warnings,
  };
  // Confidence: share of rows read, penalties for guesses.
  let conf = report.rowsRead / (report.rowsRead + report.rowsDropped);
  const plans = reading.plans;
  if (plans.some((p) => p.strikeByLadder)) conf *= 0.7;
  if (!plans.some((p) => p.cols.some((c) => c.field === 'bid' || c.field === 'bidAsk'))) {
    conf *= 0.8;
    report.notes.push('no Bid column: quotes carry last prices only');
  }
  if (plans.some((p) => p.cols.some((c) => c.field === 'mark')))
    report.notes.push('Mark/Mid column seen but not kept (the Chain keeps bid and ask)');
  if (ladderPairs > 0 && ladderBreaks / ladderPairs > 0.1) conf *= 0.8;
  if (!symbol) conf *= 0.9;
  if (report.flagged.length > report.rowsRead / 2) conf *= 0.9;
  report.confidence = Math.round(Math.max(0, Math.min(1, conf)) * 1000) / 1000;
  yield;
  const at = new Map<ChainRow, [number, number]>();
  expiries.forEach((ex, ei) => ex.rows.forEach((row, ri) => at.set(row, [ei, ri])));
  for (const [e, g] of gave) {
    if (++n % ROWS_PER_STEP === 0) yield;
    const [ei, ri] = at.get(g.row)!;
    places.set(e, { e: ei, r: ri, sides: g.sides });
  }
  return { chain, report, reason: null, vix, places, page };
}

function sameFlags(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * The chain after a few rows were re-read, without assembling it again — or null when the change is more than
 * new quotes (a strike, a date, a side, a flag or a drop reason changed; the page's symbol, date or root, or
 * whether it shows a price): then assemble. Rows are replaced, never modified: every row of the new chain that
 * no entry touched is the same object as in the previous chain (the content script diffs by identity).
 * `changed`: each re-read entry with its reading before.
 */
export function reassemble(
  prev: Assembly,
  reading: Reading,
  changed: readonly { entry: RowEntry; before: RowReading }[],
): Assembly | null {
  const old = prev.chain;
  if (!old) return null;
  const page = reading.page;
  if (
    page !== prev.page &&
    (page.symbol !== prev.page.symbol ||
      page.date !== prev.page.date ||
      page.root !== prev.page.root ||
      (page.price === null) !== (prev.page.price === null))
  )
    return null;
  let expiries: Expiry[] | null = null;
  const rows: RowChange[] = [];
  for (let i = 0; i < changed.length; i++) {
    const { entry, before } = changed[i]!;
    const now = entry.reading;
    if (now.kind !== before.kind) return null;
    if (now.kind === 'skip') continue;
    if (now.kind === 'drop') {
      if (before.kind !== 'drop' || before.reason !== now.reason) return null;
      continue;
    }
    if (now.kind !== 'data' || before.kind !== 'data') return null;
    if (
      now.strike !== before.strike ||
      now.date !== before.date ||
      now.root !== before.root ||
      !now.quotes.call !== !before.quotes.call ||
      !now.quotes.put !== !before.quotes.put ||
      !sameFlags(now.flags, before.flags)
    )
      return null;
    const place = prev.places.get(entry);
    if (!place) continue; // its quotes were not kept (a duplicate, or no date): still not
    const current = (expiries ?? old.expiries)[place.e]!.rows[place.r]!;
    // A side whose numbers did not change keeps its quote object; a row with no change is not replaced.
    let row: ChainRow | null = null;
    for (let s = 0; s < place.sides.length; s++) {
      const side = place.sides[s]!;
      const q = now.quotes[side] ?? null;
      if (sameQuote(current[side], q)) continue;
      row ??= { ...current };
      row[side] = q;
    }
    if (row === null) continue;
    expiries ??= old.expiries.slice();
    let ex = expiries[place.e]!;
    if (ex === old.expiries[place.e]) expiries[place.e] = ex = { ...ex, rows: ex.rows.slice() };
    ex.rows[place.r] = row;
    rows.push({ e: place.e, r: place.r, row });
  }
  const chain: Chain = {
    ...old,
    underlying: { symbol: old.underlying.symbol, price: page.price },
    asOf: page.asOf ?? (reading.now ? reading.now.toISOString() : null),
    expiries: expiries ?? old.expiries,
  };
  return { ...prev, chain, vix: vixOf(reading), page, changes: { from: old, rows } };
}
