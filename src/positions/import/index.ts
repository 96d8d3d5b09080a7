/**
 * One front door for broker position files: detect the format from its header lines, parse it strictly, group
 * the legs into positions and report what was taken. Never throws: a line that cannot be placed gives
 * `{ ok: false, reason, line }` with the line named in the reason.
 */
import { groupPositions } from '../group.ts';
import type { BrokerFormat, ParsedLegs, PositionImportResult } from '../types.ts';
import { PositionImportError, readRows, type Row } from './common.ts';
import { looksLikeFidelity, parseFidelity } from './fidelity.ts';
import { looksLikeIbkr, parseIbkr } from './ibkr.ts';
import { looksLikeSchwab, parseSchwab } from './schwab.ts';
import {
  looksLikeTastytradePositions,
  looksLikeTastytradeTransactions,
  parseTastytradePositions,
  parseTastytradeTransactions,
} from './tastytrade.ts';
import { looksLikeThinkorswim, parseThinkorswim } from './thinkorswim.ts';

interface FormatEntry {
  format: BrokerFormat;
  name: string;
  detect: (rows: Row[]) => string | null;
  parse: (text: string) => ParsedLegs;
}

/** In the order tried: the most specific marks first (tastytrade's headers are plain column lists). */
export const FORMATS: FormatEntry[] = [
  { format: 'ibkr-activity', name: 'Interactive Brokers activity statement', detect: looksLikeIbkr, parse: parseIbkr },
  {
    format: 'thinkorswim-statement',
    name: 'thinkorswim account statement',
    detect: looksLikeThinkorswim,
    parse: parseThinkorswim,
  },
  { format: 'schwab-positions', name: 'Schwab positions', detect: looksLikeSchwab, parse: parseSchwab },
  { format: 'fidelity-positions', name: 'Fidelity positions', detect: looksLikeFidelity, parse: parseFidelity },
  {
    format: 'tastytrade-transactions',
    name: 'tastytrade transactions',
    detect: looksLikeTastytradeTransactions,
    parse: parseTastytradeTransactions,
  },
  {
    format: 'tastytrade-positions',
    name: 'tastytrade positions',
    detect: looksLikeTastytradePositions,
    parse: parseTastytradePositions,
  },
];

/** Which format a file is, and the line that says so; null when none. */
export function detectPositionFormat(text: string): { entry: FormatEntry; detectedBy: string } | null {
  const rows = readRows(text);
  for (const entry of FORMATS) {
    const by = entry.detect(rows);
    if (by !== null) return { entry, detectedBy: by.length > 120 ? `${by.slice(0, 117)}…` : by };
  }
  return null;
}

/** Import the positions in a broker file's text. */
export function importPositionsText(text: string): PositionImportResult {
  if (typeof text !== 'string' || text.replace(/^\ufeff/, '').trim() === '') {
    return { ok: false, reason: 'the file is empty', line: null, format: null };
  }
  const found = detectPositionFormat(text);
  if (!found) {
    return {
      ok: false,
      reason: `not a position file HedgeLens reads: expected ${FORMATS.map((f) => f.name).join(', ')}`,
      line: null,
      format: null,
    };
  }
  const { entry, detectedBy } = found;
  let parsed: ParsedLegs;
  try {
    parsed = entry.parse(text);
  } catch (e) {
    if (e instanceof PositionImportError) {
      return { ok: false, reason: `${entry.name}: ${e.message}`, line: e.line, format: entry.format };
    }
    throw e;
  }
  const positions = groupPositions(parsed.legs);
  return {
    ok: true,
    positions,
    report: {
      format: entry.format,
      formatName: entry.name,
      detectedBy,
      lines: readRows(text).length,
      positions: positions.length,
      legs: parsed.legs.length,
      skipped: parsed.skipped,
      notes: parsed.notes,
    },
  };
}
