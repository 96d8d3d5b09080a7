/**
 * Tradier option chain JSON (`GET /v1/markets/options/chains?symbol=…&expiration=…&greeks=true`), written from
 * Tradier's public documentation (documentation.tradier.com, "Get an option chain"); no real response was at
 * hand. { options: { option: [contract] } }, where a single contract may come as an object instead of an
 * array (Tradier converts from XML) and an empty chain as `"options": null`. A contract: symbol (OCC),
 * underlying, root_symbol, strike, expiration_date "YYYY-MM-DD", option_type "call"/"put", bid, ask, last,
 * volume, open_interest, bid_date/ask_date (epoch times), and with greeks=true a `greeks` object: delta,
 * mid_iv / smv_vol (fractions), updated_at. The response carries no underlying price.
 */
import { parseOcc } from '../occ.ts';
import { CHAIN_VERSION, type Chain, type ChainRow, type ChainWarning, type Expiry, type Quote } from '../types.ts';
import { inferSettlement } from '../calendar.ts';
import { apiQuote, finite, placeQuote } from './apiQuote.ts';
import type { ImportResult } from './result.ts';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const num = finite;

/** True when parsed JSON looks like a Tradier chain response. */
export function looksLikeTradierJson(value: unknown): boolean {
  if (!isObject(value) || !('options' in value)) return false;
  const o = value.options;
  return o === null || (isObject(o) && ('option' in o || Object.keys(o).length === 0));
}

/** Epoch seconds or milliseconds (the documentation shows both) → milliseconds; 0 means none. */
function epochMs(v: unknown): number | null {
  const n = num(v);
  if (n === null || n <= 0) return null;
  return n < 1e11 ? n * 1000 : n;
}

function readContract(c: Json): Quote {
  const g = isObject(c.greeks) ? c.greeks : {};
  const iv = num(g.mid_iv) ?? num(g.smv_vol);
  return apiQuote({
    bid: c.bid,
    ask: c.ask,
    last: c.last,
    volume: c.volume,
    openInterest: c.open_interest,
    iv,
    delta: g.delta,
  });
}

/** Import a parsed Tradier chain JSON value. */
export function importTradierJson({ json, fileName }: { json: unknown; fileName?: string }): ImportResult {
  if (!looksLikeTradierJson(json)) return { ok: false, reason: 'not a Tradier chain: no "options" object' };
  const o = (json as Json).options;
  const raw = isObject(o) ? o.option : undefined;
  const list = Array.isArray(raw) ? raw : isObject(raw) ? [raw] : [];
  if (list.length === 0) return { ok: false, reason: 'the Tradier chain is empty ("options" holds no option)' };
  const warnings: ChainWarning[] = [];
  const groups = new Map<string, { date: string; root: string | null; rows: Map<number, ChainRow> }>();
  let symbol: string | null = null;
  let latest = 0;
  for (const [row, c] of list.entries()) {
    if (!isObject(c)) {
      warnings.push({ row, reason: 'contract is not an object: dropped' });
      continue;
    }
    const kind = c.option_type === 'call' || c.option_type === 'put' ? c.option_type : null;
    const strike = num(c.strike);
    const date =
      typeof c.expiration_date === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(c.expiration_date) ? c.expiration_date : null;
    if (!kind || strike === null || strike <= 0 || !date) {
      warnings.push({
        row,
        reason: `contract ${String(c.symbol)} has no option_type, strike or expiration_date: dropped`,
      });
      continue;
    }
    const occ = parseOcc(typeof c.symbol === 'string' ? c.symbol : null);
    if (occ && (occ.expiry !== date || occ.kind !== kind || Math.abs(occ.strike - strike) > 1e-6)) {
      warnings.push({ row, reason: `contract ${String(c.symbol)} disagrees with its fields: dropped` });
      continue;
    }
    const under = typeof c.underlying === 'string' && c.underlying !== '' ? c.underlying : null;
    if (under && symbol && under !== symbol)
      return { ok: false, reason: `the Tradier chain mixes underlyings (${symbol} and ${under})` };
    symbol ??= under;
    const root = (typeof c.root_symbol === 'string' && c.root_symbol) || occ?.root || null;
    const key = `${date}|${root ?? ''}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { date, root, rows: new Map() }));
    if (!placeQuote(g.rows, { strike, kind, date, row }, readContract(c), warnings)) continue;
    for (const t of [epochMs(c.bid_date), epochMs(c.ask_date)]) if (t !== null && t > latest) latest = t;
  }
  symbol ??= [...groups.values()][0]?.root ?? null;
  if (!symbol) return { ok: false, reason: 'the Tradier chain names no underlying (no "underlying" or "root_symbol")' };
  const expiries: Expiry[] = [...groups.values()]
    .map((g) => ({
      date: g.date,
      root: g.root,
      settlement: inferSettlement(g.root, g.date),
      rows: [...g.rows.values()].sort((a, b) => a.strike - b.strike),
    }))
    .sort((a, b) => (a.date === b.date ? (a.root ?? '').localeCompare(b.root ?? '') : a.date < b.date ? -1 : 1));
  if (expiries.length === 0) return { ok: false, reason: 'the Tradier chain holds no usable contracts' };
  warnings.push({ row: null, reason: 'Tradier chains carry no underlying price: give it with the analysis' });
  const chain: Chain = {
    version: CHAIN_VERSION,
    underlying: { symbol, price: null },
    asOf: latest > 0 ? new Date(latest).toISOString() : null,
    source: { kind: 'json', adapter: 'tradier-json', ...(fileName ? { name: fileName.replace(/^.*[\\/]/, '') } : {}) },
    expiries,
    warnings,
  };
  return { ok: true, chain };
}
