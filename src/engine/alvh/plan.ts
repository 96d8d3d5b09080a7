/**
 * The ALVH hedge plan: the stage (stages.ts, on the VIX series with today's live value and the condor's threat
 * signals) and priced hedge tickets for each layer, sized on the position's own risk, applied in order into one
 * combined position. Pure: no I/O, deterministic given its inputs.
 *
 * Stress (plan/stress.ts): a grid of underlying moves both ways × horizons (today, a few sessions, the hedge's
 * expiry, the condor's expiry) × a VIX response continuous in the move and term-aware, plus VIX mean-reverting while
 * the index holds. Worst loss = the largest loss on the grid; tail loss = the mean loss of its worst quarter of cells.
 * Every leg is valued by leg.ts at the cell's price, days forward and vol shift.
 *
 * One fill everywhere: each hedge leg is assumed filled at mid ± fillSpreadFraction × half the spread (toward the
 * natural price), with commissionPerContractDollars per contract; the stress P/L, the cost and the constraints all
 * use that fill.
 *
 * Sizing: Layer One takes layerOneLossCoverShare × the signal-strength share of the condor's worst stress loss on
 * the threatened side (the quantity whose worst-loss reduction first reaches that target, else the one that reduces
 * it most); the Second Engine covers secondEngineStressCoverShare of the worst loss left after Layer One, capped by
 * the VXTH allocation. Quantities are tried up to hedgeMaxQuantityPerCondor × condors, so they scale with the size.
 *
 * The plan (plan.combined): the best active ticket of each layer, in order Layer One → Second Engine → Time-shift,
 * each measured against the position after the steps before it; a ticket that would trade a leg back against an
 * earlier step is not applied (the two would cancel).
 *
 * Margin (an approximation, stated in each ticket): defined-risk structures need their max loss; long options
 * nothing beyond their price; a short VIX put (synthetic) the Cboe naked-index rule premium + max(20% × future −
 * out-of-the-money amount, 10% × strike), with the future standing in for the underlying.
 *
 * The code lives in plan/ by concern: types.ts (the shapes), value.ts (repricing on the grid), legs.ts (legs from the
 * chain), stress.ts (the grid), evaluate.ts and constraints.ts (one candidate measured), sizing.ts, layerOne.ts,
 * secondEngine.ts, rolls.ts (time-shifting), unwind.ts, combine.ts (the plan applied in order), stageGate.ts and
 * planHedges.ts (the orchestrator). This file is the module's public face: import the plan from here.
 */
export { planHedges } from './plan/planHedges';
export { pnlSigmaAtExpiry } from './plan/constraints';
export { DISCLAIMER, LAYER_ONE_STRUCTURES, SECOND_ENGINE_STRUCTURES } from './plan/types';
export type {
  ConstraintStatus,
  HedgeLeg,
  HedgePlan,
  HedgeTicket,
  HeldHedge,
  Layer,
  LegLiquidity,
  PlanInput,
  PlanStep,
  Structure,
  StressCell,
  UnwindDetail,
} from './plan/types';
