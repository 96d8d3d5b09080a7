/**
 * The one place that values an option leg: its price per share, its greeks in dollars, and its P/L under a
 * scenario (underlying price, days forward, nominal vol shift). The condor's scenarios, the ALVH plan, the
 * trader's added hedges and the backtest all value legs through this module, so a leg is worth the same wherever
 * it is shown.
 *
 * Conventions (documented for the trader):
 * - Index legs (SPX, SPY, …) are priced with Black on the forward of their own expiry's model: F′ = S′·e^{carry·T′},
 *   D′ = e^{−r·T′} (Black 1976, "The pricing of commodity contracts", J. Financial Economics 3).
 * - Sticky strike: a leg keeps its smile vol at its strike, plus the shift, floored at 1 point.
 * - Vol shocks scale with the leg's own term (short-dated vol moves more): the applied shift is the nominal one
 *   times clamp(√(30 / days to expiry), 0.25, 3) — ×1 at 30 days, ×2 at 7.5 days, ×3 at 3.3 days and less,
 *   ×0.25 at 480 days and more. The scale is taken at the leg's term now, so a scenario's vol shock is the same
 *   shock at every horizon.
 * - At or past its expiry a leg is worth its intrinsic value.
 * - VIX legs are priced with Black-76 on the VIX future of their own expiry (never spot VIX), undiscounted.
 * - Greeks in dollars: delta and gamma per 1 point of the underlying, vega per vol point, theta per calendar day.
 */
import { normCdf } from './pricing/normal';
import { blackPrice, bsmGreeks, black76Greeks, type Greeks } from './pricing/black';
import { volAt } from './smile';
import type { ExpiryModel, PositionGreeks } from './types';

export type LegKind = 'call' | 'put';

/** Vols are floored at 1 point in every scenario. */
export const VOL_FLOOR = 0.01;
const DAY = 1 / 365;

/** How much of a nominal vol shift (defined at 30 days) a leg with `daysToExpiry` left takes. */
export function volShiftScale(daysToExpiry: number): number {
  if (!(daysToExpiry > 0)) return 3;
  const s = Math.sqrt(30 / daysToExpiry);
  return s < 0.25 ? 0.25 : s > 3 ? 3 : s;
}

/** The vol a leg is repriced with: its smile vol plus the term-scaled shift (fraction), floored. */
export function shiftedVol(baseVol: number, shift: number): number {
  const v = baseVol + shift;
  return v > VOL_FLOOR ? v : VOL_FLOOR;
}

/**
 * Black's formula with the total deviation sd = σ√T given: the kernel of every scenario price. At sd = 0 (expiry)
 * it is the discounted intrinsic value.
 */
export function blackValue(kind: LegKind, forward: number, strike: number, sd: number, discount: number): number {
  const call = kind === 'call';
  if (!(sd > 0)) return discount * Math.max(call ? forward - strike : strike - forward, 0);
  const d1 = Math.log(forward / strike) / sd + 0.5 * sd;
  const d2 = d1 - sd;
  return call
    ? discount * (forward * normCdf(d1) - strike * normCdf(d2))
    : discount * (strike * normCdf(-d2) - forward * normCdf(-d1));
}

/** An index option leg on its expiry's model. */
export interface ModelLeg {
  kind: LegKind;
  strike: number;
  model: ExpiryModel;
  /** Smile vol at the strike (default: read from the model's smile). */
  vol?: number;
}

/** A scenario: the underlying at `price`, `daysForward` days from now, a nominal vol shift in points. */
export interface LegScenario {
  price: number;
  daysForward: number;
  volShiftPoints: number;
}

/** The smile vol of a leg at its strike (what it is repriced from). */
export function baseVol(leg: ModelLeg): number {
  return leg.vol ?? volAt(leg.model.smile, leg.strike);
}

/** Value per share of an index leg in a scenario (price units). Never NaN: intrinsic where Black cannot say. */
export function legValue(leg: ModelLeg, at: LegScenario): number {
  const { model, kind, strike } = leg;
  const price = at.price;
  const T = Math.max(model.years - at.daysForward * DAY, 0);
  if (!(price > 0) || !(T > 0)) return intrinsicOf(kind, price, strike);
  const vol = shiftedVol(baseVol(leg), (at.volShiftPoints / 100) * volShiftScale(model.years * 365));
  return blackOrIntrinsic(
    kind,
    price,
    Math.exp(model.carry * T),
    strike,
    vol * Math.sqrt(T),
    Math.exp(-model.rate * T),
  );
}

/** A leg's value at expiry, per share: what it is worth where Black's formula cannot say. */
function intrinsicOf(kind: LegKind, price: number, strike: number): number {
  return kind === 'call' ? Math.max(price - strike, 0) : Math.max(strike - price, 0);
}

/**
 * The leg's value at a price before expiry (price > 0, T > 0): Black's on the forward price × growth, its intrinsic
 * value where that is not finite. The one step legValue, legValuesAt and legValuesOnCells share.
 */
function blackOrIntrinsic(
  kind: LegKind,
  price: number,
  growth: number,
  strike: number,
  sd: number,
  discount: number,
): number {
  const v = blackValue(kind, price * growth, strike, sd, discount);
  return Number.isFinite(v) ? v : intrinsicOf(kind, price, strike);
}

/**
 * legValue at many prices on one date and vol shift: out[i] = legValue(leg, { price: prices[i], daysForward,
 * volShiftPoints }), bit for bit (the same operations in the same order), with what depends on the date alone worked
 * out once instead of at every price. For price grids (the management marks' table: some 20,000 values per state).
 */
export function legValuesAt(
  leg: ModelLeg,
  prices: ArrayLike<number>,
  daysForward: number,
  volShiftPoints: number,
  out: Float64Array,
): void {
  const { model, kind, strike } = leg;
  const T = Math.max(model.years - daysForward * DAY, 0);
  const live = T > 0;
  const growth = live ? Math.exp(model.carry * T) : 0;
  const sd = live
    ? shiftedVol(baseVol(leg), (volShiftPoints / 100) * volShiftScale(model.years * 365)) * Math.sqrt(T)
    : 0;
  const discount = live ? Math.exp(-model.rate * T) : 0;
  for (let i = 0; i < prices.length; i++) {
    const price = prices[i]!;
    out[i] =
      !(price > 0) || !live
        ? intrinsicOf(kind, price, strike)
        : blackOrIntrinsic(kind, price, growth, strike, sd, discount);
  }
}

/** A cell of a stress grid as legValuesOnCells reads it: a move of the underlying (fraction), days forward, a vol shift. */
export interface LegCell {
  move: number;
  horizonDays: number;
  vixShiftPoints: number;
}

/**
 * legValue in every cell of a stress grid: out[i] = legValue(leg, { price: underlying × (1 + cells[i].move),
 * daysForward: cells[i].horizonDays, volShiftPoints: cells[i].vixShiftPoints }), bit for bit (the same operations in
 * the same order). What depends on the horizon alone (the term left, the forward's growth, √T, the discount) is
 * worked out again only when the horizon changes (a grid lists its cells horizon by horizon), the term's scale of a
 * vol shift once, and no scenario object is made per cell.
 */
export function legValuesOnCells(
  leg: ModelLeg,
  underlying: number,
  cells: ArrayLike<LegCell>,
  out: Float64Array,
): void {
  const { model, kind, strike } = leg;
  const vol0 = baseVol(leg);
  const scale = volShiftScale(model.years * 365);
  let horizon = NaN;
  let T = 0;
  let growth = 0;
  let root = 0;
  let discount = 0;
  for (let i = 0; i < cells.length; i++) {
    const c = cells[i]!;
    const price = underlying * (1 + c.move);
    if (c.horizonDays !== horizon) {
      horizon = c.horizonDays;
      T = Math.max(model.years - horizon * DAY, 0);
      if (T > 0) {
        growth = Math.exp(model.carry * T);
        root = Math.sqrt(T);
        discount = Math.exp(-model.rate * T);
      }
    }
    out[i] =
      !(price > 0) || !(T > 0)
        ? intrinsicOf(kind, price, strike)
        : blackOrIntrinsic(
            kind,
            price,
            growth,
            strike,
            shiftedVol(vol0, (c.vixShiftPoints / 100) * scale) * root,
            discount,
          );
  }
}

export function zeroGreeks(): PositionGreeks {
  return { deltaDollarsPerPoint: 0, gammaDollarsPerPoint: 0, vegaDollarsPerVolPoint: 0, thetaDollarsPerDay: 0 };
}

/** a + k·b, greek by greek (k: contracts × multiplier, or a ticket's quantity). */
export function addGreeks(a: PositionGreeks, b: PositionGreeks, k = 1): PositionGreeks {
  return {
    deltaDollarsPerPoint: a.deltaDollarsPerPoint + k * b.deltaDollarsPerPoint,
    gammaDollarsPerPoint: a.gammaDollarsPerPoint + k * b.gammaDollarsPerPoint,
    vegaDollarsPerVolPoint: a.vegaDollarsPerVolPoint + k * b.vegaDollarsPerVolPoint,
    thetaDollarsPerDay: a.thetaDollarsPerDay + k * b.thetaDollarsPerDay,
  };
}

const fin = (x: number) => (Number.isFinite(x) ? x : 0);

/**
 * Price and greeks per share of an index leg now (Black–Scholes–Merton on the underlying with the model's rate and
 * carry: delta per point, vega per vol point, theta per day), or null where the inputs are out of double range.
 */
export function legGreeksPerShare(leg: ModelLeg): Greeks | null {
  const { model } = leg;
  if (!(model.years > 0)) return null;
  try {
    return bsmGreeks({
      kind: leg.kind,
      spot: model.underlying,
      strike: leg.strike,
      years: model.years,
      vol: Math.max(baseVol(leg), VOL_FLOOR),
      rate: model.rate,
      dividendYield: model.rate - model.carry,
    });
  } catch {
    return null;
  }
}

/** Dollar greeks of `contracts` (signed) of an index leg with `multiplier` dollars per point. */
export function legGreeks(leg: ModelLeg, contracts: number, multiplier: number): PositionGreeks {
  const g = legGreeksPerShare(leg);
  if (!g) return zeroGreeks();
  const m = contracts * multiplier;
  return {
    deltaDollarsPerPoint: fin(g.delta * m),
    gammaDollarsPerPoint: fin(g.gamma * m),
    vegaDollarsPerVolPoint: fin(g.vegaPerVolPoint * m),
    thetaDollarsPerDay: fin(g.thetaPerDay * m),
  };
}

/** A VIX option leg: Black-76 on the future of its own expiry. */
export interface VixLeg {
  kind: LegKind;
  strike: number;
  /** The VIX future of the leg's expiry now. */
  future: number;
  years: number;
  /** Its Black-76 implied vol. */
  vol: number;
}

/** Value per share of a VIX leg with its future at `future` (price units); `fallback` where Black cannot say. */
export function vixLegValue(leg: VixLeg, future: number, fallback: number): number {
  try {
    const v = blackPrice({
      kind: leg.kind,
      forward: future,
      strike: leg.strike,
      years: leg.years,
      vol: leg.vol,
      discount: 1,
    });
    return Number.isFinite(v) ? v : fallback;
  } catch {
    return fallback;
  }
}

/** Price and greeks per share of a VIX leg (Black-76 on its future, discounted at `rate`), or null on bad inputs. */
export function vixLegGreeksPerShare(leg: VixLeg, rate = 0): Greeks | null {
  const { kind, future, strike, years, vol } = leg;
  const finite = Number.isFinite;
  if (!(finite(future) && finite(strike) && finite(years) && finite(vol) && finite(rate))) return null;
  if (!(future > 0 && strike > 0 && years > 0 && vol > 0)) return null;
  try {
    const g = black76Greeks({ kind, forward: future, strike, years, vol, rate });
    // Every figure finite (or absent); read in place, not through Object.values (called for every VIX quote).
    for (const k in g) {
      const v = g[k as keyof Greeks];
      if (v !== undefined && !finite(v)) return null;
    }
    return g;
  } catch {
    return null;
  }
}

/**
 * Dollar greeks of `contracts` of a VIX leg, in SPX-equivalent terms: `futurePerSpxPoint` is how far the VIX future
 * moves for one point of the index (its delta), `futurePerVolPoint` how far for one point of spot VIX (its vega).
 */
export function vixLegGreeks(
  leg: VixLeg,
  contracts: number,
  multiplier: number,
  link: { futurePerSpxPoint: number; futurePerVolPoint: number },
): PositionGreeks {
  const g = vixLegGreeksPerShare(leg);
  if (!g) return zeroGreeks();
  const m = contracts * multiplier;
  return {
    deltaDollarsPerPoint: fin(g.delta * link.futurePerSpxPoint * m),
    gammaDollarsPerPoint: 0,
    vegaDollarsPerVolPoint: fin(g.delta * link.futurePerVolPoint * m),
    thetaDollarsPerDay: fin(g.thetaPerDay * m),
  };
}
