/**
 * The position store: the overlay's position (condor, hedges, journal, legs and marks) kept and read back, a
 * corrupt record quarantined with the reason, a newer one left alone, the quota refusing with the numbers and
 * deleting nothing, import and the betas pref.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { createEngine } from '../../src/worker/engine';
import { buildAllDataExport, importAllData } from '../../src/storage/allData';
import { holdings } from '../../src/positions/journal';
import {
  BETAS_KEY,
  createPositionStore,
  DEFAULT_BETAS,
  loadBetas,
  POSITION_PREFIX,
  POSITION_QUARANTINE_PREFIX,
  saveBetas,
} from '../../src/storage/positions';
import { migratePosition, overlayPositionId, type StoredPosition } from '../../src/storage/positionRecord';
import { meta, ready, syntheticChain } from '../helpers/workerChain';
import { memoryArea } from './fixtures';

const at = new Date('2026-03-18T19:00:00Z');

/** The overlay's position after the trader entered a condor and added the plan's put debit spread. */
async function overlayRecord(): Promise<StoredPosition> {
  const engine = createEngine(undefined, () => at);
  await engine.setChain(syntheticChain({ weekly: true }), meta);
  await engine.setPosition({ kind: 'text', text: '6400/6450/6800/6850 x2 @ 4.10' });
  const s = ready(await engine.setManualVix(28, 16.18));
  await engine.addHedge(s.plan!.tickets.find((t) => t.structure === 'put-debit-spread')!);
  const r = await engine.positionRecord(at.getTime());
  if (!r) throw new Error('no record');
  return r;
}

describe('the overlay position record', () => {
  it('holds the condor at its credit, the hedge, the journal, every leg and a mark for each', async () => {
    const r = await overlayRecord();
    expect(migratePosition(r)).toEqual({ ok: true, record: r });
    expect(r.id).toBe(overlayPositionId('SPX', r.condor!.expiry));
    expect(r.condor).toMatchObject({ strikes: [6400, 6450, 6800, 6850], quantity: 2, credit: 4.1 });
    expect(r.hedges).toHaveLength(1);
    expect(r.journal.map((e) => e.action)).toEqual(['add']);
    expect(r.legs).toHaveLength(6);
    const condor = r.legs.slice(0, 4);
    // The condor's legs net the credit entered: Σ q·p = −4.10 × 2 (received).
    const net = condor.reduce((s, l) => s + l.quantity * l.openPrice, 0);
    expect(net).toBeCloseTo(-4.1 * 2, 9);
    expect(r.legs.slice(4)).toEqual(holdings(r.journal));
    expect(r.market!.legs).toHaveLength(6);
    expect(r.market!.legs.every((m) => m.vol > 0 && m.years > 0)).toBe(true);
  });

  it('is null when nothing is the trader’s: the suggested condor with no adjustment', async () => {
    const engine = createEngine();
    await engine.setChain(syntheticChain(), meta);
    expect(await engine.positionRecord(at.getTime())).toBeNull();
  });
});

describe('the position store', () => {
  it('saves, reads back, finds the overlay position for the chain shown, and deletes', async () => {
    const store = createPositionStore({ area: memoryArea() });
    const r = await overlayRecord();
    expect(await store.savePosition(r)).toEqual({ ok: true, warning: null });
    expect(await store.getPosition(r.id)).toEqual(r);
    expect((await store.listPositions()).items).toEqual([r]);
    expect(await store.findOverlayPosition('spx', ['2026-01-02', r.condor!.expiry])).toEqual(r);
    expect(await store.findOverlayPosition('SPX', ['2026-01-02'])).toBeNull();
    expect(await store.findOverlayPosition('QQQ', [r.condor!.expiry])).toBeNull();
    await store.deletePosition(r.id);
    expect((await store.listPositions()).items).toEqual([]);
  });

  it('refuses an invalid record with the path and writes nothing', async () => {
    const area = memoryArea();
    const store = createPositionStore({ area });
    const r = await overlayRecord();
    const bad = { ...r, legs: [{ ...r.legs[0]!, openPrice: -1 }] };
    const res = await store.savePosition(bad);
    expect(res).toMatchObject({ ok: false, code: 'invalid' });
    if (!res.ok) expect(res.message).toBe('Position not saved: legs[0].openPrice: not a price ≥ 0.');
    expect(await area.getKeys()).toEqual([]);
  });

  it('moves a corrupt record to quarantine with the reason, and leaves one from a newer HedgeLens alone', async () => {
    const area = memoryArea();
    const store = createPositionStore({ area });
    const r = await overlayRecord();
    await store.savePosition(r);
    await area.set({ [`${POSITION_PREFIX}broken`]: { version: 1, id: 'broken', name: 3 } });
    await area.set({ [`${POSITION_PREFIX}future`]: { version: 9, id: 'future' } });
    const list = await store.listPositions({ now: at });
    expect(list.items.map((p) => p.id)).toEqual([r.id]);
    expect(list.skipped).toEqual([
      { key: `${POSITION_PREFIX}future`, reason: 'written by a newer HedgeLens (version 9)' },
    ]);
    expect(list.quarantined).toHaveLength(1);
    expect(list.quarantined[0]).toMatchObject({
      originalKey: `${POSITION_PREFIX}broken`,
      reason: 'name and underlying must be text',
      moved: true,
    });
    const keys = await area.getKeys();
    expect(keys).not.toContain(`${POSITION_PREFIX}broken`);
    const qKey = keys.find((k) => k.startsWith(POSITION_QUARANTINE_PREFIX))!;
    expect((await area.get(qKey))[qKey]).toMatchObject({ raw: { version: 1, id: 'broken', name: 3 } });
    // Listed again (not lost) until the trader discards it.
    expect((await store.listPositions()).quarantined.map((q) => q.key)).toEqual([qKey]);
    expect(await store.discardQuarantined(qKey)).toBe(true);
    expect((await store.listPositions()).quarantined).toEqual([]);
  });

  it('refuses a save past the quota with the numbers, deletes nothing, and counts the record it replaces', async () => {
    const r = await overlayRecord();
    const size = JSON.stringify(r).length + POSITION_PREFIX.length + r.id.length;
    const area = memoryArea();
    await area.set({ other: 'x'.repeat(1000) });
    const store = createPositionStore({ area, quotaBytes: size + 1010 });
    expect((await store.savePosition(r)).ok).toBe(true);
    // The same record again fits: the old copy does not count twice.
    const again = await store.savePosition({ ...r, updatedAt: '2026-03-18T19:05:00.000Z' });
    expect(again.ok).toBe(true);
    if (again.ok) expect(again.warning).toMatch(/^Storage is \d+% full/);
    const bigger = { ...r, id: 'second' };
    const res = await store.savePosition(bigger);
    expect(res).toMatchObject({ ok: false, code: 'quota' });
    if (!res.ok)
      expect(res.message).toMatch(/^Position not saved: it needs .* of the .* storage is left\. Nothing was deleted/);
    expect((await area.getKeys()).sort()).toEqual(['other', POSITION_PREFIX + r.id].sort());
  });

  it('imports: the same content is left, another under a taken id gets a new id, a bad one is refused', async () => {
    const store = createPositionStore({ area: memoryArea() });
    const r = await overlayRecord();
    await store.savePosition(r);
    const changed = { ...r, name: 'renamed' };
    const res = await store.importPositions([r, changed, { version: 1, id: 'x' }]);
    expect(res.taken).toHaveLength(1);
    expect(res.taken[0]).toMatch(new RegExp(`^${r.id.replace(/[.]/g, '\\.')}\\.`));
    expect(res.refused).toEqual([{ index: 2, id: 'x', reason: 'name and underlying must be text' }]);
    expect((await store.listPositions()).items).toHaveLength(2);
    expect(await store.importPositions('no')).toMatchObject({ ok: false, message: 'expected a list of positions' });
  });

  it('keeps the betas the trader edits; a bad one is refused; a malformed pref falls back to the defaults', async () => {
    const area = memoryArea();
    expect(await loadBetas(area)).toEqual(DEFAULT_BETAS);
    expect(await saveBetas({ ...DEFAULT_BETAS, QQQ: 1.3 }, area)).toEqual({ ok: true });
    expect((await loadBetas(area)).QQQ).toBe(1.3);
    expect(await saveBetas({ QQQ: Number.NaN }, area)).toEqual({
      ok: false,
      message: 'Not saved: the beta of QQQ must be a number between −10 and 10.',
    });
    await area.set({ [BETAS_KEY]: 'garbage' });
    expect(await loadBetas(area)).toEqual(DEFAULT_BETAS);
  });
});

describe('positions in the all-data file', () => {
  beforeEach(() => fakeBrowser.reset());

  it('are exported with their journals and imported back', async () => {
    const r = await overlayRecord();
    const store = createPositionStore();
    expect((await store.savePosition(r)).ok).toBe(true);
    const file = await buildAllDataExport(at);
    expect(file.positions).toEqual([r]);
    const text = JSON.stringify(file);
    fakeBrowser.reset();
    const report = await importAllData(text, { now: at });
    expect(report.parts.find((p) => p.part === 'positions')).toEqual({
      part: 'positions',
      taken: '1 position with their journals',
      refused: [],
    });
    expect((await createPositionStore().listPositions()).items).toEqual([r]);
  });
});
