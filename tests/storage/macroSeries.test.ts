import { beforeEach, describe, expect, test } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { storage } from '@wxt-dev/storage';
import { parseFredCsv } from '../../src/engine/macro/fred';
import { MACRO_SERIES_KEY, loadMacroSeries, removeMacroSeries, saveMacroSeries } from '../../src/storage/macroSeries';

const series = (text: string) => {
  const r = parseFredCsv(text, 'f.csv');
  if (!r.ok) throw new Error(r.reason);
  return r.series;
};
const AT = { source: 'T10Y2Y.csv', at: new Date('2026-01-01T00:00:00Z') };

describe('macro series in storage', () => {
  beforeEach(() => fakeBrowser.reset());

  test('round-trip, missing values kept missing; a series of the same id replaces the stored one', async () => {
    const a = series('observation_date,T10Y2Y\n2020-03-16,0.46\n2020-03-17,\n2020-03-18,0.62\n');
    expect(await saveMacroSeries(a, AT)).toEqual({ ok: true });
    const hy = series('DATE,BAMLH0A0HYM2\n2020-03-16,7.5\n2020-03-17,.\n');
    expect(await saveMacroSeries(hy, { ...AT, source: 'hy.csv' })).toEqual({ ok: true });
    let loaded = await loadMacroSeries();
    expect(loaded.problem).toBeNull();
    expect(loaded.series).toEqual([hy, a]);
    expect(loaded.info.map((i) => [i.id, i.count, i.first, i.last, i.source])).toEqual([
      ['BAMLH0A0HYM2', 2, '2020-03-16', '2020-03-17', 'hy.csv'],
      ['T10Y2Y', 3, '2020-03-16', '2020-03-18', 'T10Y2Y.csv'],
    ]);
    const again = series('observation_date,T10Y2Y\n2020-03-19,0.7\n2020-03-20,0.8\n');
    await saveMacroSeries(again, AT);
    loaded = await loadMacroSeries();
    expect(loaded.series.find((s) => s.id === 'T10Y2Y')).toEqual(again);
    expect(await removeMacroSeries('T10Y2Y')).toEqual({ ok: true });
    expect((await loadMacroSeries()).series.map((s) => s.id)).toEqual(['BAMLH0A0HYM2']);
  });

  test('a corrupt store is reported, left in place, and the good series still read', async () => {
    await storage.setItem(MACRO_SERIES_KEY, { version: 1, series: [{ id: 'X', frequency: 'daily' }] });
    const loaded = await loadMacroSeries();
    expect(loaded.series).toEqual([]);
    expect(loaded.problem).toMatch(/1 stored macro series unreadable/);
    expect(await storage.getItem(MACRO_SERIES_KEY)).not.toBeNull();
    await storage.setItem(MACRO_SERIES_KEY, 'junk');
    expect((await loadMacroSeries()).problem).toMatch(/unreadable: import them again/);
  });

  test('a full quota is said, and the stored series are unchanged', async () => {
    const a = series('observation_date,T10Y2Y\n2020-03-16,0.46\n');
    await saveMacroSeries(a, AT);
    const set = fakeBrowser.storage.local.set;
    fakeBrowser.storage.local.set = async () => {
      throw new Error('QUOTA_BYTES quota exceeded');
    };
    try {
      const r = await saveMacroSeries(series('DATE,CPIAUCSL\n2020-01-01,258.7\n'), AT);
      expect(r).toEqual({ ok: false, message: 'CPIAUCSL was not saved: QUOTA_BYTES quota exceeded' });
    } finally {
      fakeBrowser.storage.local.set = set;
    }
    expect((await loadMacroSeries()).series).toEqual([a]);
  });
});
