import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ChainRow } from '../../src/chain/types';
import { fitForward, median, quotedForward } from '../../src/engine/forward';
import { forwardOf, spxLikeSvi, syntheticChain, type SyntheticChainInput } from '../fixtures/engine/synthetic';

const base: SyntheticChainInput = {
  spot: 6600,
  rate: 0.043,
  dividendYield: 0.013,
  expiries: [
    { date: 'a', years: 30 / 365, svi: spxLikeSvi(30 / 365) },
    { date: 'b', years: 180 / 365, svi: spxLikeSvi(180 / 365) },
  ],
  strikeMin: 5000,
  strikeMax: 8000,
  strikeStep: 25,
};

function allFinite(x: unknown): boolean {
  if (typeof x === 'number') return Number.isFinite(x);
  if (Array.isArray(x)) return x.every(allFinite);
  if (x && typeof x === 'object') return Object.values(x).every(allFinite);
  return true;
}

describe('fitForward: put-call parity', () => {
  it('recovers F and D exactly from exact mids (30 and 180 days)', () => {
    const chain = syntheticChain(base);
    for (const [i, e] of base.expiries.entries()) {
      const truth = forwardOf(base, e.years);
      const fit = fitForward({ rows: chain.expiries[i]!.rows, years: e.years, spot: base.spot, rate: 0 });
      expect(fit.method).toBe('parity');
      expect(Math.abs(fit.forward! - truth.forward) / truth.forward).toBeLessThan(1e-9);
      expect(Math.abs(fit.discount! - truth.discount)).toBeLessThan(1e-9);
      expect(Math.abs(fit.rate! - base.rate)).toBeLessThan(1e-6);
      expect(fit.strikesUsed.length).toBe(40);
      expect(fit.strikesRejected).toEqual([]);
      expect(fit.reason).toBeNull();
    }
  });

  it('rejects stale quotes as outliers and still recovers F', () => {
    const chain = syntheticChain(base);
    const rows = chain.expiries[0]!.rows.map((r) => ({ ...r, call: r.call && { ...r.call } }));
    const bad = [6500, 6600, 6700];
    for (const r of rows)
      if (bad.includes(r.strike)) {
        r.call!.bid! += 6;
        r.call!.ask! += 6;
      }
    const truth = forwardOf(base, 30 / 365);
    const fit = fitForward({ rows, years: 30 / 365, spot: base.spot, rate: 0 });
    expect(fit.strikesRejected.sort()).toEqual(bad);
    expect(Math.abs(fit.forward! - truth.forward)).toBeLessThan(1e-6);
  });

  it('tick-rounded books: forward within a quarter point, rate within 0.3%', () => {
    const chain = syntheticChain({ ...base, tick: 0.05, halfSpreadFraction: 0.005, halfSpreadFloor: 0.05 });
    const truth = forwardOf(base, 180 / 365);
    const fit = fitForward({ rows: chain.expiries[1]!.rows, years: 180 / 365, spot: base.spot, rate: 0 });
    expect(fit.method).toBe('parity');
    expect(Math.abs(fit.forward! - truth.forward)).toBeLessThan(0.25);
    expect(Math.abs(fit.rate! - base.rate)).toBeLessThan(0.003);
    expect(fit.residualRms).toBeGreaterThan(0);
  });

  it('a very short expiry cannot pin D: uses the given rate, F still from parity', () => {
    const years = 1 / 365;
    const input = {
      ...base,
      strikeMin: 6500,
      strikeMax: 6700,
      strikeStep: 5,
      tick: 0.05,
      expiries: [{ date: 'x', years, svi: spxLikeSvi(years) }],
    };
    const chain = syntheticChain(input);
    const truth = forwardOf(input, years);
    const fit = fitForward({ rows: chain.expiries[0]!.rows, years, spot: base.spot, rate: 0.043 });
    expect(fit.method).toBe('parity-given-rate');
    expect(fit.reason).toMatch(/imprecise|implausible/);
    expect(Math.abs(fit.forward! - truth.forward)).toBeLessThan(0.1);
    expect(fit.discount).toBeCloseTo(Math.exp(-0.043 * years), 12);
  });

  it('too few strikes: says so, falls back to the given rate', () => {
    const chain = syntheticChain(base);
    const rows = chain.expiries[0]!.rows.filter((r) => r.strike === 6600);
    const fit = fitForward({ rows, years: 30 / 365, spot: base.spot, rate: 0.04 });
    expect(fit.method).toBe('parity-given-rate');
    expect(fit.reason).toMatch(/too few/);
    expect(fit.strikesUsed).toEqual([6600]);
  });

  it('no two-sided pair: spot fallback clearly marked; without spot, null with reason', () => {
    const rows: ChainRow[] = [
      {
        strike: 6600,
        call: { bid: 0, ask: 1, last: null, volume: null, openInterest: null, iv: null, delta: null },
        put: null,
      },
    ];
    const fit = fitForward({ rows, years: 0.1, spot: 6600, rate: 0.05 });
    expect(fit.method).toBe('fallback-spot');
    expect(fit.forward).toBeCloseTo(6600 * Math.exp(0.005), 9);
    expect(fit.reason).toMatch(/no strike with two-sided/);
    const none = fitForward({ rows, years: 0.1, spot: null, rate: 0.05 });
    expect(none.forward).toBeNull();
    expect(none.reason).toMatch(/no usable spot/);
  });

  it('never returns NaN or Infinity on junk rows', () => {
    const num = fc.oneof(fc.constant(null), fc.double({ noNaN: false }), fc.double({ min: 0, max: 500, noNaN: true }));
    const quote = fc.option(
      fc.record({
        bid: num,
        ask: num,
        last: fc.constant(null),
        volume: fc.constant(null),
        openInterest: fc.constant(null),
        iv: fc.constant(null),
        delta: fc.constant(null),
      }),
    );
    const row = fc.record({
      strike: fc.oneof(fc.double(), fc.integer({ min: 1, max: 10000 })),
      call: quote,
      put: quote,
    });
    fc.assert(
      fc.property(fc.array(row, { maxLength: 30 }), fc.double(), fc.option(fc.double()), (rows, years, spot) => {
        const fit = fitForward({ rows: rows as ChainRow[], years, spot, rate: 0.04 });
        expect(allFinite(fit)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('regression (found by the property above): an absurd ask with a subnormal time and duplicate strikes stays finite', () => {
    const q = (bid: number, ask: number) => ({
      bid,
      ask,
      last: null,
      volume: null,
      openInterest: null,
      iv: null,
      delta: null,
    });
    const rows = [
      { strike: 1, call: q(5e-324, 5e-324), put: q(5e-324, 5e-324) },
      { strike: 1, call: q(5e-324, 2.6815615859885194e154), put: q(5e-324, 5e-324) },
    ];
    const fit = fitForward({ rows, years: 5e-324, spot: null, rate: 0.04 });
    expect(allFinite(fit)).toBe(true);
    expect(fit.strikesUsed).toEqual([1]); // the absurd row is not a two-sided market
  });
});

describe('median (selection, not a sort)', () => {
  const bySort = (xs: number[]) => {
    const a = Float64Array.from(xs).sort();
    const h = a.length >> 1;
    return a.length === 0 ? 0 : a.length % 2 ? a[h]! : 0.5 * (a[h - 1]! + a[h]!);
  };
  it('equals the sorted middle on random, sorted, reversed, constant and repeated values, odd and even counts', () => {
    // A fixed linear congruential sequence: the same cases every run.
    let seed = 12345;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 200 - 100;
    const cases: number[][] = [[], [3], [2, 1], [5, 5, 5, 5], [1, 2, 2, 2, 3, 3], [-0, 0, -1e-300, 1e300]];
    for (let n = 1; n <= 60; n++) {
      const xs = Array.from({ length: n }, rand);
      cases.push(
        xs,
        [...xs].sort((a, b) => a - b),
        [...xs].sort((a, b) => b - a),
      );
      cases.push(xs.map((x) => Math.round(x / 40)));
    }
    // `+ 0`: −0 and +0 are equal values; which of them a selection meets first is not the sort's business.
    for (const xs of cases) expect(median(xs) + 0).toBe(bySort(xs) + 0);
  });
  it('leaves its input alone and puts NaN last, as a numeric sort does', () => {
    const xs = [4, NaN, 1, 3];
    expect(median(xs)).toBe(3.5);
    expect(xs).toEqual([4, NaN, 1, 3]);
  });
});

describe('fitForward: the same fit whatever order the rows come in and whatever was fitted before', () => {
  it('fits rows in strike order, out of it, few or many, one after another, to the same figures', () => {
    const chain = syntheticChain({ ...base, strikeMin: 6300, strikeMax: 6900 }); // 25 strikes: all are kept
    const wide = syntheticChain(base); // 121 strikes: the 40 nearest the spot are kept
    const noisy = (rows: readonly ChainRow[]) =>
      rows.map((r, i) =>
        i % 7 === 3 && r.call && r.call.bid !== null && r.call.ask !== null
          ? { ...r, call: { ...r.call, bid: r.call.bid + 0.35, ask: r.call.ask + 0.35 } }
          : r,
      );
    // (A spot between strikes: no two strikes tie for nearest, so the 40 kept of the wide chain do not depend on
    // the rows' order either.)
    for (const rows of [chain.expiries[0]!.rows, chain.expiries[1]!.rows, wide.expiries[0]!.rows].map(noisy)) {
      const years = 30 / 365;
      const fit = (rs: readonly ChainRow[]) => fitForward({ rows: rs, years, spot: base.spot + 10, rate: 0.04 });
      const first = JSON.stringify(fit(rows));
      const reversed = JSON.stringify(fit(rows.slice().reverse()));
      const shuffled = JSON.stringify(fit(rows.map((r, i) => rows[(i * 7) % rows.length]!)));
      expect(reversed).toBe(first);
      expect(JSON.stringify(fit([...rows]))).toBe(first); // after fits of other sizes
      if (rows.length % 7 !== 0) expect(shuffled).toBe(first);
    }
  });
});

describe('fitForward on frozen rows: the parity stage is kept, each rate still gets its own fit', () => {
  it('fits frozen rows at several rates, spots and windows to the figures of unfrozen copies', () => {
    const chain = syntheticChain(base);
    for (const e of chain.expiries) {
      // A short expiry (the implied rate too imprecise: D from the given rate) and a long one (D from parity).
      for (const years of [7 / 365, 180 / 365]) {
        const frozen = Object.freeze(e.rows.map((r) => r)) as ChainRow[];
        const inputs = [
          { spot: base.spot, rate: 0.01 },
          { spot: base.spot, rate: 0.05 },
          { spot: base.spot + 200, rate: 0.05 },
          { spot: null, rate: 0.03 },
          { spot: base.spot, rate: 0.05, maxStrikes: 8 },
        ];
        const fits = inputs.map((x) => fitForward({ rows: frozen, years, ...x }));
        inputs.forEach((x, i) => {
          expect(fits[i]).toEqual(fitForward({ rows: structuredClone(frozen), years, ...x }));
        });
        // The rate is read: a given-rate fit differs between the two rates, a parity fit does not need it.
        if (fits[0]!.method === 'parity-given-rate') expect(fits[0]!.discount).not.toBe(fits[1]!.discount);
        else expect(fits[0]!.method).toBe('parity');
        // The window and the spot are read: 8 strikes instead of 40.
        expect(fits[4]!.strikesUsed.length).toBeLessThan(fits[1]!.strikesUsed.length);
      }
    }
  });
});

describe('quotedForward: the forward a model states with its quotes (Expiry.quotedFrom)', () => {
  it('is taken as stated, with its rate, and nothing fitted', () => {
    const f = quotedForward({ forward: 5012.5, discount: Math.exp(-0.045 * 0.1), rate: 0.045 }, 0.1)!;
    expect(f).toMatchObject({ method: 'quoted-model', forward: 5012.5, rate: 0.045, strikesUsed: [], reason: null });
    expect(f.discount).toBe(Math.exp(-0.045 * 0.1));
  });

  it('is refused (the quotes are then fitted) when it is not usable', () => {
    const ok = { forward: 100, discount: 0.99, rate: 0.04 };
    expect(quotedForward(undefined, 0.1)).toBeNull();
    expect(quotedForward(ok, 0)).toBeNull();
    expect(quotedForward(ok, Number.NaN)).toBeNull();
    for (const bad of [
      { ...ok, forward: 0 },
      { ...ok, forward: Number.NaN },
      { ...ok, forward: Infinity },
      { ...ok, discount: 0 },
      { ...ok, discount: 2 },
      { ...ok, rate: Number.NaN },
      { ...ok, rate: 0.9 },
    ])
      expect(quotedForward(bad, 0.1), JSON.stringify(bad)).toBeNull();
  });
});
