import { describe, expect, it } from 'vitest';
import type { Expiry, Quote } from '../../src/chain/types';
import { condorRisk, CondorError, expectedMove } from '../../src/engine/condor';
import { blackPrice } from '../../src/engine/pricing/black';
import { probAboveLognormal, probAboveSmile, probTouch } from '../../src/engine/probability';
import { positionPnl } from '../../src/engine/scenarios';
import { fitSmile, volAt } from '../../src/engine/smile';
import { modelFromExpiry, modelFromSmile } from '../fixtures/engine/model';
import { spxLikeSvi, syntheticChain } from '../fixtures/engine/synthetic';

function q(bid: number, ask: number): Quote {
  return { bid, ask, last: null, volume: null, openInterest: null, iv: null, delta: null };
}

// A hand-made expiry: only the four legs' quotes matter for the credit figures.
const handExpiry: Expiry = {
  date: '2026-04-17',
  root: 'SPXW',
  settlement: 'PM',
  rows: [
    { strike: 6400, call: null, put: q(3.0, 3.2) },
    { strike: 6450, call: null, put: q(4.4, 4.6) },
    { strike: 6800, call: q(3.9, 4.1), put: null },
    { strike: 6850, call: q(2.2, 2.4), put: null },
  ],
};
const years = 34 / 365;
const flat = fitSmile({ points: [{ k: 0, vol: 0.16 }], forward: 6620, years })!;
const flatModel = modelFromSmile({ smile: flat, spot: 6600, discount: Math.exp(-0.04 * years) });

/** A realistic SPX-like negatively skewed smile from a synthetic chain: its expiry and model (new ones per call). */
function spxLike() {
  const chain = syntheticChain({
    spot: 6600,
    rate: 0.043,
    dividendYield: 0.013,
    expiries: [{ date: '2026-04-17', years, svi: spxLikeSvi(years) }],
    strikeMin: 5000,
    strikeMax: 7600,
    strikeStep: 5,
  });
  const expiry = chain.expiries[0]!;
  return { expiry, model: modelFromExpiry({ expiry, years, spot: 6600 }) };
}

describe('condorRisk: hand-computed figures', () => {
  it('credit mid and natural, max profit/loss, breakevens, width, return on risk', () => {
    const r = condorRisk({
      spec: { strikes: [6400, 6450, 6800, 6850], quantity: 2 },
      expiry: handExpiry,
      model: flatModel,
    });
    // mid: 4.5 − 3.1 + 4.0 − 2.3 = 3.1; natural: 4.4 − 3.2 + 3.9 − 2.4 = 2.7
    expect(r.creditMid).toBeCloseTo(3.1, 12);
    expect(r.creditNatural).toBeCloseTo(2.7, 12);
    expect(r.creditSource).toBe('mid');
    expect(r.width).toBe(50);
    expect(r.maxProfitDollars).toBeCloseTo(620, 9);
    expect(r.maxLossDollars).toBeCloseTo(9380, 9);
    expect(r.breakevenLower).toBeCloseTo(6446.9, 9);
    expect(r.breakevenUpper).toBeCloseTo(6803.1, 9);
    expect(r.returnOnRisk).toBeCloseTo(620 / 9380, 12);
    expect(r.multiplier).toBe(100);
  });

  it('a given credit overrides the mid', () => {
    const r = condorRisk({
      spec: { strikes: [6400, 6450, 6800, 6850], quantity: 2, credit: 4.1 },
      expiry: handExpiry,
      model: flatModel,
    });
    expect(r.creditSource).toBe('given');
    expect(r.maxProfitDollars).toBeCloseTo(820, 9);
    expect(r.maxLossDollars).toBeCloseTo(9180, 9);
    expect(r.breakevenLower).toBeCloseTo(6445.9, 9);
    expect(r.breakevenUpper).toBeCloseTo(6804.1, 9);
  });

  it('unequal wings: max loss on the wider side; missing quotes give a model credit', () => {
    const r = condorRisk({
      spec: { strikes: [6350, 6450, 6800, 6850], quantity: 1, credit: 5 },
      expiry: handExpiry,
      model: flatModel,
    });
    expect(r.putWidth).toBe(100);
    expect(r.callWidth).toBe(50);
    expect(r.maxLossDollars).toBeCloseTo(9500, 9);
    expect(r.creditMid).toBeNull();
    const m = condorRisk({
      spec: { strikes: [6350, 6450, 6800, 6850], quantity: 1 },
      expiry: handExpiry,
      model: flatModel,
    });
    expect(m.creditSource).toBe('model');
    expect(m.creditUsed).toBeGreaterThan(0);
  });

  it('rejects bad condors with a clear error', () => {
    expect(() =>
      condorRisk({ spec: { strikes: [6450, 6400, 6800, 6850], quantity: 1 }, expiry: handExpiry, model: flatModel }),
    ).toThrow(CondorError);
    expect(() =>
      condorRisk({ spec: { strikes: [6400, 6450, 6800, 6850], quantity: 0 }, expiry: handExpiry, model: flatModel }),
    ).toThrow(/quantity/);
  });
});

describe('probabilities', () => {
  it('flat smile: skew-aware equals lognormal; both within [0, 1]', () => {
    const r = condorRisk({
      spec: { strikes: [6400, 6450, 6800, 6850], quantity: 1 },
      expiry: handExpiry,
      model: flatModel,
    });
    const p = r.probability;
    expect(p.profitLognormal).toBeGreaterThan(0);
    expect(p.profitLognormal).toBeLessThan(1);
    expect(Math.abs(p.profitSkewAware - p.profitLognormal)).toBeLessThan(1e-9);
    expect(p.dayCount).toBe('calendar Actual/365F');
  });

  const { expiry, model } = spxLike();

  it('skew-aware digital equals −∂C/∂K of the smile-priced call (finite difference)', () => {
    const { forward: F, smile } = model;
    for (const K of [6000, 6300, 6500, 6650, 6900]) {
      const h = 0.01;
      const c = (k: number) =>
        blackPrice({ kind: 'call', forward: F, strike: k, years, vol: volAt(smile, k), discount: 1 });
      const fd = -(c(K + h) - c(K - h)) / (2 * h);
      expect(Math.abs(probAboveSmile({ smile, strike: K }) - fd)).toBeLessThan(1e-6);
    }
  });

  it('negative skew: fatter far-left tail, thinner right tail, higher median than lognormal at the ATM vol', () => {
    const F = model.forward,
      atm = model.smile.atmVol,
      sd = atm * Math.sqrt(years);
    const at = (z: number) => F * Math.exp(z * sd);
    const skew = (z: number) => probAboveSmile({ smile: model.smile, strike: at(z) });
    const ln = (z: number) => probAboveLognormal({ forward: F, strike: at(z), years, vol: atm });
    for (const z of [-3, -2.5, -2]) expect(1 - skew(z)).toBeGreaterThan(1.5 * (1 - ln(z)));
    for (const z of [1, 1.5, 2]) expect(skew(z)).toBeLessThan(ln(z));
    expect(skew(0)).toBeGreaterThan(ln(0) + 0.05);
    // The condor's figures are consistent with those functions.
    const r = condorRisk({
      spec: { strikes: [5900, 5950, 7300, 7350], quantity: 1 },
      expiry,
      model,
    });
    const p = r.probability;
    const belowLn = 1 - probAboveLognormal({ forward: F, strike: r.breakevenLower, years, vol: atm });
    expect(p.belowLowerSkewAware).toBeGreaterThan(belowLn);
    expect(p.profitSkewAware).toBeLessThan(p.profitLognormal);
    expect(p.profitSkewAware).toBeGreaterThan(0);
    expect(p.profitSkewAware).toBeCloseTo(1 - p.belowLowerSkewAware - p.aboveUpperSkewAware, 12);
  });

  it('touch: at least the finish-beyond probability, about twice it for short horizons, 1 at the barrier', () => {
    const F = 6600,
      vol = 0.16;
    for (const H of [6300, 6450, 6750, 6900]) {
      const beyond =
        H > F
          ? probAboveLognormal({ forward: F, strike: H, years: 7 / 365, vol })
          : 1 - probAboveLognormal({ forward: F, strike: H, years: 7 / 365, vol });
      const t = probTouch({ forward: F, barrier: H, years: 7 / 365, vol });
      expect(t).toBeGreaterThanOrEqual(beyond);
      expect(t).toBeLessThanOrEqual(1);
      expect(t / beyond).toBeGreaterThan(1.85);
      expect(t / beyond).toBeLessThan(2.15);
    }
    expect(probTouch({ forward: F, barrier: F, years: 0.1, vol })).toBe(1);
    const r = condorRisk({
      spec: { strikes: [6250, 6300, 6800, 6850], quantity: 1 },
      expiry,
      model,
    });
    expect(r.probability.touchShortPut).toBeGreaterThan(r.probability.belowLowerSkewAware);
    expect(r.probability.touchShortCall).toBeGreaterThan(r.probability.aboveUpperSkewAware);
  });

  it('expected move: F·σ·√T and the ATM straddle', () => {
    const em = expectedMove({
      rows: expiry.rows,
      forward: model.forward,
      years,
      atmVol: model.smile.atmVol,
    });
    expect(em.fromAtmVol).toBeCloseTo(model.forward * model.smile.atmVol * Math.sqrt(years), 9);
    // Straddle ≈ 0.8·σ√T·F (√(2/π)) for an ATM straddle.
    expect(em.fromStraddle! / em.fromAtmVol!).toBeGreaterThan(0.75);
    expect(em.fromStraddle! / em.fromAtmVol!).toBeLessThan(0.85);
    expect(Math.abs(em.straddleStrike! - model.forward)).toBeLessThanOrEqual(2.5);
  });
});

describe('position greeks vs finite differences of the repriced position', () => {
  const { expiry, model } = spxLike();
  const spec = { strikes: [6300, 6350, 6800, 6850] as [number, number, number, number], quantity: 3 };
  const r = condorRisk({ spec, expiry, model });
  const legs = { strikes: spec.strikes, quantity: 3, multiplier: 100, credit: r.creditUsed };
  const pnl = (price: number, daysForward = 0, volShiftPoints = 0) =>
    positionPnl({ model, legs, price, daysForward, volShiftPoints, scaleShift: false });

  it('delta and gamma per point', () => {
    const h = 0.5,
      S = model.underlying;
    const fdDelta = (pnl(S + h) - pnl(S - h)) / (2 * h);
    const fdGamma = (pnl(S + h) - 2 * pnl(S) + pnl(S - h)) / (h * h);
    expect(Math.abs(r.greeks.deltaDollarsPerPoint - fdDelta)).toBeLessThan(1e-4 * Math.max(1, Math.abs(fdDelta)));
    expect(Math.abs(r.greeks.gammaDollarsPerPoint - fdGamma)).toBeLessThan(1e-3 * Math.max(0.1, Math.abs(fdGamma)));
    expect(r.greeks.gammaDollarsPerPoint).toBeLessThan(0); // short the middle
  });

  it('vega per vol point and theta per calendar day', () => {
    const S = model.underlying;
    const fdVega = (pnl(S, 0, 0.01) - pnl(S, 0, -0.01)) / 0.02;
    expect(Math.abs(r.greeks.vegaDollarsPerVolPoint - fdVega)).toBeLessThan(1e-4 * Math.abs(fdVega));
    expect(r.greeks.vegaDollarsPerVolPoint).toBeLessThan(0);
    const fdTheta = (pnl(S, 0.001) - pnl(S, -0.001)) / 0.002;
    expect(Math.abs(r.greeks.thetaDollarsPerDay - fdTheta)).toBeLessThan(1e-3 * Math.abs(fdTheta));
    expect(r.greeks.thetaDollarsPerDay).toBeGreaterThan(0);
  });

  it('today P/L is zero at entry at the current price when the credit is the model value', () => {
    const atModel = { ...legs, credit: -r.legs.reduce((s, l) => s + l.side * l.modelPrice, 0) };
    expect(
      Math.abs(positionPnl({ model, legs: atModel, price: model.underlying, daysForward: 0, volShiftPoints: 0 })),
    ).toBeLessThan(1e-8);
  });
});
