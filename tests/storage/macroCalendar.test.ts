import { beforeEach, describe, expect, test } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { storage } from '@wxt-dev/storage';
import {
  MACRO_CALENDAR_KEY,
  addMacroEvents,
  loadMacroCalendar,
  removeMacroEvent,
} from '../../src/storage/macroCalendar';
import { ADVANCE_DECLINE_KEY, loadAdvanceDecline, saveAdvanceDecline } from '../../src/storage/advanceDecline';

describe('the macro calendar in storage', () => {
  beforeEach(() => fakeBrowser.reset());

  test('added dates are merged (each once, sorted) and one can be removed', async () => {
    expect(await loadMacroCalendar()).toEqual({ events: [], problem: null });
    await addMacroEvents([{ kind: 'FOMC', date: '2025-10-29' }]);
    const r = await addMacroEvents([
      { kind: 'CPI', date: '2025-10-15' },
      { kind: 'FOMC', date: '2025-10-29' },
    ]);
    expect(r).toEqual({
      ok: true,
      events: [
        { kind: 'CPI', date: '2025-10-15' },
        { kind: 'FOMC', date: '2025-10-29' },
      ],
    });
    await removeMacroEvent({ kind: 'CPI', date: '2025-10-15' });
    expect((await loadMacroCalendar()).events).toEqual([{ kind: 'FOMC', date: '2025-10-29' }]);
  });

  test('a bad stored entry is left out and said; the store is not rewritten', async () => {
    const raw = { version: 1, events: [{ kind: 'FOMC', date: '2025-13-01' }, { kind: 'CPI', date: '2025-10-15' }, 7] };
    await storage.setItem(MACRO_CALENDAR_KEY, raw);
    const loaded = await loadMacroCalendar();
    expect(loaded.events).toEqual([{ kind: 'CPI', date: '2025-10-15' }]);
    expect(loaded.problem).toMatch(/^2 stored macro date\(s\) unreadable/);
    expect(await storage.getItem(MACRO_CALENDAR_KEY)).toEqual(raw);
    await storage.setItem(MACRO_CALENDAR_KEY, 'junk');
    expect((await loadMacroCalendar()).problem).toMatch(/unreadable: enter the dates again/);
  });

  test('a refused write is said and the stored dates are unchanged', async () => {
    await addMacroEvents([{ kind: 'FOMC', date: '2025-10-29' }]);
    const set = fakeBrowser.storage.local.set;
    fakeBrowser.storage.local.set = () => Promise.reject(new Error('QUOTA_BYTES quota exceeded'));
    try {
      const r = await addMacroEvents([{ kind: 'CPI', date: '2025-10-15' }]);
      expect(r).toEqual({ ok: false, message: 'The dates were not saved: QUOTA_BYTES quota exceeded' });
    } finally {
      fakeBrowser.storage.local.set = set;
    }
    expect((await loadMacroCalendar()).events).toEqual([{ kind: 'FOMC', date: '2025-10-29' }]);
  });
});

describe('the advance–decline series in storage', () => {
  beforeEach(() => fakeBrowser.reset());

  test('round-trip as columns, closes missing kept missing; a new import replaces it', async () => {
    const rows = [
      { date: '2025-09-24', advances: 1050, declines: 1750, close: 661.1 },
      { date: '2025-09-25', advances: 980, declines: 1820, close: null },
    ];
    const at = { source: 'ad.csv', at: new Date('2026-01-01T00:00:00Z') };
    expect(await saveAdvanceDecline(rows, at)).toEqual({ ok: true });
    expect(await loadAdvanceDecline()).toEqual({
      rows,
      importedAt: '2026-01-01T00:00:00.000Z',
      source: 'ad.csv',
      problem: null,
    });
    expect((await storage.getItem<{ closes: unknown[] }>(ADVANCE_DECLINE_KEY))?.closes).toEqual([661.1, null]);
    expect(await saveAdvanceDecline([], at)).toEqual({
      ok: false,
      message: 'The file has no advance–decline rows to import.',
    });
    expect((await loadAdvanceDecline()).rows).toEqual(rows);
  });

  test('an unreadable store is said and left in place; bad rows are left out', async () => {
    await storage.setItem(ADVANCE_DECLINE_KEY, { version: 1, dates: ['2025-09-24'], advances: [1] });
    expect((await loadAdvanceDecline()).problem).toMatch(/unreadable: import it again/);
    expect(await storage.getItem(ADVANCE_DECLINE_KEY)).not.toBeNull();
    await storage.setItem(ADVANCE_DECLINE_KEY, {
      version: 1,
      dates: ['2025-09-24', '2025-09-25'],
      advances: [1.5, 3],
      declines: [2, 4],
      closes: [null, 10],
    });
    const loaded = await loadAdvanceDecline();
    expect(loaded.rows).toEqual([{ date: '2025-09-25', advances: 3, declines: 4, close: 10 }]);
    expect(loaded.problem).toMatch(/^1 stored advance–decline row\(s\) unreadable/);
  });
});
