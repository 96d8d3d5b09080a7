/**
 * The backtest's models against real data (#15): their errors stay within the figures docs/BACKTEST_MODEL.md
 * states. Needs ../shared (skipped with a message without it). The fit itself: scripts/calibrate-backtest.ts.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseVixHistory } from '../../src/engine/alvh/vixSeries';
import { defaultRulebook } from '../../src/engine/alvh/rulebook';
import { vixFutureByTerm } from '../../src/engine/alvh/plan/stress';
import { SPX_SMILE, VARIANCE_TERM, VIX_FUTURE, vixFutureOf } from '../../src/engine/backtest/model';
import {
  chainDay,
  chainErrors,
  FUTURE_TERM_BUCKETS,
  futureErrors,
  modelVolAt,
  readVxFutures,
  REAL_CHAINS,
  type ChainDay,
  type IndexMode,
} from '../../src/engine/backtest/model/realData';
import { sharedFile } from '../helpers/shared';

/** docs/BACKTEST_MODEL.md, "SPX smile: error on the real chains": [median, p90] in vol points. */
const STATED_SMILE: Record<IndexMode, Record<string, { all: [number, number]; trade: [number, number] }>> = {
  indexes: {
    'SPX 2020-03-20': { all: [2.6, 7.7], trade: [2.1, 4.7] },
    'SPX 2022-02-04': { all: [0.8, 2.2], trade: [0.7, 2.0] },
    'SPY 2025-09-25': { all: [1.2, 3.4], trade: [1.1, 3.4] },
    'SPX 2026-03-13': { all: [0.6, 1.3], trade: [0.5, 0.8] },
  },
  'vix-only': {
    'SPX 2020-03-20': { all: [3.3, 12.4], trade: [2.2, 8.4] },
    'SPX 2022-02-04': { all: [1.1, 3.1], trade: [0.8, 2.6] },
    'SPY 2025-09-25': { all: [1.5, 3.2], trade: [1.5, 3.1] },
    'SPX 2026-03-13': { all: [0.8, 1.6], trade: [0.6, 0.9] },
  },
};
/** docs/BACKTEST_MODEL.md, "VIX futures": [median, p90] in VIX points, all rows then by term bucket. */
const STATED_FUTURES = {
  all: [1.2, 3.4],
  buckets: [
    [0.3, 1.2],
    [0.7, 2.0],
    [1.0, 2.8],
    [1.3, 3.5],
    [1.5, 3.7],
  ],
} as const;

function closes(rel: string): Map<string, number> | null {
  const p = sharedFile(rel);
  if (!p) return null;
  const out = new Map<string, number>();
  for (const b of parseVixHistory({ text: readFileSync(p, 'utf8') }).bars) out.set(b.date, b.close);
  return out;
}

const VIX = closes('data/vix/VIX_History.csv');
const VIX9D = closes('data/vix/term/VIX9D_History.csv');
const VIX3M = closes('data/vix/term/VIX3M_History.csv');
const chainPaths = REAL_CHAINS.map((c) => sharedFile(`data/real/${c.file}`));
const haveChains = VIX !== null && VIX9D !== null && VIX3M !== null && chainPaths.every((p) => p !== null);

describe.skipIf(!haveChains)('SPX smile model on the four real Cboe chains', () => {
  let days: ChainDay[] = [];
  const load = (): ChainDay[] => {
    if (days.length === 0)
      days = REAL_CHAINS.map((c, i) =>
        chainDay({
          ...c,
          text: readFileSync(chainPaths[i]!, 'utf8'),
          vix: VIX!.get(c.date)!,
          vix9d: VIX9D!.get(c.date) ?? null,
          vix3m: VIX3M!.get(c.date) ?? null,
          term: VARIANCE_TERM,
        }),
      );
    return days;
  };

  it('reads every chain with enough points in the 7–60 days the backtest trades', () => {
    for (const d of load()) {
      expect(d.points.length, d.label).toBeGreaterThan(400);
      expect(d.points.filter((p) => p.days >= 7 && p.days <= 60).length, d.label).toBeGreaterThan(400);
    }
  });

  for (const mode of ['indexes', 'vix-only'] as const)
    it(`stays within the stated errors (${mode === 'indexes' ? 'with the day’s VIX9D and VIX3M' : 'VIX alone'})`, () => {
      for (const d of load()) {
        const stated = STATED_SMILE[mode][d.label]!;
        const model = (pt: (typeof d.points)[number]) => modelVolAt(SPX_SMILE, VARIANCE_TERM, d, pt, mode);
        const all = chainErrors(d, model, 'all');
        const trade = chainErrors(d, model, '7-60');
        expect(all.median, `${d.label} median`).toBeLessThanOrEqual(stated.all[0]);
        expect(all.p90, `${d.label} p90`).toBeLessThanOrEqual(stated.all[1]);
        expect(trade.median, `${d.label} 7–60 d median`).toBeLessThanOrEqual(stated.trade[0]);
        expect(trade.p90, `${d.label} 7–60 d p90`).toBeLessThanOrEqual(stated.trade[1]);
        // And it beats the first cut (flat VIX/100) on every chain.
        const flat = chainErrors(d, () => d.vix / 100, 'all');
        expect(all.median, d.label).toBeLessThan(flat.median / 2);
        expect(all.p90, d.label).toBeLessThan(flat.p90);
      }
    });
});

const vxPath = sharedFile('data/vix/term/VX_futures_2013-2026.csv');
describe.skipIf(!vxPath || !VIX)('VIX futures model on Cboe VX futures 2013–2026', () => {
  const rows = () => readVxFutures(readFileSync(vxPath!, 'utf8'), VIX!).rows;

  it('stays within the stated errors, overall and in each term bucket, and beats the plan’s term model', () => {
    const all = rows();
    expect(all.length).toBeGreaterThan(29_000);
    const model = (r: (typeof all)[number]) => vixFutureOf(VIX_FUTURE, r.vix, r.days / 365);
    const e = futureErrors(all, model);
    expect(e.median).toBeLessThanOrEqual(STATED_FUTURES.all[0]);
    expect(e.p90).toBeLessThanOrEqual(STATED_FUTURES.all[1]);
    FUTURE_TERM_BUCKETS.forEach(([lo, hi], i) => {
      const b = futureErrors(
        all.filter((r) => r.days >= lo && r.days < hi),
        model,
      );
      expect(b.median, `${lo}–${hi} d`).toBeLessThanOrEqual(STATED_FUTURES.buckets[i]![0]);
      expect(b.p90, `${lo}–${hi} d`).toBeLessThanOrEqual(STATED_FUTURES.buckets[i]![1]);
    });
    const t = defaultRulebook().thresholds;
    const plan = futureErrors(all, (r) => vixFutureByTerm(t, r.vix, r.days));
    expect(e.median).toBeLessThan(plan.median);
    expect(e.p90).toBeLessThan(plan.p90);
  });
});
