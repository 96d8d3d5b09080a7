/**
 * VIX options: the VIX future of each expiry implied from the VIX option chain by put-call parity, and Black-76
 * pricing on that future — never on spot VIX (a VIX option settles on the special opening quotation of VIX on its
 * expiry morning, whose risk-neutral expectation is the VIX future of that expiry, not today's spot index).
 *
 * Parity: C − P = D·(F − K). Two ways, in order:
 *  1. 'parity': the project's robust fit (src/engine/forward.ts) over strikes with two-sided call AND put markets.
 *  2. 'parity-bounds': VIX chains have many zero bids (deep OTM puts above spot-like levels, far calls). A strike with
 *     a call ask and a put ask still bounds the future, bid 0 included:
 *        K + (C_bid − P_ask)/D  ≤  F  ≤  K + (C_ask − P_bid)/D
 *     The bounds of all such strikes are intersected; F is the middle of the intersection. When the intersection is
 *     empty (a stale quote), the median of the per-strike midpoints is used and the reason says so.
 * A chain a model priced (the backtest's, Expiry.quotedFrom) states its futures: 'quoted-model', nothing implied.
 * Expiry dates come from src/chain/calendar.ts (VIX: the Wednesday 30 days before the next month's SPX expiry).
 */
import type { Chain, ChainRow, Expiry, OptionKind, Quote } from '../../chain/types';
import { occOrLabelFormatter } from '../../chain/occ';
import { fitForward, quotedForward } from '../forward';
import type { Greeks } from '../pricing/black';
import { vixLegGreeksPerShare } from '../leg';
import { impliedVolatilityBlack76 } from '../pricing/iv';
import { daysBetween, inferSettlement } from '../../chain/calendar';
import { yearsToExpiry } from '../time';
import { onFrozenRows } from '../rowsMemo';

export type VixFutureMethod = 'parity' | 'parity-bounds' | 'none' | 'term-model' | 'quoted-model';

export interface VixFutureEstimate {
  expiry: string;
  root: string | null;
  years: number;
  /** null when the chain cannot pin it (then `reason` says why). */
  future: number | null;
  discount: number;
  method: VixFutureMethod;
  /** The intersection of the parity bounds over strikes with asks on both sides (null if none). */
  bounds: { low: number; high: number; strikes: number } | null;
  strikesUsed: number[];
  reason: string | null;
}

function ask(q: Quote | null): number | null {
  return q && q.ask !== null && Number.isFinite(q.ask) && q.ask > 0 ? q.ask : null;
}
function bid(q: Quote | null): number | null {
  // A missing bid on a quoted ask is a zero bid for bounding purposes.
  if (!q || q.ask === null || !(q.ask > 0)) return null;
  if (q.bid === null || !Number.isFinite(q.bid) || q.bid < 0) return 0;
  return q.bid > q.ask ? null : q.bid;
}

function median(xs: number[]): number {
  const a = xs.slice().sort((x, y) => x - y);
  const h = a.length >> 1;
  return a.length % 2 ? (a[h] as number) : ((a[h - 1] as number) + (a[h] as number)) / 2;
}

function parityBounds(
  e: Expiry,
  discount: number,
): { low: number; high: number; mids: number[]; strikes: number[]; inconsistent: boolean } | null {
  let low = -Infinity;
  let high = Infinity;
  const mids: number[] = [];
  const strikes: number[] = [];
  for (const r of e.rows) {
    const ca = ask(r.call);
    const pa = ask(r.put);
    const cb = bid(r.call);
    const pb = bid(r.put);
    if (ca === null || pa === null || cb === null || pb === null) continue;
    const lo = r.strike + (cb - pa) / discount;
    const hi = r.strike + (ca - pb) / discount;
    low = Math.max(low, lo);
    high = Math.min(high, hi);
    mids.push((lo + hi) / 2);
    strikes.push(r.strike);
  }
  if (strikes.length === 0) return null;
  return { low, high, mids, strikes, inconsistent: low > high };
}

/** The implied VIX future of every unexpired expiry of a VIX chain. */
export function impliedVixFutures(params: { chain: Chain; now: Date; rate: number }): VixFutureEstimate[] {
  const { chain, now, rate } = params;
  // A chain whose expiries are frozen (the backtest's) is read once per instant and rate (rowsMemo.ts).
  return onFrozenRows(chain.expiries, `vix futures ${now.getTime()} ${rate}`, () => futuresOf(chain, now, rate));
}

function futuresOf(chain: Chain, now: Date, rate: number): VixFutureEstimate[] {
  const out: VixFutureEstimate[] = [];
  for (const e of chain.expiries) {
    const settlement = e.settlement ?? inferSettlement(e.root, e.date);
    const years = yearsToExpiry({ now, expiry: { date: e.date, settlement, root: e.root } });
    const discount = Math.exp(-rate * years);
    const base = { expiry: e.date, root: e.root, years, discount };
    if (!(years > 0)) {
      out.push({ ...base, future: null, method: 'none', bounds: null, strikesUsed: [], reason: 'expired' });
      continue;
    }
    // A model's chain states the future its quotes were priced on (Expiry.quotedFrom): nothing to imply or bound.
    const given = quotedForward(e.quotedFrom, years);
    if (given) {
      // Written out, not spread from `base` (a spread is a slow path, once per expiry of every model chain).
      out.push({
        expiry: e.date,
        root: e.root,
        years,
        discount: given.discount!,
        future: given.forward!,
        method: 'quoted-model',
        bounds: null,
        strikesUsed: [],
        reason: null,
      });
      continue;
    }
    const b = parityBounds(e, discount);
    const bounds = b ? { low: b.low, high: b.high, strikes: b.strikes.length } : null;
    const fit = fitForward({ rows: e.rows, years, spot: null, rate });
    if (fit.method !== 'fallback-spot' && fit.forward !== null && fit.forward > 0) {
      out.push({
        ...base,
        discount: fit.discount ?? discount,
        future: fit.forward,
        method: 'parity',
        bounds,
        strikesUsed: fit.strikesUsed,
        reason: fit.reason,
      });
      continue;
    }
    if (b) {
      const f = b.inconsistent ? median(b.mids) : (b.low + b.high) / 2;
      if (Number.isFinite(f) && f > 0) {
        out.push({
          ...base,
          future: f,
          method: 'parity-bounds',
          bounds,
          strikesUsed: b.strikes,
          reason: b.inconsistent
            ? `parity bounds of ${b.strikes.length} strikes do not intersect (a stale quote): median of their midpoints`
            : `no strike with two-sided call and put markets; middle of the parity bounds of ${b.strikes.length} strikes (zero bids allowed)`,
        });
        continue;
      }
    }
    out.push({
      ...base,
      future: null,
      method: 'none',
      bounds,
      strikesUsed: [],
      reason: `no strike with asks on both the call and the put: the future cannot be implied (${fit.reason ?? 'no parity fit'})`,
    });
  }
  return out;
}

/** Black-76 price and greeks of a VIX option on its own expiry's future. Null when an input is unusable. */
export function vixOptionGreeks(params: {
  kind: OptionKind;
  future: number;
  strike: number;
  years: number;
  vol: number;
  rate: number;
}): Greeks | null {
  // The leg's fields named (not a rest object: this is called for every VIX quote of a chain).
  const { kind, future, strike, years, vol, rate } = params;
  return vixLegGreeksPerShare({ kind, future, strike, years, vol }, rate);
}

export interface VixOptionQuote {
  expiry: string;
  root: string;
  kind: OptionKind;
  strike: number;
  occ: string;
  bid: number | null;
  ask: number | null;
  mid: number;
  future: number;
  years: number;
  /** Black-76 implied vol of the mid on the future. */
  vol: number;
  greeks: Greeks;
  openInterest: number | null;
  volume: number | null;
}

interface QuoteSetup {
  e: Expiry;
  expiry: string;
  root: string;
  future: number;
  years: number;
  rate: number;
}

/** The expiry and its implied future, or null (no such expiry, no usable future). */
function quoteSetup(params: {
  chain: Chain;
  expiry: string;
  futures: readonly VixFutureEstimate[];
  rate: number;
}): QuoteSetup | null {
  const { chain, expiry, futures, rate } = params;
  const e = chain.expiries.find((x) => x.date === expiry);
  const f = futures.find((x) => x.expiry === expiry);
  if (!e || !f || f.future === null || !(f.years > 0)) return null;
  return { e, expiry, root: e.root ?? chain.underlying.symbol, future: f.future, years: f.years, rate };
}

const setupKey = (s: QuoteSetup) => `${s.expiry} ${s.root} ${s.future} ${s.years} ${s.rate}`;

/** The expiry's OCC writer (occOrLabelFormatter), made when the first usable quote needs it (it throws on a bad root). */
function occOf(s: QuoteSetup): (kind: OptionKind, strike: number) => string {
  let write: ((kind: OptionKind, strike: number) => string) | null = null;
  return (kind, strike) => (write ??= occOrLabelFormatter(s.root, s.expiry))(kind, strike);
}

/**
 * Every VIX option of one expiry with a usable mid (of one kind, when `kind` is given), priced on the implied
 * future (IV from its mid).
 */
export function vixOptionQuotes(params: {
  chain: Chain;
  expiry: string;
  futures: readonly VixFutureEstimate[];
  rate: number;
  kind?: OptionKind;
}): VixOptionQuote[] {
  const s = quoteSetup(params);
  if (!s) return [];
  const kinds: readonly OptionKind[] = params.kind ? [params.kind] : ['call', 'put'];
  return onFrozenRows(s.e.rows, `vix quotes ${kinds.join('+')} ${setupKey(s)}`, () => {
    const occ = occOf(s);
    const out: VixOptionQuote[] = [];
    for (const r of s.e.rows)
      for (const kind of kinds) {
        const q = quoteOf(s, r, kind, occ);
        if (q) out.push(q);
      }
    return out;
  });
}

/**
 * The VIX option of one expiry, kind and strike, priced as vixOptionQuotes prices it (null: not listed, or no usable
 * mid): a held leg or a synthetic's put needs its one quote, not the expiry's.
 */
export function vixOptionQuote(params: {
  chain: Chain;
  expiry: string;
  futures: readonly VixFutureEstimate[];
  rate: number;
  kind: OptionKind;
  strike: number;
}): VixOptionQuote | null {
  const s = quoteSetup(params);
  if (!s) return null;
  const { kind, strike } = params;
  return onFrozenRows(s.e.rows, `vix quote ${kind} ${strike} ${setupKey(s)}`, () => {
    const r = s.e.rows.find((x) => Math.abs(x.strike - strike) < 1e-9);
    return r ? quoteOf(s, r, kind, occOf(s)) : null;
  });
}

function quoteOf(
  s: QuoteSetup,
  r: ChainRow,
  kind: OptionKind,
  occ: (kind: OptionKind, strike: number) => string,
): VixOptionQuote | null {
  const q = r[kind];
  if (!q || q.bid === null || q.ask === null || !(q.ask > 0) || q.bid > q.ask || q.bid < 0) return null;
  const mid = 0.5 * q.bid + 0.5 * q.ask;
  if (!(mid > 0)) return null;
  const { future, years, rate } = s;
  const iv = impliedVolatilityBlack76({ kind, price: mid, forward: future, strike: r.strike, years, rate });
  if (!iv.ok) return null;
  const greeks = vixOptionGreeks({ kind, future, strike: r.strike, years, vol: iv.vol, rate });
  if (!greeks) return null;
  return {
    expiry: s.expiry,
    root: s.root,
    kind,
    strike: r.strike,
    occ: occ(kind, r.strike),
    bid: q.bid,
    ask: q.ask,
    mid,
    future,
    years,
    vol: iv.vol,
    greeks,
    openInterest: q.openInterest,
    volume: q.volume,
  };
}

/** The expiry with an implied future whose calendar days from `today` are nearest `targetDays` (monthly VIX first). */
export function pickVixExpiry(params: {
  futures: readonly VixFutureEstimate[];
  today: string;
  targetDays: number;
}): VixFutureEstimate | null {
  const { futures, today, targetDays } = params;
  let best: VixFutureEstimate | null = null;
  let bestScore = Infinity;
  for (const f of futures) {
    if (f.future === null || !(f.years > 0)) continue;
    const days = daysBetween({ from: today, to: f.expiry });
    // prefer the standard monthly root at equal distance: a weekly costs half a day of distance
    const score = Math.abs(days - targetDays) + (f.root === 'VIXW' ? 0.5 : 0);
    if (score < bestScore) {
      bestScore = score;
      best = f;
    }
  }
  return best;
}

/** The call of an expiry whose Black-76 delta is nearest `targetDelta` (VXTH buys ~30-delta one-month calls). */
export function vixCallNearDelta(params: {
  quotes: readonly VixOptionQuote[];
  targetDelta: number;
}): VixOptionQuote | null {
  let best: VixOptionQuote | null = null;
  for (const q of params.quotes) {
    if (q.kind !== 'call') continue;
    if (!best || Math.abs(q.greeks.delta - params.targetDelta) < Math.abs(best.greeks.delta - params.targetDelta)) {
      best = q;
    }
  }
  return best;
}
