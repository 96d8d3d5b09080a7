/**
 * A 30-day VIX-style index from the option chain on the page, by the method of the "Cboe Volatility Index White
 * Paper" (Cboe Global Markets, "VIX® Index" white paper, the model-free variance of Demeterfi, Derman, Kamal & Zou
 * 1999). Per expiry:
 *  - T in minutes to the settlement instant (AM settlement at the 09:30 open, PM at the 16:00 close) ÷ 525,600;
 *  - F from put–call parity at the strike where |C − P| (mids) is smallest: F = K + e^{RT}(C − P);
 *  - K0 = the first strike at or below F;
 *  - the strip: out-of-the-money puts below K0 and calls above it, walking away from K0, leaving out options with a
 *    zero bid and stopping after two consecutive zero bids; at K0 the average of the put and the call;
 *  - ΔK_i = (K_{i+1} − K_{i−1})/2 over the strip's strikes (one-sided at its two ends);
 *  - σ² = (2/T) Σ ΔK_i/K_i² · e^{RT} · Q(K_i) − (1/T)(F/K0 − 1)².
 * Two expiries bracketing 30 days (Cboe uses the near and next terms between 23 and 37 days; the nearest two that
 * bracket 30, each with at least MIN_DAYS left, are accepted, said when outside that window) are interpolated in
 * total variance to 30 days:
 *   VIX = 100 · √{ [T1σ1²·(N2 − N30)/(N2 − N1) + T2σ2²·(N30 − N1)/(N2 − N1)] · N365/N30 }, N in minutes.
 * With one usable expiry (most broker pages list one at a time) it is that expiry's own variance, labelled a
 * single-expiry estimate at N days: never passed off as the 30-day figure.
 *
 * A strip cut short (a page listing a few strikes near the money) misses the wings' variance and understates the
 * index badly: such an expiry is marked `narrow` and the result says so, so the caller does not use it as VIX.
 *
 * Pure: no browser API, no I/O.
 */
import type { Chain, ChainRow, Expiry, Quote } from '../chain/types';
import { quoteMid } from '../chain/types';
import { secondsToExpiry } from './time';

const MINUTES_PER_YEAR = 525_600;
const MINUTES_30_DAYS = 43_200;
/** Cboe's near and next terms lie between these calendar days (the white paper's 23–37-day window). */
export const CBOE_MIN_DAYS = 23;
export const CBOE_MAX_DAYS = 37;
/**
 * An expiry whose strip ends within this many of its own standard deviations (σ√T, in log-strike) of the forward on
 * the put side, or NARROW_CALL_SIGMAS on the call side, is `narrow`. For a flat smile the options beyond 2.5σ below
 * the forward carry 0.15% of the variance and those beyond 1σ above about 7% (3.5% of the index; less with an
 * index's skew). Measured full strips reach 6.5σ below and 1.9–2.1σ above (SPX 20 Mar
 * 2020), 6–11σ below and 3–3.7σ above (SPY 25 Sep 2025), 9–11σ below and 1.6–2.0σ above (SPX 4 Feb 2022): an
 * index's call bids run out sooner (the skew), so the call side needs only 1σ. The SPX 14 Mar 2026 page download
 * (18 strikes near the money) reaches 0.35σ and 0.31σ: narrow, and its index is 11.2 against a VIX close of 27.19.
 */
export const NARROW_PUT_SIGMAS = 2.5;
export const NARROW_CALL_SIGMAS = 1;
/**
 * Expiries with less than a week left are not used: their variance is dominated by the last days' noise (the VIX
 * before 2014 rolled to the next months when its near term had less than a week left, for the same reason).
 */
export const MIN_DAYS = 7;

/** Underlyings whose 30-day index stands for the VIX (the S&P 500 and its trackers). */
const SP500 = /^(\^|\$|\.)?(SPX|SPXW|XSP|SPY|GSPC|INX|SP500)$/i;

export function tracksSp500(symbol: string): boolean {
  return SP500.test(symbol.trim());
}

export interface VixIndexTerm {
  date: string;
  root: string | null;
  settlement: 'AM' | 'PM';
  minutes: number;
  years: number;
  days: number;
  /** Continuously compounded rate used for e^{RT}. */
  rate: number;
  forward: number;
  /** The parity strike the forward came from. */
  forwardStrike: number;
  k0: number;
  /** Options in the strip (K0 counted once). */
  strikesUsed: number;
  lowestStrike: number;
  highestStrike: number;
  /** Annualised variance σ² of this expiry. */
  variance: number;
  /** How far the strip reaches, in this expiry's standard deviations σ√T of log-strike, below and above F. */
  stripSigmasBelow: number;
  stripSigmasAbove: number;
  narrow: boolean;
}

export type VixIndexResult =
  | {
      ok: true;
      /** Index points (VIX-style: 100 × σ). */
      value: number;
      method: 'two-expiry' | 'single-expiry';
      /** 30 for two expiries; the expiry's own days for a single-expiry estimate. */
      days: number;
      terms: VixIndexTerm[];
      /** Both terms within Cboe's 23–37-day window (a single expiry: never). */
      cboeWindow: boolean;
      /** A term's strip is cut short: the value understates the index and must not stand for VIX. */
      narrow: boolean;
      /** One line for the trader, e.g. "30-day index 61.2 (two expiries, 27 and 34 days)". */
      label: string;
    }
  | { ok: false; reason: string };

export interface VixIndexInput {
  chain: Chain;
  now: Date;
  /** Continuously compounded rate for e^{RT} (Cboe: Treasury yields); the chain analysis' rate. */
  rate: number;
}

const bidOf = (q: Quote | null): number => (q && q.bid !== null && q.bid > 0 ? q.bid : 0);

/** The option's mid when it has a real bid (the white paper leaves zero bids out), else null. */
function stripMid(q: Quote | null): number | null {
  return bidOf(q) > 0 ? quoteMid(q) : null;
}

function fmtDays(d: number): string {
  return d >= 10 ? d.toFixed(0) : d.toFixed(1);
}

/** The rows with a usable strike, by strike: as given when they are so already (a chain's own order), else sorted. */
function byStrike(rows: readonly ChainRow[]): readonly ChainRow[] {
  for (let i = 0; i < rows.length; i++) {
    const k = rows[i]!.strike;
    if (!(k > 0 && Number.isFinite(k)) || (i > 0 && k < rows[i - 1]!.strike))
      return rows.filter((r) => r.strike > 0 && Number.isFinite(r.strike)).sort((a, b) => a.strike - b.strike);
  }
  return rows;
}

/**
 * Out-of-the-money options walking away from K0 (puts down, step −1; calls up, step +1), appended to the strip:
 * zero bids are left out, and two consecutive zero bids end the walk.
 */
function walkAway(
  sorted: readonly ChainRow[],
  i0: number,
  step: 1 | -1,
  side: 'call' | 'put',
  ks: number[],
  qs: number[],
): void {
  let zeros = 0;
  for (let i = i0 + step; i >= 0 && i < sorted.length && zeros < 2; i += step) {
    const r = sorted[i]!;
    if (bidOf(r[side]) <= 0) {
      zeros++;
      continue;
    }
    zeros = 0;
    const m = stripMid(r[side]);
    if (m !== null) {
      ks.push(r.strike);
      qs.push(m);
    }
  }
}

/** One expiry's variance by the white paper; null with a reason when it has no usable strip. */
export function termVariance(params: {
  rows: readonly ChainRow[];
  minutes: number;
  rate: number;
}): { ok: true; term: Omit<VixIndexTerm, 'date' | 'root' | 'settlement'> } | { ok: false; reason: string } {
  const { rows, minutes, rate } = params;
  const T = minutes / MINUTES_PER_YEAR;
  if (!(T > 0)) return { ok: false, reason: 'expired' };
  const growth = Math.exp(rate * T);
  const sorted = byStrike(rows);

  // Forward: the strike with the smallest |C − P| of two-sided mids.
  let fk = NaN;
  let fdiff = Infinity;
  for (const r of sorted) {
    const c = quoteMid(r.call);
    const p = quoteMid(r.put);
    if (c === null || p === null) continue;
    if (Math.abs(c - p) < Math.abs(fdiff)) {
      fdiff = c - p;
      fk = r.strike;
    }
  }
  if (!Number.isFinite(fk)) return { ok: false, reason: 'no strike with two-sided call and put mids' };
  const F = fk + growth * fdiff;
  if (!(F > 0)) return { ok: false, reason: 'parity gives a non-positive forward' };

  // K0: the first strike at or below F.
  let i0 = -1;
  for (let i = 0; i < sorted.length; i++) if (sorted[i]!.strike <= F) i0 = i;
  if (i0 < 0) return { ok: false, reason: 'no strike at or below the forward' };
  const k0 = sorted[i0]!.strike;

  const cAt = stripMid(sorted[i0]!.call);
  const pAt = stripMid(sorted[i0]!.put);
  const atK0 = cAt !== null && pAt !== null ? 0.5 * (cAt + pAt) : (cAt ?? pAt);
  if (atK0 === null) return { ok: false, reason: `no quote with a bid at K0 = ${k0}` };
  // The strip in ascending strikes: the puts below K0, K0, the calls above it.
  const ks: number[] = [];
  const qs: number[] = [];
  walkAway(sorted, i0, -1, 'put', ks, qs);
  ks.reverse();
  qs.reverse();
  ks.push(k0);
  qs.push(atK0);
  walkAway(sorted, i0, 1, 'call', ks, qs);
  const n = ks.length;
  if (n < 3) return { ok: false, reason: `only ${n} option(s) in the strip` };

  let sum = 0;
  for (let i = 0; i < n; i++) {
    const k = ks[i]!;
    const dk = i === 0 ? ks[1]! - k : i === n - 1 ? k - ks[i - 1]! : 0.5 * (ks[i + 1]! - ks[i - 1]!);
    sum += (dk / (k * k)) * growth * qs[i]!;
  }
  const variance = (2 / T) * sum - (1 / T) * (F / k0 - 1) ** 2;
  if (!(variance > 0) || !Number.isFinite(variance))
    return { ok: false, reason: 'the strip gives no positive variance' };
  const sd = Math.sqrt(variance * T);
  const lowest = ks[0]!;
  const highest = ks[n - 1]!;
  const below = Math.log(F / lowest) / sd;
  const above = Math.log(highest / F) / sd;
  return {
    ok: true,
    term: {
      minutes,
      years: T,
      days: minutes / 1440,
      rate,
      forward: F,
      forwardStrike: fk,
      k0,
      strikesUsed: n,
      lowestStrike: lowest,
      highestStrike: highest,
      variance,
      stripSigmasBelow: below,
      stripSigmasAbove: above,
      narrow: below < NARROW_PUT_SIGMAS || above < NARROW_CALL_SIGMAS,
    },
  };
}

/**
 * The expiries of one date: the standard AM-settled series when a date lists both (the white paper's standard SPX
 * options; the weekly PM series otherwise), keeping the one with more rows when roots are unknown.
 */
function onePerDate(expiries: readonly Expiry[]): Expiry[] {
  const byDate = new Map<string, Expiry>();
  for (const e of expiries) {
    const had = byDate.get(e.date);
    if (!had) byDate.set(e.date, e);
    else if (e.settlement === 'AM' && had.settlement !== 'AM') byDate.set(e.date, e);
    else if (e.settlement === had.settlement && e.rows.length > had.rows.length) byDate.set(e.date, e);
  }
  return [...byDate.values()];
}

/** The chain's 30-day VIX-style index (see the file header). */
export function vixIndexFromChain(input: VixIndexInput): VixIndexResult {
  const { chain, now, rate } = input;
  if (!Number.isFinite(now.getTime())) return { ok: false, reason: 'no valuation time' };
  if (!Number.isFinite(rate)) return { ok: false, reason: 'no rate' };
  const terms: VixIndexTerm[] = [];
  const reasons: string[] = [];
  for (const e of onePerDate(chain.expiries)) {
    let minutes: number;
    try {
      minutes =
        secondsToExpiry({ now, expiry: { date: e.date, settlement: e.settlement, root: e.root ?? undefined } }) / 60;
    } catch {
      continue;
    }
    if (!(minutes >= MIN_DAYS * 1440)) continue;
    const r = termVariance({ rows: e.rows, minutes, rate });
    if (r.ok) terms.push({ date: e.date, root: e.root, settlement: e.settlement, ...r.term });
    else reasons.push(`${e.date}: ${r.reason}`);
  }
  if (terms.length === 0)
    return {
      ok: false,
      reason: `no expiry of at least ${MIN_DAYS} days with a usable strip${reasons.length ? ` (${reasons.slice(0, 3).join('; ')})` : ''}`,
    };
  terms.sort((a, b) => a.minutes - b.minutes);
  // Prefer strips that are not cut short; fall back to narrow ones (said) only when nothing else is there.
  const wide = terms.filter((t) => !t.narrow);
  const pool = wide.length > 0 ? wide : terms;
  const near = [...pool].reverse().find((t) => t.minutes <= MINUTES_30_DAYS) ?? null;
  const next = pool.find((t) => t.minutes > MINUTES_30_DAYS) ?? null;

  if (near && next) {
    const n1 = near.minutes,
      n2 = next.minutes;
    const w1 = (n2 - MINUTES_30_DAYS) / (n2 - n1);
    const w2 = (MINUTES_30_DAYS - n1) / (n2 - n1);
    const v30 =
      (near.years * near.variance * w1 + next.years * next.variance * w2) * (MINUTES_PER_YEAR / MINUTES_30_DAYS);
    const value = 100 * Math.sqrt(v30);
    const inWindow = [near, next].every((t) => t.days >= CBOE_MIN_DAYS && t.days <= CBOE_MAX_DAYS);
    const narrow = near.narrow || next.narrow;
    return {
      ok: true,
      value,
      method: 'two-expiry',
      days: 30,
      terms: [near, next],
      cboeWindow: inWindow,
      narrow,
      label: `30-day index ${value.toFixed(1)} (two expiries, ${fmtDays(near.days)} and ${fmtDays(next.days)} days${
        inWindow ? '' : `; outside Cboe's ${CBOE_MIN_DAYS}–${CBOE_MAX_DAYS}-day window`
      }${narrow ? '; a strip is cut short, so it understates' : ''})`,
    };
  }
  // One side of 30 days only: the usable expiry nearest to 30 days, on its own.
  const one = pool.reduce((b, t) =>
    Math.abs(t.minutes - MINUTES_30_DAYS) < Math.abs(b.minutes - MINUTES_30_DAYS) ? t : b,
  );
  const value = 100 * Math.sqrt(one.variance);
  return {
    ok: true,
    value,
    method: 'single-expiry',
    days: one.days,
    terms: [one],
    cboeWindow: false,
    narrow: one.narrow,
    label: `single-expiry estimate at ${fmtDays(one.days)} days: ${value.toFixed(1)} (${one.date} only: no expiry on the other side of 30 days, so no interpolation to 30 days${
      one.narrow ? '; its strip is cut short, so it understates' : ''
    })`,
  };
}
