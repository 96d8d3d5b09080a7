/**
 * One candidate ticket, measured: its legs' P/L on the stress grid added to the position before it, its prices
 * (mid, natural, the assumed fill and commissions), margin, greeks after, constraints and score.
 */
import { addGreeks } from '../../leg';
import type { RuleCheck } from '../stages';
import type { Base } from './base';
import { constraintsFor } from './constraints';
import { prices } from './legs';
import { worstAndTail } from './stress';
import type { ConstraintStatus, HedgeLeg, HedgeTicket, Layer, StressCell, Structure } from './types';
import { commissionOf, daysBetween, finite, legGreeks, MULT, unitPnl } from './value';

export interface Candidate {
  base: Base;
  layer: Layer;
  structure: Structure;
  legs: HedgeLeg[];
  quantity: number;
  marginPerUnit: number;
  /** Extra margin released by the ticket (e.g. a closed spread), dollars, for the whole quantity. */
  releasedMarginDollars?: number;
  secondEngine: boolean;
  active: boolean;
  rules: RuleCheck[];
  sentences: string[];
  /** The legs' P/L per unit on the grid (unitPnl), when already computed. */
  unit?: Float64Array;
}

/** The worst loss (positive dollars, 0 if none) over the cells on one side: moves ≤ 0 (down) or ≥ 0 (up). */
export function sideWorstOfCells(
  cells: readonly StressCell[],
  down: boolean,
  which: 'beforeDollars' | 'afterDollars',
): number {
  let w = 0;
  for (const c of cells) if (down ? c.move <= 0 : c.move >= 0) w = Math.max(w, -c[which]);
  return w;
}

/** The candidate's cost, margin and constraints at its quantity (no stress grid). */
function costOf(p: Candidate, px: NonNullable<ReturnType<typeof prices>>) {
  const { base, legs, quantity } = p;
  const commissionDollars = commissionOf(base.ctx, legs, quantity);
  const fillDollars = px.fill * quantity * MULT + commissionDollars;
  const marginDollars = Math.max(0, p.marginPerUnit * quantity - (p.releasedMarginDollars ?? 0));
  const constraints = constraintsFor({ base, legs, fillDollars, marginDollars, vixHedge: p.secondEngine });
  return { commissionDollars, fillDollars, marginDollars, constraints };
}

/**
 * The candidate's constraints alone, as evaluate gives them, without its stress cells: sizing passes over the
 * quantities that fail them without building their tickets. Null when a leg has no natural price (evaluate: null).
 */
export function candidateConstraints(p: Candidate): ConstraintStatus | null {
  const px = prices(p.legs);
  return px ? costOf(p, px).constraints : null;
}

/** The candidate as a ticket; null when a leg has no natural price. */
export function evaluate(p: Candidate): HedgeTicket | null {
  const { base, legs, quantity } = p;
  const px = prices(legs);
  if (!px) return null;
  const ctx = base.ctx;
  const unit = p.unit ?? unitPnl(ctx, legs);
  const cells: StressCell[] = ctx.path.map((c, i) => {
    const before = base.pathBefore[i] as number;
    return {
      move: c.move,
      horizonDays: c.horizonDays,
      scenario: c.kind,
      vixShiftPoints: c.vixShiftPoints,
      beforeDollars: before,
      afterDollars: before + quantity * (unit[i] as number),
    };
  });
  const after = worstAndTail(cells.map((c) => c.afterDollars));
  let greeksAfter = base.greeks;
  for (const l of legs) greeksAfter = addGreeks(greeksAfter, legGreeks(ctx, l), l.ratio * quantity);
  const midDollars = px.mid * quantity * MULT;
  const naturalDollars = px.natural * quantity * MULT;
  const { commissionDollars, fillDollars, marginDollars, constraints } = costOf(p, px);
  const improvement = base.worstBefore - after.worst + (base.tailBefore - after.tail);
  const capital = Math.max(Math.max(fillDollars, 0) + marginDollars, 1);
  const condorExpiry = base.condor.expiry;
  const hedgeExpiry = legs.find((l) => l.underlying !== 'VIX')?.expiry ?? legs[0]?.expiry ?? condorExpiry;
  return {
    id: `${p.layer}:${p.structure}:${legs.map((l) => `${l.ratio}${l.occ.replace(/\s+/g, '')}`).join(',')}x${quantity}`,
    layer: p.layer,
    structure: p.structure,
    active: p.active,
    legs,
    quantity,
    midPerUnit: px.mid,
    naturalPerUnit: px.natural,
    fillPerUnit: px.fill,
    midDollars,
    naturalDollars,
    fillDollars,
    commissionDollars,
    marginDollars,
    greeksBefore: base.greeks,
    greeksAfter,
    stress: {
      cells,
      worstBefore: base.worstBefore,
      worstAfter: after.worst,
      tailBefore: base.tailBefore,
      tailAfter: after.tail,
      side: base.downside ? 'downside' : 'upside',
      sideWorstBefore: sideWorstOfCells(cells, base.downside, 'beforeDollars'),
      sideWorstAfter: sideWorstOfCells(cells, base.downside, 'afterDollars'),
    },
    constraints,
    score: finite(improvement / capital),
    why: { rules: p.rules, sentences: p.sentences },
    expiryVsCondorDays: Math.round(daysBetween(condorExpiry, hedgeExpiry)),
  };
}
