/**
 * tastytrade's two CSV exports.
 *
 * Positions (Positions → export): the visible columns, e.g. "Account,Symbol,Type,Quantity,Exp Date,DTE,Strike
 * Price,Call/Put,Underlying Last Price,P/L Open,P/L Day,Trade Price,…". Options carry their OCC symbol
 * ("SPXW  260417P06400000"); Quantity is signed; Trade Price is the open price per share. When Exp Date, Strike
 * Price or Call/Put are exported they must agree with the symbol.
 *
 * Transactions (History → Transactions → CSV), 2024 layout "Date,Type,Sub Type,Action,Symbol,Instrument Type,
 * Description,Value,Quantity,Average Price,Commissions,Fees,Multiplier,Root Symbol,Underlying Symbol,Expiration
 * Date,Strike Price,Call or Put,Order #,Total,Currency" (before 2024 without Sub Type, Total, Currency). Action is
 * BUY_TO_OPEN, SELL_TO_OPEN, BUY_TO_CLOSE or SELL_TO_CLOSE; Quantity is unsigned; Value is the cash, + received.
 * "Receive Deliver" rows (expiration, assignment, exercise) close options; "Money Movement" rows hold no position.
 * Fills are netted (fills.ts); a fill's price per share is |Value| / (Quantity × Multiplier).
 */
import { parseDate } from '../../chain/dates.ts';
import { parseOcc } from '../../chain/occ.ts';
import {
  agree,
  Columns,
  fail,
  isBlank,
  kindCell,
  numberCell,
  optionLeg,
  quantityCell,
  readRows,
  roundPrice,
  usDate,
  type Row,
} from './common.ts';
import { netFills, type Fill } from './fills.ts';
import type { ImportedLeg, ParsedLegs, SkippedLine } from '../types.ts';

function headerOf(rows: Row[]): Row | null {
  return rows.find((r) => !isBlank(r.cells)) ?? null;
}

export function looksLikeTastytradePositions(rows: Row[]): string | null {
  const h = headerOf(rows);
  if (!h) return null;
  const c = new Columns(h.cells, h.line);
  return c.has('Symbol') &&
    c.has('Quantity') &&
    c.has('Trade Price') &&
    (c.has('Call/Put') || c.has('Exp Date') || c.has('DTE'))
    ? h.cells.join(',')
    : null;
}

export function looksLikeTastytradeTransactions(rows: Row[]): string | null {
  const h = headerOf(rows);
  if (!h) return null;
  const c = new Columns(h.cells, h.line);
  return ['Date', 'Type', 'Action', 'Symbol', 'Instrument Type', 'Value', 'Quantity', 'Multiplier'].every((n) =>
    c.has(n),
  )
    ? h.cells.join(',')
    : null;
}

function anyDate(text: string, line: number, column: string): string {
  const d = parseDate(text.trim());
  if (!d.ok) fail(line, `column "${column}": expected a date, got ${JSON.stringify(text)} (${d.reason})`);
  return d.date;
}

export function parseTastytradePositions(text: string): ParsedLegs {
  const rows = readRows(text);
  const header = headerOf(rows);
  if (!header) fail(null, 'the file is empty');
  const cols = new Columns(header.cells, header.line);
  cols.require(['Symbol', 'Quantity', 'Trade Price'], 'tastytrade positions');
  const skipped: SkippedLine[] = [{ line: header.line, reason: 'header' }];
  const legs: ImportedLeg[] = [];
  for (const row of rows) {
    if (row.line <= header.line || isBlank(row.cells)) continue;
    const symbol = cols.cell(row, 'Symbol');
    const type = cols.cell(row, 'Type');
    const account = cols.cell(row, 'Account') || undefined;
    const price = Math.abs(numberCell(cols.cell(row, 'Trade Price'), row.line, 'Trade Price'));
    const occ = parseOcc(symbol);
    if (occ) {
      if (cols.has('Exp Date') && cols.cell(row, 'Exp Date') !== '') {
        agree(row.line, 'Exp Date', anyDate(cols.cell(row, 'Exp Date'), row.line, 'Exp Date'), occ.expiry);
      }
      if (cols.has('Strike Price') && cols.cell(row, 'Strike Price') !== '') {
        agree(
          row.line,
          'Strike Price',
          numberCell(cols.cell(row, 'Strike Price'), row.line, 'Strike Price'),
          occ.strike,
        );
      }
      if (cols.has('Call/Put') && cols.cell(row, 'Call/Put') !== '') {
        agree(row.line, 'Call/Put', kindCell(cols.cell(row, 'Call/Put'), row.line, 'Call/Put'), occ.kind);
      }
      const quantity = quantityCell(cols.cell(row, 'Quantity'), row.line, 'Quantity');
      legs.push(optionLeg({ occ, quantity, openPrice: price, line: row.line, account }));
      continue;
    }
    if (/option/i.test(type)) {
      fail(
        row.line,
        `column "Symbol": expected an OCC option symbol like "SPXW  260417P06400000", got ${JSON.stringify(symbol)}`,
      );
    }
    if (!/^(equity|stock|etf|future)s?$/i.test(type)) {
      fail(
        row.line,
        `column "Type": expected an option, equity or future, got ${JSON.stringify(type)} (symbol ${JSON.stringify(symbol)})`,
      );
    }
    if (!/^\/?[A-Z][A-Z0-9./]{0,9}$/.test(symbol))
      fail(row.line, `column "Symbol": expected a symbol, got ${JSON.stringify(symbol)}`);
    const quantity = numberCell(cols.cell(row, 'Quantity'), row.line, 'Quantity');
    if (quantity === 0) fail(row.line, 'a holding of quantity 0');
    const leg: ImportedLeg = {
      asset: /future/i.test(type) ? 'future' : 'shares',
      symbol,
      quantity,
      openPrice: roundPrice(price),
      multiplier: /future/i.test(type) ? null : 1,
      line: row.line,
    };
    if (account !== undefined) leg.account = account;
    legs.push(leg);
  }
  return { legs, skipped, notes: [] };
}

const ACTIONS: Record<string, { sign: 1 | -1; opening: boolean }> = {
  BUY_TO_OPEN: { sign: 1, opening: true },
  SELL_TO_OPEN: { sign: -1, opening: true },
  BUY_TO_CLOSE: { sign: 1, opening: false },
  SELL_TO_CLOSE: { sign: -1, opening: false },
};

export function parseTastytradeTransactions(text: string): ParsedLegs {
  const rows = readRows(text);
  const header = headerOf(rows);
  if (!header) fail(null, 'the file is empty');
  const cols = new Columns(header.cells, header.line);
  const skipped: SkippedLine[] = [{ line: header.line, reason: 'header' }];
  const fills: Fill[] = [];
  /** Expirations without an Action: they close whatever the other fills leave open. */
  const removals: { line: number; key: string; quantity: number }[] = [];
  for (const row of rows) {
    if (row.line <= header.line || isBlank(row.cells)) continue;
    const type = cols.cell(row, 'Type');
    if (type === 'Money Movement') {
      skipped.push({
        line: row.line,
        reason: `Money Movement (${cols.cell(row, 'Sub Type') || cols.cell(row, 'Description')})`,
      });
      continue;
    }
    if (type !== 'Trade' && type !== 'Receive Deliver') {
      fail(row.line, `column "Type": expected Trade, Receive Deliver or Money Movement, got ${JSON.stringify(type)}`);
    }
    const instrument = cols.cell(row, 'Instrument Type');
    const actionText = cols.cell(row, 'Action').toUpperCase().replace(/ /g, '_');
    const action = ACTIONS[actionText];
    const quantity = Math.abs(quantityCell(cols.cell(row, 'Quantity'), row.line, 'Quantity'));
    const symbol = cols.cell(row, 'Symbol');
    const multiplier = numberCell(cols.cell(row, 'Multiplier') || '1', row.line, 'Multiplier');
    const line = row.line;
    let key: string;
    let make: Fill['make'];
    if (/option/i.test(instrument)) {
      if (/future/i.test(instrument)) fail(line, 'futures options are not imported');
      const occ = parseOcc(symbol);
      if (!occ)
        fail(
          line,
          `column "Symbol": expected an OCC option symbol like "SPXW  260417P06400000", got ${JSON.stringify(symbol)}`,
        );
      if (cols.cell(row, 'Expiration Date') !== '') {
        agree(line, 'Expiration Date', usDate(cols.cell(row, 'Expiration Date'), line, 'Expiration Date'), occ.expiry);
      }
      if (cols.cell(row, 'Strike Price') !== '') {
        agree(line, 'Strike Price', numberCell(cols.cell(row, 'Strike Price'), line, 'Strike Price'), occ.strike);
      }
      if (cols.cell(row, 'Call or Put') !== '')
        agree(line, 'Call or Put', kindCell(cols.cell(row, 'Call or Put'), line, 'Call or Put'), occ.kind);
      const underlying = cols.cell(row, 'Underlying Symbol') || undefined;
      key = occ.root + ' ' + occ.expiry + ' ' + occ.strike + ' ' + occ.kind;
      make = (q, p, l) => optionLeg({ occ, underlying, quantity: q, openPrice: p, multiplier, line: l });
    } else if (/^(equity|stock|etf)$/i.test(instrument)) {
      if (!/^[A-Z][A-Z0-9./]{0,9}$/.test(symbol))
        fail(line, `column "Symbol": expected a symbol, got ${JSON.stringify(symbol)}`);
      key = symbol;
      make = (q, p, l) => ({ asset: 'shares', symbol, quantity: q, openPrice: p, multiplier: 1, line: l });
    } else {
      fail(line, `column "Instrument Type": expected Equity or Equity Option, got ${JSON.stringify(instrument)}`);
    }
    if (!action) {
      if (type === 'Receive Deliver' && actionText === '') {
        removals.push({ line, key, quantity });
        continue;
      }
      fail(
        line,
        `column "Action": expected BUY_TO_OPEN, SELL_TO_OPEN, BUY_TO_CLOSE or SELL_TO_CLOSE, got ${JSON.stringify(cols.cell(row, 'Action'))}`,
      );
    }
    const value = numberCell(cols.cell(row, 'Value'), line, 'Value');
    fills.push({
      line,
      key,
      quantity: action.sign * quantity,
      price: Math.abs(value) / (quantity * multiplier),
      opening: action.opening,
      make,
    });
  }
  for (const r of removals) {
    const net = fills.filter((f) => f.key === r.key).reduce((s, f) => s + f.quantity, 0);
    if (net === 0) fail(r.line, `${r.key}: an expiration or assignment of a contract the file does not hold`);
    const template = fills.find((f) => f.key === r.key)!;
    fills.push({ ...template, line: r.line, quantity: -Math.sign(net) * r.quantity, price: 0, opening: false });
  }
  const { legs, closed } = netFills(fills);
  skipped.push(...closed);
  skipped.sort((a, b) => a.line - b.line);
  const notes = [`${fills.length} fills netted; open prices are averages of the opening fills`];
  return { legs, skipped, notes };
}
