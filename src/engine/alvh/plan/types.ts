/**
 * The ALVH plan's public shapes: tickets, their legs, stress cells and constraints, the plan itself and its input.
 * Imported through plan.ts (the module's public face); the plan/ modules import them from here.
 */
import type { Chain, OptionKind } from '../../../chain/types';
import type { ChainAnalysis, CondorRisk, PositionGreeks } from '../../types';
import type { SignalStrength } from '../breadth';
import type { Rulebook } from '../rulebook';
import type { MacroEvent, RuleCheck, Stage, StepResult, Transition } from '../stages';
import type { VixSignalCache } from '../signalCache';
import type { VixBar, VixSighting } from '../vixSeries';
import type { VixFutureEstimate } from '../vixOptions';
import type { FredSeries } from '../../macro/fred';
import type { StressScenario } from './stress';

export const DISCLAIMER = 'Trading aids, not advice: check every ticket against your broker before you trade.';

export type Layer = 'layer-one' | 'second-engine' | 'time-shift' | 'unwind';
export type Structure =
  | 'put-debit-spread'
  | 'put-backspread-1x2'
  | 'call-credit-spread'
  | 'call-debit-spread'
  | 'call-backspread-1x2'
  | 'put-credit-spread'
  | 'vix-call'
  | 'vix-call-spread'
  | 'synthetic-long-vix'
  | 'spx-long-put'
  | 'roll-out'
  | 'roll-down-and-out'
  | 'roll-up-and-out'
  | 'roll-untested-in'
  | 'roll-wing-in'
  | 'butterfly-conversion'
  | 'broken-wing-conversion'
  | 'unwind';

/** Layer One's structures (layerOne.ts). */
export const LAYER_ONE_STRUCTURES: ReadonlySet<Structure> = new Set<Structure>([
  'put-debit-spread',
  'put-backspread-1x2',
  'call-credit-spread',
  'call-debit-spread',
  'call-backspread-1x2',
  'put-credit-spread',
]);

/** The Second Engine's structures (secondEngine.ts). */
export const SECOND_ENGINE_STRUCTURES: ReadonlySet<Structure> = new Set<Structure>([
  'vix-call',
  'vix-call-spread',
  'synthetic-long-vix',
  'spx-long-put',
]);

export interface HedgeLeg {
  underlying: 'SPX' | 'VIX' | string;
  root: string;
  expiry: string;
  kind: OptionKind;
  strike: number;
  /** Contracts per ticket unit, signed: +1 buy, −1 sell, +2 buy two. */
  ratio: number;
  occ: string;
  bid: number | null;
  ask: number | null;
  mid: number;
  /** Vol used to reprice it (smile vol for SPX, Black-76 implied vol for VIX). */
  vol: number;
  /** VIX legs: the future of their expiry. */
  future: number | null;
  years: number;
  /** The assumed fill per contract (mid ± fillSpreadFraction × half-spread toward the natural price). */
  fill: number;
  openInterest: number | null;
  volume: number | null;
}

export interface StressCell {
  move: number;
  /** Calendar days forward. */
  horizonDays: number;
  /** 'path': VIX responds to the move; 'vix-reverts': VIX back at vixRevertLevel, the index unchanged. */
  scenario: StressScenario['kind'];
  vixShiftPoints: number;
  beforeDollars: number;
  afterDollars: number;
}

/** Per-leg liquidity: open interest, volume and spread width against the rulebook. */
export interface LegLiquidity {
  occ: string;
  openInterest: number | null;
  volume: number | null;
  spreadPctOfMid: number | null;
  ok: boolean;
  reason: string | null;
}

export interface ConstraintStatus {
  /**
   * The method's quick ratio: buying power left after the hedge ÷ margin needed. `judged` false when the trader gave
   * no account figures: the ratio is then not computed (it never passes on an assumed account) and `ok` is true.
   */
  liquidity: {
    judged: boolean;
    buyingPowerLeftDollars: number;
    marginNeededDollars: number;
    ratio: number;
    min: number;
    ok: boolean;
  };
  /** Per-leg liquidity (liquidityMinOpenInterest, liquidityMinVolume, liquidityMaxSpreadPctOfMid). */
  legs: { ok: boolean; legs: LegLiquidity[] };
  /**
   * Cost at the assumed fill (+ commissions) ≤ min(costMaxStdDevs × σ, the condor's remaining profit): a hedge
   * never costs more than the trade can still make.
   */
  cost: {
    costDollars: number;
    sigmaDollars: number;
    remainingProfitDollars: number;
    maxDollars: number;
    ok: boolean;
  };
  vxth: {
    /** False without account figures: the cap is not judged. */
    judged: boolean;
    vixFuture: number | null;
    accountPct: number;
    capDollars: number;
    allocationDollars: number;
    ok: boolean;
  } | null;
}

export interface HedgeTicket {
  id: string;
  layer: Layer;
  structure: Structure;
  /** True when the current stage calls for this layer; false: shown for reference (what it would be, priced now). */
  active: boolean;
  legs: HedgeLeg[];
  quantity: number;
  /** Per ticket unit, price units; positive = you pay (debit), negative = you receive (credit). */
  midPerUnit: number;
  naturalPerUnit: number;
  /** Per ticket unit at the assumed fill, price units. */
  fillPerUnit: number;
  /** For the whole quantity, dollars (multiplier 100). */
  midDollars: number;
  naturalDollars: number;
  /** At the assumed fill, plus commissions (positive = you pay). */
  fillDollars: number;
  commissionDollars: number;
  marginDollars: number;
  greeksBefore: PositionGreeks;
  greeksAfter: PositionGreeks;
  stress: {
    cells: StressCell[];
    /** Worst and tail loss over the whole grid (both sides), positive dollars. */
    worstBefore: number;
    worstAfter: number;
    tailBefore: number;
    tailAfter: number;
    /** The threatened side (the side of the unhedged condor's worst loss) and its worst loss before/after. */
    side: 'downside' | 'upside';
    sideWorstBefore: number;
    sideWorstAfter: number;
  };
  constraints: ConstraintStatus;
  /** (worst + tail loss reduction) per dollar of capital committed. */
  score: number;
  why: { rules: RuleCheck[]; sentences: string[] };
  /**
   * Layer One: the sizing target (dollars of worst-loss reduction), the share applied (signal strength) and the
   * quantity that met it (fullQuantity: the quantity for the unscaled target).
   */
  sizing?: { fullQuantity: number; share: number; strength: number | null; targetDollars?: number };
  /** Expiry against the condor's: days before (negative) or after (positive) the condor's expiry. */
  expiryVsCondorDays?: number;
  /** Unwind: the held legs this ticket closes, with the P/L on each (exit − entry). */
  unwind?: UnwindDetail;
}

/** A hedge the trader holds (e.g. from an earlier plan): one option leg with a signed quantity and its entry price. */
export interface HeldHedge {
  underlying: 'SPX' | 'VIX' | string;
  /** Option root (SPXW, SPX, VIX, VIXW); default: the chain's root for that expiry. */
  root?: string;
  expiry: string;
  kind: OptionKind;
  strike: number;
  /** Contracts, signed: +2 long two, −1 short one. */
  quantity: number;
  /** Price paid (long) or received (short) per contract, price units (× 100 = dollars). */
  entryPrice: number;
  /** The layer it belongs to; default: VIX legs and SPX legs beyond layerOneMaxDays → second-engine, else layer-one. */
  layer?: 'layer-one' | 'second-engine';
}

export interface UnwindDetail {
  /** The layer this ticket takes off, and its place in the order (1 = first). */
  layer: 'layer-one' | 'second-engine';
  order: number;
  legs: {
    occ: string;
    quantity: number;
    entryPrice: number;
    exitMid: number;
    /** bid for a long leg (you sell), ask for a short one (you buy back). */
    exitNatural: number;
    pnlMidDollars: number;
    pnlNaturalDollars: number;
  }[];
  /** Sum over the legs: (exit − entry) × quantity × 100. */
  pnlMidDollars: number;
  pnlNaturalDollars: number;
}

/** One step of the plan: a ticket applied to the position left by the steps before. */
export interface PlanStep {
  ticketId: string;
  layer: Layer;
  structure: Structure;
  worstLossDollars: number;
  tailLossDollars: number;
  costDollars: number;
}

export interface HedgePlan {
  stage: Stage;
  transitions: Transition[];
  checks: RuleCheck[];
  urgency: StepResult['urgency'];
  vix: { spot: number | null; lastDate: string | null; future: VixFutureEstimate | null; futures: VixFutureEstimate[] };
  /** The unhedged condor on the stress grid. */
  baseline: {
    worstLossDollars: number;
    tailLossDollars: number;
    sigmaDollars: number;
    remainingProfitDollars: number;
    /** Where the worst loss is: the move, the horizon and the VIX there. */
    worstCell?: { move: number; horizonDays: number; vixShiftPoints: number };
  };
  /** The combined position after every active ticket, applied in order, on the same grid. */
  combined: {
    worstLossDollars: number;
    tailLossDollars: number;
    costDollars: number;
    greeks: PositionGreeks;
    steps: PlanStep[];
    cells: {
      move: number;
      horizonDays: number;
      scenario: StressScenario['kind'];
      vixShiftPoints: number;
      pnlDollars: number;
    }[];
  };
  /** The grid's horizons, calendar days. */
  horizonsDays?: number[];
  warnings: string[];
  tickets: HedgeTicket[];
  rejected: { layer: Layer; structure: Structure; reason: string }[];
  notes: string[];
  disclaimer: string;
  /** Layer One's size share from the signal strength (VIX RSI, breadth divergence); absent without a position. */
  signalStrength?: SignalStrength;
}

export interface PlanInput {
  analysis: ChainAnalysis;
  /** The SPX (or other underlying) chain the analysis came from: quotes and listed strikes for the tickets. */
  chain: Chain;
  /** Defaults to analysis.condor; null: no position (the stage from the VIX alone, no tickets). */
  condor?: CondorRisk | null;
  vix: { spot: number | null; history: readonly VixBar[]; sightings?: readonly VixSighting[] };
  vixChain?: Chain | null;
  rulebook: Rulebook;
  /** The trader's account figures; null: the quick ratio and the VXTH cap are "not judged". */
  account: { sizeDollars: number; buyingPowerDollars: number } | null;
  now: Date;
  /** Fill and commissions (default: the rulebook's fillSpreadFraction, commissionPerContractDollars). */
  fill?: { spreadFraction?: number; commissionPerContractDollars?: number };
  macroEvents?: readonly MacroEvent[];
  /** Continuously compounded rate for VIX options (default: the analysis' assumed rate). */
  vixRate?: number;
  /** Optional advance–decline series (breadth divergence scales Layer One); `close` is the index close, optional. */
  advanceDecline?: readonly { date: string; advances: number; declines: number; close?: number | null }[];
  /** Hedges the trader holds: in the Unwind stage the plan gives tickets that close them, layer by layer. */
  heldHedges?: readonly HeldHedge[];
  /**
   * Macro series the trader brought (FRED CSVs, src/engine/macro): the dollar gauge gates the Second Engine on every
   * bar; today's credit and curve gauges raise Layer One's size, CPI and PPI surprises the urgency.
   */
  macroSeries?: readonly FredSeries[];
  /** The history's signals and VIX-alone states computed once (signalCache.ts); used only where it covers the series. */
  vixSignalCache?: VixSignalCache | null;
  /**
   * The trader does not take Layer One (VIX calls or the Second Engine first): its tickets stay listed for reference,
   * none is placed, and the Second Engine is sized on the condor alone rather than on what Layer One would leave.
   */
  layerOneDeclined?: boolean;
  /**
   * Only these layers' tickets are priced (default: all). For a caller that reads one layer on a day (the backtest);
   * a trader's plan prices them all. The stage, checks and baseline are the same either way, and so is every ticket
   * of a layer that is priced: the Second Engine, unless Layer One is declined, is sized on what Layer One leaves, so
   * asking for it prices Layer One too. The plan's notes say what was left out.
   */
  layers?: readonly Layer[];
  /**
   * Only these Layer One and Second Engine structures are priced (default: all), for a caller that reads one
   * structure's ticket (the backtest's "VIX calls first" reads the Second Engine's VIX call alone). Each ticket
   * priced is the whole plan's but for whether it is its layer's step: the plan's steps are chosen among the tickets
   * priced (a caller that reads a step asks for every structure). Layer One is priced whole whenever the Second
   * Engine is priced on what it leaves (its step sizes the Second Engine).
   */
  structures?: readonly Structure[];
}
