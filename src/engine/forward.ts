/**
 * Forward and discount of one expiry from put-call parity, C − P = D·(F − K) = D·F − D·K, across the liquid
 * strikes near the money: a straight line in K whose slope is −D and intercept D·F.
 *
 * The fit is robust in two stages:
 *  1. Theil–Sen (H. Theil 1950; P. K. Sen 1968): slope = median of pairwise slopes, intercept = median of
 *     the residual intercepts; points whose residual exceeds max(4·1.4826·MAD, half their combined spread)
 *     are rejected as outliers (stale quotes, one-sided books).
 *  2. Weighted least squares on the inliers, weights 1/(call spread + put spread)², with the slope's standard
 *     error from the weighted residuals.
 * A short expiry's strikes near the money span too little to pin D (an error of one tick over 50 points of
 * strikes is a rate error of tens of percent on a one-week option), so when the implied rate's standard error
 * is above `maxRateStdErr` (or outside a plausible range), D comes from the given rate instead and only F is
 * taken from parity, as the weighted mean of K + (C − P)/D. With no two-sided pair at all, F = spot·e^{rT},
 * clearly marked 'fallback-spot' (it ignores dividends).
 */
import { MAX_PRICE, type ChainRow, type QuoteModel } from '../chain/types';
import type { ForwardFit } from './types';
import { onFrozenRows } from './rowsMemo';

export interface FitForwardInput {
  rows: readonly ChainRow[];
  years: number;
  /** Underlying price if known, for the fallback and to centre the strike window. */
  spot: number | null;
  /** Continuously compounded rate used when parity cannot pin D. */
  rate: number;
  /** At most this many two-sided strikes nearest the money enter the fit (default 40). */
  maxStrikes?: number;
  /** Use the parity discount only when the implied rate's standard error is at most this (default 0.0025). */
  maxRateStdErr?: number;
}

const MIN_RATE = -0.05;
const MAX_RATE = 0.25;

interface Pair {
  strike: number;
  diff: number;
  spread: number;
}

/**
 * The median, by selection rather than a full sort (Hoare's FIND, CACM 4(7), 1961): Theil–Sen takes the median of
 * every pairwise slope, n² of them, on every fit. The same value as sorting (−0 and +0 aside, which are equal): an
 * order statistic does not depend on how it is found. With a NaN among the values it sorts (NaN last), as before.
 */
export function median(values: ArrayLike<number>): number {
  return medianInPlace(Float64Array.from(values));
}

/** median() of a typed array the caller no longer needs (it is rearranged): no copy. */
function medianInPlace(a: Float64Array): number {
  const n = a.length;
  if (n === 0) return 0;
  const h = n >> 1;
  for (let i = 0; i < n; i++)
    if (a[i] !== a[i]) {
      a.sort();
      return n % 2 === 1 ? a[h]! : 0.5 * (a[h - 1]! + a[h]!);
    }
  const hi = selectInPlace(a, h);
  if (n % 2 === 1) return hi;
  // After selecting index h, everything before it is ≤ a[h]: the lower middle is the largest of those.
  let lo = a[0]!;
  for (let i = 1; i < h; i++) if (a[i]! > lo) lo = a[i]!;
  return 0.5 * (lo + hi);
}

/** Rearranges `a` so that a[k] is the k-th smallest, smaller before it and larger after it; returns a[k]. */
export function selectInPlace(a: Float64Array, k: number): number {
  let left = 0;
  let right = a.length - 1;
  while (left < right) {
    // Median of three as the pivot: sorted or nearly sorted input (strikes in order) stays linear.
    const mid = (left + right) >> 1;
    const x = a[left]!,
      y = a[mid]!,
      z = a[right]!;
    const pivot = x < y ? (y < z ? y : x < z ? z : x) : x < z ? x : y < z ? z : y;
    let i = left;
    let j = right;
    while (i <= j) {
      while (a[i]! < pivot) i++;
      while (a[j]! > pivot) j--;
      if (i <= j) {
        const tmp = a[i]!;
        a[i] = a[j]!;
        a[j] = tmp;
        i++;
        j--;
      }
    }
    if (k <= j) right = j;
    else if (k >= i) left = i;
    else break;
  }
  return a[k]!;
}

function twoSided(q: ChainRow['call']): { mid: number; spread: number } | null {
  if (!q || q.bid === null || q.ask === null) return null;
  if (!(q.bid > 0) || !(q.ask > 0) || q.bid > q.ask) return null;
  if (!Number.isFinite(q.bid) || !Number.isFinite(q.ask) || q.ask > MAX_PRICE) return null;
  return { mid: 0.5 * q.bid + 0.5 * q.ask, spread: q.ask - q.bid };
}

function allFinite(x: unknown): boolean {
  if (typeof x === 'number') return Number.isFinite(x);
  if (Array.isArray(x)) return x.every(allFinite);
  if (x && typeof x === 'object') return Object.values(x).every(allFinite);
  return true;
}

function fallback(input: FitForwardInput, reason: string, extra?: Partial<ForwardFit>): ForwardFit {
  const { spot, rate, years } = input;
  const T = Math.max(years, 0);
  const F = spot !== null && spot > 0 ? spot * Math.exp(rate * T) : NaN;
  const D = Math.exp(-rate * T);
  const ok = Number.isFinite(F) && F > 0 && Number.isFinite(D) && D > 0;
  return {
    method: 'fallback-spot',
    forward: ok ? F : null,
    discount: ok ? D : null,
    rate: ok ? rate : null,
    impliedRate: null,
    impliedRateStdErr: null,
    strikesUsed: [],
    strikesRejected: [],
    residualRms: null,
    reason: ok
      ? `${reason}; forward = spot·e^{rT} at the given rate (ignores dividends)`
      : `${reason}; no usable spot price either`,
    ...extra,
  };
}

/**
 * The forward and discount of an expiry whose quotes a model priced (Expiry.quotedFrom): as the model states them,
 * nothing fitted; null when they are not usable (not finite, a forward ≤ 0, a discount outside (0, 1.5], no time
 * left, a rate outside the plausible range), and then the quotes are fitted as any page's.
 */
export function quotedForward(model: QuoteModel | undefined, years: number): ForwardFit | null {
  if (!model || !(years > 0) || !Number.isFinite(years)) return null;
  const { forward, discount } = model;
  if (!(forward > 0 && forward < MAX_PRICE) || !(discount > 0 && discount <= 1.5)) return null;
  const rate = model.rate;
  if (!Number.isFinite(rate) || rate < MIN_RATE || rate > MAX_RATE) return null;
  return {
    method: 'quoted-model',
    forward,
    discount,
    rate,
    impliedRate: rate,
    impliedRateStdErr: 0,
    strikesUsed: [],
    strikesRejected: [],
    residualRms: null,
    reason: null,
  };
}

export function fitForward(input: FitForwardInput): ForwardFit {
  return onFrozenRows(
    input.rows,
    `${input.years} ${input.spot} ${input.rate} ${input.maxStrikes} ${input.maxRateStdErr}`,
    () => fitForwardChecked(input),
  );
}

function fitForwardChecked(input: FitForwardInput): ForwardFit {
  const fit = fitForwardRaw(input);
  if (allFinite(fit)) return fit;
  // Backstop: broken quotes or a degenerate time must not leak a NaN or Infinity into the analysis.
  const fb = fallback(input, 'the parity fit gave a non-finite value (broken quotes or a degenerate time to expiry)');
  return allFinite(fb)
    ? fb
    : {
        ...fb,
        forward: null,
        discount: null,
        rate: null,
        impliedRate: null,
        impliedRateStdErr: null,
        residualRms: null,
      };
}

function inStrikeOrder(pairs: readonly Pair[]): boolean {
  for (let i = 1; i < pairs.length; i++) if (!(pairs[i - 1]!.strike <= pairs[i]!.strike)) return false;
  return true;
}

/**
 * Two work arrays the fit reuses (a typed array's allocation cost more than filling it): `length` values of work
 * array `which`, grown as needed. Only the fit in progress uses them (it calls nothing that fits again).
 */
const buffers = [new Float64Array(1024), new Float64Array(64)];
function scratch(which: 0 | 1, length: number): Float64Array {
  let b = buffers[which]!;
  if (b.length < length) buffers[which] = b = new Float64Array(Math.max(length, 2 * b.length));
  return b.subarray(0, length);
}

/**
 * What parity says of an expiry before any rate is assumed: the pairs kept and the robust line through them (its
 * discount and the slope's standard error). A function of the rows, the time, the spot and maxStrikes only, so kept on frozen rows: the
 * analysis fits an expiry at a first rate and again at the curve's rate (analyze.ts), and only the last step reads it.
 */
type ParityStage =
  | { kind: 'none'; reason: string }
  | { kind: 'few'; pairs: Pair[]; rejected: number[]; why: string }
  | {
      kind: 'line';
      inliers: Pair[];
      rejected: number[];
      alpha: number;
      ssr: number;
      sw: number;
      /** The discount the line's slope gives, and the slope's standard error. */
      D: number;
      seBeta: number;
    };

function parityStage(rows: readonly ChainRow[], spot: number | null, maxStrikes: number): ParityStage {
  const all: Pair[] = [];
  for (const row of rows) {
    if (!(row.strike > 0) || !Number.isFinite(row.strike)) continue;
    const c = twoSided(row.call);
    const p = twoSided(row.put);
    if (!c || !p) continue;
    all.push({ strike: row.strike, diff: c.mid - p.mid, spread: c.spread + p.spread });
  }
  if (all.length === 0) return { kind: 'none', reason: 'no strike with two-sided call and put markets' };
  // Centre: the spot if known, else the strike where |C − P| is smallest; keep the nearest maxStrikes.
  let centre = spot !== null && spot > 0 ? spot : all[0]!.strike;
  if (spot === null || !(spot > 0)) {
    let best = Infinity;
    for (const p of all) {
      if (Math.abs(p.diff) < best) {
        best = Math.abs(p.diff);
        centre = p.strike;
      }
    }
  }
  // (With maxStrikes or fewer, all are kept: the nearest-first sort, stable, would change no order the strike sort
  // keeps, so only the strike sort is made — and not even that when the rows come in strike order, as a chain's do:
  // a stable sort leaves an ordered array as it is.)
  const pairs =
    all.length <= maxStrikes
      ? inStrikeOrder(all)
        ? all
        : all.slice().sort((a, b) => a.strike - b.strike)
      : all
          .slice()
          .sort((a, b) => Math.abs(a.strike - centre) - Math.abs(b.strike - centre))
          .slice(0, maxStrikes)
          .sort((a, b) => a.strike - b.strike);

  if (pairs.length < 3)
    return {
      kind: 'few',
      pairs,
      rejected: [],
      why: `only ${pairs.length} two-sided strike(s): too few to fit the discount`,
    };

  // Stage 1: Theil–Sen.
  // The pairwise slopes, the intercepts and the residuals' sizes in typed arrays, each selected in place (no copies).
  const np = pairs.length;
  const slopes = scratch(0, (np * (np - 1)) >> 1);
  let ns = 0;
  for (let i = 0; i < np; i++) {
    for (let j = i + 1; j < np; j++) {
      const dk = pairs[j]!.strike - pairs[i]!.strike;
      if (dk > 0) slopes[ns++] = (pairs[j]!.diff - pairs[i]!.diff) / dk;
    }
  }
  const tsSlope = medianInPlace(ns === slopes.length ? slopes : slopes.subarray(0, ns));
  const byPair = scratch(1, np);
  for (let i = 0; i < np; i++) byPair[i] = pairs[i]!.diff - tsSlope * pairs[i]!.strike;
  const tsIntercept = medianInPlace(byPair);
  const resid = pairs.map((p) => p.diff - tsIntercept - tsSlope * p.strike);
  for (let i = 0; i < np; i++) byPair[i] = Math.abs(resid[i]!);
  const scale = 1.4826 * medianInPlace(byPair);
  const inliers: Pair[] = [];
  const rejected: number[] = [];
  pairs.forEach((p, i) => {
    const tol = Math.max(4 * scale, 0.5 * p.spread, 1e-9);
    if (Math.abs(resid[i]!) <= tol) inliers.push(p);
    else rejected.push(p.strike);
  });
  if (inliers.length < 3)
    return {
      kind: 'few',
      pairs: inliers,
      rejected,
      why: `only ${inliers.length} strike(s) left after outlier rejection`,
    };

  // Stage 2: weighted least squares y = α + β·K.
  let sw = 0,
    swk = 0,
    swy = 0;
  const floor = 0.01;
  for (const p of inliers) {
    const w = 1 / Math.max(p.spread, floor) ** 2;
    sw += w;
    swk += w * p.strike;
    swy += w * p.diff;
  }
  const kBar = swk / sw,
    yBar = swy / sw;
  let sxx = 0,
    sxy = 0;
  for (const p of inliers) {
    const w = 1 / Math.max(p.spread, floor) ** 2;
    sxx += w * (p.strike - kBar) ** 2;
    sxy += w * (p.strike - kBar) * (p.diff - yBar);
  }
  if (!(sxx > 0)) return { kind: 'few', pairs: inliers, rejected, why: 'strikes do not span a range' };
  const beta = sxy / sxx;
  const alpha = yBar - beta * kBar;
  let ssr = 0;
  for (const p of inliers) {
    const w = 1 / Math.max(p.spread, floor) ** 2;
    ssr += w * (p.diff - alpha - beta * p.strike) ** 2;
  }
  const dof = inliers.length - 2;
  // Residual variance per unit weight; the slope's standard error is √(σ²/Sxx). A floor of a quarter tick
  // on the residual keeps a perfect synthetic fit from claiming infinite precision.
  const sigma2 = Math.max(dof > 0 ? ssr / dof : 0, 0.0125 ** 2 * (sw / inliers.length));
  const seBeta = Math.sqrt(sigma2 / sxx);
  const D = -beta;
  return { kind: 'line', inliers, rejected, alpha, ssr, sw, D, seBeta };
}

function fitForwardRaw(input: FitForwardInput): ForwardFit {
  const { rows, years, spot, rate } = input;
  const maxStrikes = input.maxStrikes ?? 40;
  const maxRateStdErr = input.maxRateStdErr ?? 0.0025;
  if (!(years > 0) || !Number.isFinite(years)) return fallback(input, 'expiry is not in the future');
  const stage = onFrozenRows(rows, `parity ${spot} ${maxStrikes}`, () => parityStage(rows, spot, maxStrikes));
  if (stage.kind === 'none') return fallback(input, stage.reason);
  const givenD = Math.exp(-rate * years);
  if (!(givenD > 0) || !Number.isFinite(givenD))
    return fallback(input, 'the given rate and time give no discount factor');
  if (stage.kind === 'few')
    return forwardAtGivenRate(stage.pairs, stage.rejected, input, givenD, null, null, stage.why);
  const { inliers, rejected, alpha, ssr, sw, D, seBeta } = stage;
  const impliedRate = D > 0 ? -Math.log(D) / years : null;
  const impliedRateStdErr = D > 0 ? seBeta / (D * years) : null;
  // when the fit cannot be used: the forward from the inliers at the given rate, with the implied rate and the reason
  const atGivenRate = (why: string) =>
    forwardAtGivenRate(inliers, rejected, input, givenD, impliedRate, impliedRateStdErr, why);
  if (impliedRate === null || impliedRate < MIN_RATE || impliedRate > MAX_RATE) {
    return atGivenRate(
      impliedRate === null
        ? 'parity slope gives a non-positive discount'
        : `parity-implied rate ${(impliedRate * 100).toFixed(2)}% is implausible`,
    );
  }
  if (impliedRateStdErr === null || impliedRateStdErr > maxRateStdErr) {
    return atGivenRate(
      `parity-implied rate too imprecise (±${((impliedRateStdErr ?? 0) * 100).toFixed(2)}%): strikes span too little for this expiry`,
    );
  }
  const F = alpha / D;
  if (!(F > 0) || !Number.isFinite(F)) return atGivenRate('parity intercept gives a non-positive forward');
  return {
    method: 'parity',
    forward: F,
    discount: D,
    rate: impliedRate,
    impliedRate,
    impliedRateStdErr,
    strikesUsed: inliers.map((p) => p.strike),
    strikesRejected: rejected,
    residualRms: Math.sqrt(ssr / sw),
    reason: null,
  };
}

function forwardAtGivenRate(
  pairs: Pair[],
  rejected: number[],
  input: FitForwardInput,
  D: number,
  impliedRate: number | null,
  impliedRateStdErr: number | null,
  why: string,
): ForwardFit {
  if (pairs.length === 0) return fallback(input, why, { strikesRejected: rejected, impliedRate, impliedRateStdErr });
  let sw = 0,
    swf = 0;
  for (const p of pairs) {
    const w = 1 / Math.max(p.spread, 0.01) ** 2;
    sw += w;
    swf += w * (p.strike + p.diff / D);
  }
  const F = swf / sw;
  let ssr = 0;
  for (const p of pairs) {
    const w = 1 / Math.max(p.spread, 0.01) ** 2;
    ssr += w * (p.diff - D * (F - p.strike)) ** 2;
  }
  if (!(F > 0) || !Number.isFinite(F)) return fallback(input, `${why}; parity gives a non-positive forward`);
  return {
    method: 'parity-given-rate',
    forward: F,
    discount: D,
    rate: input.rate,
    impliedRate,
    impliedRateStdErr,
    strikesUsed: pairs.map((p) => p.strike),
    strikesRejected: rejected,
    residualRms: pairs.length >= 2 ? Math.sqrt(ssr / sw) : null,
    reason: `${why}; discount from the given rate ${(input.rate * 100).toFixed(2)}%`,
  };
}
