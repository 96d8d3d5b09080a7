// @vitest-environment happy-dom
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { browser } from 'wxt/browser';
import type { ChainAnalysis, CondorRisk } from '../../../src/engine/types';
import { buildExport } from '../../../src/storage/snapshotExport';
import { createSnapshotStore, type Snapshot, type SnapshotInput } from '../../../src/storage/snapshots';
import { SnapshotsApp } from '../../../src/ui/snapshots/SnapshotsApp';
import { $, $$, button, h, mount, rowIds, setValue, waitFor } from './dom';
import { spyInput } from './fixtures';

let base: SnapshotInput;
beforeAll(async () => {
  base = await spyInput();
});

let mounted: { root: HTMLElement; unmount: () => void } | null = null;
beforeEach(() => {
  fakeBrowser.reset();
});
afterEach(() => {
  mounted?.unmount();
  mounted = null;
});

const T0 = Date.parse('2025-09-25T15:00:00Z');
let n = 0;
const ids = () => `t-${(++n).toString().padStart(4, '0')}`;

function withSymbol(input: SnapshotInput, symbol: string): SnapshotInput {
  return { ...input, chain: { ...input.chain, underlying: { ...input.chain.underlying, symbol } } };
}

/** Saves snapshots (oldest first) through the real store on fakeBrowser's storage.local. */
async function seed(inputs: SnapshotInput[], opts: { quotaBytes?: number } = {}) {
  const store = createSnapshotStore({ newId: ids, quotaBytes: opts.quotaBytes });
  const saved: string[] = [];
  for (const [i, input] of inputs.entries()) {
    const r = await store.saveSnapshot(input, { now: new Date(T0 + i * 3_600_000) });
    if (!r.ok) throw new Error(r.message);
    saved.push(r.id);
  }
  return { store, ids: saved };
}

async function show(store: ReturnType<typeof createSnapshotStore>, extra: Record<string, unknown> = {}) {
  mounted = mount(h(SnapshotsApp, { store, live: false, ...extra }));
  const root = mounted.root;
  await waitFor(
    () => !/Reading snapshots/.test($(root, '[data-testid="list-count"]')?.textContent ?? 'Reading snapshots'),
  );
  return root;
}

/** No NaN, Infinity or "undefined" reaches the screen; every button has an accessible name. */
function assertClean(root: HTMLElement) {
  const text = root.textContent ?? '';
  expect(text).not.toMatch(/NaN|Infinity|undefined|\[object Object\]/);
  for (const b of $$<HTMLButtonElement>(root, 'button')) {
    const name = (b.getAttribute('aria-label') ?? b.textContent ?? '').trim();
    expect(name, b.outerHTML).not.toBe('');
  }
  for (const i of $$<HTMLInputElement>(root, 'input, select')) {
    const labelled = i.getAttribute('aria-label') || i.closest('label');
    expect(labelled, i.outerHTML).toBeTruthy();
  }
}

describe('the list', () => {
  it('lists every snapshot newest first with its label, time and site, and the storage use', async () => {
    const { store, ids: saved } = await seed([base, withSymbol(base, 'QQQ'), { ...base, note: 'after the Fed' }]);
    const root = await show(store);
    expect(rowIds(root)).toEqual([...saved].reverse());
    expect($(root, '[data-testid="list-count"]')!.textContent).toBe('3 snapshots, newest first');
    const first = $(root, '[data-testid="snapshot-row"]')!;
    expect(first.textContent).toContain('SPY 2025-10-24');
    expect(first.textContent).toContain('broker.example.com');
    expect(first.textContent).toContain('after the Fed');
    expect($(root, '[data-testid="storage-usage"]')!.textContent).toMatch(/^Storage: [\d.]+ KB of [\d.]+ MB \(\d+%\)/);
    expect($(root, '[data-testid="storage-warning"]')).toBeNull();
    assertClean(root);
  });

  it('says so when there is nothing saved', async () => {
    const root = await show(createSnapshotStore());
    expect($(root, '[data-testid="list-count"]')!.textContent).toBe('0 snapshots, newest first');
    expect(root.textContent).toContain('No snapshots yet');
  });

  it('warns when storage is near its quota', async () => {
    // A quota the one saved snapshot fills to ~90% (above the 80% warning line), whatever its size.
    const { store: measuring } = await seed([base]);
    const used = (await measuring.storageUsage()).bytesInUse;
    await browser.storage.local.clear();
    const { store } = await seed([base], { quotaBytes: Math.ceil(used / 0.9) });
    const root = await show(store);
    const warning = await waitFor(() => $(root, '[data-testid="storage-warning"]'));
    expect(warning.getAttribute('role')).toBe('alert');
    expect(warning.textContent).toMatch(/Snapshot storage is \d+% full .* Export and delete old snapshots/);
  });

  it('reports quarantined entries with their reason and still lists the good ones', async () => {
    const { store, ids: saved } = await seed([base, base]);
    await browser.storage.local.set({ 'snap:broken-1': { schemaVersion: 2, id: 'broken-1', savedAt: 'yesterday' } });
    const root = await show(store);
    expect(rowIds(root)).toEqual([...saved].reverse());
    const q = await waitFor(() => $(root, '[data-testid="quarantine"]'));
    expect(q.textContent).toContain('1 damaged entry (quarantined, not deleted)');
    expect($(q, '[data-testid="quarantined-entry"]')!.textContent).toMatch(
      /^snap:broken-1: savedAt: not an ISO 8601 time/,
    );
    // Still reported on the next visit: quarantine is never hidden.
    mounted!.unmount();
    const again = await show(store);
    expect($(again, '[data-testid="quarantined-entry"]')!.textContent).toContain('snap:broken-1');
  });

  it('reports entries from a newer HedgeLens as left untouched', async () => {
    const { store } = await seed([base]);
    await browser.storage.local.set({ 'snap:future-1': { schemaVersion: 99, id: 'future-1' } });
    const root = await show(store);
    expect($(root, '[data-testid="skipped-entry"]')!.textContent).toMatch(
      /snap:future-1: written by a newer HedgeLens/,
    );
    expect(await browser.storage.local.get('snap:future-1')).toHaveProperty('snap:future-1');
  });

  it('refreshes when another tab saves', async () => {
    const { store } = await seed([base]);
    mounted = mount(h(SnapshotsApp, { store }));
    const root = mounted.root;
    await waitFor(() => rowIds(root).length === 1);
    await createSnapshotStore({ newId: ids }).saveSnapshot(withSymbol(base, 'IWM'));
    await waitFor(() => rowIds(root).length === 2);
    expect($(root, '[data-testid="snapshot-row"]')!.textContent).toContain('IWM');
  });
});

describe('filters', () => {
  it('filter by text, underlying, expiry and date range; clear brings everything back', async () => {
    const other = withSymbol(base, 'QQQ');
    other.chain = { ...other.chain, expiries: other.chain.expiries.map((e) => ({ ...e, date: '2025-11-21' })) };
    other.condor = { ...base.condor!, expiry: '2025-11-21' };
    const { store, ids: saved } = await seed([base, other, { ...base, note: 'vix spike' }]);
    const [spy1, qqq, spy2] = saved as [string, string, string];
    const root = await show(store);

    setValue($<HTMLInputElement>(root, '[data-testid="filter-text"]')!, 'spike', 'input');
    await waitFor(() => rowIds(root).length === 1);
    expect(rowIds(root)).toEqual([spy2]);
    expect($(root, '[data-testid="list-count"]')!.textContent).toBe('1 of 3 snapshots match');

    setValue($<HTMLInputElement>(root, '[data-testid="filter-text"]')!, '', 'input');
    const underlying = $<HTMLSelectElement>(root, '[data-testid="filter-underlying"]')!;
    expect($$(underlying, 'option').map((o) => o.textContent)).toEqual(['All', 'QQQ', 'SPY']);
    setValue(underlying, 'QQQ', 'change');
    await waitFor(() => rowIds(root).join() === qqq);

    setValue(underlying, '', 'change');
    const expiry = $<HTMLSelectElement>(root, '[data-testid="filter-expiry"]')!;
    expect($$(expiry, 'option').map((o) => o.textContent)).toEqual(['All', '2025-10-24', '2025-11-21']);
    setValue(expiry, '2025-10-24', 'change');
    await waitFor(() => rowIds(root).length === 2);
    expect(rowIds(root)).toEqual([spy2, spy1]);
    setValue(expiry, '2025-11-21', 'change');
    await waitFor(() => rowIds(root).join() === qqq);
    setValue(expiry, '', 'change');

    // Date range on local days: the three saves are an hour apart on 2025-09-25 (UTC); a range that ends the day
    // before keeps none, one that covers the local day of the saves keeps all.
    const day = new Date(T0);
    const p = (x: number) => String(x).padStart(2, '0');
    const local = `${day.getFullYear()}-${p(day.getMonth() + 1)}-${p(day.getDate())}`;
    setValue($<HTMLInputElement>(root, '[data-testid="filter-to"]')!, '2025-09-01', 'input');
    await waitFor(() => rowIds(root).length === 0);
    setValue($<HTMLInputElement>(root, '[data-testid="filter-to"]')!, '', 'input');
    setValue($<HTMLInputElement>(root, '[data-testid="filter-from"]')!, local, 'input');
    await waitFor(() => rowIds(root).length === 3);
    setValue($<HTMLInputElement>(root, '[data-testid="filter-from"]')!, '2025-09-27', 'input');
    await waitFor(() => rowIds(root).length === 0);

    button(root, 'Clear filters')!.click();
    await waitFor(() => rowIds(root).length === 3);
    expect(rowIds(root)).toEqual([spy2, qqq, spy1]);
  });
});

describe('delete and undo', () => {
  it('deletes from storage, offers Undo, and Undo restores the same record', async () => {
    const { store, ids: saved } = await seed([base, withSymbol(base, 'QQQ')]);
    const [spy, qqq] = saved as [string, string];
    const before = (await browser.storage.local.get(`snap:${spy}`))[`snap:${spy}`];
    const root = await show(store);
    button(root, /^Delete SPY 2025-10-24/)!.click();
    await waitFor(() => rowIds(root).join() === qqq);
    expect(await browser.storage.local.get(`snap:${spy}`)).toEqual({});
    const bar = $(root, '[data-testid="undo-bar"]')!;
    await waitFor(() => document.activeElement === button(bar, 'Undo')); // keyboard lands on Undo
    expect(bar.textContent).toMatch(/^Deleted SPY 2025-10-24 · .* of .*\. Undo$/);

    button(bar, 'Undo')!.click();
    await waitFor(() => rowIds(root).length === 2);
    expect(rowIds(root)).toEqual([qqq, spy]);
    expect((await browser.storage.local.get(`snap:${spy}`))[`snap:${spy}`]).toEqual(before);
    expect($(root, '[data-testid="undo-bar"]')).toBeNull();
    expect($(root, '[data-testid="snapshots-notice"]')!.textContent).toMatch(/^Restored SPY 2025-10-24/);
  });

  it('says so when the undo copy is gone', async () => {
    const { store } = await seed([base]);
    const root = await show(store);
    button(root, /^Delete /)!.click();
    await waitFor(() => $(root, '[data-testid="undo-bar"]'));
    const all = await browser.storage.local.get(null);
    await browser.storage.local.remove(Object.keys(all).filter((k) => k.startsWith('snaptrash:')));
    button(root, 'Undo')!.click();
    const notice = await waitFor(() => $(root, '[data-testid="snapshots-notice"]'));
    expect(notice.getAttribute('role')).toBe('alert');
    expect(notice.textContent).toBe('Nothing to undo: the deleted snapshot is gone for good.');
  });
});

describe('open read-only', () => {
  it('shows the overlay panels rebuilt from the saved analysis, labelled read-only', async () => {
    const { store } = await seed([base]);
    const root = await show(store);
    button(root, /^Open SPY/)!.click();
    const view = await waitFor(() => $(root, '[data-testid="snapshot-view"]'));
    await waitFor(() => document.activeElement === $(view, '[data-testid="snapshot-title"]'));
    expect($(view, '[data-testid="snapshot-title"]')!.textContent).toMatch(
      /^Snapshot of Sep 25, 2025, .* — read-only$/,
    );
    const a = base.analysis as { condor: { strikes: number[] } };
    expect($(view, '[data-testid="condor-legs"]')!.textContent).toContain(
      a.condor.strikes.map((k) => k.toLocaleString('en-US')).join(' / '),
    );
    // The payoff: both curves drawn from the saved smile, with real points.
    const curves = $$(view, 'svg.hl-chart path');
    expect(curves).toHaveLength(2);
    for (const c of curves) expect(c.getAttribute('d')!.split('L').length).toBe(121);
    expect($(view, '[data-testid="snapshot-pnl-at-spot"]')!.textContent).toMatch(/^[+−]?\$[\d,]+$/);
    // The scenario grid as saved: 7 vol rows × 9 move columns.
    expect($$(view, 'table.hl-heat tbody tr')).toHaveLength(7);
    expect($$(view, 'table.hl-heat tbody tr:first-child td')).toHaveLength(9);
    // Read-only: no way to edit the position or save from here.
    expect(button(view, 'Save snapshot')).toBeNull();
    expect($$(view, 'input, textarea, select')).toHaveLength(0);
    assertClean(root);
    button(view, 'Close snapshot')!.click();
    await waitFor(() => !$(root, '[data-testid="snapshot-view"]'));
  });

  it('explains what it cannot draw when the analysis is missing', async () => {
    const { store } = await seed([{ ...base, analysis: null }]);
    const root = await show(store);
    button(root, /^Open SPY/)!.click();
    const view = await waitFor(() => $(root, '[data-testid="snapshot-view"]'));
    expect(view.textContent).toContain('saved without an analysis');
    expect($(view, 'svg')).toBeNull();
    assertClean(root);
  });
});

describe('compare', () => {
  it('compares the two selected snapshots oldest → newest with signed, coloured moves', async () => {
    type WithCondor = SnapshotInput & { analysis: ChainAnalysis & { condor: CondorRisk } };
    const a = structuredClone(base) as WithCondor;
    const b = structuredClone(base) as WithCondor;
    b.chain.underlying.price = (a.chain.underlying.price ?? 0) + 5;
    b.analysis.condor.probability.profitSkewAware = a.analysis.condor.probability.profitSkewAware - 0.1;
    b.plan = { stage: 'Alert' };
    a.plan = { stage: 'Calm' };
    const { store, ids: saved } = await seed([a, b, withSymbol(base, 'QQQ')]);
    const root = await show(store);
    const compareBtn = button(root, /^Compare selected/)!;
    expect(compareBtn.disabled).toBe(true);
    // Select the newer first: the table still reads oldest → newest.
    const box = (id: string) => $<HTMLInputElement>(root, `[data-id="${id}"] input[type="checkbox"]`)!;
    box(saved[1]!).click();
    box(saved[0]!).click();
    await waitFor(() => !button(root, /^Compare selected/)!.disabled);
    expect(button(root, /^Compare selected/)!.textContent).toBe('Compare selected (2/2)');
    // A third cannot be added while two are selected.
    expect(box(saved[2]!).disabled).toBe(true);
    button(root, /^Compare selected/)!.click();
    const view = await waitFor(() => $(root, '[data-testid="compare-view"]'));
    const row = (m: string) => $(view, `tr[data-metric="${m}"]`)!;
    const cell = (m: string) => $(row(m), 'td:last-child')!;
    expect(cell('Price').getAttribute('data-direction')).toBe('up');
    expect(cell('Price').className).toContain('hl-move-up');
    expect(cell('Price').textContent).toMatch(/^▲ \+5\.00 \(\+0\.\d\d%\)$/);
    expect(cell('Prob. of profit').getAttribute('data-direction')).toBe('down');
    expect(cell('Prob. of profit').className).toContain('hl-move-down');
    expect(cell('Prob. of profit').textContent).toBe('▼ −10.0 pts');
    expect(cell('ATM vol').getAttribute('data-direction')).toBe('flat');
    expect(cell('Stage').textContent).toBe('Calm → Alert');
    expect(cell('Stage').getAttribute('data-direction')).toBe('changed');
    expect($$(row('Price'), 'td')[0]!.textContent).toBe(
      (a.chain.underlying.price ?? 0).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 }),
    );
    expect(view.textContent).toContain('1.0 h apart');
    assertClean(root);
  });

  it('shows unknown metrics as a dash, never NaN', async () => {
    const { store } = await seed([{ ...base, analysis: null }, base]);
    const root = await show(store);
    for (const b of $$<HTMLInputElement>(root, 'input[type="checkbox"]')) b.click();
    await waitFor(() => !button(root, /^Compare selected/)!.disabled);
    button(root, /^Compare selected/)!.click();
    const view = await waitFor(() => $(root, '[data-testid="compare-view"]'));
    const pop = $(view, 'tr[data-metric="Prob. of profit"]')!;
    expect($$(pop, 'td').map((td) => td.textContent)[0]).toBe('—');
    expect($(pop, 'td:last-child')!.getAttribute('data-direction')).toBe('unknown');
    assertClean(root);
  });
});

describe('export and import', () => {
  it('exports all as JSON and CSV through the download function', async () => {
    const { store, ids: saved } = await seed([base, withSymbol(base, 'QQQ')]);
    const files: { text: string; fileName: string; mimeType: string }[] = [];
    const root = await show(store, {
      download: (f: (typeof files)[0]) => files.push(f),
      now: () => new Date(2026, 2, 14),
    });
    button(root, 'Export JSON')!.click();
    await waitFor(() => files.length === 1);
    const json = JSON.parse(files[0]!.text) as { format: string; count: number; snapshots: Snapshot[] };
    expect(files[0]!.fileName).toBe('hedgelens-snapshots-2026-03-14.json');
    expect(files[0]!.mimeType).toBe('application/json');
    expect(json.format).toBe('hedgelens-snapshots');
    expect(json.snapshots.map((s) => s.id)).toEqual(saved);
    expect($(root, '[data-testid="snapshots-notice"]')!.textContent).toBe(
      'Exported 2 snapshots to hedgelens-snapshots-2026-03-14.json.',
    );
    button(root, 'Export CSV')!.click();
    await waitFor(() => files.length === 2);
    expect(files[1]!.fileName).toBe('hedgelens-snapshots-2026-03-14.csv');
    const lines = files[1]!.text.trim().split('\r\n');
    expect(lines[0]).toMatch(/^snapshot_id,saved_at,/);
    expect(lines).toHaveLength(1 + 2 * 4); // four condor legs per snapshot
  });

  it('imports a file and reports what was taken and what was refused, with reasons', async () => {
    const source = await seed([base, withSymbol(base, 'QQQ')]);
    const exported = buildExport(
      (await Promise.all(source.ids.map((id) => source.store.getSnapshot(id)))).map((r) => {
        if (!r.ok) throw new Error(r.message);
        return r.snapshot;
      }),
    );
    const broken = { ...exported.snapshots[0]!, id: 'bad-1', savedAt: 'not a date' };
    const text = JSON.stringify({ ...exported, count: 3, snapshots: [...exported.snapshots, broken] });
    fakeBrowser.reset();
    // The fresh profile already holds the QQQ one: it is a duplicate.
    await browser.storage.local.set({
      [`snap:${source.ids[1]!}`]: exported.snapshots[1],
    });
    const store = createSnapshotStore({ newId: ids });
    const root = await show(store);
    expect(rowIds(root)).toEqual([source.ids[1]]);

    const input = $<HTMLInputElement>(root, '[data-testid="import-file"]')!;
    const file = new File([text], 'hedgelens-snapshots-2026-03-14.json', { type: 'application/json' });
    Object.defineProperty(input, 'files', { value: [file], configurable: true });
    input.dispatchEvent(new Event('change', { bubbles: true }));
    const report = await waitFor(() => $(root, '[data-testid="import-report"]'));
    expect($(report, '[data-testid="import-summary"]')!.textContent).toBe(
      'Imported 1 of 3 snapshots from hedgelens-snapshots-2026-03-14.json; 2 refused.',
    );
    expect($(report, '[data-testid="import-taken"]')!.textContent).toBe(`#1 ${source.ids[0]}`);
    const refused = $$(report, '[data-testid="import-refused"] li').map((li) => li.textContent);
    expect(refused).toEqual([
      `#2 ${source.ids[1]} duplicate: already stored (same id, same content)`,
      '#3 bad-1 invalid: savedAt: not an ISO 8601 time',
    ]);
    await waitFor(() => rowIds(root).length === 2);
    assertClean(root);
  });

  it('reports a file that is not an export at all', async () => {
    const root = await show(createSnapshotStore());
    const input = $<HTMLInputElement>(root, '[data-testid="import-file"]')!;
    Object.defineProperty(input, 'files', { value: [new File(['{"hello":1}'], 'notes.json')], configurable: true });
    input.dispatchEvent(new Event('change', { bubbles: true }));
    const report = await waitFor(() => $(root, '[data-testid="import-report"]'));
    expect(report.textContent).toBe(
      'Nothing imported from notes.json: The file is not a HedgeLens export (no "format" header).',
    );
    expect($(report, '[role="alert"]')).not.toBeNull();
  });
});
