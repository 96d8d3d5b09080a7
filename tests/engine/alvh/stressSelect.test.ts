/**
 * The stress grid's worst and tail losses (plan/stress.ts worstAndTail) select the worst quarter and sort it alone,
 * and sizing reads the threatened side's cells from a list kept with the side (plan/base.ts sideOf): both must give
 * what sorting the whole and testing every cell gave, to the last bit.
 */
import { describe, expect, it } from 'vitest';
import { defaultRulebook } from '../../../src/engine/alvh/rulebook';
import { sideOf } from '../../../src/engine/alvh/plan/base';
import { ticketSideWorst } from '../../../src/engine/alvh/plan/evaluate';
import { stressGrid, worstAndTail } from '../../../src/engine/alvh/plan/stress';
import type { HedgeTicket } from '../../../src/engine/alvh/plan/types';
import type { Ctx } from '../../../src/engine/alvh/plan/value';

/** worstAndTail as it was: the whole sorted. */
function bySorting(values: ArrayLike<number>): { worst: number; tail: number } {
  const sorted = Float64Array.from(values).sort();
  const k = Math.max(1, Math.ceil(sorted.length / 4));
  let s = 0;
  for (let i = 0; i < k; i++) s += sorted[i] as number;
  const worstPnl = sorted[0] ?? 0;
  return { worst: Math.max(0, -worstPnl), tail: Math.max(0, -(s / k)) };
}

/** A deterministic pseudo-random sequence (a linear congruential generator). */
function rng(seed: number): () => number {
  let x = seed >>> 0;
  return () => {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    return x / 2 ** 32;
  };
}

describe('worstAndTail', () => {
  it('gives the figures of sorting the whole, with ties, zeros of both signs, few and many values', () => {
    const r = rng(7);
    for (let trial = 0; trial < 2000; trial++) {
      const n = Math.floor(r() * 200);
      const v: number[] = [];
      for (let i = 0; i < n; i++) {
        const u = r();
        v.push(u < 0.1 ? 0 : u < 0.15 ? -0 : u < 0.3 ? Math.round((r() - 0.6) * 10) * 100 : (r() - 0.6) * 1e5);
      }
      const got = worstAndTail(v);
      const want = bySorting(v);
      expect(Object.is(got.worst, want.worst) && Object.is(got.tail, want.tail)).toBe(true);
    }
    expect(worstAndTail([])).toEqual(bySorting([]));
    expect(worstAndTail([3, Number.NaN, -2, 5, 1, -7, 0, 4, 9])).toEqual(
      bySorting([3, Number.NaN, -2, 5, 1, -7, 0, 4, 9]),
    );
  });
});

describe('the threatened side', () => {
  it('lists the cells `on` is true of, and its worst loss is the one over them', () => {
    const t = defaultRulebook().thresholds;
    const ctx = { path: stressGrid(t, 32, [0, 3, 12, 40]) } as Ctx;
    const r = rng(3);
    const values = ctx.path.map(() => (r() - 0.5) * 1e4);
    for (const down of [true, false]) {
      const side = sideOf(ctx, down);
      const on = ctx.path.map((_, i) => i).filter((i) => side.on(i));
      expect(Array.from(side.cells)).toEqual(on);
      let w = 0;
      for (const i of on) w = Math.max(w, -values[i]!);
      expect(side.worstOf(values)).toBe(w);
    }
  });
});

describe("a ticket's worst loss on one side (evaluate.ts ticketSideWorst)", () => {
  const t = defaultRulebook().thresholds;
  const ctx = { path: stressGrid(t, 28, [0, 5, 30]) } as Ctx;
  const r = rng(11);
  const before = ctx.path.map(() => (r() - 0.5) * 2e4);
  const after = ctx.path.map(() => (r() - 0.5) * 2e4);
  /** A ticket measured on the `measured` side: its cells, and the side's worst losses as evaluate states them. */
  const ticket = (measured: 'downside' | 'upside'): HedgeTicket => {
    const side = sideOf(ctx, measured === 'downside');
    return {
      stress: {
        side: measured,
        sideWorstBefore: side.worstOf(before),
        sideWorstAfter: side.worstOf(after),
        cells: ctx.path.map((c, i) => ({ move: c.move, beforeDollars: before[i]!, afterDollars: after[i]! })),
      },
    } as unknown as HedgeTicket;
  };

  it("reads the ticket's own figure when it was measured on the same side, the cells when on the other", () => {
    for (const down of [true, false]) {
      const side = sideOf(ctx, down);
      for (const [which, values] of [
        ['beforeDollars', before],
        ['afterDollars', after],
      ] as const) {
        let w = 0;
        for (const i of side.cells) w = Math.max(w, -values[i]!);
        expect(ticketSideWorst(ticket(down ? 'downside' : 'upside'), down, which)).toBe(w);
        // Measured on the other side: its stated figure is the other side's, and the cells give this side's.
        expect(ticketSideWorst(ticket(down ? 'upside' : 'downside'), down, which)).toBe(w);
      }
    }
    // The two sides' worst losses differ on this grid, so reading the wrong figure would fail above.
    expect(sideOf(ctx, true).worstOf(after)).not.toBe(sideOf(ctx, false).worstOf(after));
    expect(sideOf(ctx, true).worstOf(before)).not.toBe(sideOf(ctx, false).worstOf(before));
  });
});

describe('stressGrid, kept per rulebook', () => {
  it('gives the same cells for the same VIX and horizons, made once; other inputs or another rulebook, made anew', () => {
    const t = defaultRulebook().thresholds;
    const a = stressGrid(t, 27.5, [0, 3, 21]);
    expect(stressGrid(t, 27.5, [0, 3, 21])).toBe(a);
    const other = stressGrid(t, 27.6, [0, 3, 21]);
    expect(other).not.toBe(a);
    expect(stressGrid(t, 27.5, [0, 3, 22])).not.toBe(a);
    // Another rulebook object with the same thresholds: its own grid, the same cells.
    const copy = stressGrid({ ...t }, 27.5, [0, 3, 21]);
    expect(copy).not.toBe(a);
    expect(copy).toEqual(a);
    // A VIX above the revert level adds the reverting cell at each horizon after today.
    expect(t.vixRevertLevel).toBeLessThan(27.5);
    expect(a.filter((c) => c.kind === 'vix-reverts').map((c) => c.horizonDays)).toEqual([3, 21]);
    expect(other.length).toBe(a.length);
    expect(other.map((c) => c.vixShiftPoints)).not.toEqual(a.map((c) => c.vixShiftPoints));
  });
});
