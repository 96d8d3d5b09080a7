/**
 * What every broker parser shares: rows with their file line numbers, header columns looked up by name,
 * strict numbers and dates (an unreadable cell is an error naming the line, never a guess), and option legs
 * built through the one OCC module.
 */
import { parseCsv } from '../../chain/importers/csv.ts';
import { underlyingForRoot } from '../../chain/importers/cboe.ts';
import { parseNumber } from '../../chain/numbers.ts';
import { parseDate } from '../../chain/dates.ts';
import { formatOcc, parseOcc, type OccSymbol } from '../../chain/occ.ts';
import type { ImportedLeg, OptionLeg } from '../types.ts';

/** A line the parser cannot place: the import stops with this message. */
export class PositionImportError extends Error {
  override name = 'PositionImportError';
  constructor(
    readonly line: number | null,
    message: string,
  ) {
    super(line === null ? message : `line ${line}: ${message}`);
  }
}

export function fail(line: number | null, message: string): never {
  throw new PositionImportError(line, message);
}

export interface Row {
  /** 1-based line of the file where the record starts. */
  line: number;
  cells: string[];
}

/**
 * The file's CSV records with the line each starts on. A quoted field may hold a line break, so a record's
 * first line is counted from the breaks inside the records before it.
 */
export function readRows(text: string): Row[] {
  const rows: Row[] = [];
  let line = 1;
  for (const cells of parseCsv(text)) {
    rows.push({ line, cells });
    line += 1;
    for (const c of cells) line += (c.match(/\r\n|\r|\n/g) ?? []).length;
  }
  return rows;
}

/** True when a record has no text at all (a blank line, or a row of empty quoted fields). */
export function isBlank(cells: string[]): boolean {
  return cells.every((c) => c.trim() === '');
}

/** A header's columns by name (trimmed, case-insensitive). */
export class Columns {
  private readonly index = new Map<string, number>();
  constructor(
    readonly header: string[],
    readonly line: number,
  ) {
    header.forEach((h, i) => {
      const k = h.trim().toLowerCase();
      if (k !== '' && !this.index.has(k)) this.index.set(k, i);
    });
  }
  has(name: string): boolean {
    return this.index.has(name.toLowerCase());
  }
  /** The first of `names` the header has, or null. */
  pick(...names: string[]): string | null {
    return names.find((n) => this.has(n)) ?? null;
  }
  /** Check the header has every column named; an error naming the missing ones otherwise. */
  require(names: string[], what: string): void {
    const missing = names.filter((n) => !this.has(n));
    if (missing.length > 0) {
      fail(this.line, `${what} header lacks ${missing.map((m) => `"${m}"`).join(', ')}`);
    }
  }
  /** The cell under `name` in a row, trimmed ('' when the row is short or the header lacks the column). */
  cell(row: Row, name: string): string {
    const i = this.index.get(name.toLowerCase());
    return i === undefined ? '' : (row.cells[i] ?? '').trim();
  }
}

/** A required number: "$1,234.50", "(2.10)", "-1", ".925". Anything else is an error naming line and column. */
export function numberCell(text: string, line: number, column: string): number {
  const n = parseNumber(text);
  if (n === null) fail(line, `column "${column}": expected a number, got ${JSON.stringify(text)}`);
  return n;
}

/** A signed, whole, non-zero quantity. */
export function quantityCell(text: string, line: number, column: string): number {
  const n = numberCell(text, line, column);
  if (!Number.isInteger(n) || n === 0) {
    fail(line, `column "${column}": expected a whole non-zero quantity, got ${JSON.stringify(text)}`);
  }
  return n;
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];

/**
 * A day-month-year date with a month name and a two-digit year, as thinkorswim ("17 APR 26") and
 * Interactive Brokers ("17APR26") write expiries.
 */
export function dayMonYy(text: string, line: number, column: string): string {
  const m = /^(\d{1,2})\s*([A-Za-z]{3})\s*(\d{2})$/.exec(text.trim());
  const month = m ? MONTHS.indexOf(m[2]!.toUpperCase()) + 1 : 0;
  const d = m && month > 0 ? parseDate(`20${m[3]}-${month}-${m[1]}`) : null;
  if (!d?.ok) fail(line, `column "${column}": expected a date like "17 APR 26", got ${JSON.stringify(text)}`);
  return d.date;
}

/** A US month-first date ("04/17/2026", "4/17/26", also ISO). */
export function usDate(text: string, line: number, column: string): string {
  const d = parseDate(text.trim(), { dayFirst: false });
  if (!d.ok) fail(line, `column "${column}": expected a date like 04/17/2026, got ${JSON.stringify(text)}`);
  return d.date;
}

/** "P"/"PUT"/"C"/"CALL" (any case), or an error. */
export function kindCell(text: string, line: number, column: string): 'put' | 'call' {
  const t = text.trim().toUpperCase();
  if (t === 'P' || t === 'PUT') return 'put';
  if (t === 'C' || t === 'CALL') return 'call';
  fail(line, `column "${column}": expected PUT or CALL, got ${JSON.stringify(text)}`);
}

/** An OCC-style symbol in any of the forms occ.ts reads, or an error saying what was expected. */
export function occCell(text: string, line: number, column: string): OccSymbol {
  const o = parseOcc(text);
  if (!o) {
    fail(
      line,
      `column "${column}": expected an OCC option symbol like "SPXW  260417P06400000", got ${JSON.stringify(text)}`,
    );
  }
  return o;
}

/** An option leg from its OCC parts; the underlying is the root's (SPXW → SPX) unless the file names it. */
export function optionLeg({
  occ,
  quantity,
  openPrice,
  multiplier = 100,
  underlying,
  line,
  account,
}: {
  occ: OccSymbol;
  quantity: number;
  openPrice: number;
  multiplier?: number;
  underlying?: string;
  line: number;
  account?: string;
}): ImportedLeg {
  if (!(openPrice >= 0) || !Number.isFinite(openPrice)) fail(line, `open price ${openPrice} is not a price`);
  let symbol: string;
  try {
    symbol = formatOcc(occ);
  } catch (e) {
    fail(line, e instanceof Error ? e.message : String(e));
  }
  const leg: OptionLeg & { line: number; account?: string } = {
    asset: 'option',
    occ: symbol,
    underlying: (underlying ?? underlyingForRoot(occ.root)).toUpperCase(),
    root: occ.root,
    expiry: occ.expiry,
    strike: occ.strike,
    kind: occ.kind,
    quantity,
    openPrice: roundPrice(openPrice),
    multiplier,
    line,
  };
  if (account !== undefined) leg.account = account;
  return leg;
}

/** A share (or futures) leg; the symbol must look like one and the quantity must not be 0. */
export function shareLeg({
  symbol,
  quantity,
  openPrice,
  line,
  account,
  asset = 'shares',
  multiplier = asset === 'shares' ? 1 : null,
}: {
  symbol: string;
  quantity: number;
  openPrice: number;
  line: number;
  account?: string;
  asset?: 'shares' | 'future';
  multiplier?: number | null;
}): ImportedLeg {
  if (!/^\/?[A-Z][A-Z0-9./ ]{0,11}$/.test(symbol))
    fail(line, `expected a share or futures symbol, got ${JSON.stringify(symbol)}`);
  if (quantity === 0) fail(line, `a holding of 0 ${symbol}`);
  if (!(openPrice >= 0) || !Number.isFinite(openPrice)) fail(line, `open price ${openPrice} is not a price`);
  const leg: ImportedLeg = { asset, symbol, quantity, openPrice: roundPrice(openPrice), multiplier, line };
  if (account !== undefined) leg.account = account;
  return leg;
}

/** Prices divided out of totals ("$370.00" / 2 / 100) are rounded to 1/10,000 of a dollar. */
export function roundPrice(x: number): number {
  return Math.round(x * 10_000) / 10_000;
}

/** Check a column that repeats what the OCC symbol says (strike, put/call, expiry) agrees with it. */
export function agree(line: number, column: string, written: string | number, fromSymbol: string | number): void {
  if (written !== fromSymbol) {
    fail(
      line,
      `column "${column}" says ${JSON.stringify(written)} but the option symbol says ${JSON.stringify(fromSymbol)}`,
    );
  }
}
