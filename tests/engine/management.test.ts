/**
 * The management marks, on cases that can be checked by hand: a condor already past 50% takes it at once (P50 = 1),
 * one whose underlying cannot move (vol → 0) sitting between its shorts earns its whole credit as time passes
 * (P50 = 1, EV = max profit), one far outside its wings with no vol never gets there (P50 = 0, EV = −max loss);
 * the figure is the same on every run (fixed seed) and within the sampling error of the closed-form touch
 * probability for a case that has one.
 */
import { describe, expect, it } from 'vitest';
import {
  createManagementReuse,
  managementMarks,
  MARKS_KEPT_WITHIN,
  PATHS,
  type ManagementInput,
} from '../../src/engine/management';
import type { ExpiryModel, Smile } from '../../src/engine/types';
import { normCdf } from '../../src/engine/pricing/normal';

function flatModel(spot: number, vol: number, days: number): ExpiryModel {
  const years = days / 365;
  const smile = { method: 'flat', forward: spot, years, atmVol: vol } as unknown as Smile;
  return { underlying: spot, forward: spot, discount: 1, years, rate: 0, carry: 0, smile };
}

/** A 1-lot 90/95/105/110 condor for `credit` per share, on a flat `vol`, `days` to expiry, underlying at `spot`. */
function condor(spot: number, vol: number, days: number, credit: number): ManagementInput {
  const model = flatModel(spot, vol, days);
  const leg = (kind: 'put' | 'call', strike: number, quantity: number) => ({
    leg: { kind, strike, model, vol },
    quantity,
  });
  return {
    legs: [leg('put', 90, 1), leg('put', 95, -1), leg('call', 105, -1), leg('call', 110, 1)],
    entryCreditDollars: credit * 100,
    maxProfitDollars: credit * 100,
    multiplier: 100,
    spot,
    model,
    pathVol: vol,
    daysToExpiry: days,
    expiry: '2026-04-17',
  };
}

describe('management marks', () => {
  it('the 50% target and the 21-DTE date', () => {
    const m = managementMarks(condor(100, 0.2, 30, 1.5));
    expect(m.takeProfitDollars).toBe(75);
    expect(m.dte21Date).toBe('2026-03-27');
    expect(m.daysTo21Dte).toBe(9);
    expect(m.method).toMatch(/Monte Carlo, 1000 antithetic lognormal paths/);
  });

  it('no vol, between the shorts: worth nothing to close already — P50 1, EV the max profit', () => {
    const m = managementMarks(condor(100, 0.0005, 30, 1.5));
    expect(m.p50).toBe(1);
    expect(m.expectedValueDollars).toBeCloseTo(150, 6);
    expect(m.expectedValueManagedDollars).toBeCloseTo(150, 6); // past the target now: taken at once, at 150
  });

  it('no vol, far below the long put: never reaches the target — P50 0, EV the max loss', () => {
    const m = managementMarks(condor(70, 0.0005, 30, 1.5));
    expect(m.p50).toBe(0);
    // At expiry the put spread is worth its width 5: P/L = 1.50 − 5 = −3.50 a share, −$350.
    expect(m.expectedValueDollars).toBeCloseTo(-350, 6);
    expect(m.expectedValueManagedDollars).toBeCloseTo(-350, 6);
  });

  it('already past 50% now: P50 is 1 and the managed EV is the P/L now', () => {
    // Sold for 4.00 a share when the condor is worth far less now (the underlying in the middle, 2 days left).
    const m = managementMarks(condor(100, 0.1, 2, 4));
    expect(m.p50).toBe(1);
    expect(m.expectedValueManagedDollars).toBeGreaterThan(200);
  });

  it('the same inputs give the same figure; and near the closed-form touch probability where there is one', () => {
    const a = managementMarks(condor(100, 0.25, 45, 1.2));
    const b = managementMarks(condor(100, 0.25, 45, 1.2));
    expect(a).toEqual(b);
    expect(a.p50).toBeGreaterThan(0);
    expect(a.p50).toBeLessThan(1);
    // A single long call struck far below the spot behaves like the underlying: its P/L reaches +50% of a "max
    // profit" M when S rises by M / 100 — a one-sided barrier for driftless log-price (reflection principle):
    // P(max S ≥ B) = 2·N(−ln(B/S)/(σ√T)) − correction for the −σ²/2 drift, here with the exact formula for
    // Brownian motion with drift μ = −σ²/2: N((−b + μT)/(σ√T)) + e^{2μb/σ²}·N((−b − μT)/(σ√T)).
    const spot = 100;
    const vol = 0.2;
    const days = 60;
    const model = flatModel(spot, vol, days);
    const M = 1000; // $10 a share → the target is +$5 a share: S = 105
    const m = managementMarks({
      legs: [{ leg: { kind: 'call', strike: 1, model, vol }, quantity: 1 }],
      entryCreditDollars: -99 * 100, // paid 99 a share: P/L = 100 × (S − 1) − 9,900 = 100 × (S − 100)
      maxProfitDollars: M,
      multiplier: 100,
      spot,
      model,
      pathVol: vol,
      daysToExpiry: days,
      expiry: '2026-05-17',
    });
    const T = days / 365;
    const barrier = Math.log(105 / 100);
    const mu = -0.5 * vol * vol;
    const s = vol * Math.sqrt(T);
    const exact =
      normCdf((-barrier + mu * T) / s) + Math.exp((2 * mu * barrier) / (vol * vol)) * normCdf((-barrier - mu * T) / s);
    // Discrete monitoring (40 dates) reads low; 4 standard errors of sampling plus the monitoring bias.
    const se = Math.sqrt((exact * (1 - exact)) / PATHS);
    expect(m.p50).toBeLessThanOrEqual(exact + 4 * se);
    expect(m.p50).toBeGreaterThan(exact - 4 * se - 0.06);
  });
});

describe('marks kept across ticks (createManagementReuse)', () => {
  /** The condor of `condor(100, 0.2, 30, 1.5)` with the market moved: spot by `rel`, vols by `dv`, `dDays` later. */
  const moved = (rel: number, dv: number, dDays: number): ManagementInput =>
    condor(100 * (1 + rel), 0.2 + dv, 30 - dDays, 1.5);
  const mc = (m: ReturnType<typeof managementMarks>) => [m.p50, m.expectedValueDollars, m.expectedValueManagedDollars];

  it('a first question is answered as managementMarks answers it', () => {
    const reuse = createManagementReuse();
    expect(reuse.marks(condor(100, 0.2, 30, 1.5))).toEqual(managementMarks(condor(100, 0.2, 30, 1.5)));
  });

  it('within the limits the simulated figures are kept (and lie within their sampling error of fresh ones); the dates are fresh', () => {
    const reuse = createManagementReuse();
    const first = reuse.marks(condor(100, 0.2, 30, 1.5));
    const k = MARKS_KEPT_WITHIN;
    const tick = moved(k.spot * 0.9, k.vol * 0.9, k.days * 0.9);
    const kept = reuse.marks(tick);
    const fresh = managementMarks(tick);
    expect(mc(kept)).toEqual(mc(first));
    expect(mc(fresh)).not.toEqual(mc(first));
    expect(kept.daysTo21Dte).toBe(fresh.daysTo21Dte);
    expect(kept.dte21Date).toBe(fresh.dte21Date);
    expect(kept.takeProfitDollars).toBe(fresh.takeProfitDollars);
    // One standard error of P50 at 1,000 paths is about 1.6 points; the kept figure is well inside it.
    expect(Math.abs(kept.p50 - fresh.p50)).toBeLessThan(Math.sqrt(0.25 / PATHS));
  });

  it("the credit is never approximated: a suggested condor's credit moves on every tick, and its marks are exact for it", () => {
    const reuse = createManagementReuse();
    reuse.marks(condor(100, 0.2, 30, 1.5));
    for (const credit of [1.6, 1.2, 4, 0.5]) {
      const input = condor(100, 0.2, 30, credit);
      expect(reuse.marks(input)).toEqual(managementMarks(input));
    }
    // The kept paths with another credit: sold for 4 a condor worth about 1.5 is past its target now; sold for 0.5,
    // it needs the market to come its way by more than it is worth.
    expect(reuse.marks(condor(100, 0.2, 30, 4)).p50).toBe(1);
    expect(reuse.marks(condor(100, 0.2, 30, 0.5)).p50).toBeLessThan(reuse.marks(condor(100, 0.2, 30, 1.5)).p50);
  });

  it('past any one limit, or another condor, the marks are worked out again', () => {
    const k = MARKS_KEPT_WITHIN;
    const cases: [string, ManagementInput][] = [
      ['spot', moved(k.spot * 1.5, 0, 0)],
      ['vol', moved(0, k.vol * 1.5, 0)],
      ['time', moved(0, 0, k.days * 1.5)],
      [
        'carry',
        (() => {
          const c = condor(100, 0.2, 30, 1.5);
          const model = { ...c.model, carry: (k.growth * 1.5) / c.model.years };
          return { ...c, model, legs: c.legs.map((l) => ({ ...l, leg: { ...l.leg, model } })) };
        })(),
      ],
      [
        'strike',
        (() => {
          const c = condor(100, 0.2, 30, 1.5);
          return { ...c, legs: c.legs.map((l, i) => (i === 0 ? { ...l, leg: { ...l.leg, strike: 89 } } : l)) };
        })(),
      ],
    ];
    for (const [what, input] of cases) {
      const reuse = createManagementReuse();
      reuse.marks(condor(100, 0.2, 30, 1.5));
      expect(reuse.marks(input), what).toEqual(managementMarks(input));
    }
  });
});
