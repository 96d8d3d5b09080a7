/**
 * The short-strike delta watch (issue 17), pure: when a tab's report notifies (once on reaching the threshold, again
 * only after falling below it less 0.05), the step the figure is passed on at, the notification's words, and the
 * threshold's checks.
 */
import { describe, expect, test } from 'vitest';
import {
  checkDeltaThreshold,
  deltaHundredths,
  deltaStep,
  REARM_GAP,
  shortDeltaMessage,
  validDeltaThreshold,
  type DeltaZone,
} from '../../src/shared/shortDelta';

/** Runs reports through deltaStep from a fresh tab: which of them notified. */
function notifiedAt(deltas: (number | null)[], threshold: number, start?: DeltaZone): number[] {
  let zone = start;
  const out: number[] = [];
  deltas.forEach((d, i) => {
    const step = deltaStep(zone, d, threshold);
    zone = step.zone;
    if (step.notify) out.push(i);
  });
  return out;
}

describe('crossing and hysteresis', () => {
  test('once on reaching the threshold, not again while it stays up or wobbles within the 0.05 gap', () => {
    expect(REARM_GAP).toBe(0.05);
    //                   0     1     2     3     4     5     6     7     8
    const path = [0.2, 0.29, 0.3, 0.34, 0.29, 0.31, 0.26, 0.25, 0.33];
    // 2 reaches 0.30. 4 to 7 fall back, but never below 0.25 (0.25 itself is not below it): 8 does not notify again.
    expect(notifiedAt(path, 0.3)).toEqual([2]);
    // Below 0.25 once (0.24), then up again: a second notification.
    expect(notifiedAt([0.2, 0.31, 0.24, 0.29, 0.3], 0.3)).toEqual([1, 4]);
  });

  test('exactly at the threshold counts (it "reaches" it), through float noise; just under does not', () => {
    expect(deltaStep('below', 0.3, 0.3)).toEqual({ zone: 'past', notify: true });
    expect(deltaStep('below', 0.1 + 0.2, 0.3).notify).toBe(true); // 0.30000000000000004
    expect(deltaStep('below', 0.29 + 1e-12, 0.29).notify).toBe(true);
    expect(deltaStep('below', 0.2999, 0.3)).toEqual({ zone: 'below', notify: false });
  });

  test('rearms strictly below threshold − 0.05: 0.25 keeps it quiet, 0.2499 rearms', () => {
    expect(deltaStep('past', 0.25, 0.3)).toEqual({ zone: 'past', notify: false });
    expect(deltaStep('past', 0.2499, 0.3)).toEqual({ zone: 'below', notify: false });
  });

  test("a tab's first report past the threshold notifies once; below it only arms", () => {
    expect(deltaStep(undefined, 0.42, 0.3)).toEqual({ zone: 'past', notify: true });
    expect(deltaStep(undefined, 0.1, 0.3)).toEqual({ zone: 'below', notify: false });
  });

  test('a report without a delta (no condor for now) changes nothing, whatever the zone', () => {
    for (const zone of [undefined, 'below', 'past'] as const) {
      expect(deltaStep(zone, null, 0.3)).toEqual({ zone, notify: false });
      expect(deltaStep(zone, Number.NaN, 0.3)).toEqual({ zone, notify: false });
    }
    // The condor goes and comes back still past: no second notification.
    expect(notifiedAt([0.35, null, null, 0.36], 0.3)).toEqual([0]);
  });

  test('a threshold the trader lowers under a quiet short notifies at the next report; one raised waits for the fall', () => {
    expect(deltaStep('below', 0.25, 0.2)).toEqual({ zone: 'past', notify: true });
    // Notified at 0.20, then the threshold moves to 0.40: 0.36 is not below 0.35, still past; 0.34 rearms.
    expect(deltaStep('past', 0.36, 0.4)).toEqual({ zone: 'past', notify: false });
    expect(deltaStep('past', 0.34, 0.4)).toEqual({ zone: 'below', notify: false });
  });
});

describe('the step the figure is passed on at', () => {
  test('whole hundredths rounded down, exact on the two-decimal grid despite binary floats', () => {
    expect(deltaHundredths(0.3)).toBe(30);
    expect(deltaHundredths(0.29)).toBe(29); // 0.29 × 100 = 28.999999999999996
    expect(deltaHundredths(0.57)).toBe(57); // 56.99999999999999
    expect(deltaHundredths(0.2999)).toBe(29);
    expect(deltaHundredths(0.305)).toBe(30);
    for (let k = 5; k <= 95; k++) expect(deltaHundredths(k / 100)).toBe(k);
  });

  test('every crossing of a two-decimal threshold (up through it, down through it less 0.05) is a change of step', () => {
    for (let t = 5; t <= 95; t++) {
      const threshold = t / 100;
      const rearm = threshold - REARM_GAP;
      for (const [a, b] of [
        [threshold - 0.0001, threshold + 0.0001],
        [rearm + 0.0001, rearm - 0.0001],
      ] as const) {
        expect(deltaHundredths(a)).not.toBe(deltaHundredths(b));
      }
    }
  });
});

describe('the notification', () => {
  test('says which short, its delta and the underlying', () => {
    expect(shortDeltaMessage('SPX', { kind: 'put', strike: 5800, deltaAbs: 0.3106 }, 0.3)).toBe(
      'SPX 5800 put: delta 0.31, past your 0.30',
    );
    expect(shortDeltaMessage('SPY', { kind: 'call', strike: 690, deltaAbs: 0.3004 }, 0.3)).toBe(
      'SPY 690 call: delta 0.30, at your 0.30',
    );
    expect(shortDeltaMessage(null, { kind: 'call', strike: 6050, deltaAbs: 0.5 }, 0.45)).toBe(
      '6050 call: delta 0.50, past your 0.45',
    );
  });
});

describe('the threshold', () => {
  test('0.05 to 0.95 with two decimals; each refusal says what to enter', () => {
    expect(checkDeltaThreshold(0.3)).toEqual({ ok: true, value: 0.3 });
    expect(checkDeltaThreshold(0.05)).toEqual({ ok: true, value: 0.05 });
    expect(checkDeltaThreshold(0.95)).toEqual({ ok: true, value: 0.95 });
    expect(checkDeltaThreshold(0.1 + 0.2)).toEqual({ ok: true, value: 0.3 });
    expect(checkDeltaThreshold(1.5)).toEqual({
      ok: false,
      message: 'Too high: the largest delta allowed is 0.95 (a delta is at most 1).',
    });
    expect(checkDeltaThreshold(0.96)).toMatchObject({ ok: false, message: expect.stringMatching(/^Too high/) });
    expect(checkDeltaThreshold(0.04)).toEqual({ ok: false, message: 'Too low: the smallest delta allowed is 0.05.' });
    expect(checkDeltaThreshold(-0.3)).toMatchObject({ ok: false, message: expect.stringMatching(/^Too low/) });
    expect(checkDeltaThreshold(30)).toEqual({
      ok: false,
      message: 'Deltas here are per contract, from 0.05 to 0.95: for a 30-delta short enter 0.30.',
    });
    expect(checkDeltaThreshold(0.305)).toEqual({ ok: false, message: 'Two decimals at most, e.g. 0.30.' });
    expect(checkDeltaThreshold(Number.NaN)).toMatchObject({ ok: false });
  });

  test('as stored: only what the check accepts', () => {
    expect(validDeltaThreshold(0.25)).toBe(0.25);
    for (const bad of ['0.25', 30, 1.5, 0.305, null, undefined, Number.POSITIVE_INFINITY, {}]) {
      expect(validDeltaThreshold(bad)).toBeNull();
    }
  });
});
