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
 */
import type { Chain, ChainRow, Expiry, OptionKind } from '../../chain/types';
import { formatOcc } from '../../chain/occ';
import { modelFor } from '../analyze';
import {
  addGreeks,
  blackValue,
  legGreeks as legGreeksDollars,
  legValue as valueLeg,
  vixLegGreeks,
  vixLegValue,
  zeroGreeks,
} from '../leg';
import { positionPnl, type PositionLegs } from '../scenarios';
import { stressGrid, stressHorizons, vixFutureShare, worstAndTail, type StressScenario } from './plan/stress';
import { volAt } from '../smile';
import type { ChainAnalysis, CondorRisk, ExpiryModel, PositionGreeks } from '../types';
import { breadthDivergence, layerOneSignalStrength, type AdvanceDeclineRow, type SignalStrength } from './breadth';
import { vxthAllocationPct, type Rulebook, type Thresholds } from './rulebook';
import { computeVixSignals } from './signals';
import {
  initialStageState,
  stepStage,
  type MacroEvent,
  type PositionInputs,
  type RuleCheck,
  type Stage,
  type StepResult,
  type Transition,
} from './stages';
import { mergeSightings, type VixBar, type VixSighting } from './vixSeries';
import {
  impliedVixFutures,
  pickVixExpiry,
  vixCallNearDelta,
  vixOptionQuotes,
  type VixFutureEstimate,
  type VixOptionQuote,
} from './vixOptions';

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
  | 'butterfly-conversion'
  | 'broken-wing-conversion'
  | 'unwind';

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
  stress: { cells: StressCell[]; worstBefore: number; worstAfter: number; tailBefore: number; tailAfter: number };
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
}

const MULT = 100;

// ───────────────────────── repricing ─────────────────────────

interface Ctx {
  t: Thresholds;
  spot: number;
  vix0: number;
  /** The stress grid. */
  path: StressScenario[];
  models: Map<string, ExpiryModel>;
  /** The day the plan is made (YYYY-MM-DD), for VIX legs' days left. */
  today: string;
  fraction: number;
  commission: number;
}

function finite(x: number, d = 0): number {
  return Number.isFinite(x) ? x : d;
}

function daysBetween(a: string, b: string): number {
  return (Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000;
}

/**
 * Value of one leg (per share/point) in a grid cell (leg.ts values it). VIX legs: the future of the leg's expiry
 * moves vixFutureShare(days left at the horizon) × the spot VIX change (spot floored at 5, the future at 0.5); at or
 * past its expiry the leg is worth its intrinsic value on that future.
 */
function legValue(ctx: Ctx, leg: HedgeLeg, c: StressScenario): number {
  if (leg.underlying === 'VIX') {
    if (leg.future === null) return leg.mid;
    const spotShift = Math.max(ctx.vix0 + c.vixShiftPoints, 5) - ctx.vix0;
    const left = leg.years * 365 - c.horizonDays;
    const F = Math.max(leg.future + vixFutureShare(ctx.t, left) * spotShift, 0.5);
    if (!(left > 0)) return blackValue(leg.kind, F, leg.strike, 0, 1);
    return vixLegValue({ ...leg, future: leg.future, years: left / 365 }, F, leg.mid);
  }
  const m = ctx.models.get(leg.expiry);
  if (!m) return leg.mid;
  return valueLeg(
    { kind: leg.kind, strike: leg.strike, model: m },
    { price: m.underlying * (1 + c.move), daysForward: c.horizonDays, volShiftPoints: c.vixShiftPoints },
  );
}

/** Commissions for `quantity` units of the legs, dollars. */
function commissionOf(ctx: Ctx, legs: readonly HedgeLeg[], quantity: number): number {
  return legs.reduce((s, l) => s + Math.abs(l.ratio), 0) * quantity * ctx.commission;
}

/**
 * P/L in dollars per ticket unit of the legs in every grid cell, from the assumed fill (what you pay now), less
 * commissions to open. Linear in the quantity, so sizing scales this vector.
 */
function unitPnl(ctx: Ctx, legs: readonly HedgeLeg[]): Float64Array {
  const out = new Float64Array(ctx.path.length);
  const fee = commissionOf(ctx, legs, 1);
  ctx.path.forEach((c, i) => {
    let v = 0;
    for (const l of legs) v += l.ratio * (legValue(ctx, l, c) - l.fill);
    out[i] = v * MULT - fee;
  });
  return out;
}

// ───────────────────────── greeks ─────────────────────────

/** Dollar greeks of one contract of a leg (leg.ts); VIX legs in SPX-equivalent terms through the stress links. */
function legGreeks(ctx: Ctx, leg: HedgeLeg): PositionGreeks {
  if (leg.underlying === 'VIX') {
    if (leg.future === null) return zeroGreeks();
    // 1 SPX point moves spot VIX by vix0·beta/spot, the future by its term's share of that; 1 vol point ≈ 1 VIX point.
    const share = vixFutureShare(ctx.t, leg.years * 365);
    return vixLegGreeks({ ...leg, future: leg.future }, 1, MULT, {
      futurePerSpxPoint: (share * ctx.vix0 * ctx.t.vixBetaPerSpxPct) / ctx.spot,
      futurePerVolPoint: share,
    });
  }
  const m = ctx.models.get(leg.expiry);
  if (!m) return zeroGreeks();
  return legGreeksDollars({ kind: leg.kind, strike: leg.strike, model: m }, 1, MULT);
}

// ───────────────────────── legs from the chain ─────────────────────────

function rowAt(e: Expiry, strike: number): ChainRow | null {
  return e.rows.find((r) => Math.abs(r.strike - strike) < 1e-9) ?? null;
}

function spxLeg(
  ctx: Ctx,
  e: Expiry,
  underlying: string,
  kind: OptionKind,
  strike: number,
  ratio: number,
): HedgeLeg | null {
  const m = ctx.models.get(e.date);
  const row = rowAt(e, strike);
  const q = row ? row[kind] : null;
  if (!m || !q || q.bid === null || q.ask === null || !(q.ask > 0) || q.bid < 0 || q.bid > q.ask) return null;
  const root = e.root ?? underlying;
  let occ: string;
  try {
    occ = formatOcc({ root, expiry: e.date, kind, strike });
  } catch {
    return null;
  }
  return {
    underlying,
    root,
    expiry: e.date,
    kind,
    strike,
    ratio,
    occ,
    bid: q.bid,
    ask: q.ask,
    mid: 0.5 * q.bid + 0.5 * q.ask,
    vol: volAt(m.smile, strike),
    future: null,
    years: m.years,
    fill: fillPrice(ctx.fraction, q.bid, q.ask, ratio),
    openInterest: q.openInterest,
    volume: q.volume,
  };
}

/** The assumed fill of one contract: the mid moved `fraction` of the half-spread toward the natural price. */
function fillPrice(fraction: number, bid: number | null, ask: number | null, ratio: number): number {
  if (bid === null || ask === null) return (ratio > 0 ? ask : bid) ?? 0;
  const mid = 0.5 * bid + 0.5 * ask;
  const half = 0.5 * (ask - bid);
  return ratio > 0 ? mid + fraction * half : mid - fraction * half;
}

/** A leg with a new ratio (its fill follows the side). */
function withRatio(ctx: Ctx, leg: HedgeLeg, ratio: number): HedgeLeg {
  return { ...leg, ratio, fill: fillPrice(ctx.fraction, leg.bid, leg.ask, ratio) };
}

function vixLeg(ctx: Ctx, q: VixOptionQuote, ratio: number): HedgeLeg {
  return {
    underlying: 'VIX',
    root: q.root,
    expiry: q.expiry,
    kind: q.kind,
    strike: q.strike,
    ratio,
    occ: q.occ,
    bid: q.bid,
    ask: q.ask,
    mid: q.mid,
    vol: q.vol,
    future: q.future,
    years: q.years,
    fill: q.bid === null || q.ask === null ? q.mid : fillPrice(ctx.fraction, q.bid, q.ask, ratio),
    openInterest: q.openInterest,
    volume: q.volume,
  };
}

function prices(legs: readonly HedgeLeg[]): { mid: number; natural: number; fill: number } | null {
  let mid = 0;
  let natural = 0;
  let fill = 0;
  for (const l of legs) {
    mid += l.ratio * l.mid;
    fill += l.ratio * l.fill;
    const px = l.ratio > 0 ? l.ask : l.bid;
    if (px === null) return null;
    natural += l.ratio * px;
  }
  return { mid, natural, fill };
}

/** Per-leg liquidity against the rulebook: open interest, volume, spread width relative to the mid. */
function legLiquidity(t: Thresholds, legs: readonly HedgeLeg[]): ConstraintStatus['legs'] {
  const out: LegLiquidity[] = legs.map((l) => {
    const spread = l.bid !== null && l.ask !== null && l.mid > 0 ? (100 * (l.ask - l.bid)) / l.mid : null;
    const why: string[] = [];
    if (t.liquidityMinOpenInterest > 0 && l.openInterest !== null && l.openInterest < t.liquidityMinOpenInterest)
      why.push(`open interest ${l.openInterest} < ${t.liquidityMinOpenInterest} (liquidityMinOpenInterest)`);
    if (t.liquidityMinVolume > 0 && l.volume !== null && l.volume < t.liquidityMinVolume)
      why.push(`volume ${l.volume} < ${t.liquidityMinVolume} (liquidityMinVolume)`);
    if (spread === null || spread > t.liquidityMaxSpreadPctOfMid)
      why.push(
        spread === null
          ? 'no mid to judge the spread on'
          : `spread ${spread.toFixed(0)}% of the mid > ${t.liquidityMaxSpreadPctOfMid}% (liquidityMaxSpreadPctOfMid)`,
      );
    return {
      occ: l.occ,
      openInterest: l.openInterest,
      volume: l.volume,
      spreadPctOfMid: spread,
      ok: why.length === 0,
      reason: why.length ? `${l.occ.replace(/\s+/g, ' ')}: ${why.join(', ')}` : null,
    };
  });
  return { ok: out.every((l) => l.ok), legs: out };
}

/** Listed strikes of an expiry with two-sided markets on a side. */
function strikesOf(e: Expiry, kind: OptionKind): number[] {
  return e.rows
    .filter((r) => {
      const q = r[kind];
      return q && q.bid !== null && q.ask !== null && q.ask > 0 && q.bid >= 0 && q.bid <= q.ask;
    })
    .map((r) => r.strike);
}

function nearest(strikes: readonly number[], target: number, dir: 'atOrBelow' | 'atOrAbove' | 'any'): number | null {
  let best: number | null = null;
  for (const k of strikes) {
    if (dir === 'atOrBelow' && k > target + 1e-9) continue;
    if (dir === 'atOrAbove' && k < target - 1e-9) continue;
    if (best === null || Math.abs(k - target) < Math.abs(best - target)) best = k;
  }
  return best;
}

// ───────────────────────── evaluation of one candidate ─────────────────────────

interface Base {
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
}

function evaluate(p: {
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
}): HedgeTicket | null {
  const { base, legs, quantity } = p;
  const px = prices(legs);
  if (!px) return null;
  const ctx = base.ctx;
  const t = base.rulebook.thresholds;
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
  const commissionDollars = commissionOf(ctx, legs, quantity);
  const fillDollars = px.fill * quantity * MULT + commissionDollars;
  const marginDollars = Math.max(0, p.marginPerUnit * quantity - (p.releasedMarginDollars ?? 0));
  const debit = Math.max(fillDollars, 0);
  const account = base.account;
  const judged = account !== null;
  const bpLeft = judged ? account.buyingPowerDollars - fillDollars - marginDollars : 0;
  const marginNeeded = base.condor.maxLossDollars + marginDollars;
  const ratio = !judged ? 0 : marginNeeded > 0 ? bpLeft / marginNeeded : Number.MAX_SAFE_INTEGER;
  const costMax = Math.min(t.costMaxStdDevs * base.sigma, base.remainingProfit);
  let vxth: ConstraintStatus['vxth'] = null;
  if (p.secondEngine) {
    const pct =
      base.vixFuture === null
        ? 0
        : vxthAllocationPct({ schedule: base.rulebook.vxthSchedule, vixFuture: base.vixFuture });
    const cap = judged ? (pct / 100) * account.sizeDollars : 0;
    vxth = {
      judged,
      vixFuture: base.vixFuture,
      accountPct: pct,
      capDollars: cap,
      allocationDollars: debit + marginDollars,
      ok: !judged || debit + marginDollars <= cap + 1e-9,
    };
  }
  const constraints: ConstraintStatus = {
    liquidity: {
      judged,
      buyingPowerLeftDollars: bpLeft,
      marginNeededDollars: marginNeeded,
      ratio: finite(ratio, 0),
      min: t.liquidityRatioMin,
      ok: !judged || ratio >= t.liquidityRatioMin,
    },
    legs: legLiquidity(t, legs),
    cost: {
      costDollars: debit,
      sigmaDollars: base.sigma,
      remainingProfitDollars: base.remainingProfit,
      maxDollars: costMax,
      ok: debit <= costMax + 1e-9,
    },
    vxth,
  };
  const improvement = base.worstBefore - after.worst + (base.tailBefore - after.tail);
  const capital = Math.max(debit + marginDollars, 1);
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
    },
    constraints,
    score: finite(improvement / capital),
    why: { rules: p.rules, sentences: p.sentences },
    expiryVsCondorDays: Math.round(daysBetween(condorExpiry, hedgeExpiry)),
  };
}

function feasible(tk: HedgeTicket): boolean {
  const c = tk.constraints;
  return c.liquidity.ok && c.legs.ok && c.cost.ok && (c.vxth?.ok ?? true);
}

function money(x: number): string {
  return `$${Math.round(x).toLocaleString('en-US')}`;
}

function signedPct(move: number): string {
  const x = 100 * move;
  return `${x > 0 ? '+' : x < 0 ? '−' : '±'}${Math.abs(x).toFixed(1)}%`;
}

function fmtHorizon(days: number): string {
  return days <= 0 ? 'today' : `in ${Math.round(days)} day${Math.round(days) === 1 ? '' : 's'}`;
}

// ───────────────────────── the plan ─────────────────────────

export function planHedges(input: PlanInput): HedgePlan {
  const { analysis, chain, rulebook, account, now } = input;
  const t = rulebook.thresholds;
  const condor = input.condor === undefined ? analysis.condor : input.condor;
  const notes: string[] = [];
  const warnings: string[] = [];
  const rejected: HedgePlan['rejected'] = [];

  // VIX series and signals, with today's live value appended.
  const sightings: VixSighting[] = [...(input.vix.sightings ?? [])];
  if (input.vix.spot !== null && Number.isFinite(input.vix.spot) && input.vix.spot > 0) {
    sightings.push({ at: now.toISOString(), value: input.vix.spot, source: 'input' });
  }
  const merged = mergeSightings({ bars: input.vix.history, sightings });
  const bars = computeVixSignals({ points: merged.points, thresholds: t });
  const last = merged.points[merged.points.length - 1];
  const vix0 = input.vix.spot ?? last?.close ?? null;

  // VIX futures.
  const vixRate = input.vixRate ?? analysis.rateAssumed;
  const futures = input.vixChain ? impliedVixFutures({ chain: input.vixChain, now, rate: vixRate }) : [];
  const today = now.toISOString().slice(0, 10);
  const oneMonth = pickVixExpiry({ futures, today, targetDays: t.vixCallTargetDays });

  const emptyPlan = (stage: Stage, step: StepResult | null, why: string): HedgePlan => ({
    stage,
    transitions: step?.transitions ?? [],
    checks: step?.checks ?? [],
    urgency: step?.urgency ?? { level: 'normal', reasons: [] },
    vix: { spot: vix0, lastDate: last?.date ?? null, future: oneMonth, futures },
    baseline: { worstLossDollars: 0, tailLossDollars: 0, sigmaDollars: 0, remainingProfitDollars: 0 },
    combined: { worstLossDollars: 0, tailLossDollars: 0, costDollars: 0, greeks: zeroGreeks(), steps: [], cells: [] },
    warnings,
    tickets: [],
    rejected,
    notes: [...notes, why],
    disclaimer: DISCLAIMER,
  });

  const ci = analysis.chosenExpiry;
  const condorExpiry = ci === null ? null : analysis.expiries[ci];
  const condorModel = condorExpiry ? modelFor(condorExpiry, analysis.spot) : null;

  // Run the stage machine over history; the position is known only on the last bar.
  const runMachine = (position: PositionInputs | null): StepResult | null => {
    let state = initialStageState();
    let r: StepResult | null = null;
    bars.forEach((b, i) => {
      r = stepStage({
        state,
        bar: b,
        position: i === bars.length - 1 ? position : null,
        macroEvents: i === bars.length - 1 ? input.macroEvents : undefined,
        thresholds: t,
      });
      state = r.state;
    });
    return r;
  };

  if (!condor || !condorModel || !condorExpiry || vix0 === null || analysis.spot === null) {
    const step = runMachine(null);
    const why = !condor
      ? 'no condor: the stage is from the VIX signals alone and no hedge can be sized'
      : vix0 === null
        ? 'no VIX value (no history, no sighting, no spot): the stage cannot be judged'
        : 'the condor expiry has no forward or smile: hedges cannot be priced';
    return emptyPlan(step?.stage ?? 'calm', step, why);
  }

  // Models of every usable expiry of the underlying.
  const models = new Map<string, ExpiryModel>();
  for (const a of analysis.expiries) {
    const m = modelFor(a, analysis.spot);
    if (m) models.set(a.date, m);
  }
  const condorLegs: PositionLegs = {
    strikes: condor.strikes,
    quantity: condor.quantity,
    multiplier: condor.multiplier,
    credit: condor.creditUsed,
  };

  // Layer One's expiry: short-dated (≤ layerOneMaxDays), the one nearest min(layerOneMaxDays, condor days), never the
  // condor's own expiry (trading its strikes there would close part of the condor, not hedge it).
  const l1Expiries = [...models.entries()]
    .filter(
      ([date, m]) =>
        date !== condor.expiry &&
        m.years * 365 >= 1 &&
        m.years * 365 <= Math.max(t.layerOneMaxDays, condor.daysToExpiry) + 1e-9,
    )
    .map(([date]) => chain.expiries.find((e) => e.date === date))
    .filter((e): e is Expiry => !!e)
    .sort((a, b) => a.date.localeCompare(b.date));
  const target = Math.min(t.layerOneMaxDays, condor.daysToExpiry);
  const shorter = l1Expiries.reduce<Expiry | null>((best, e) => {
    const d = (models.get(e.date)?.years ?? 0) * 365;
    const bd = best ? (models.get(best.date)?.years ?? 0) * 365 : Infinity;
    return !best || Math.abs(d - target) < Math.abs(bd - target) ? e : best;
  }, null);
  // A page that lists only the condor's expiry (most brokers show one at a time): Layer One is priced there as a
  // last resort, on strikes that are none of the condor's own (trading those would close it), and says so — a
  // shorter-dated chain gives the real Layer One.
  const ownExpiry =
    shorter === null && models.has(condor.expiry)
      ? (chain.expiries.find((e) => e.date === condor.expiry) ?? null)
      : null;
  const l1 = shorter ?? ownExpiry;
  const l1Days = l1 ? (models.get(l1.date)?.years ?? 0) * 365 : null;

  // The stress grid: moves both ways × horizons, VIX continuous in the move; plus VIX reverting.
  const horizons = stressHorizons(t, condor.daysToExpiry, l1Days === null ? [] : [l1Days]);
  const fill = input.fill ?? {};
  const ctx: Ctx = {
    t,
    spot: analysis.spot,
    vix0,
    path: stressGrid(t, vix0, horizons),
    models,
    today,
    fraction: Math.min(Math.max(fill.spreadFraction ?? t.fillSpreadFraction, 0), 1),
    commission: Math.max(fill.commissionPerContractDollars ?? t.commissionPerContractDollars, 0),
  };
  const pathBefore = ctx.path.map((c) =>
    positionPnl({
      model: condorModel,
      legs: condorLegs,
      price: analysis.spot! * (1 + c.move),
      daysForward: c.horizonDays,
      volShiftPoints: c.vixShiftPoints,
    }),
  );
  const base0 = worstAndTail(pathBefore);
  const worstIdx = pathBefore.reduce((w, v, i) => (v < (pathBefore[w] as number) ? i : w), 0);
  const worstCell = ctx.path[worstIdx]!;

  // Which side is threatened: the side of the grid's worst loss for the unhedged condor (ties: the downside, where
  // VIX spikes); Layer One's structures are chosen for that side.
  const downside = worstCell.move <= 0;
  notes.push(
    `The unhedged condor's worst stress loss is ${money(base0.worst)} at ${signedPct(worstCell.move)} ${fmtHorizon(worstCell.horizonDays)} with VIX ${(vix0 + worstCell.vixShiftPoints).toFixed(1)}: the ${downside ? 'put' : 'call'} side is treated as threatened.`,
  );
  const sigma = pnlSigmaAtExpiry(condorModel, condor);
  const nowPnl = positionPnl({
    model: condorModel,
    legs: condorLegs,
    price: analysis.spot,
    daysForward: 0,
    volShiftPoints: 0,
  });
  const remainingProfit = Math.max(condor.maxProfitDollars - nowPnl, 0);
  const em = condor.expectedMove.fromAtmVol ?? condor.expectedMove.fromStraddle ?? 0;

  const position: PositionInputs = {
    underlying: analysis.spot,
    shortPutStrike: condor.strikes[1],
    shortCallStrike: condor.strikes[2],
    lowerBreakeven: condor.breakevenLower,
    upperBreakeven: condor.breakevenUpper,
    shortPutDelta: condor.legs[1]?.delta ?? 0,
    shortCallDelta: condor.legs[2]?.delta ?? 0,
    expectedMovePoints: em,
    daysToExpiry: condor.daysToExpiry,
    // The method's cost-of-capital drift on the loss side: the worst stress loss per dollar of credit taken in (it
    // grows as the condor loses, where a ratio to the remaining profit would shrink).
    stressLossPerRemainingProfit:
      condor.maxProfitDollars > 0 ? base0.worst / condor.maxProfitDollars : base0.worst > 0 ? 1e6 : 0,
  };
  const step = gateSecondEngine(runMachine(position) as StepResult, now);
  const stage = step.stage;
  const volStage = step.state.vol;

  const vixFuture = oneMonth?.future ?? null;
  if (!input.vixChain)
    notes.push('no VIX option chain: VIX hedges are not offered and the VXTH cap has no VIX future (cap 0%)');
  const base: Base = {
    ctx,
    condor,
    condorModel,
    condorLegs,
    pathBefore,
    worstBefore: base0.worst,
    tailBefore: base0.tail,
    greeks: condor.greeks,
    sigma,
    remainingProfit,
    account,
    rulebook,
    vixFuture,
  };

  const fired = step.checks.filter((c) => c.fired);
  const byId = (prefix: string) => step.checks.filter((c) => c.id.startsWith(prefix));
  const tickets: HedgeTicket[] = [];

  // Which side is threatened: the nearer short strike in expected moves; the mirror when the market rips.

  // ---- Layer One ----
  // In Unwind the hedges come off: new Layer One hedges are shown for reference only.
  const layerOneActive = (volStage !== 'calm' && volStage !== 'unwind') || stage === 'time-shift';
  const l1Rules = [...byId('spike').filter((c) => c.fired), ...byId('threat').filter((c) => c.fired)];
  const width = Math.max(condor.putWidth, condor.callWidth);
  const band = t.layerOneDeltaBandPerContract * condor.quantity * MULT;
  const maxQty = Math.max(1, Math.ceil(condor.quantity * t.hedgeMaxQuantityPerCondor));
  const symbol = chain.underlying.symbol;

  // Signal strength (DESIGN §3: Layer One "scaled by the signal strength (VIX RSI(14), advance–decline divergence)").
  const adRows: AdvanceDeclineRow[] | null = input.advanceDecline
    ? input.advanceDecline.map((r) => ({
        date: r.date,
        advances: r.advances,
        declines: r.declines,
        close: r.close ?? null,
      }))
    : null;
  const breadth = adRows ? breadthDivergence({ rows: adRows, thresholds: t, asOf: today }) : null;
  const strength = layerOneSignalStrength({ rsiLong: bars[bars.length - 1]?.rsiLong ?? null, breadth, thresholds: t });

  /**
   * Size a structure to a target reduction of the worst stress loss: the quantity (1…maxQ) whose reduction is
   * nearest the target (ties: the smaller), so the hedge scales with the position; then, if a constraint fails, the
   * largest smaller quantity that passes them all. `before`: the position it is added to (grid P/L).
   */
  const sizeTo = (
    unit: Float64Array,
    before: readonly number[],
    targetDollars: number,
    make: (q: number) => HedgeTicket | null,
    maxQ = maxQty,
  ): { best: HedgeTicket | null; reason: string; reached: boolean; quantity: number } => {
    const worstBefore = sideWorstOf(before);
    const after = new Float64Array(before.length);
    let pick = 0;
    let pickGap = Infinity;
    let reached = false;
    for (let q = 1; q <= maxQ; q++) {
      for (let i = 0; i < before.length; i++) after[i] = (before[i] as number) + q * (unit[i] as number);
      const red = worstBefore - sideWorstOf(after);
      if (!(red > 1e-6)) continue;
      const gap = Math.abs(red - targetDollars);
      if (gap < pickGap - 1e-6) {
        pick = q;
        pickGap = gap;
        reached = red >= targetDollars - 1e-6;
      }
      if (red >= targetDollars) break; // more only overshoots further
    }
    if (pick === 0) return { best: null, reason: 'no quantity reduced the worst stress loss', reached, quantity: 0 };
    let reason = '';
    for (let q = pick; q >= 1; q--) {
      const tk = make(q);
      if (!tk) return { best: null, reason: 'a leg has no two-sided market', reached, quantity: pick };
      if (feasible(tk) && sideWorstOf(tk.stress.cells.map((c) => c.afterDollars)) < worstBefore - 1e-6)
        return { best: tk, reason: '', reached: reached && q === pick, quantity: pick };
      if (!reason) reason = constraintReason(tk);
    }
    return { best: null, reason, reached, quantity: pick };
  };
  // The threatened side's worst loss: what the layers are sized on (a one-sided hedge cannot lower a worst loss the
  // other side shares — a symmetric condor loses its max on both — but it can take the side it hedges).
  const onSide = (i: number) => (downside ? ctx.path[i]!.move <= 0 : ctx.path[i]!.move >= 0);
  const sideWorstOf = (values: ArrayLike<number>): number => {
    let w = 0;
    for (let i = 0; i < values.length; i++) if (onSide(i)) w = Math.max(w, -(values[i] as number));
    return w;
  };
  const sideWorst = sideWorstOf(pathBefore);
  const l1FullTarget = t.layerOneLossCoverShare * sideWorst;
  const l1Target = l1FullTarget * strength.share;

  if (l1) {
    // On the condor's own expiry, none of its strikes (a trade there would close a leg, not hedge it).
    const own = (k: number) => ownExpiry !== null && condor.strikes.includes(k);
    const puts = strikesOf(l1, 'put').filter((k) => !own(k));
    const calls = strikesOf(l1, 'call').filter((k) => !own(k));
    const sentences = (what: string): string[] => [
      ownExpiry
        ? `${what} on ${l1.date}, the condor's own expiry: this chain lists no shorter-dated expiry, so Layer One is priced on the condor's expiry, on strikes that are none of the condor's own (trading those would close it, not hedge it). Open a shorter-dated chain (a weekly) for the short-dated Layer One the method calls for.`
        : `${what} on ${l1.date} (${Math.round(l1Days ?? 0)} days; the condor's expiry ${condor.expiry} is ${Math.round(condor.daysToExpiry)} days: it expires ${Math.abs(Math.round(daysBetween(condor.expiry, l1.date)))} days ${l1.date < condor.expiry ? 'before' : 'after'} the condor's, so the grid values it at its own expiry too). Layer One never trades the condor's own expiry when a shorter one is listed: its strikes there would close part of the condor, not hedge it.`,
      ...l1Rules.map((c) => c.sentence),
      `Position delta ${money(condor.greeks.deltaDollarsPerPoint)}/pt against a band of ±${money(band)}/pt (layerOneDeltaBandPerContract ${t.layerOneDeltaBandPerContract} × ${condor.quantity} condors).`,
    ];
    const tryStructure = (
      structure: Structure,
      build: () => { legs: (HedgeLeg | null)[]; margin: number; what: string } | null,
    ): void => {
      const b = build();
      if (!b) {
        rejected.push({ layer: 'layer-one', structure, reason: 'no listed strikes for it' });
        return;
      }
      if (b.legs.some((l) => l === null)) {
        rejected.push({ layer: 'layer-one', structure, reason: 'a leg has no two-sided market' });
        return;
      }
      const legs = b.legs as HedgeLeg[];
      const make = (q: number, extra: string[]) =>
        evaluate({
          base,
          layer: 'layer-one',
          structure,
          legs,
          quantity: q,
          marginPerUnit: b.margin,
          secondEngine: false,
          active: layerOneActive,
          rules: [...l1Rules, ...strength.checks],
          sentences: [...sentences(b.what), ...extra],
        });
      const unit = unitPnl(ctx, legs);
      // Selling more credit spreads than the condor holds would turn it into a net short position on that side.
      const maxQ =
        b.legs.length === 2 && b.margin > 0 && structure.endsWith('credit-spread') ? condor.quantity : maxQty;
      const sized = sizeTo(unit, pathBefore, l1Target, (q) => make(q, []), maxQ);
      if (!sized.best) {
        rejected.push({ layer: 'layer-one', structure, reason: sized.reason });
        return;
      }
      const q = sized.best.quantity;
      const full = sizeTo(unit, pathBefore, l1FullTarget, (k) => make(k, []), maxQ).best?.quantity ?? q;
      const sizeText = `Sized on the position: target ${money(l1Target)} off the worst stress loss = layerOneLossCoverShare ${t.layerOneLossCoverShare} × the ${downside ? 'downside' : 'upside'} worst loss ${money(sideWorst)} × signal share ${strength.share.toFixed(2)}; ${q} unit${q === 1 ? '' : 's'} come nearest it (${money(sideWorst - sideWorstOf(sized.best.stress.cells.map((c) => c.afterDollars)))} off the ${downside ? 'downside' : 'upside'}; tried up to ${maxQ} = ${maxQ === maxQty ? `hedgeMaxQuantityPerCondor × ${condor.quantity}` : `the condor's ${condor.quantity} for a credit spread`}, within the constraints); the full target (share 1) takes ${full}.`;
      const tk = make(q, [strength.sentence, sizeText]);
      if (!tk) {
        rejected.push({ layer: 'layer-one', structure, reason: 'a leg has no two-sided market' });
        return;
      }
      tk.sizing = { fullQuantity: full, share: strength.share, strength: strength.strength, targetDollars: l1Target };
      tickets.push(tk);
    };
    const sideKind: OptionKind = downside ? 'put' : 'call';
    const shortStrike = downside ? condor.strikes[1] : condor.strikes[2];
    const sideStrikes = downside ? puts : calls;
    const sgn = downside ? -1 : 1; // direction away from the money
    const longK = nearest(sideStrikes, shortStrike, downside ? 'atOrBelow' : 'atOrAbove');
    const farK = longK === null ? null : nearest(sideStrikes, longK + sgn * width, 'any');
    // debit spread at/beyond the threatened short strike
    tryStructure(downside ? 'put-debit-spread' : 'call-debit-spread', () =>
      longK === null || farK === null || farK === longK
        ? null
        : {
            legs: [spxLeg(ctx, l1, symbol, sideKind, longK, 1), spxLeg(ctx, l1, symbol, sideKind, farK, -1)],
            margin: 0,
            what: `${downside ? 'Put' : 'Call'} debit spread ${longK}/${farK} at/beyond the threatened short ${sideKind} ${shortStrike}`,
          },
    );
    // 1×2 backspread: sell 1 at/beyond the short strike, buy 2 one width further
    tryStructure(downside ? 'put-backspread-1x2' : 'call-backspread-1x2', () =>
      longK === null || farK === null || farK === longK
        ? null
        : {
            legs: [spxLeg(ctx, l1, symbol, sideKind, longK, -1), spxLeg(ctx, l1, symbol, sideKind, farK, 2)],
            margin: Math.abs(longK - farK) * MULT,
            what: `1×2 ${sideKind} backspread: sell 1 ${longK}, buy 2 ${farK}`,
          },
    );
    // credit spread beyond the opposite breakeven (collect premium, cut delta)
    const otherKind: OptionKind = downside ? 'call' : 'put';
    const otherStrikes = downside ? calls : puts;
    const be = downside ? condor.breakevenUpper : condor.breakevenLower;
    const shortO = nearest(otherStrikes, be, downside ? 'atOrAbove' : 'atOrBelow');
    const longO = shortO === null ? null : nearest(otherStrikes, shortO - sgn * width, 'any');
    tryStructure(downside ? 'call-credit-spread' : 'put-credit-spread', () =>
      shortO === null || longO === null || longO === shortO
        ? null
        : {
            legs: [spxLeg(ctx, l1, symbol, otherKind, shortO, -1), spxLeg(ctx, l1, symbol, otherKind, longO, 1)],
            margin: Math.abs(longO - shortO) * MULT,
            what: `${otherKind === 'call' ? 'Call' : 'Put'} credit spread ${shortO}/${longO} beyond the ${downside ? 'upper' : 'lower'} breakeven ${be.toFixed(2)}`,
          },
    );
  } else
    rejected.push({
      layer: 'layer-one',
      structure: 'put-debit-spread',
      reason: `no short-dated expiry with a smile other than the condor's own ${condor.expiry} (its strikes there would close part of the condor — that is a close, not a hedge)`,
    });

  // ---- Second Engine ----
  // It comes after Layer One: sized on the position Layer One leaves (its best active ticket, when one is active).
  const seActive = volStage === 'second-engine';
  const seRules = [...byId('momentum'), ...byId('secondEngine')];
  const l1Chosen = chooseStep(tickets.filter((x) => x.layer === 'layer-one' && x.active));
  const seBefore = l1Chosen ? l1Chosen.stress.cells.map((c) => c.afterDollars) : pathBefore;
  const seWT = worstAndTail(seBefore);
  const seBase: Base = {
    ...base,
    pathBefore: seBefore,
    worstBefore: seWT.worst,
    tailBefore: seWT.tail,
    greeks: l1Chosen ? l1Chosen.greeksAfter : base.greeks,
  };
  const seSideWorst = sideWorstOf(seBefore);
  const coverTarget = t.secondEngineStressCoverShare * seSideWorst;
  const stressCell = seBefore.reduce((w, v, i) => (onSide(i) && v < (seBefore[w] as number) ? i : w), 0);
  const vxthPct = vixFuture === null ? 0 : vxthAllocationPct({ schedule: rulebook.vxthSchedule, vixFuture });
  const seSentences = (what: string, vixHedge: boolean): string[] => [
    what,
    ...seRules.map((c) => c.sentence),
    `Sized to cover secondEngineStressCoverShare ${t.secondEngineStressCoverShare} of the ${downside ? 'downside' : 'upside'} worst stress loss ${money(seSideWorst)} ${l1Chosen ? 'left after Layer One' : 'of the unhedged condor'} (at ${signedPct(ctx.path[stressCell]?.move ?? 0)} ${fmtHorizon(ctx.path[stressCell]?.horizonDays ?? 0)}, VIX ${(ctx.path[stressCell]?.vixShiftPoints ?? 0) >= 0 ? '+' : '−'}${Math.abs(ctx.path[stressCell]?.vixShiftPoints ?? 0).toFixed(1)} pts).`,
    !vixHedge
      ? 'VXTH cap: not applied (an index option, not a VIX hedge).'
      : vixFuture === null
        ? 'VXTH cap: no VIX future (no VIX chain) → 0% of the account.'
        : account === null
          ? `VXTH cap: one-month VIX future ${vixFuture.toFixed(2)} → ${vxthPct}% of the account; not judged (no account figures given).`
          : `VXTH cap: one-month VIX future ${vixFuture.toFixed(2)} → ${vxthPct}% of the account (${money((vxthPct / 100) * account.sizeDollars)}).`,
  ];
  const sizeToCover = (legs: HedgeLeg[], structure: Structure, marginPerUnit: number, what: string): void => {
    const vixHedge = legs.some((l) => l.underlying === 'VIX');
    const unit = unitPnl(ctx, legs);
    const gainPerUnit = unit[stressCell] as number;
    if (!(gainPerUnit > 0)) {
      rejected.push({ layer: 'second-engine', structure, reason: 'it does not gain in the worst stress cell' });
      return;
    }
    const make = (q: number) =>
      evaluate({
        base: seBase,
        layer: 'second-engine',
        structure,
        legs,
        quantity: q,
        marginPerUnit,
        secondEngine: vixHedge,
        active: seActive,
        rules: seRules,
        sentences: seSentences(what, vixHedge),
        unit,
      });
    const cap = Math.min(Math.max(maxQty, Math.ceil(coverTarget / gainPerUnit)), 2000);
    const sized = sizeTo(unit, seBefore, coverTarget, make, cap);
    if (sized.best) tickets.push(sized.best);
    else rejected.push({ layer: 'second-engine', structure, reason: sized.reason });
  };
  if (input.vixChain && oneMonth && oneMonth.future !== null) {
    const qs = vixOptionQuotes({ chain: input.vixChain, expiry: oneMonth.expiry, futures, rate: vixRate });
    const call = vixCallNearDelta({ quotes: qs, targetDelta: t.vixCallTargetDelta });
    if (call) {
      sizeToCover(
        [vixLeg(ctx, call, 1)],
        'vix-call',
        0,
        `VIX ${call.strike} call ${call.expiry} (delta ${call.greeks.delta.toFixed(2)} ≈ vixCallTargetDelta ${t.vixCallTargetDelta}), Black-76 on the ${call.expiry} future ${call.future.toFixed(2)} (${oneMonth.method}), IV ${(call.vol * 100).toFixed(0)}%.`,
      );
      const upper = qs
        .filter((q) => q.kind === 'call' && q.strike > call.strike)
        .reduce<VixOptionQuote | null>((b, q) => {
          const want = call.strike + (call.strike - call.future > 0 ? call.strike - call.future : 5) * 2;
          return !b || Math.abs(q.strike - want) < Math.abs(b.strike - want) ? q : b;
        }, null);
      if (upper) {
        sizeToCover(
          [vixLeg(ctx, call, 1), vixLeg(ctx, upper, -1)],
          'vix-call-spread',
          0,
          `VIX ${call.strike}/${upper.strike} call spread ${call.expiry} on the future ${call.future.toFixed(2)}.`,
        );
      }
      const atm = qs
        .filter((q) => q.kind === 'call')
        .reduce<VixOptionQuote | null>(
          (b, q) => (!b || Math.abs(q.strike - q.future) < Math.abs(b.strike - b.future) ? q : b),
          null,
        );
      const atmPut = atm ? qs.find((q) => q.kind === 'put' && q.strike === atm.strike) : undefined;
      if (atm && atmPut) {
        const otm = Math.max(atm.strike - atm.future, 0);
        const margin = atmPut.mid * MULT + Math.max(0.2 * atm.future - otm, 0.1 * atm.strike) * MULT;
        sizeToCover(
          [vixLeg(ctx, atm, 1), vixLeg(ctx, atmPut, -1)],
          'synthetic-long-vix',
          margin,
          `Synthetic long VIX future: buy the ${atm.strike} call, sell the ${atm.strike} put (${atm.expiry}); the extrinsic values cancel, the position tracks the future ${atm.future.toFixed(2)}.`,
        );
      }
    } else rejected.push({ layer: 'second-engine', structure: 'vix-call', reason: 'no VIX call with a usable mid' });
  } else {
    rejected.push({
      layer: 'second-engine',
      structure: 'vix-call',
      reason: input.vixChain ? 'no VIX expiry with an implied future' : 'no VIX option chain given',
    });
  }
  // SPX long put on the ~one-month expiry, at about one expected move below the spot
  {
    const target30 = [...models.entries()].reduce<[string, ExpiryModel] | null>((b, e) => {
      const d = e[1].years * 365;
      return !b || Math.abs(d - t.vixCallTargetDays) < Math.abs(b[1].years * 365 - t.vixCallTargetDays) ? e : b;
    }, null);
    const e = target30 ? chain.expiries.find((x) => x.date === target30[0]) : undefined;
    if (e && target30) {
      const k = nearest(strikesOf(e, 'put'), Math.min(condor.strikes[1], analysis.spot - em), 'atOrBelow');
      const leg = k === null ? null : spxLeg(ctx, e, symbol, 'put', k, 1);
      if (leg)
        sizeToCover(
          [leg],
          'spx-long-put',
          0,
          `${symbol} ${k} put ${e.date}: long downside with the SPX smile; at or below the short put ${condor.strikes[1]} and one expected move (${em.toFixed(0)} pts) below spot.`,
        );
      else
        rejected.push({
          layer: 'second-engine',
          structure: 'spx-long-put',
          reason: 'no two-sided put near one expected move below spot',
        });
    }
  }

  // ---- Time-shift ----
  const tsActive = stage === 'time-shift';
  const tsRules = byId('timeShift');
  {
    const later = chain.expiries
      .filter(
        (e) =>
          models.has(e.date) &&
          e.date > condor.expiry &&
          models.get(e.date)!.years * 365 - condor.daysToExpiry >= t.timeShiftRollMinExtraDays,
      )
      .sort((a, b) => a.date.localeCompare(b.date))[0];
    const cur = chain.expiries.find((e) => e.date === condor.expiry);
    const kind: OptionKind = downside ? 'put' : 'call';
    const [kShort, kLong] = downside ? [condor.strikes[1], condor.strikes[0]] : [condor.strikes[2], condor.strikes[3]];
    if (later && cur) {
      const legs = [
        spxLeg(ctx, cur, symbol, kind, kShort, 1),
        spxLeg(ctx, cur, symbol, kind, kLong, -1),
        spxLeg(ctx, later, symbol, kind, kShort, -1),
        spxLeg(ctx, later, symbol, kind, kLong, 1),
      ];
      if (legs.every((l) => l !== null)) {
        const tk = evaluate({
          base,
          layer: 'time-shift',
          structure: 'roll-out',
          legs: legs as HedgeLeg[],
          quantity: condor.quantity,
          marginPerUnit: Math.abs(kShort - kLong) * MULT,
          releasedMarginDollars: Math.abs(kShort - kLong) * MULT * condor.quantity,
          secondEngine: false,
          active: tsActive,
          rules: tsRules,
          sentences: [
            `Roll the threatened ${kind} spread ${kShort}/${kLong} from ${condor.expiry} to ${later.date}, same strikes.`,
            ...tsRules.map((c) => c.sentence),
          ],
        });
        if (tk && tk.naturalPerUnit < 0 && feasible(tk)) tickets.push(tk);
        else
          rejected.push({
            layer: 'time-shift',
            structure: 'roll-out',
            reason: tk
              ? tk.naturalPerUnit >= 0
                ? `no credit: the roll costs ${tk.naturalPerUnit.toFixed(2)} at the natural price`
                : constraintReason(tk)
              : 'no market',
          });
      } else rejected.push({ layer: 'time-shift', structure: 'roll-out', reason: 'a leg has no two-sided market' });
    } else
      rejected.push({
        layer: 'time-shift',
        structure: 'roll-out',
        reason: `no later expiry at least ${t.timeShiftRollMinExtraDays} days after the condor's (timeShiftRollMinExtraDays)`,
      });
    // butterfly / broken wing: buy the spread on the other side of the short strike
    if (cur) {
      const sk = strikesOf(cur, kind);
      const w = Math.abs(kShort - kLong);
      for (const [structure, wing] of [
        ['butterfly-conversion', w],
        ['broken-wing-conversion', w / 2],
      ] as const) {
        const kUp = nearest(sk, kShort + (downside ? 1 : -1) * wing, 'any');
        if (kUp === null || kUp === kShort) continue;
        const legs = [spxLeg(ctx, cur, symbol, kind, kUp, 1), spxLeg(ctx, cur, symbol, kind, kShort, -1)];
        if (legs.some((l) => l === null)) continue;
        const tk = evaluate({
          base,
          layer: 'time-shift',
          structure,
          legs: legs as HedgeLeg[],
          quantity: condor.quantity,
          marginPerUnit: 0,
          secondEngine: false,
          active: tsActive,
          rules: tsRules,
          sentences: [
            `Turn the ${kind} spread ${kShort}/${kLong} into a ${structure === 'butterfly-conversion' ? 'butterfly' : 'broken-wing butterfly'} ${kUp}/${kShort}×2/${kLong}: buy ${kUp}, sell another ${kShort}; it profits if the underlying reverts toward ${kShort}.`,
            ...tsRules.map((c) => c.sentence),
          ],
        });
        if (tk && feasible(tk) && tk.stress.worstAfter <= tk.stress.worstBefore + 1e-6) tickets.push(tk);
        else
          rejected.push({
            layer: 'time-shift',
            structure,
            reason: tk ? (feasible(tk) ? 'it adds stress loss' : constraintReason(tk)) : 'no market',
          });
      }
    }
  }

  if (volStage === 'unwind') {
    notes.push(
      'Unwind: momentum has turned (' +
        byId('unwind')
          .map((c) => c.sentence.replace(/\.$/, ''))
          .join('; ') +
        '). Take profit on hedges layer by layer: the Second Engine first (VIX calls lose value fastest as VIX falls), then Layer One.',
    );
  }
  const unwindTickets = unwindHeld({
    held: input.heldHedges ?? [],
    base,
    chain,
    symbol,
    vixChain: input.vixChain ?? null,
    futures,
    vixRate,
    unwinding: volStage === 'unwind',
    stage,
    rules: byId('unwind'),
    rejected,
    notes,
  });

  if (stage === 'calm')
    notes.push('Calm: nothing to do. The tickets below show what each layer would use, priced now.');
  if (fired.length === 0) notes.push('No rule fired on the last bar.');

  // ---- The plan: Layer One, then the Second Engine, then Time-shift, applied in order ----
  const combinedPnl = pathBefore.slice();
  let combinedGreeks = base.greeks;
  let combinedCost = 0;
  const steps: PlanStep[] = [];
  const placed = new Map<string, number>(); // occ → signed contracts placed so far
  for (const layer of ['layer-one', 'second-engine', 'time-shift'] as const) {
    const pool = tickets.filter((x) => x.layer === layer && x.active);
    const chosen = layer === 'layer-one' ? l1Chosen : chooseStep(pool);
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
  const combined: HedgePlan['combined'] = {
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
  if (steps.length > 0)
    notes.push(
      `The plan: ${steps.map((x) => x.structure).join(' → ')}; worst stress loss ${money(base0.worst)} → ${money(combinedWT.worst)}, for ${money(combinedCost)} at the assumed fill.`,
    );

  // Order: the unwind closes first (in their layer order), then active layers, then by score.
  tickets.sort((a, b) => Number(b.active) - Number(a.active) || b.score - a.score);
  tickets.unshift(...unwindTickets);
  return {
    stage,
    transitions: step.transitions,
    checks: step.checks,
    urgency: step.urgency,
    vix: { spot: vix0, lastDate: last?.date ?? null, future: oneMonth, futures },
    baseline: {
      worstLossDollars: base0.worst,
      tailLossDollars: base0.tail,
      sigmaDollars: sigma,
      remainingProfitDollars: remainingProfit,
      worstCell: { move: worstCell.move, horizonDays: worstCell.horizonDays, vixShiftPoints: worstCell.vixShiftPoints },
    },
    combined,
    horizonsDays: horizons,
    warnings,
    tickets,
    rejected,
    notes,
    disclaimer: DISCLAIMER,
    signalStrength: strength,
  };
}

/** The step a layer places: the ticket that cuts the worst stress loss most (ties: the better score). */
function chooseStep(pool: readonly HedgeTicket[]): HedgeTicket | null {
  let best: HedgeTicket | null = null;
  for (const x of pool) {
    const red = x.stress.worstBefore - x.stress.worstAfter;
    const bestRed = best ? best.stress.worstBefore - best.stress.worstAfter : -Infinity;
    if (!best || red > bestRed + 1e-6 || (Math.abs(red - bestRed) <= 1e-6 && x.score > best.score)) best = x;
  }
  return best;
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/**
 * Unwind tickets: close the held hedges layer by layer — the Second Engine first (VIX calls lose value fastest as VIX
 * falls), then Layer One. Ticket k's "before" is the condor plus the hedges still held at that step (their P/L since
 * entry in each stress cell); "after" closes that layer at the assumed fill, which locks its P/L (fill − entry). Each ticket
 * lists the P/L on the hedge, (exit − entry) × quantity × 100, at the mid and at the natural price.
 */
function unwindHeld(p: {
  held: readonly HeldHedge[];
  base: Base;
  chain: Chain;
  symbol: string;
  vixChain: Chain | null;
  futures: VixFutureEstimate[];
  vixRate: number;
  unwinding: boolean;
  stage: Stage;
  rules: RuleCheck[];
  rejected: HedgePlan['rejected'];
  notes: string[];
}): HedgeTicket[] {
  const { held, base, rejected, notes } = p;
  if (held.length === 0) return [];
  const ctx = base.ctx;
  const t = base.rulebook.thresholds;
  if (!p.unwinding) {
    notes.push(
      `Held hedges (${held.length} leg${held.length === 1 ? '' : 's'}): kept — the stage is ${p.stage}, not Unwind; close tickets come when momentum turns.`,
    );
    return [];
  }
  type Priced = { h: HeldHedge; leg: HedgeLeg; layer: 'layer-one' | 'second-engine'; inferred: boolean };
  const priced: Priced[] = [];
  const unpriced = new Set<'layer-one' | 'second-engine'>();
  const layerOf = (h: HeldHedge): { layer: 'layer-one' | 'second-engine'; inferred: boolean } => {
    if (h.layer) return { layer: h.layer, inferred: false };
    if (h.underlying.toUpperCase() === 'VIX') return { layer: 'second-engine', inferred: true };
    const m = ctx.models.get(h.expiry);
    const days = m ? m.years * 365 : Infinity;
    return { layer: days > t.layerOneMaxDays ? 'second-engine' : 'layer-one', inferred: true };
  };
  for (const h of held) {
    const { layer, inferred } = layerOf(h);
    const label = `${h.underlying} ${h.strike} ${h.kind} ${h.expiry}`;
    const fail = (reason: string) => {
      rejected.push({ layer: 'unwind', structure: 'unwind', reason: `held ${label}: ${reason}` });
      unpriced.add(layer);
    };
    if (!Number.isInteger(h.quantity) || h.quantity === 0 || !Number.isFinite(h.entryPrice) || h.entryPrice < 0) {
      fail('quantity must be a whole number ≠ 0 and the entry price a number ≥ 0');
      continue;
    }
    let leg: HedgeLeg | null = null;
    if (h.underlying.toUpperCase() === 'VIX') {
      if (!p.vixChain) {
        fail('no VIX option chain to price it');
        continue;
      }
      const q = vixOptionQuotes({ chain: p.vixChain, expiry: h.expiry, futures: p.futures, rate: p.vixRate }).find(
        (x) =>
          x.kind === h.kind &&
          Math.abs(x.strike - h.strike) < 1e-9 &&
          (!h.root || x.root.toUpperCase() === h.root.toUpperCase()),
      );
      const natural = q ? (h.quantity > 0 ? q.bid : q.ask) : null;
      if (!q || natural === null) {
        fail('no usable VIX quote for it in the VIX chain');
        continue;
      }
      leg = vixLeg(ctx, q, -h.quantity);
    } else {
      const es = p.chain.expiries.filter(
        (e) => e.date === h.expiry && (!h.root || (e.root ?? p.symbol).toUpperCase() === h.root.toUpperCase()),
      );
      for (const e of es) {
        leg = spxLeg(ctx, e, p.symbol, h.kind, h.strike, -h.quantity);
        if (leg) break;
      }
      if (!leg) {
        fail('no two-sided quote for it in the chain (or its expiry has no smile)');
        continue;
      }
    }
    priced.push({ h, leg, layer, inferred });
  }
  const heldPnl = (x: Priced, c: StressScenario) => x.h.quantity * (legValue(ctx, x.leg, c) - x.h.entryPrice) * MULT;
  let remaining = priced.slice();
  const order = (['second-engine', 'layer-one'] as const).filter((l) => priced.some((x) => x.layer === l));
  const out: HedgeTicket[] = [];
  order.forEach((layer) => {
    const group = remaining.filter((x) => x.layer === layer);
    if (unpriced.has(layer)) {
      rejected.push({
        layer: 'unwind',
        structure: 'unwind',
        reason: `${layer}: a held leg cannot be priced, so the layer is not closed piecemeal (it could leave a naked short)`,
      });
      return;
    }
    const pathBefore = base.pathBefore.map((b, i) => b + remaining.reduce((s, x) => s + heldPnl(x, ctx.path[i]!), 0));
    const wt = worstAndTail(pathBefore);
    let greeks = base.greeks;
    for (const x of remaining) greeks = addGreeks(greeks, legGreeks(ctx, x.leg), x.h.quantity);
    const g = group.reduce((a, x) => gcd(a, Math.abs(x.h.quantity)), 0);
    const legs = group.map((x) => withRatio(ctx, x.leg, -x.h.quantity / g));
    const detailLegs = group.map((x) => {
      const exitNatural = (x.h.quantity > 0 ? x.leg.bid : x.leg.ask) as number;
      return {
        occ: x.leg.occ,
        quantity: x.h.quantity,
        entryPrice: x.h.entryPrice,
        exitMid: x.leg.mid,
        exitNatural,
        pnlMidDollars: (x.leg.mid - x.h.entryPrice) * x.h.quantity * MULT,
        pnlNaturalDollars: (exitNatural - x.h.entryPrice) * x.h.quantity * MULT,
      };
    });
    const detail: UnwindDetail = {
      layer,
      order: out.length + 1,
      legs: detailLegs,
      pnlMidDollars: detailLegs.reduce((s, l) => s + l.pnlMidDollars, 0),
      pnlNaturalDollars: detailLegs.reduce((s, l) => s + l.pnlNaturalDollars, 0),
    };
    const signed = (x: number) => `${x >= 0 ? '+' : '−'}${money(Math.abs(x))}`;
    const tk = evaluate({
      base: { ...base, pathBefore, worstBefore: wt.worst, tailBefore: wt.tail, greeks },
      layer: 'unwind',
      structure: 'unwind',
      legs,
      quantity: g,
      marginPerUnit: 0,
      secondEngine: false,
      active: true,
      rules: p.rules,
      sentences: [
        `Unwind step ${detail.order} of ${order.length}: close the ${layer === 'second-engine' ? 'Second Engine (first: VIX calls lose value fastest as VIX falls)' : 'Layer One (after the Second Engine)'} — ${group.length} held leg${group.length === 1 ? '' : 's'}.`,
        ...p.rules.map((c) => c.sentence),
        ...group.map((x, i) => {
          const d = detailLegs[i]!;
          return `${x.leg.occ.replace(/\s+/g, ' ')} ×${x.h.quantity > 0 ? '+' : ''}${x.h.quantity}${x.inferred ? ` (layer inferred: ${x.h.underlying.toUpperCase() === 'VIX' ? 'a VIX leg' : `expiry vs layerOneMaxDays ${t.layerOneMaxDays}`})` : ''}: entry ${x.h.entryPrice.toFixed(2)} → exit mid ${d.exitMid.toFixed(2)} (natural ${d.exitNatural.toFixed(2)}), P/L ${signed(d.pnlMidDollars)} (natural ${signed(d.pnlNaturalDollars)}).`;
        }),
        `P/L on the hedge: ${signed(detail.pnlMidDollars)} at the mid, ${signed(detail.pnlNaturalDollars)} at the natural price.`,
      ],
    });
    if (!tk) {
      rejected.push({ layer: 'unwind', structure: 'unwind', reason: `${layer}: no price to close at` });
      return;
    }
    tk.unwind = detail;
    out.push(tk);
    remaining = remaining.filter((x) => x.layer !== layer);
  });
  return out;
}

/**
 * The history is replayed from the VIX alone (the position is known only today), so a Second Engine entered on an
 * earlier bar skipped the position criterion. Today it is applied: if the stress loss per remaining profit is below
 * its threshold, the stage is Layer One, and a transition says why.
 */
function gateSecondEngine(step: StepResult, now: Date): StepResult {
  const stress = step.checks.find((c) => c.id === 'secondEngine.stress');
  if (step.state.vol !== 'second-engine' || !stress || stress.skipped || stress.fired) return step;
  const enteredToday = step.transitions.some((t) => t.to === 'second-engine');
  if (enteredToday) return step; // cannot happen (entry requires the check) but keep the machine's word
  const date = now.toISOString().slice(0, 10);
  const tr: Transition = {
    date,
    from: 'second-engine',
    to: 'layer-one',
    rules: [stress],
    sentence: `Second Engine → Layer One: the VIX signals held it, but today's position criterion is not met — ${stress.sentence}`,
  };
  const state = { ...step.state, vol: 'layer-one' as const, quietDays: 0 };
  return {
    ...step,
    state,
    stage: step.stage === 'time-shift' ? 'time-shift' : 'layer-one',
    transitions: [...step.transitions, tr],
  };
}

function constraintReason(tk: HedgeTicket): string {
  const c = tk.constraints;
  const out: string[] = [];
  if (c.liquidity.judged && !c.liquidity.ok)
    out.push(`quick ratio ${c.liquidity.ratio.toFixed(2)} < ${c.liquidity.min} (liquidityRatioMin)`);
  for (const l of c.legs.legs) if (!l.ok && l.reason) out.push(`leg liquidity: ${l.reason}`);
  if (!c.cost.ok)
    out.push(
      `cost ${money(c.cost.costDollars)} > ${money(c.cost.maxDollars)} (the smaller of costMaxStdDevs × σ ${money(c.cost.sigmaDollars)} and the condor's remaining profit ${money(c.cost.remainingProfitDollars)})`,
    );
  if (c.vxth && !c.vxth.ok)
    out.push(
      `VXTH cap: ${money(c.vxth.allocationDollars)} > ${money(c.vxth.capDollars)} (${c.vxth.accountPct}% of the account)`,
    );
  // Every constraint passed: the ticket was refused for its effect, and says so.
  return out.join('; ') || "it does not lower the threatened side's worst stress loss";
}

/**
 * Standard deviation of the unhedged condor's P/L at expiry (the horizon), lognormal at the ATM vol: the payoff
 * integrated on 241 points of z ∈ [−6, 6] with the normal density (trapezoid).
 */
export function pnlSigmaAtExpiry(model: ExpiryModel, condor: CondorRisk): number {
  const [k1, k2, k3, k4] = condor.strikes;
  const sd = model.smile.atmVol * Math.sqrt(model.years);
  const n = 241;
  let m1 = 0;
  let m2 = 0;
  let wsum = 0;
  const scale = condor.multiplier * condor.quantity;
  for (let i = 0; i < n; i++) {
    const z = -6 + (12 * i) / (n - 1);
    const w = Math.exp(-0.5 * z * z);
    const S = model.forward * Math.exp(-0.5 * sd * sd + sd * z);
    const value = Math.max(k2 - S, 0) - Math.max(k1 - S, 0) + Math.max(S - k3, 0) - Math.max(S - k4, 0);
    const pnl = (condor.creditUsed - value) * scale;
    m1 += w * pnl;
    m2 += w * pnl * pnl;
    wsum += w;
  }
  m1 /= wsum;
  m2 /= wsum;
  const v = Math.sqrt(Math.max(m2 - m1 * m1, 0));
  return Number.isFinite(v) ? v : 0;
}
