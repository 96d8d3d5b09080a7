/**
 * Schwab / TD Ameritrade market-data option chain JSON (`GET /marketdata/v1/chains`, the schema TD Ameritrade's
 * `/v1/marketdata/chains` had): { symbol, status, underlyingPrice, callExpDateMap, putExpDateMap }, each map
 * expiry "YYYY-MM-DD:days" → strike "110.0" → [contract]. A contract carries putCall, symbol ("F_121120C.5"
 * on TD, OCC-padded "F     201211C00000500" on Schwab), bid, ask, last, totalVolume, openInterest,
 * volatility (a percent, 29.0 = 29 %, or the string "NaN"), delta (a number or "NaN"), quoteTimeInLong (epoch
 * milliseconds), nonStandard and mini flags, settlementType ("A" AM, "P" PM).
 */
import { parseOcc } from '../occ.ts';
import { CHAIN_VERSION, type Chain, type ChainRow, type ChainWarning, type Expiry, type Quote } from '../types.ts';
import { inferSettlement } from '../calendar.ts';
import { apiQuote, finite, placeQuote } from './apiQuote.ts';
import type { ImportResult } from './result.ts';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The API writes "NaN" (a string) where it has no number. */
const num = finite;

/** True when parsed JSON looks like a Schwab / TD Ameritrade chain response. */
export function looksLikeSchwabJson(value: unknown): boolean {
  return isObject(value) && (isObject(value.callExpDateMap) || isObject(value.putExpDateMap));
}

function readContract(c: Json): Quote {
  // The API's volatility is a percent (29.0 = 29 %).
  const vol = num(c.volatility);
  return apiQuote({
    bid: c.bid,
    ask: c.ask,
    last: c.last,
    volume: c.totalVolume,
    openInterest: c.openInterest,
    iv: vol !== null ? vol / 100 : null,
    delta: c.delta,
  });
}

/** The root of "F_121120C.5" (TD) or an OCC symbol (Schwab). */
function rootOf(symbol: unknown): string | null {
  if (typeof symbol !== 'string') return null;
  const td = /^([A-Z][A-Z0-9.]{0,5})_\d{6}[CP]/.exec(symbol);
  if (td) return td[1]!;
  return parseOcc(symbol)?.root ?? null;
}

/** Import a parsed Schwab / TD Ameritrade chain JSON value. */
export function importSchwabJson({ json, fileName }: { json: unknown; fileName?: string }): ImportResult {
  if (!looksLikeSchwabJson(json))
    return { ok: false, reason: 'not a Schwab/TD Ameritrade chain: no "callExpDateMap" or "putExpDateMap" object' };
  const o = json as Json;
  if (typeof o.status === 'string' && o.status !== 'SUCCESS')
    return { ok: false, reason: `the Schwab/TD Ameritrade response says status ${JSON.stringify(o.status)}` };
  const symbol = typeof o.symbol === 'string' && o.symbol.trim() !== '' ? o.symbol.trim().replace(/^\$/, '') : null;
  if (!symbol) return { ok: false, reason: 'the Schwab/TD Ameritrade chain names no underlying "symbol"' };
  const under = isObject(o.underlying) ? o.underlying : null;
  const priceRaw = num(o.underlyingPrice) ?? (under ? (num(under.last) ?? num(under.mark)) : null);
  const price = priceRaw !== null && priceRaw > 0 ? priceRaw : null;

  const warnings: ChainWarning[] = [];
  const groups = new Map<
    string,
    { date: string; root: string | null; settlement: 'AM' | 'PM' | null; rows: Map<number, ChainRow> }
  >();
  let latestQuote = 0;
  let index = 0;
  let skipped = 0;
  for (const kind of ['call', 'put'] as const) {
    const map = o[kind === 'call' ? 'callExpDateMap' : 'putExpDateMap'];
    if (map === undefined || map === null) continue;
    if (!isObject(map)) return { ok: false, reason: `${kind}ExpDateMap is not an object` };
    for (const [expKey, strikes] of Object.entries(map)) {
      const dm = /^(\d{4}-\d{2}-\d{2})(?::-?\d+)?$/.exec(expKey);
      if (!dm || Number.isNaN(Date.parse(dm[1]!)))
        return { ok: false, reason: `${kind}ExpDateMap key ${JSON.stringify(expKey)} is not "YYYY-MM-DD:days"` };
      const date = dm[1]!;
      if (!isObject(strikes))
        return { ok: false, reason: `${kind}ExpDateMap[${JSON.stringify(expKey)}] is not an object` };
      for (const [strikeKey, list] of Object.entries(strikes)) {
        const contracts = Array.isArray(list) ? list : [list];
        for (const c of contracts) {
          const row = index++;
          if (!isObject(c)) {
            warnings.push({ row, reason: `${kind} ${date} ${strikeKey}: contract is not an object: dropped` });
            continue;
          }
          const strike = num(c.strikePrice) ?? Number(strikeKey);
          if (!Number.isFinite(strike) || strike <= 0) {
            warnings.push({
              row,
              reason: `${kind} ${date}: strike ${JSON.stringify(strikeKey)} is not a number: dropped`,
            });
            continue;
          }
          if (typeof c.putCall === 'string' && c.putCall.toLowerCase() !== kind) {
            warnings.push({ row, reason: `${String(c.symbol)} is a ${c.putCall} in the ${kind} map: dropped` });
            continue;
          }
          if (c.nonStandard === true || c.mini === true) {
            skipped++;
            continue;
          }
          const root = rootOf(c.symbol);
          const st = c.settlementType === 'A' ? 'AM' : c.settlementType === 'P' ? 'PM' : null;
          const key = `${date}|${root ?? ''}`;
          let g = groups.get(key);
          if (!g) groups.set(key, (g = { date, root, settlement: st, rows: new Map() }));
          if (!placeQuote(g.rows, { strike, kind, date, row }, readContract(c), warnings)) continue;
          const t = num(c.quoteTimeInLong);
          if (t !== null && t > latestQuote) latestQuote = t;
        }
      }
    }
  }
  if (skipped > 0)
    warnings.push({
      row: null,
      reason: `${skipped} non-standard or mini contracts left out (their deliverable is not 100 shares)`,
    });
  const expiries: Expiry[] = [...groups.values()]
    .map((g) => ({
      date: g.date,
      root: g.root,
      settlement: g.settlement ?? inferSettlement(g.root, g.date),
      rows: [...g.rows.values()].sort((a, b) => a.strike - b.strike),
    }))
    .sort((a, b) => (a.date === b.date ? (a.root ?? '').localeCompare(b.root ?? '') : a.date < b.date ? -1 : 1));
  if (expiries.length === 0) return { ok: false, reason: 'the Schwab/TD Ameritrade chain holds no usable contracts' };
  const chain: Chain = {
    version: CHAIN_VERSION,
    underlying: { symbol, price },
    // The newest quote's time: the API gives no time for the response itself.
    asOf: latestQuote > 0 ? new Date(latestQuote).toISOString() : null,
    source: { kind: 'json', adapter: 'schwab-json', ...(fileName ? { name: fileName.replace(/^.*[\\/]/, '') } : {}) },
    expiries,
    warnings,
  };
  return { ok: true, chain };
}
