/**
 * Yahoo Finance `optionChain` JSON (the v7 "options" API response) into the Chain model:
 * { optionChain: { result: [ { underlyingSymbol, quote: { regularMarketPrice, regularMarketTime, … },
 *   options: [ { expirationDate, calls: [...], puts: [...] } ] } ], error } }.
 * Times are epoch seconds; `expirationDate` is 00:00 UTC of the expiry date; `impliedVolatility` is a fraction.
 * Only the expiries present in `options` carry quotes (the `expirationDates` list merely names the others).
 */
import { parseOcc } from '../occ.ts';
import { CHAIN_VERSION, type Chain, type ChainRow, type ChainWarning, type Expiry, type Quote } from '../types.ts';
import { inferSettlement, settlementInstant } from '../calendar.ts';
import { apiQuote } from './apiQuote.ts';
import type { ImportResult } from './result.ts';
import { marketWarning } from '../market.ts';

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function num(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/** True when parsed JSON looks like a Yahoo optionChain response. */
export function looksLikeYahooJson(value: unknown): boolean {
  return isObject(value) && isObject(value.optionChain);
}

/** Yahoo writes an IV of ~1e-5 for contracts it could not solve; below 0.0001 (0.01%) is "not computed". */
const MIN_IV = 1e-4;

function readContract(c: Json): Quote {
  const iv = num(c.impliedVolatility);
  return apiQuote({
    bid: c.bid,
    ask: c.ask,
    last: c.lastPrice,
    volume: c.volume,
    openInterest: c.openInterest,
    iv: iv !== null && iv > MIN_IV ? iv : null,
    delta: null,
  });
}

function epochToIsoDate(seconds: number): string {
  return new Date(seconds * 1000).toISOString().slice(0, 10);
}

/** Import a parsed Yahoo optionChain JSON value. */
export function importYahooJson({ json, fileName }: { json: unknown; fileName?: string }): ImportResult {
  if (!looksLikeYahooJson(json)) return { ok: false, reason: 'not a Yahoo optionChain JSON: no "optionChain" object' };
  const oc = (json as Json).optionChain as Json;
  if (oc.error !== null && oc.error !== undefined) {
    const e = oc.error;
    const msg = isObject(e) && typeof e.description === 'string' ? e.description : JSON.stringify(e);
    return { ok: false, reason: `the Yahoo response is an error: ${msg}` };
  }
  const result = Array.isArray(oc.result) ? oc.result[0] : undefined;
  if (!isObject(result)) return { ok: false, reason: 'the Yahoo optionChain has no result' };
  const quote = isObject(result.quote) ? result.quote : {};
  const symbol =
    typeof result.underlyingSymbol === 'string'
      ? result.underlyingSymbol
      : typeof quote.symbol === 'string'
        ? quote.symbol
        : null;
  if (!symbol) return { ok: false, reason: 'the Yahoo optionChain names no underlying symbol' };
  const price = num(quote.regularMarketPrice);
  const time = num(quote.regularMarketTime);
  const asOf = time !== null ? new Date(time * 1000).toISOString() : null;
  const asOfMs = asOf ? Date.parse(asOf) : null;

  const warnings: ChainWarning[] = [];
  const options = Array.isArray(result.options) ? result.options : [];
  const groups = new Map<string, { date: string; root: string | null; rows: Map<number, ChainRow> }>();
  let index = 0;
  for (const block of options) {
    if (!isObject(block)) continue;
    for (const kind of ['call', 'put'] as const) {
      const list = block[kind === 'call' ? 'calls' : 'puts'];
      if (!Array.isArray(list)) continue;
      for (const c of list) {
        const row = index++;
        if (!isObject(c)) {
          warnings.push({ row, reason: 'contract is not an object: dropped' });
          continue;
        }
        const strike = num(c.strike);
        const exp = num(c.expiration) ?? num(block.expirationDate);
        if (strike === null || strike <= 0 || exp === null) {
          warnings.push({ row, reason: `contract ${String(c.contractSymbol)} has no strike or expiration: dropped` });
          continue;
        }
        const date = epochToIsoDate(exp);
        const occ = typeof c.contractSymbol === 'string' ? parseOcc(c.contractSymbol) : null;
        if (occ && (occ.expiry !== date || occ.kind !== kind || Math.abs(occ.strike - strike) > 1e-6)) {
          warnings.push({ row, reason: `contract ${String(c.contractSymbol)} disagrees with its fields: dropped` });
          continue;
        }
        const root = occ?.root ?? null;
        const key = `${date}|${root ?? ''}`;
        let g = groups.get(key);
        if (!g) {
          g = { date, root, rows: new Map() };
          groups.set(key, g);
        }
        let r = g.rows.get(strike);
        if (!r) {
          r = { strike, call: null, put: null };
          g.rows.set(strike, r);
        }
        if (r[kind]) {
          warnings.push({ row, reason: `duplicate ${kind} at strike ${strike} for ${date}: dropped` });
          continue;
        }
        const q = readContract(c);
        r[kind] = q;
        const what = marketWarning(q.bid, q.ask);
        if (what) warnings.push({ row, reason: `${what} (${kind} ${date} ${strike})` });
      }
    }
  }

  const expiries: Expiry[] = [];
  for (const g of groups.values()) {
    const settlement = inferSettlement(g.root, g.date);
    const rows = [...g.rows.values()].sort((a, b) => a.strike - b.strike);
    if (asOfMs !== null && settlementInstant({ date: g.date, settlement, root: g.root }).getTime() <= asOfMs) {
      warnings.push({
        row: null,
        reason: `expired: ${g.root ?? symbol} ${g.date} settled before the quote time; ${rows.length} rows left out`,
      });
      continue;
    }
    expiries.push({ date: g.date, root: g.root, settlement, rows });
  }
  expiries.sort((a, b) => (a.date === b.date ? (a.root ?? '').localeCompare(b.root ?? '') : a.date < b.date ? -1 : 1));
  if (expiries.length === 0) return { ok: false, reason: 'the Yahoo optionChain holds no usable contracts' };

  const chain: Chain = {
    version: CHAIN_VERSION,
    underlying: { symbol, price },
    asOf,
    source: { kind: 'json', adapter: 'yahoo-json', ...(fileName ? { name: fileName.replace(/^.*[\\/]/, '') } : {}) },
    expiries,
    warnings,
  };
  return { ok: true, chain };
}
