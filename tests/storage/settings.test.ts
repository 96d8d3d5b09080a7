import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { browser } from 'wxt/browser';
import {
  appendVixSightings,
  checkSettings,
  DEFAULT_SETTINGS,
  defineSettingsItem,
  getSettings,
  getVixSightings,
  settingsItem,
  updateSettings,
  type SettingsV1,
} from '../../src/storage/settings';

const local = () => browser.storage.local;

beforeEach(() => {
  fakeBrowser.reset();
});

describe('settings', () => {
  it('reads the defaults when nothing is stored', async () => {
    expect(await getSettings()).toEqual({ settings: DEFAULT_SETTINGS, problems: [] });
  });

  it('validates and writes partial updates, keeping the other fields', async () => {
    expect(await updateSettings({ accountSizeDollars: 250_000 })).toMatchObject({ ok: true });
    expect(await updateSettings({ rateSource: { kind: 'manual', annualRate: 0.043 } })).toMatchObject({ ok: true });
    const r = await getSettings();
    expect(r.settings).toEqual({
      accountSizeDollars: 250_000,
      buyingPowerDollars: null,
      contractMultiplier: 100,
      rateSource: { kind: 'manual', annualRate: 0.043 },
    });
    const bad = await updateSettings({ contractMultiplier: 0 });
    expect(bad).toEqual({ ok: false, message: expect.stringMatching(/^Not saved: multiplier/) });
    const pct = await updateSettings({ rateSource: { kind: 'manual', annualRate: 4.3 } });
    expect(pct.ok).toBe(false);
    expect((await getSettings()).settings.contractMultiplier).toBe(100);
  });

  it('concurrent updates of different fields both land', async () => {
    await Promise.all([updateSettings({ accountSizeDollars: 1 }), updateSettings({ buyingPowerDollars: 2 })]);
    const { settings } = await getSettings();
    expect([settings.accountSizeDollars, settings.buyingPowerDollars]).toEqual([1, 2]);
  });

  it('migrates a v1 value (rate in percent, no units) to v2', async () => {
    const v1: SettingsV1 = { accountSize: 100_000, buyingPower: 40_000, multiplier: 100, ratePercent: 4.5 };
    await local().set({ settings: v1 });
    const item = defineSettingsItem();
    expect(await item.getValue()).toEqual({
      accountSizeDollars: 100_000,
      buyingPowerDollars: 40_000,
      contractMultiplier: 100,
      rateSource: { kind: 'manual', annualRate: 0.045 },
    });
    expect((await local().get('settings$'))['settings$']).toEqual({ v: 2 });
  });

  it('migrates a v1 value without a rate to the parity source', async () => {
    await local().set({ settings: { accountSize: null, buyingPower: null, multiplier: 10, ratePercent: null } });
    await settingsItem().migrate();
    expect((await getSettings()).settings).toEqual({ ...DEFAULT_SETTINGS, contractMultiplier: 10 });
  });

  it('a damaged value falls back field by field and says which', async () => {
    await local().set({
      settings: {
        accountSizeDollars: -5,
        buyingPowerDollars: 10,
        contractMultiplier: 'x',
        rateSource: { kind: 'parity' },
      },
      settings$: { v: 2 },
    });
    const r = await getSettings();
    expect(r.settings).toEqual({ ...DEFAULT_SETTINGS, buyingPowerDollars: 10 });
    expect(r.problems).toHaveLength(2);
    expect(r.problems.join(' ')).toMatch(/account size.*multiplier/);
    expect(checkSettings('nope')).not.toEqual({});
  });
});

describe('VIX sightings', () => {
  const at = (m: number) => new Date(Date.UTC(2026, 2, 14, 14, m)).toISOString();

  it('appends, dedupes by instant (first kept), sorts by time and refuses bad values', async () => {
    const r1 = await appendVixSightings([
      { at: at(5), value: 18.2, source: 'yahoo' },
      { at: at(1), value: 17.9, source: 'yahoo' },
    ]);
    expect(r1).toMatchObject({ added: 2, duplicates: 0, total: 2 });
    const r2 = await appendVixSightings([
      { at: at(5), value: 99, source: 'other' }, // same instant: duplicate, original stays
      { at: '2026-03-14T10:03:00-04:00', value: 18, source: 'manual' }, // = 14:03Z
      { at: 'yesterday', value: 18, source: 'x' },
      { at: at(7), value: NaN, source: 'x' },
      { at: at(8), value: -1, source: 'x' },
    ]);
    expect(r2).toMatchObject({ added: 1, duplicates: 1, total: 3 });
    expect(r2.refused.map((r) => r.reason)).toEqual([
      'no valid time',
      'VIX value must be a positive number',
      'VIX value must be a positive number',
    ]);
    const { sightings } = await getVixSightings();
    expect(sightings).toEqual([
      { at: at(1), value: 17.9, source: 'yahoo' },
      { at: at(3), value: 18, source: 'manual' },
      { at: at(5), value: 18.2, source: 'yahoo' },
    ]);
  });

  it('keeps the newest within the cap', async () => {
    const many = Array.from({ length: 10 }, (_, i) => ({ at: at(i), value: 15 + i, source: 's' }));
    const r = await appendVixSightings(many, { cap: 4 });
    expect(r).toMatchObject({ added: 10, dropped: 6, total: 4 });
    expect((await getVixSightings()).sightings.map((s) => s.value)).toEqual([21, 22, 23, 24]);
  });

  it('two appends at the same moment both keep their sightings', async () => {
    await Promise.all([
      appendVixSightings([{ at: at(1), value: 17, source: 'tab A' }]),
      appendVixSightings([{ at: at(2), value: 18, source: 'tab B' }]),
    ]);
    expect((await getVixSightings()).sightings.map((s) => s.source)).toEqual(['tab A', 'tab B']);
  });

  it('reads past unreadable stored entries without losing them', async () => {
    await local().set({ vixSightings: [{ at: at(1), value: 17, source: 'a' }, 'junk'] });
    expect(await getVixSightings()).toEqual({ sightings: [{ at: at(1), value: 17, source: 'a' }], unreadable: 1 });
    await appendVixSightings([{ at: at(2), value: 18, source: 'b' }]);
    expect(((await local().get('vixSightings')).vixSightings as unknown[]).includes('junk')).toBe(true);
  });
});
