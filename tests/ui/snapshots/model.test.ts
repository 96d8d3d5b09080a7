// @vitest-environment happy-dom
import { describe, expect, it, vi } from 'vitest';
import { downloadText } from '../../../src/ui/snapshots/download';
import { exportFileName, hasFilters, NO_FILTERS, savedPanels, toListQuery } from '../../../src/ui/snapshots/model';
import { SCHEMA_VERSION, type Snapshot } from '../../../src/storage/snapshots';
import { spyInput } from './fixtures';

describe('toListQuery', () => {
  it('maps the date inputs to whole local days, both ends inclusive', () => {
    const q = toListQuery({ ...NO_FILTERS, from: '2025-09-25', to: '2025-09-26', text: '  spike ', underlying: 'SPY' });
    expect(q.query).toBe('spike');
    expect(q.underlying).toBe('SPY');
    expect(q.from).toEqual(new Date(2025, 8, 25, 0, 0, 0, 0));
    expect(q.to).toEqual(new Date(2025, 8, 26, 23, 59, 59, 999));
    expect(toListQuery(NO_FILTERS)).toEqual({});
    expect(toListQuery({ ...NO_FILTERS, from: 'garbage' })).toEqual({});
    expect(hasFilters(NO_FILTERS)).toBe(false);
    expect(hasFilters({ ...NO_FILTERS, text: '   ' })).toBe(false);
    expect(hasFilters({ ...NO_FILTERS, expiry: '2025-10-24' })).toBe(true);
  });
  it('names export files by local date', () => {
    expect(exportFileName('csv', new Date(2026, 0, 5, 23, 0))).toBe('hedgelens-snapshots-2026-01-05.csv');
  });
});

describe('savedPanels', () => {
  it('recomputes the curves from the saved smile: the expiry payoff is flat at max profit between the shorts', async () => {
    const input = await spyInput();
    const s = {
      ...input,
      schemaVersion: SCHEMA_VERSION,
      id: 'x',
      savedAt: '2025-09-25T18:00:00.000Z',
    } as unknown as Snapshot;
    const p = savedPanels(s);
    expect(p.notes).toEqual([]);
    const risk = p.risk!;
    const { prices, pnlDollars } = p.curves!.expiry;
    const mid = prices.findIndex((x) => x > risk.strikes[1] && x < risk.strikes[2]);
    expect(pnlDollars[mid]).toBeCloseTo(risk.maxProfitDollars, 6);
    expect(Math.min(...pnlDollars)).toBeCloseTo(-risk.maxLossDollars, 6);
    expect(p.curves!.at.atExpiry).toBe(false);
    expect(p.grid!.pnlDollars).toHaveLength(p.grid!.volShiftsPoints.length);
  });
  it('says which panel is missing instead of failing on a malformed analysis', async () => {
    const input = await spyInput();
    const a = input.analysis as Record<string, unknown>;
    const s = {
      ...input,
      analysis: { ...a, condor: { strikes: [1, 2] }, grid: { moves: 'x' } },
    } as unknown as Snapshot;
    const p = savedPanels(s);
    expect(p.risk).toBeNull();
    expect(p.curves).toBeNull();
    expect(p.grid).toBeNull();
    expect(p.notes).toEqual(['The saved condor risk lacks strikes, probabilities or greeks.']);
  });
});

describe('downloadText', () => {
  it('clicks an <a download> on a Blob URL and revokes it later', async () => {
    vi.useFakeTimers();
    const created: Blob[] = [];
    const urlApi = {
      createObjectURL: (b: Blob) => {
        created.push(b);
        return 'blob:test/1';
      },
      revokeObjectURL: vi.fn(),
    };
    const clicks: { href: string; download: string; inDoc: boolean }[] = [];
    document.addEventListener('click', (e) => {
      const a = e.target as HTMLAnchorElement;
      clicks.push({ href: a.getAttribute('href')!, download: a.download, inDoc: document.body.contains(a) });
      e.preventDefault();
    });
    downloadText(
      { text: '{"a":1}', fileName: 'x.json', mimeType: 'application/json' },
      { urlApi, revokeAfterMs: 1000 },
    );
    expect(clicks).toEqual([{ href: 'blob:test/1', download: 'x.json', inDoc: true }]);
    expect(await created[0]!.text()).toBe('{"a":1}');
    expect(created[0]!.type).toBe('application/json');
    expect(document.querySelector('a[download]')).toBeNull();
    expect(urlApi.revokeObjectURL).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1000);
    expect(urlApi.revokeObjectURL).toHaveBeenCalledWith('blob:test/1');
    vi.useRealTimers();
  });
});
