/**
 * Unwind tickets: close the held hedges layer by layer — the Second Engine first (VIX calls lose value fastest as VIX
 * falls), then Layer One. Ticket k's "before" is the condor plus the hedges still held at that step (their P/L since
 * entry in each stress cell); "after" closes that layer at the assumed fill, which locks its P/L (fill − entry). Each
 * ticket lists the P/L on the hedge, (exit − entry) × quantity × 100, at the mid and at the natural price.
 */
import type { Chain } from '../../../chain/types';
import { addGreeks } from '../../leg';
import type { RuleCheck, Stage } from '../stages';
import { vixOptionQuote, type VixFutureEstimate } from '../vixOptions';
import type { Base } from './base';
import { evaluate } from './evaluate';
import { signedMoney } from './format';
import { spxLeg, vixLeg, withRatio } from './legs';
import { worstAndTail } from './stress';
import type { HedgeLeg, HedgePlan, HedgeTicket, HeldHedge, UnwindDetail } from './types';
import { legCellValues, legGreeks, MULT } from './value';

type HedgeLayer = 'layer-one' | 'second-engine';
interface Priced {
  h: HeldHedge;
  leg: HedgeLeg;
  layer: HedgeLayer;
  inferred: boolean;
}

interface UnwindInput {
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
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/** The held legs priced on the chains (each as the leg that closes it); `unpriced`: layers with a leg that is not. */
function priceHeld(p: UnwindInput): { priced: Priced[]; unpriced: Set<HedgeLayer> } {
  const ctx = p.base.ctx;
  const t = p.base.rulebook.thresholds;
  const priced: Priced[] = [];
  const unpriced = new Set<HedgeLayer>();
  const layerOf = (h: HeldHedge): { layer: HedgeLayer; inferred: boolean } => {
    if (h.layer) return { layer: h.layer, inferred: false };
    if (h.underlying.toUpperCase() === 'VIX') return { layer: 'second-engine', inferred: true };
    const m = ctx.models.get(h.expiry);
    const days = m ? m.years * 365 : Infinity;
    return { layer: days > t.layerOneMaxDays ? 'second-engine' : 'layer-one', inferred: true };
  };
  for (const h of p.held) {
    const { layer, inferred } = layerOf(h);
    const label = `${h.underlying} ${h.strike} ${h.kind} ${h.expiry}`;
    const fail = (reason: string) => {
      p.rejected.push({ layer: 'unwind', structure: 'unwind', reason: `held ${label}: ${reason}` });
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
      const quote = vixOptionQuote({
        chain: p.vixChain,
        expiry: h.expiry,
        futures: p.futures,
        rate: p.vixRate,
        kind: h.kind,
        strike: h.strike,
      });
      const q = quote && (!h.root || quote.root.toUpperCase() === h.root.toUpperCase()) ? quote : null;
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
  return { priced, unpriced };
}

/** The ticket that closes one layer's held legs, measured on the condor plus every hedge still held. */
function closeLayer(
  p: UnwindInput,
  layer: HedgeLayer,
  remaining: readonly Priced[],
  place: { order: number; of: number },
): HedgeTicket | null {
  const { base } = p;
  const ctx = base.ctx;
  const t = base.rulebook.thresholds;
  const group = remaining.filter((x) => x.layer === layer);
  // Each held leg's P/L since entry in every cell (its values kept per plan: both layers' tickets read them).
  const values = remaining.map((x) => legCellValues(ctx, x.leg));
  const pathBefore = base.pathBefore.map((b, i) => {
    let s = 0;
    for (let j = 0; j < remaining.length; j++) {
      const x = remaining[j]!;
      s += x.h.quantity * (values[j]![i]! - x.h.entryPrice) * MULT;
    }
    return b + s;
  });
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
    order: place.order,
    legs: detailLegs,
    pnlMidDollars: detailLegs.reduce((s, l) => s + l.pnlMidDollars, 0),
    pnlNaturalDollars: detailLegs.reduce((s, l) => s + l.pnlNaturalDollars, 0),
  };
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
      `Unwind step ${detail.order} of ${place.of}: close the ${layer === 'second-engine' ? 'Second Engine (first: VIX calls lose value fastest as VIX falls)' : 'Layer One (after the Second Engine)'} — ${group.length} held leg${group.length === 1 ? '' : 's'}.`,
      ...p.rules.map((c) => c.sentence),
      ...group.map((x, i) => {
        const d = detailLegs[i]!;
        return `${x.leg.occ.replace(/\s+/g, ' ')} ×${x.h.quantity > 0 ? '+' : ''}${x.h.quantity}${x.inferred ? ` (layer inferred: ${x.h.underlying.toUpperCase() === 'VIX' ? 'a VIX leg' : `expiry vs layerOneMaxDays ${t.layerOneMaxDays}`})` : ''}: entry ${x.h.entryPrice.toFixed(2)} → exit mid ${d.exitMid.toFixed(2)} (natural ${d.exitNatural.toFixed(2)}), P/L ${signedMoney(d.pnlMidDollars)} (natural ${signedMoney(d.pnlNaturalDollars)}).`;
      }),
      `P/L on the hedge: ${signedMoney(detail.pnlMidDollars)} at the mid, ${signedMoney(detail.pnlNaturalDollars)} at the natural price.`,
    ],
  });
  if (tk) tk.unwind = detail;
  return tk;
}

export function unwindHeld(p: UnwindInput): HedgeTicket[] {
  const { held, rejected, notes } = p;
  if (held.length === 0) return [];
  if (!p.unwinding) {
    notes.push(
      `Held hedges (${held.length} leg${held.length === 1 ? '' : 's'}): kept — the stage is ${p.stage}, not Unwind; close tickets come when momentum turns.`,
    );
    return [];
  }
  const { priced, unpriced } = priceHeld(p);
  let remaining = priced.slice();
  const order = (['second-engine', 'layer-one'] as const).filter((l) => priced.some((x) => x.layer === l));
  const out: HedgeTicket[] = [];
  order.forEach((layer) => {
    if (unpriced.has(layer)) {
      rejected.push({
        layer: 'unwind',
        structure: 'unwind',
        reason: `${layer}: a held leg cannot be priced, so the layer is not closed piecemeal (it could leave a naked short)`,
      });
      return;
    }
    const tk = closeLayer(p, layer, remaining, { order: out.length + 1, of: order.length });
    if (!tk) {
      rejected.push({ layer: 'unwind', structure: 'unwind', reason: `${layer}: no price to close at` });
      return;
    }
    out.push(tk);
    remaining = remaining.filter((x) => x.layer !== layer);
  });
  return out;
}
