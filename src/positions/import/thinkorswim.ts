/**
 * thinkorswim (Schwab, formerly TD Ameritrade) account statement CSV: Monitor → Account Statement → menu →
 * "Export to File…". Several sections, each a title line ("Options"), a header line and rows, separated by
 * blank lines; before them a preamble ("This document was exported from the thinkorswim platform.",
 * "Account Statement for … since … through …").
 *
 * Read: "Options" (the option holding at the statement's end: Symbol,Option Code,Exp,Strike,Type,Qty,Trade
 * Price,Mark,Mark Value — older files: Close Price,Close Value), "Equities" (Symbol,Description,Qty,Trade
 * Price,…), and "Account Trade History" (,Exec Time,Spread,Side,Qty,Pos Effect,Symbol,Exp,Strike,Type,Price,
 * Net Price,Order Type; the legs of one spread order follow its first row with Exec Time and Spread empty).
 * When the statement has an Options section it is the holding; the trade history is then read and checked
 * but not netted. Without one, the trade history's fills are netted (fills.ts).
 * Other known sections (cash, orders, P/L, summary) are skipped as blocks and reported.
 */
import { parseOcc, type OccSymbol } from '../../chain/occ.ts';
import {
  agree,
  Columns,
  dayMonYy,
  fail,
  isBlank,
  kindCell,
  numberCell,
  optionLeg,
  quantityCell,
  readRows,
  type Row,
} from './common.ts';
import { netFills, type Fill } from './fills.ts';
import type { ImportedLeg, ParsedLegs, SkippedLine } from '../types.ts';

/** Sections that hold no position; their lines are skipped as a block. */
const OTHER_SECTIONS = new Set([
  'cash balance',
  'futures statements',
  'forex statements',
  'crypto statements',
  'account order history',
  'profits and losses',
  'account summary',
  'forex account summary',
  'forex',
  'crypto',
]);
/** Sections HedgeLens does not read yet: an error if they hold a row, so nothing is left out unseen. */
const UNSUPPORTED_SECTIONS = new Set(['futures', 'futures options']);
/** Underlyings with more than one option root. */
const MULTI_ROOT = new Set(['SPX', 'NDX', 'RUT', 'VIX']);
const READ_SECTIONS = new Set(['options', 'equities', 'account trade history']);

export function looksLikeThinkorswim(rows: Row[]): string | null {
  for (const r of rows.slice(0, 40)) {
    const first = (r.cells[0] ?? '').trim();
    if (/^This document was exported from the (thinkorswim|paperMoney) platform/i.test(first)) return first;
    if (/^Account Statement for /i.test(first)) return first;
    if (r.cells.slice(1, 6).join(',') === 'Exec Time,Spread,Side,Qty,Pos Effect') return r.cells.join(',');
    if (r.cells.slice(0, 3).join(',') === 'Symbol,Option Code,Exp') return r.cells.join(',');
  }
  return null;
}

function titleOf(row: Row): string | null {
  const first = (row.cells[0] ?? '').trim();
  if (first === '' || row.cells.slice(1).some((c) => c.trim() !== '')) return null;
  return first;
}

interface Section {
  title: string;
  titleLine: number;
  header: Row | null;
  rows: Row[];
}

function splitSections(rows: Row[], skipped: SkippedLine[]): Section[] {
  const sections: Section[] = [];
  let current: Section | null = null;
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    if (isBlank(row.cells)) continue;
    const title = titleOf(row);
    const key = title?.toLowerCase() ?? '';
    const known = READ_SECTIONS.has(key) || OTHER_SECTIONS.has(key) || UNSUPPORTED_SECTIONS.has(key);
    if (title !== null && known) {
      current = { title, titleLine: row.line, header: null, rows: [] };
      sections.push(current);
      continue;
    }
    if (current === null) {
      // The preamble before the first section.
      if (title !== null && /^(This document was exported from|Account Statement for )/i.test(title)) {
        skipped.push({ line: row.line, reason: 'statement preamble' });
        continue;
      }
      fail(
        row.line,
        `expected the statement preamble or a section title (e.g. "Options"), got ${JSON.stringify(row.cells.join(','))}`,
      );
    }
    if (current.header === null) {
      current.header = row;
      continue;
    }
    // A one-cell line after a blank line, followed by a header-like line, is a section this parser does not know.
    const prevBlank = i > 0 && isBlank(rows[i - 1]!.cells);
    const next = rows[i + 1];
    if (title !== null && prevBlank && next && next.cells.filter((c) => c.trim() !== '').length >= 3) {
      fail(
        row.line,
        `unknown section ${JSON.stringify(title)}; known sections: Options, Equities, Account Trade History, ${[...OTHER_SECTIONS, ...UNSUPPORTED_SECTIONS].join(', ')}`,
      );
    }
    current.rows.push(row);
  }
  return sections;
}

function isTotals(row: Row): boolean {
  return (row.cells[0] ?? '').trim() === '' && /^OVERALL TOTALS$/i.test((row.cells[1] ?? '').trim());
}

/**
 * The Options section's Exp beside the option code's expiry: "17 APR 26", with an optional series note
 * ("17 APR 26 (Weeklys)"), or in older statements month and year only ("MAR 15").
 */
function checkExp(text: string, expiry: string, line: number): void {
  const t = text.replace(/\s*[([][^)\]]*[)\]]\s*$/, '').trim();
  const monthYear = /^([A-Za-z]{3})\s+(\d{2})$/.exec(t);
  if (monthYear) {
    agree(line, 'Exp', dayMonYy(`1 ${monthYear[1]} ${monthYear[2]}`, line, 'Exp').slice(0, 7), expiry.slice(0, 7));
    return;
  }
  agree(line, 'Exp', dayMonYy(t, line, 'Exp'), expiry);
}

function readOptions(section: Section, skipped: SkippedLine[]): ImportedLeg[] {
  const cols = new Columns(section.header!.cells, section.header!.line);
  cols.require(['Symbol', 'Option Code', 'Exp', 'Strike', 'Type', 'Qty', 'Trade Price'], 'Options section');
  const legs: ImportedLeg[] = [];
  for (const row of section.rows) {
    if (isTotals(row)) {
      skipped.push({ line: row.line, reason: 'Options section total row' });
      continue;
    }
    const code = cols.cell(row, 'Option Code');
    const occ = parseOcc(code);
    if (!occ)
      fail(
        row.line,
        `Options section: column "Option Code": expected an option code like "SPXW260417P6400", got ${JSON.stringify(code)}`,
      );
    checkExp(cols.cell(row, 'Exp'), occ.expiry, row.line);
    agree(row.line, 'Strike', numberCell(cols.cell(row, 'Strike'), row.line, 'Strike'), occ.strike);
    agree(row.line, 'Type', kindCell(cols.cell(row, 'Type'), row.line, 'Type'), occ.kind);
    const symbol = cols.cell(row, 'Symbol');
    if (!/^[A-Z][A-Z0-9./]{0,9}$/.test(symbol))
      fail(
        row.line,
        `Options section: column "Symbol": expected the underlying's symbol, got ${JSON.stringify(symbol)}`,
      );
    legs.push(
      optionLeg({
        occ,
        underlying: symbol,
        quantity: quantityCell(cols.cell(row, 'Qty'), row.line, 'Qty'),
        openPrice: Math.abs(numberCell(cols.cell(row, 'Trade Price'), row.line, 'Trade Price')),
        line: row.line,
      }),
    );
  }
  return legs;
}

function readEquities(section: Section, skipped: SkippedLine[]): ImportedLeg[] {
  const cols = new Columns(section.header!.cells, section.header!.line);
  cols.require(['Symbol', 'Qty', 'Trade Price'], 'Equities section');
  const legs: ImportedLeg[] = [];
  for (const row of section.rows) {
    if (isTotals(row)) {
      skipped.push({ line: row.line, reason: 'Equities section total row' });
      continue;
    }
    const symbol = cols.cell(row, 'Symbol');
    if (!/^[A-Z][A-Z0-9./]{0,9}$/.test(symbol))
      fail(row.line, `Equities section: column "Symbol": expected a share symbol, got ${JSON.stringify(symbol)}`);
    const quantity = numberCell(cols.cell(row, 'Qty'), row.line, 'Qty');
    if (quantity === 0) fail(row.line, 'Equities section: a holding of 0 shares');
    legs.push({
      asset: 'shares',
      symbol,
      quantity,
      openPrice: Math.abs(numberCell(cols.cell(row, 'Trade Price'), row.line, 'Trade Price')),
      multiplier: 1,
      line: row.line,
    });
  }
  return legs;
}

/** The trade history's fills, and the lines of futures fills (symbols like "/ESM26"), which are not read. */
function readTradeHistory(section: Section): { fills: Fill[]; futures: number[] } {
  const cols = new Columns(section.header!.cells, section.header!.line);
  cols.require(
    ['Exec Time', 'Side', 'Qty', 'Pos Effect', 'Symbol', 'Exp', 'Strike', 'Type', 'Price'],
    'Account Trade History',
  );
  const fills: Fill[] = [];
  const futures: number[] = [];
  let spreadOpen = false;
  for (const row of section.rows) {
    const exec = cols.cell(row, 'Exec Time');
    if (exec !== '') spreadOpen = true;
    else if (!spreadOpen) fail(row.line, 'Account Trade History: a spread leg row before any row with an Exec Time');
    if (cols.cell(row, 'Symbol').startsWith('/')) {
      futures.push(row.line);
      continue;
    }
    const side = cols.cell(row, 'Side').toUpperCase();
    if (side !== 'BUY' && side !== 'SELL')
      fail(row.line, `Account Trade History: column "Side": expected BUY or SELL, got ${JSON.stringify(side)}`);
    const quantity = quantityCell(cols.cell(row, 'Qty'), row.line, 'Qty');
    if ((side === 'BUY') !== quantity > 0)
      fail(row.line, `Account Trade History: Side ${side} with quantity ${quantity}`);
    const effect = cols.cell(row, 'Pos Effect').toUpperCase();
    if (effect !== 'TO OPEN' && effect !== 'TO CLOSE')
      fail(
        row.line,
        `Account Trade History: column "Pos Effect": expected TO OPEN or TO CLOSE, got ${JSON.stringify(effect)}`,
      );
    const symbol = cols.cell(row, 'Symbol').toUpperCase();
    if (!/^[A-Z][A-Z0-9.]{0,9}$/.test(symbol))
      fail(
        row.line,
        `Account Trade History: column "Symbol": expected a symbol, got ${JSON.stringify(symbol)} (futures are not read)`,
      );
    const priceText = cols.cell(row, 'Price');
    const price = priceText === '~' ? null : Math.abs(numberCell(priceText, row.line, 'Price'));
    const type = cols.cell(row, 'Type').toUpperCase();
    const line = row.line;
    if (type === 'STOCK' || type === 'ETF') {
      fills.push({
        line,
        key: symbol,
        quantity,
        price,
        opening: effect === 'TO OPEN',
        make: (q, p, l) => ({ asset: 'shares', symbol, quantity: q, openPrice: p, multiplier: 1, line: l }),
      });
      continue;
    }
    if (type !== 'PUT' && type !== 'CALL')
      fail(line, `Account Trade History: column "Type": expected PUT, CALL, STOCK or ETF, got ${JSON.stringify(type)}`);
    // The expiry may carry a series note ("17 APR 26 (Weeklys)"); the date is what identifies it.
    const expText = cols.cell(row, 'Exp').replace(/\s*[([][^)\]]*[)\]]\s*$/, '');
    const occ: OccSymbol = {
      // The trade history names the underlying, not the option root; see the root note in the report.
      root: symbol,
      expiry: dayMonYy(expText, line, 'Exp'),
      kind: kindCell(type, line, 'Type'),
      strike: numberCell(cols.cell(row, 'Strike'), line, 'Strike'),
    };
    if (!(occ.strike > 0))
      fail(
        line,
        `Account Trade History: column "Strike": expected a strike, got ${JSON.stringify(cols.cell(row, 'Strike'))}`,
      );
    const key = `${symbol} ${occ.expiry} ${occ.strike} ${occ.kind}`;
    fills.push({
      line,
      key,
      quantity,
      price,
      opening: effect === 'TO OPEN',
      make: (q, p, l) => optionLeg({ occ, underlying: symbol, quantity: q, openPrice: p, line: l }),
    });
  }
  return { fills, futures };
}

export function parseThinkorswim(text: string): ParsedLegs {
  const rows = readRows(text);
  const skipped: SkippedLine[] = [];
  const notes: string[] = [];
  const sections = splitSections(rows, skipped);
  const legs: ImportedLeg[] = [];
  let options: Section | null = null;
  let fills: Fill[] | null = null;
  let futureFills: number[] = [];
  for (const s of sections) {
    const key = s.title.toLowerCase();
    if (OTHER_SECTIONS.has(key)) {
      for (const r of [...(s.header ? [s.header] : []), ...s.rows])
        skipped.push({ line: r.line, reason: `section "${s.title}" (not a holding)` });
      skipped.push({ line: s.titleLine, reason: `section title "${s.title}"` });
      continue;
    }
    skipped.push({ line: s.titleLine, reason: `section title "${s.title}"` });
    if (s.header === null) continue; // a title with nothing under it
    skipped.push({ line: s.header.line, reason: `section "${s.title}" header` });
    if (UNSUPPORTED_SECTIONS.has(key)) {
      const data = s.rows.find((r) => !isTotals(r));
      if (data) fail(data.line, `section "${s.title}": futures and futures options are not imported yet`);
      for (const r of s.rows) skipped.push({ line: r.line, reason: `section "${s.title}" total row` });
      continue;
    }
    if (key === 'options') {
      options = s;
      legs.push(...readOptions(s, skipped));
    } else if (key === 'equities') {
      legs.push(...readEquities(s, skipped));
    } else {
      const history = readTradeHistory(s);
      fills = history.fills;
      futureFills = history.futures;
      if (fills.length === 0 && futureFills.length === 0)
        notes.push('the Account Trade History section holds no fills');
    }
  }
  if (futureFills.length > 0) {
    // With an Options section the holding is known without them; without one, leaving them out would be a guess.
    if (options === null) fail(futureFills[0]!, 'Account Trade History: futures fills are not imported yet');
    for (const line of futureFills) skipped.push({ line, reason: 'futures fill in the trade history (not read)' });
  }
  if (fills !== null && fills.length > 0) {
    if (options !== null) {
      for (const f of fills)
        skipped.push({ line: f.line, reason: 'trade history fill (checked; the Options section is the holding)' });
      notes.push(
        `${fills.length} trade-history fills read and checked; the positions are the Options section's holding`,
      );
    } else {
      const { legs: netted, closed } = netFills(fills);
      legs.push(...netted);
      skipped.push(...closed);
      notes.push(
        `no Options section: positions netted from ${fills.length} trade-history fills; open prices are averages of the opening fills`,
      );
      // SPX has two roots (SPX AM, SPXW PM) on the same dates; so do NDX, RUT and VIX. Say which was taken.
      const multiRoot = [
        ...new Set(netted.flatMap((l) => (l.asset === 'option' && MULTI_ROOT.has(l.underlying) ? [l.underlying] : []))),
      ];
      if (multiRoot.length > 0) {
        notes.push(
          `the trade history names the underlying, not the option root: ${multiRoot.join(', ')} legs are given the root ${multiRoot.join(', ')} (not SPXW/NDXP/RUTW/VIXW); check them against the broker`,
        );
      }
    }
  }
  if (options === null && fills === null)
    fail(null, 'a thinkorswim statement with neither an "Options" nor an "Account Trade History" section');
  skipped.sort((a, b) => a.line - b.line);
  return { legs, skipped, notes };
}
