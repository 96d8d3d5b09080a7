import { describe, expect, it } from 'vitest';
import { DEFAULT_VOL_SHIFTS, pnlCurve, positionPnl, scenarioGrid } from '../../src/engine/scenarios';
import { volShiftScale } from '../../src/engine/leg';
import { fitSmile } from '../../src/engine/smile';
import { modelFromExpiry, modelFromSmile } from '../fixtures/engine/model';
import { spxLikeSvi, syntheticChain } from '../fixtures/engine/synthetic';

const years = 30 / 365;
const flat = fitSmile({ points: [{ k: 0, vol: 0.15 }], forward: 6610, years })!;
const model = modelFromSmile({ smile: flat, spot: 6600, discount: Math.exp(-0.04 * years) });
const legs = { strikes: [6400, 6450, 6800, 6850] as const, quantity: 2, multiplier: 100, credit: 4.1 };

describe('P/L at expiry', () => {
  it('is the piecewise-linear payoff with max profit inside, max loss beyond the wings, zero at the breakevens', () => {
    const prices = [6000, 6400, 6425, 6445.9, 6450, 6600, 6800, 6804.1, 6850, 7000];
    const c = pnlCurve({ model, legs, prices, daysForward: 1000 });
    expect(c.atExpiry).toBe(true);
    const want = [-9180, -9180, -4180, 0, 820, 820, 820, 0, -9180, -9180];
    c.pnlDollars.forEach((v, i) => expect(v).toBeCloseTo(want[i]!, 6));
  });
});

describe('P/L before expiry', () => {
  it('today (T+0) lies between the expiry payoff extremes and is smoother; a vol rise hurts a short condor at the money', () => {
    const prices = [6300, 6500, 6600, 6700, 6900];
    const t0 = pnlCurve({ model, legs, prices, daysForward: 0 });
    const t0up = pnlCurve({ model, legs, prices, daysForward: 0, volShiftPoints: 5 });
    for (const v of t0.pnlDollars) {
      expect(v).toBeLessThanOrEqual(820 + 1e-9);
      expect(v).toBeGreaterThanOrEqual(-9180 - 1e-9);
    }
    expect(t0up.pnlDollars[2]!).toBeLessThan(t0.pnlDollars[2]!);
    // Halfway, the centre has earned time decay.
    const half = pnlCurve({ model, legs, prices, daysForward: 15 });
    expect(half.pnlDollars[2]!).toBeGreaterThan(t0.pnlDollars[2]!);
  });
});

describe('scenario grid', () => {
  it('41 moves × 21 vol shifts by default, with the zero row and column equal to today’s P/L', () => {
    const g = scenarioGrid({ model, legs });
    expect(g.moves.length).toBe(41);
    expect(g.volShiftsPoints).toEqual([...DEFAULT_VOL_SHIFTS]);
    expect(g.pnlDollars.length).toBe(21);
    expect(g.pnlDollars.every((r) => r.length === 41)).toBe(true);
    expect(g.moves[0]).toBeCloseTo(-0.15, 12);
    expect(g.moves[40]).toBeCloseTo(0.1, 12);
    const j0 = g.moves.findIndex((m) => Math.abs(m) < 1e-12);
    const i0 = g.volShiftsPoints.indexOf(0);
    const today = positionPnl({ model, legs, price: 6600, daysForward: 0, volShiftPoints: 0 });
    expect(g.pnlDollars[i0]![j0]!).toBeCloseTo(today, 9);
    // A cell equals the single-scenario repricing with the same (scaled) shift.
    const cell = positionPnl({
      model,
      legs,
      price: 6600 * (1 + g.moves[5]!),
      daysForward: 0,
      volShiftPoints: g.volShiftsPoints[15]!,
    });
    expect(g.pnlDollars[15]![5]!).toBeCloseTo(cell, 9);
    // A −15% crash with vol up is a loss near the max.
    expect(g.pnlDollars[20]![0]!).toBeLessThan(-8000);
  });

  it('vol shocks scale with term: ×1 at 30 days, ×2 at 7.5 days, capped at ×3, floored at ×0.25', () => {
    expect(volShiftScale(30)).toBeCloseTo(1, 12);
    expect(volShiftScale(7.5)).toBeCloseTo(2, 12);
    expect(volShiftScale(1)).toBe(3);
    expect(volShiftScale(0)).toBe(3);
    expect(volShiftScale(1000)).toBe(0.25);
    const shortModel = modelFromSmile({
      smile: fitSmile({ points: [{ k: 0, vol: 0.15 }], forward: 6600, years: 7.5 / 365 })!,
      spot: 6600,
      discount: 1,
    });
    const g = scenarioGrid({ model: shortModel, legs, options: { volShiftsPoints: [0, 5] } });
    expect(g.volShiftScale).toBeCloseTo(2, 12);
    const direct = positionPnl({
      model: shortModel,
      legs,
      price: 6600,
      daysForward: 0,
      volShiftPoints: 10,
      scaleShift: false,
    });
    expect(g.pnlDollars[1]![24]!).toBeCloseTo(direct, 9);
  });

  it('skewed smile: sticky-strike repricing with every value finite', () => {
    const chain = syntheticChain({
      spot: 6600,
      rate: 0.043,
      dividendYield: 0.013,
      expiries: [{ date: 'x', years, svi: spxLikeSvi(years) }],
      strikeMin: 5000,
      strikeMax: 7600,
      strikeStep: 5,
    });
    const m = modelFromExpiry({ expiry: chain.expiries[0]!, years, spot: 6600 });
    const g = scenarioGrid({
      model: m,
      legs,
      options: { daysForward: 10, moveCount: Number.NaN, volMinPoints: Number.POSITIVE_INFINITY },
    });
    expect(g.pnlDollars.flat().every(Number.isFinite)).toBe(true);
    expect(g.daysForward).toBe(10);
  });
});
