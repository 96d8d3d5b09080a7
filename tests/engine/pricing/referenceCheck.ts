/** Checks our pricing engine against a reference file (../shared/reference format); used by reference.test.ts and the bench. */
import { black76Greeks, blackPrice, bsmGreeks, type Greeks } from '../../../src/engine/pricing/black';
import { impliedVolatilityBlack76, impliedVolatilityBsm, type IvResult } from '../../../src/engine/pricing/iv';

type Kind = 'call' | 'put';
export interface RefIv {
  status: 'ok' | 'no_solution' | 'boundary' | 'indeterminate';
  iv: number | null;
  tol?: number;
}
export interface RefCase {
  id: string;
  model: 'bsm' | 'b76';
  tags: string[];
  S?: number;
  F: number;
  K: number;
  T: number;
  r: number;
  q?: number;
  sigma: number;
  D: number;
  call: Record<string, number> & { iv: RefIv };
  put: Record<string, number> & { iv: RefIv };
}
export interface RefIvCase {
  id: string;
  model: 'bsm' | 'b76';
  tags: string[];
  S?: number;
  F?: number;
  K: number;
  T: number;
  r: number;
  q?: number;
  type: Kind;
  price: number;
  expected: RefIv;
}
export interface RefFile {
  cases: RefCase[];
  iv_cases: RefIvCase[];
}

/** reference field → our Greeks field, and the scale of its absolute tolerance. */
export const GREEK_FIELDS: [string, keyof Greeks, 'S' | '1' | '1/S'][] = [
  ['price', 'price', 'S'],
  ['delta', 'delta', '1'],
  ['gamma', 'gamma', '1/S'],
  ['vega', 'vega', 'S'],
  ['theta', 'theta', 'S'],
  ['rho', 'rho', 'S'],
  ['itm_prob', 'itmProbability', '1'],
  ['phi', 'phi', 'S'],
  ['vega_1pct', 'vegaPerVolPoint', 'S'],
  ['theta_day', 'thetaPerDay', 'S'],
  ['rho_1pct', 'rhoPerPoint', 'S'],
];

export function ourGreeks(c: RefCase, kind: Kind): Greeks {
  return c.model === 'bsm'
    ? bsmGreeks({ kind, spot: c.S!, strike: c.K, years: c.T, vol: c.sigma, rate: c.r, dividendYield: c.q! })
    : black76Greeks({ kind, forward: c.F, strike: c.K, years: c.T, vol: c.sigma, rate: c.r });
}

/** error / tolerance (≤ 1 passes): relative 1e-9 or absolute 1e-13·scale, whichever is looser. */
export function greekScore(got: number, want: number, underlying: number, scale: 'S' | '1' | '1/S'): number {
  if (Number.isNaN(got)) return Number.POSITIVE_INFINITY;
  const err = Math.abs(got - want);
  if (err === 0) return 0;
  const s = scale === 'S' ? underlying : scale === '1' ? 1 : 1 / underlying;
  return Math.min(err / (1e-9 * Math.abs(want)), err / (1e-13 * s));
}

export interface IvItem {
  id: string;
  model: 'bsm' | 'b76';
  kind: Kind;
  price: number;
  S?: number;
  F: number;
  K: number;
  T: number;
  r: number;
  q: number;
  expected: RefIv;
}

export function ivItems(ref: RefFile): IvItem[] {
  const out: IvItem[] = [];
  for (const c of ref.cases) {
    for (const kind of ['call', 'put'] as const) {
      out.push({
        id: `${c.id} ${kind}`,
        model: c.model,
        kind,
        price: c[kind].price!,
        S: c.S,
        F: c.F,
        K: c.K,
        T: c.T,
        r: c.r,
        q: c.q ?? 0,
        expected: c[kind].iv,
      });
    }
  }
  for (const c of ref.iv_cases) {
    const F = c.model === 'bsm' ? c.S! * Math.exp((c.r - c.q!) * c.T) : c.F!;
    out.push({
      id: `${c.id} ${c.tags.join(',')}`,
      model: c.model,
      kind: c.type,
      price: c.price,
      S: c.S,
      F,
      K: c.K,
      T: c.T,
      r: c.r,
      q: c.q ?? 0,
      expected: c.expected,
    });
  }
  return out;
}

export function ourIv(it: IvItem): IvResult {
  return it.model === 'bsm'
    ? impliedVolatilityBsm({
        kind: it.kind,
        price: it.price,
        spot: it.S!,
        strike: it.K,
        years: it.T,
        rate: it.r,
        dividendYield: it.q,
      })
    : impliedVolatilityBlack76({
        kind: it.kind,
        price: it.price,
        forward: it.F,
        strike: it.K,
        years: it.T,
        rate: it.r,
      });
}

/** Reprice at σ with the same model and inputs the solver saw (for boundary cases). */
export function reprice(it: IvItem, vol: number): number {
  return it.model === 'bsm'
    ? bsmGreeks({ kind: it.kind, spot: it.S!, strike: it.K, years: it.T, vol, rate: it.r, dividendYield: it.q }).price
    : blackPrice({ kind: it.kind, forward: it.F, strike: it.K, years: it.T, vol, discount: Math.exp(-it.r * it.T) });
}

export type IvVerdict = { pass: boolean; score: number; detail: string };

/** Acceptance of ../shared/reference/README.md for one IV item, given a solver's answer (vol or null for "no number"). */
export function judgeIv(it: IvItem, vol: number | null): IvVerdict {
  const e = it.expected;
  switch (e.status) {
    case 'ok': {
      const tol = Math.max(e.tol!, 1e-12 * e.iv!);
      if (vol === null || !Number.isFinite(vol))
        return { pass: false, score: Number.POSITIVE_INFINITY, detail: `no answer, want ${e.iv}` };
      const score = Math.abs(vol - e.iv!) / tol;
      return { pass: score <= 1, score, detail: `got ${vol}, want ${e.iv} ± ${tol}` };
    }
    case 'no_solution':
      return {
        pass: vol === null,
        score: vol === null ? 0 : Number.POSITIVE_INFINITY,
        detail: `no solution, got ${vol}`,
      };
    case 'boundary': {
      if (vol === null || vol === 0) return { pass: true, score: 0, detail: 'boundary' };
      const p = reprice(it, vol);
      const ulp = Math.max(Math.abs(it.price), Number.MIN_VALUE) * 2.220446049250313e-16;
      const ok = Math.abs(p - it.price) <= 8 * ulp + Number.MIN_VALUE;
      return {
        pass: ok,
        score: ok ? 0 : Number.POSITIVE_INFINITY,
        detail: `boundary: σ ${vol} reprices to ${p}, price ${it.price}`,
      };
    }
    default:
      return { pass: vol === null || !Number.isNaN(vol), score: 0, detail: 'indeterminate' };
  }
}
