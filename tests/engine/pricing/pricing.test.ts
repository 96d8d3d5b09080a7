import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { black76Greeks, blackPrice, bsmGreeks, type Greeks } from '../../../src/engine/pricing/black';
import { impliedVolatility, impliedVolatilityBlack76, impliedVolatilityBsm } from '../../../src/engine/pricing/iv';
import {
  erfc,
  erfcxLarge,
  expNegHalfSquare,
  expNegSquare,
  normCdf,
  normInv,
  normPdf,
} from '../../../src/engine/pricing/normal';

const base = { spot: 6600, strike: 6650, years: 0.05, vol: 0.2, rate: 0.04, dividendYield: 0.01 };

describe('normal distribution', () => {
  it('matches known values to machine precision', () => {
    // Φ(−1), Φ(−10), Φ(−37) and erfc(5) from 50-digit references
    expect(normCdf(-1)).toBeCloseTo(0.15865525393145705, 16);
    expect(Math.abs(normCdf(-10) / 7.619853024160527e-24 - 1)).toBeLessThan(4e-16);
    expect(Math.abs(normCdf(-37) / 5.7255712225239e-300 - 1)).toBeLessThan(2e-13);
    expect(Math.abs(erfc(5) / 1.5374597944280349e-12 - 1)).toBeLessThan(4e-16);
    expect(normPdf(0)).toBe(0.3989422804014327);
    expect(normCdf(0)).toBe(0.5);
  });
  it('Φ is ½·erfc(−x/√2), and ½·erfcx·e^{−x²/2} in the lower tail, bit for bit, NaN and the infinities included', () => {
    // The definition Φ is computed by (the body before its branches were laid out flat for the hot paths).
    const byDefinition = (x: number) => {
      if (Number.isNaN(x)) return Number.NaN;
      const u = -x * Math.SQRT1_2;
      if (u <= 0.5) return 0.5 * erfc(u);
      if (x < -38.5) return 0;
      return 0.5 * erfcxLarge(u) * expNegHalfSquare(x);
    };
    const xs = [
      Number.NaN,
      -Infinity,
      Infinity,
      0,
      -0,
      -38.5,
      -38.6,
      -0.5 * Math.SQRT2,
      0.5 * Math.SQRT2,
      6 * Math.SQRT2,
    ];
    for (let x = -40; x <= 40; x += 0.0173) xs.push(x);
    for (const x of xs) expect(Object.is(normCdf(x), byDefinition(x)), `Φ(${x})`).toBe(true);
    fc.assert(
      fc.property(fc.double({ min: -50, max: 50, noNaN: true }), (x) => Object.is(normCdf(x), byDefinition(x))),
      { numRuns: 5000 },
    );
  });
  it('Cody’s split exponentials read from their table are the two exps, bit for bit', () => {
    const split = (x: number, half: boolean) => {
      const ax = Math.abs(x);
      if (ax > (half ? 38.6 : 27.3)) return 0;
      const xs = Math.trunc(ax * 16) / 16;
      const del = (ax - xs) * (ax + xs);
      return half ? Math.exp(-0.5 * xs * xs) * Math.exp(-0.5 * del) : Math.exp(-xs * xs) * Math.exp(-del);
    };
    const xs = [0, -0, 27.3, -27.3, 27.31, 38.6, 38.61, 1 / 16, 437 / 16, 617 / 16, Number.NaN];
    for (let x = -40; x <= 40; x += 0.0071) xs.push(x);
    for (const x of xs) {
      expect(Object.is(expNegSquare(x), split(x, false)), `exp(−x²) at ${x}`).toBe(true);
      expect(Object.is(expNegHalfSquare(x), split(x, true)), `exp(−x²/2) at ${x}`).toBe(true);
    }
  });
  it('inverse normal inverts Φ', () => {
    for (const x of [-30, -8, -3, -1, -0.1, 0.3, 2, 5])
      expect(Math.abs(normInv(normCdf(x)) - x)).toBeLessThan(1e-12 * Math.max(1, Math.abs(x)) * (x > 3 ? 1e4 : 1));
  });
});

describe('put-call parity and model consistency', () => {
  it('C − P = S·e^{−qT} − K·e^{−rT} (bsm) and D·(F − K) (b76)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 500, max: 8000, noNaN: true }),
        fc.double({ min: 0.5, max: 1.5, noNaN: true }),
        fc.double({ min: 1e-6, max: 3, noNaN: true }),
        fc.double({ min: 0.05, max: 3, noNaN: true }),
        fc.double({ min: -0.01, max: 0.1, noNaN: true }),
        fc.double({ min: 0, max: 0.05, noNaN: true }),
        (spot, m, years, vol, rate, dividendYield) => {
          const strike = spot * m;
          const c = bsmGreeks({ kind: 'call', spot, strike, years, vol, rate, dividendYield });
          const p = bsmGreeks({ kind: 'put', spot, strike, years, vol, rate, dividendYield });
          const parity = spot * Math.exp(-dividendYield * years) - strike * Math.exp(-rate * years);
          expect(Math.abs(c.price - p.price - parity)).toBeLessThan(1e-12 * spot);
          expect(Math.abs(c.delta - p.delta - Math.exp(-dividendYield * years))).toBeLessThan(1e-14);
          expect(c.gamma).toBe(p.gamma);
          expect(c.vega).toBe(p.vega);
          const F = spot * Math.exp((rate - dividendYield) * years);
          const b = black76Greeks({ kind: 'call', forward: F, strike, years, vol, rate });
          expect(Math.abs(b.price - c.price)).toBeLessThan(1e-12 * spot);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('greeks against finite differences', () => {
  const fd = (f: (h: number) => number, h: number) => (f(h) - f(-h)) / (2 * h);
  for (const kind of ['call', 'put'] as const) {
    it(`bsm ${kind}`, () => {
      const g = bsmGreeks({ ...base, kind });
      const price = (o: Partial<typeof base>) => bsmGreeks({ ...base, ...o, kind }).price;
      const hS = 1e-4 * base.spot;
      expect(fd((h) => price({ spot: base.spot + h }), hS)).toBeCloseTo(g.delta, 6);
      expect(fd((h) => bsmGreeks({ ...base, spot: base.spot + h, kind }).delta, hS)).toBeCloseTo(g.gamma, 8);
      expect(fd((h) => price({ vol: base.vol + h }), 1e-5) / g.vega - 1).toBeCloseTo(0, 6);
      expect(-fd((h) => price({ years: base.years + h }), 1e-6) / g.theta - 1).toBeCloseTo(0, 5);
      expect(fd((h) => price({ rate: base.rate + h }), 1e-5) / g.rho - 1).toBeCloseTo(0, 6);
      expect(fd((h) => price({ dividendYield: base.dividendYield + h }), 1e-5) / g.phi! - 1).toBeCloseTo(0, 6);
      expect(g.vegaPerVolPoint).toBe(g.vega / 100);
      expect(g.thetaPerDay).toBe(g.theta / 365);
      expect(g.rhoPerPoint).toBe(g.rho / 100);
    });
    it(`b76 ${kind}`, () => {
      const b = { forward: 18.5, strike: 25, years: 0.08, vol: 0.9, rate: 0.045 };
      const g = black76Greeks({ ...b, kind });
      const price = (o: Partial<typeof b>) => black76Greeks({ ...b, ...o, kind }).price;
      expect(fd((h) => price({ forward: b.forward + h }), 1e-4)).toBeCloseTo(g.delta, 7);
      expect(fd((h) => black76Greeks({ ...b, forward: b.forward + h, kind }).delta, 1e-4)).toBeCloseTo(g.gamma, 6);
      expect(fd((h) => price({ vol: b.vol + h }), 1e-6) / g.vega - 1).toBeCloseTo(0, 6);
      expect(-fd((h) => price({ years: b.years + h }), 1e-7) / g.theta - 1).toBeCloseTo(0, 5);
      expect(g.rho).toBeCloseTo(-b.years * g.price, 14);
    });
  }
});

describe('limits', () => {
  it('years = 0 and vol = 0 give intrinsic values and finite greeks away from the money', () => {
    for (const o of [{ years: 0 }, { vol: 0 }]) {
      const c = bsmGreeks({ ...base, ...o, strike: 6000, kind: 'call' });
      const p = bsmGreeks({ ...base, ...o, strike: 6000, kind: 'put' });
      expect(p.price).toBe(0);
      expect(p.delta).toBe(-0);
      expect(c.itmProbability).toBe(1);
      for (const v of Object.values(c)) expect(Number.isNaN(v)).toBe(false);
    }
    const atm = bsmGreeks({ ...base, years: 0, spot: 100, strike: 100, kind: 'call' });
    expect(atm.price).toBe(0);
    expect(atm.delta).toBe(0.5);
    expect(atm.gamma).toBe(Number.POSITIVE_INFINITY);
    expect(blackPrice({ kind: 'put', forward: 90, strike: 100, years: 0, vol: 0.3, discount: 0.99 })).toBeCloseTo(
      9.9,
      14,
    );
  });
  it('huge σ√T tends to D·F for a call and D·K for a put', () => {
    expect(blackPrice({ kind: 'call', forward: 100, strike: 120, years: 1, vol: 1e200, discount: 0.9 })).toBeCloseTo(
      90,
      12,
    );
    expect(blackPrice({ kind: 'put', forward: 100, strike: 120, years: 1, vol: 1e200, discount: 0.9 })).toBeCloseTo(
      108,
      12,
    );
  });
});

const anyNumber = fc.oneof(
  fc.double(),
  fc.constantFrom(0, -0, 1e-320, -1, 1e308, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, Number.NaN),
);
const anyKind = fc.constantFrom('call', 'put', 'straddle', '' as never);

/** Asserts `check` on 2000 draws of a kind and six numbers, any of them junk. */
function forAnyJunk(check: (kind: string, ...n: [number, number, number, number, number, number]) => void): void {
  fc.assert(fc.property(anyKind, anyNumber, anyNumber, anyNumber, anyNumber, anyNumber, anyNumber, check), {
    numRuns: 2000,
  });
}

function noNaN(g: Greeks): void {
  for (const [k, v] of Object.entries(g)) if (v !== undefined) expect(Number.isNaN(v), k).toBe(false);
}

describe('junk inputs never produce NaN', () => {
  it('greeks either throw RangeError or return NaN-free numbers', () => {
    forAnyJunk((kind, spot, strike, years, vol, rate, q) => {
      for (const f of [
        () => bsmGreeks({ kind: kind as 'call', spot, strike, years, vol, rate, dividendYield: q }),
        () => black76Greeks({ kind: kind as 'call', forward: spot, strike, years, vol, rate }),
      ]) {
        let g: Greeks | null = null;
        try {
          g = f();
        } catch (e) {
          expect(e).toBeInstanceOf(RangeError);
        }
        if (g) noNaN(g);
      }
    });
  });
  it('implied volatility returns ok with a finite vol ≥ 0 or a reason, never throws', () => {
    forAnyJunk((kind, price, spot, strike, years, rate, q) => {
      for (const r of [
        impliedVolatilityBsm({ kind: kind as 'call', price, spot, strike, years, rate, dividendYield: q }),
        impliedVolatilityBlack76({ kind: kind as 'call', price, forward: spot, strike, years, rate }),
        impliedVolatility({ kind: kind as 'call', price, forward: spot, strike, years, discount: rate }),
      ]) {
        if (r.ok) expect(Number.isFinite(r.vol) && r.vol >= 0).toBe(true);
        else expect(r.message).toMatch(/\w+ .*\w/);
      }
    });
  });
  it('round trips realistic prices', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('call' as const, 'put' as const),
        fc.double({ min: 0.6, max: 1.4, noNaN: true }),
        fc.double({ min: 1e-5, max: 2, noNaN: true }),
        fc.double({ min: 0.05, max: 2, noNaN: true }),
        (kind, m, years, vol) => {
          const i = { kind, spot: 5000, strike: 5000 * m, years, rate: 0.04, dividendYield: 0.01 };
          const price = bsmGreeks({ ...i, vol }).price;
          const r = impliedVolatilityBsm({ ...i, price });
          if (price < 1e-300) return;
          // an ITM quote whose time value is below rounding cannot be inverted; otherwise σ comes back
          if (r.ok && r.vol > 0)
            expect(Math.abs(bsmGreeks({ ...i, vol: r.vol }).price - price)).toBeLessThanOrEqual(1e-12 * price);
          else expect(r.ok).toBe(true);
        },
      ),
      { numRuns: 1000 },
    );
  });
  it('messages are one readable sentence', () => {
    const r = impliedVolatilityBsm({
      kind: 'call',
      price: 4.1,
      spot: 100,
      strike: 95,
      years: 0.1,
      rate: 0,
      dividendYield: 0,
    });
    expect(r).toEqual({
      ok: false,
      reason: 'below-intrinsic',
      message: 'price 4.1 is below the discounted intrinsic value 5',
    });
    const n = impliedVolatility({ kind: 'put', price: -0.1, forward: 100, strike: 95, years: 0.1, discount: 1 });
    expect(n.ok ? '' : n.reason).toBe('negative-price');
    const u = impliedVolatility({ kind: 'call', price: 100, forward: 100, strike: 95, years: 0.1, discount: 1 });
    expect(u.ok ? '' : u.reason).toBe('at-or-above-upper-bound');
    const bad = impliedVolatility({ kind: 'call', price: 1, forward: 100, strike: 95, years: 0, discount: 1 });
    expect(bad.ok ? '' : bad.reason).toBe('invalid-input');
  });
});
