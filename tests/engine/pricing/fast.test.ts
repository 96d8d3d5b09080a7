/**
 * The hot paths (issue 3) against the careful ones: the greeks' fast path against Φ/φ formulas and the careful
 * price (blackPrice), the shared-exponential normalised Black function against the stand-alone one, and the
 * allocation-free implied-volatility solvers against the {ok, vol} API.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { black76Greeks, blackPrice, bsmGreeks, bsmGreeksInto, emptyGreeks } from '../../../src/engine/pricing/black';
import {
  IV_AT_OR_ABOVE_UPPER_BOUND,
  IV_BELOW_INTRINSIC,
  IV_INVALID_INPUT,
  IV_NEGATIVE_PRICE,
  impliedVolatility,
  impliedVolatilityBlack76,
  impliedVolatilityBlack76Value,
  impliedVolatilityBsm,
  impliedVolatilityBsmValue,
  impliedVolatilityValue,
  ivFailureReason,
  normalisedImpliedTotalVol,
} from '../../../src/engine/pricing/iv';
import { normCdf, normPdf } from '../../../src/engine/pricing/normal';
import {
  normalisedBlackOtm,
  normalisedBlackOtmComplement,
  normalisedBlackParts,
  normalisedComplementParts,
} from '../../../src/engine/pricing/normalised';

/** |got − want| ≤ rel·|want| + abs. */
function near(got: number, want: number, rel: number, abs = 0): boolean {
  return Math.abs(got - want) <= rel * Math.abs(want) + abs;
}

const logUniform = (min: number, max: number) =>
  fc.double({ min: Math.log(min), max: Math.log(max), noNaN: true }).map(Math.exp);

describe('normalised Black function from shared parts', () => {
  it('equals the stand-alone evaluation (b and b_max − b) to a few ulp', () => {
    fc.assert(
      fc.property(logUniform(1e-10, 500), logUniform(1e-6, 80), fc.boolean(), (ax, s, atm) => {
        const x = atm ? 0 : -ax;
        const h = x / s;
        const t = 0.5 * s;
        const ex = Math.exp(0.5 * x);
        const E = Math.exp(-0.5 * (h * h + t * t));
        const b = normalisedBlackOtm(x, s);
        const c = normalisedBlackOtmComplement(x, s);
        // the Gaussian factor's own rounding grows with (h² + t²)/2 (as in the stand-alone form)
        const tol = 1e-14 + 4e-16 * (0.5 * (h * h + t * t));
        if (b > 1e-290) expect(near(normalisedBlackParts(x, h, t, ex, E), b, tol)).toBe(true);
        if (c > 1e-290) expect(near(normalisedComplementParts(h, t, ex, E), c, tol)).toBe(true);
      }),
      { numRuns: 5000 },
    );
  });
  it('is inverted to full precision, also in the far wings (x < −600 takes the careful path)', () => {
    for (const x of [0, -1e-12, -1e-6, -0.01, -0.3, -1, -5, -30, -200, -700]) {
      for (const s of [1e-4, 0.01, 0.1, 0.5, 1, 2, 5, 20, 60]) {
        const beta = normalisedBlackOtm(x, s);
        if (!(beta > 1e-280) || !(beta < Math.exp(0.5 * x) * (1 - 1e-12))) continue;
        const got = normalisedImpliedTotalVol(beta, x);
        // the inverse problem's condition: ds = db/b'
        const cond = (beta / (Math.exp(-0.5 * ((x / s) ** 2 + 0.25 * s * s)) * 0.3989422804014327)) * 4e-16;
        expect(Math.abs(got - s), `x ${x} s ${s}`).toBeLessThanOrEqual(1e-14 * s + cond);
      }
    }
  });
});

describe('greeks fast path', () => {
  it('matches Φ/φ formulas and the careful price over a wide domain (bsm and b76)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('call' as const, 'put' as const),
        logUniform(1, 1e4),
        logUniform(0.2, 5),
        logUniform(1e-7, 30),
        logUniform(1e-3, 5),
        fc.double({ min: -0.05, max: 0.25, noNaN: true }),
        fc.constantFrom(0, 0.01, 0.037, -1),
        (kind, spot, m, years, vol, rate, q0) => {
          const dividendYield = q0 === -1 ? rate : q0; // q = 0 and q = r take the one-exponential paths
          const strike = spot * m;
          const g = bsmGreeks({ kind, spot, strike, years, vol, rate, dividendYield });
          const D = Math.exp(-rate * years);
          const Dq = Math.exp(-dividendYield * years);
          const F = (spot * Dq) / D;
          const sd = vol * Math.sqrt(years);
          const d1 = (Math.log(spot / strike) + (rate - dividendYield) * years) / sd + 0.5 * sd;
          const sign = kind === 'call' ? 1 : -1;
          const n1 = normCdf(sign * d1);
          const n2 = normCdf(sign * (d1 - sd));
          // d1 carries its own rounding: Φ and φ move by ~|d|·δd relatively
          const rel = 1e-13 * (1 + d1 * d1);
          // blackPrice and black76 see F rounded once more: values move by ~(1 + |d1|)/σ√T times that rounding
          const relF = rel + (1e-15 * (1 + Math.abs(d1))) / sd;
          expect(
            near(g.price, blackPrice({ kind, forward: F, strike, years, vol, discount: D }), relF, 1e-14 * spot),
          ).toBe(true);
          expect(near(g.delta, sign * Dq * n1, rel, 1e-300)).toBe(true);
          expect(near(g.itmProbability, n2, rel, 1e-300)).toBe(true);
          expect(near(g.gamma, (Dq * normPdf(d1)) / (spot * sd), rel, 1e-300)).toBe(true);
          expect(near(g.vega, spot * Dq * normPdf(d1) * Math.sqrt(years), rel, 1e-300)).toBe(true);
          const b = black76Greeks({ kind, forward: F, strike, years, vol, rate });
          expect(near(b.price, g.price, relF, 1e-13 * spot)).toBe(true);
          expect(near(b.delta * Dq, g.delta * D, relF, 1e-300)).toBe(true); // both D·N(d1)·e^{−qT}
          expect(near(b.itmProbability, g.itmProbability, relF, 1e-300)).toBe(true);
        },
      ),
      { numRuns: 3000 },
    );
  });
  it('bsmGreeksInto reuses one object and gives what bsmGreeks gives', () => {
    const out = emptyGreeks();
    const i = {
      kind: 'put' as const,
      spot: 6600,
      strike: 6400,
      years: 0.02,
      vol: 0.18,
      rate: 0.04,
      dividendYield: 0.012,
    };
    expect(bsmGreeksInto(i, out)).toBe(out);
    expect(out).toEqual(bsmGreeks(i));
    // edge cases still go to the careful path: limits, and errors
    expect(bsmGreeksInto({ ...i, years: 0 }, out).price).toBe(0);
    expect(() => bsmGreeksInto({ ...i, spot: -1 }, out)).toThrow(RangeError);
  });
});

describe('allocation-free implied volatility', () => {
  const anyNumber = fc.oneof(
    fc.double(),
    fc.double({ min: 1e-3, max: 1e4, noNaN: true }),
    fc.constantFrom(0, -0, 1e-320, -1, 1e308, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, Number.NaN),
  );
  const kinds = fc.constantFrom('call' as const, 'put' as const, 'straddle' as never);
  it('gives exactly the {ok, vol} answers, and the reasons as codes', () => {
    const same = (v: number, r: ReturnType<typeof impliedVolatility>) => {
      if (r.ok) expect(v).toBe(r.vol);
      else expect(ivFailureReason(v)).toBe(r.reason);
      expect(Number.isNaN(v)).toBe(false);
    };
    fc.assert(
      fc.property(kinds, anyNumber, anyNumber, anyNumber, anyNumber, anyNumber, anyNumber, (kind, p, s, k, t, r, q) => {
        same(
          impliedVolatilityBsmValue(kind, p, s, k, t, r, q),
          impliedVolatilityBsm({ kind, price: p, spot: s, strike: k, years: t, rate: r, dividendYield: q }),
        );
        same(
          impliedVolatilityBlack76Value(kind, p, s, k, t, r),
          impliedVolatilityBlack76({ kind, price: p, forward: s, strike: k, years: t, rate: r }),
        );
        same(
          impliedVolatilityValue(kind, p, s, k, t, r),
          impliedVolatility({ kind, price: p, forward: s, strike: k, years: t, discount: r }),
        );
      }),
      { numRuns: 3000 },
    );
  });
  it('round trips realistic prices, and codes each failure', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('call' as const, 'put' as const),
        logUniform(0.5, 2),
        logUniform(1e-5, 3),
        logUniform(0.03, 3),
        (kind, m, years, vol) => {
          const i = { kind, spot: 5000, strike: 5000 * m, years, rate: 0.04, dividendYield: 0.01 };
          const price = bsmGreeks({ ...i, vol }).price;
          const v = impliedVolatilityBsmValue(kind, price, i.spot, i.strike, years, i.rate, i.dividendYield);
          expect(v).toBeGreaterThanOrEqual(0);
          if (v > 0 && price > 1e-300) expect(near(bsmGreeks({ ...i, vol: v }).price, price, 1e-12)).toBe(true);
        },
      ),
      { numRuns: 1000 },
    );
    expect(impliedVolatilityValue('put', -0.1, 100, 95, 0.1, 1)).toBe(IV_NEGATIVE_PRICE);
    expect(impliedVolatilityValue('call', 4.1, 100, 95, 0.1, 1)).toBe(IV_BELOW_INTRINSIC);
    expect(impliedVolatilityValue('call', 100, 100, 95, 0.1, 1)).toBe(IV_AT_OR_ABOVE_UPPER_BOUND);
    expect(impliedVolatilityValue('call', 1, 100, 95, 0, 1)).toBe(IV_INVALID_INPUT);
    expect(ivFailureReason(0.2)).toBeUndefined();
  });
});
