/**
 * VIX you can trust (issue #14): the chain's own 30-day index (src/engine/vixIndex.ts) as the VIX when the trader
 * gave none and the page shows none, a warning when the VIX the plan uses disagrees with it beyond the rulebook's
 * vixChainTolerancePoints, and a warning when the VIX option chain is from another session than the chain.
 *
 * Pure: no browser API, no I/O.
 */
import type { Chain } from '../../chain/types';
import type { HedgePlan } from '../alvh/plan';
import { newYorkDate } from '../alvh/vixSeries';
import { valuationTime } from '../time';
import { keptBy } from '../keptBy';
import { tracksSp500, vixIndexFromChain, type VixIndexResult } from '../vixIndex';
import { onFrozenRows } from '../rowsMemo';

/** The chain's index as the session keeps it: the result, and whether it may stand for the VIX. */
export interface ChainVix {
  index: VixIndexResult;
  /** True for an S&P 500 chain (SPX, SPXW, XSP, SPY) whose strip is not cut short. */
  usable: boolean;
  /** Why it may not stand for the VIX (another underlying, a narrow strip, no strip); null when usable. */
  reason: string | null;
}

/** The chain's 30-day index; null for an underlying other than the S&P 500 (its index is not the VIX). */
export function chainVix(chain: Chain, now: Date, rate: number): ChainVix | null {
  if (!tracksSp500(chain.underlying.symbol)) return null;
  // Kept for a chain whose expiries are frozen (the backtest's model chains, asked about by several strategies).
  return onFrozenRows(chain.expiries, `chainVix ${chain.underlying.price} ${now.getTime()} ${rate}`, () =>
    usableIndex(vixIndexFromChain({ chain, now, rate })),
  );
}

function usableIndex(index: ReturnType<typeof vixIndexFromChain>): ChainVix {
  if (!index.ok) return { index, usable: false, reason: `no 30-day index from this chain: ${index.reason}` };
  if (index.narrow)
    return {
      index,
      usable: false,
      reason: `this chain's ${index.label} is not used as the VIX: the page lists too few strikes away from the money (${index.terms
        .map((t) => `${t.lowestStrike}–${t.highestStrike} on ${t.date}`)
        .join(', ')})`,
    };
  return { index, usable: true, reason: null };
}

/** The note the plan carries when its VIX is the chain's own index. */
export function chainVixNote(c: ChainVix): string | null {
  if (!c.usable || !c.index.ok) return null;
  const i = c.index;
  return i.method === 'two-expiry'
    ? `VIX from this chain's 30-day index: ${i.value.toFixed(1)} (two expiries, ${i.terms.map((t) => days(t.days)).join(' and ')} days; Cboe's VIX white-paper method) — no VIX typed or shown on the page`
    : `VIX from this chain's single-expiry estimate at ${days(i.days)} days: ${i.value.toFixed(1)} (${i.terms[0]!.date} only, so no interpolation to 30 days; Cboe's VIX white-paper method) — no VIX typed or shown on the page`;
}

function days(d: number): string {
  return d >= 10 ? d.toFixed(0) : d.toFixed(1);
}

/**
 * The warning when the VIX the plan uses (typed, seen, or the day's close) differs from the chain's index by more
 * than the tolerance; null when they agree or the index cannot be used.
 */
export function vixDisagreement(params: {
  level: number;
  /** e.g. 'typed', 'seen on the page', 'the 2020-03-20 close in your VIX history'. */
  source: string;
  chain: ChainVix | null;
  tolerancePoints: number;
}): string | null {
  const { level, source, chain, tolerancePoints } = params;
  if (!chain || !chain.usable || !chain.index.ok || !Number.isFinite(level)) return null;
  const i = chain.index;
  const gap = level - i.value;
  if (!(Math.abs(gap) > tolerancePoints)) return null;
  const what =
    i.method === 'two-expiry'
      ? `this chain's own 30-day index ${i.value.toFixed(1)} (two expiries, ${i.terms.map((t) => days(t.days)).join(' and ')} days)`
      : `this chain's own single-expiry estimate ${i.value.toFixed(1)} (at ${days(i.days)} days, ${i.terms[0]!.date} only)`;
  return `VIX ${level.toFixed(2)} (${source}) disagrees with ${what} by ${Math.abs(gap).toFixed(1)} points, more than vixChainTolerancePoints ${tolerancePoints}: the plan uses ${level.toFixed(2)}; check the VIX you gave, or whether the chain is stale`;
}

/**
 * The New York session date of quotes stamped `asOf` (quotes seen after the close belong to that close). Kept by
 * time stamp: every plan of a chain checks its VIX chain's stamp.
 */
const sessionAt = keptBy(64, (asOf: string): string | null => {
  const d = new Date(asOf);
  return Number.isFinite(d.getTime()) ? newYorkDate(valuationTime(d).at) : null;
});
const sessionOf = (asOf: string | null): string | null => (asOf === null ? null : sessionAt(asOf));

/** The warning when the VIX option chain and the chain are quotes of different sessions; null when the same. */
export function vixChainSessionWarning(params: { vixChain: Chain | null; now: Date }): string | null {
  const { vixChain, now } = params;
  if (!vixChain) return null;
  const chainDay = newYorkDate(now);
  const vixDay = sessionOf(vixChain.asOf);
  if (vixDay === null)
    return `the VIX option chain has no time stamp: it cannot be checked to be from the ${chainDay} session of this chain`;
  if (vixDay === chainDay) return null;
  return `the VIX option chain is from the ${vixDay} session and this chain from ${chainDay}: the VIX futures and VIX option prices are not this session's; load a VIX chain of the same session`;
}

/**
 * The plan with the VIX checks: the note when its VIX is the chain's own index (or why the index is not used), the
 * warning when the VIX it uses disagrees with that index, and the one when the VIX chain is of another session.
 */
export function withVixChecks(
  plan: HedgePlan,
  p: {
    indexed: ChainVix | null;
    /** The plan's VIX is the chain's own index. */
    fromChain: boolean;
    /** The VIX the plan uses and where it came from (the session's words). */
    vix: { level: number | null; source: string | null };
    /** The trader typed it. */
    manual: boolean;
    tolerancePoints: number;
    vixChain: Chain | null;
    now: Date;
  },
): HedgePlan {
  const notes: string[] = [];
  const warnings: string[] = [];
  const { indexed, vix } = p;
  if (p.fromChain && indexed) {
    const note = chainVixNote(indexed);
    if (note) notes.push(note);
  } else if (indexed && !indexed.usable && indexed.reason) notes.push(indexed.reason);
  else if (indexed && indexed.index.ok && vix.level !== null) {
    const w = vixDisagreement({
      level: vix.level,
      source: p.manual ? 'typed' : (vix.source ?? 'the plan'),
      chain: indexed,
      tolerancePoints: p.tolerancePoints,
    });
    if (w) warnings.push(w);
    else notes.push(`this chain's ${indexed.index.label} agrees with VIX ${vix.level.toFixed(2)}`);
  }
  const session = vixChainSessionWarning({ vixChain: p.vixChain, now: p.now });
  if (session) warnings.push(session);
  if (notes.length === 0 && warnings.length === 0) return plan;
  return { ...plan, warnings: [...plan.warnings, ...warnings], notes: [...notes, ...plan.notes] };
}
