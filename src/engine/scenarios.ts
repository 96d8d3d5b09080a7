/**
 * Repricing a condor under scenarios: P/L curves (at expiry, or at a date before it under a vol shift) and the
 * scenario grid of underlying moves × vol shifts.
 *
 * Conventions (documented for the trader):
 * - Each leg is valued by src/engine/leg.ts (sticky strike, vols floored at 1 point, the forward moving with the
 *   underlying at its carry, vol shocks scaled by term): see its header for the conventions.
 * - P/L is in dollars for the whole position: (credit − cost to buy the condor back) × multiplier × quantity.
 */
import { blackValue, shiftedVol, volShiftScale, type LegCell } from './leg';
import { volAt } from './smile';
import type { ExpiryModel, PnlCurve, ScenarioGrid } from './types';

export interface PositionLegs {
  strikes: readonly [number, number, number, number];
  quantity: number;
  multiplier: number;
  /** Entry credit per condor, price units. */
  credit: number;
}

/** Default nominal vol shifts (points): 1-point steps on the downside (vol crush), 2-point steps up to +30; 21 rows with 0. */
export const DEFAULT_VOL_SHIFTS: readonly number[] = [
  -5, -4, -3, -2, -1, 0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30,
];
const DAY = 1 / 365;

function finiteOr(x: number | undefined, d: number): number {
  return x !== undefined && Number.isFinite(x) ? x : d;
}

/**
 * Value per condor (what it costs to buy back: short put + short call − long wings), price units: four legs
 * through the one leg kernel (leg.ts), with the forward and discount computed once for all four.
 */
function condorValue(
  model: ExpiryModel,
  K: readonly number[],
  vols: readonly number[],
  S: number,
  years: number,
): number {
  const F = S * Math.exp(model.carry * years);
  const D = Math.exp(-model.rate * years);
  const sq = Math.sqrt(Math.max(years, 0));
  return (
    -blackValue('put', F, K[0]!, vols[0]! * sq, D) +
    blackValue('put', F, K[1]!, vols[1]! * sq, D) +
    blackValue('call', F, K[2]!, vols[2]! * sq, D) -
    blackValue('call', F, K[3]!, vols[3]! * sq, D)
  );
}

function shiftedVols(model: ExpiryModel, K: readonly number[], shift: number, out: number[]): void {
  for (let i = 0; i < 4; i++) out[i] = shiftedVol(volAt(model.smile, K[i]!), shift);
}

/** P/L in dollars of the position at a given underlying price, `daysForward` days from now, vol shift in points. */
export function positionPnl({
  model,
  legs,
  price,
  daysForward,
  volShiftPoints,
  scaleShift = true,
}: {
  model: ExpiryModel;
  legs: PositionLegs;
  price: number;
  daysForward: number;
  volShiftPoints: number;
  scaleShift?: boolean;
}): number {
  return positionPnlOn(model, legs, scaleShift)(price, daysForward, volShiftPoints);
}

/**
 * positionPnl of one position in many scenarios (the plan's stress grid): the legs' smile vols at their strikes are
 * read once, not in every scenario. The same figures as positionPnl, bit for bit (it is this function).
 */
export function positionPnlOn(
  model: ExpiryModel,
  legs: PositionLegs,
  scaleShift = true,
): (price: number, daysForward: number, volShiftPoints: number) => number {
  const value = condorValueOn(model, legs.strikes, scaleShift);
  return (price, daysForward, volShiftPoints) => pnlOfValue(legs, value(price, daysForward, volShiftPoints));
}

/**
 * The condor's value per condor (condorValue) in a scenario, its legs' smile vols read once: what positionPnlOn's
 * P/L is made from (pnlOfValue), for callers that keep values across positions of other sizes.
 */
export function condorValueOn(
  model: ExpiryModel,
  K: PositionLegs['strikes'],
  scaleShift = true,
): (price: number, daysForward: number, volShiftPoints: number) => number {
  const base = [volAt(model.smile, K[0]), volAt(model.smile, K[1]), volAt(model.smile, K[2]), volAt(model.smile, K[3])];
  const scale = scaleShift ? volShiftScale(model.years * 365) : 1;
  const vols = [0, 0, 0, 0];
  return (price, daysForward, volShiftPoints) => {
    const shift = (volShiftPoints / 100) * scale;
    for (let i = 0; i < 4; i++) vols[i] = shiftedVol(base[i]!, shift);
    const T = Math.max(model.years - daysForward * DAY, 0);
    return condorValue(model, K, vols, price, T);
  };
}

/**
 * condorValueOn's value in every cell of a stress grid: out[i] = condorValueOn(model, K)(underlying × (1 +
 * cells[i].move), cells[i].horizonDays, cells[i].vixShiftPoints), bit for bit (the same operations in the same
 * order), the forward's growth, the discount and √T worked out again only when the horizon changes (a grid lists its
 * cells horizon by horizon).
 */
export function condorValuesOnCells(
  model: ExpiryModel,
  K: PositionLegs['strikes'],
  underlying: number,
  cells: ArrayLike<LegCell>,
  out: Float64Array,
): void {
  const b0 = volAt(model.smile, K[0]);
  const b1 = volAt(model.smile, K[1]);
  const b2 = volAt(model.smile, K[2]);
  const b3 = volAt(model.smile, K[3]);
  const scale = volShiftScale(model.years * 365);
  let horizon = NaN;
  let growth = 0;
  let D = 0;
  let sq = 0;
  for (let i = 0; i < cells.length; i++) {
    const c = cells[i]!;
    if (c.horizonDays !== horizon) {
      horizon = c.horizonDays;
      const T = Math.max(model.years - horizon * DAY, 0);
      growth = Math.exp(model.carry * T);
      D = Math.exp(-model.rate * T);
      sq = Math.sqrt(Math.max(T, 0));
    }
    const shift = (c.vixShiftPoints / 100) * scale;
    const F = underlying * (1 + c.move) * growth;
    out[i] =
      -blackValue('put', F, K[0], shiftedVol(b0, shift) * sq, D) +
      blackValue('put', F, K[1], shiftedVol(b1, shift) * sq, D) +
      blackValue('call', F, K[2], shiftedVol(b2, shift) * sq, D) -
      blackValue('call', F, K[3], shiftedVol(b3, shift) * sq, D);
  }
}

/** The position's P/L in dollars when a condor is worth `value` (positionPnl's last step; 0 where not finite). */
export function pnlOfValue(legs: PositionLegs, value: number): number {
  const pnl = (legs.credit - value) * legs.multiplier * legs.quantity;
  return Number.isFinite(pnl) ? pnl : 0;
}

/** Price grid for P/L curves: covers the wings with a margin and ±3 expected moves around the underlying. */
export function defaultPriceGrid({
  model,
  strikes,
  points = 121,
}: {
  model: ExpiryModel;
  strikes: readonly number[];
  points?: number;
}): number[] {
  const S = model.underlying;
  const span = strikes[3]! - strikes[0]!;
  const em = S * model.smile.atmVol * Math.sqrt(model.years);
  const lo = Math.max(Math.min(strikes[0]! - 0.25 * span, S - 3 * em), S * 0.01);
  const hi = Math.max(strikes[3]! + 0.25 * span, S + 3 * em);
  const out = new Array<number>(points);
  for (let i = 0; i < points; i++) out[i] = lo + ((hi - lo) * i) / (points - 1);
  return out;
}

export function pnlCurve({
  model,
  legs,
  prices,
  daysForward,
  volShiftPoints = 0,
}: {
  model: ExpiryModel;
  legs: PositionLegs;
  prices: readonly number[];
  /** Days from now; ≥ days to expiry gives the expiry payoff. */
  daysForward: number;
  volShiftPoints?: number;
}): PnlCurve {
  const daysToExpiry = model.years * 365;
  const atExpiry = daysForward >= daysToExpiry - 1e-9;
  const shift = (volShiftPoints / 100) * volShiftScale(daysToExpiry);
  const vols = [0, 0, 0, 0];
  shiftedVols(model, legs.strikes, shift, vols);
  const T = atExpiry ? 0 : Math.max(model.years - daysForward * DAY, 0);
  const scale = legs.multiplier * legs.quantity;
  const pnl = new Array<number>(prices.length);
  for (let i = 0; i < prices.length; i++) {
    const v = condorValue(model, legs.strikes, vols, prices[i]!, T);
    const x = (legs.credit - v) * scale;
    pnl[i] = Number.isFinite(x) ? x : 0;
  }
  return {
    daysForward: atExpiry ? daysToExpiry : daysForward,
    volShiftPoints,
    atExpiry,
    prices: prices.slice(),
    pnlDollars: pnl,
  };
}

export interface GridOptions {
  /** Lowest and highest move as fractions, and the number of columns (default −0.15, +0.10, 41). */
  moveMin?: number;
  moveMax?: number;
  moveCount?: number;
  /** Explicit nominal vol shifts in points; default DEFAULT_VOL_SHIFTS (21 rows, −5 … +30, with 0). */
  volShiftsPoints?: number[];
  /** Or a uniform range (used when volShiftsPoints is absent and volCount is given). */
  volMinPoints?: number;
  volMaxPoints?: number;
  volCount?: number;
  /** Horizon in days from now (default 0: an instantaneous shock). */
  daysForward?: number;
}

export function scenarioGrid({
  model,
  legs,
  options = {},
}: {
  model: ExpiryModel;
  legs: PositionLegs;
  options?: GridOptions;
}): ScenarioGrid {
  const moveMin = finiteOr(options.moveMin, -0.15),
    moveMax = finiteOr(options.moveMax, 0.1);
  const nm = Math.min(1001, Math.max(1, Math.floor(finiteOr(options.moveCount, 41))));
  const vMin = finiteOr(options.volMinPoints, -5),
    vMax = finiteOr(options.volMaxPoints, 30);
  const explicit = options.volShiftsPoints ?? (options.volCount === undefined ? DEFAULT_VOL_SHIFTS : null);
  const nv = explicit ? explicit.length : Math.min(1001, Math.max(1, Math.floor(finiteOr(options.volCount, 21))));
  const daysForward = Math.max(0, finiteOr(options.daysForward, 0));
  const daysToExpiry = model.years * 365;
  const scale = volShiftScale(daysToExpiry);
  const moves = new Array<number>(nm);
  for (let j = 0; j < nm; j++) moves[j] = nm === 1 ? moveMin : moveMin + ((moveMax - moveMin) * j) / (nm - 1);
  const shifts = new Array<number>(nv);
  for (let i = 0; i < nv; i++)
    shifts[i] = explicit ? finiteOr(explicit[i]!, 0) : nv === 1 ? vMin : vMin + ((vMax - vMin) * i) / (nv - 1);
  const K = legs.strikes;
  const base = [0, 0, 0, 0];
  for (let l = 0; l < 4; l++) base[l] = volAt(model.smile, K[l]!);
  const T = Math.max(model.years - daysForward * DAY, 0);
  const sq = Math.sqrt(T);
  const D = Math.exp(-model.rate * T);
  const growth = Math.exp(model.carry * T);
  const mult = legs.multiplier * legs.quantity;
  const rows: number[][] = new Array(nv);
  const sd = [0, 0, 0, 0];
  for (let i = 0; i < nv; i++) {
    const shift = (shifts[i]! / 100) * scale;
    for (let l = 0; l < 4; l++) sd[l] = shiftedVol(base[l]!, shift) * sq;
    const row = new Array<number>(nm);
    for (let j = 0; j < nm; j++) {
      const F = model.underlying * (1 + moves[j]!) * growth;
      const v =
        -blackValue('put', F, K[0]!, sd[0]!, D) +
        blackValue('put', F, K[1]!, sd[1]!, D) +
        blackValue('call', F, K[2]!, sd[2]!, D) -
        blackValue('call', F, K[3]!, sd[3]!, D);
      const x = (legs.credit - v) * mult;
      row[j] = Number.isFinite(x) ? x : 0;
    }
    rows[i] = row;
  }
  return { moves, volShiftsPoints: shifts, volShiftScale: scale, daysForward, pnlDollars: rows };
}
