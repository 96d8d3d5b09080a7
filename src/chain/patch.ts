/**
 * Sending a ticking chain to the worker by its changes: when the chain keeps its layout (same expiries, same strikes
 * in the same order), only the rows whose quotes changed cross the boundary, packed into one buffer;
 * otherwise the whole chain does. (Cloning a 1,000-row chain on the page's main thread on every tick costs
 * milliseconds, and even cloning 100 row objects costs a few tenths of one from a content script's world; a tick
 * changes ~10% of the rows.) Pure: used by the content script (diff, pack) and the worker (unpack, apply).
 */
import { sameQuote, type Chain, type ChainRow, type Quote } from './types';

/** One replaced row: expiry index, row index, the new row. */
export interface RowChange {
  e: number;
  r: number;
  row: ChainRow;
}

export interface ChainPatch {
  /** The sender's layout number: the patch applies only to the chain pushed with the same number. */
  layout: number;
  underlying: Chain['underlying'];
  asOf: Chain['asOf'];
  warnings: Chain['warnings'];
  /** The replaced rows, packed by packRows. */
  rows: Float64Array;
}

/** Identity of a chain's layout: symbol, expiries and their strikes in order. */
export function chainShape(chain: Chain): string {
  let s = `${chain.underlying.symbol}|${chain.source.adapter}`;
  for (const e of chain.expiries) {
    s += `|${e.date}:${e.root ?? ''}:${e.settlement}:`;
    for (const r of e.rows) s += `${r.strike},`;
  }
  return s;
}

/** The rows whose quotes differ between two chains, or null when their shapes differ (send the whole chain). */
export function diffChain(before: Chain, after: Chain, shapeBefore = chainShape(before)): RowChange[] | null {
  if (chainShape(after) !== shapeBefore) return null;
  const rows: RowChange[] = [];
  after.expiries.forEach((e, ei) => {
    const old = before.expiries[ei]!.rows;
    e.rows.forEach((row, ri) => {
      const o = old[ri]!;
      if (o !== row && (!sameQuote(o.call, row.call) || !sameQuote(o.put, row.put))) rows.push({ e: ei, r: ri, row });
    });
  });
  return rows;
}

/**
 * The rows that are not the same objects, for two chains of one layout as the live reader gives them (rows are
 * replaced, never modified: ReadResult.layout). Null when the row counts differ (then it was not one layout).
 */
export function diffByIdentity(before: Chain, after: Chain): RowChange[] | null {
  if (before.expiries.length !== after.expiries.length) return null;
  const rows: RowChange[] = [];
  for (let ei = 0; ei < after.expiries.length; ei++) {
    const a = after.expiries[ei]!.rows;
    const b = before.expiries[ei]!.rows;
    if (a.length !== b.length) return null;
    if (a === b) continue;
    for (let ri = 0; ri < a.length; ri++) if (a[ri] !== b[ri]) rows.push({ e: ei, r: ri, row: a[ri]! });
  }
  return rows;
}

/* Packed rows: per row e, r, strike, then per side (call, put) a presence flag and the seven quote fields, a
   missing number as NaN (the reader never yields NaN: a number it cannot read is null). */
const QUOTE_WIDTH = 8;
export const ROW_WIDTH = 3 + 2 * QUOTE_WIDTH;

const orNaN = (v: number | null) => (v === null ? NaN : v);

function packQuote(out: Float64Array, at: number, q: Quote | null): void {
  if (!q) {
    out[at] = 0;
    return;
  }
  out[at] = 1;
  out[at + 1] = orNaN(q.bid);
  out[at + 2] = orNaN(q.ask);
  out[at + 3] = orNaN(q.last);
  out[at + 4] = orNaN(q.volume);
  out[at + 5] = orNaN(q.openInterest);
  out[at + 6] = orNaN(q.iv);
  out[at + 7] = orNaN(q.delta);
}

function unpackQuote(p: Float64Array, at: number): Quote | null {
  if (p[at] !== 1) return null;
  const v = (x: number) => (Number.isNaN(x) ? null : x);
  return {
    bid: v(p[at + 1]!),
    ask: v(p[at + 2]!),
    last: v(p[at + 3]!),
    volume: v(p[at + 4]!),
    openInterest: v(p[at + 5]!),
    iv: v(p[at + 6]!),
    delta: v(p[at + 7]!),
  };
}

export function packRows(rows: readonly RowChange[]): Float64Array {
  const out = new Float64Array(rows.length * ROW_WIDTH);
  rows.forEach(({ e, r, row }, i) => {
    const at = i * ROW_WIDTH;
    out[at] = e;
    out[at + 1] = r;
    out[at + 2] = row.strike;
    packQuote(out, at + 3, row.call);
    packQuote(out, at + 3 + QUOTE_WIDTH, row.put);
  });
  return out;
}

/** The rows of packRows, or null when the buffer is not a whole number of rows. */
export function unpackRows(packed: Float64Array): RowChange[] | null {
  if (packed.length % ROW_WIDTH !== 0) return null;
  const rows: RowChange[] = [];
  for (let at = 0; at < packed.length; at += ROW_WIDTH)
    rows.push({
      e: packed[at]!,
      r: packed[at + 1]!,
      row: {
        strike: packed[at + 2]!,
        call: unpackQuote(packed, at + 3),
        put: unpackQuote(packed, at + 3 + QUOTE_WIDTH),
      },
    });
  return rows;
}

/**
 * A whole chain for the worker: its skeleton (the expiries without rows) and every row packed as packRows packs
 * them, in order. Cloning a 20,000-row chain's objects on the page's main thread is one long task (~150 ms); packing
 * it is a loop over numbers, and the buffer is transferred, not copied.
 */
export function packChain(chain: Chain): { chain: Chain; rows: Float64Array } {
  let n = 0;
  for (const e of chain.expiries) n += e.rows.length;
  const out = new Float64Array(n * ROW_WIDTH);
  let at = 0;
  chain.expiries.forEach((e, ei) => {
    for (let ri = 0; ri < e.rows.length; ri++, at += ROW_WIDTH) {
      const row = e.rows[ri]!;
      out[at] = ei;
      out[at + 1] = ri;
      out[at + 2] = row.strike;
      packQuote(out, at + 3, row.call);
      packQuote(out, at + 3 + QUOTE_WIDTH, row.put);
    }
  });
  return { chain: { ...chain, expiries: chain.expiries.map((e) => ({ ...e, rows: [] })) }, rows: out };
}

/** The chain packChain packed, or null when the rows do not fill its expiries in order. */
export function unpackChain(skeleton: Chain, packed: Float64Array): Chain | null {
  const changes = unpackRows(packed);
  if (!changes) return null;
  const expiries = skeleton.expiries.map((e) => ({ ...e, rows: [] as ChainRow[] }));
  for (const { e, r, row } of changes) {
    const ex = expiries[e];
    if (!ex || r !== ex.rows.length) return null;
    ex.rows.push(row);
  }
  return { ...skeleton, expiries };
}

/** A patch of `rows` for the worker holding the chain of `layout`, turning it into `after`. */
export function patchOf(layout: number, after: Chain, rows: readonly RowChange[]): ChainPatch {
  return { layout, underlying: after.underlying, asOf: after.asOf, warnings: after.warnings, rows: packRows(rows) };
}

/**
 * The chain after the patch, or null when a row does not fit (out of range, or another strike there: the patch
 * was made for another layout). Does not modify `chain`. The layout number itself is the worker's to check.
 */
export function applyPatch(chain: Chain, patch: ChainPatch): Chain | null {
  const changes = unpackRows(patch.rows);
  if (!changes) return null;
  const expiries = chain.expiries.map((e) => ({ ...e, rows: e.rows }));
  const copied = new Set<number>();
  for (const { e, r, row } of changes) {
    const ex = expiries[e];
    if (!ex || !Number.isInteger(r) || r < 0 || r >= ex.rows.length || ex.rows[r]!.strike !== row.strike) return null;
    if (!copied.has(e)) {
      ex.rows = ex.rows.slice();
      copied.add(e);
    }
    ex.rows[r] = row;
  }
  return { ...chain, underlying: patch.underlying, asOf: patch.asOf, warnings: patch.warnings, expiries };
}
