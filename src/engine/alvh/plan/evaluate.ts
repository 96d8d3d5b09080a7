/**
 * One candidate ticket, measured: its legs' P/L on the stress grid added to the position before it, its prices
 * (mid, natural, the assumed fill and commissions), margin, greeks after, constraints and score.
 */
import { daysApart } from '../../../chain/calendar';
import { addGreeks } from '../../leg';
import type { RuleCheck } from '../stages';
import type { Base } from './base';
import { constraintsAt, fixedConstraints, type FixedConstraints } from './constraints';
import { prices } from './legs';
import { worstAndTail } from './stress';
import type { ConstraintStatus, HedgeLeg, HedgeTicket, Layer, StressCell, Structure } from './types';
import { commissionOf, finite, legGreeks, MULT, unitPnl } from './value';

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

/** Whether a cell of move `move` is on the side: moves ≤ 0 (down) or ≥ 0 (up). */
const onSide = (move: number, down: boolean): boolean => (down ? move <= 0 : move >= 0);

/** The worst loss (positive dollars, 0 if none) over the cells on one side (onSide). */
export function sideWorstOfCells(
  cells: readonly StressCell[],
  down: boolean,
  which: 'beforeDollars' | 'afterDollars',
): number {
  let w = 0;
  const after = which === 'afterDollars';
  for (const c of cells) if (onSide(c.move, down)) w = Math.max(w, -(after ? c.afterDollars : c.beforeDollars));
  return w;
}

/**
 * A ticket's worst loss on one side, before or after it. evaluate works out the side its base is threatened on as
 * it builds the cells (stress.sideWorstBefore / sideWorstAfter): read when it is this side; the cells otherwise.
 */
export function ticketSideWorst(tk: HedgeTicket, down: boolean, which: 'beforeDollars' | 'afterDollars'): number {
  if (tk.stress.side === (down ? 'downside' : 'upside'))
    return which === 'afterDollars' ? tk.stress.sideWorstAfter : tk.stress.sideWorstBefore;
  return sideWorstOfCells(tk.stress.cells, down, which);
}

/** What a candidate's cost and constraints read, its quantity aside. */
type CostInputs = Pick<Candidate, 'base' | 'legs' | 'marginPerUnit' | 'releasedMarginDollars' | 'secondEngine'>;

function fixedOf(p: CostInputs): FixedConstraints {
  return fixedConstraints({ base: p.base, legs: p.legs, vixHedge: p.secondEngine });
}

/** The candidate's cost, margin and constraints at `quantity` (no stress grid). */
function costOf(p: CostInputs, quantity: number, px: NonNullable<ReturnType<typeof prices>>, fixed: FixedConstraints) {
  const commissionDollars = commissionOf(p.base.ctx, p.legs, quantity);
  const fillDollars = px.fill * quantity * MULT + commissionDollars;
  const marginDollars = Math.max(0, p.marginPerUnit * quantity - (p.releasedMarginDollars ?? 0));
  const constraints = constraintsAt(fixed, fillDollars, marginDollars);
  return { commissionDollars, fillDollars, marginDollars, constraints };
}

/**
 * A structure's constraints alone at any quantity, as evaluate gives them, without its stress cells: sizing passes
 * over the quantities that fail them without building their tickets. What the quantity does not change (the prices,
 * the legs' liquidity, the cost bound, the VXTH share) is worked out once. Null when a leg has no natural price
 * (evaluate: null).
 */
export function constraintsByQuantity(p: CostInputs): (quantity: number) => ConstraintStatus | null {
  const px = prices(p.legs);
  if (!px) return () => null;
  const fixed = fixedOf(p);
  return (quantity) => costOf(p, quantity, px, fixed).constraints;
}

/**
 * The grid cells of the candidate's P/L (the position before it plus `quantity` units), their after-values alone
 * (for the worst and tail loss) and the threatened side's worst loss before and after (as sideWorstOfCells).
 */
function stressCellsOf(base: Base, unit: Float64Array, quantity: number) {
  const path = base.ctx.path;
  const down = base.downside;
  const cells: StressCell[] = [];
  const after: number[] = [];
  let sideWorstBefore = 0;
  let sideWorstAfter = 0;
  for (let i = 0; i < path.length; i++) {
    const c = path[i]!;
    const before = base.pathBefore[i] as number;
    const afterDollars = before + quantity * (unit[i] as number);
    cells.push({
      move: c.move,
      horizonDays: c.horizonDays,
      scenario: c.kind,
      vixShiftPoints: c.vixShiftPoints,
      beforeDollars: before,
      afterDollars,
    });
    after.push(afterDollars);
    if (onSide(c.move, down)) {
      sideWorstBefore = Math.max(sideWorstBefore, -before);
      sideWorstAfter = Math.max(sideWorstAfter, -afterDollars);
    }
  }
  return { cells, after, sideWorstBefore, sideWorstAfter };
}

/** The candidate as a ticket; null when a leg has no natural price. */
export function evaluate(p: Candidate): HedgeTicket | null {
  const { base, legs, quantity } = p;
  const px = prices(legs);
  if (!px) return null;
  const ctx = base.ctx;
  const unit = p.unit ?? unitPnl(ctx, legs);
  const { cells, after: afterDollars, sideWorstBefore, sideWorstAfter } = stressCellsOf(base, unit, quantity);
  const after = worstAndTail(afterDollars);
  let greeksAfter = base.greeks;
  for (const l of legs) greeksAfter = addGreeks(greeksAfter, legGreeks(ctx, l), l.ratio * quantity);
  const midDollars = px.mid * quantity * MULT;
  const naturalDollars = px.natural * quantity * MULT;
  const { commissionDollars, fillDollars, marginDollars, constraints } = costOf(p, quantity, px, fixedOf(p));
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
      sideWorstBefore,
      sideWorstAfter,
    },
    constraints,
    score: finite(improvement / capital),
    why: { rules: p.rules, sentences: p.sentences },
    expiryVsCondorDays: Math.round(daysApart(condorExpiry, hedgeExpiry)),
  };
}
