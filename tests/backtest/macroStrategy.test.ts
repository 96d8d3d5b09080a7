/**
 * ALVH with the macro gate in the P/L backtest (#21): run beside ALVH when the market carries a dollar series, with
 * every spike's P/L; the gate holds the Second Engine back while the dollar is calm; left out without a dollar series.
 */
import { describe, expect, it } from 'vitest';
import { defaultRulebook } from '../../src/engine/alvh/rulebook';
import { buildMarket, PRESETS, runPnlBacktest } from '../../src/engine/backtest';
import type { FredSeries } from '../../src/engine/macro/fred';
import { authoredDays, authoredFiles } from './fixture';

/** A broad dollar index, one value a weekday from 2017, calm (±0.2 % a day) or rising 0.6 % a day for three weeks of February 2020. */
function dollar(jump: boolean): FredSeries {
  const observations: { date: string; value: number }[] = [];
  let v = 100;
  for (let t = Date.parse('2017-01-02T00:00:00Z'); t <= Date.parse('2021-06-30T00:00:00Z'); t += 86_400_000) {
    const d = new Date(t);
    if (d.getUTCDay() === 0 || d.getUTCDay() === 6) continue;
    const date = d.toISOString().slice(0, 10);
    v *= jump && date >= '2020-02-03' && date <= '2020-02-21' ? 1.006 : observations.length % 2 ? 1.002 : 1 / 1.002;
    observations.push({ date, value: Math.round(v * 1e4) / 1e4 });
  }
  return { id: 'DTWEXBGS', frequency: 'daily', observations, missing: 0 };
}

const run = (macroSeries?: FredSeries[]) =>
  runPnlBacktest({
    market: buildMarket({ ...authoredFiles(authoredDays()), ...(macroSeries ? { macroSeries } : {}) }),
    rulebook: defaultRulebook(),
    book: PRESETS.cndr,
    strategies: macroSeries ? ['none', 'alvh', 'alvh-macro'] : ['none', 'alvh'],
  });

describe('ALVH with the macro gate', () => {
  it('runs beside ALVH with a dollar series, each spike priced; absent without one', () => {
    const r = run([dollar(true)]);
    expect(r.strategies.map((s) => s.id)).toEqual(['none', 'alvh', 'alvh-macro']);
    const macro = r.strategies.find((s) => s.id === 'alvh-macro')!;
    expect(macro.spikes.length).toBe(r.spikes.length);
    expect(macro.spikes.every((s) => Number.isFinite(s.pnl))).toBe(true);
    expect(run().strategies.map((s) => s.id)).toEqual(['none', 'alvh']);
  });

  it('a calm dollar holds the Second Engine back; the dollar in stress lets it through', () => {
    const se = (series: FredSeries) =>
      run([series])
        .strategies.find((s) => s.id === 'alvh-macro')!
        .tickets.filter((t) => t.layer === 'second-engine').length;
    const alvh = run([dollar(false)]).strategies.find((s) => s.id === 'alvh')!;
    const alvhSe = alvh.tickets.filter((t) => t.layer === 'second-engine').length;
    // Without the gate the authored spike reaches the Second Engine; with a calm dollar it does not, in stress it does.
    expect(alvhSe).toBeGreaterThan(0);
    expect(se(dollar(false))).toBe(0);
    expect(se(dollar(true))).toBeGreaterThan(0);
  });
});
