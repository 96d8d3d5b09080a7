/**
 * The backtest's pricing models (#15): properties that hold whatever the data (no ../shared needed).
 * The fit errors on the real data are pinned in modelRealData.test.ts.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  spxForward,
  spxVolModel,
  termVariance,
  VARIANCE_TERM,
  VIX_FUTURE,
  VIX_OPTION,
  vixModel,
  vvixFromVix,
  type MarketDay,
} from '../../src/engine/backtest/model';
import type { Chain } from '../../src/chain/types';
import { impliedVixFutures } from '../../src/engine/alvh/vixOptions';
import { analyzeChain } from '../../src/engine/analyze';
import { closeInstant, spxExpiriesFor, spxModelChain, vixModelChain } from '../../src/engine/backtest/modelChain';
import {
  DIVIDEND_YIELD,
  spxPricingForward,
  spxDelta,
  spxStrike,
  spxValue,
  vixDelta,
  vixStrike,
  vixValue,
  yearsTo,
} from '../../src/engine/backtest/pricing';
import { densityG, volAt } from '../../src/engine/smile';
import { erfc } from '../../src/engine/pricing/normal';
import { REPO_DIR } from '../helpers/shared';

function day(vix: number, extra: Partial<MarketDay> = {}): MarketDay {
  return { date: '2020-01-02', spx: 4000, vix, vix9d: null, vix3m: null, vvix: null, skew: null, rate: 0.03, ...extra };
}
const DAYS = (d: number) => d / 365;

describe('SPX smile model', () => {
  it('gives a positive, finite vol everywhere on a wide grid, with and without the term indexes', () => {
    for (const vix of [9, 12, 15, 20, 30, 45, 60, 82.7])
      for (const indexes of [false, true])
        for (const d of [0.5, 1, 3, 7, 14, 30, 45, 60, 90, 180, 365, 730])
          for (const m of [0.3, 0.5, 0.7, 0.85, 0.95, 1, 1.05, 1.2, 1.5, 2]) {
            const md = day(vix, indexes ? { vix9d: vix * 1.1, vix3m: vix * 0.95 } : {});
            const v = spxVolModel.vol(md, 4000 * m, DAYS(d));
            expect(Number.isFinite(v) && v > 0, `VIX ${vix} ${d} d moneyness ${m}: ${v}`).toBe(true);
            expect(v).toBeLessThan(5);
          }
  });

  it('has a put skew at VIX 15 and at VIX 60: a lower strike has a higher vol, from 60% of spot to the money', () => {
    for (const vix of [15, 60])
      for (const d of [7, 21, 45, 60]) {
        const md = day(vix);
        const F = spxForward(md, DAYS(d));
        let prev = Infinity;
        for (let m = 0.6; m <= 1.0001; m += 0.01) {
          const v = spxVolModel.vol(md, F * m, DAYS(d));
          expect(v, `VIX ${vix}, ${d} d, K/F ${m.toFixed(2)}`).toBeLessThan(prev);
          prev = v;
        }
      }
  });

  it('puts its at-the-money vol below VIX and moves it with VIX', () => {
    let prev = 0;
    for (const vix of [10, 15, 20, 30, 45, 60, 80]) {
      const md = day(vix);
      const atm = spxVolModel.vol(md, spxForward(md, DAYS(30)), DAYS(30));
      expect(atm).toBeGreaterThan(prev);
      // A 30-day variance swap (VIX) prices the whole skew: the at-the-money vol sits 5–25% under it.
      expect(atm).toBeLessThan(vix / 100);
      expect(atm).toBeGreaterThan(0.75 * (vix / 100));
      prev = atm;
    }
  });

  it('reads the short end from VIX9D and the long end from VIX3M when the day has them', () => {
    const plain = day(25);
    const inverted = day(25, { vix9d: 35, vix3m: 22 });
    const atm = (md: MarketDay, d: number) => spxVolModel.vol(md, spxForward(md, DAYS(d)), DAYS(d));
    expect(atm(inverted, 9)).toBeGreaterThan(atm(plain, 9) + 0.03);
    expect(atm(inverted, 80)).toBeLessThan(atm(plain, 80) - 0.01);
    // At 30 days both read VIX itself.
    expect(Math.abs(atm(inverted, 30) - atm(plain, 30))).toBeLessThan(1e-12);
    // The index nodes are hit exactly (variance-swap vol at 9, 30, 93 days).
    expect(100 * Math.sqrt(termVariance(VARIANCE_TERM, { vix: 25, vix9d: 35, vix3m: 22 }, 9 / 365))).toBeCloseTo(35, 9);
    expect(100 * Math.sqrt(termVariance(VARIANCE_TERM, { vix: 25, vix9d: 35, vix3m: 22 }, 30 / 365))).toBeCloseTo(
      25,
      9,
    );
    expect(100 * Math.sqrt(termVariance(VARIANCE_TERM, { vix: 25, vix9d: 35, vix3m: 22 }, 93 / 365))).toBeCloseTo(
      22,
      9,
    );
  });

  it('has a non-negative density (no butterfly arbitrage) on the terms and levels the backtest trades', () => {
    const h = 1e-4;
    for (const vix of [10, 15, 30, 60, 80])
      for (const d of [3, 7, 30, 60, 120]) {
        const md = day(vix);
        const T = DAYS(d);
        const F = spxForward(md, T);
        const w = (k: number) => spxVolModel.vol(md, F * Math.exp(k), T) ** 2 * T;
        for (let k = -1.5; k <= 0.8; k += 0.01) {
          const w0 = w(k);
          const w1 = (w(k + h) - w(k - h)) / (2 * h);
          const w2 = (w(k + h) - 2 * w0 + w(k - h)) / (h * h);
          expect(densityG(w0, w1, w2, k), `VIX ${vix}, ${d} d, k ${k.toFixed(2)}`).toBeGreaterThan(-1e-6);
        }
      }
  });
});

describe('VIX futures model', () => {
  it('is spot VIX at expiry and converges to it as the term shrinks', () => {
    for (const vix of [11, 20, 45, 80]) {
      expect(vixModel.future(day(vix), 0)).toBe(vix);
      expect(Math.abs(vixModel.future(day(vix), 1e-6) - vix)).toBeLessThan(0.05);
      expect(Math.abs(vixModel.future(day(vix), DAYS(1)) - vix)).toBeLessThan(Math.abs(vix - VIX_FUTURE.theta) * 0.15);
    }
  });

  it('leans to its long-run level as the term grows', () => {
    for (const vix of [11, 45]) {
      const gaps = [7, 30, 90, 180, 365, 3650].map((d) =>
        Math.abs(vixModel.future(day(vix), DAYS(d)) - VIX_FUTURE.theta),
      );
      for (let i = 1; i < gaps.length; i++) expect(gaps[i]).toBeLessThan(gaps[i - 1]!);
      // Ten years out, less than a tenth of today's gap to the long-run level is left.
      expect(gaps.at(-1)).toBeLessThan(0.1 * Math.abs(vix - VIX_FUTURE.theta));
    }
  });

  it('is in contango at a low VIX and in backwardation at a high VIX', () => {
    const curve = (vix: number) => [0, 30, 60, 120, 240].map((d) => vixModel.future(day(vix), DAYS(d)));
    const low = curve(13);
    const high = curve(45);
    for (let i = 1; i < low.length; i++) {
      expect(low[i]).toBeGreaterThan(low[i - 1]!);
      expect(high[i]).toBeLessThan(high[i - 1]!);
    }
  });
});

describe('VIX option vol model', () => {
  it('is positive, uses VVIX as the 30-day at-the-money vol, and the VIX fit without it', () => {
    const withVvix = day(20, { vvix: 110 });
    const F = vixModel.future(withVvix, DAYS(30));
    expect(vixModel.vol(withVvix, F, DAYS(30))).toBeCloseTo(1.1, 9);
    const without = day(20);
    expect(vixModel.vol(without, vixModel.future(without, DAYS(30)), DAYS(30))).toBeCloseTo(
      vvixFromVix(VIX_OPTION, 20) / 100,
      9,
    );
    for (const vix of [9, 15, 30, 60, 85])
      for (const d of [1, 7, 30, 90, 250])
        for (const m of [0.5, 0.8, 1, 1.5, 3]) {
          const md = day(vix);
          const v = vixModel.vol(md, vixModel.future(md, DAYS(d)) * m, DAYS(d));
          expect(Number.isFinite(v) && v > 0).toBe(true);
        }
  });

  it('has a call skew (a higher strike has a higher vol) and a vol falling with the term', () => {
    const md = day(18, { vvix: 95 });
    const T = DAYS(45);
    const F = vixModel.future(md, T);
    let prev = 0;
    for (let m = 0.7; m <= 2.5; m += 0.1) {
      const v = vixModel.vol(md, F * m, T);
      expect(v).toBeGreaterThan(prev);
      prev = v;
    }
    const atm = (d: number) => vixModel.vol(md, vixModel.future(md, DAYS(d)), DAYS(d));
    expect(atm(30)).toBeGreaterThan(atm(60));
    expect(atm(60)).toBeGreaterThan(atm(120));
    expect(atm(120)).toBeGreaterThan(atm(240));
  });

  it('rises with the VIX level, less than in proportion (vol-of-vol per VIX point falls)', () => {
    const at = (vix: number) => vixModel.vol(day(vix), vixModel.future(day(vix), DAYS(30)), DAYS(30));
    expect(at(40)).toBeGreaterThan(at(15));
    expect(at(40) / at(15)).toBeLessThan(40 / 15);
  });
});

describe('the models are pure', () => {
  it('give the same bytes for the same inputs', () => {
    const md = day(33.3, { vix9d: 40.1, vix3m: 30.2, vvix: 120 });
    const run = () =>
      [7, 30, 60].flatMap((d) => [
        spxVolModel.vol(md, 3500, DAYS(d)),
        vixModel.future(md, DAYS(d)),
        vixModel.vol(md, 40, DAYS(d)),
      ]);
    expect(run()).toEqual(run());
  });

  it('read no clock, no randomness and no file', () => {
    const dir = resolve(REPO_DIR, 'src/engine/backtest/model');
    for (const f of readdirSync(dir)) {
      const src = readFileSync(resolve(dir, f), 'utf8');
      expect(src, f).not.toMatch(/Date\.now|new Date\(\)|Math\.random|node:fs|readFile/);
    }
  });
});

describe('the backtest valuation of a strike (pricing.ts spxStrike, vixStrike)', () => {
  const expiry = '2020-02-21';
  const T = yearsTo('2020-01-02', expiry);
  const N = (x: number) => 0.5 * erfc(-x / Math.SQRT2);

  /** A strike's figures are Black's on its own vol and the forward F: price, put-call parity, the N(d1) delta. */
  const expectBlack = (
    s: { vol: number; call: number; put: number; callDelta: number },
    F: number,
    k: number,
    D: number,
  ) => {
    const sd = s.vol * Math.sqrt(T);
    const d1 = Math.log(F / k) / sd + 0.5 * sd;
    expect(s.call).toBeCloseTo(D * (F * N(d1) - k * N(d1 - sd)), 9);
    expect(s.call - s.put).toBeCloseTo(D * (F - k), 9);
    expect(s.callDelta).toBeCloseTo(N(d1), 12);
  };

  it("is Black's formula on the model's vol and forward: parity, N(d1) deltas, the same figures one side at a time", () => {
    for (const vix of [12, 35, 80]) {
      const d = day(vix, { vvix: vix > 30 ? 140 : null });
      const D = Math.exp(-d.rate * T);
      const F = d.spx * Math.exp((d.rate - DIVIDEND_YIELD) * T);
      for (const k of [2500, 3600, 4000, 4300]) {
        const s = spxStrike(d, k, T);
        expect(s.vol).toBe(spxVolModel.vol(d, k, T));
        expectBlack(s, F, k, D);
        expect(s.putDelta).toBe(s.callDelta - 1);
        expect([spxValue(d, 'call', k, expiry), spxValue(d, 'put', k, expiry)]).toEqual([s.call, s.put]);
        expect([spxDelta(d, 'call', k, expiry), spxDelta(d, 'put', k, expiry)]).toEqual([s.callDelta, s.putDelta]);
      }
      for (const k of [10, 20, 45, 90]) {
        const s = vixStrike(d, k, T);
        expect(s.vol).toBe(vixModel.vol(d, k, T));
        expectBlack(s, vixModel.future(d, T), k, D);
        expect([vixValue(d, 'call', k, expiry), vixValue(d, 'put', k, expiry)]).toEqual([s.call, s.put]);
        expect(vixDelta(d, k, expiry)).toBe(s.callDelta);
      }
    }
  });

  it('is the intrinsic value at expiry, with deltas of 0 or ±1', () => {
    const d = day(20);
    const s = spxStrike(d, 3900, 0);
    expect([s.call, s.put, s.callDelta, s.putDelta]).toEqual([100, 0, 1, 0]);
    const v = vixStrike(d, 25, 0);
    expect([v.call, v.put]).toEqual([0, 5]);
    // One side at a time on the expiry date: the same.
    const on = d.date;
    expect([spxValue(d, 'call', 3900, on), spxValue(d, 'put', 3900, on)]).toEqual([100, 0]);
    expect([spxDelta(d, 'call', 3900, on), spxDelta(d, 'put', 3900, on), spxDelta(d, 'put', 4100, on)]).toEqual([
      1, 0, -1,
    ]);
    expect([vixValue(d, 'call', 25, on), vixValue(d, 'put', 25, on), vixDelta(d, 15, on)]).toEqual([0, 5, 1]);
  });
});

describe('what a model chain states with its quotes (modelChain.ts Expiry.quotedFrom)', () => {
  const days: MarketDay[] = [
    { ...day(12), date: '2017-06-14', spx: 2440, rate: 0.009 },
    { ...day(28, { vvix: 120 }), date: '2008-10-01', spx: 1160, rate: 0.008 },
    { ...day(75, { vvix: 160 }), date: '2020-03-18', spx: 2400, rate: 0.002 },
    { ...day(18, { vix9d: 16, vix3m: 20 }), date: '2024-08-14', spx: 5450, rate: 0.052 },
  ];
  const strip = (c: Chain): Chain => ({
    ...c,
    expiries: c.expiries.map(({ quotedFrom: _, ...e }) => e),
  });

  it("states the smile its quotes were priced from: the SVI's vol is the model's at every strike, to 1e-12", () => {
    for (const d of days)
      for (const T of [DAYS(2), DAYS(9), DAYS(30), DAYS(65)]) {
        const F = spxPricingForward(d, T);
        const p = spxVolModel.svi(d, T, F);
        for (const m of [0.5, 0.8, 0.95, 1, 1.04, 1.2]) {
          const x = Math.log(m) - p.m;
          const w = p.a + p.b * (p.rho * x + Math.sqrt(x * x + p.sigma * p.sigma));
          expect(Math.abs(Math.sqrt(w / T) - spxVolModel.vol(d, F * m, T)), `${d.date} ${T} ${m}`).toBeLessThan(1e-12);
        }
      }
  });

  it('gives the session the forward, rate and smile its quotes give back when fitted as a page’s (within their cents)', () => {
    for (const d of days) {
      const chain = spxModelChain(d, spxExpiriesFor(d.date));
      const now = closeInstant(d.date);
      const stated = analyzeChain({ chain, now, planOnly: true });
      const fitted = analyzeChain({ chain: strip(chain), now, planOnly: true });
      expect(stated.rateAssumed).toBe(d.rate);
      expect(Math.abs(fitted.rateAssumed - d.rate), d.date).toBeLessThan(0.002);
      expect(stated.expiries.length).toBeGreaterThanOrEqual(3);
      stated.expiries.forEach((a, i) => {
        const b = fitted.expiries[i]!;
        const e = chain.expiries[i]!;
        expect(a.forward.method).toBe('quoted-model');
        expect(a.forward.forward).toBe(e.quotedFrom!.forward);
        expect(a.smile!.method, `${d.date} ${a.date}`).toBe('svi');
        expect(a.smile!.svi).toEqual(e.quotedFrom!.svi);
        expect(b.forward.method).not.toBe('quoted-model');
        expect(Math.abs(b.forward.forward! / a.forward.forward! - 1), `${d.date} ${a.date}`).toBeLessThan(2e-4);
        // The two smiles agree on every strike the fit read, within a fifth of a vol point: the fit recovers the
        // stated smile up to the quotes' rounding to cents.
        for (const s of b.strikes) {
          if (s.vol === null) continue;
          const gap = Math.abs(volAt(a.smile!, s.strike) - volAt(b.smile!, s.strike));
          expect(gap, `${d.date} ${a.date} ${s.strike}`).toBeLessThan(0.002);
        }
      });
    }
  });

  it("makes a VIX expiry's rows when they are first read: the quotes of vixStrike, one frozen array ever after", () => {
    for (const d of days) {
      const chain = vixModelChain(d, new Map([[vixModelChain(d).expiries[1]!.date, [33.5]]]));
      for (const e of chain.expiries) {
        const rows = e.rows;
        expect(Object.isFrozen(rows)).toBe(true);
        expect(e.rows).toBe(rows);
        expect(rows.length).toBeGreaterThan(5);
        const T = yearsTo(d.date, e.date);
        for (const r of rows) {
          const v = vixStrike(d, r.strike, T);
          expect(r.call!.iv).toBe(v.vol);
          expect(r.call!.delta).toBe(v.callDelta);
          // The model's value lies inside the quote (within the cent rounding).
          expect(v.call, `${d.date} ${e.date} ${r.strike}`).toBeGreaterThanOrEqual(r.call!.bid! - 0.005);
          expect(v.call, `${d.date} ${e.date} ${r.strike}`).toBeLessThanOrEqual(r.call!.ask! + 0.005);
          expect(v.put).toBeGreaterThanOrEqual(r.put!.bid! - 0.005);
          expect(v.put).toBeLessThanOrEqual(r.put!.ask! + 0.005);
        }
      }
      // The strike asked for on the second expiry is listed there, and only there.
      expect(chain.expiries.map((e) => e.rows.some((r) => r.strike === 33.5))).toEqual([false, true, false]);
      // It serialises as a plain chain (the rows read like any field).
      const plain = JSON.parse(JSON.stringify(chain)) as Chain;
      expect(plain.expiries.map((e) => e.rows.length)).toEqual(chain.expiries.map((e) => e.rows.length));
    }
  });

  it('gives the plan the VIX futures its VIX quotes were priced on, which parity on those quotes finds too', () => {
    for (const d of days) {
      const chain = vixModelChain(d);
      const now = closeInstant(d.date);
      const stated = impliedVixFutures({ chain, now, rate: d.rate });
      const implied = impliedVixFutures({ chain: strip(chain), now, rate: d.rate });
      expect(stated.length).toBe(3);
      stated.forEach((f, i) => {
        expect(f.method).toBe('quoted-model');
        expect(f.future).toBe(chain.expiries[i]!.quotedFrom!.forward);
        expect(f.future).toBe(vixModel.future(d, yearsTo(d.date, f.expiry)));
        expect(implied[i]!.method).toBe('parity');
        expect(Math.abs(implied[i]!.future! / f.future! - 1), `${d.date} ${f.expiry}`).toBeLessThan(0.002);
      });
    }
  });
});
