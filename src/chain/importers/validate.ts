/**
 * Structural check of a Chain JSON (version 1) read from a file or storage: types, ISO dates, settlement,
 * finite numbers or null, positive strikes sorted and unique. Says where the first problem is.
 */
import { CHAIN_VERSION, type Chain, type Quote } from '../types.ts';
import type { ImportResult } from './result.ts';

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const numOrNull = (v: unknown): boolean => v === null || (typeof v === 'number' && Number.isFinite(v));
const QUOTE_FIELDS: (keyof Quote)[] = ['bid', 'ask', 'last', 'volume', 'openInterest', 'iv', 'delta'];
const SOURCE_KINDS = new Set(['html', 'csv', 'dat', 'json', 'snapshot', 'manual']);

function checkQuote(q: unknown, at: string): string | null {
  if (q === null) return null;
  if (!isObj(q)) return `${at} is not an object or null`;
  for (const f of QUOTE_FIELDS) {
    if (!(f in q)) return `${at}.${f} is missing`;
    if (!numOrNull(q[f])) return `${at}.${f} is not a number or null`;
  }
  const iv = q.iv as number | null;
  if (iv !== null && (iv <= 0 || iv > 20)) return `${at}.iv ${iv} is not a fraction (0 < iv ≤ 20)`;
  return null;
}

function problem(c: unknown): string | null {
  if (!isObj(c)) return 'not an object';
  if (c.version !== CHAIN_VERSION) return `version ${JSON.stringify(c.version)} is not ${CHAIN_VERSION}`;
  const u = c.underlying;
  if (!isObj(u) || typeof u.symbol !== 'string' || u.symbol === '') return 'underlying.symbol is missing';
  if (!numOrNull(u.price)) return 'underlying.price is not a number or null';
  if (c.asOf !== null && (typeof c.asOf !== 'string' || !Number.isFinite(Date.parse(c.asOf)))) {
    return 'asOf is not an ISO time or null';
  }
  const s = c.source;
  if (!isObj(s) || !SOURCE_KINDS.has(s.kind as string) || typeof s.adapter !== 'string') return 'source is not valid';
  if (!Array.isArray(c.expiries)) return 'expiries is not an array';
  for (const [i, e] of c.expiries.entries()) {
    const at = `expiries[${i}]`;
    if (!isObj(e)) return `${at} is not an object`;
    if (typeof e.date !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(e.date) || Number.isNaN(Date.parse(e.date))) {
      return `${at}.date is not YYYY-MM-DD`;
    }
    if (e.root !== null && typeof e.root !== 'string') return `${at}.root is not a string or null`;
    if (e.settlement !== 'AM' && e.settlement !== 'PM') return `${at}.settlement is not AM or PM`;
    if (!Array.isArray(e.rows)) return `${at}.rows is not an array`;
    let prev = -Infinity;
    for (const [j, r] of e.rows.entries()) {
      const rat = `${at}.rows[${j}]`;
      if (!isObj(r)) return `${rat} is not an object`;
      if (typeof r.strike !== 'number' || !(r.strike > 0) || !Number.isFinite(r.strike))
        return `${rat}.strike is not a positive number`;
      if (r.strike <= prev)
        return `${rat}.strike ${r.strike} is not above the previous strike (rows must be sorted, unique)`;
      prev = r.strike;
      const pc = checkQuote(r.call, `${rat}.call`) ?? checkQuote(r.put, `${rat}.put`);
      if (pc) return pc;
    }
  }
  if (!Array.isArray(c.warnings)) return 'warnings is not an array';
  for (const [i, w] of c.warnings.entries()) {
    if (!isObj(w) || typeof w.reason !== 'string' || !(w.row === null || Number.isInteger(w.row)))
      return `warnings[${i}] is not valid`;
  }
  return null;
}

/**
 * Validate an unknown value as a Chain. An expiry's `quotedFrom` (the surface a model priced its quotes from) is
 * dropped: a file's or a snapshot's quotes are fitted like a page's, whatever the file says they were priced from.
 */
export function validateChain(value: unknown): ImportResult {
  const p = problem(value);
  if (p) return { ok: false, reason: p };
  const chain = value as Chain;
  if (!chain.expiries.some((e) => 'quotedFrom' in e)) return { ok: true, chain };
  return {
    ok: true,
    chain: { ...chain, expiries: chain.expiries.map(({ quotedFrom: _, ...e }) => e) },
  };
}
