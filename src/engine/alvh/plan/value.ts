/**
 * Repricing on the stress grid: the plan's context (the grid, the models, the fill), one leg's value in a grid cell
 * (leg.ts values it), a structure's P/L per unit on the grid from the assumed fill, and its dollar greeks.
 */
import {
  blackValue,
  legGreeks as legGreeksDollars,
  legValue as valueLeg,
  legValuesOnCells,
  vixLegGreeks,
  vixLegValue,
  zeroGreeks,
} from '../../leg';
import type { Expiry } from '../../../chain/types';
import type { ExpiryModel, PositionGreeks } from '../../types';
import type { Thresholds } from '../rulebook';
import { vixFutureShare, vixOptionVolScale, type StressScenario } from './stress';
import type { HedgeLeg } from './types';

/** Contract multiplier of the index and VIX options the plan trades. */
export const MULT = 100;

export interface Ctx {
  t: Thresholds;
  spot: number;
  vix0: number;
  /** The stress grid. */
  path: readonly StressScenario[];
  models: Map<string, ExpiryModel>;
  /** The day the plan is made (YYYY-MM-DD), for VIX legs' days left. */
  today: string;
  fraction: number;
  commission: number;
  /**
   * What the grid was made from, when it is stressGrid(t, vix0, horizons): `${vix0} ${horizons}` (planHedges gridOf).
   * Then a leg's cell values are kept for the next plans on the same grid too (legCellValues), not for this one only.
   */
  grid?: string;
  /** Listed strikes per expiry and side, found once for this plan (legs.ts listedStrikes). */
  listed?: Map<Expiry, { call?: readonly number[]; put?: readonly number[] }>;
}

export function finite(x: number, d = 0): number {
  return Number.isFinite(x) ? x : d;
}

/**
 * Value of one leg (per share/point) in a grid cell (leg.ts values it). VIX legs: the future of the leg's expiry
 * moves vixFutureShare(days left at the horizon) × the spot VIX change (spot floored at 5, the future at 0.5), its
 * implied vol scales by vixOptionVolScale (vol-of-vol against the VIX level); at or past its expiry the leg is worth
 * its intrinsic value on that future.
 */
export function legValue(ctx: Ctx, leg: HedgeLeg, c: StressScenario): number {
  return valueIn(ctx, leg, c, {
    share: (left) => vixFutureShare(ctx.t, left),
    scale: (vixAfter) => vixOptionVolScale(ctx.t, ctx.vix0, vixAfter),
  });
}

/**
 * What a VIX leg's value reads that depends on the leg and one axis of the grid only: a VIX future's share of a spot
 * move (by days left), its vol's scale (by the VIX level). legCellValues keeps them across a leg's cells; legValue
 * computes them for its one cell.
 */
interface Links {
  share(left: number): number;
  scale(vixAfter: number): number;
}

function valueIn(ctx: Ctx, leg: HedgeLeg, c: StressScenario, links: Links): number {
  if (leg.underlying === 'VIX') {
    if (leg.future === null) return leg.mid;
    const vixAfter = Math.max(ctx.vix0 + c.vixShiftPoints, 5);
    const left = leg.years * 365 - c.horizonDays;
    const F = Math.max(leg.future + links.share(left) * (vixAfter - ctx.vix0), 0.5);
    if (!(left > 0)) return blackValue(leg.kind, F, leg.strike, 0, 1);
    const vol = leg.vol * links.scale(vixAfter);
    return vixLegValue({ kind: leg.kind, strike: leg.strike, future: leg.future, years: left / 365, vol }, F, leg.mid);
  }
  const m = ctx.models.get(leg.expiry);
  if (!m) return leg.mid;
  return valueLeg(
    { kind: leg.kind, strike: leg.strike, model: m },
    {
      price: m.underlying * (1 + c.move),
      daysForward: c.horizonDays,
      volShiftPoints: c.vixShiftPoints,
    },
  );
}

/** Commissions for `quantity` units of the legs, dollars. */
export function commissionOf(ctx: Ctx, legs: readonly HedgeLeg[], quantity: number): number {
  return legs.reduce((s, l) => s + Math.abs(l.ratio), 0) * quantity * ctx.commission;
}

/**
 * P/L in dollars per ticket unit of the legs in every grid cell, from the assumed fill (what you pay now), less
 * commissions to open. Linear in the quantity, so sizing scales this vector.
 */
export function unitPnl(ctx: Ctx, legs: readonly HedgeLeg[]): Float64Array {
  const out = new Float64Array(ctx.path.length);
  const fee = commissionOf(ctx, legs, 1);
  const values = legs.map((l) => legCellValues(ctx, l));
  for (let i = 0; i < out.length; i++) {
    let v = 0;
    for (let j = 0; j < legs.length; j++) v += legs[j]!.ratio * (values[j]![i]! - legs[j]!.fill);
    out[i] = v * MULT - fee;
  }
  return out;
}

/**
 * A leg's value (legValue) in every grid cell, kept per plan context: the structures of one plan that share a leg (a
 * VIX call alone, in a spread, in a synthetic) value it once. The key is every input legValue reads of the leg.
 */
const cellValues = new WeakMap<Ctx, Map<string, Float64Array>>();

/**
 * Leg values kept across plans on the same grid (Ctx.grid, with the same thresholds object): the backtest's
 * strategies ask about one day in turn, on one grid, and price many of the same legs. Only the last grid's are kept
 * (per thresholds object). An index leg's values are kept under its expiry model's smile (the fitted object: a
 * live chain's fits are new on every recompute) and keyed by every number of the model legValue reads.
 */
interface GridValues {
  grid: string;
  vix: Map<string, Float64Array>;
  index: WeakMap<object, Map<string, Float64Array>>;
}
const lastGrid = new WeakMap<Thresholds, GridValues>();

function gridValues(ctx: Ctx & { grid: string }): GridValues {
  let g = lastGrid.get(ctx.t);
  if (!g || g.grid !== ctx.grid) lastGrid.set(ctx.t, (g = { grid: ctx.grid, vix: new Map(), index: new WeakMap() }));
  return g;
}

/** Where values on the grid of something priced on index model `m` are kept, and their key there. */
function onModel(ctx: Ctx & { grid: string }, m: ExpiryModel, key: string) {
  const g = gridValues(ctx);
  let memo = g.index.get(m.smile);
  if (!memo) g.index.set(m.smile, (memo = new Map()));
  return { memo, key: `${key} ${modelKey(m)}` };
}

/**
 * Every number of a model legValue reads, as a key: written once per frozen model object (analyze.ts modelFor's;
 * numbers are slow to write), each time for any other.
 */
const modelKeys = new WeakMap<ExpiryModel, string>();
function modelKey(m: ExpiryModel): string {
  let k = modelKeys.get(m);
  if (k !== undefined) return k;
  k = `${m.underlying} ${m.forward} ${m.discount} ${m.years} ${m.rate} ${m.carry}`;
  if (Object.isFrozen(m)) modelKeys.set(m, k);
  return k;
}

function sharedValues(ctx: Ctx, leg: HedgeLeg, key: string): { memo: Map<string, Float64Array>; key: string } | null {
  if (ctx.grid === undefined) return null;
  const on = ctx as Ctx & { grid: string };
  if (leg.underlying === 'VIX') return { memo: gridValues(on).vix, key };
  const m = ctx.models.get(leg.expiry);
  return m ? onModel(on, m, key) : null;
}

/**
 * Values in every grid cell of something priced on index model `m` alone (the condor, planHedges gridOf), `key`
 * naming it with every other input it reads: kept across plans on the same grid like the legs' (legCellValues).
 */
export function keptOnGrid(ctx: Ctx, m: ExpiryModel, key: string, make: () => Float64Array): Float64Array {
  if (ctx.grid === undefined) return make();
  const at = onModel(ctx as Ctx & { grid: string }, m, key);
  let values = at.memo.get(at.key);
  if (!values) at.memo.set(at.key, (values = make()));
  return values;
}

export function legCellValues(ctx: Ctx, leg: HedgeLeg): Float64Array {
  let memo = cellValues.get(ctx);
  if (!memo) cellValues.set(ctx, (memo = new Map()));
  const key =
    leg.underlying === 'VIX'
      ? `VIX ${leg.kind} ${leg.strike} ${leg.future} ${leg.years} ${leg.vol} ${leg.mid}`
      : `${leg.expiry} ${leg.kind} ${leg.strike} ${leg.mid}`;
  let values = memo.get(key);
  if (values) return values;
  const shared = sharedValues(ctx, leg, key);
  values = shared?.memo.get(shared.key);
  if (values) {
    memo.set(key, values);
    return values;
  }
  values = new Float64Array(ctx.path.length);
  const m = leg.underlying === 'VIX' ? undefined : ctx.models.get(leg.expiry);
  if (m) {
    // An index leg: leg.ts values it in every cell at once (what valueIn gives cell by cell, bit for bit).
    legValuesOnCells({ kind: leg.kind, strike: leg.strike, model: m }, m.underlying, ctx.path, values);
  } else {
    // The grid repeats its horizons and VIX levels: each share and scale read once per leg.
    const shareAt = new Map<number, number>();
    const scaleAt = new Map<number, number>();
    const links: Links = {
      share: (left) => {
        let v = shareAt.get(left);
        if (v === undefined) shareAt.set(left, (v = vixFutureShare(ctx.t, left)));
        return v;
      },
      scale: (vixAfter) => {
        let v = scaleAt.get(vixAfter);
        if (v === undefined) scaleAt.set(vixAfter, (v = vixOptionVolScale(ctx.t, ctx.vix0, vixAfter)));
        return v;
      },
    };
    for (let i = 0; i < values.length; i++) values[i] = valueIn(ctx, leg, ctx.path[i]!, links);
  }
  memo.set(key, values);
  shared?.memo.set(shared.key, values);
  return values;
}

/** Dollar greeks of one contract of a leg (leg.ts); VIX legs in SPX-equivalent terms through the stress links. */
export function legGreeks(ctx: Ctx, leg: HedgeLeg): PositionGreeks {
  if (leg.underlying === 'VIX') {
    if (leg.future === null) return zeroGreeks();
    // 1 SPX point moves spot VIX by vix0·beta/spot, the future by its term's share of that; 1 vol point ≈ 1 VIX point.
    const share = vixFutureShare(ctx.t, leg.years * 365);
    const vixLeg = { kind: leg.kind, strike: leg.strike, future: leg.future, years: leg.years, vol: leg.vol };
    return vixLegGreeks(vixLeg, 1, MULT, {
      futurePerSpxPoint: (share * ctx.vix0 * ctx.t.vixBetaPerSpxPct) / ctx.spot,
      futurePerVolPoint: share,
    });
  }
  const m = ctx.models.get(leg.expiry);
  if (!m) return zeroGreeks();
  return legGreeksDollars({ kind: leg.kind, strike: leg.strike, model: m }, 1, MULT);
}
