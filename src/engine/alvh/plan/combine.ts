/**
 * The plan, not a list: the best active ticket of each layer, applied in order Layer One → Second Engine →
 * Time-shift, each measured against the position after the steps before it. A ticket that would trade a leg back
 * against an earlier step is not placed (the two would cancel); the alternatives of a layer are shown, not placed.
 */
import { addGreeks } from '../../leg';
import type { Ctx } from './value';
import { legGreeks } from './value';
import { worstAndTail } from './stress';
import type { HedgePlan, HedgeTicket, PlanStep } from './types';
import type { PositionGreeks } from '../../types';

/** The step a layer places: the ticket that cuts the worst stress loss most (ties: the better score). */
export function chooseStep(pool: readonly HedgeTicket[]): HedgeTicket | null {
  let best: HedgeTicket | null = null;
  for (const x of pool) {
    const red = x.stress.worstBefore - x.stress.worstAfter;
    const bestRed = best ? best.stress.worstBefore - best.stress.worstAfter : -Infinity;
    if (!best || red > bestRed + 1e-6 || (Math.abs(red - bestRed) <= 1e-6 && x.score > best.score)) best = x;
  }
  return best;
}

/**
 * Apply the layers in order to the condor's grid P/L (`pathBefore`). Marks the tickets not placed inactive, with a
 * sentence saying why. `l1Chosen`: Layer One's step, already chosen (the Second Engine was sized on it).
 */
export function combinePlan(p: {
  ctx: Ctx;
  tickets: HedgeTicket[];
  l1Chosen: HedgeTicket | null;
  pathBefore: readonly number[];
  greeks: PositionGreeks;
}): HedgePlan['combined'] {
  const { ctx } = p;
  const combinedPnl = p.pathBefore.slice();
  let combinedGreeks = p.greeks;
  let combinedCost = 0;
  const steps: PlanStep[] = [];
  const placed = new Map<string, number>(); // occ → signed contracts placed so far
  for (const layer of ['layer-one', 'second-engine', 'time-shift'] as const) {
    const pool = p.tickets.filter((x) => x.layer === layer && x.active);
    const chosen = layer === 'layer-one' ? p.l1Chosen : chooseStep(pool);
    for (const x of pool) {
      if (x === chosen) continue;
      x.active = false;
      x.why.sentences.push(
        chosen
          ? `An alternative to ${chosen.structure} (the layer's step in the plan: it cuts the worst loss more); not placed with it.`
          : 'Not placed: no step of this layer is.',
      );
    }
    if (!chosen) continue;
    const cancels = chosen.legs.find((l) => {
      const prior = placed.get(l.occ) ?? 0;
      return prior !== 0 && Math.sign(prior) !== Math.sign(l.ratio);
    });
    if (cancels) {
      chosen.active = false;
      chosen.why.sentences.push(
        `Not placed: it trades ${cancels.occ.replace(/\s+/g, ' ')} against an earlier step of the plan (the two would cancel).`,
      );
      continue;
    }
    chosen.stress.cells.forEach((c, i) => {
      combinedPnl[i] = (combinedPnl[i] as number) + (c.afterDollars - c.beforeDollars);
    });
    for (const l of chosen.legs) {
      placed.set(l.occ, (placed.get(l.occ) ?? 0) + l.ratio * chosen.quantity);
      combinedGreeks = addGreeks(combinedGreeks, legGreeks(ctx, l), l.ratio * chosen.quantity);
    }
    combinedCost += chosen.fillDollars;
    const wt = worstAndTail(combinedPnl);
    steps.push({
      ticketId: chosen.id,
      layer,
      structure: chosen.structure,
      worstLossDollars: wt.worst,
      tailLossDollars: wt.tail,
      costDollars: chosen.fillDollars,
    });
  }
  const combinedWT = worstAndTail(combinedPnl);
  return {
    worstLossDollars: combinedWT.worst,
    tailLossDollars: combinedWT.tail,
    costDollars: combinedCost,
    greeks: combinedGreeks,
    steps,
    cells: ctx.path.map((c, i) => ({
      move: c.move,
      horizonDays: c.horizonDays,
      scenario: c.kind,
      vixShiftPoints: c.vixShiftPoints,
      pnlDollars: combinedPnl[i] as number,
    })),
  };
}
