/**
 * Repricing on the stress grid: the plan's context (the grid, the models, the fill), one leg's value in a grid cell
 * (leg.ts values it), a structure's P/L per unit on the grid from the assumed fill, and its dollar greeks.
 */
import {
  baseVol,
  blackValue,
  legGreeks as legGreeksDollars,
  legValue as valueLeg,
  vixLegGreeks,
  vixLegValue,
  zeroGreeks,
} from '../../leg';
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
  path: StressScenario[];
  models: Map<string, ExpiryModel>;
  /** The day the plan is made (YYYY-MM-DD), for VIX legs' days left. */
  today: string;
  fraction: number;
  commission: number;
}

export function finite(x: number, d = 0): number {
  return Number.isFinite(x) ? x : d;
}

export function daysBetween(a: string, b: string): number {
  return (Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000;
}

/**
 * Value of one leg (per share/point) in a grid cell (leg.ts values it). VIX legs: the future of the leg's expiry
 * moves vixFutureShare(days left at the horizon) × the spot VIX change (spot floored at 5, the future at 0.5), its
 * implied vol scales by vixOptionVolScale (vol-of-vol against the VIX level); at or past its expiry the leg is worth
 * its intrinsic value on that future.
 */
export function legValue(ctx: Ctx, leg: HedgeLeg, c: StressScenario): number {
  if (leg.underlying === 'VIX') {
    if (leg.future === null) return leg.mid;
    const vixAfter = Math.max(ctx.vix0 + c.vixShiftPoints, 5);
    const left = leg.years * 365 - c.horizonDays;
    const F = Math.max(leg.future + vixFutureShare(ctx.t, left) * (vixAfter - ctx.vix0), 0.5);
    if (!(left > 0)) return blackValue(leg.kind, F, leg.strike, 0, 1);
    const vol = leg.vol * vixOptionVolScale(ctx.t, ctx.vix0, vixAfter);
    return vixLegValue({ ...leg, future: leg.future, years: left / 365, vol }, F, leg.mid);
  }
  const m = ctx.models.get(leg.expiry);
  if (!m) return leg.mid;
  return valueLeg(
    { kind: leg.kind, strike: leg.strike, model: m },
    { price: m.underlying * (1 + c.move), daysForward: c.horizonDays, volShiftPoints: c.vixShiftPoints },
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

function legCellValues(ctx: Ctx, leg: HedgeLeg): Float64Array {
  let memo = cellValues.get(ctx);
  if (!memo) cellValues.set(ctx, (memo = new Map()));
  const key =
    leg.underlying === 'VIX'
      ? `VIX ${leg.kind} ${leg.strike} ${leg.future} ${leg.years} ${leg.vol} ${leg.mid}`
      : `${leg.expiry} ${leg.kind} ${leg.strike} ${leg.mid}`;
  let values = memo.get(key);
  if (!values) {
    values = new Float64Array(ctx.path.length);
    const m = leg.underlying === 'VIX' ? undefined : ctx.models.get(leg.expiry);
    if (m) {
      // An index leg: legValue's valuation, its smile vol at the strike read once for all the cells.
      const at = { kind: leg.kind, strike: leg.strike, model: m };
      const priced = { ...at, vol: baseVol(at) };
      for (let i = 0; i < values.length; i++) {
        const c = ctx.path[i]!;
        values[i] = valueLeg(priced, {
          price: m.underlying * (1 + c.move),
          daysForward: c.horizonDays,
          volShiftPoints: c.vixShiftPoints,
        });
      }
    } else if (leg.underlying === 'VIX' && leg.future !== null) {
      // A VIX leg: legValue's valuation, the future's share of a spot move read once per horizon and the vol's
      // scale once per VIX level (the grid repeats both), and no copy of the leg per cell.
      const future = leg.future;
      const shareAt = new Map<number, number>();
      const scaleAt = new Map<number, number>();
      for (let i = 0; i < values.length; i++) {
        const c = ctx.path[i]!;
        const vixAfter = Math.max(ctx.vix0 + c.vixShiftPoints, 5);
        const left = leg.years * 365 - c.horizonDays;
        let share = shareAt.get(left);
        if (share === undefined) shareAt.set(left, (share = vixFutureShare(ctx.t, left)));
        const F = Math.max(future + share * (vixAfter - ctx.vix0), 0.5);
        if (!(left > 0)) {
          values[i] = blackValue(leg.kind, F, leg.strike, 0, 1);
          continue;
        }
        let scale = scaleAt.get(vixAfter);
        if (scale === undefined) scaleAt.set(vixAfter, (scale = vixOptionVolScale(ctx.t, ctx.vix0, vixAfter)));
        values[i] = vixLegValue(
          { kind: leg.kind, strike: leg.strike, future, years: left / 365, vol: leg.vol * scale },
          F,
          leg.mid,
        );
      }
    } else for (let i = 0; i < values.length; i++) values[i] = legValue(ctx, leg, ctx.path[i]!);
    memo.set(key, values);
  }
  return values;
}

/** Dollar greeks of one contract of a leg (leg.ts); VIX legs in SPX-equivalent terms through the stress links. */
export function legGreeks(ctx: Ctx, leg: HedgeLeg): PositionGreeks {
  if (leg.underlying === 'VIX') {
    if (leg.future === null) return zeroGreeks();
    // 1 SPX point moves spot VIX by vix0·beta/spot, the future by its term's share of that; 1 vol point ≈ 1 VIX point.
    const share = vixFutureShare(ctx.t, leg.years * 365);
    return vixLegGreeks({ ...leg, future: leg.future }, 1, MULT, {
      futurePerSpxPoint: (share * ctx.vix0 * ctx.t.vixBetaPerSpxPct) / ctx.spot,
      futurePerVolPoint: share,
    });
  }
  const m = ctx.models.get(leg.expiry);
  if (!m) return zeroGreeks();
  return legGreeksDollars({ kind: leg.kind, strike: leg.strike, model: m }, 1, MULT);
}
