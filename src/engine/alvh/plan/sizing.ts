/**
 * Sizing on the position's own risk: a structure is sized to a target reduction of the threatened side's worst
 * stress loss (the quantity whose reduction comes nearest the target, then the largest that passes every
 * constraint), and Layer One's target is scaled by the signal strength (VIX RSI(14), advance–decline divergence).
 */
import type { GaugeReading } from '../../macro/gauges';
import { breadthDivergence, layerOneSignalStrength, type AdvanceDeclineRow, type SignalStrength } from '../breadth';
import type { Thresholds } from '../rulebook';
import type { VixSignalBar } from '../signals';
import type { Side } from './base';
import { constraintReason, constraintsPass, constraintsReason, feasible } from './constraints';
import { ticketSideWorst } from './evaluate';
import type { ConstraintStatus, HedgeTicket, PlanInput } from './types';

export interface Sized {
  best: HedgeTicket | null;
  reason: string;
  reached: boolean;
  quantity: number;
}

/**
 * The quantity (1…maxQ) whose reduction of the threatened side's worst stress loss comes nearest the target (0: none
 * reduces it), and whether it reaches the target. The worst loss after q units is read on the side's cells only
 * (side.worstOf's cells, in its order). The numbers alone: a function of its own, small for the compiler.
 */
function nearestQuantity(
  side: Side,
  unit: Float64Array,
  before: readonly number[],
  worstBefore: number,
  targetDollars: number,
  maxQ: number,
): { pick: number; reached: boolean } {
  const cells = side.cells;
  let pick = 0;
  let pickGap = Infinity;
  let reached = false;
  for (let q = 1; q <= maxQ; q++) {
    let worstAfter = 0;
    for (let j = 0; j < cells.length; j++) {
      const i = cells[j]!;
      if (i >= before.length) break;
      worstAfter = Math.max(worstAfter, -((before[i] as number) + q * (unit[i] as number)));
    }
    const red = worstBefore - worstAfter;
    if (!(red > 1e-6)) continue;
    const gap = Math.abs(red - targetDollars);
    if (gap < pickGap - 1e-6) {
      pick = q;
      pickGap = gap;
      reached = red >= targetDollars - 1e-6;
    }
    if (red >= targetDollars) break; // more only overshoots further
  }
  return { pick, reached };
}

/**
 * Size a structure to a target reduction of the worst stress loss: the quantity (1…maxQ) whose reduction is
 * nearest the target (ties: the smaller), so the hedge scales with the position; then, if a constraint fails, the
 * largest smaller quantity that passes them all. `before`: the position it is added to (grid P/L); `unit`: the
 * structure's P/L per unit on the grid; `make(q)`: the ticket of q units, measured on a base threatened on `side`.
 */
export function sizeTo(p: {
  side: Side;
  unit: Float64Array;
  before: readonly number[];
  targetDollars: number;
  make: (q: number) => HedgeTicket | null;
  /** The constraints make(q) would give, without the ticket (evaluate.ts constraintsByQuantity): cheaper to try. */
  probe?: (q: number) => ConstraintStatus | null;
  maxQ: number;
}): Sized {
  const { side, unit, before, targetDollars, make, probe, maxQ } = p;
  const worstBefore = side.worstOf(before);
  const { pick, reached } = nearestQuantity(side, unit, before, worstBefore, targetDollars, maxQ);
  if (pick === 0) return { best: null, reason: 'no quantity reduced the worst stress loss', reached, quantity: 0 };
  let reason = '';
  for (let q = pick; q >= 1; q--) {
    if (probe) {
      // A quantity failing the constraints is passed over (with its reason) before its ticket is built.
      const c = probe(q);
      if (!c) return { best: null, reason: 'a leg has no two-sided market', reached, quantity: pick };
      if (!constraintsPass(c)) {
        if (!reason) reason = constraintsReason(c);
        continue;
      }
    }
    const tk = make(q);
    if (!tk) return { best: null, reason: 'a leg has no two-sided market', reached, quantity: pick };
    if (feasible(tk) && ticketSideWorst(tk, side.downside, 'afterDollars') < worstBefore - 1e-6)
      return { best: tk, reason: '', reached: reached && q === pick, quantity: pick };
    if (!reason) reason = constraintReason(tk);
  }
  return { best: null, reason, reached, quantity: pick };
}

/** Layer One's size share (DESIGN §3: "scaled by the signal strength (VIX RSI(14), advance–decline divergence)"). */
export function signalStrengthOf(
  input: Pick<PlanInput, 'advanceDecline'>,
  bars: readonly VixSignalBar[],
  t: Thresholds,
  today: string,
  gauges: readonly GaugeReading[] | null = null,
): SignalStrength {
  const adRows: AdvanceDeclineRow[] | null = input.advanceDecline
    ? input.advanceDecline.map((r) => ({
        date: r.date,
        advances: r.advances,
        declines: r.declines,
        close: r.close ?? null,
      }))
    : null;
  const breadth = adRows ? breadthDivergence({ rows: adRows, thresholds: t, asOf: today }) : null;
  // Broader stress behind the spike (credit widening, a crisis steepening) adds layerOneMacroStressBoost.
  const macroStress = gauges
    ? gauges.filter((g) => (g.id === 'hy-spread' || g.id === 'curve') && g.state === 'stress').map((g) => g.name)
    : null;
  return layerOneSignalStrength({
    rsiLong: bars[bars.length - 1]?.rsiLong ?? null,
    breadth,
    macroStress,
    thresholds: t,
  });
}
