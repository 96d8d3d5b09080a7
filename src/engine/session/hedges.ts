/**
 * The hedges the trader has added, as part of the position: their legs valued under the same scenarios as the
 * condor (price move, vol shift, date), their greeks in dollars, and the whole position's risk.
 *
 * Conventions:
 * - Legs on the chain's underlying (SPX, SPY, …) are valued by src/engine/leg.ts on the model of their own expiry
 *   (the analysis expiry of the leg's date, via modelFor), the same way as the condor's legs.
 * - P/L of a leg = signed contracts × (value − entry price) × multiplier; the entry price is the natural price
 *   when the hedge was added (buy at the ask, sell at the bid).
 * - VIX legs are left out of SPX greeks, curves and grid (their value follows the VIX future, not the index); the
 *   position says so in its notes.
 */
import type { Chain } from '../../chain/types';
import { formatOcc } from '../../chain/occ';
import type { Leg, OptionLeg } from '../../positions/types';
import type { HedgeTicket } from '../alvh/plan';
import { modelFor } from '../analyze';
import { addGreeks, legGreeks, legValue as valueLeg, zeroGreeks } from '../leg';
import { volAt } from '../smile';
import type { ChainAnalysis, ExpiryModel, PnlCurve, PositionGreeks, ScenarioGrid } from '../types';

export interface HedgePositionLeg {
  underlying: string;
  root: string;
  kind: 'call' | 'put';
  strike: number;
  /** YYYY-MM-DD. */
  expiry: string;
  /** Contracts, signed: + long, − short. */
  quantity: number;
  /** Natural price per share when added (buy at the ask, sell at the bid; the mid when a side was missing). */
  entryPrice: number;
}

export interface PositionHedge {
  id: string;
  /** The ticket it came from, and what it is ("Put debit spread × 2"). */
  ticketId: string;
  structure: string;
  quantity: number;
  legs: HedgePositionLeg[];
  addedAt: string;
}

/** The condor with the hedges: what the summary shows when hedges were added. */
export interface PositionRisk {
  hedgeCount: number;
  greeks: PositionGreeks;
  /** Greeks of the hedges alone (SPX legs only). */
  hedgeGreeks: PositionGreeks;
  /** What the priced hedge legs cost at entry (positive: paid), dollars. */
  hedgeEntryDollars: number;
  /** Their value now on the model, dollars (signed like the legs). */
  hedgeValueDollars: number;
  /** Worst and best P/L of condor + hedges at the condor's expiry, dollars (max loss as a positive number). */
  maxLossDollars: number;
  maxProfitDollars: number;
  /** Legs left out, and why. */
  notes: string[];
}

export const VIX_NOTE = 'VIX legs are left out of the SPX greeks, payoff and scenarios: they follow the VIX future';

/** Natural price per share of one leg: buy at the ask, sell at the bid; the mid when that side is missing. */
function naturalPrice(l: HedgeTicket['legs'][number], buy: boolean): number {
  const side = buy ? l.ask : l.bid;
  return side !== null && Number.isFinite(side) && side >= 0 ? side : l.mid;
}

/** What adding a ticket as a hedge reads of it: the frame sends back the ticket it was shown (worker/frameState.ts). */
export type HedgeOrder = Pick<HedgeTicket, 'id' | 'structure' | 'quantity' | 'legs'>;

export function hedgeFromTicket(ticket: HedgeOrder, id: string, addedAt: Date): PositionHedge {
  return {
    id,
    ticketId: ticket.id,
    structure: ticket.structure,
    quantity: ticket.quantity,
    addedAt: addedAt.toISOString(),
    legs: ticket.legs.map((l) => {
      const quantity = l.ratio * ticket.quantity;
      return {
        underlying: l.underlying,
        root: l.root,
        kind: l.kind,
        strike: l.strike,
        expiry: l.expiry,
        quantity,
        entryPrice: naturalPrice(l, quantity > 0),
      };
    }),
  };
}

/**
 * A hedge's legs as journal fills (positions/types OptionLeg): `sign` +1 for the trade that opened them, −1 for
 * the one that closes them; `prices` per leg (default: the entry prices).
 */
export function hedgeFills(
  hedge: PositionHedge,
  multiplier: number,
  sign: 1 | -1 = 1,
  prices: readonly number[] = hedge.legs.map((l) => l.entryPrice),
): OptionLeg[] {
  return hedge.legs.map((l, i) => {
    let occ: string;
    try {
      occ = formatOcc({ root: l.root, expiry: l.expiry, kind: l.kind, strike: l.strike });
    } catch {
      occ = `${l.root} ${l.expiry} ${l.strike} ${l.kind}`; // a root OCC cannot write: still one key per contract
    }
    return {
      asset: 'option',
      occ,
      underlying: l.underlying,
      root: l.root,
      expiry: l.expiry,
      strike: l.strike,
      kind: l.kind,
      quantity: sign * l.quantity,
      openPrice: prices[i]!,
      multiplier,
    };
  });
}

/** The quote of an option leg on the chain (its expiry and root, strike and side), or null when not listed. */
function quoteOf(
  chain: Chain,
  l: { underlying: string; root: string; expiry: string; strike: number; kind: 'call' | 'put' },
) {
  const exp =
    chain.expiries.find((e) => e.date === l.expiry && (e.root ?? l.root) === l.root) ??
    (chain.underlying.symbol === l.underlying ? chain.expiries.find((e) => e.date === l.expiry) : undefined);
  return exp?.rows.find((r) => r.strike === l.strike)?.[l.kind] ?? null;
}

/** A leg's mid on the chain, or null without a two-sided quote: the mark of the journal's open lots. */
export function chainMid(chain: Chain, leg: Leg): number | null {
  if (leg.asset !== 'option') return null;
  const q = quoteOf(chain, leg);
  return q && q.bid !== null && q.ask !== null && q.bid >= 0 && q.ask >= q.bid ? (q.bid + q.ask) / 2 : null;
}

/**
 * The natural price per share to close each of a hedge's legs on this chain: a long leg is sold at the bid, a short
 * one bought at the ask, the mid where that side is missing; null for a leg the chain does not quote.
 */
export function closingPrices(hedge: PositionHedge, chain: Chain): (number | null)[] {
  return hedge.legs.map((l) => {
    const q = quoteOf(chain, l);
    if (!q) return null;
    const side = l.quantity > 0 ? q.bid : q.ask;
    if (side !== null && Number.isFinite(side) && side >= 0) return side;
    return q.bid !== null && q.ask !== null ? (q.bid + q.ask) / 2 : null;
  });
}

const isVix = (l: HedgePositionLeg) => l.underlying.toUpperCase() === 'VIX' || /^VIX/i.test(l.root);

/** An SPX (chain-underlying) leg with the model of its own expiry. */
export interface PricedLeg {
  leg: HedgePositionLeg;
  model: ExpiryModel;
  /** Smile vol at the strike. */
  vol: number;
}

/** The hedge legs that can be valued on this chain's analysis, and notes for the others. */
export function priceableLegs(
  hedges: readonly PositionHedge[],
  analysis: ChainAnalysis,
): { legs: PricedLeg[]; notes: string[] } {
  const legs: PricedLeg[] = [];
  const notes: string[] = [];
  let vix = false;
  const models = new Map<string, ExpiryModel | null>();
  for (const h of hedges) {
    for (const leg of h.legs) {
      if (isVix(leg)) {
        vix = true;
        continue;
      }
      if (leg.underlying !== analysis.symbol) {
        notes.push(`${leg.underlying} ${leg.strike} ${leg.kind} left out: this page shows ${analysis.symbol}`);
        continue;
      }
      const key = `${leg.expiry}|${leg.root}`;
      if (!models.has(key)) {
        const e =
          analysis.expiries.find((x) => x.date === leg.expiry && (x.root ?? leg.underlying) === leg.root) ??
          analysis.expiries.find((x) => x.date === leg.expiry);
        models.set(key, e ? modelFor(e, analysis.spot) : null);
      }
      const model = models.get(key) ?? null;
      if (!model) {
        notes.push(`${leg.strike} ${leg.kind} ${leg.expiry} left out: no smile for that expiry on this page`);
        continue;
      }
      legs.push({ leg, model, vol: volAt(model.smile, leg.strike) });
    }
  }
  if (vix) notes.unshift(VIX_NOTE);
  return { legs, notes };
}

/** Value per share of one leg with the underlying at `price`, `daysForward` days on, nominal vol shift in points. */
export function legValue(p: PricedLeg, price: number, daysForward: number, volShiftPoints: number): number {
  return valueLeg(
    { kind: p.leg.kind, strike: p.leg.strike, model: p.model, vol: p.vol },
    { price, daysForward, volShiftPoints },
  );
}

/** P/L in dollars of the priced hedge legs at one scenario. */
export function hedgePnl(
  legs: readonly PricedLeg[],
  multiplier: number,
  price: number,
  daysForward: number,
  volShiftPoints: number,
): number {
  let sum = 0;
  for (const p of legs)
    sum += p.leg.quantity * (legValue(p, price, daysForward, volShiftPoints) - p.leg.entryPrice) * multiplier;
  return sum;
}

/** The hedges' P/L added to a condor curve (same prices, date and vol shift). */
export function addToCurve(curve: PnlCurve, legs: readonly PricedLeg[], multiplier: number): PnlCurve {
  if (legs.length === 0) return curve;
  return {
    ...curve,
    pnlDollars: curve.pnlDollars.map(
      (v, i) => v + hedgePnl(legs, multiplier, curve.prices[i]!, curve.daysForward, curve.volShiftPoints),
    ),
  };
}

/** The hedges' P/L added to every cell of the scenario grid (moves of the spot, the grid's vol shifts and date). */
export function addToGrid(
  grid: ScenarioGrid,
  legs: readonly PricedLeg[],
  multiplier: number,
  spot: number,
): ScenarioGrid {
  if (legs.length === 0) return grid;
  return {
    ...grid,
    pnlDollars: grid.pnlDollars.map((row, i) =>
      row.map(
        (v, j) =>
          v + hedgePnl(legs, multiplier, spot * (1 + grid.moves[j]!), grid.daysForward, grid.volShiftsPoints[i] ?? 0),
      ),
    ),
  };
}

/** Greeks in dollars of the priced legs (delta/pt, gamma/pt, vega/vol pt, theta/day). */
export function hedgeGreeks(legs: readonly PricedLeg[], multiplier: number): PositionGreeks {
  let out = zeroGreeks();
  for (const p of legs)
    out = addGreeks(
      out,
      legGreeks({ kind: p.leg.kind, strike: p.leg.strike, model: p.model, vol: p.vol }, p.leg.quantity, multiplier),
    );
  return out;
}

/**
 * The whole position's risk. Max loss and max profit are the extremes of condor + hedges at the condor's expiry,
 * searched on a fine price grid from 1% to 300% of the spot that includes every strike (where a payoff bends).
 */
export function positionRisk({
  analysis,
  hedges,
  condorPnlAt,
}: {
  analysis: ChainAnalysis;
  hedges: readonly PositionHedge[];
  /** The condor's P/L at its expiry at an underlying price, dollars. */
  condorPnlAt: (price: number) => number;
}): PositionRisk | null {
  const risk = analysis.condor;
  if (!risk || hedges.length === 0) return null;
  const { legs, notes } = priceableLegs(hedges, analysis);
  const mult = analysis.multiplier;
  const hg = hedgeGreeks(legs, mult);
  const spot = analysis.spot ?? risk.strikes[1];
  const prices = new Set<number>();
  for (let i = 0; i <= 600; i++) prices.add(spot * (0.01 + (2.99 * i) / 600));
  for (const k of risk.strikes) prices.add(k);
  for (const p of legs) prices.add(p.leg.strike);
  let lo = Number.POSITIVE_INFINITY,
    hi = Number.NEGATIVE_INFINITY;
  for (const s of prices) {
    const v = condorPnlAt(s) + hedgePnl(legs, mult, s, risk.daysToExpiry, 0);
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  let entry = 0,
    value = 0;
  for (const p of legs) {
    entry += p.leg.quantity * p.leg.entryPrice * mult;
    value += p.leg.quantity * legValue(p, spot, 0, 0) * mult;
  }
  return {
    hedgeCount: hedges.length,
    greeks: addGreeks(risk.greeks, hg),
    hedgeGreeks: hg,
    hedgeEntryDollars: entry,
    hedgeValueDollars: value,
    maxLossDollars: Math.max(-lo, 0),
    maxProfitDollars: Math.max(hi, 0),
    notes,
  };
}
