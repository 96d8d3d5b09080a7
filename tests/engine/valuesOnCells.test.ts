/**
 * The stress grid's batch kernels give what the one-cell functions give, bit for bit: legValuesOnCells (leg.ts) is
 * legValue cell by cell, condorValuesOnCells (scenarios.ts) is condorValueOn cell by cell — on cells listed horizon
 * by horizon (as the plan's grid is) and on cells whose horizons come back and forth, at and past expiry, at prices
 * at or below zero, with vol shifts that hit the floor.
 */
import { describe, expect, it } from 'vitest';
import { legValue, legValuesOnCells, type LegCell } from '../../src/engine/leg';
import { condorValueOn, condorValuesOnCells } from '../../src/engine/scenarios';
import { fitSmile } from '../../src/engine/smile';
import type { ExpiryModel } from '../../src/engine/types';

function skewedModel(days: number, rate: number, carry: number): ExpiryModel {
  const years = days / 365;
  const spot = 6600;
  const forward = spot * Math.exp(carry * years);
  const smile = fitSmile({
    points: [
      { k: -0.15, vol: 0.31 },
      { k: -0.08, vol: 0.24 },
      { k: -0.03, vol: 0.19 },
      { k: 0, vol: 0.165 },
      { k: 0.03, vol: 0.14 },
      { k: 0.07, vol: 0.13 },
    ],
    forward,
    years,
  });
  if (!smile) throw new Error('the test smile did not fit');
  return { underlying: spot, forward, discount: Math.exp(-rate * years), years, rate, carry, smile };
}

const moves = [-1.2, -1, -0.3, -0.12, -0.05, 0, 0.004, 0.05, 0.1, 2];
const shifts = [-60, -8, 0, 3, 25, 70];

/** Cells horizon by horizon (the plan's grid), then the same cells with their horizons interleaved. */
function cellsFor(m: ExpiryModel): LegCell[][] {
  const days = m.years * 365;
  const horizons = [0, 1, 0.5 * days, days, days + 4];
  const grouped: LegCell[] = [];
  for (const h of horizons)
    for (let j = 0; j < moves.length; j++)
      grouped.push({ move: moves[j]!, horizonDays: h, vixShiftPoints: shifts[j % shifts.length]! });
  const interleaved = grouped.map((_, i) => grouped[(i * 7) % grouped.length]!);
  return [grouped, interleaved];
}

const models = [skewedModel(30, 0.04, 0.01), skewedModel(3, 0.05, -0.02), skewedModel(420, 0.03, 0)];

describe('legValuesOnCells', () => {
  it('is legValue in every cell, bit for bit', () => {
    let compared = 0;
    for (const m of models)
      for (const cells of cellsFor(m))
        for (const kind of ['call', 'put'] as const)
          for (const strike of [50, 6100, 6600, 6950, 20_000])
            for (const vol of [undefined, 0.002, 0.2]) {
              const leg = vol === undefined ? { kind, strike, model: m } : { kind, strike, model: m, vol };
              const out = new Float64Array(cells.length).fill(NaN);
              legValuesOnCells(leg, m.underlying, cells, out);
              cells.forEach((c, i) => {
                const one = legValue(leg, {
                  price: m.underlying * (1 + c.move),
                  daysForward: c.horizonDays,
                  volShiftPoints: c.vixShiftPoints,
                });
                expect(Object.is(out[i], one), `${kind} ${strike} cell ${i}: ${out[i]} vs ${one}`).toBe(true);
                compared++;
              });
            }
    expect(compared).toBe(3 * 2 * 2 * 5 * 3 * 50);
  });
});

describe('condorValuesOnCells', () => {
  it('is condorValueOn in every cell, bit for bit', () => {
    let compared = 0;
    const condors = [
      [6200, 6350, 6850, 6950],
      [5000, 6590, 6610, 9000],
    ] as const;
    for (const m of models)
      for (const cells of cellsFor(m))
        for (const K of condors) {
          const value = condorValueOn(m, K);
          for (const spot of [m.underlying, 6000]) {
            const out = new Float64Array(cells.length).fill(NaN);
            condorValuesOnCells(m, K, spot, cells, out);
            cells.forEach((c, i) => {
              const one = value(spot * (1 + c.move), c.horizonDays, c.vixShiftPoints);
              expect(Object.is(out[i], one), `${K} cell ${i}: ${out[i]} vs ${one}`).toBe(true);
              compared++;
            });
          }
        }
    expect(compared).toBe(3 * 2 * 2 * 2 * 50);
  });
});
