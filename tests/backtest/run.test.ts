/**
 * The P/L backtest's honesty checks on authored histories (always run): the same inputs give the same report byte
 * for byte; a later bar changes no earlier decision or account value (no look-ahead); every named spike in the run
 * has a P/L for every strategy; progress is reported and ends at 1; the chart escapes its labels.
 */
import { describe, expect, it } from 'vitest';
import { defaultRulebook } from '../../src/engine/alvh/rulebook';
import {
  backtestChartSvg,
  buildMarket,
  PRESETS,
  runPnlBacktest,
  STRATEGIES,
  type BacktestReport,
} from '../../src/engine/backtest';
import { authoredDays, authoredFiles } from './fixture';

const rulebook = defaultRulebook();
const days = authoredDays('2019-06-03', 400);

function run(d = days, extra: Partial<Parameters<typeof runPnlBacktest>[0]> = {}): BacktestReport {
  return runPnlBacktest({ market: buildMarket(authoredFiles(d)), rulebook, book: PRESETS.cndr, ...extra });
}

describe('runPnlBacktest on authored histories', () => {
  const progress: number[] = [];
  const a = run(days, { onProgress: (f) => progress.push(f) });

  it('runs every strategy over every session, and the plan strategies ask the plan and take tickets', () => {
    expect(a.strategies.map((s) => s.id)).toEqual(STRATEGIES.map((s) => s.id));
    for (const s of a.strategies) expect(s.equity).toHaveLength(a.days);
    const alvh = a.strategies.find((s) => s.id === 'alvh')!;
    expect(alvh.decisions).toBeGreaterThan(0);
    expect(alvh.tickets.length).toBeGreaterThan(0);
    expect(a.strategies.find((s) => s.id === 'none')!.tickets).toHaveLength(0);
    expect(a.strategies.find((s) => s.id === 'vxth')!.tickets.every((t) => t.structure === 'vix-call')).toBe(true);
    expect(a.book.trades).toBeGreaterThan(10);
  });

  it('asks no question whose answer can change nothing: a plan strategy that picks nothing is the unhedged book', () => {
    const r = run(days, {
      strategies: ['none', 'picks-nothing'],
      extraStrategies: [
        { id: 'picks-nothing', label: 'Picks nothing', kind: 'plan', picks: { layerOne: null, secondEngine: null } },
      ],
    });
    const none = r.strategies.find((s) => s.id === 'none')!;
    const idle = r.strategies.find((s) => s.id === 'picks-nothing')!;
    expect(idle.decisions).toBe(0);
    expect(idle.tickets).toEqual([]);
    expect(idle.equity).toEqual(none.equity);
  });

  it('reports progress from the start to 1, never going back', () => {
    expect(progress.length).toBeGreaterThan(2);
    expect(progress[progress.length - 1]).toBe(1);
    for (let i = 1; i < progress.length; i++) expect(progress[i]!).toBeGreaterThanOrEqual(progress[i - 1]!);
  });

  it('gives the same report, byte for byte, for the same inputs', () => {
    expect(JSON.stringify(run())).toBe(JSON.stringify(a));
  });

  it('has a P/L for each named spike in the run, for every strategy', () => {
    expect(a.spikes.map((s) => s.year)).toEqual([2020]);
    const w = a.spikes[0]!;
    expect(w.start < w.peak && w.peak <= w.end).toBe(true);
    for (const s of a.strategies) {
      const x = s.spikes.find((y) => y.year === 2020)!;
      expect(Number.isFinite(x.pnl)).toBe(true);
      const i = a.dates.indexOf(w.start);
      const j = a.dates.indexOf(w.end);
      expect(x.pnl).toBeCloseTo(s.equity[j]! / s.equity[i - 1]! - 1, 5);
    }
  });

  it('changes no earlier decision or account value when a bar 100 sessions later moves (no look-ahead)', () => {
    const k = 200; // after the authored spike: decisions have been taken
    const m = k + 100;
    const moved = days.map((d, i) => (i === m ? { ...d, vix: d.vix * 3, spx: d.spx * 0.8 } : d));
    const b = run(moved);
    const before = a.dates[m]!;
    for (const [i, s] of a.strategies.entries()) {
      const t = b.strategies[i]!;
      // Every session before the moved one, not only the first k: a one-day peek would show on the day before it.
      expect(t.equity.slice(0, m)).toEqual(s.equity.slice(0, m));
      expect(t.tickets.filter((x) => x.date < before)).toEqual(s.tickets.filter((x) => x.date < before));
    }
    // The move is seen from its own day on: the run is not blind to it.
    const none = (r: BacktestReport) => r.strategies.find((s) => s.id === 'none')!.equity[m]!;
    expect(none(b)).not.toBe(none(a));
    expect(a.strategies.some((s) => s.tickets.some((x) => x.date <= a.dates[k]!))).toBe(true);
    // The roll path is covered: ALVH took a time-shift roll before the moved bar.
    const alvh = a.strategies.find((s) => s.id === 'alvh')!;
    expect(alvh.tickets.some((x) => x.layer === 'time-shift' && x.date < before)).toBe(true);
  });

  it('draws an SVG with each strategy, its labels escaped', () => {
    const svg = backtestChartSvg({
      ...a,
      strategies: a.strategies.map((s, i) => (i === 0 ? { ...s, label: 'No <hedge> & "x"' } : s)),
    });
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('No &lt;hedge&gt; &amp; &quot;x&quot;');
    expect(svg).not.toContain('<hedge>');
    expect(svg.match(/<path /g)).toHaveLength(2 * a.strategies.length);
  });
});
