/**
 * The stress grid's leg values (plan/value.ts): unitPnl reads each leg's values in every cell from a loop that reads
 * the smile vol, the VIX future's share and the vol scale once; they must be legValue's, cell by cell, bit for bit.
 */
import { describe, expect, it } from 'vitest';
import { analyzeChain, modelFor } from '../../../src/engine/analyze';
import { defaultRulebook } from '../../../src/engine/alvh/rulebook';
import { stressGrid } from '../../../src/engine/alvh/plan/stress';
import { commissionOf, legCellValues, legValue, MULT, unitPnl, type Ctx } from '../../../src/engine/alvh/plan/value';
import type { HedgeLeg } from '../../../src/engine/alvh/plan/types';
import { closeInstant, spxExpiriesFor, spxModelChain } from '../../../src/engine/backtest/modelChain';

const day = { date: '2020-03-10', spx: 2882, vix: 47.3, vix9d: null, vix3m: null, vvix: null, skew: null, rate: 0.005 };
const t = defaultRulebook().thresholds;

function ctxOf(): Ctx {
  const chain = spxModelChain(day, spxExpiriesFor(day.date, ['2020-04-17']));
  const analysis = analyzeChain({ chain, now: closeInstant(day.date) });
  const models = new Map();
  for (const a of analysis.expiries) {
    const m = modelFor(a, analysis.spot);
    if (m) models.set(a.date, m);
  }
  return {
    t,
    spot: day.spx,
    vix0: day.vix,
    path: stressGrid(t, day.vix, [0, 3, 9, 38]),
    models,
    today: day.date,
    fraction: 0.5,
    commission: 0.65,
  };
}

const leg = (over: Partial<HedgeLeg>): HedgeLeg => ({
  underlying: 'SPX',
  root: 'SPXW',
  expiry: '2020-03-20',
  kind: 'put',
  strike: 2600,
  ratio: 1,
  occ: '',
  bid: null,
  ask: null,
  mid: 20,
  vol: 0.6,
  future: null,
  years: 10 / 365,
  fill: 20.5,
  openInterest: null,
  volume: null,
  ...over,
});

describe('unitPnl on the stress grid', () => {
  it("is legValue's P/L in every cell, for index and VIX legs, to the last bit", () => {
    const ctx = ctxOf();
    const legs = [
      leg({}),
      leg({ kind: 'call', strike: 3100, ratio: -2, mid: 15, fill: 14.6 }),
      leg({
        underlying: 'VIX',
        root: 'VIX',
        expiry: '2020-03-18',
        kind: 'call',
        strike: 50,
        future: 42,
        vol: 1.1,
        years: 8 / 365,
        mid: 6,
        fill: 6.2,
      }),
      leg({
        underlying: 'VIX',
        root: 'VIX',
        expiry: '2020-04-15',
        kind: 'put',
        strike: 35,
        ratio: -1,
        future: 38,
        vol: 0.9,
        years: 36 / 365,
        mid: 4,
        fill: 3.9,
      }),
    ];
    expect(ctx.models.has('2020-03-20')).toBe(true);
    const got = unitPnl(ctx, legs);
    const fee = commissionOf(ctx, legs, 1);
    const want = ctx.path.map((c) => {
      let v = 0;
      for (const l of legs) v += l.ratio * (legValue(ctx, l, c) - l.fill);
      return v * MULT - fee;
    });
    expect(Array.from(got)).toEqual(want);
    // Each leg's kept cell values (the unwind's held legs read them too) are legValue's, cell by cell.
    for (const l of legs) expect(Array.from(legCellValues(ctx, l))).toEqual(ctx.path.map((c) => legValue(ctx, l, c)));
    // The grid reaches past the short VIX leg's expiry (intrinsic there) and moves VIX both ways.
    expect(ctx.path.some((c) => c.horizonDays > 8)).toBe(true);
    expect(new Set(ctx.path.map((c) => c.vixShiftPoints)).size).toBeGreaterThan(5);
  });
});
