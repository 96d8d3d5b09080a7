/**
 * Cboe delayed-quote downloads ("quotedata") into the Chain model.
 *
 * Two layouts, read by the same code:
 * - the current CSV (2021–): a blank first line; "<name>,Last: 6632.1899,Change: -40.43"; "Date: 14 March 2026
 *   at 07:34 GMT-4,Bid: …" (the date in the downloader's browser locale, values with thousands separators
 *   quoted); then "Expiration Date,Calls,Last Sale,Net,Bid,Ask,Volume,IV,Delta,Gamma,Open Interest,Strike,
 *   Puts,…" with expiry dates like "Fri Mar 20 2026";
 * - the legacy .dat (–2020): "^SPX (Standard & Poors 500 Index),2304.92,-104.47"; "Mar 22 2020 @ 18:24 ET,
 *   Bid,…"; headings "Vol" and "Open Int"; MM/DD/YYYY expiries; CRLF.
 * Each row: call columns, Strike, put columns, each side led by its OCC symbol (e.g. SPXW260320C06600000,
 * root + YYMMDD + C/P + strike × 1000), which gives the root: SPX and SPXW (VIX and VIXW) of the same date
 * become separate Expiry entries, each with its own settlement style.
 *
 * Cboe's IV column is a fraction (0.2674 = 26.74%); 0 means "not computed" → null. "Last Sale" 0 means no
 * sale → null. Expiries already settled at the file's time stamp (Cboe keeps the previous day's series, with
 * IV 0) are left out with a warning. Crossed and zero markets are kept as read and flagged.
 */
import { parseDate, parseTimestamp } from '../dates.ts';
import { parseCount, parseIv, parseNumber } from '../numbers.ts';
import { parseOcc } from '../occ.ts';
import { CHAIN_VERSION, type Chain, type ChainRow, type ChainWarning, type Expiry, type Quote } from '../types.ts';
import { inferSettlement, settlementInstant } from '../calendar.ts';
import { parseCsv } from './csv.ts';
import type { ImportResult } from './result.ts';
import { marketWarning } from '../market.ts';

/** Option roots whose underlying has another symbol. */
const ROOT_UNDERLYING: Record<string, string> = {
  SPXW: 'SPX',
  SPXPM: 'SPX',
  VIXW: 'VIX',
  NDXP: 'NDX',
  RUTW: 'RUT',
  MRUT: 'RUT',
  XSP: 'XSP',
};

/** The underlying symbol an option root trades on: SPXW → SPX, AAPL1 (adjusted) → AAPL. */
export function underlyingForRoot(root: string): string {
  return ROOT_UNDERLYING[root] ?? root.replace(/\d+$/, '');
}

type Field = 'symbol' | 'last' | 'net' | 'bid' | 'ask' | 'volume' | 'iv' | 'delta' | 'gamma' | 'openInterest';

const HEADINGS: Record<string, Field> = {
  calls: 'symbol',
  puts: 'symbol',
  'last sale': 'last',
  last: 'last',
  net: 'net',
  bid: 'bid',
  ask: 'ask',
  volume: 'volume',
  vol: 'volume',
  iv: 'iv',
  delta: 'delta',
  gamma: 'gamma',
  'open interest': 'openInterest',
  'open int': 'openInterest',
};

/** True when the text looks like a Cboe quotedata download (either layout). */
export function looksLikeCboe(text: string): boolean {
  const head = text.slice(0, 4000);
  return /(^|\n)\s*Expiration Date\s*,\s*Calls\s*,/i.test(head) && /,\s*Strike\s*,\s*Puts\s*,/i.test(head);
}

interface Columns {
  expiry: number;
  strike: number;
  call: Partial<Record<Field, number>>;
  put: Partial<Record<Field, number>>;
  width: number;
}

function mapColumns(header: string[]): Columns | string {
  const names = header.map((h) => h.trim().toLowerCase().replace(/\s+/g, ' '));
  const strike = names.indexOf('strike');
  if (strike < 0) return 'no column headed Strike';
  const expiry = names.indexOf('expiration date');
  if (expiry < 0) return 'no column headed Expiration Date';
  const call: Partial<Record<Field, number>> = {};
  const put: Partial<Record<Field, number>> = {};
  names.forEach((n, i) => {
    const f = HEADINGS[n];
    if (!f) return;
    const side = i < strike ? call : put;
    if (side[f] === undefined) side[f] = i;
  });
  if (call.bid === undefined && put.bid === undefined) return 'no Bid column';
  return { expiry, strike, call, put, width: header.length };
}

function readQuote(cells: string[], cols: Partial<Record<Field, number>>): { quote: Quote; symbol: string } | null {
  const cell = (f: Field): string | undefined => (cols[f] === undefined ? undefined : cells[cols[f]!]);
  const present = Object.values(cols).some((i) => i !== undefined && (cells[i] ?? '').trim() !== '');
  if (!present) return null;
  const last = parseNumber(cell('last') ?? '');
  const quote: Quote = {
    bid: parseNumber(cell('bid') ?? ''),
    ask: parseNumber(cell('ask') ?? ''),
    last: last === 0 ? null : last,
    volume: parseCount(cell('volume') ?? ''),
    openInterest: parseCount(cell('openInterest') ?? ''),
    iv: parseIv(cell('iv') ?? '', { assumePercent: false }),
    delta: parseNumber(cell('delta') ?? ''),
  };
  return { quote, symbol: (cell('symbol') ?? '').trim() };
}

interface Header {
  symbol: string | null;
  name: string | null;
  price: number | null;
  asOf: string | null;
  legacy: boolean;
  warnings: ChainWarning[];
}

function readHeader(records: string[][], headerIndex: number): Header {
  const h: Header = { symbol: null, name: null, price: null, asOf: null, legacy: false, warnings: [] };
  for (let r = 0; r < headerIndex; r++) {
    const rec = records[r]!;
    const first = (rec[0] ?? '').trim();
    if (rec.every((c) => c.trim() === '')) continue;
    const legacyName = /^\^([A-Z0-9.]+)\s*(?:\((.*)\))?$/.exec(first);
    if (legacyName) {
      // ^SPX (Standard & Poors 500 Index),2304.92,-104.4701
      h.legacy = true;
      h.symbol = legacyName[1]!;
      h.name = legacyName[2] ?? null;
      h.price = parseNumber(rec[1] ?? '');
      continue;
    }
    const lastField = rec.find((c) => /^\s*last\s*:/i.test(c));
    if (lastField) {
      h.name = first || null;
      h.price = parseNumber(lastField.replace(/^\s*last\s*:/i, ''));
      continue;
    }
    // The time-stamp line: "Date: 14 March 2026 at 07:34 GMT-4" or "Mar 22 2020 @ 18:24 ET".
    if (h.asOf === null && first !== '') {
      const ts = parseTimestamp(first);
      if (ts.ok && ts.instant) {
        h.asOf = ts.instant;
        if (ts.zoneAssumed) {
          h.warnings.push({ row: r, reason: `time stamp "${first}" names no zone: New York time assumed` });
        }
      } else if (/^\s*date\s*:/i.test(first) || /@/.test(first)) {
        h.warnings.push({
          row: r,
          reason: `cannot read the time stamp "${first}"${ts.ok ? ': no time of day' : `: ${ts.reason}`}`,
        });
      }
    }
  }
  return h;
}

interface Group {
  date: string;
  root: string | null;
  firstRow: number;
  rows: Map<number, ChainRow>;
  /** Crossed/zero-market warnings, reported only if the expiry is kept. */
  marketWarnings: ChainWarning[];
}

/** Import a Cboe quotedata download (current CSV or legacy .dat). */
export function importCboe({ text, fileName }: { text: string; fileName?: string }): ImportResult {
  if (typeof text !== 'string' || text.trim() === '') return { ok: false, reason: 'the file is empty' };
  const records = parseCsv(text);
  const headerIndex = records.findIndex((r) => (r[0] ?? '').trim().toLowerCase() === 'expiration date');
  if (headerIndex < 0) return { ok: false, reason: 'not a Cboe quote download: no "Expiration Date" heading row' };
  const cols = mapColumns(records[headerIndex]!);
  if (typeof cols === 'string') return { ok: false, reason: `not a Cboe quote download: ${cols}` };

  const header = readHeader(records, headerIndex);
  const legacy = header.legacy || records[headerIndex]!.some((c) => c.trim().toLowerCase() === 'open int');
  const warnings: ChainWarning[] = [...header.warnings];
  const groups = new Map<string, Group>();
  let dataRows = 0;

  for (let r = headerIndex + 1; r < records.length; r++) {
    const cells = records[r]!;
    if (cells.every((c) => c.trim() === '')) continue;
    dataRows++;
    if (cells.length !== cols.width) {
      warnings.push({ row: r, reason: `row has ${cells.length} fields, expected ${cols.width}: dropped` });
      continue;
    }
    const dateCell = (cells[cols.expiry] ?? '').trim();
    const date = parseDate(dateCell);
    if (!date.ok) {
      warnings.push({ row: r, reason: `unreadable expiration date "${dateCell}" (${date.reason}): dropped` });
      continue;
    }
    const strikeCell = (cells[cols.strike] ?? '').trim();
    const strike = parseNumber(strikeCell);
    if (strike === null || strike <= 0) {
      warnings.push({ row: r, reason: `unreadable strike "${strikeCell}": dropped` });
      continue;
    }
    const call = readQuote(cells, cols.call);
    const put = readQuote(cells, cols.put);
    if (!call && !put) {
      warnings.push({ row: r, reason: 'no call or put values: dropped' });
      continue;
    }

    // The OCC symbols carry root, expiry and strike: they must agree with the columns.
    let root: string | null = null;
    let mismatch: string | null = null;
    for (const [side, kind] of [
      [call, 'call'],
      [put, 'put'],
    ] as const) {
      if (!side || side.symbol === '') continue;
      const occ = parseOcc(side.symbol);
      if (!occ) {
        mismatch = `unreadable option symbol "${side.symbol}"`;
        break;
      }
      if (occ.kind !== kind) mismatch = `${kind} column holds a ${occ.kind} symbol "${side.symbol}"`;
      else if (occ.expiry !== date.date)
        mismatch = `symbol ${side.symbol} expires ${occ.expiry}, row says ${date.date}`;
      else if (Math.abs(occ.strike - strike) > 1e-6)
        mismatch = `symbol ${side.symbol} has strike ${occ.strike}, row says ${strike}`;
      else if (root !== null && root !== occ.root) mismatch = `call and put roots differ (${root}, ${occ.root})`;
      if (mismatch) break;
      root = occ.root;
    }
    if (mismatch) {
      warnings.push({ row: r, reason: `${mismatch}: dropped` });
      continue;
    }

    const key = `${date.date}|${root ?? ''}`;
    let g = groups.get(key);
    if (!g) {
      g = { date: date.date, root, firstRow: r, rows: new Map(), marketWarnings: [] };
      groups.set(key, g);
    }
    if (g.rows.has(strike)) {
      warnings.push({ row: r, reason: `duplicate strike ${strike} for ${root ?? '?'} ${date.date}: dropped` });
      continue;
    }
    for (const [side, kind] of [
      [call, 'call'],
      [put, 'put'],
    ] as const) {
      const w = side?.quote ? marketWarning(side.quote.bid, side.quote.ask) : null;
      if (w) g.marketWarnings.push({ row: r, reason: `${w} (${kind} ${root ?? ''} ${date.date} ${strike})` });
    }
    g.rows.set(strike, { strike, call: call?.quote ?? null, put: put?.quote ?? null });
  }

  if (dataRows === 0) return { ok: false, reason: 'the Cboe download has a heading row but no option rows' };

  const asOfMs = header.asOf ? Date.parse(header.asOf) : null;
  const expiries: Expiry[] = [];
  for (const g of groups.values()) {
    const settlement = inferSettlement(g.root, g.date);
    const rows = [...g.rows.values()].sort((a, b) => a.strike - b.strike);
    const label = `${g.root ?? '?'} ${g.date}`;
    if (asOfMs !== null && settlementInstant({ date: g.date, settlement, root: g.root }).getTime() <= asOfMs) {
      warnings.push({
        row: g.firstRow,
        reason: `expired: ${label} (${settlement}) settled before the file's time stamp; ${rows.length} rows left out`,
      });
      continue;
    }
    const noIv = rows.every((x) => (x.call?.iv ?? null) === null && (x.put?.iv ?? null) === null);
    if (noIv && asOfMs === null) {
      warnings.push({
        row: g.firstRow,
        reason: `${label}: every IV is 0, possibly expired (the file has no time stamp)`,
      });
    }
    warnings.push(...g.marketWarnings);
    expiries.push({ date: g.date, root: g.root, settlement, rows });
  }
  expiries.sort((a, b) => (a.date === b.date ? (a.root ?? '').localeCompare(b.root ?? '') : a.date < b.date ? -1 : 1));
  if (expiries.length === 0) {
    return { ok: false, reason: 'no usable option rows: every expiry in the file is expired or unreadable' };
  }

  // Underlying: the legacy header names it; otherwise the most common root tells it (SPXW → SPX).
  let symbol = header.symbol;
  if (!symbol) {
    const counts = new Map<string, number>();
    for (const e of expiries)
      if (e.root) counts.set(underlyingForRoot(e.root), (counts.get(underlyingForRoot(e.root)) ?? 0) + e.rows.length);
    symbol = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? header.name ?? 'UNKNOWN';
  }
  if (header.asOf === null) warnings.push({ row: null, reason: 'the file has no readable time stamp: asOf unknown' });

  const chain: Chain = {
    version: CHAIN_VERSION,
    underlying: { symbol, price: header.price },
    asOf: header.asOf,
    source: {
      kind: legacy ? 'dat' : 'csv',
      adapter: legacy ? 'cboe-dat' : 'cboe-csv',
      ...(fileName ? { name: fileName.replace(/^.*[\\/]/, '') } : {}),
    },
    expiries,
    warnings,
  };
  return { ok: true, chain };
}
