/**
 * The VIX-signal cache (src/engine/alvh/signalCache.ts) that lets the backtest ask the plan about many days of one
 * history: the plan with the cache is the plan without it, figure for figure, on days before, in and after a spike;
 * and the cache is ignored when it does not cover the series the plan reads (another history, other thresholds).
 */
import { describe, expect, it } from 'vitest';
import { defaultRulebook } from '../../src/engine/alvh/rulebook';
import { fromCache, fromCacheOfBars, prepareVixSignals, stateBeforeLast } from '../../src/engine/alvh/signalCache';
import { computeVixSignals } from '../../src/engine/alvh/signals';
import { initialStageState, replayStates, stepStage, type StageState } from '../../src/engine/alvh/stages';
import { buildMarket } from '../../src/engine/backtest/market';
import { closeInstant, spxExpiriesFor, spxModelChain, vixModelChain } from '../../src/engine/backtest/modelChain';
import { monthlyExpiriesAfter } from '../../src/engine/backtest/calendar';
import { spxStrikeForDelta } from '../../src/engine/backtest/pricing';
import { createSession, type AlvhInputs } from '../../src/engine/session';
import { dollarOnDates } from '../../src/engine/macro/gauges';
import type { FredSeries } from '../../src/engine/macro/fred';
import { authoredFiles } from './fixture';

const rulebook = defaultRulebook();
const market = buildMarket(authoredFiles());
const cache = prepareVixSignals({ points: market.vixBars, thresholds: rulebook.thresholds });

function planOn(
  date: string,
  vixSignalCache: AlvhInputs['vixSignalCache'],
  wholeHistory = false,
  macroSeries: FredSeries[] = [],
) {
  const i = market.days.findIndex((d) => d.date >= date);
  const day = market.days[i]!;
  const expiry = monthlyExpiriesAfter(day.date, 2)[1]!;
  const k = (kind: 'put' | 'call', d: number) => spxStrikeForDelta(day, kind, d, expiry);
  const strikes: [number, number, number, number] = [k('put', 0.05), k('put', 0.2), k('call', 0.2), k('call', 0.05)];
  const s = createSession<Record<string, never>>({ wallClock: () => closeInstant(day.date) });
  s.setChain(spxModelChain(day, spxExpiriesFor(day.date, [expiry]), new Map([[expiry, strikes]])), {});
  s.setNow(closeInstant(day.date));
  s.setExpiry(expiry);
  s.setPosition({ kind: 'strikes', strikes, quantity: 2, allowUnlisted: true });
  s.setAlvhInputs({
    rulebook,
    vixHistory: wholeHistory ? market.vixBars : market.vixBars.slice(0, i + 1),
    vixChain: vixModelChain(day),
    account: { sizeDollars: 100_000, buyingPowerDollars: 100_000 },
    vixSignalCache,
    ...(macroSeries.length ? { macroSeries } : {}),
  });
  const st = s.recompute();
  if (st.status !== 'ready') throw new Error('not ready');
  return st.plan;
}

describe('the VIX-signal cache', () => {
  it.each(['2019-12-02', '2020-02-27', '2020-03-10', '2020-04-20'])('gives the same plan on %s', (date) => {
    const without = planOn(date, null);
    const withCache = planOn(date, cache);
    expect(without).not.toBeNull();
    expect(JSON.stringify(withCache)).toBe(JSON.stringify(without));
  });

  it.each(['2020-02-27', '2020-03-10'])(
    'gives the same plan on %s from the whole history as from the closes up to the day (the session cuts it)',
    (date) => {
      const upTo = planOn(date, null);
      expect(JSON.stringify(planOn(date, null, true))).toBe(JSON.stringify(upTo));
      expect(JSON.stringify(planOn(date, cache, true))).toBe(JSON.stringify(upTo));
    },
  );

  // A broad dollar index, one value a weekday, rising through February 2020 (the gauge reads stress then).
  const observations: { date: string; value: number }[] = [];
  for (let t = Date.parse('2017-01-02T00:00:00Z'), v = 100; t <= Date.parse('2021-06-30T00:00:00Z'); t += 86_400_000) {
    const d = new Date(t);
    if (d.getUTCDay() === 0 || d.getUTCDay() === 6) continue;
    const date = d.toISOString().slice(0, 10);
    v *= date >= '2020-02-03' && date <= '2020-02-21' ? 1.006 : observations.length % 2 ? 1.002 : 1 / 1.002;
    observations.push({ date, value: Math.round(v * 1e4) / 1e4 });
  }
  const dollarSeries: FredSeries = { id: 'DTWEXBGS', frequency: 'daily', observations, missing: 0 };
  const readings = dollarOnDates(
    new Map([[dollarSeries.id, dollarSeries]]),
    market.vixBars.map((b) => b.date),
  )!;
  const dollarCache = prepareVixSignals({
    points: market.vixBars.map((b, i) => ({ ...b, dollar: readings[i]! })),
    thresholds: rulebook.thresholds,
  });

  it.each(['2020-02-27', '2020-03-10', '2020-04-20'])(
    'gives the same plan with the dollar gauge on %s, read on the bars as they are (no point made per bar)',
    (date) => {
      const without = planOn(date, null, true, [dollarSeries]);
      expect(JSON.stringify(planOn(date, dollarCache, true, [dollarSeries]))).toBe(JSON.stringify(without));
      // A cache made without the dollar is not used by a plan that reads one (nor the other way round).
      expect(JSON.stringify(planOn(date, cache, true, [dollarSeries]))).toBe(JSON.stringify(without));
      expect(JSON.stringify(planOn(date, dollarCache, true))).toBe(JSON.stringify(planOn(date, null, true)));
      const bars = market.vixBars.slice(0, 100);
      const last = readings[99]!;
      expect(fromCacheOfBars(dollarCache, bars, rulebook.thresholds, last)?.last).toBe(dollarCache.bars[99]);
      expect(fromCacheOfBars(dollarCache, bars, rulebook.thresholds)).toBeNull();
      expect(fromCacheOfBars(cache, bars, rulebook.thresholds, last)).toBeNull();
      expect(
        fromCacheOfBars(dollarCache, bars, rulebook.thresholds, { ...last, figure: (last.figure ?? 0) + 1 }),
      ).toBeNull();
    },
  );

  it('is read on the bars as they are (fromCacheOfBars) as on their points, and never with a dollar gauge', () => {
    const bars = market.vixBars.slice(0, 100);
    const viaPoints = fromCache(cache, bars, rulebook.thresholds)!;
    const viaBars = fromCacheOfBars(cache, bars, rulebook.thresholds)!;
    expect(viaPoints.bars).toHaveLength(100);
    expect(viaBars.last).toEqual(viaPoints.bars[99]);
    expect(viaBars.before).toBe(viaPoints.before);
    expect(fromCacheOfBars({ ...cache, withDollar: true }, bars, rulebook.thresholds)).toBeNull();
  });

  it('gives the cached last bar and the state before it for each series asked, the same series again or another', () => {
    for (const n of [100, 100, 40, 100, 41, 41, 2]) {
      const got = fromCacheOfBars(cache, market.vixBars.slice(0, n), rulebook.thresholds)!;
      expect(got.last).toBe(cache.bars[n - 1]);
      expect(got.last.date).toBe(market.vixBars[n - 1]!.date);
      expect(got.before).toBe(cache.states[n - 2]);
    }
    expect(cache.bars.length).toBeGreaterThan(100);
  });

  it.each([
    ['fromCache', fromCache],
    ['fromCacheOfBars', fromCacheOfBars],
  ])('is not used by %s for a series it does not cover, nor with other thresholds', (_, read) => {
    const pts = market.vixBars.slice(0, 100);
    expect(read(cache, pts, rulebook.thresholds)).not.toBeNull();
    expect(
      read(
        cache,
        pts.map((b, i) => (i === 99 ? { ...b, close: b.close + 1 } : b)),
        rulebook.thresholds,
      ),
    ).toBeNull();
    expect(read(cache, pts.slice(1), rulebook.thresholds)).toBeNull();
    expect(read(cache, pts, { ...rulebook.thresholds })).toBeNull();
    expect(read(cache, [...market.vixBars, { date: '2099-01-01', close: 20 }], rulebook.thresholds)).toBeNull();
  });
});

describe("a live plan's history kept between updates (stateBeforeLast)", () => {
  const t = rulebook.thresholds;
  const readings = (() => {
    const obs: { date: string; value: number }[] = [];
    for (
      let d = Date.parse('2017-01-02T00:00:00Z'), v = 100;
      d <= Date.parse('2021-06-30T00:00:00Z');
      d += 86_400_000
    ) {
      const date = new Date(d).toISOString().slice(0, 10);
      v *= date >= '2020-02-03' && date <= '2020-02-21' ? 1.006 : obs.length % 2 ? 1.002 : 1 / 1.002;
      obs.push({ date, value: Math.round(v * 1e4) / 1e4 });
    }
    const series: FredSeries = { id: 'DTWEXBGS', frequency: 'daily', observations: obs, missing: 0 };
    return dollarOnDates(new Map([[series.id, series]]), [...market.vixBars.map((b) => b.date), '2021-01-04'])!;
  })();

  it.each([
    ['without', false],
    ['with', true],
  ])('gives the state a replay of the history gives, today appended, %s the dollar gauge', (_, dollar) => {
    const all = market.vixBars.map((b, i) => (dollar ? { ...b, dollar: readings[i]! } : b));
    for (const n of [3, 30, 120, 251, all.length]) {
      const history = all.slice(0, n - 1);
      const today = { date: '2021-01-04', close: 31.5, ...(dollar ? { dollar: readings.at(-1)! } : {}) };
      const points = [...history, today];
      const replayed = replayStates(computeVixSignals({ points, thresholds: t }).slice(0, n - 1), t)[n - 2];
      const kept = prepareVixSignals({ points: history, thresholds: t });
      expect(stateBeforeLast(kept, points, t), `n = ${n}`).toEqual(replayed);
      // Also with nothing appended (the history's last bar is today's).
      expect(stateBeforeLast(kept, history, t), `n = ${n}`).toEqual(
        n - 1 >= 3
          ? replayStates(computeVixSignals({ points: history, thresholds: t }).slice(0, n - 2), t)[n - 3]
          : null,
      );
    }
  });

  it('is not used for another history, other thresholds, or a dollar read on one side only', () => {
    const history = market.vixBars.slice(0, 300);
    const points = [...history, { date: '2021-01-04', close: 31.5 }];
    const kept = prepareVixSignals({ points: history, thresholds: t });
    expect(stateBeforeLast(kept, points, t)).not.toBeNull();
    expect(stateBeforeLast(kept, points, { ...t })).toBeNull();
    const moved = points.map((p, i) => (i === 299 ? { ...p, close: p.close + 0.5 } : p));
    expect(stateBeforeLast(kept, moved, t)).toBeNull();
    const withDollar = points.map((p, i) => ({ ...p, dollar: readings[i] ?? readings.at(-1)! }));
    expect(stateBeforeLast(kept, withDollar, t)).toBeNull();
    expect(
      stateBeforeLast(prepareVixSignals({ points: withDollar.slice(0, 300), thresholds: t }), points, t),
    ).toBeNull();
  });
});

describe('replayStates (the states of a whole history, without sentences)', () => {
  it('gives the states stepStage gives bar by bar, and leaves the sentences of later steps whole', () => {
    const bars = cache.bars;
    const stepped: StageState[] = [];
    let state = initialStageState();
    let moves = 0;
    for (const bar of bars) {
      const r = stepStage({ state, bar, position: null, thresholds: rulebook.thresholds });
      moves += r.transitions.length;
      state = r.state;
      stepped.push(state);
    }
    expect(moves).toBeGreaterThan(3); // the history moves through the stages
    expect(replayStates(bars, rulebook.thresholds)).toEqual(stepped);
    expect(cache.states).toEqual(stepped);
    // After a replay the machine writes its sentences again.
    const after = stepStage({
      state: initialStageState(),
      bar: bars[bars.length - 1]!,
      thresholds: rulebook.thresholds,
    });
    expect(after.checks.every((c) => c.sentence.length > 0)).toBe(true);
  });
});
