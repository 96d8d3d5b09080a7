/**
 * The short-strike delta watch (issue 17): the trader sets a |delta| (per contract, 0–1) in Options; the
 * background notifies once when a tab's short strike reaches it, and not again until that delta has fallen back
 * below the threshold less REARM_GAP. Pure: the engine's page view, the content script, the storage layer, the
 * Options page and the background all take their rules from here.
 */

/** The short of a condor with the largest |delta|: which leg, and its delta per contract as a magnitude (0–1). */
export interface ShortDelta {
  kind: 'put' | 'call';
  strike: number;
  /** |delta| of one option (per share of the contract: 0.30 is a "30-delta" short). */
  deltaAbs: number;
}

export const DELTA_THRESHOLD_MIN = 0.05;
export const DELTA_THRESHOLD_MAX = 0.95;
export const DELTA_THRESHOLD_DEFAULT = 0.3;
/** How far below the threshold a short's delta must fall before it can notify again. */
export const REARM_GAP = 0.05;
/** Float slack: 0.3 × 100 is 30.000000000000004 and 0.29 × 100 is 28.999999999999996. */
const EPS = 1e-9;

/**
 * The |delta| in whole hundredths, rounded down: the step at which the figure is passed on (the page view's key,
 * the badge message). Thresholds have two decimals, so a crossing of one, up or down, is always a change of step:
 * the figure sent at that moment is on the right side of it.
 */
export function deltaHundredths(deltaAbs: number): number {
  return Math.floor(deltaAbs * 100 + EPS);
}

/** Whether the watched delta is at or past the threshold (`past`: notified, waiting for it to fall back). */
export type DeltaZone = 'below' | 'past';

/**
 * One report of a tab's short-strike delta against the threshold. `zone` is the tab's state before (undefined: no
 * report yet); the answer is its state after and whether to notify now. A tab whose first report is already at or
 * past the threshold notifies: the trader asked to hear of a short that far in, and hears it once. A report
 * without a delta (no condor on the page for now) changes nothing.
 */
export function deltaStep(
  zone: DeltaZone | undefined,
  deltaAbs: number | null,
  threshold: number,
): { zone: DeltaZone | undefined; notify: boolean } {
  if (deltaAbs === null || !Number.isFinite(deltaAbs)) return { zone, notify: false };
  if (zone !== 'past') {
    return deltaAbs >= threshold - EPS ? { zone: 'past', notify: true } : { zone: 'below', notify: false };
  }
  return { zone: deltaAbs < threshold - REARM_GAP - EPS ? 'below' : 'past', notify: false };
}

/** The notification's words: "SPX 5800 put: delta 0.31, past your 0.30". */
export function shortDeltaMessage(symbol: string | null, short: ShortDelta, threshold: number): string {
  const shown = short.deltaAbs.toFixed(2);
  const mine = threshold.toFixed(2);
  const where = shown === mine ? 'at' : 'past';
  return `${symbol ? `${symbol} ` : ''}${short.strike} ${short.kind}: delta ${shown}, ${where} your ${mine}`;
}

/**
 * A threshold: a |delta| from 0.05 to 0.95 with two decimals at most, else the reason it is refused (a 30 is not
 * taken for 0.30: the message says what to enter, nothing is guessed). Options reads the typed text first
 * (src/ui/options/fields.ts); storage checks what it is given and what it reads with the same rule.
 */
export function checkDeltaThreshold(value: number): { ok: true; value: number } | { ok: false; message: string } {
  if (!Number.isFinite(value)) return { ok: false, message: 'Enter a delta from 0.05 to 0.95, e.g. 0.30.' };
  if (value >= 5 && value <= 95) {
    return {
      ok: false,
      message: `Deltas here are per contract, from 0.05 to 0.95: for a ${value}-delta short enter ${(value / 100).toFixed(2)}.`,
    };
  }
  if (value < DELTA_THRESHOLD_MIN - EPS) return { ok: false, message: 'Too low: the smallest delta allowed is 0.05.' };
  if (value > DELTA_THRESHOLD_MAX + EPS) {
    return { ok: false, message: 'Too high: the largest delta allowed is 0.95 (a delta is at most 1).' };
  }
  if (Math.abs(value * 100 - Math.round(value * 100)) > 1e-6) {
    return { ok: false, message: 'Two decimals at most, e.g. 0.30.' };
  }
  return { ok: true, value: Math.round(value * 100) / 100 };
}

/** A threshold as stored: a number `checkDeltaThreshold` accepts, else null. */
export function validDeltaThreshold(value: unknown): number | null {
  if (typeof value !== 'number') return null;
  const r = checkDeltaThreshold(value);
  return r.ok ? r.value : null;
}
