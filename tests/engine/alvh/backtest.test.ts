import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { periodStats, runBacktest } from '../../../src/engine/alvh/backtest';
import { defaultRulebook } from '../../../src/engine/alvh/rulebook';
import { parseVixHistory } from '../../../src/engine/alvh/vixSeries';
import { FIXTURES_DIR, sharedFile } from '../../helpers/shared';

describe('runBacktest on the authored fixture', () => {
  const bars = parseVixHistory({ text: readFileSync(resolve(FIXTURES_DIR, 'vix', 'authored_spike.csv'), 'utf8') }).bars;
  const r = runBacktest({ points: bars, rulebook: defaultRulebook() });
  it('finds one episode, reaching the Second Engine, with its peak', () => {
    expect(r.episodes).toHaveLength(1);
    const e = r.episodes[0]!;
    expect(e.start).toBe('2024-03-27');
    expect(e.firstSecondEngine).not.toBeNull();
    expect(e.peakClose).toBe(36.9);
    expect(e.falseAlarm).toBe(false);
    expect(e.daysOn).toBe(r.days.filter((d) => d.stage !== 'calm').length);
  });
  it('summarises by year and in total, consistently', () => {
    const t = r.summary.total;
    expect(t.days).toBe(110);
    expect(t.calmDays + t.layerOneDays + t.secondEngineDays + t.unwindDays).toBe(t.days);
    expect(t.layerOneEntries).toBe(1);
    expect(t.secondEngineEntries).toBe(1);
    expect(r.summary.byYear['2024']).toEqual(t);
    expect(r.days.every((d) => d.stage !== ('time-shift' as string))).toBe(true);
  });
  it('counts a spike that never leaves the calm regime as a false alarm', () => {
    const quiet = Array.from({ length: 60 }, (_, i) => ({
      date: `2024-01-${String(i + 1).padStart(2, '0')}`,
      close: 12,
    }));
    // dates need not be real for the machine; keep them sortable
    quiet[40] = { date: quiet[40]!.date, close: 14.5 }; // +20.8%
    const q = runBacktest({ points: quiet, rulebook: defaultRulebook() });
    expect(q.episodes).toHaveLength(1);
    expect(q.episodes[0]!.falseAlarm).toBe(true);
  });
});

const real = sharedFile('data/vix/VIX_History.csv');
describe.skipIf(!real)('the rulebook on the real VIX history 1990–2026 (../shared)', () => {
  const bars = real ? parseVixHistory({ text: readFileSync(real, 'utf8') }).bars : [];
  const r = runBacktest({ points: bars, rulebook: defaultRulebook() });
  const spikes: [string, string, string][] = [
    ['Aug 2015', '2015-08-17', '2015-09-04'],
    ['Feb 2018', '2018-02-01', '2018-02-16'],
    ['Mar 2020', '2020-02-20', '2020-03-31'],
    ['Aug 2024', '2024-07-29', '2024-08-09'],
    ['Apr 2025', '2025-03-31', '2025-04-15'],
  ];
  it.each(spikes)('reaches the Second Engine during the %s spike', (_name, from, to) => {
    const se = r.days.filter((d) => d.date >= from && d.date <= to && d.stage === 'second-engine');
    expect(se.length).toBeGreaterThan(2);
  });
  const calm: [string, string, string, { from: string; to: string }[]][] = [
    ['2017', '2017-01-01', '2017-12-31', []],
    ['2019', '2019-01-01', '2019-12-31', []],
    ['2021 Q2–Q4', '2021-04-01', '2021-12-31', []],
    ['2023–2024 ex Aug 2024', '2023-01-01', '2024-12-31', [{ from: '2024-07-24', to: '2024-08-31' }]],
  ];
  it.each(calm)('stays Calm on most days of %s', (_name, from, to, exclude) => {
    const s = periodStats({ days: r.days, episodes: r.episodes, from, to, exclude });
    expect(s.days).toBeGreaterThan(150);
    expect(s.calmDays / s.days).toBeGreaterThan(0.7);
  });
  it('is calm most of the time over 36 years, and the Second Engine is the rarer stage', () => {
    const t = r.summary.total;
    expect(t.calmDays / t.days).toBeGreaterThan(0.6);
    expect(t.secondEngineEntries).toBeLessThan(t.layerOneEntries);
  });
});
