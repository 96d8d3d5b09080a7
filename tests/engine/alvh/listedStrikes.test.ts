/**
 * listedStrikes (src/engine/alvh/plan/legs.ts): the strikes of an expiry with a two-sided market on a side, found
 * once per plan and kept on the plan's context.
 */
import { describe, expect, it } from 'vitest';
import { emptyQuote, type Expiry, type Quote } from '../../../src/chain/types';
import { listedStrikes } from '../../../src/engine/alvh/plan/legs';

const q = (bid: number | null, ask: number | null): Quote => ({ ...emptyQuote(), bid, ask });

const expiry = (date: string): Expiry => ({
  date,
  settlement: 'PM',
  root: 'SPXW',
  rows: [
    { strike: 5900, call: q(120, 121), put: q(2, 2.1) },
    { strike: 5950, call: q(null, 80), put: q(4, 4.2) }, // call one-sided
    { strike: 6000, call: q(40, 41), put: q(9, 8) }, // put crossed
    { strike: 6050, call: q(0, 0), put: q(25, 26) }, // call: no ask above zero
    { strike: 6100, call: q(10, 10.5), put: null },
  ],
});

describe('listedStrikes', () => {
  it('lists the strikes with a two-sided, uncrossed market on the side asked', () => {
    const ctx = {};
    const e = expiry('2026-12-18');
    expect(listedStrikes(ctx, e, 'call')).toEqual([5900, 6000, 6100]);
    expect(listedStrikes(ctx, e, 'put')).toEqual([5900, 5950, 6050]);
  });

  it('keeps each expiry and side apart, and answers a second ask from what it found', () => {
    const ctx = {};
    const a = expiry('2026-12-18');
    const b: Expiry = { ...expiry('2027-01-15'), rows: [{ strike: 6200, call: q(5, 6), put: q(300, 301) }] };
    const first = listedStrikes(ctx, a, 'call');
    expect(listedStrikes(ctx, b, 'call')).toEqual([6200]);
    expect(listedStrikes(ctx, a, 'call')).toBe(first);
    // A new plan (a new context) walks the rows again.
    expect(listedStrikes({}, a, 'call')).not.toBe(first);
    expect(listedStrikes({}, a, 'call')).toEqual(first);
  });
});
