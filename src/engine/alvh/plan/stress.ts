/**
 * The ALVH stress grid: underlying moves both ways × horizons × a VIX response continuous in the move, plus the
 * scenario that hurts every hedge (VIX mean-reverting while the index holds). Every number is a rulebook key.
 *
 *  - Moves: −stressMoveDownPct … +stressMoveUpPct in steps of stressMoveStepPct (and 0).
 *  - Horizons (calendar days forward): today, stressShortHorizonDays, the hedge's expiry when it comes before the
 *    condor's, and the condor's expiry. A leg at or past its expiry is worth its intrinsic value at the horizon's
 *    price (leg.ts).
 *  - Spot VIX response to a move of x % (DESIGN.md §3: VIX ≈ −4.9 × SPX %, stronger in crashes): the % change is
 *    vixBetaPerSpxPct × x × g(x), where g rises SMOOTHLY from 1 at no move to vixCrashBetaMultiplier at
 *    −vixCrashThresholdPct (smoothstep u²(3 − 2u), u = |x| / threshold; g = 1 on up-moves), so there is no jump.
 *    A rise is then bent toward vixStressCap (VIX' = V + (cap − V)·tanh((raw − V)/(cap − V)): smooth, never past the
 *    cap; the cap is at least 1.25 × V so a high VIX can still rise); a fall stops at vixStressFloor.
 *  - The index's vols move by the spot-VIX change in points, defined at 30 days and scaled by term (leg.ts
 *    volShiftScale); a VIX future with d days left moves vixFutureToSpotRatio^((d/30)^vixFutureTermExponent) of the
 *    spot change (all of it at its expiry): the term structure, fitted on VX futures 2013–2026 (docs/alvh-method.md
 *    §9: a future's daily change per point of spot VIX is 0.67 at 0–10 days, 0.49 at 25–40, 0.32 at 60–90, 0.17 at
 *    150–250; the formula gives 0.75, 0.5, 0.33, 0.17).
 *  - VIX option vols scale by (VIX after ÷ VIX now)^vixOptionVolElasticity: a log-log fit of VVIX on VIX (daily
 *    closes 2006–2026) gives log VVIX = 3.95 + 0.197 log VIX. Vol-of-vol rises far less than VIX (VVIX/VIX is 7.7 at
 *    VIX 9–12 and 1.8 at VIX 65–90), so a VIX option's vol per VIX point falls as VIX rises.
 *  - Without a VIX chain, the VIX future of a term of d days is vixFutureLongRunLevel + (spot − it) × the term share
 *    above: the futures curve leans toward its long-run level (contango below it, backwardation above).
 *  - VIX reverts: at each horizon after today, spot VIX back at vixRevertLevel with the index unchanged (when VIX is
 *    above that level): what a long-volatility hedge loses if the spike was transitory.
 */
import type { Thresholds } from '../rulebook';
import { selectInPlace } from '../../forward';

export interface StressScenario {
  /** Underlying move, fraction (−0.2 = −20%). */
  move: number;
  /** Calendar days forward. */
  horizonDays: number;
  /** Spot VIX change, points (the nominal 30-day vol shift of the index legs). */
  vixShiftPoints: number;
  /** 'path': the VIX response to the move; 'vix-reverts': VIX back at its long-run level, the index unchanged. */
  kind: 'path' | 'vix-reverts';
}

function smoothstep(u: number): number {
  if (u <= 0) return 0;
  if (u >= 1) return 1;
  return u * u * (3 - 2 * u);
}

/** Spot VIX after a move (fraction) of the index from a VIX of `vix0`: continuous and smooth in the move. */
export function vixAfterMove(t: Thresholds, vix0: number, move: number): number {
  const x = 100 * move;
  const g = x < 0 ? 1 + (t.vixCrashBetaMultiplier - 1) * smoothstep(-x / Math.max(t.vixCrashThresholdPct, 1e-9)) : 1;
  const raw = vix0 * (1 + (t.vixBetaPerSpxPct * x * g) / 100);
  if (raw > vix0) {
    const cap = Math.max(t.vixStressCap, 1.25 * vix0);
    const room = cap - vix0;
    return vix0 + room * Math.tanh((raw - vix0) / room);
  }
  return Math.max(raw, Math.min(t.vixStressFloor, vix0));
}

/** The moves of the grid, ascending, always with 0. */
export function stressMoves(t: Thresholds): number[] {
  const out = new Set<number>([0]);
  const step = t.stressMoveStepPct;
  for (let x = -t.stressMoveDownPct; x <= t.stressMoveUpPct + 1e-9; x += step) out.add(Math.round(x * 1e6) / 1e8);
  out.add(-t.stressMoveDownPct / 100);
  out.add(t.stressMoveUpPct / 100);
  return [...out].sort((a, b) => a - b);
}

/** Horizons in calendar days: today, a few sessions, the hedge expiry (before the condor's), the condor's expiry. */
export function stressHorizons(t: Thresholds, condorDays: number, hedgeDays: readonly number[]): number[] {
  const end = Math.max(condorDays, 0);
  const hs = [0, Math.min(t.stressShortHorizonDays, end), ...hedgeDays.filter((d) => d > 0 && d < end), end];
  return [...new Set(hs.map((d) => Math.round(d * 1e6) / 1e6))].sort((a, b) => a - b);
}

/**
 * The grid's cells: the moves at each horizon, and VIX reverting at each horizon after today. Kept per rulebook for
 * the same VIX and horizons (every plan of a chain, and of a backtest's day, asks for the same grid): callers read
 * the cells and must not change them.
 */
export function stressGrid(t: Thresholds, vix0: number, horizons: readonly number[]): readonly StressScenario[] {
  const key = `${vix0} ${horizons.join(',')}`;
  let byKey = grids.get(t);
  if (!byKey) grids.set(t, (byKey = new Map()));
  let cells = byKey.get(key);
  if (!cells) {
    if (byKey.size >= 64) byKey.clear();
    byKey.set(key, (cells = makeGrid(t, vix0, horizons)));
  }
  return cells;
}

const grids = new WeakMap<Thresholds, Map<string, readonly StressScenario[]>>();
/** The moves of each rulebook's grid (stressMoves). */
const movesOf = new WeakMap<Thresholds, readonly number[]>();

function makeGrid(t: Thresholds, vix0: number, horizons: readonly number[]): StressScenario[] {
  let moves = movesOf.get(t);
  if (!moves) movesOf.set(t, (moves = stressMoves(t)));
  // The VIX response depends on the move alone: worked out once for every horizon.
  const shifts = new Float64Array(moves.length);
  for (let j = 0; j < moves.length; j++) shifts[j] = vixAfterMove(t, vix0, moves[j]!) - vix0;
  const cells: StressScenario[] = [];
  for (const h of horizons) {
    for (let j = 0; j < moves.length; j++)
      cells.push({ move: moves[j]!, horizonDays: h, vixShiftPoints: shifts[j]!, kind: 'path' });
    if (h > 0 && vix0 > t.vixRevertLevel)
      cells.push({ move: 0, horizonDays: h, vixShiftPoints: t.vixRevertLevel - vix0, kind: 'vix-reverts' });
  }
  return cells;
}

/** The share of a spot-VIX change a VIX future with `daysLeft` days to its expiry takes (1 at expiry). */
export function vixFutureShare(t: Thresholds, daysLeft: number): number {
  return Math.pow(t.vixFutureToSpotRatio, Math.pow(Math.max(daysLeft, 0) / 30, t.vixFutureTermExponent));
}

/** The term model of the VIX future `daysLeft` days out, from spot VIX, for when no VIX chain gives it. */
export function vixFutureByTerm(t: Thresholds, spotVix: number, daysLeft: number): number {
  const theta = t.vixFutureLongRunLevel;
  return theta + (spotVix - theta) * vixFutureShare(t, daysLeft);
}

/** The factor on a VIX option's implied vol when spot VIX goes from `vix0` to `vixAfter` (the vol-of-vol response). */
export function vixOptionVolScale(t: Thresholds, vix0: number, vixAfter: number): number {
  if (!(vix0 > 0) || !(vixAfter > 0)) return 1;
  return Math.pow(vixAfter / vix0, t.vixOptionVolElasticity);
}

/** The work array worstAndTail copies the values into (reused: allocating a typed array costs more than filling it). */
let work = new Float64Array(256);

/** Worst loss and tail loss (mean of the worst quarter of cells), as positive dollars, of P/L values. */
export function worstAndTail(values: ArrayLike<number>): { worst: number; tail: number } {
  const n = values.length;
  if (work.length < n) work = new Float64Array(Math.max(n, 2 * work.length));
  const a = work.subarray(0, n);
  for (let i = 0; i < n; i++) a[i] = values[i]!;
  const k = Math.max(1, Math.ceil(a.length / 4));
  // Only the worst quarter needs its order: it is selected (Hoare's FIND, forward.ts) and sorted alone; the same
  // values in the same order as sorting the whole. A typed array sorts numerically without a comparator call per
  // pair; with a NaN (which P/L never is) the whole is sorted, NaN last, as before.
  let finite = a.length > 2 * k;
  for (let i = 0; i < a.length && finite; i++) finite = a[i] === a[i];
  const sorted = finite ? (selectInPlace(a, k - 1), a.subarray(0, k).sort()) : a.sort();
  let s = 0;
  for (let i = 0; i < k; i++) s += sorted[i] as number;
  const worstPnl = sorted[0] ?? 0;
  return { worst: Math.max(0, -worstPnl), tail: Math.max(0, -(s / k)) };
}
