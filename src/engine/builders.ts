/**
 * Quick condor builders: from four strikes, from typed text ("6400/6450/6800/6850 x2 @ 4.10"), and from targets
 * ("16-delta shorts, 50 wide": the listed strikes whose smile delta is nearest the target, wings at the width).
 * Every builder returns { ok: true, spec } or { ok: false, error } with one clear sentence; none throws.
 */
import type { ChainRow } from '../chain/types';
import { legGreeksPerShare } from './leg';
import { volAt } from './smile';
import type { CondorSpec, ExpiryModel } from './types';

export type BuildResult = { ok: true; spec: CondorSpec } | { ok: false; error: string };

function fmt(k: number): string {
  return Number.isInteger(k) ? String(k) : String(Number(k.toFixed(6)));
}

function onChain(rows: readonly ChainRow[] | undefined, strike: number): boolean {
  if (!rows) return true;
  return rows.some((r) => Math.abs(r.strike - strike) < 1e-9);
}

export function condorFromStrikes({
  strikes,
  quantity = 1,
  credit = null,
  rows,
}: {
  strikes: readonly number[];
  quantity?: number;
  credit?: number | null;
  /** When given, every strike must be listed on it. */
  rows?: readonly ChainRow[];
}): BuildResult {
  if (strikes.length !== 4) return { ok: false, error: `a condor needs 4 strikes, got ${strikes.length}` };
  const [k1, k2, k3, k4] = strikes as [number, number, number, number];
  for (const k of strikes)
    if (!(Number.isFinite(k) && k > 0)) return { ok: false, error: `strike ${String(k)} is not a positive number` };
  if (!(k1 < k2 && k2 <= k3 && k3 < k4)) {
    return {
      ok: false,
      error: `strikes out of order: need K1 < K2 ≤ K3 < K4 (long put < short put ≤ short call < long call), got ${strikes.map(fmt).join('/')}`,
    };
  }
  if (!(Number.isFinite(quantity) && quantity > 0))
    return { ok: false, error: `quantity must be a positive number, got ${quantity}` };
  if (credit !== null && !(Number.isFinite(credit) && credit >= 0))
    return { ok: false, error: `credit must be a non-negative number, got ${credit}` };
  const missing = strikes.filter((k) => !onChain(rows, k));
  if (missing.length > 0)
    return {
      ok: false,
      error: `strike${missing.length > 1 ? 's' : ''} ${missing.map(fmt).join(', ')} not on the chain for this expiry`,
    };
  return { ok: true, spec: { strikes: [k1, k2, k3, k4], quantity, credit } };
}

const NUM = String.raw`(\d+(?:\.\d+)?|\.\d+)`;
const TEXT_RE = new RegExp(
  String.raw`^\s*${NUM}\s*/\s*${NUM}\s*/\s*${NUM}\s*/\s*${NUM}\s*` + // strikes
    String.raw`(?:[x×*]\s*(\d+)\s*)?` + // quantity
    String.raw`(?:@\s*${NUM}\s*)?$`, // credit
  'i',
);

/** "6400/6450/6800/6850 x2 @ 4.10", "6400 / 6450 / 6800 / 6850", "6400/6450/6800/6850 @4.1", "… x 3". */
export function parseCondorText({ text, rows }: { text: string; rows?: readonly ChainRow[] }): BuildResult {
  const m = TEXT_RE.exec(text);
  if (!m) {
    return {
      ok: false,
      error: `cannot read "${text.trim().slice(0, 60)}": expected K1/K2/K3/K4 [xQTY] [@ CREDIT], e.g. 6400/6450/6800/6850 x2 @ 4.10`,
    };
  }
  const strikes = [m[1], m[2], m[3], m[4]].map(Number);
  const quantity = m[5] !== undefined ? Number(m[5]) : 1;
  if (quantity === 0) return { ok: false, error: 'quantity must be at least 1' };
  const credit = m[6] !== undefined ? Number(m[6]) : null;
  return condorFromStrikes({ strikes, quantity, credit, rows });
}

export interface Targets {
  /** |delta| of the short strikes, as a fraction (0.16). */
  shortDelta: number;
  /** Wing width in price units (points). */
  width: number;
}

/** "16-delta shorts, 50 wide", "16 delta 50 wide", "0.16 delta, 25 wide", "16Δ 50w". */
export function parseTargets(text: string): { ok: true; targets: Targets } | { ok: false; error: string } {
  const t = text.toLowerCase();
  const d = /(\d+(?:\.\d+)?)\s*-?\s*(?:delta|Δ|δ|d\b)/i.exec(t);
  const w = /(\d+(?:\.\d+)?)\s*-?\s*(?:wide|width|w\b|pt|points?)/i.exec(t);
  if (!d || !w)
    return {
      ok: false,
      error: `cannot read targets "${text.trim().slice(0, 60)}": expected e.g. "16-delta shorts, 50 wide"`,
    };
  let delta = Number(d[1]);
  if (delta >= 1) delta /= 100;
  const width = Number(w[1]);
  if (!(delta > 0 && delta < 0.5)) return { ok: false, error: `short delta must be between 0 and 50, got ${d[1]}` };
  if (!(width > 0)) return { ok: false, error: `width must be positive, got ${w[1]}` };
  return { ok: true, targets: { shortDelta: delta, width } };
}

/** Delta per point of the underlying of a listed strike, from the smile. */
export function smileDelta({
  model,
  kind,
  strike,
}: {
  model: ExpiryModel;
  kind: 'call' | 'put';
  strike: number;
}): number {
  if (!(model.years > 0)) return kind === 'call' ? (model.forward > strike ? 1 : 0) : model.forward < strike ? -1 : 0;
  const g = legGreeksPerShare({ model, kind, strike, vol: volAt(model.smile, strike) });
  return g && Number.isFinite(g.delta) ? g.delta : 0;
}

/**
 * How much nearer its target a listed short strike must be than the one chosen before for the choice to move
 * (|delta| error, 0.5 delta points). A live chain ticks several times a second and its spot jitters by a point or
 * two: without this the suggested shorts hop between two neighbouring strikes that are equally near 16-delta, and
 * with them every figure the overlay shows of the suggested condor. With it the suggestion follows a real move of
 * the market (some 5 SPX points on a month's expiry) and keeps still in the jitter.
 */
export const SHORTS_KEPT_WITHIN_DELTA = 0.005;

export function condorFromTargets({
  targets,
  model,
  rows,
  quantity = 1,
  keepShorts = null,
  widenToListed = false,
}: {
  targets: Targets;
  model: ExpiryModel;
  rows: readonly ChainRow[];
  quantity?: number;
  /** The shorts chosen last (put, call): kept while no listed strike is SHORTS_KEPT_WITHIN_DELTA nearer the target. */
  keepShorts?: readonly [number, number] | null;
  /**
   * When the strikes listed next beyond the shorts are farther apart than the width (a stock's chain listing 2.5
   * points near the money and 5 farther out), take that spacing as the width instead of giving up: both wings are
   * then the strikes listed next beyond the shorts, or as near that width as listed. For a suggestion; a width the
   * trader typed is kept as typed.
   */
  widenToListed?: boolean;
}): BuildResult & { width?: number } {
  const strikes = rows.map((r) => r.strike).filter((k) => k > 0 && Number.isFinite(k));
  const F = model.forward;
  let k2: number | null = null,
    k3: number | null = null,
    e2 = Infinity,
    e3 = Infinity;
  let keptPut = Infinity;
  let keptCall = Infinity;
  for (const k of strikes) {
    if (k < F) {
      const e = Math.abs(Math.abs(smileDelta({ model, kind: 'put', strike: k })) - targets.shortDelta);
      if (k === keepShorts?.[0]) keptPut = e;
      if (e < e2) {
        e2 = e;
        k2 = k;
      }
    } else {
      const e = Math.abs(Math.abs(smileDelta({ model, kind: 'call', strike: k })) - targets.shortDelta);
      if (k === keepShorts?.[1]) keptCall = e;
      if (e < e3) {
        e3 = e;
        k3 = k;
      }
    }
  }
  // The shorts chosen before stay while still listed on their side of the forward and not clearly farther from the
  // target than the nearest strike.
  if (keepShorts && keptPut <= e2 + SHORTS_KEPT_WITHIN_DELTA) k2 = keepShorts[0];
  if (keepShorts && keptCall <= e3 + SHORTS_KEPT_WITHIN_DELTA) k3 = keepShorts[1];
  if (k2 === null || k3 === null)
    return { ok: false, error: 'the chain has no listed strikes on both sides of the forward' };
  const put = k2;
  const call = k3;
  const wingsAt = (width: number): [number, number] | null => {
    let k1: number | null = null,
      k4: number | null = null;
    for (const k of strikes) {
      if (k < put && (k1 === null || Math.abs(k - (put - width)) < Math.abs(k1 - (put - width)))) k1 = k;
      if (k > call && (k4 === null || Math.abs(k - (call + width)) < Math.abs(k4 - (call + width)))) k4 = k;
    }
    const far = (k: number | null, want: number) => k === null || Math.abs(k - want) > 0.5 * width;
    return k1 === null || k4 === null || far(k1, put - width) || far(k4, call + width) ? null : [k1, k4];
  };
  let width = targets.width;
  let wings = wingsAt(width);
  if (!wings && widenToListed) {
    // The spacing of the strikes listed next beyond each short; the wider of the two, if wider than asked.
    let below = -Infinity;
    let above = Infinity;
    for (const k of strikes) {
      if (k < put && k > below) below = k;
      if (k > call && k < above) above = k;
    }
    const spacing = Math.max(put - below, above - call);
    if (Number.isFinite(spacing) && spacing > width) {
      width = spacing;
      wings = wingsAt(width);
    }
  }
  if (!wings) {
    return {
      ok: false,
      error: `no listed strike near ${targets.width} points beyond the shorts ${fmt(k2)}/${fmt(k3)} for a wing`,
    };
  }
  const r = condorFromStrikes({ strikes: [wings[0], put, call, wings[1]], quantity, rows });
  return r.ok ? { ...r, width } : r;
}
