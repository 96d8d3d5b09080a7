/**
 * Hedge legs from the chain: an index leg from a listed two-sided quote (its smile vol, its assumed fill), a VIX leg
 * from a VIX option quote, a structure's mid / natural / fill price, and the listed strikes to choose from.
 */
import type { ChainRow, Expiry, OptionKind } from '../../../chain/types';
import { occOrLabelFormatter } from '../../../chain/occ';
import { volAt } from '../../smile';
import type { VixOptionQuote } from '../vixOptions';
import type { Ctx } from './value';
import type { HedgeLeg } from './types';

export function rowAt(e: Expiry, strike: number): ChainRow | null {
  return e.rows.find((r) => Math.abs(r.strike - strike) < 1e-9) ?? null;
}

/** Each expiry's OCC writer (occOrLabelFormatter), by root: the plan's legs on one expiry share it. */
const occWriters = new WeakMap<Expiry, Map<string, (kind: OptionKind, strike: number) => string>>();

function occWriter(e: Expiry, root: string): (kind: OptionKind, strike: number) => string {
  let byRoot = occWriters.get(e);
  if (!byRoot) occWriters.set(e, (byRoot = new Map()));
  let write = byRoot.get(root);
  if (!write) byRoot.set(root, (write = occOrLabelFormatter(root, e.date)));
  return write;
}

export function spxLeg(
  ctx: Ctx,
  e: Expiry,
  underlying: string,
  kind: OptionKind,
  strike: number,
  ratio: number,
): HedgeLeg | null {
  const m = ctx.models.get(e.date);
  const row = rowAt(e, strike);
  const q = row ? row[kind] : null;
  if (!m || !q || q.bid === null || q.ask === null || !(q.ask > 0) || q.bid < 0 || q.bid > q.ask) return null;
  const root = e.root ?? underlying;
  let occ: string;
  try {
    occ = occWriter(e, root)(kind, strike);
  } catch {
    return null;
  }
  return {
    underlying,
    root,
    expiry: e.date,
    kind,
    strike,
    ratio,
    occ,
    bid: q.bid,
    ask: q.ask,
    mid: 0.5 * q.bid + 0.5 * q.ask,
    vol: volAt(m.smile, strike),
    future: null,
    years: m.years,
    fill: fillPrice(ctx.fraction, q.bid, q.ask, ratio),
    openInterest: q.openInterest,
    volume: q.volume,
  };
}

/** The assumed fill of one contract: the mid moved `fraction` of the half-spread toward the natural price. */
export function fillPrice(fraction: number, bid: number | null, ask: number | null, ratio: number): number {
  if (bid === null || ask === null) return (ratio > 0 ? ask : bid) ?? 0;
  const mid = 0.5 * bid + 0.5 * ask;
  const half = 0.5 * (ask - bid);
  return ratio > 0 ? mid + fraction * half : mid - fraction * half;
}

/** A leg with a new ratio (its fill follows the side). */
export function withRatio(ctx: Ctx, leg: HedgeLeg, ratio: number): HedgeLeg {
  return { ...leg, ratio, fill: fillPrice(ctx.fraction, leg.bid, leg.ask, ratio) };
}

export function vixLeg(ctx: Ctx, q: VixOptionQuote, ratio: number): HedgeLeg {
  return {
    underlying: 'VIX',
    root: q.root,
    expiry: q.expiry,
    kind: q.kind,
    strike: q.strike,
    ratio,
    occ: q.occ,
    bid: q.bid,
    ask: q.ask,
    mid: q.mid,
    vol: q.vol,
    future: q.future,
    years: q.years,
    fill: q.bid === null || q.ask === null ? q.mid : fillPrice(ctx.fraction, q.bid, q.ask, ratio),
    openInterest: q.openInterest,
    volume: q.volume,
  };
}

export function prices(legs: readonly HedgeLeg[]): { mid: number; natural: number; fill: number } | null {
  let mid = 0;
  let natural = 0;
  let fill = 0;
  for (const l of legs) {
    mid += l.ratio * l.mid;
    fill += l.ratio * l.fill;
    const px = l.ratio > 0 ? l.ask : l.bid;
    if (px === null) return null;
    natural += l.ratio * px;
  }
  return { mid, natural, fill };
}

/**
 * Listed strikes of an expiry with two-sided markets on a side, found once per plan: the layers ask about the same
 * expiries several times (rolls, conversions, Layer One, the index put), each a walk over every row of the chain.
 * Kept on the plan's context (Ctx.listed); the list is shared, so callers must not change it.
 */
export function listedStrikes(ctx: Pick<Ctx, 'listed'>, e: Expiry, kind: OptionKind): readonly number[] {
  const listed = (ctx.listed ??= new Map());
  let slot = listed.get(e);
  if (!slot) listed.set(e, (slot = {}));
  let strikes = slot[kind];
  if (!strikes) {
    const found: number[] = [];
    for (const r of e.rows) {
      const q = r[kind];
      if (q && q.bid !== null && q.ask !== null && q.ask > 0 && q.bid >= 0 && q.bid <= q.ask) found.push(r.strike);
    }
    slot[kind] = strikes = found;
  }
  return strikes;
}

export function nearest(
  strikes: readonly number[],
  target: number,
  dir: 'atOrBelow' | 'atOrAbove' | 'any',
): number | null {
  let best: number | null = null;
  for (const k of strikes) {
    if (dir === 'atOrBelow' && k > target + 1e-9) continue;
    if (dir === 'atOrAbove' && k < target - 1e-9) continue;
    if (best === null || Math.abs(k - target) < Math.abs(best - target)) best = k;
  }
  return best;
}
