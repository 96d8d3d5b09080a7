/** The threat level the toolbar badge shows: tested, threatened, or low, from the condor's short strikes. */
import { describe, expect, it } from 'vitest';
import { threatOf } from '../../src/engine/session/pageView';
import type { CondorRisk } from '../../src/engine/types';

const leg = (kind: 'put' | 'call', strike: number, side: 1 | -1, delta: number) => ({
  kind,
  strike,
  side,
  bid: null,
  ask: null,
  mid: null,
  vol: 0.2,
  modelPrice: 1,
  delta,
});
const condor = (shortPutDelta: number, shortCallDelta: number) =>
  ({
    legs: [
      leg('put', 6300, 1, -0.1),
      leg('put', 6400, -1, shortPutDelta),
      leg('call', 6900, -1, shortCallDelta),
      leg('call', 7000, 1, 0.1),
    ],
  }) as unknown as CondorRisk;

describe('threatOf', () => {
  it('low inside the shorts, threatened at the rulebook delta, tested at or beyond a short strike', () => {
    expect(threatOf(condor(-0.16, 0.15), 6650, 0.3)).toBe('low');
    expect(threatOf(condor(-0.3, 0.1), 6450, 0.3)).toBe('threatened'); // |delta| at the threshold counts
    expect(threatOf(condor(-0.12, 0.31), 6850, 0.3)).toBe('threatened');
    expect(threatOf(condor(-0.5, 0.05), 6400, 0.3)).toBe('tested');
    expect(threatOf(condor(-0.05, 0.6), 6950, 0.3)).toBe('tested');
    expect(threatOf(condor(-0.16, 0.15), null, 0.3)).toBe('low'); // no price: deltas alone
  });
});
