/**
 * Fidelity positions CSV (Accounts → Positions → Download): header "Account Number,Account Name,Symbol,
 * Description,Quantity,Last Price,Last Price Change,Current Value,…,Cost Basis Total,Average Cost Basis,Type";
 * options are written " -SPXW260417P6400" (leading space and minus) with a description such as
 * "SPXW APR 17 2026 $6400 PUT". Money-market rows ("SPAXX**") and "Pending Activity" carry no quantity. After a
 * blank line the file ends with quoted disclaimer paragraphs and "Date downloaded …".
 * The open price is Cost Basis Total / (|Quantity| × 100) for options.
 */
import { parseOcc } from '../../chain/occ.ts';
import { Columns, fail, isBlank, numberCell, optionLeg, quantityCell, readRows, shareLeg, type Row } from './common.ts';
import type { ImportedLeg, ParsedLegs, SkippedLine } from '../types.ts';

export function looksLikeFidelity(rows: Row[]): string | null {
  for (const r of rows.slice(0, 5)) {
    if (
      r.cells
        .slice(0, 4)
        .map((c) => c.trim())
        .join(',') === 'Account Number,Account Name,Symbol,Description'
    ) {
      return r.cells.join(',');
    }
  }
  return null;
}

export function parseFidelity(text: string): ParsedLegs {
  const skipped: SkippedLine[] = [];
  const legs: ImportedLeg[] = [];
  let cols: Columns | null = null;
  let footer = false;
  for (const row of readRows(text)) {
    if (isBlank(row.cells)) {
      if (cols !== null) footer = true;
      continue;
    }
    if (cols === null) {
      if (!looksLikeFidelity([row]))
        fail(
          row.line,
          `expected the header "Account Number,Account Name,Symbol,Description,…", got ${JSON.stringify(row.cells.slice(0, 4).join(','))}`,
        );
      cols = new Columns(row.cells, row.line);
      cols.require(['Symbol', 'Quantity', 'Cost Basis Total'], 'Fidelity positions');
      skipped.push({ line: row.line, reason: 'header' });
      continue;
    }
    const filled = row.cells.filter((c) => c.trim() !== '').length;
    if (footer) {
      if (filled !== 1)
        fail(
          row.line,
          `expected only disclaimer text after the positions, got ${JSON.stringify(row.cells.slice(0, 4).join(','))}`,
        );
      skipped.push({ line: row.line, reason: 'disclaimer or download date' });
      continue;
    }
    const symbol = cols.cell(row, 'Symbol');
    const account = cols.cell(row, 'Account Number') || undefined;
    const quantityText = cols.cell(row, 'Quantity');
    if (/^Pending Activity$/i.test(symbol) || /\*\*$/.test(symbol)) {
      skipped.push({ line: row.line, reason: `${symbol}: cash, not a holding` });
      continue;
    }
    const costText = cols.cell(row, 'Cost Basis Total');
    if (symbol.startsWith('-')) {
      const occ = parseOcc(symbol);
      if (!occ)
        fail(row.line, `column "Symbol": expected an option like "-SPXW260417P6400", got ${JSON.stringify(symbol)}`);
      const quantity = quantityCell(quantityText, row.line, 'Quantity');
      const cost = Math.abs(numberCell(costText, row.line, 'Cost Basis Total'));
      legs.push(optionLeg({ occ, quantity, openPrice: cost / (Math.abs(quantity) * 100), line: row.line, account }));
      continue;
    }
    if (!/^[A-Z][A-Z0-9./]{0,9}$/.test(symbol))
      fail(
        row.line,
        `column "Symbol": expected a share symbol or an option like "-SPXW260417P6400", got ${JSON.stringify(symbol)}`,
      );
    const quantity = numberCell(quantityText, row.line, 'Quantity');
    const cost = Math.abs(numberCell(costText, row.line, 'Cost Basis Total'));
    legs.push(shareLeg({ symbol, quantity, openPrice: cost / Math.abs(quantity), line: row.line, account }));
  }
  if (cols === null) fail(null, 'no Fidelity positions header');
  return { legs, skipped, notes: [] };
}
