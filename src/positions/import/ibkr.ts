/**
 * Interactive Brokers activity statement, CSV (Performance & Reports → Statements → Activity → CSV). Every row
 * starts with its section's name and a row kind: "Open Positions,Header,DataDiscriminator,Asset Category,
 * Currency,Symbol,Quantity,Mult,Cost Price,Cost Basis,Close Price,Value,Unrealized P/L,Code" and then
 * "Open Positions,Data,Summary,…" rows ("Lot" rows detail a Summary and are skipped), "Total"/"SubTotal" rows.
 * A section may repeat its Header (one per asset category) and the columns may change between them.
 *
 * Options are written "SPX 17APR26 6400 P" (symbol, DDMMMYY, strike, right) or, in some statements, as an OCC
 * symbol. The open price is the cost basis per share: Cost Basis / (Quantity × Mult) when the column is there,
 * else Cost Price.
 */
import {
  Columns,
  dayMonYy,
  fail,
  isBlank,
  kindCell,
  numberCell,
  optionLeg,
  quantityCell,
  readRows,
  roundPrice,
  type Row,
} from './common.ts';
import { parseOcc, type OccSymbol } from '../../chain/occ.ts';
import type { ImportedLeg, ParsedLegs, SkippedLine } from '../types.ts';

const ROW_KINDS = new Set(['Header', 'Data', 'Total', 'SubTotal', 'Notes', 'MetaInfo']);
const SECTION = 'Open Positions';
/** Holdings IBKR lists in Open Positions that no option position uses: reported as skipped, not read. */
const OTHER_CATEGORIES = new Set([
  'Bonds',
  'Treasury Bills',
  'Mutual Funds',
  'Forex',
  'CFDs',
  'Warrants',
  'Structured Products',
]);

export function looksLikeIbkr(rows: Row[]): string | null {
  for (const r of rows.slice(0, 60)) {
    if (r.cells[1] === 'Header' && (r.cells[0] === 'Statement' || r.cells[0] === SECTION)) return r.cells.join(',');
  }
  return null;
}

/** "SPX 17APR26 6400 P", "SPXW 17APR26 6400.5 C", or an OCC symbol. */
function ibOption(text: string, line: number): OccSymbol {
  const occ = parseOcc(text);
  if (occ) return occ;
  const m = /^([A-Z][A-Z0-9.]{0,5})\s+(\d{2}[A-Z]{3}\d{2})\s+(\d+(?:\.\d+)?)\s+([PC])$/.exec(text.trim());
  if (!m)
    fail(
      line,
      `Open Positions: column "Symbol": expected an option like "SPX 17APR26 6400 P", got ${JSON.stringify(text)}`,
    );
  return {
    root: m[1]!,
    expiry: dayMonYy(m[2]!, line, 'Symbol'),
    strike: numberCell(m[3]!, line, 'Symbol'),
    kind: kindCell(m[4]!, line, 'Symbol'),
  };
}

export function parseIbkr(text: string): ParsedLegs {
  const rows = readRows(text);
  const skipped: SkippedLine[] = [];
  const notes: string[] = [];
  const legs: ImportedLeg[] = [];
  const otherSections = new Map<string, number>();
  let cols: Columns | null = null;
  let sawSection = false;
  for (const raw of rows) {
    if (isBlank(raw.cells)) continue;
    const section = (raw.cells[0] ?? '').trim();
    const kind = (raw.cells[1] ?? '').trim();
    if (!ROW_KINDS.has(kind)) {
      fail(
        raw.line,
        `expected "<section>,Header|Data|Total|SubTotal|Notes,…", got ${JSON.stringify(raw.cells.slice(0, 3).join(','))}`,
      );
    }
    if (section !== SECTION) {
      otherSections.set(section, (otherSections.get(section) ?? 0) + 1);
      skipped.push({ line: raw.line, reason: `section "${section}" (not the Open Positions section)` });
      continue;
    }
    sawSection = true;
    // Columns are counted after the section name and the row kind.
    const row: Row = { line: raw.line, cells: raw.cells.slice(2) };
    if (kind === 'Header') {
      cols = new Columns(row.cells, row.line);
      cols.require(['Asset Category', 'Symbol', 'Quantity', 'Mult'], 'Open Positions');
      if (!cols.has('Cost Basis') && !cols.has('Cost Price'))
        fail(row.line, 'Open Positions header lacks "Cost Basis" and "Cost Price"');
      skipped.push({ line: raw.line, reason: 'Open Positions header' });
      continue;
    }
    if (kind !== 'Data') {
      skipped.push({ line: raw.line, reason: `Open Positions ${kind} row` });
      continue;
    }
    if (cols === null) fail(raw.line, 'an Open Positions Data row before its Header row');
    const disc = cols.cell(row, 'DataDiscriminator');
    if (disc === 'Lot') {
      skipped.push({ line: raw.line, reason: 'Open Positions lot detail (its Summary row is the position)' });
      continue;
    }
    if (cols.has('DataDiscriminator') && disc !== 'Summary') {
      fail(
        raw.line,
        `Open Positions: column "DataDiscriminator": expected Summary or Lot, got ${JSON.stringify(disc)}`,
      );
    }
    const category = cols.cell(row, 'Asset Category');
    // A consolidated statement of several accounts has an Account column.
    const account = cols.cell(row, 'Account') || undefined;
    if (OTHER_CATEGORIES.has(category)) {
      skipped.push({
        line: raw.line,
        reason: `Open Positions ${category} holding (not an option, share or futures position)`,
      });
      continue;
    }
    const symbol = cols.cell(row, 'Symbol');
    const quantity = numberCell(cols.cell(row, 'Quantity'), raw.line, 'Quantity');
    if (quantity === 0) fail(raw.line, 'Open Positions: a position of quantity 0');
    const mult = numberCell(cols.cell(row, 'Mult'), raw.line, 'Mult');
    if (!(mult > 0)) fail(raw.line, `Open Positions: column "Mult": expected a positive multiplier, got ${mult}`);
    const openPrice = cols.has('Cost Basis')
      ? Math.abs(numberCell(cols.cell(row, 'Cost Basis'), raw.line, 'Cost Basis') / (quantity * mult))
      : Math.abs(numberCell(cols.cell(row, 'Cost Price'), raw.line, 'Cost Price'));
    if (category === 'Equity and Index Options') {
      if (!Number.isInteger(quantity)) quantityCell(cols.cell(row, 'Quantity'), raw.line, 'Quantity');
      legs.push(
        optionLeg({ occ: ibOption(symbol, raw.line), quantity, openPrice, multiplier: mult, line: raw.line, account }),
      );
    } else if (category === 'Stocks' || category === 'Futures') {
      if (!/^[A-Z][A-Z0-9. ]{0,11}$/.test(symbol))
        fail(raw.line, `Open Positions: column "Symbol": expected a symbol, got ${JSON.stringify(symbol)}`);
      legs.push({
        asset: category === 'Stocks' ? 'shares' : 'future',
        symbol,
        quantity,
        openPrice: roundPrice(openPrice),
        multiplier: mult,
        line: raw.line,
        ...(account !== undefined ? { account } : {}),
      });
    } else {
      fail(
        raw.line,
        `Open Positions: asset category ${JSON.stringify(category)} is not imported (Stocks, Equity and Index Options and Futures are; Bonds, Funds, Forex, CFDs and Warrants are skipped)`,
      );
    }
  }
  if (!sawSection) fail(null, 'no "Open Positions" section in this activity statement');
  if (otherSections.size > 0) {
    notes.push(`other sections skipped: ${[...otherSections].map(([s, n]) => `${s} (${n} lines)`).join(', ')}`);
  }
  return { legs, skipped, notes };
}
