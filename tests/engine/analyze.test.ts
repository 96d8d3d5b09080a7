import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { emptyQuote, type Chain } from '../../src/chain/types';
import { importCboe } from '../../src/chain/importers/cboe';
import { analyzeChain } from '../../src/engine/analyze';
import { readChainFromHtml } from '../../src/brokers/node';
import { smileDelta } from '../../src/engine/builders';
import { volAt } from '../../src/engine/smile';
import { yearsToExpiry } from '../../src/engine/time';
import { sharedFile } from '../helpers/shared';
import { forwardOf, spxLikeSvi, sviVol, syntheticChain, type SyntheticChainInput } from '../fixtures/engine/synthetic';
import { modelFor } from '../../src/engine/analyze';

const now = new Date('2026-03-16T14:00:00Z');
const dates = ['2026-03-23', '2026-04-17', '2026-05-15'];
const yearsOf = (date: string) => yearsToExpiry({ now, expiry: { date, settlement: 'PM', root: 'SPXW' } });
const input: SyntheticChainInput = {
  spot: 6600,
  rate: 0.043,
  dividendYield: 0.013,
  expiries: dates.map((date) => ({ date, years: yearsOf(date), svi: spxLikeSvi(yearsOf(date)) })),
  strikeMin: 5000,
  strikeMax: 7600,
  strikeStep: 10,
};
const chain = syntheticChain(input);

function nonFinitePaths(x: unknown, path = '$'): string[] {
  if (typeof x === 'number') return Number.isFinite(x) ? [] : [path];
  if (Array.isArray(x)) return x.flatMap((v, i) => nonFinitePaths(v, `${path}[${i}]`));
  if (x && typeof x === 'object') return Object.entries(x).flatMap(([k, v]) => nonFinitePaths(v, `${path}.${k}`));
  return [];
}

describe('analyzeChain on a synthetic chain priced from a known smile', () => {
  const a = analyzeChain({ chain, now });

  it('recovers every expiry’s forward, discount and IVs', () => {
    expect(a.expiries.length).toBe(3);
    for (const [i, e] of a.expiries.entries()) {
      const truth = forwardOf(input, input.expiries[i]!.years);
      expect(e.forward.method).toBe('parity');
      expect(Math.abs(e.forward.forward! - truth.forward) / truth.forward).toBeLessThan(1e-8);
      expect(Math.abs(e.forward.discount! - truth.discount)).toBeLessThan(1e-8);
      let worst = 0;
      for (const s of e.strikes)
        if (s.vol !== null)
          worst = Math.max(
            worst,
            Math.abs(s.vol - sviVol(input.expiries[i]!.svi, Math.log(s.strike / truth.forward), e.years)),
          );
      expect(worst).toBeLessThan(1e-6);
      expect(e.smile!.butterflyFree).toBe(true);
      expect(Math.abs(e.atmVol! - sviVol(input.expiries[i]!.svi, 0, e.years))).toBeLessThan(5e-4);
      expect(e.expectedMove.fromAtmVol).toBeGreaterThan(0);
      expect(e.expectedMove.fromStraddle).toBeGreaterThan(0);
    }
  });

  it('picks the expiry nearest 30 days and suggests a 16-delta condor with curves and a 21×41 grid', () => {
    expect(a.chosenExpiry).toBe(1);
    expect(a.condorSuggested).toBe(true);
    const c = a.condor!;
    const model = modelFor(a.expiries[1]!, a.spot)!;
    expect(Math.abs(Math.abs(smileDelta({ model, kind: 'put', strike: c.strikes[1] })) - 0.16)).toBeLessThan(0.01);
    expect(Math.abs(smileDelta({ model, kind: 'call', strike: c.strikes[2] }) - 0.16)).toBeLessThan(0.01);
    expect(c.strikes[1] - c.strikes[0]).toBe(50);
    expect(c.creditSource).toBe('mid');
    expect(a.pnlCurves.length).toBe(3);
    expect(a.pnlCurves[2]!.atExpiry).toBe(true);
    expect(a.grid!.pnlDollars.length).toBe(21);
    expect(a.grid!.pnlDollars[0]!.length).toBe(41);
  });

  it('gives one frozen model per smile and figures (what the plan keeps with it), a new one when the spot moves', () => {
    const e = a.expiries[1]!;
    const m = modelFor(e, a.spot)!;
    expect(Object.isFrozen(m)).toBe(true);
    expect(modelFor(e, a.spot)).toBe(m);
    expect(modelFor({ ...e }, a.spot)).toBe(m);
    const moved = modelFor(e, a.spot! + 10)!;
    expect(moved).not.toBe(m);
    expect(moved.underlying).toBe(a.spot! + 10);
    expect(moved.carry).not.toBe(m.carry);
    expect(modelFor(e, a.spot)).toEqual(m);
  });

  it('is plain, finite, structured-clone safe data', () => {
    expect(nonFinitePaths(a)).toEqual([]);
    expect(structuredClone(a)).toEqual(a);
  });

  it('a given condor and expiry are used as asked', () => {
    const b = analyzeChain({
      chain,
      now,
      expiry: '2026-03-23',
      condor: { strikes: [6400, 6450, 6750, 6800], quantity: 2, credit: 3 },
    });
    expect(b.chosenExpiry).toBe(0);
    expect(b.condorSuggested).toBe(false);
    expect(b.condor!.creditUsed).toBe(3);
    expect(b.condor!.maxProfitDollars).toBeCloseTo(600, 9);
    const bad = analyzeChain({ chain, now, condor: { strikes: [6450, 6400, 6750, 6800], quantity: 1 } });
    expect(bad.condor).toBeNull();
    expect(bad.condorReason).toMatch(/out of order/);
    const none = analyzeChain({ chain, now, expiry: '2030-01-01' });
    expect(none.chosenExpiry).toBeNull();
    expect(none.chosenReason).toMatch(/not on the chain/);
  });

  it('expired expiries are reported, not analysed', () => {
    const later = analyzeChain({ chain, now: new Date('2026-03-24T14:00:00Z') });
    expect(later.expiries[0]!.reason).toMatch(/expired/);
    expect(later.expiries[0]!.smile).toBeNull();
    expect(nonFinitePaths(later)).toEqual([]);
  });
});

describe('analyzeChain never throws or leaks NaN on junk chains', () => {
  it('absurd but finite quotes whose sum overflows (found by the property below)', () => {
    const junk: Chain = {
      version: 1,
      underlying: { symbol: 'X', price: 0.9995640220066769 },
      asOf: null,
      source: { kind: 'manual', adapter: 't' },
      expiries: [
        {
          date: '2026-03-20',
          root: 'SPX',
          settlement: 'AM',
          rows: [{ strike: 1, call: null, put: { ...emptyQuote(), bid: 9.9792015476736e291, ask: Number.MAX_VALUE } }],
        },
      ],
      warnings: [],
    };
    const a = analyzeChain({ chain: junk, now: new Date('2026-03-16T14:00:00Z') });
    expect(nonFinitePaths(a)).toEqual([]);
  });

  it('a negative bid under a huge ask: no spread read from it (found by the property below, seed -983524553)', () => {
    const put = { ...emptyQuote(), bid: -3.49272054168576e293, ask: 1.7976931348623123e308 };
    const junk: Chain = {
      version: 1,
      underlying: { symbol: 'X', price: 0.9945639160289855 },
      asOf: null,
      source: { kind: 'manual', adapter: 't' },
      expiries: [{ date: '2026-03-20', root: 'SPX', settlement: 'AM', rows: [{ strike: 1, call: null, put }] }],
      warnings: [],
    };
    const a = analyzeChain({ chain: junk, now: new Date('2026-03-16T14:00:00Z'), rate: 0.4999999999999953 });
    expect(nonFinitePaths(a)).toEqual([]);
    expect(a.expiries[0]!.strikes[0]).toMatchObject({ mid: null, spread: null, vol: null });
    expect(a.expiries[0]!.strikes[0]!.reason).toMatch(/^negative bid/);
  });

  it('random chains', () => {
    const num = fc.oneof(fc.constant(null), fc.double(), fc.double({ min: 0, max: 300, noNaN: true }));
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
    const rows = fc.array(
      fc.record({ strike: fc.oneof(fc.double(), fc.integer({ min: 1, max: 200 })), call: quote, put: quote }),
      { maxLength: 25 },
    );
    const expiry = fc.record({
      date: fc.oneof(fc.constantFrom('2026-03-20', '2026-04-17', '2026-13-40', 'garbage', '2020-01-01')),
      root: fc.constantFrom('SPX', 'SPXW', null),
      settlement: fc.constantFrom('AM' as const, 'PM' as const),
      rows: rows.map((r) => r.slice().sort((x, y) => x.strike - y.strike)),
    });
    fc.assert(
      fc.property(
        fc.array(expiry, { maxLength: 4 }),
        fc.option(fc.double()),
        fc.option(fc.double({ min: -0.5, max: 0.5 }), { nil: undefined }),
        (expiries, price, rate) => {
          const junk: Chain = {
            version: 1,
            underlying: { symbol: 'X', price },
            asOf: null,
            source: { kind: 'manual', adapter: 't' },
            expiries,
            warnings: [],
          };
          const a = analyzeChain({ chain: junk, now: new Date('2026-03-16T14:00:00Z'), rate });
          expect(nonFinitePaths(a)).toEqual([]);
        },
      ),
      { numRuns: 400 },
    );
  });
});

const cboePath = sharedFile('data/real/cboe_spx_quotedata_2026-03-14.csv');
describe.skipIf(!cboePath)('analyzeChain on the real 2026-03-14 Cboe SPX download', () => {
  it('parity rates near 4%, sane vols, our IVs close to Cboe’s', () => {
    const r = importCboe({ text: readFileSync(cboePath!, 'utf8'), fileName: 'cboe.csv' });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const a = analyzeChain({ chain: r.chain, now: new Date(r.chain.asOf!) });
    const parity = a.expiries.filter((e) => e.forward.method === 'parity');
    expect(parity.length).toBeGreaterThan(15);
    for (const e of parity) {
      expect(e.forward.rate!).toBeGreaterThan(0.03);
      expect(e.forward.rate!).toBeLessThan(0.05);
    }
    const diffs: number[] = [];
    a.expiries.forEach((e, i) => {
      expect(e.smile).not.toBeNull();
      expect(e.atmVol!).toBeGreaterThan(0.15);
      expect(e.atmVol!).toBeLessThan(0.35);
      const rows = r.chain.expiries[i]!.rows;
      e.strikes.forEach((s) => {
        const row = rows.find((x) => x.strike === s.strike)!;
        const q = s.side === 'put' ? row.put : row.call;
        if (s.vol !== null && q?.iv) diffs.push(Math.abs(s.vol - q.iv));
      });
    });
    diffs.sort((x, y) => x - y);
    expect(diffs.length).toBeGreaterThan(800);
    // Median absolute difference under one vol point (see docs/cboe-check.md for the systematic part).
    expect(diffs[diffs.length >> 1]!).toBeLessThan(0.01);
    expect(nonFinitePaths(a)).toEqual([]);
  });
});

describe('the suggested condor moves to the nearest expiry that can hold it', () => {
  // The 30-day expiry lists only the strikes within 40 points of spot (like Cboe's near-the-money download), so
  // 16-delta shorts with 50-point wings cannot be placed on it; the other two list the whole ladder.
  const thin: Chain = {
    ...chain,
    expiries: chain.expiries.map((e) =>
      e.date === '2026-04-17' ? { ...e, rows: e.rows.filter((r) => Math.abs(r.strike - 6600) <= 40) } : e,
    ),
  };

  it('on the thin expiry alone there is no suggestion', () => {
    const only: Chain = { ...thin, expiries: thin.expiries.filter((e) => e.date === '2026-04-17') };
    const a = analyzeChain({ chain: only, now });
    expect(a.condor).toBeNull();
    expect(a.condorReason).toMatch(/^no condor suggested: /);
  });

  it('picks the usable expiry nearest to 30 days that can, and says so', () => {
    const a = analyzeChain({ chain: thin, now });
    // 2026-03-23 is 7 days out (23 from 30), 2026-05-15 is 60 (30 from 30): the nearer one is taken.
    expect(a.expiries[a.chosenExpiry!]!.date).toBe('2026-03-23');
    expect(a.condor).not.toBeNull();
    expect(a.condorSuggested).toBe(true);
    expect(a.condor!.strikes.every((k) => thin.expiries[0]!.rows.some((r) => r.strike === k))).toBe(true);
    expect(a.chosenReason).toContain('2026-04-17');
    expect(a.chosenReason).toMatch(/nearest to 30 calendar days that can hold the suggested condor/);
    expect(a.condorReason).toMatch(/^suggested on 2026-03-23, not 2026-04-17: 16-delta shorts/);
    expect(a.suggestionMovedFrom).toBe('2026-04-17');
    expect(analyzeChain({ chain, now }).suggestionMovedFrom).toBeUndefined();
  });

  it('also when the thin expiry was the one asked for', () => {
    const a = analyzeChain({ chain: thin, now, expiry: '2026-04-17' });
    expect(a.expiries[a.chosenExpiry!]!.date).toBe('2026-03-23');
    expect(a.chosenReason).toContain('2026-04-17 (requested) cannot');
  });

  it('not when the trader entered a condor that does not fit: their error stands, on the expiry chosen', () => {
    const a = analyzeChain({
      chain: thin,
      now,
      expiry: '2026-04-17',
      resolveCondor: () => ({ ok: false, error: 'strike 6400 is not listed' }),
    });
    expect(a.expiries[a.chosenExpiry!]!.date).toBe('2026-04-17');
    expect(a.condor).toBeNull();
  });
});

describe('the expiry fallback on the real 2026-03-14 Cboe SPX download (18 strikes on every expiry)', () => {
  const r = importCboe({
    text: readFileSync('tests/fixtures/cboe/cboe_spx_quotedata_2026-03-14.csv', 'utf8'),
    fileName: 'cboe_spx_quotedata_2026-03-14.csv',
  });
  if (!r.ok) throw new Error(r.reason);
  const real = r.chain;
  const at = new Date('2026-03-13T20:00:00Z');

  it('tries every usable expiry, finds none that lists strikes 50 points beyond 16-delta shorts, and says so', () => {
    const a = analyzeChain({ chain: real, now: at, expiry: '2026-03-27' });
    expect(a.expiries[a.chosenExpiry!]!.date).toBe('2026-03-27');
    expect(a.condor).toBeNull();
    expect(a.condorReason).toMatch(/^no condor suggested: .*no other usable expiry can hold it either/);
    // The claim checked directly: no expiry of the download, taken alone, holds the suggestion.
    for (const e of real.expiries) {
      const one = analyzeChain({ chain: { ...real, expiries: [e] }, now: at, expiry: e.date });
      expect(one.condor, e.date).toBeNull();
    }
  });

  it('a condor typed on its listed strikes is valued there (what the demo enters on this page)', () => {
    const a = analyzeChain({
      chain: real,
      now: at,
      expiry: '2026-03-27',
      condor: { strikes: [6590, 6600, 6665, 6675], quantity: 1 },
    });
    expect(a.condor).not.toBeNull();
    expect(a.condor!.maxLossDollars).toBeGreaterThan(0);
  });
});

describe('the suggestion on a real stock chain spaced 2.5 points near the money and 5 points farther out', () => {
  // Yahoo Finance, TSLA expiring 2020-10-09, saved 2 Oct 2020 (tests/fixtures/yahoo2020, MIT: see its README).
  const read = readChainFromHtml(readFileSync('tests/fixtures/yahoo2020/yahoo_options_TSLA_2020-10_yfs.html', 'utf8'));
  if (!read.ok) throw new Error('the TSLA page was not read');
  const a = analyzeChain({ chain: read.chain, now: new Date('2020-10-02T20:00:00Z') });

  it('takes the wings the chain lists next beyond 16-delta shorts (5 points), where 2.5-point wings are not listed', () => {
    expect(a.condor?.strikes).toEqual([372.5, 377.5, 465, 470]);
    expect(a.condorSuggested).toBe(true);
    expect(a.condorReason).toBe('suggested: 16-delta shorts, wings 5 points, on listed strikes');
    const listed = read.chain.expiries[0]!.rows.map((r) => r.strike);
    // 2.5 points beyond the call short is not listed: the width the forward alone gives could not be placed.
    expect(listed).not.toContain(467.5);
    expect(listed).toContain(470);
  });

  it('fits its smile (not flat): quotes beyond Lee’s wing bound and the far minimum ticks are left out, and said', () => {
    const smile = a.expiries[0]!.smile!;
    expect(smile.method).toBe('svi');
    expect(smile.reason).toMatch(/^20 quote\(s\) left out: implied variance beyond Lee's wing bound/);
    expect(smile.reason).toMatch(/fitted on the 88 quotes within 4 ATM standard deviations/);
    // Within a vol point of the quotes it was fitted to (it was flat at the ATM vol, 8.4 vol points off, before).
    expect(smile.rmsErrorVol).toBeLessThan(0.015);
    // The fitted smile carries the skew the quotes show (a flat smile has none): 15% below the money, puts dearer.
    const quoted = (strike: number) => a.expiries[0]!.strikes.find((s) => s.strike === strike)!.vol!;
    expect(quoted(350)).toBeGreaterThan(quoted(415) + 0.03);
    expect(volAt(smile, 350)).toBeGreaterThan(volAt(smile, 415) + 0.03);
    expect(Math.abs(volAt(smile, 350) - quoted(350))).toBeLessThan(0.02);
  });
});
