/**
 * The book: every stored position valued together. Dollar greeks per position and combined, delta beta-weighted to
 * SPX, P/L by position, and one stress grid across underlyings (an SPX move of x% moves each underlying by β·x%).
 * Pure; each option leg is valued by leg.ts (the one leg valuation), never by a formula of its own.
 *
 * Conventions:
 * - Greeks in dollars as in leg.ts: delta and gamma per point of the leg's own underlying, vega per vol point,
 *   theta per calendar day. Shares and futures: delta = quantity × multiplier, nothing else.
 * - Beta-weighted delta: the position's dollar delta (delta per point × its underlying's price) times β, stated per
 *   1% move of SPX: Σ Δ·S·β / 100. β is the trader's (a stated default per symbol, editable); an underlying without
 *   one is left out of the weighted figure and named in `notes`.
 * - P/L open: signed contracts × (value now − open price) × multiplier, the value on the model (leg.ts at the
 *   current price, no vol shift), so the stress grid's 0% column is 0 and P/L uses the same valuation as the grid.
 * - Stress: each underlying at S·(1 + β·x), same day, same vols (sticky strike, leg.ts).
 */
import type { Leg, OptionLeg } from '../positions/types';
import { addGreeks, legGreeks, legValue, zeroGreeks, type ModelLeg } from './leg';
import type { ExpiryModel, PositionGreeks, Smile } from './types';

/** What a stored position kept of each option leg's market when last seen (storage's LegMark, by contract). */
export interface LegModelMark {
  contract: string;
  /** Smile vol at the strike, fraction. */
  vol: number;
  years: number;
  rate: number;
  carry: number;
}

/**
 * A smile of one vol: what a leg valued from its stored mark carries. leg.ts reads the leg's own vol (given), so the
 * smile only completes the model's shape.
 */
function flatSmile(vol: number, years: number, forward: number): Smile {
  const w = vol * vol * years;
  return {
    method: 'flat',
    forward,
    years,
    svi: null,
    knotK: [0],
    knotW: [w],
    kMin: 0,
    kMax: 0,
    wAtMin: w,
    wAtMax: w,
    slopeLeft: 0,
    slopeRight: 0,
    atmVol: vol,
    rmsErrorVol: 0,
    pointsUsed: 0,
    minDensityG: 1,
    butterflyFree: true,
    reason: 'stored mark',
  };
}

/**
 * The market of a position away from the page: its underlying at `spot` and each option leg on the model kept with
 * it (years to expiry, rate, carry, its vol) as of when it was seen. Legs without a kept mark are not valued.
 */
export function marketFromMarks(
  spot: number,
  marks: readonly LegModelMark[],
  contractOf: (leg: OptionLeg) => string,
): UnderlyingMarket {
  const byContract = new Map(marks.map((m) => [m.contract, m]));
  return {
    spot,
    modelOf(l) {
      const m = byContract.get(contractOf(l));
      if (!m || !(m.years > 0) || !(m.vol > 0)) return null;
      const forward = spot * Math.exp(m.carry * m.years);
      const model: ExpiryModel = {
        underlying: spot,
        forward,
        discount: Math.exp(-m.rate * m.years),
        years: m.years,
        rate: m.rate,
        carry: m.carry,
        smile: flatSmile(m.vol, m.years, forward),
      };
      return { kind: l.kind, strike: l.strike, model, vol: m.vol };
    },
  };
}

/** The market of one underlying: its price, and each option leg's model (null: not valued here). */
export interface UnderlyingMarket {
  spot: number;
  /** The leg's expiry model and its smile vol at the strike; null when that expiry cannot be valued. */
  modelOf(leg: OptionLeg): ModelLeg | null;
}

export interface BookPosition {
  id: string;
  name: string;
  underlying: string;
  legs: readonly Leg[];
  /** Realised P/L of its journal, dollars (0 when none). */
  realisedDollars?: number;
}

export interface PositionBook {
  id: string;
  name: string;
  underlying: string;
  greeks: PositionGreeks;
  /** Δ·S·β/100: dollars per 1% move of SPX; null without a β or a price for its underlying. */
  betaDeltaPerSpxPct: number | null;
  openPnlDollars: number;
  realisedDollars: number;
  /** Legs not valued (no market, no model for their expiry), by description. */
  unvalued: string[];
}

export interface StressRow {
  id: string;
  /** P/L change from now, dollars, per SPX move. */
  pnlDollars: number[];
}

export interface BookRisk {
  positions: PositionBook[];
  combined: {
    greeks: PositionGreeks;
    betaDeltaPerSpxPct: number;
    openPnlDollars: number;
    realisedDollars: number;
  };
  stress: { spxMoves: number[]; rows: StressRow[]; total: number[] };
  notes: string[];
}

export const DEFAULT_SPX_MOVES = [-0.1, -0.05, -0.03, -0.01, 0, 0.01, 0.03, 0.05, 0.1];

const describe = (l: Leg) =>
  l.asset === 'option' ? `${l.underlying} ${l.expiry} ${l.strike} ${l.kind}` : `${l.asset} ${l.symbol}`;

/** Value per share of a leg with its underlying at `price` (model value for options, the price for shares). */
function valueAt(l: Leg, model: ModelLeg | null, price: number): number | null {
  if (l.asset !== 'option') return price;
  return model ? legValue(model, { price, daysForward: 0, volShiftPoints: 0 }) : null;
}

export function bookRisk<P extends BookPosition>(
  positions: readonly P[],
  /** The market each position is valued on (its underlying's; a stored position may carry its own marks). */
  marketOf: (position: P) => UnderlyingMarket | null,
  betas: Readonly<Record<string, number>>,
  spxMoves: readonly number[] = DEFAULT_SPX_MOVES,
): BookRisk {
  const notes = new Set<string>();
  const out: PositionBook[] = [];
  const rows: StressRow[] = [];
  for (const p of positions) {
    const market = marketOf(p);
    const beta = betas[p.underlying.toUpperCase()];
    if (beta === undefined) notes.add(`${p.underlying}: no beta to SPX, left out of the weighted delta`);
    if (!market) notes.add(`${p.underlying}: no price, its positions are not valued`);
    let greeks = zeroGreeks();
    let open = 0;
    const unvalued: string[] = [];
    const valued: { leg: Leg; model: ModelLeg | null; now: number; mult: number }[] = [];
    for (const l of p.legs) {
      const mult = l.multiplier ?? 1;
      if (!market) {
        unvalued.push(describe(l));
        continue;
      }
      if (l.asset === 'option') {
        const model = l.underlying.toUpperCase() === p.underlying.toUpperCase() ? market.modelOf(l) : null;
        const now = valueAt(l, model, market.spot);
        if (!model || now === null) {
          unvalued.push(describe(l));
          continue;
        }
        greeks = addGreeks(greeks, legGreeks(model, l.quantity, mult));
        open += l.quantity * (now - l.openPrice) * mult;
        valued.push({ leg: l, model, now, mult });
      } else {
        greeks = addGreeks(greeks, {
          deltaDollarsPerPoint: l.quantity * mult,
          gammaDollarsPerPoint: 0,
          vegaDollarsPerVolPoint: 0,
          thetaDollarsPerDay: 0,
        });
        open += l.quantity * (market.spot - l.openPrice) * mult;
        valued.push({ leg: l, model: null, now: market.spot, mult });
      }
    }
    const weighted = market && beta !== undefined ? (greeks.deltaDollarsPerPoint * market.spot * beta) / 100 : null;
    out.push({
      id: p.id,
      name: p.name,
      underlying: p.underlying,
      greeks,
      betaDeltaPerSpxPct: weighted,
      openPnlDollars: open,
      realisedDollars: p.realisedDollars ?? 0,
      unvalued,
    });
    rows.push({
      id: p.id,
      pnlDollars: spxMoves.map((x) => {
        if (!market) return 0;
        const price = market.spot * (1 + (beta ?? 1) * x);
        let sum = 0;
        for (const v of valued) sum += v.leg.quantity * ((valueAt(v.leg, v.model, price) ?? v.now) - v.now) * v.mult;
        return sum;
      }),
    });
    if (beta === undefined && market) notes.add(`${p.underlying}: stressed with β 1 (none given)`);
  }
  let combined = zeroGreeks();
  let weighted = 0;
  let open = 0;
  let realised = 0;
  for (const b of out) {
    combined = addGreeks(combined, b.greeks);
    weighted += b.betaDeltaPerSpxPct ?? 0;
    open += b.openPnlDollars;
    realised += b.realisedDollars;
  }
  return {
    positions: out,
    combined: { greeks: combined, betaDeltaPerSpxPct: weighted, openPnlDollars: open, realisedDollars: realised },
    stress: {
      spxMoves: [...spxMoves],
      rows,
      total: spxMoves.map((_, j) => rows.reduce((s, r) => s + r.pnlDollars[j]!, 0)),
    },
    notes: [...notes],
  };
}
