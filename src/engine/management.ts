/**
 * The marks condor traders manage by: take profit at 50% of the maximum, look again at 21 days to expiry, and P50 —
 * the probability of reaching 50% of the maximum profit at some point before expiry — beside POP, with the
 * position's expected value.
 *
 * Method (P50 and the expected values): a small deterministic Monte Carlo. The underlying follows a risk-neutral
 * lognormal path (drift the model's carry, volatility the expiry's ATM vol), monitored once per step (at most
 * MAX_STEPS steps, about daily), over PATHS antithetic paths from a fixed seed, so the same inputs always give the
 * same figure. At each step the condor is valued by leg.ts (the one leg valuation: Black on the expiry's model,
 * sticky-strike smile vols, the days gone taken off), interpolated from a price grid computed once per step. P50 is
 * the share of paths on which the P/L reached 50% of the maximum profit at a monitoring date.
 * Discrete monitoring misses touches between dates, so P50 is slightly low; the bias shrinks like √(Δt) (Broadie,
 * Glasserman & Kou, "A continuity correction for discrete barrier options", Mathematical Finance 7, 1997). The
 * sampling error is about √(p(1−p)/PATHS): ±1.6 points at p = 0.5 (one standard error) with 1,000 paths.
 * Uniforms: mulberry32 (a public-domain 32-bit generator); normals: Box–Muller (1958).
 */
import { legValue, legValuesAt, type ModelLeg } from './leg';
import type { ExpiryModel } from './types';

export const PATHS = 1000;
export const MAX_STEPS = 40;
export const SEED = 20_260_317;
const GRID = 121;
/** The grid spans ± this many standard deviations of the terminal price. */
const GRID_SDS = 5;

export interface ManagedLeg {
  leg: ModelLeg;
  /** Contracts, signed. */
  quantity: number;
}

export interface ManagementInput {
  legs: readonly ManagedLeg[];
  /** Credit received for the whole position, dollars (positive). Max profit = credit for a condor. */
  entryCreditDollars: number;
  maxProfitDollars: number;
  multiplier: number;
  spot: number;
  /** The expiry's model (rate and carry for the drift, years for the horizon). */
  model: ExpiryModel;
  /** The path volatility (the ATM vol), fraction. */
  pathVol: number;
  daysToExpiry: number;
  /** The expiry date, YYYY-MM-DD (for the 21-DTE date). */
  expiry: string;
}

export interface ManagementMarks {
  /** The P/L that is 50% of the maximum profit, dollars. */
  takeProfitDollars: number;
  /** P(P/L ≥ 50% of max profit at some monitoring date before expiry). */
  p50: number;
  /** Mean P/L held to expiry on the simulated paths, dollars (undiscounted). */
  expectedValueDollars: number;
  /** Mean P/L when closed at 50% of max profit on the first date it is reached, else held to expiry, dollars. */
  expectedValueManagedDollars: number;
  /** The date 21 days before expiry, YYYY-MM-DD, and the days until it (negative: passed). */
  dte21Date: string;
  daysTo21Dte: number;
  method: string;
}

/** mulberry32: a 32-bit state, one multiply-xorshift per draw; uniform in (0, 1). */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) + 0.5) / 4294967296;
  };
}

/**
 * The paths' normals for a number of steps: path p's k-th at p·steps + k. They depend on nothing but the seed and the
 * number of steps, so they are drawn once per number of steps and kept (at most MAX_STEPS arrays, 3.3 MB for all
 * forty): the overlay recomputes the marks on every tick of the chain, and drawing 20,000 normals each time was most
 * of their cost. Box–Muller: one normal per pair of uniforms (the second is not kept).
 */
const normalsBySteps = new Map<number, Float64Array>();
function normalsFor(steps: number): Float64Array {
  let z = normalsBySteps.get(steps);
  if (z) return z;
  const rand = mulberry32(SEED);
  z = new Float64Array((PATHS / 2) * steps);
  for (let i = 0; i < z.length; i++) z[i] = Math.sqrt(-2 * Math.log(rand())) * Math.cos(2 * Math.PI * rand());
  normalsBySteps.set(steps, z);
  return z;
}

function addDays(date: string, days: number): string {
  const t = Date.parse(`${date}T00:00:00Z`) + days * 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}

/**
 * The simulation behind the marks, without the credit: per path the highest value of the legs at a monitoring date
 * and their value at expiry (dollars, signed: what closing would pay), and their value now. The P/L is the credit
 * plus the legs' value, so the marks of any credit and maximum profit follow from it exactly (marksOf): a suggested
 * condor is valued at the live mids, and its credit moves on every tick while nothing else the paths depend on does.
 */
interface Simulation {
  steps: number;
  startValue: number;
  maxValue: Float64Array;
  lastValue: Float64Array;
}

function simulate(input: ManagementInput): Simulation {
  const { legs, multiplier, spot, model, pathVol, daysToExpiry } = input;
  const steps = Math.max(1, Math.min(MAX_STEPS, Math.ceil(daysToExpiry)));
  const dtDays = daysToExpiry / steps;
  const dt = dtDays / 365;
  const years = daysToExpiry / 365;
  const sd = pathVol * Math.sqrt(Math.max(years, 1e-9));
  const lo = Math.log(spot) - GRID_SDS * sd - 1e-9;
  const hi = Math.log(spot) + GRID_SDS * sd + 1e-9;
  const h = (hi - lo) / (GRID - 1);
  // The legs' value on the log-price grid at each monitoring date (step 1 … steps; the last is expiry), row k − 1 of
  // one flat table, from values worked out a date at a time by the one leg valuation.
  const prices = new Float64Array(GRID);
  for (let i = 0; i < GRID; i++) prices[i] = Math.exp(lo + i * h);
  const table = new Float64Array(steps * GRID);
  const values = legs.map(() => new Float64Array(GRID));
  for (let k = 1; k <= steps; k++) {
    for (let j = 0; j < legs.length; j++) legValuesAt(legs[j]!.leg, prices, k * dtDays, 0, values[j]!);
    const at = (k - 1) * GRID;
    for (let i = 0; i < GRID; i++) {
      let v = 0;
      for (let j = 0; j < legs.length; j++) v += legs[j]!.quantity * values[j]![i]!;
      table[at + i] = v * multiplier;
    }
  }
  let startValue = 0;
  for (const l of legs) startValue += l.quantity * legValue(l.leg, { price: spot, daysForward: 0, volShiftPoints: 0 });
  startValue *= multiplier;
  const drift = (model.carry - 0.5 * pathVol * pathVol) * dt;
  const vol = pathVol * Math.sqrt(dt);
  const maxValue = new Float64Array(PATHS);
  const lastValue = new Float64Array(PATHS);
  const half = PATHS / 2;
  const normals = normalsFor(steps);
  for (let p = 0; p < half; p++) {
    const at = p * steps;
    for (let s = 0; s < 2; s++) {
      const sign = s === 0 ? 1 : -1;
      let x = Math.log(spot);
      let last = 0;
      let max = -Infinity;
      for (let k = 0, row = 0; k < steps; k++, row += GRID) {
        x += drift + vol * sign * normals[at + k]!;
        // Linear interpolation in log price on row k, flat beyond the grid.
        if (x <= lo) last = table[row]!;
        else if (x >= hi) last = table[row + GRID - 1]!;
        else {
          const f = (x - lo) / h;
          const i = Math.min(GRID - 2, Math.floor(f));
          const w = f - i;
          last = table[row + i]! * (1 - w) + table[row + i + 1]! * w;
        }
        if (last > max) max = last;
      }
      maxValue[2 * p + s] = max;
      lastValue[2 * p + s] = last;
    }
  }
  return { steps, startValue, maxValue, lastValue };
}

/** The marks of a simulation for the input's credit and maximum profit. */
function marksOf(sim: Simulation, input: ManagementInput): ManagementMarks {
  const credit = input.entryCreditDollars;
  const takeProfit = 0.5 * input.maxProfitDollars;
  const startPnl = credit + sim.startValue;
  const already = startPnl >= takeProfit;
  let touched = 0;
  let held = 0;
  let managed = 0;
  for (let p = 0; p < PATHS; p++) {
    const last = credit + sim.lastValue[p]!;
    const hit = already || credit + sim.maxValue[p]! >= takeProfit;
    if (hit) touched++;
    held += last;
    // Managed: a resting order at the target fills there (at once when the position is already past it).
    managed += already ? startPnl : hit ? takeProfit : last;
  }
  return {
    takeProfitDollars: takeProfit,
    p50: touched / PATHS,
    expectedValueDollars: held / PATHS,
    expectedValueManagedDollars: managed / PATHS,
    dte21Date: addDays(input.expiry, -21),
    daysTo21Dte: input.daysToExpiry - 21,
    method: `Monte Carlo, ${PATHS} antithetic lognormal paths at the ATM vol, seed ${SEED}, ${sim.steps} monitoring dates`,
  };
}

export function managementMarks(input: ManagementInput): ManagementMarks {
  return marksOf(simulate(input), input);
}

/**
 * How far the inputs may move before the Monte Carlo figures (P50, the expected values) are worked out again. A live
 * chain ticks several times a second and each tick moves the spot by a few hundredths of a percent; the figures move
 * far less than their own sampling error (±1.6 points on P50) over such moves, and the simulation was a third of the
 * worker's time per tick. The credit, the take-profit mark and the 21-DTE date are always the new ones.
 */
export const MARKS_KEPT_WITHIN = {
  /** Relative move of the spot. */
  spot: 5e-4,
  /** Absolute move of the path vol and of each leg's vol (0.2 vol points). */
  vol: 0.002,
  /** Time passed, days (15 minutes). */
  days: 1 / 96,
  /**
   * Move of the model's rate and carry, as growth to expiry (rate × years): 0.02%. The carry is read from the fitted
   * forward (ln(F/S) / years), and a forward that moves a tenth of a point on a month's expiry moves it by 2e-4 a year.
   */
  growth: 2e-4,
} as const;

/**
 * The simulation of the last inputs, kept while new inputs are the same condor within MARKS_KEPT_WITHIN of them (one
 * per session: the worker's live overlay). `marks` answers as managementMarks would, from the kept simulation when it
 * may; the credit and the maximum profit are always the new ones (marksOf is exact for them).
 */
export interface ManagementReuse {
  marks(input: ManagementInput): ManagementMarks;
}

function within(a: ManagementInput, b: ManagementInput): boolean {
  const k = MARKS_KEPT_WITHIN;
  if (
    a.expiry !== b.expiry ||
    a.multiplier !== b.multiplier ||
    a.legs.length !== b.legs.length ||
    Math.ceil(a.daysToExpiry) !== Math.ceil(b.daysToExpiry) ||
    Math.abs(a.daysToExpiry - b.daysToExpiry) > k.days ||
    Math.abs(a.spot / b.spot - 1) > k.spot ||
    Math.abs(a.pathVol - b.pathVol) > k.vol ||
    Math.abs(a.model.rate - b.model.rate) * a.model.years > k.growth ||
    Math.abs(a.model.carry - b.model.carry) * a.model.years > k.growth
  )
    return false;
  return a.legs.every((l, i) => {
    const m = b.legs[i]!;
    if (l.quantity !== m.quantity || l.leg.kind !== m.leg.kind || l.leg.strike !== m.leg.strike) return false;
    const va = l.leg.vol ?? null;
    const vb = m.leg.vol ?? null;
    return va === null || vb === null ? va === vb : Math.abs(va - vb) <= k.vol;
  });
}

export function createManagementReuse(): ManagementReuse {
  let last: { input: ManagementInput; sim: Simulation } | null = null;
  return {
    marks(input) {
      if (!last || !within(input, last.input)) last = { input, sim: simulate(input) };
      return marksOf(last.sim, input);
    },
  };
}
