/**
 * An iron condor's full risk on one expiry: credit (mid and natural), max profit and loss, breakevens, return on
 * risk, probabilities (lognormal and skew-aware; touch), expected move and position greeks in dollars.
 *
 * Greeks: each leg is priced with Black–Scholes–Merton on the underlying with r = −ln(D)/T and the dividend yield
 * implied by the parity forward (q = r − carry), at its smile vol (sticky strike):
 *   delta in dollars per 1 point of the underlying, gamma per point, vega per vol point (all legs shifted together),
 *   theta per calendar day with the underlying and vols fixed; each ×multiplier ×quantity, signed for the
 *   position (short legs negative).
 */
import type { ChainRow, Expiry } from '../chain/types';
import { legGreeksPerShare } from './leg';
import { probBetween, probTouch, TOUCH_METHOD } from './probability';
import { volAt } from './smile';
import type { CondorLeg, CondorRisk, CondorSpec, ExpectedMove, ExpiryModel, PositionGreeks } from './types';

export class CondorError extends Error {
  override name = 'CondorError';
}

/** Checks K1 < K2 ≤ K3 < K4, positive finite strikes and quantity; throws CondorError with a clear message. */
export function validateCondor(spec: CondorSpec): void {
  const [k1, k2, k3, k4] = spec.strikes;
  if (![k1, k2, k3, k4].every((k) => Number.isFinite(k) && k > 0))
    throw new CondorError(`strikes must be positive numbers: ${spec.strikes.join('/')}`);
  if (!(k1 < k2 && k2 <= k3 && k3 < k4))
    throw new CondorError(`strikes must satisfy K1 < K2 ≤ K3 < K4, got ${spec.strikes.join('/')}`);
  if (!(Number.isFinite(spec.quantity) && spec.quantity > 0))
    throw new CondorError(`quantity must be positive, got ${spec.quantity}`);
  if (spec.credit !== undefined && spec.credit !== null && !(Number.isFinite(spec.credit) && spec.credit >= 0)) {
    throw new CondorError(`credit must be a non-negative number, got ${spec.credit}`);
  }
}

const LEG_SHAPE: readonly { kind: 'call' | 'put'; side: 1 | -1 }[] = [
  { kind: 'put', side: 1 },
  { kind: 'put', side: -1 },
  { kind: 'call', side: -1 },
  { kind: 'call', side: 1 },
];

function findRow(rows: readonly ChainRow[], strike: number): ChainRow | null {
  let lo = 0,
    hi = rows.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const k = rows[mid]!.strike;
    if (Math.abs(k - strike) < 1e-9) return rows[mid]!;
    if (k < strike) lo = mid + 1;
    else hi = mid - 1;
  }
  return null;
}

function twoSidedMid(bid: number | null, ask: number | null): number | null {
  if (bid === null || ask === null || !Number.isFinite(bid) || !Number.isFinite(ask)) return null;
  if (bid < 0 || !(ask > 0) || bid > ask) return null;
  return 0.5 * bid + 0.5 * ask; // halves first: no overflow on absurd quotes
}

/** Expected move from the ATM vol (F·σ·√T) and from the ATM straddle mid (strike nearest the forward). */
export function expectedMove({
  rows,
  forward,
  years,
  atmVol,
}: {
  rows: readonly ChainRow[];
  forward: number;
  years: number;
  atmVol: number | null;
}): ExpectedMove {
  const fromAtmVol = atmVol !== null && atmVol > 0 && years > 0 ? forward * atmVol * Math.sqrt(years) : null;
  let best: ChainRow | null = null;
  for (const r of rows) if (best === null || Math.abs(r.strike - forward) < Math.abs(best.strike - forward)) best = r;
  let fromStraddle: number | null = null;
  if (best) {
    const c = twoSidedMid(best.call?.bid ?? null, best.call?.ask ?? null);
    const p = twoSidedMid(best.put?.bid ?? null, best.put?.ask ?? null);
    if (c !== null && p !== null) fromStraddle = c + p;
  }
  return {
    fromAtmVol: fromAtmVol !== null && Number.isFinite(fromAtmVol) ? fromAtmVol : null,
    fromStraddle,
    straddleStrike: best?.strike ?? null,
  };
}

/** Position greeks in dollars (see the file header for the units). */
export function condorGreeks({
  model,
  strikes,
  quantity,
  multiplier,
}: {
  model: ExpiryModel;
  strikes: readonly number[];
  quantity: number;
  multiplier: number;
}): PositionGreeks {
  let delta = 0,
    gamma = 0,
    vega = 0,
    theta = 0;
  if (model.years > 0) {
    for (let i = 0; i < 4; i++) {
      const { kind, side } = LEG_SHAPE[i]!;
      const g = legGreeksPerShare({ model, kind, strike: strikes[i]!, vol: volAt(model.smile, strikes[i]!) });
      if (!g) continue;
      delta += side * g.delta;
      gamma += side * g.gamma;
      vega += side * g.vegaPerVolPoint;
      theta += side * g.thetaPerDay;
    }
  }
  const m = multiplier * quantity;
  const fin = (x: number) => (Number.isFinite(x) ? x * m : 0);
  return {
    deltaDollarsPerPoint: fin(delta),
    gammaDollarsPerPoint: fin(gamma),
    vegaDollarsPerVolPoint: fin(vega),
    thetaDollarsPerDay: fin(theta),
  };
}

export interface CondorRiskInput {
  spec: CondorSpec;
  expiry: Expiry;
  model: ExpiryModel;
  multiplier?: number;
}

export function condorRisk(input: CondorRiskInput): CondorRisk {
  const { spec, expiry, model } = input;
  validateCondor(spec);
  const multiplier = input.multiplier ?? 100;
  const strikes = spec.strikes;
  const legs: CondorLeg[] = [];
  for (let i = 0; i < 4; i++) {
    const { kind, side } = LEG_SHAPE[i]!;
    const strike = strikes[i]!;
    const row = findRow(expiry.rows, strike);
    const q = row ? (kind === 'put' ? row.put : row.call) : null;
    const bid = q?.bid ?? null,
      ask = q?.ask ?? null;
    const vol = volAt(model.smile, strike);
    const g = model.years > 0 ? legGreeksPerShare({ model, kind, strike, vol }) : null;
    const intrinsic = kind === 'call' ? Math.max(model.forward - strike, 0) : Math.max(strike - model.forward, 0);
    legs.push({
      kind,
      strike,
      side,
      bid: bid !== null && Number.isFinite(bid) ? bid : null,
      ask: ask !== null && Number.isFinite(ask) ? ask : null,
      mid: twoSidedMid(bid, ask),
      vol,
      modelPrice: g && Number.isFinite(g.price) ? g.price : model.discount * intrinsic,
      delta: g && Number.isFinite(g.delta) ? g.delta : 0,
    });
  }
  // Credit per condor = −Σ side·price.
  let creditMid: number | null = 0;
  let creditNatural: number | null = 0;
  let creditModel = 0;
  for (const l of legs) {
    creditModel -= l.side * l.modelPrice;
    if (creditMid !== null) creditMid = l.mid === null ? null : creditMid - l.side * l.mid;
    if (creditNatural !== null) {
      // Sell at the bid, buy at the ask.
      const px = l.side < 0 ? l.bid : l.ask;
      creditNatural = px === null ? null : creditNatural - l.side * px;
    }
  }
  let creditUsed: number;
  let creditSource: CondorRisk['creditSource'];
  if (spec.credit !== undefined && spec.credit !== null) {
    creditUsed = spec.credit;
    creditSource = 'given';
  } else if (creditMid !== null) {
    creditUsed = creditMid;
    creditSource = 'mid';
  } else {
    creditUsed = creditModel;
    creditSource = 'model';
  }
  const [k1, k2, k3, k4] = strikes;
  const putWidth = k2 - k1,
    callWidth = k4 - k3;
  const width = Math.max(putWidth, callWidth);
  const scale = multiplier * spec.quantity;
  const maxProfitDollars = Math.max(creditUsed, 0) * scale;
  const maxLossDollars = Math.max(width - creditUsed, 0) * scale;
  const breakevenLower = k2 - creditUsed;
  const breakevenUpper = k3 + creditUsed;
  const atmVol = model.smile.atmVol;
  const p = probBetween({ smile: model.smile, lower: breakevenLower, upper: breakevenUpper, lognormalVol: atmVol });
  const F = model.forward;
  return {
    expiry: expiry.date,
    strikes: [k1, k2, k3, k4],
    quantity: spec.quantity,
    multiplier,
    years: model.years,
    daysToExpiry: model.years * 365,
    legs,
    creditMid,
    creditNatural,
    creditUsed,
    creditSource,
    putWidth,
    callWidth,
    width,
    maxProfitDollars,
    maxLossDollars,
    breakevenLower,
    breakevenUpper,
    returnOnRisk: maxLossDollars > 0 ? maxProfitDollars / maxLossDollars : null,
    probability: {
      dayCount: 'calendar Actual/365F',
      profitLognormal: p.lognormal,
      profitSkewAware: p.skewAware,
      belowLowerSkewAware: p.belowLower,
      aboveUpperSkewAware: p.aboveUpper,
      touchShortPut: probTouch({ forward: F, barrier: k2, years: model.years, vol: volAt(model.smile, k2) }),
      touchShortCall: probTouch({ forward: F, barrier: k3, years: model.years, vol: volAt(model.smile, k3) }),
      touchMethod: TOUCH_METHOD,
    },
    expectedMove: expectedMove({ rows: expiry.rows, forward: F, years: model.years, atmVol }),
    greeks: condorGreeks({ model, strikes, quantity: spec.quantity, multiplier }),
  };
}
