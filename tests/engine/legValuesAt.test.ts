/**
 * legValuesAt (src/engine/leg.ts) is legValue at many prices on one date: the same number, bit for bit, at every
 * price, date and vol shift — also where legValue falls back to the intrinsic value (a price at or below zero, at or
 * past expiry, a vol floored).
 */
import { describe, expect, it } from 'vitest';
import { legValue, legValuesAt, type ModelLeg } from '../../src/engine/leg';
import type { ExpiryModel } from '../../src/engine/types';

const model = (years: number, rate: number, carry: number): ExpiryModel => ({
  underlying: 6600,
  forward: 6600 * Math.exp(carry * years),
  discount: Math.exp(-rate * years),
  years,
  rate,
  carry,
  smile: null as unknown as ExpiryModel['smile'],
});

describe('legValuesAt', () => {
  it('gives what legValue gives, price by price, bit for bit', () => {
    const prices = [-5, 0, 1e-9, 1, 3000, 5999.5, 6400, 6600, 6612.25, 7200, 12_000, 1e7];
    const out = new Float64Array(prices.length);
    let compared = 0;
    for (const m of [model(30 / 365, 0.04, 0.01), model(2 / 365, 0.05, -0.02), model(400 / 365, 0.03, 0)])
      for (const kind of ['call', 'put'] as const)
        for (const strike of [50, 6400, 6600, 6800, 20_000])
          for (const vol of [0.001, 0.18, 1.5])
            for (const daysForward of [0, 1, 0.5 * m.years * 365, m.years * 365, m.years * 365 + 3])
              for (const volShiftPoints of [0, 7, -40]) {
                const leg: ModelLeg = { kind, strike, model: m, vol };
                legValuesAt(leg, prices, daysForward, volShiftPoints, out);
                prices.forEach((price, i) => {
                  expect(Object.is(out[i], legValue(leg, { price, daysForward, volShiftPoints }))).toBe(true);
                  compared++;
                });
              }
    expect(compared).toBe(3 * 2 * 5 * 3 * 5 * 3 * prices.length);
  });
});
