/**
 * The stress grid's leg values (plan/value.ts): unitPnl reads each leg's values in every cell from a loop that reads
 * the smile vol, the VIX future's share and the vol scale once; they must be legValue's, cell by cell, bit for bit.
 */
import { describe, expect, it } from 'vitest';
import { analyzeChain, modelFor } from '../../../src/engine/analyze';
import { defaultRulebook } from '../../../src/engine/alvh/rulebook';
import { stressGrid } from '../../../src/engine/alvh/plan/stress';
import {
  commissionOf,
  keptOnGrid,
  legCellValues,
  legValue,
  MULT,
  unitPnl,
  type Ctx,
} from '../../../src/engine/alvh/plan/value';
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

/** A VIX call of the March 2020 expiry, 8 days out, on a 42 future. */
const vixCall = () =>
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
  });

describe('unitPnl on the stress grid', () => {
  it("is legValue's P/L in every cell, for index and VIX legs, to the last bit", () => {
    const ctx = ctxOf();
    const legs = [
      leg({}),
      leg({ kind: 'call', strike: 3100, ratio: -2, mid: 15, fill: 14.6 }),
      vixCall(),
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

describe('leg values kept across plans on the same grid', () => {
  const onGrid = (vix0: number, horizons: number[], models?: Ctx['models']): Ctx => {
    const c = ctxOf();
    return {
      ...c,
      vix0,
      path: stressGrid(t, vix0, horizons),
      models: models ?? c.models,
      grid: `${vix0} ${horizons.join(',')}`,
    };
  };
  const legs = [leg({}), vixCall()];
  const fresh = (ctx: Ctx, l: HedgeLeg) => ctx.path.map((c) => legValue(ctx, l, c));

  it("gives each plan legValue's values: the kept ones on the same grid, new ones on another grid or model", () => {
    const a = onGrid(day.vix, [0, 3, 9, 38]);
    // Another plan on the same grid: its models are other objects with the same figures and the same fitted smiles
    // (a frozen chain's fits are kept); a ctx of its own fits (ctxOf again) shares nothing.
    const copies = (ms: Ctx['models']) => new Map([...ms].map(([k, m]) => [k, { ...m }]));
    const b = onGrid(day.vix, [0, 3, 9, 38], copies(a.models));
    const refitted = onGrid(day.vix, [0, 3, 9, 38]);
    const other = onGrid(day.vix + 5, [0, 3, 9, 38]);
    const later = onGrid(day.vix, [0, 3, 12, 38]);
    for (const l of legs) {
      const first = legCellValues(a, l);
      expect(Array.from(first)).toEqual(fresh(a, l));
      const again = legCellValues(b, l);
      expect(again).toBe(first); // kept
      expect(Array.from(again)).toEqual(fresh(b, l));
      if (l.underlying !== 'VIX') expect(legCellValues(refitted, l)).not.toBe(first);
      expect(Array.from(legCellValues(refitted, l))).toEqual(fresh(refitted, l));
      for (const ctx of [other, later]) {
        const v = legCellValues(ctx, l);
        expect(v).not.toBe(first);
        expect(Array.from(v)).toEqual(fresh(ctx, l));
      }
    }
    // The index leg's model moved (another underlying): its values are made anew.
    const moved = new Map(a.models);
    const m = moved.get('2020-03-20')!;
    moved.set('2020-03-20', { ...m, underlying: m.underlying * 1.01 });
    const c = onGrid(day.vix, [0, 3, 9, 38], moved);
    const v = legCellValues(c, legs[0]!);
    expect(v).not.toBe(legCellValues(a, legs[0]!));
    expect(Array.from(v)).toEqual(fresh(c, legs[0]!));
  });

  it('keeps values priced on a model under their key, and makes them again for another key or grid', () => {
    const a = onGrid(day.vix, [0, 3, 9, 38]);
    const m = a.models.get('2020-04-17')!;
    let made = 0;
    const make = () => {
      made++;
      return Float64Array.from(a.path, (c) => c.move);
    };
    const x = keptOnGrid(a, m, 'x', make);
    expect(keptOnGrid(onGrid(day.vix, [0, 3, 9, 38], a.models), m, 'x', make)).toBe(x);
    expect(made).toBe(1);
    keptOnGrid(a, m, 'y', make);
    keptOnGrid(onGrid(day.vix + 1, [0, 3, 9, 38]), m, 'x', make);
    keptOnGrid({ ...a, grid: undefined }, m, 'x', make);
    expect(made).toBe(4);
  });
});
