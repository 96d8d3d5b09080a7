/**
 * The constraints on a ticket, at the plan's one assumed fill: the method's quick ratio (judged only on the trader's
 * account figures), per-leg liquidity, the cost rule (one standard deviation of the condor's P/L, never more than
 * the trade can still make) and the VXTH cap on VIX hedges; and the sentence that names what failed.
 */
import type { CondorRisk, ExpiryModel } from '../../types';
import { vxthAllocationPct, type Thresholds } from '../rulebook';
import type { Base } from './base';
import { money } from './format';
import type { ConstraintStatus, HedgeLeg, HedgeTicket, LegLiquidity } from './types';
import { finite } from './value';

/** Per-leg liquidity against the rulebook: open interest, volume, spread width relative to the mid. */
export function legLiquidity(t: Thresholds, legs: readonly HedgeLeg[]): ConstraintStatus['legs'] {
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

/**
 * What the constraints of a structure read that its quantity does not change: the legs' liquidity, the cost bound
 * and the VXTH allocation share. Sizing works it out once and judges every quantity it tries on it (constraintsAt).
 */
export interface FixedConstraints {
  base: Base;
  legs: ConstraintStatus['legs'];
  costMax: number;
  /** Whether the VXTH cap applies (a VIX hedge). */
  vixHedge: boolean;
  /**
   * The VXTH cap's share of the account, % (0 when it does not apply): always a number, so the objects keep one shape
   * (a field that is null on some and a number on others sends the compiled code back to the interpreter).
   */
  vxthPct: number;
}

export function fixedConstraints(p: { base: Base; legs: readonly HedgeLeg[]; vixHedge: boolean }): FixedConstraints {
  const { base } = p;
  const t = base.rulebook.thresholds;
  const vxthPct =
    !p.vixHedge || base.vixFuture === null
      ? 0
      : vxthAllocationPct({ schedule: base.rulebook.vxthSchedule, vixFuture: base.vixFuture });
  return {
    base,
    legs: legLiquidity(t, p.legs),
    costMax: Math.min(t.costMaxStdDevs * base.sigma, base.remainingProfit),
    vixHedge: p.vixHedge,
    vxthPct,
  };
}

/**
 * The constraints of a structure (fixedConstraints) costing `fillDollars` (at the assumed fill, with commissions;
 * positive = you pay) and needing `marginDollars`, added to the base position.
 */
export function constraintsAt(f: FixedConstraints, fillDollars: number, marginDollars: number): ConstraintStatus {
  const { base, costMax } = f;
  const t = base.rulebook.thresholds;
  const debit = Math.max(fillDollars, 0);
  const account = base.account;
  const judged = account !== null;
  const bpLeft = judged ? account.buyingPowerDollars - fillDollars - marginDollars : 0;
  const marginNeeded = base.condor.maxLossDollars + marginDollars;
  const ratio = !judged ? 0 : marginNeeded > 0 ? bpLeft / marginNeeded : Number.MAX_SAFE_INTEGER;
  let vxth: ConstraintStatus['vxth'] = null;
  if (f.vixHedge) {
    const pct = f.vxthPct;
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
  return {
    liquidity: {
      judged,
      buyingPowerLeftDollars: bpLeft,
      marginNeededDollars: marginNeeded,
      ratio: finite(ratio, 0),
      min: t.liquidityRatioMin,
      ok: !judged || ratio >= t.liquidityRatioMin,
    },
    legs: f.legs,
    cost: {
      costDollars: debit,
      sigmaDollars: base.sigma,
      remainingProfitDollars: base.remainingProfit,
      maxDollars: costMax,
      ok: debit <= costMax + 1e-9,
    },
    vxth,
  };
}

export function feasible(tk: HedgeTicket): boolean {
  return constraintsPass(tk.constraints);
}

export function constraintsPass(c: ConstraintStatus): boolean {
  return c.liquidity.ok && c.legs.ok && c.cost.ok && (c.vxth?.ok ?? true);
}

export function constraintReason(tk: HedgeTicket): string {
  return constraintsReason(tk.constraints);
}

export function constraintsReason(c: ConstraintStatus): string {
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

/** The nodes of pnlSigmaAtExpiry's grid in z (−6…6) and their normal weights, the same numbers on every call. */
const SIGMA_NODES = 241;
const SIGMA_WEIGHTS = Float64Array.from({ length: SIGMA_NODES }, (_, i) => {
  const z = -6 + (12 * i) / (SIGMA_NODES - 1);
  return Math.exp(-0.5 * z * z);
});

/**
 * Standard deviation of the unhedged condor's P/L at expiry (the horizon), lognormal at the ATM vol: the payoff
 * integrated on 241 points of z ∈ [−6, 6] with the normal density (trapezoid).
 */
export function pnlSigmaAtExpiry(model: ExpiryModel, condor: CondorRisk): number {
  const [k1, k2, k3, k4] = condor.strikes;
  const sd = model.smile.atmVol * Math.sqrt(model.years);
  const n = SIGMA_NODES;
  let m1 = 0;
  let m2 = 0;
  let wsum = 0;
  const scale = condor.multiplier * condor.quantity;
  for (let i = 0; i < n; i++) {
    const z = -6 + (12 * i) / (n - 1);
    const w = SIGMA_WEIGHTS[i]!;
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
