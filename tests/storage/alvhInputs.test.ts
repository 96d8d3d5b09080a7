import { beforeEach, describe, expect, test } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { storage } from '@wxt-dev/storage';
import {
  RULEBOOK_KEY,
  VIX_HISTORY_KEY,
  loadRulebook,
  loadVixHistory,
  saveRulebook,
  saveVixHistory,
} from '../../src/storage/alvhInputs';
import { applyEdit, defaultRulebook } from '../../src/engine/alvh/rulebook';

describe('ALVH inputs in storage', () => {
  beforeEach(() => fakeBrowser.reset());

  test('VIX history round-trips compactly', async () => {
    const bars = [
      { date: '2020-03-13', open: 1, high: 2, low: 0.5, close: 57.83 },
      { date: '2020-03-16', open: 1, high: 2, low: 0.5, close: 82.69 },
    ];
    expect(await saveVixHistory(bars, { source: 'VIX_History.csv', at: new Date('2026-01-01T00:00:00Z') })).toEqual({
      ok: true,
    });
    const loaded = await loadVixHistory();
    expect(loaded.bars.map((b) => [b.date, b.close])).toEqual([
      ['2020-03-13', 57.83],
      ['2020-03-16', 82.69],
    ]);
    expect(loaded.source).toBe('VIX_History.csv');
    expect(loaded.problem).toBeNull();
    expect(await saveVixHistory([], { source: 'x', at: new Date() })).toMatchObject({ ok: false });
  });

  test('a damaged stored history is reported and left in place', async () => {
    await storage.setItem(VIX_HISTORY_KEY, { version: 1, dates: ['2020-01-02'], closes: [] });
    const loaded = await loadVixHistory();
    expect(loaded.bars).toEqual([]);
    expect(loaded.problem).toMatch(/unreadable/);
    expect(await storage.getItem(VIX_HISTORY_KEY)).not.toBeNull();
  });

  test('rulebook: defaults when absent, the trader’s when valid, defaults with a reason when invalid', async () => {
    expect(await loadRulebook()).toMatchObject({ isDefault: true, problem: null });
    const edited = applyEdit(
      defaultRulebook(),
      { thresholds: { spikePctOnPriorClose: 20 } },
      { at: '2026-11-24T00:00:00Z', note: 'test' },
    );
    if (!edited.ok) throw new Error(edited.errors.join('; '));
    expect(await saveRulebook(edited.rulebook)).toEqual({ ok: true });
    const back = await loadRulebook();
    expect(back.isDefault).toBe(false);
    expect(back.rulebook).toEqual(edited.rulebook);
    await storage.setItem(RULEBOOK_KEY, { nonsense: true });
    const bad = await loadRulebook();
    expect(bad.isDefault).toBe(true);
    expect(bad.problem).toMatch(/invalid/);
    expect(await saveRulebook({ nonsense: true } as never)).toMatchObject({ ok: false });
  });
});
