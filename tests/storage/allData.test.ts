import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { browser } from 'wxt/browser';
import { applyEdit, defaultRulebook } from '../../src/engine/alvh/rulebook';
import { loadRulebook, loadVixHistory, saveRulebook, saveVixHistory } from '../../src/storage/alvhInputs';
import { listProfiles, saveProfile } from '../../src/storage/profiles';
import { getSettings, updateSettings } from '../../src/storage/settings';
import { listSnapshots, saveSnapshot } from '../../src/storage/snapshots';
import { ALL_DATA_FORMAT } from '../../src/storage/allDataFormat';
import { buildAllDataExport, importAllData } from '../../src/storage/allData';
import { makeInput } from './fixtures';
import { addMacroEvents, loadMacroCalendar } from '../../src/storage/macroCalendar';
import { loadAdvanceDecline, saveAdvanceDecline } from '../../src/storage/advanceDecline';

const at = new Date('2026-03-16T14:30:00Z');

async function fill() {
  await updateSettings({
    accountSizeDollars: 250_000,
    contractMultiplier: 100,
    rateSource: { kind: 'manual', annualRate: 0.04 },
  });
  const e = applyEdit(
    defaultRulebook(),
    { thresholds: { spikePctOnPriorClose: 18 } },
    { at: at.toISOString(), note: 'mine' },
  );
  if (!e.ok) throw new Error('edit');
  await saveRulebook(e.rulebook);
  await saveVixHistory(
    [
      { date: '2024-01-02', open: null, high: null, low: null, close: 13.1 },
      { date: '2024-01-03', open: null, high: null, low: null, close: 13.4 },
    ],
    { source: 'VIX_History.csv', at },
  );
  await saveProfile({
    version: 1,
    host: 'broker.example.com',
    rowSelector: 'tr',
    columns: [{ index: 0, field: 'strike', side: null }],
    side: null,
  });
  const s = await saveSnapshot(makeInput(), { now: at });
  expect(s.ok).toBe(true);
}

beforeEach(() => fakeBrowser.reset());

describe('all data: one file out, the same file back in', () => {
  it('exports every part and restores them into an empty browser, reporting each', async () => {
    await fill();
    const exp = await buildAllDataExport(at);
    expect(exp).toMatchObject({ format: ALL_DATA_FORMAT, formatVersion: 1, exportedAt: at.toISOString() });
    expect(exp.rulebook?.version).toBe(2);
    expect(exp.vixHistory).toEqual({
      source: 'VIX_History.csv',
      importedAt: at.toISOString(),
      dates: ['2024-01-02', '2024-01-03'],
      closes: [13.1, 13.4],
    });
    expect(exp.profiles.profiles.map((p) => p.host)).toEqual(['broker.example.com']);
    expect(exp.snapshots.count).toBe(1);
    const text = JSON.stringify(exp);
    const before = await browser.storage.local.get(null);

    fakeBrowser.reset();
    const r = await importAllData(text, { now: at, fileName: 'all.json' });
    expect(r).toEqual({
      ok: true,
      message: null,
      parts: [
        { part: 'settings', taken: 'account, multiplier and rate settings', refused: [] },
        { part: 'rulebook', taken: 'rulebook “ALVH defaults” version 2 with its history', refused: [] },
        { part: 'VIX history', taken: '2 daily closes', refused: [] },
        { part: 'teach-mode profiles', taken: '1 profile (broker.example.com)', refused: [] },
        { part: 'snapshots', taken: '1 snapshot', refused: [] },
      ],
    });
    expect((await getSettings()).settings.accountSizeDollars).toBe(250_000);
    expect((await loadRulebook()).rulebook.audit).toHaveLength(1);
    expect((await loadVixHistory()).bars.map((b) => b.close)).toEqual([13.1, 13.4]);
    expect((await listProfiles()).profiles).toHaveLength(1);
    expect((await listSnapshots()).items.map((i) => i.id)).toEqual(exp.snapshots.snapshots.map((s) => s.id));
    // The same data keys as before (the settings item's version marker, "settings$", is the storage library's).
    const dataKeys = (all: Record<string, unknown>) =>
      Object.keys(all)
        .filter((k) => !k.endsWith('$'))
        .sort();
    expect(dataKeys(await browser.storage.local.get(null))).toEqual(dataKeys(before));

    // Again into the same browser: duplicates are refused, the rulebook is unchanged, nothing is lost.
    const again = await importAllData(text, { now: at });
    expect(again.parts.find((p) => p.part === 'rulebook')?.taken).toBe(
      'nothing: the rulebook already has these values',
    );
    expect(again.parts.find((p) => p.part === 'snapshots')).toMatchObject({
      taken: null,
      refused: [expect.stringMatching(/already stored \(same id, same content\)/)],
    });
  });

  it('into a browser with its own rulebook: an audited edit, not a silent replacement', async () => {
    const exp = await (async () => {
      await fill();
      return buildAllDataExport(at);
    })();
    fakeBrowser.reset();
    const own = applyEdit(
      defaultRulebook(),
      { thresholds: { liquidityRatioMin: 1.5 } },
      { at: at.toISOString(), note: 'local' },
    );
    if (!own.ok) throw new Error('edit');
    await saveRulebook(own.rulebook);
    const r = await importAllData(JSON.stringify(exp), { now: at, fileName: 'all.json' });
    expect(r.parts.find((p) => p.part === 'rulebook')?.taken).toBe(
      'rulebook values (recorded as version 3 in your history)',
    );
    const rb = (await loadRulebook()).rulebook;
    expect(rb.audit.map((a) => a.note)).toEqual([
      'local',
      'Imported from all.json (exported 2026-03-16T14:30:00.000Z)',
    ]);
    expect(rb.audit[1]!.changes).toEqual([
      { key: 'thresholds.spikePctOnPriorClose', from: 15, to: 18 },
      { key: 'thresholds.liquidityRatioMin', from: 1.5, to: 1.2 },
    ]);
  });

  it('refuses bad parts with reasons and takes the rest', async () => {
    const r = await importAllData(
      JSON.stringify({
        format: ALL_DATA_FORMAT,
        formatVersion: 1,
        settings: { contractMultiplier: -1 },
        rulebook: { ...defaultRulebook(), thresholds: { ...defaultRulebook().thresholds, rsiLongPeriod: 1 } },
        vixHistory: { dates: ['2024-01-02', 'x'], closes: [13, 14] },
        profiles: { format: 'hedgelens-teach-profiles', formatVersion: 1, profiles: [{ host: 'bad' }] },
        snapshots: { format: 'hedgelens-snapshots', formatVersion: 1, snapshots: [{ nope: 1 }] },
      }),
      { now: at },
    );
    expect(r.ok).toBe(true);
    expect(r.parts).toEqual([
      { part: 'settings', taken: null, refused: [expect.stringMatching(/^Not saved: multiplier must be positive/)] },
      { part: 'rulebook', taken: null, refused: ['thresholds.rsiLongPeriod: 1 is outside [2, 100] (bars)'] },
      { part: 'VIX history', taken: '1 daily close', refused: ['day 2: "x" 14 is not a date and a positive close'] },
      { part: 'teach-mode profiles', taken: null, refused: [expect.stringMatching(/^bad: version: expected 1/)] },
      { part: 'snapshots', taken: null, refused: [expect.stringMatching(/^entry 1: /)] },
    ]);
    expect((await getSettings()).settings.contractMultiplier).toBe(100);
    expect((await loadRulebook()).isDefault).toBe(true);
  });

  it('carries the macro calendar and the advance–decline series out and back; bad entries are refused with a reason', async () => {
    await addMacroEvents([
      { kind: 'FOMC', date: '2025-10-29' },
      { kind: 'CPI', date: '2025-10-15' },
    ]);
    const rows = [
      { date: '2025-09-24', advances: 1050, declines: 1750, close: 661.1 },
      { date: '2025-09-25', advances: 980, declines: 1820, close: null },
    ];
    await saveAdvanceDecline(rows, { source: 'ad.csv', at });
    const exp = await buildAllDataExport(at);
    expect(exp.macroCalendar).toEqual([
      { kind: 'CPI', date: '2025-10-15' },
      { kind: 'FOMC', date: '2025-10-29' },
    ]);
    expect(exp.advanceDecline).toMatchObject({ source: 'ad.csv', dates: ['2025-09-24', '2025-09-25'] });
    fakeBrowser.reset();
    const r = await importAllData(JSON.stringify(exp), { now: at });
    expect(r.parts.filter((p) => p.part === 'macro calendar' || p.part === 'advance–decline')).toEqual([
      { part: 'macro calendar', taken: '2 dates, added to those stored', refused: [] },
      { part: 'advance–decline', taken: '2 days', refused: [] },
    ]);
    expect((await loadMacroCalendar()).events).toEqual(exp.macroCalendar);
    expect(await loadAdvanceDecline()).toMatchObject({ rows, source: 'ad.csv', problem: null });

    const bad = await importAllData(
      JSON.stringify({
        format: ALL_DATA_FORMAT,
        formatVersion: 1,
        macroCalendar: [
          { kind: 'PPI', date: '2025-10-16' },
          { kind: 'CPI', date: '15/10/2025' },
        ],
        advanceDecline: { dates: ['2025-09-26'], advances: [1], declines: [2] },
      }),
      { now: at },
    );
    expect(bad.parts).toEqual([
      {
        part: 'macro calendar',
        taken: '1 date, added to those stored',
        refused: ['1 entry without a kind and a YYYY-MM-DD date'],
      },
      {
        part: 'advance–decline',
        taken: null,
        refused: ['expected columns dates, advances, declines and closes of one length'],
      },
    ]);
    expect((await loadMacroCalendar()).events).toHaveLength(3);
    expect((await loadAdvanceDecline()).rows).toEqual(rows);
  });

  it('refuses files that are not an all-data export, saying what to choose', async () => {
    expect(await importAllData('nope')).toMatchObject({
      ok: false,
      message: expect.stringMatching(/not valid JSON.*Export everything/),
    });
    expect(await importAllData(JSON.stringify(defaultRulebook()))).toMatchObject({
      ok: false,
      message: expect.stringMatching(/not a HedgeLens “all data” file.*own import buttons/),
    });
    expect(await importAllData(JSON.stringify({ format: ALL_DATA_FORMAT, formatVersion: 2 }))).toMatchObject({
      ok: false,
      message: expect.stringMatching(/newer HedgeLens.*Update the extension/),
    });
    expect(await importAllData(JSON.stringify({ format: ALL_DATA_FORMAT, formatVersion: 1 }))).toMatchObject({
      ok: false,
      message: 'The file holds no data to import.',
    });
  });
});
