/**
 * Per-strike implied volatilities and the per-expiry smile.
 *
 * IVs: each strike's out-of-the-money side (put below the forward, call at or above) is inverted at its mid with
 * the project's Let's Be Rational solver (pricing/iv.ts); an in-the-money price has lost its time value to
 * rounding. Crossed, zero-bid (one-sided) and missing markets are skipped with a reason.
 *
 * Smile: total implied variance w(k) = σ²(k)·T in log-moneyness k = ln(K/F).
 *  1. Raw SVI (J. Gatheral, "A parsimonious arbitrage-free implied volatility parameterization", Global
 *     Derivatives 2004), calibrated with the quasi-explicit method of S. De Marco & C. Martini ("Quasi-explicit
 *     calibration of Gatheral's SVI model", 2009; also Zeliade white paper 2009): for fixed (m, σ) the model
 *     w = a + d·y + c·√(y²+1), y = (k − m)/σ, is linear in (a, d, c); a is profiled out and (d, c) solved exactly
 *     over the domain |d| ≤ c, c + |d| ≤ 2σ (|ρ| ≤ 1 and b(1 + |ρ|) ≤ 2, Lee's moment bound on the wing slopes),
 *     and (m, σ) found by Nelder–Mead (J. A. Nelder & R. Mead 1965).
 *  2. The fit is accepted only if Gatheral's density function
 *        g(k) = (1 − k·w′/(2w))² − (w′²/4)·(1/w + 1/4) + w″/2
 *     (J. Gatheral & A. Jacquier, "Arbitrage-free SVI volatility surfaces", Quantitative Finance 2014) is
 *     non-negative on a grid covering the data and the wings; otherwise the lower convex hull of the
 *     (k, w) points is used (piecewise linear, convex kinks only: non-negative density at the knots), and if that
 *     too fails g ≥ 0, a flat smile at the ATM variance.
 *  3. Outside the quoted range the total variance is extrapolated linearly with the edge slope, kept within
 *     Lee's bound 0 ≤ |dw/dk| ≤ 2 (R. Lee, "The moment formula for implied volatility at extreme strikes",
 *     Mathematical Finance 2004) and pointing outward (never decreasing into a wing); slopes are halved until
 *     g ≥ 0 holds in the wings too.
 */
import type { ChainRow, OptionKind, Quote } from '../chain/types';
import { impliedVolatility } from './pricing/iv';
import { normPdf } from './pricing/normal';
import type { Smile, StrikeVol, SviParams } from './types';
import { marketProblem } from '../chain/market';

export interface StrikeVolsInput {
  rows: readonly ChainRow[];
  forward: number;
  discount: number;
  years: number;
  /**
   * The quotes were priced by a model on this forward (Expiry.quotedFrom): each side's stated IV is its model's vol,
   * taken instead of inverting the mid (the same strikes are used and skipped).
   */
  statedVols?: boolean;
}

function sideQuote(q: Quote | null): { mid: number | null; spread: number | null; reason: string | null } {
  if (!q) return { mid: null, spread: null, reason: 'side not shown' };
  const { bid, ask } = q;
  if (bid === null || ask === null) return { mid: null, spread: null, reason: 'one-sided market (bid or ask missing)' };
  if (!Number.isFinite(bid) || !Number.isFinite(ask)) return { mid: null, spread: null, reason: 'non-finite quote' };
  const problem = marketProblem(bid, ask);
  if (problem === 'no-offer') return { mid: null, spread: null, reason: 'no offer (ask 0)' };
  if (problem === 'crossed') return { mid: null, spread: null, reason: `crossed market: bid ${bid} > ask ${ask}` };
  if (!(ask > 0)) return { mid: null, spread: null, reason: 'zero market (ask 0)' };
  // A negative bid is not a market (and its distance to a huge ask can overflow): no spread is read from it.
  if (bid < 0) return { mid: null, spread: null, reason: `negative bid ${bid}` };
  if (!(bid > 0)) return { mid: null, spread: ask, reason: 'one-sided market (zero bid)' };
  // Halves first: the sum of two absurd but finite quotes overflows to Infinity.
  return { mid: 0.5 * bid + 0.5 * ask, spread: ask - bid, reason: null };
}

/** IV of each strike from its out-of-the-money mid. */
export function strikeVols(input: StrikeVolsInput): StrikeVol[] {
  const { rows, forward: F, discount: D, years: T } = input;
  const out: StrikeVol[] = [];
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    const K = row.strike;
    // A row without a usable strike is not a strike: left out (the chain validator warns about it).
    if (!(K > 0 && Number.isFinite(K))) continue;
    const side: OptionKind = K < F ? 'put' : 'call';
    const valid = K > 0 && Number.isFinite(K);
    const lk = valid ? Math.log(K) - Math.log(F) : 0;
    const logMoneyness = Number.isFinite(lk) ? lk : 0;
    const quote = side === 'put' ? row.put : row.call;
    const q = sideQuote(quote);
    let vol: number | null = null;
    let reason = q.reason;
    const stated = input.statedVols && quote ? quote.iv : null;
    if (!valid) reason = 'invalid strike';
    else if (q.mid !== null && stated != null && stated > 0 && Number.isFinite(stated)) vol = stated;
    else if (q.mid !== null) {
      const r = impliedVolatility({ kind: side, price: q.mid, forward: F, strike: K, years: T, discount: D });
      if (r.ok && Number.isFinite(r.vol) && r.vol > 0) vol = r.vol;
      else reason = r.ok ? 'solver returned no positive volatility' : `no implied volatility: ${r.message ?? r.reason}`;
    }
    out.push({ strike: K, logMoneyness, side, mid: q.mid, spread: q.spread, vol, reason });
  }
  return out;
}

// ───────────────────────── smile fit ─────────────────────────

export interface SmilePoint {
  /** ln(K/F). */
  k: number;
  vol: number;
  /** Relative weight (e.g. inverse squared spread in vol terms); default 1. */
  weight?: number;
}

export interface FitSmileInput {
  points: readonly SmilePoint[];
  forward: number;
  years: number;
  /** Force a method (tests); default: SVI, falling back as documented above. */
  method?: 'svi' | 'convex' | 'flat';
  /**
   * The raw SVI the points were priced from (a model's chain, Expiry.quotedFrom): taken as the SVI fit instead of
   * searching for one; checked like a fit (the density, the wings) and falling back the same way.
   */
  given?: SviParams | null;
}

const LEE_SLOPE = 2;
const W_FLOOR = 1e-10;

/** Weight for a strike's IV from its spread in volatility terms (half-spread / vega, floored at 0.25 vol point). */
export function smileWeight({
  vol,
  spread,
  forward,
  strike,
  years,
  discount,
}: {
  vol: number;
  spread: number | null;
  forward: number;
  strike: number;
  years: number;
  discount: number;
}): number {
  const sd = vol * Math.sqrt(years);
  const d1 = (Math.log(forward) - Math.log(strike)) / sd + 0.5 * sd;
  const vega = discount * forward * normPdf(d1) * Math.sqrt(years);
  const spreadVol = spread !== null && vega > 0 ? (0.5 * spread) / vega : 0.01;
  const errW = 2 * vol * years * Math.max(Number.isFinite(spreadVol) ? spreadVol : 0.05, 0.0025);
  const w = 1 / (errW * errW);
  return Number.isFinite(w) && w > 0 ? w : 1;
}

/** Raw SVI total variance, slope and curvature at k. */
function sviW(p: SviParams, k: number): number {
  const x = k - p.m;
  return p.a + p.b * (p.rho * x + Math.sqrt(x * x + p.sigma * p.sigma));
}
function sviW1(p: SviParams, k: number): number {
  const x = k - p.m;
  return p.b * (p.rho + x / Math.sqrt(x * x + p.sigma * p.sigma));
}
function sviW2(p: SviParams, k: number): number {
  const x = k - p.m;
  const r = x * x + p.sigma * p.sigma;
  return (p.b * p.sigma * p.sigma) / (r * Math.sqrt(r));
}

/** Gatheral–Jacquier density function g(k); the risk-neutral density is g·φ(d2)/√w ≥ 0 iff g ≥ 0. */
export function densityG(w: number, w1: number, w2: number, k: number): number {
  if (!(w > 0)) return -Infinity;
  const t = 1 - (k * w1) / (2 * w);
  return t * t - ((w1 * w1) / 4) * (1 / w + 0.25) + w2 / 2;
}

/** Total variance, its slope and curvature at log-moneyness k (inside: model; outside: linear wings). */
export function smileTotalVariance(smile: Smile, k: number): { w: number; w1: number; w2: number } {
  if (k < smile.kMin)
    return { w: Math.max(smile.wAtMin + smile.slopeLeft * (k - smile.kMin), W_FLOOR), w1: smile.slopeLeft, w2: 0 };
  if (k > smile.kMax)
    return { w: Math.max(smile.wAtMax + smile.slopeRight * (k - smile.kMax), W_FLOOR), w1: smile.slopeRight, w2: 0 };
  return innerW(smile, k);
}

function innerW(smile: Smile, k: number): { w: number; w1: number; w2: number } {
  if (smile.method === 'svi' && smile.svi) {
    const p = smile.svi;
    return { w: Math.max(sviW(p, k), W_FLOOR), w1: sviW1(p, k), w2: sviW2(p, k) };
  }
  const kk = smile.knotK,
    ww = smile.knotW;
  const n = kk.length;
  if (n <= 1) return { w: Math.max(ww[0] ?? W_FLOOR, W_FLOOR), w1: 0, w2: 0 };
  let lo = 0,
    hi = n - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (kk[mid]! <= k) lo = mid;
    else hi = mid;
  }
  const s = (ww[hi]! - ww[lo]!) / (kk[hi]! - kk[lo]!);
  return { w: Math.max(ww[lo]! + s * (k - kk[lo]!), W_FLOOR), w1: s, w2: 0 };
}

/** Total variance only (hot path). */
function wOnly(smile: Smile, k: number): number {
  if (k < smile.kMin) return Math.max(smile.wAtMin + smile.slopeLeft * (k - smile.kMin), W_FLOOR);
  if (k > smile.kMax) return Math.max(smile.wAtMax + smile.slopeRight * (k - smile.kMax), W_FLOOR);
  if (smile.method === 'svi' && smile.svi) return Math.max(sviW(smile.svi, k), W_FLOOR);
  return innerW(smile, k).w;
}

/** The smile's implied volatility at a strike (always finite and positive for a valid smile). */
export function volAt(smile: Smile, strike: number): number {
  if (!(strike > 0) || !Number.isFinite(strike)) return smile.atmVol;
  const w = wOnly(smile, Math.log(strike) - Math.log(smile.forward));
  const v = Math.sqrt(w / smile.years);
  return Number.isFinite(v) && v > 0 ? v : smile.atmVol;
}

/** dσ/dK of the smile at a strike (per price unit of strike). */
export function volSlopeAt(smile: Smile, strike: number): number {
  if (!(strike > 0) || !Number.isFinite(strike)) return 0;
  const { w, w1 } = smileTotalVariance(smile, Math.log(strike) - Math.log(smile.forward));
  const s = w1 / (2 * Math.sqrt(w * smile.years) * strike);
  return Number.isFinite(s) ? s : 0;
}

// — SVI calibration —

interface Work {
  k: Float64Array;
  w: Float64Array;
  om: Float64Array;
  n: number;
  wBar: number;
  /** Scratch for sviInner: each point's y = (k − m)/σ and √(y² + 1) of the current (m, σ). */
  ys?: Float64Array;
  zs?: Float64Array;
  /** Σω and Σω·w over the points (they do not depend on m or σ): summed once, in the order sviInner summed them. */
  sums?: { sw: number; swv: number };
}

function sumsOf(wk: Work): { sw: number; swv: number } {
  if (wk.sums) return wk.sums;
  const { w, om, n } = wk;
  let sw = 0,
    swv = 0;
  for (let i = 0; i < n; i++) {
    const o = om[i]!;
    sw += o;
    swv += o * w[i]!;
  }
  return (wk.sums = { sw, swv });
}

interface Inner {
  obj: number;
  a: number;
  d: number;
  c: number;
}

function quadForm(
  s0: number,
  g0: number,
  g1: number,
  h00: number,
  h01: number,
  h11: number,
  d: number,
  c: number,
): number {
  return s0 - 2 * (g0 * d + g1 * c) + h00 * d * d + 2 * h01 * d * c + h11 * c * c;
}

/** For fixed (m, σ): exact weighted LS in (a, d, c) over |d| ≤ c, c + |d| ≤ 2σ; a profiled out. */
function sviInner(wk: Work, m: number, sigma: number, out: Inner): void {
  const { k, w, om, n } = wk;
  const ys = wk.ys && wk.ys.length >= n ? wk.ys : (wk.ys = new Float64Array(n));
  const zs = wk.zs && wk.zs.length >= n ? wk.zs : (wk.zs = new Float64Array(n));
  const { sw, swv } = sumsOf(wk);
  let sy = 0,
    sz = 0;
  for (let i = 0; i < n; i++) {
    const y = (k[i]! - m) / sigma;
    const z = Math.sqrt(y * y + 1);
    ys[i] = y;
    zs[i] = z;
    const o = om[i]!;
    sy += o * y;
    sz += o * z;
  }
  const yb = sy / sw,
    zb = sz / sw,
    wb = swv / sw;
  let h00 = 0,
    h01 = 0,
    h11 = 0,
    g0 = 0,
    g1 = 0,
    s0 = 0;
  for (let i = 0; i < n; i++) {
    const y = ys[i]!;
    const z = zs[i]!;
    const o = om[i]!;
    const Y = y - yb,
      Z = z - zb,
      W = w[i]! - wb;
    h00 += o * Y * Y;
    h01 += o * Y * Z;
    h11 += o * Z * Z;
    g0 += o * Y * W;
    g1 += o * Z * W;
    s0 += o * W * W;
  }
  let bestD = 0,
    bestC = 0,
    best = Infinity;
  const det = h00 * h11 - h01 * h01;
  if (det > 1e-300 * (h00 * h11 + 1e-300)) {
    const d = (g0 * h11 - g1 * h01) / det;
    const c = (h00 * g1 - h01 * g0) / det;
    if (c >= Math.abs(d) && c + Math.abs(d) <= LEE_SLOPE * sigma) {
      bestD = d;
      bestC = c;
      best = quadForm(s0, g0, g1, h00, h01, h11, d, c);
    }
  }
  if (best === Infinity) {
    // Edges of the diamond (d, c): (0,0) → (σ,σ) → (0,2σ) → (−σ,σ) → (0,0), scaled by Lee's bound / 2.
    const h = (LEE_SLOPE / 2) * sigma;
    const vx = [0, h, 0, -h, 0];
    const vy = [0, h, 2 * h, h, 0];
    for (let e = 0; e < 4; e++) {
      const px = vx[e]!,
        py = vy[e]!;
      const ex = vx[e + 1]! - px,
        ey = vy[e + 1]! - py;
      const gx = h00 * px + h01 * py - g0,
        gy = h01 * px + h11 * py - g1;
      const ehe = h00 * ex * ex + 2 * h01 * ex * ey + h11 * ey * ey;
      let t = ehe > 0 ? -(gx * ex + gy * ey) / ehe : 0;
      t = t < 0 ? 0 : t > 1 ? 1 : t;
      const d = px + t * ex,
        c = py + t * ey;
      const v = quadForm(s0, g0, g1, h00, h01, h11, d, c);
      if (v < best) {
        best = v;
        bestD = d;
        bestC = c;
      }
    }
  }
  const a = wb - bestD * yb - bestC * zb;
  // Minimum total variance a + √(c² − d²) must stay positive.
  const wMin = a + Math.sqrt(Math.max(bestC * bestC - bestD * bestD, 0));
  const pen = wMin < 0 ? wMin * wMin * sw * 1e4 + 1e-12 * sw : 0;
  out.obj = best + pen;
  out.a = a;
  out.d = bestD;
  out.c = bestC;
}

function nelderMead2(
  f: (x: number, y: number) => number,
  x0: number,
  y0: number,
  dx: number,
  dy: number,
  maxEval: number,
  xTol: number,
  yTol: number,
): [number, number, number] {
  const px = [x0, x0 + dx, x0],
    py = [y0, y0, y0 + dy];
  const fv = [f(px[0]!, py[0]!), f(px[1]!, py[1]!), f(px[2]!, py[2]!)];
  let evals = 3;
  while (evals < maxEval) {
    // order: best 0, worst 2
    for (let i = 0; i < 2; i++)
      for (let j = i + 1; j < 3; j++)
        if (fv[j]! < fv[i]!) {
          let t = fv[i]!;
          fv[i] = fv[j]!;
          fv[j] = t;
          t = px[i]!;
          px[i] = px[j]!;
          px[j] = t;
          t = py[i]!;
          py[i] = py[j]!;
          py[j] = t;
        }
    if (Math.abs(fv[2]! - fv[0]!) <= 1e-12 * (Math.abs(fv[0]!) + 1e-20) && evals > 20) break;
    // Converged in the parameters: the simplex is smaller than the tolerances.
    const sx = Math.max(Math.abs(px[1]! - px[0]!), Math.abs(px[2]! - px[0]!));
    const sy = Math.max(Math.abs(py[1]! - py[0]!), Math.abs(py[2]! - py[0]!));
    if (sx <= xTol && sy <= yTol) break;
    const cx = 0.5 * (px[0]! + px[1]!),
      cy = 0.5 * (py[0]! + py[1]!);
    const rx = cx + (cx - px[2]!),
      ry = cy + (cy - py[2]!);
    const fr = f(rx, ry);
    evals++;
    if (fr < fv[0]!) {
      const ex = cx + 2 * (cx - px[2]!),
        ey = cy + 2 * (cy - py[2]!);
      const fe = f(ex, ey);
      evals++;
      if (fe < fr) {
        px[2] = ex;
        py[2] = ey;
        fv[2] = fe;
      } else {
        px[2] = rx;
        py[2] = ry;
        fv[2] = fr;
      }
    } else if (fr < fv[1]!) {
      px[2] = rx;
      py[2] = ry;
      fv[2] = fr;
    } else {
      const outside = fr < fv[2]!;
      const kx = outside ? cx + 0.5 * (rx - cx) : cx + 0.5 * (px[2]! - cx);
      const ky = outside ? cy + 0.5 * (ry - cy) : cy + 0.5 * (py[2]! - cy);
      const fk = f(kx, ky);
      evals++;
      if (fk < (outside ? fr : fv[2]!)) {
        px[2] = kx;
        py[2] = ky;
        fv[2] = fk;
      } else {
        for (let i = 1; i < 3; i++) {
          px[i] = px[0]! + 0.5 * (px[i]! - px[0]!);
          py[i] = py[0]! + 0.5 * (py[i]! - py[0]!);
          fv[i] = f(px[i]!, py[i]!);
          evals++;
        }
      }
    }
  }
  let b = 0;
  for (let i = 1; i < 3; i++) if (fv[i]! < fv[b]!) b = i;
  return [px[b]!, py[b]!, fv[b]!];
}

/** At most `max` points, evenly spread in index, weights kept (the outer search only). */
function subsample(wk: Work, max: number): Work {
  if (wk.n <= max) return wk;
  const out: Work = {
    k: new Float64Array(max),
    w: new Float64Array(max),
    om: new Float64Array(max),
    n: max,
    wBar: wk.wBar,
  };
  for (let j = 0; j < max; j++) {
    const i = Math.round((j * (wk.n - 1)) / (max - 1));
    out.k[j] = wk.k[i]!;
    out.w[j] = wk.w[i]!;
    out.om[j] = wk.om[i]!;
  }
  return out;
}

/** The outer search's starting grid: points in m, points in log σ (fitSvi). */
const GRID_M = 7,
  GRID_S = 5;

function fitSvi(full: Work, kMin: number, kMax: number): SviParams | null {
  const wk = subsample(full, 48);
  const span = Math.max(kMax - kMin, 1e-4);
  const mLo = kMin - span,
    mHi = kMax + span;
  const sLo = Math.log(Math.max(span * 1e-3, 1e-5)),
    sHi = Math.log(Math.max(2 * span, 0.5));
  const inner: Inner = { obj: 0, a: 0, d: 0, c: 0 };
  const f = (m: number, ls: number): number => {
    const mm = m < mLo ? mLo : m > mHi ? mHi : m;
    const l = ls < sLo ? sLo : ls > sHi ? sHi : ls;
    sviInner(wk, mm, Math.exp(l), inner);
    // Keep the simplex inside the box by penalising the clamped distance.
    return inner.obj + ((mm - m) ** 2 + (l - ls) ** 2) * (wk.wBar * wk.wBar + 1e-12) * 1e3;
  };
  // The outer search starts from the best point of a coarse grid over (m, log σ), 7 × 5 points over the data's
  // range and a little beyond, plus three points read off the data (the least variance, the centre, a narrow σ),
  // then runs one Nelder–Mead search from there and a polish with a smaller simplex. It replaced three full searches
  // from the three data points (240 objective evaluations per fit on average, now 143): on every fit of the
  // 1990–2026 backtest (4,277) and of the real chains in ../shared (7,271), the objective it reaches was never more
  // than 3.3e-4 (relative) above the three searches', and the median difference was 1e-10.
  let iMin = 0;
  for (let i = 1; i < wk.n; i++) if (wk.w[i]! < wk.w[iMin]!) iMin = i;
  let best: [number, number, number] = [wk.k[iMin]!, Math.log(0.25 * span), 0];
  best[2] = f(best[0], best[1]);
  const seed = (m: number, ls: number): void => {
    const v = f(m, ls);
    if (v < best[2]) best = [m, ls, v];
  };
  seed(0.5 * (kMin + kMax), Math.log(span));
  seed(kMin + 0.25 * span, Math.log(0.05 * span + 1e-5));
  const lsLo = Math.log(0.02 * span + 1e-5),
    lsHi = Math.log(1.5 * span);
  for (let i = 0; i < GRID_M; i++)
    for (let j = 0; j < GRID_S; j++)
      seed(kMin - 0.25 * span + (1.5 * span * i) / (GRID_M - 1), lsLo + ((lsHi - lsLo) * j) / (GRID_S - 1));
  const searched = nelderMead2(f, best[0], best[1], 0.1 * span, 0.35, 60, 1e-3 * span, 1e-2);
  if (searched[2] < best[2]) best = searched;
  // Polish from there with a smaller simplex.
  const polished = nelderMead2(f, best[0], best[1], 0.05 * span, 0.2, 60, 1e-5 * span, 1e-4);
  if (polished[2] < best[2]) best = polished;
  if (!Number.isFinite(best[2])) return null;
  const m = Math.min(Math.max(best[0], mLo), mHi);
  const sigma = Math.exp(Math.min(Math.max(best[1], sLo), sHi));
  sviInner(full, m, sigma, inner);
  const b = inner.c / sigma;
  const rho = inner.c > 0 ? Math.max(-1, Math.min(1, inner.d / inner.c)) : 0;
  const p: SviParams = { a: inner.a, b, rho, m, sigma };
  if (![p.a, p.b, p.rho, p.m, p.sigma].every(Number.isFinite)) return null;
  return p;
}

function validSvi(p: SviParams): boolean {
  return [p.a, p.b, p.rho, p.m, p.sigma].every(Number.isFinite) && p.b >= 0 && Math.abs(p.rho) <= 1 && p.sigma > 0;
}

/** Log-moneyness closer than this is one strike (1e-12 relative: no two listed strikes are that close). */
const SAME_K = 1e-12;

/** Lower convex hull (Andrew's monotone chain) of points sorted by k. */

function lowerHull(k: Float64Array, w: Float64Array, n: number): { hk: number[]; hw: number[] } {
  const hk: number[] = [],
    hw: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = k[i]!,
      y = w[i]!;
    // The same strike, or one so close that the slope between them would overflow (a junk point 1e-323 apart gave
    // an infinite variance and a NaN error): the lower variance stands for both.
    if (hk.length > 0 && x - hk[hk.length - 1]! <= SAME_K) {
      if (y < hw[hw.length - 1]!) {
        hk.pop();
        hw.pop();
      } else continue;
    }
    while (hk.length >= 2) {
      const x1 = hk[hk.length - 2]!,
        y1 = hw[hw.length - 2]!,
        x2 = hk[hk.length - 1]!,
        y2 = hw[hw.length - 1]!;
      if ((x2 - x1) * (y - y1) - (y2 - y1) * (x - x1) <= 0) {
        hk.pop();
        hw.pop();
      } else break;
    }
    hk.push(x);
    hw.push(y);
  }
  return { hk, hw };
}

function clampSlope(s: number, sign: -1 | 1): number {
  // Left wing: dw/dk in [−2, 0]; right wing: [0, 2].
  if (!Number.isFinite(s)) return 0;
  return sign < 0 ? Math.min(0, Math.max(-LEE_SLOPE, s)) : Math.max(0, Math.min(LEE_SLOPE, s));
}

/** Minimum of g(k) over the data range and the wings (and fixes the wing slopes so g ≥ 0 there). */
function checkDensity(smile: Smile): number {
  let minG = Infinity;
  const N = 64;
  for (let i = 0; i <= N; i++) {
    const k = smile.kMin + ((smile.kMax - smile.kMin) * i) / N;
    const { w, w1, w2 } = innerW(smile, k);
    const g = densityG(w, w1, w2, k);
    if (g < minG) minG = g;
  }
  // Wings out to 8 ATM standard deviations (or |k| = 1.5); halve slopes until g ≥ 0 there.
  const sd = Math.sqrt(Math.max(smile.atmVol * smile.atmVol * smile.years, 1e-8));
  const reach = Math.max(8 * sd, 1.5);
  for (const side of [-1, 1] as const) {
    for (let attempt = 0; attempt < 12; attempt++) {
      let wingMin = Infinity;
      for (let i = 1; i <= 24; i++) {
        const k = side < 0 ? smile.kMin - (reach * i) / 24 : smile.kMax + (reach * i) / 24;
        const { w, w1, w2 } = smileTotalVariance(smile, k);
        const g = densityG(w, w1, w2, k);
        if (g < wingMin) wingMin = g;
      }
      if (wingMin >= 0 || attempt === 11) {
        if (wingMin < minG) minG = wingMin;
        break;
      }
      if (side < 0) smile.slopeLeft *= 0.5;
      else smile.slopeRight *= 0.5;
    }
  }
  return minG;
}

/**
 * Fits the smile to (k, vol) points. Returns null when there is no usable point. Never returns NaN: a smile
 * that fails every check degrades to flat at the (weighted) ATM variance, with the reason.
 */
export function fitSmile(input: FitSmileInput): Smile | null {
  return fitSmileOn(input, true);
}

/** How far from the money, in ATM standard deviations (√w at k = 0), a fit that failed on every point is tried again. */
const NEAR_MONEY_SD = 4;

function fitSmileOn(input: FitSmileInput, nearMoneyAgain: boolean): Smile | null {
  const { forward, years } = input;
  if (!(forward > 0) || !(years > 0) || !Number.isFinite(forward) || !Number.isFinite(years)) return null;
  const pts = input.points
    .filter(
      (p) =>
        Number.isFinite(p.k) &&
        p.vol > 0 &&
        Number.isFinite(p.vol) &&
        (p.weight === undefined || (p.weight > 0 && Number.isFinite(p.weight))),
    )
    .slice()
    .sort((a, b) => a.k - b.k);
  // Quotes priced from a stated smile (a model's chain) are that smile's own: none to leave out.
  const beyondLee = input.given ? 0 : leaveOutBeyondLee(pts, years);
  const n = pts.length;
  if (n === 0) return null;
  const wk: Work = { k: new Float64Array(n), w: new Float64Array(n), om: new Float64Array(n), n, wBar: 0 };
  let omSum = 0;
  for (let i = 0; i < n; i++) {
    const p = pts[i]!;
    wk.k[i] = p.k;
    wk.w[i] = p.vol * p.vol * years;
    wk.om[i] = p.weight ?? 1;
    omSum += wk.om[i]!;
  }
  for (let i = 0; i < n; i++) {
    wk.om[i] = wk.om[i]! / omSum;
    wk.wBar += wk.om[i]! * wk.w[i]!;
  }
  const kMin = wk.k[0]!,
    kMax = wk.k[n - 1]!;

  // ATM variance estimate for the flat fallback.
  const wAtm = atmTotalVariance(wk.k, wk.w, n);

  const base = (method: Smile['method']): Smile => ({
    method,
    forward,
    years,
    svi: null,
    knotK: [],
    knotW: [],
    kMin,
    kMax,
    wAtMin: 0,
    wAtMax: 0,
    slopeLeft: 0,
    slopeRight: 0,
    atmVol: Math.sqrt(wAtm / years),
    rmsErrorVol: 0,
    pointsUsed: n,
    minDensityG: 0,
    butterflyFree: true,
    reason: null,
  });
  const finish = (s: Smile): Smile => {
    const inner0 = innerW(s, kMin),
      inner1 = innerW(s, kMax);
    s.wAtMin = inner0.w;
    s.wAtMax = inner1.w;
    s.slopeLeft = clampSlope(inner0.w1, -1);
    s.slopeRight = clampSlope(inner1.w1, 1);
    s.atmVol = Math.sqrt(wOnly(s, 0) / years);
    let se = 0;
    for (let i = 0; i < n; i++) {
      const d = Math.sqrt(wOnly(s, wk.k[i]!) / years) - pts[i]!.vol;
      se += d * d;
    }
    s.rmsErrorVol = Math.sqrt(se / n);
    s.minDensityG = checkDensity(s);
    if (!Number.isFinite(s.minDensityG)) s.minDensityG = -1;
    s.butterflyFree = s.minDensityG >= -1e-12;
    return s;
  };

  const reasons: string[] = [];
  if (beyondLee > 0)
    reasons.push(
      `${beyondLee} quote(s) left out: implied variance beyond Lee's wing bound (2|k| above ATM), not a price on this expiry`,
    );
  const want = input.method;
  if ((want === undefined || want === 'svi') && n >= 5) {
    const p = input.given && validSvi(input.given) ? { ...input.given } : fitSvi(wk, kMin, kMax);
    if (p) {
      const s = finish({ ...base('svi'), svi: p, knotK: [], knotW: [] });
      s.reason = reasons.join('; ') || null;
      if (s.butterflyFree || want === 'svi') return leftOut(s, beyondLee, 0);
      reasons.push(`SVI violated Gatheral's g(k) ≥ 0 (min ${s.minDensityG.toExponential(2)})`);
    } else reasons.push('SVI calibration failed');
  } else if (want === undefined || want === 'svi') reasons.push(`only ${n} point(s): too few for SVI (5 needed)`);

  if ((want === undefined || want === 'convex') && n >= 2) {
    const { hk, hw } = lowerHull(wk.k, wk.w, n);
    if (hk.length >= 2) {
      const s = finish({ ...base('convex'), knotK: hk, knotW: hw });
      s.reason = reasons.join('; ') || null;
      if (s.butterflyFree || want === 'convex') return leftOut(s, beyondLee, 0);
      reasons.push(`convex fit violated g(k) ≥ 0 (min ${s.minDensityG.toExponential(2)})`);
    }
  }
  // Before flat: the same fit on the quotes within NEAR_MONEY_SD of the money. Far quotes of a short expiry (a week
  // on a volatile stock, say) are often minimum ticks whose vols no five-parameter smile passes through together with
  // the ATM curvature; the smile the near ones make is kept, its wings extrapolated as for any fit.
  if (nearMoneyAgain && want === undefined) {
    const reach = NEAR_MONEY_SD * Math.sqrt(Math.max(wAtm, W_FLOOR));
    const near = pts.filter((p) => Math.abs(p.k) <= reach);
    if (near.length >= 5 && near.length < n) {
      const again = fitSmileOn({ ...input, points: near }, false);
      if (again && again.method !== 'flat') {
        again.reason = [
          ...reasons,
          `fitted on the ${near.length} quotes within ${NEAR_MONEY_SD} ATM standard deviations (|k| ≤ ${reach.toFixed(3)}); ${n - near.length} farther left out`,
          ...(again.reason ? [again.reason] : []),
        ].join('; ');
        return leftOut(again, beyondLee + (again.quotesLeftOut?.beyondLee ?? 0), n - near.length);
      }
    }
  }
  const s = finish({ ...base('flat'), knotK: [0], knotW: [wAtm] });
  s.reason = reasons.join('; ') || null;
  return leftOut(s, beyondLee, 0);
}

/**
 * Total variance at k = 0 from points in ascending k: linear between the two either side of it, the nearest when
 * all are on one side.
 */
function atmTotalVariance(k: ArrayLike<number>, w: ArrayLike<number>, n: number): number {
  if (k[n - 1]! <= 0) return w[n - 1]!;
  if (!(k[0]! < 0)) return w[0]!;
  for (let i = 1; i < n; i++)
    if (k[i]! >= 0) {
      const t = (0 - k[i - 1]!) / (k[i]! - k[i - 1]!);
      return w[i - 1]! + t * (w[i]! - w[i - 1]!);
    }
  return w[0]!;
}

/** The smile with the count of quotes it left out, when it left any out. */
function leftOut(s: Smile, beyondLee: number, farFromMoney: number): Smile {
  if (beyondLee > 0 || farFromMoney > 0) s.quotesLeftOut = { beyondLee, farFromMoney };
  return s;
}

/**
 * Leaves out, in place, the points no smile can pass through: total implied variance above the ATM variance plus
 * LEE_SLOPE·|k|. Roger Lee ("The moment formula for implied volatility at extreme strikes", Mathematical Finance
 * 14, 2004) shows the wings of an arbitrage-free smile grow no faster than 2|k|; a quote far beyond that is not a
 * price on this expiry's underlying (a stale last price, a contract adjusted for a split listed among the others,
 * a typo). Left in, one such point breaks every fit and the smile falls back to flat. Returns how many went.
 */
function leaveOutBeyondLee(pts: SmilePoint[], years: number): number {
  if (pts.length < 3) return 0;
  const wAtm = atmTotalVariance(
    pts.map((p) => p.k),
    pts.map((p) => p.vol * p.vol * years),
    pts.length,
  );
  let kept = 0;
  for (const p of pts) if (p.vol * p.vol * years <= wAtm + LEE_SLOPE * Math.abs(p.k)) pts[kept++] = p;
  const gone = pts.length - kept;
  // Never all of them: a chain whose every point is beyond the bound is fitted as it is (and says so by its fit).
  if (kept >= 2) pts.length = kept;
  return kept >= 2 ? gone : 0;
}
