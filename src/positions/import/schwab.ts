/**
 * Schwab positions CSV (Accounts → Positions → Export). A title line "Positions for account <name> …<last digits>
 * as of <time>, <date>", a blank line, then a header — current: "Symbol","Description","Qty (Quantity)","Price",
 * …,"Cost Basis",…,"Security Type"; older: "Quantity" — and one row per holding, every cell quoted. Options are
 * written "SPXW 04/17/2026 6400.00 P"; Security Type "Option". The file ends with "Cash & Cash Investments" and
 * "Account Total" rows; an all-accounts export repeats the title and header per account.
 * Cost Basis is the position's total: the open price is Cost Basis / (|Qty| × 100) for options.
 */
import {
  Columns,
  fail,
  isBlank,
  kindCell,
  numberCell,
  optionLeg,
  quantityCell,
  readRows,
  shareLeg,
  usDate,
  type Row,
} from './common.ts';
import type { ImportedLeg, ParsedLegs, SkippedLine } from '../types.ts';

const TITLE = /^Positions for account (.+?) as of /i;
const SUMMARY_ROWS =
  /^(Cash & Cash Investments|Account Total|Futures Cash|Futures Positions Market Value|Positions Total)$/i;
/** Security types that are neither options nor shares: reported as skipped holdings. */
const OTHER_TYPES = /^(Cash and Money Market|Fixed Income|Mutual Funds?|Bonds?|CDs?|Money Market Funds?)$/i;

export function looksLikeSchwab(rows: Row[]): string | null {
  for (const r of rows.slice(0, 10)) {
    const first = (r.cells[0] ?? '').trim();
    if (TITLE.test(first)) return first;
    if (first === 'Symbol' && r.cells.some((c) => c.trim() === 'Qty (Quantity)')) return r.cells.join(',');
  }
  return null;
}

export function parseSchwab(text: string): ParsedLegs {
  const skipped: SkippedLine[] = [];
  const legs: ImportedLeg[] = [];
  let cols: Columns | null = null;
  let account: string | undefined;
  for (const row of readRows(text)) {
    if (isBlank(row.cells)) continue;
    const first = (row.cells[0] ?? '').trim();
    const title = TITLE.exec(first);
    if (title) {
      account = title[1]!.trim();
      cols = null;
      skipped.push({ line: row.line, reason: 'account title' });
      continue;
    }
    if (first === 'Symbol' && cols === null) {
      cols = new Columns(row.cells, row.line);
      cols.require(['Symbol', 'Cost Basis'], 'Schwab positions');
      if (!cols.pick('Qty (Quantity)', 'Quantity')) fail(row.line, 'Schwab positions header lacks "Qty (Quantity)"');
      skipped.push({ line: row.line, reason: 'header' });
      continue;
    }
    if (cols === null)
      fail(
        row.line,
        `expected "Positions for account …" or the "Symbol","Description",… header, got ${JSON.stringify(row.cells.slice(0, 3).join(','))}`,
      );
    if (SUMMARY_ROWS.test(first)) {
      skipped.push({ line: row.line, reason: `summary row "${first}"` });
      continue;
    }
    const type = cols.cell(row, 'Security Type');
    if (OTHER_TYPES.test(type)) {
      skipped.push({ line: row.line, reason: `${first}: ${type}, not an option or share holding` });
      continue;
    }
    const qtyName = cols.pick('Qty (Quantity)', 'Quantity')!;
    const cost = Math.abs(numberCell(cols.cell(row, 'Cost Basis'), row.line, 'Cost Basis'));
    const opt = /^([A-Z][A-Z0-9.]{0,5}) (\d{1,2}\/\d{1,2}\/\d{4}) (\d+(?:\.\d+)?) ([PC])$/.exec(first);
    if (opt) {
      if (type !== '' && !/^Option$/i.test(type))
        fail(row.line, `an option symbol with Security Type ${JSON.stringify(type)}`);
      const quantity = quantityCell(cols.cell(row, qtyName), row.line, qtyName);
      const occ = {
        root: opt[1]!,
        expiry: usDate(opt[2]!, row.line, 'Symbol'),
        strike: numberCell(opt[3]!, row.line, 'Symbol'),
        kind: kindCell(opt[4]!, row.line, 'Symbol'),
      };
      legs.push(optionLeg({ occ, quantity, openPrice: cost / (Math.abs(quantity) * 100), line: row.line, account }));
      continue;
    }
    if (/^Option$/i.test(type))
      fail(
        row.line,
        `column "Symbol": expected an option like "SPXW 04/17/2026 6400.00 P", got ${JSON.stringify(first)}`,
      );
    if (!/^[A-Z][A-Z0-9./]{0,9}$/.test(first))
      fail(
        row.line,
        `column "Symbol": expected a share symbol or an option like "SPXW 04/17/2026 6400.00 P", got ${JSON.stringify(first)}`,
      );
    const quantity = numberCell(cols.cell(row, qtyName), row.line, qtyName);
    legs.push(shareLeg({ symbol: first, quantity, openPrice: cost / Math.abs(quantity), line: row.line, account }));
  }
  if (cols === null) fail(null, 'no Schwab positions header ("Symbol","Description","Qty (Quantity)",…)');
  return { legs, skipped, notes: [] };
}
