/**
 * What every candidate ticket is measured against (Base: the position before it on the grid) and what the layer
 * builders share (PlanEnv: the base, the threatened side, the quantity cap, the chain, the stage's rule checks and
 * the lists they add to).
 */
import type { Chain } from '../../../chain/types';
import type { PositionLegs } from '../../scenarios';
import type { CondorRisk, ExpiryModel, PositionGreeks } from '../../types';
import type { Rulebook } from '../rulebook';
import type { RuleCheck } from '../stages';
import type { HedgePlan, HedgeTicket, PlanInput, Structure } from './types';
import type { Ctx } from './value';

export interface Base {
  ctx: Ctx;
  condor: CondorRisk;
  condorModel: ExpiryModel;
  condorLegs: PositionLegs;
  pathBefore: number[];
  worstBefore: number;
  tailBefore: number;
  greeks: PositionGreeks;
  sigma: number;
  /** The condor's remaining profit now (max profit − current P/L), dollars: the cost rule's other bound. */
  remainingProfit: number;
  account: PlanInput['account'];
  rulebook: Rulebook;
  vixFuture: number | null;
  /** The threatened side is the downside (the unhedged condor's worst grid loss is at a move ≤ 0). */
  downside: boolean;
}

/** The threatened side of the grid: the cells a one-sided hedge is sized on. */
export interface Side {
  downside: boolean;
  /** Is grid cell i on the threatened side (the move at or below 0 for the downside)? */
  on(i: number): boolean;
  /** The worst loss (positive dollars, 0 if none) over the threatened side's cells of grid P/L values. */
  worstOf(values: ArrayLike<number>): number;
  /** The threatened side's cells, ascending (the cells `on` is true of). */
  cells: Int32Array;
}

export function sideOf(ctx: Ctx, downside: boolean): Side {
  const on = (i: number) => (downside ? ctx.path[i]!.move <= 0 : ctx.path[i]!.move >= 0);
  const list: number[] = [];
  for (let i = 0; i < ctx.path.length; i++) if (on(i)) list.push(i);
  const cells = Int32Array.from(list);
  return {
    downside,
    on,
    cells,
    worstOf: (values) => {
      let w = 0;
      for (let j = 0; j < cells.length; j++) {
        const i = cells[j]!;
        if (i >= values.length) break;
        w = Math.max(w, -(values[i] as number));
      }
      return w;
    },
  };
}

/** What the layer builders share. */
export interface PlanEnv {
  base: Base;
  side: Side;
  /** The largest quantity tried: hedgeMaxQuantityPerCondor × condors (at least 1). */
  maxQty: number;
  chain: Chain;
  symbol: string;
  /** The stage machine's checks whose id starts with a prefix. */
  checks(prefix: string): RuleCheck[];
  /** Whether a Layer One or Second Engine structure is priced on this request (PlanInput.structures). */
  priced(structure: Structure): boolean;
  tickets: HedgeTicket[];
  rejected: HedgePlan['rejected'];
  notes: string[];
}
