/**
 * The hedge strategies the backtest compares (#15). Each is data: which of the live plan's tickets it takes in each
 * stage (the plan is asked through the session, run.ts), and the rulebook it is asked with. A new strategy (e.g.
 * ALVH with the macro gate, #21) is one more entry here: its own rulebook override and picks.
 */
import type { Rulebook } from '../alvh/rulebook';
import type { HedgePlan, HedgeTicket, Structure } from '../alvh/plan';

/**
 * Which ticket of the plan to take:
 * - 'layer-one': the plan's own Layer One step (its chosen active ticket);
 * - 'second-engine': the plan's own Second Engine step;
 * - 'vix-call': the plan's Second Engine VIX call (the Second Engine's instrument, priced now even when not active);
 * - 'spx-put-spread': the plan's best active Layer One ticket made of SPX puts only;
 * - 'spx-long-put': the plan's Second Engine index long put;
 * - 'time-shift': the plan's own Time-shift step (its chosen active roll or conversion);
 * - null: nothing in that stage.
 */
export type Pick = 'layer-one' | 'second-engine' | 'vix-call' | 'spx-put-spread' | 'spx-long-put' | 'time-shift' | null;

export interface StrategySpec {
  id: string;
  label: string;
  kind: 'none' | 'plan' | 'vxth';
  /**
   * What to take when the plan's stage is Layer One, and when it is the Second Engine; `timeShift`: what to take
   * when a short strike is breached and the plan's stage is Time-shift (absent: the condor is never rolled).
   */
  picks?: { layerOne: Pick; secondEngine: Pick; timeShift?: Pick };
  /** The rulebook the plan is asked with (default: the run's rulebook). */
  rulebook?: (base: Rulebook) => Rulebook;
  /**
   * The plan also reads the trader's macro series (#21): the Second Engine waits for the dollar gauge to read
   * stress. Without a dollar series in the run the strategy is left out (nothing to compare).
   */
  macro?: boolean;
}

export const STRATEGIES: readonly StrategySpec[] = [
  { id: 'none', label: 'No hedge', kind: 'none' },
  {
    id: 'alvh',
    label: 'ALVH (rulebook)',
    kind: 'plan',
    picks: { layerOne: 'layer-one', secondEngine: 'second-engine', timeShift: 'time-shift' },
  },
  {
    id: 'vix-first',
    label: 'VIX calls first',
    kind: 'plan',
    picks: { layerOne: 'vix-call', secondEngine: 'second-engine' },
  },
  {
    id: 'second-engine',
    label: 'Straight to the Second Engine',
    kind: 'plan',
    picks: { layerOne: null, secondEngine: 'second-engine' },
  },
  {
    id: 'spx-puts',
    label: 'SPX puts only',
    kind: 'plan',
    picks: { layerOne: 'spx-put-spread', secondEngine: 'spx-long-put' },
  },
  { id: 'vxth', label: 'VXTH-style VIX-call overlay', kind: 'vxth' },
];

/**
 * ALVH without its time-shift rolls: the same plan, the same Layer One and Second Engine picks. Not in the default
 * set; named with --strategies (or `strategies`) to see what the rolls did to ALVH.
 */
export const ALVH_HEDGES_ONLY: StrategySpec = {
  id: 'alvh-hedges-only',
  label: 'ALVH, hedges only (no rolls)',
  kind: 'plan',
  picks: { layerOne: 'layer-one', secondEngine: 'second-engine' },
};

/** Strategies run only when named. */
export const OPTIONAL_STRATEGIES: readonly StrategySpec[] = [ALVH_HEDGES_ONLY];

/** ALVH with the method's macro gate on (#21), run when the market carries a dollar series. */
export const ALVH_MACRO: StrategySpec = {
  id: 'alvh-macro',
  label: 'ALVH with the macro gate',
  kind: 'plan',
  picks: { layerOne: 'layer-one', secondEngine: 'second-engine', timeShift: 'time-shift' },
  rulebook: (base) => ({
    ...base,
    name: `${base.name} + macro gate`,
    thresholds: { ...base.thresholds, secondEngineMacroGate: 1 },
  }),
  macro: true,
};

/**
 * A strategy whose Layer One pick is not one of Layer One's own tickets (VIX calls first, straight to the Second
 * Engine) does not take Layer One: its plan is asked with Layer One declined, so the Second Engine is sized on the
 * condor alone — not on a Layer One hedge the strategy never holds.
 */
export function declinesLayerOne(spec: StrategySpec): boolean {
  const l1 = spec.picks?.layerOne ?? null;
  return spec.kind === 'plan' && l1 !== 'layer-one' && l1 !== 'spx-put-spread';
}

export function strategyById(id: string): StrategySpec | undefined {
  return STRATEGIES.find((s) => s.id === id);
}

const spxPutsOnly = (t: HedgeTicket) =>
  t.legs.length > 0 && t.legs.every((l) => l.underlying !== 'VIX' && !/^VIX/i.test(l.root) && l.kind === 'put');

/** The plan layer whose tickets a pick reads (the plan need price nothing else for it, PlanInput.layers). */
export function layerOfPick(pick: Pick): 'layer-one' | 'second-engine' | 'time-shift' | null {
  switch (pick) {
    case 'time-shift':
      return 'time-shift';
    case 'layer-one':
    case 'spx-put-spread':
      return 'layer-one';
    case 'second-engine':
    case 'vix-call':
    case 'spx-long-put':
      return 'second-engine';
    case null:
      return null;
  }
}

/**
 * The Layer One or Second Engine structures whose tickets a pick reads (PlanInput.structures), or null: all of its
 * layer's. A pick that reads whether a ticket is its layer's step (the layer's own step; SPX puts only takes a put
 * spread that is active, so the step) reads them all: the step is chosen among the tickets priced.
 */
export function structuresOfPick(pick: Pick): Structure[] | null {
  switch (pick) {
    case 'vix-call':
      return ['vix-call'];
    case 'spx-long-put':
      return ['spx-long-put'];
    default:
      return null;
  }
}

/** The ticket a pick takes from a plan, or null. */
export function pickTicket(plan: HedgePlan, pick: Pick): HedgeTicket | null {
  if (pick === null) return null;
  const byId = new Map(plan.tickets.map((t) => [t.id, t]));
  const step = (layer: 'layer-one' | 'second-engine' | 'time-shift') => {
    const s = plan.combined.steps.find((x) => x.layer === layer);
    return s ? (byId.get(s.ticketId) ?? null) : null;
  };
  switch (pick) {
    case 'layer-one':
      return step('layer-one');
    case 'second-engine':
      return step('second-engine');
    case 'time-shift':
      return step('time-shift');
    case 'vix-call':
      return plan.tickets.find((t) => t.layer === 'second-engine' && t.structure === 'vix-call') ?? null;
    case 'spx-put-spread':
      return plan.tickets.find((t) => t.layer === 'layer-one' && t.active && spxPutsOnly(t)) ?? null;
    case 'spx-long-put':
      return plan.tickets.find((t) => t.layer === 'second-engine' && t.structure === 'spx-long-put') ?? null;
  }
}
