import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  advanceDeclineLine,
  breadthDivergence,
  layerOneSignalStrength,
  parseAdvanceDecline,
  scaledQuantity,
} from '../../../src/engine/alvh/breadth';
import { applyEdit, defaultRulebook } from '../../../src/engine/alvh/rulebook';
import { FIXTURES_DIR } from '../../helpers/shared';

const t = defaultRulebook().thresholds;
const fixture = readFileSync(resolve(FIXTURES_DIR, 'vix', 'authored_advance_decline.csv'), 'utf8');

describe('parseAdvanceDecline', () => {
  it('reads the authored fixture: header, 16 rows with closes', () => {
    const p = parseAdvanceDecline({ text: fixture });
    expect(p.badLines).toEqual([]);
    expect(p.rows).toHaveLength(16);
    expect(p.hasClose).toBe(true);
    expect(p.rows[0]).toEqual({ date: '2026-02-23', advances: 1650, declines: 1350, close: 6480 });
    expect(p.rows.at(-1)!.date).toBe('2026-03-16');
  });

  it('counts bad lines with their reasons, keeps the good ones, sorts, and the last duplicate wins', () => {
    const p = parseAdvanceDecline({
      text: [
        'Date,Advances,Declines',
        '2026-03-03,1200,1800',
        '03/04/2026,1,2',
        '2026-03-02,1500,1500',
        '2026-03-05,12.5,3',
        '2026-03-06,1000',
        '2026-02-30,1,1',
        '2026-03-07,5,6,-3',
        '2026-03-03,1300,1700',
        '',
      ].join('\r\n'),
    });
    expect(p.rows.map((r) => [r.date, r.advances, r.declines, r.close])).toEqual([
      ['2026-03-02', 1500, 1500, null],
      ['2026-03-03', 1300, 1700, null],
    ]);
    expect(p.hasClose).toBe(false);
    expect(p.badLines.map((b) => b.line)).toEqual([3, 5, 6, 7, 8]);
    expect(p.badLines[0]!.reason).toMatch(/not a date/);
    expect(p.badLines[1]!.reason).toMatch(/whole numbers/);
    expect(p.badLines[2]!.reason).toMatch(/got 2 fields/);
    expect(p.badLines[4]!.reason).toMatch(/close must be a positive number/);
  });

  it('the A–D line is the running sum of advances − declines', () => {
    const p = parseAdvanceDecline({ text: fixture });
    const line = advanceDeclineLine(p.rows);
    expect(line.slice(0, 3)).toEqual([300, 700, 860]);
    expect(line.at(-1)).toBe(p.rows.reduce((s, r) => s + r.advances - r.declines, 0));
  });
});

describe('breadthDivergence', () => {
  const rows = parseAdvanceDecline({ text: fixture }).rows;

  it('fires on the fixture: index 0.6% below its 10-day high, A–D line falling', () => {
    const b = breadthDivergence({ rows, thresholds: t });
    expect(b.judged).toBe(true);
    expect(b.fired).toBe(true);
    expect(b.window).toEqual({ from: '2026-03-02', to: '2026-03-16' });
    // the window is the last 11 rows: the A–D change is the sum of (adv − dec) of rows 2..11 of the window
    const expected = rows.slice(-10).reduce((s, r) => s + r.advances - r.declines, 0);
    expect(b.adChange).toBe(expected);
    expect(b.closeFromHighPct).toBeCloseTo(((6640 - 6600) / 6640) * 100, 9);
    expect(b.checks.map((c) => c.rule)).toEqual(['layerOneBreadthNearHighPct', 'layerOneBreadthLookbackDays']);
    expect(b.checks[0]!.sentence).toMatch(
      /0\.6% below its 10-day high 6640 ≤ 2% \(layerOneBreadthNearHighPct\): fired/,
    );
  });

  it('does not fire when the index is far below its high (rulebook threshold tighter than 0.6%)', () => {
    const rb = applyEdit(
      defaultRulebook(),
      { thresholds: { layerOneBreadthNearHighPct: 0.5 } },
      { at: '2026-03-01T00:00:00Z', note: 't' },
    );
    if (!rb.ok) throw new Error('edit');
    const b = breadthDivergence({ rows, thresholds: rb.rulebook.thresholds });
    expect(b.judged).toBe(true);
    expect(b.fired).toBe(false);
  });

  it('does not fire when the A–D line rises', () => {
    const up = rows.map((r) => ({ ...r, advances: r.declines, declines: r.advances }));
    const b = breadthDivergence({ rows: up, thresholds: t });
    expect(b.adChange!).toBeGreaterThan(0);
    expect(b.fired).toBe(false);
  });

  it('is skipped, never guessed, without index closes or with too few rows', () => {
    const noClose = breadthDivergence({ rows: rows.map((r) => ({ ...r, close: null })), thresholds: t });
    expect(noClose).toMatchObject({ judged: false, fired: false });
    expect(noClose.checks[0]!.sentence).toMatch(/skipped — no index close/);
    const few = breadthDivergence({ rows, thresholds: t, asOf: '2026-03-05' });
    expect(few.judged).toBe(false);
    expect(few.checks[0]!.sentence).toMatch(/9 row\(s\).*11 needed/);
  });
});

describe('layerOneSignalStrength', () => {
  it('the size share grows with RSI(14) of VIX: min share at ≤ weak, full at ≥ full, linear between', () => {
    const share = (rsi: number) => layerOneSignalStrength({ rsiLong: rsi, breadth: null, thresholds: t }).share;
    expect(share(30)).toBe(t.layerOneMinSizeShare);
    expect(share(50)).toBe(t.layerOneMinSizeShare);
    expect(share(60)).toBeCloseTo(0.75, 12);
    expect(share(70)).toBe(1);
    expect(share(95)).toBe(1);
    let prev = 0;
    for (let r = 0; r <= 100; r += 2.5) {
      expect(share(r)).toBeGreaterThanOrEqual(prev);
      prev = share(r);
    }
  });

  it('a breadth divergence adds layerOneBreadthDivergenceBoost (capped at 1) and the sentence names the rules', () => {
    const rows = parseAdvanceDecline({ text: fixture }).rows;
    const breadth = breadthDivergence({ rows, thresholds: t });
    const a = layerOneSignalStrength({ rsiLong: 55, breadth: null, thresholds: t });
    const b = layerOneSignalStrength({ rsiLong: 55, breadth, thresholds: t });
    expect(a.strength).toBeCloseTo(0.25, 12);
    expect(b.strength).toBeCloseTo(0.5, 12);
    expect(b.share).toBeGreaterThan(a.share);
    expect(layerOneSignalStrength({ rsiLong: 68, breadth, thresholds: t }).share).toBe(1);
    expect(b.sentence).toMatch(/on the scale from layerOneRsiLongWeak 50 to layerOneRsiLongFull 70/);
    expect(b.sentence).toMatch(/layerOneBreadthDivergenceBoost/);
    expect(b.sentence).toMatch(/layerOneMinSizeShare 0\.5/);
    expect(b.checks.map((c) => c.id)).toEqual(['sizing.rsiLong', 'breadth.nearHigh', 'breadth.adFalling']);
  });

  it('no RSI (too little history): no scaling, and it says so', () => {
    const s = layerOneSignalStrength({ rsiLong: null, breadth: null, thresholds: t });
    expect(s.share).toBe(1);
    expect(s.strength).toBeNull();
    expect(s.sentence).toMatch(/not available.*full size/);
  });

  it('scaledQuantity rounds up, at least 1, never above the full size', () => {
    expect(scaledQuantity(5, 0.62)).toBe(4);
    expect(scaledQuantity(5, 0.6)).toBe(3);
    expect(scaledQuantity(1, 0.5)).toBe(1);
    expect(scaledQuantity(10, 1)).toBe(10);
    expect(scaledQuantity(4, 0.75)).toBe(3);
  });
});
