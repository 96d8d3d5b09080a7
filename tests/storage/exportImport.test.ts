import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import type { Chain } from '../../src/chain/types';
import { exportAll, exportCsv, importSnapshots } from '../../src/storage/exportImport';
import { CSV_COLUMNS, csvCell, EXPORT_FORMAT, snapshotsToCsv } from '../../src/storage/snapshotExport';
import type { JsonValue } from '../../src/storage/json';
import { SCHEMA_VERSION, type SnapshotCondor, type SnapshotLeg } from '../../src/storage/schema';
import { createSnapshotStore, type Snapshot, type SnapshotInput } from '../../src/storage/snapshots';
import { makeChain, makeInput, memoryArea, seqIds, v1Record } from './fixtures';

const NOW = new Date('2026-03-14T12:00:00.000Z');

beforeEach(() => {
  fakeBrowser.reset();
});

async function storeWith(n: number, prefix = 'e') {
  const store = createSnapshotStore({ area: memoryArea(), newId: seqIds(prefix) });
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const r = await store.saveSnapshot(makeInput({ note: `n${i}` }), { now: new Date(NOW.getTime() + i * 1000) });
    if (!r.ok) throw new Error(r.message);
    ids.push(r.id);
  }
  return { store, ids };
}

describe('exportAll', () => {
  it('writes a format header, the schema version and every snapshot, oldest first', async () => {
    const { store, ids } = await storeWith(3);
    const { text, data } = await exportAll({ store, now: NOW });
    const parsed = JSON.parse(text) as typeof data;
    expect(parsed).toEqual(data);
    expect(parsed).toMatchObject({
      format: EXPORT_FORMAT,
      formatVersion: 1,
      schemaVersion: SCHEMA_VERSION,
      exportedAt: NOW.toISOString(),
      count: 3,
      quarantined: [],
    });
    expect(parsed.snapshots.map((s) => s.id)).toEqual(ids);
  });

  it('carries quarantined entries with their raw value, and import does not take them', async () => {
    const area = memoryArea();
    const store = createSnapshotStore({ area, newId: seqIds('qq') });
    await store.saveSnapshot(makeInput(), { now: NOW });
    await area.set({ 'snap:broken': { schemaVersion: 2, id: 'broken', chain: 'x' } });
    const { data, text } = await exportAll({ store, now: NOW });
    expect(data.count).toBe(1);
    expect(data.quarantined).toEqual([
      expect.objectContaining({ originalKey: 'snap:broken', raw: { schemaVersion: 2, id: 'broken', chain: 'x' } }),
    ]);
    const target = createSnapshotStore({ area: memoryArea() });
    const rep = await importSnapshots(text, { store: target });
    expect(rep).toMatchObject({ ok: true, total: 1, quarantinedInFile: 1, refused: [] });
    expect(rep.taken).toHaveLength(1);
  });
});

describe('importSnapshots', () => {
  it('takes the valid entries and refuses the others with a reason each', async () => {
    const { store, ids } = await storeWith(2, 'have');
    const stored = await store.getSnapshot(ids[0]!);
    if (!stored.ok) throw new Error('setup');
    const s0 = stored.snapshot;
    const fresh = await storeWith(1, 'fresh');
    const freshSnap = (await fresh.store.readAll()).snapshots[0]!;

    const file = {
      format: EXPORT_FORMAT,
      formatVersion: 1,
      snapshots: [
        { ...freshSnap, note: 'brand new' }, // 0 taken
        { ...s0 }, // 1 duplicate: same id, same content
        { ...s0, id: 'copy-of-first' }, // 2 duplicate: same content, other id
        { ...s0, note: 'edited elsewhere' }, // 3 id conflict
        { ...s0, id: 'badchain', chain: { version: 1 } }, // 4 invalid
        { ...s0, id: 'future', schemaVersion: SCHEMA_VERSION + 1 }, // 5 newer
        v1Record('from-v1'), // 6 taken (migrated)
        'not a snapshot', // 7 invalid
        { ...freshSnap, note: 'brand new' }, // 8 duplicate of entry 0 (same file)
      ],
    };
    const rep = await importSnapshots(JSON.stringify(file), { store });
    expect(rep.ok).toBe(true);
    expect(rep.total).toBe(9);
    expect(rep.taken.map((t) => [t.index, t.id])).toEqual([
      [0, freshSnap.id],
      [6, 'from-v1'],
    ]);
    const refused = Object.fromEntries(rep.refused.map((r) => [r.index, r]));
    expect(refused[1]).toMatchObject({ code: 'duplicate', reason: 'already stored (same id, same content)' });
    expect(refused[2]).toMatchObject({ code: 'duplicate', reason: `same content as stored snapshot ${s0.id}` });
    expect(refused[3]).toMatchObject({ code: 'id-conflict', id: s0.id });
    expect(refused[4]).toMatchObject({ code: 'invalid', id: 'badchain', reason: expect.stringMatching(/^chain/) });
    expect(refused[5]).toMatchObject({ code: 'newer', id: 'future' });
    expect(refused[7]).toMatchObject({ code: 'invalid', id: null, reason: 'not an object' });
    expect(refused[8]).toMatchObject({ code: 'duplicate', reason: `already stored (same id, same content)` });
    expect(rep.taken.length + rep.refused.length).toBe(rep.total);

    // The stored originals are untouched; the conflicting one did not overwrite.
    const after = await store.getSnapshot(s0.id);
    expect(after.ok && after.snapshot).toEqual(s0);
    expect((await store.listSnapshots()).items).toHaveLength(4);
  });

  it('keeps both on an id conflict when asked, under a new id', async () => {
    const { store, ids } = await storeWith(1, 'kb');
    const s0 = (await store.readAll()).snapshots[0]!;
    const rep = await importSnapshots([{ ...s0, note: 'other' }], {
      store,
      renameConflicts: true,
      newId: () => 'renamed',
    });
    expect(rep.taken).toEqual([{ index: 0, id: 'renamed', fromId: ids[0] }]);
    const got = await store.getSnapshot('renamed');
    expect(got.ok && got.snapshot.note).toBe('other');
  });

  it.each([
    ['not JSON', '{ nope', /not valid JSON/],
    ['a JSON string', '"hello"', /not a HedgeLens export/],
    ['another format', JSON.stringify({ format: 'other', snapshots: [] }), /no "format" header/],
    ['a newer format', JSON.stringify({ format: EXPORT_FORMAT, formatVersion: 2, snapshots: [] }), /newer HedgeLens/],
    ['no list', JSON.stringify({ format: EXPORT_FORMAT, formatVersion: 1 }), /no snapshots list/],
  ])('refuses %s as a whole, taking nothing', async (_n, text, message) => {
    const store = createSnapshotStore({ area: memoryArea() });
    const rep = await importSnapshots(text, { store });
    expect(rep.ok).toBe(false);
    expect(rep.message).toMatch(message);
    expect(rep.taken).toEqual([]);
    expect((await store.listSnapshots()).items).toEqual([]);
  });

  it('accepts a single snapshot object and a UTF-8 BOM', async () => {
    const { store } = await storeWith(1, 'one');
    const s = (await store.readAll()).snapshots[0]!;
    const target = createSnapshotStore({ area: memoryArea() });
    const rep = await importSnapshots(`\uFEFF${JSON.stringify(s)}`, { store: target });
    expect(rep.taken).toEqual([{ index: 0, id: s.id }]);
  });

  it('refuses entries past the quota with the store message and keeps what fit', async () => {
    const { store } = await storeWith(3, 'qa');
    const { text } = await exportAll({ store, now: NOW });
    const one = (await store.readAll()).snapshots[0]!;
    const per = JSON.stringify(one).length * 1.3; // record + summary, generous
    const small = createSnapshotStore({ area: memoryArea(), quotaBytes: Math.floor(per * 1.5), warnRatio: 0.3 });
    const rep = await importSnapshots(text, { store: small });
    expect(rep.taken).toHaveLength(1);
    expect(rep.refused.map((r) => r.code)).toEqual(['quota', 'quota']);
    expect(rep.refused[0]!.reason).toMatch(/Not saved: this snapshot needs/);
    expect(rep.usage?.warning).toMatch(/full/);
    expect(rep.usage!.bytesInUse).toBeLessThanOrEqual(small.quotaBytes);
    expect((await small.listSnapshots()).items).toHaveLength(1);
  });

  it('importing an export into the same store takes nothing and refuses all as duplicates', async () => {
    const { store } = await storeWith(2, 'same');
    const { text } = await exportAll({ store, now: NOW });
    const rep = await importSnapshots(text, { store });
    expect(rep.taken).toEqual([]);
    expect(rep.refused.map((r) => r.code)).toEqual(['duplicate', 'duplicate']);
  });

  it('uses browser.storage.local by default', async () => {
    const { store } = await storeWith(1, 'def');
    const { text } = await exportAll({ store, now: NOW });
    const rep = await importSnapshots(text);
    expect(rep.taken).toHaveLength(1);
    expect((await createSnapshotStore().listSnapshots()).items).toHaveLength(1);
  });
});

describe('CSV', () => {
  it('writes one row per leg with the metrics, RFC 4180 quoted', async () => {
    const { store } = await storeWith(1, 'csv');
    const csv = await exportCsv({ store });
    const lines = csv.trimEnd().split('\r\n');
    expect(lines[0]).toBe(CSV_COLUMNS.join(','));
    expect(lines).toHaveLength(1 + 4 + 2);
    const col = (line: string, name: (typeof CSV_COLUMNS)[number]) => line.split(',')[CSV_COLUMNS.indexOf(name)];
    expect(lines.slice(1).map((l) => col(l, 'leg'))).toEqual([
      'long_put',
      'short_put',
      'short_call',
      'long_call',
      'hedge',
      'hedge',
    ]);
    expect(lines.slice(1, 5).map((l) => col(l, 'quantity'))).toEqual(['2', '-2', '-2', '2']);
    expect(col(lines[1]!, 'pop')).toBe('0.68');
    expect(col(lines[1]!, 'atm_vol')).toBe('0.152');
    expect(col(lines[1]!, 'vega_dollars_per_vol_point')).toBe('-310.2');
    expect(col(lines[1]!, 'stage')).toBe('Calm');
    expect(col(lines[6]!, 'price')).toBe(''); // null price
    expect(col(lines[6]!, 'quantity')).toBe('-3');
  });

  it('quotes separators and defuses spreadsheet formulas', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('line\nbreak')).toBe('"line\nbreak"');
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell(-12.5)).toBe('-12.5');
    expect(csvCell(null)).toBe('');
  });

  it('gives a snapshot without legs one row', () => {
    const s = {
      ...(makeInput() as unknown as Snapshot),
      id: 'x',
      savedAt: NOW.toISOString(),
      site: '',
      condor: null,
      hedges: [],
      vix: { level: null, priorClose: null, future: null, asOf: null },
      rulebookVersion: null,
      note: '',
    } as Snapshot;
    expect(snapshotsToCsv([s]).trimEnd().split('\r\n')).toHaveLength(2);
  });
});

// ---------------------------------------------------------------------------------------------
// Property: export then import is lossless.

const finite = fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e9, max: 1e9 });
const numOrNull = fc.option(finite, { nil: null });
const isoDay = fc
  .date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));
const isoInstant = fc
  .date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString());
const quote = fc.option(
  fc.record({
    bid: numOrNull,
    ask: numOrNull,
    last: numOrNull,
    volume: numOrNull,
    openInterest: numOrNull,
    iv: numOrNull,
    delta: numOrNull,
  }),
  { nil: null },
);
const chainArb: fc.Arbitrary<Chain> = fc.record({
  version: fc.constant(1 as const),
  underlying: fc.record({ symbol: fc.string({ minLength: 1, maxLength: 8 }), price: numOrNull }),
  asOf: fc.option(isoInstant, { nil: null }),
  source: fc.record(
    {
      kind: fc.constantFrom('html', 'csv', 'dat', 'json', 'snapshot', 'manual' as const),
      adapter: fc.string(),
      name: fc.string(),
    },
    { requiredKeys: ['kind', 'adapter'] },
  ),
  expiries: fc.array(
    fc.record({
      date: isoDay,
      root: fc.option(fc.string(), { nil: null }),
      settlement: fc.constantFrom('AM' as const, 'PM' as const),
      rows: fc.array(fc.record({ strike: finite, call: quote, put: quote }), { maxLength: 4 }),
    }),
    { maxLength: 3 },
  ),
  warnings: fc.array(fc.record({ row: fc.option(fc.nat(), { nil: null }), reason: fc.string() }), { maxLength: 2 }),
});
const gap = fc.double({ min: 0.5, max: 500, noNaN: true });
const condorArb: fc.Arbitrary<SnapshotCondor> = fc
  .record({
    expiry: isoDay,
    k1: fc.double({ min: 1, max: 10000, noNaN: true }),
    d1: gap,
    d2: fc.double({ min: 0, max: 500, noNaN: true }),
    d3: gap,
    quantity: fc.integer({ min: 1, max: 100 }),
    credit: numOrNull,
  })
  .map(({ expiry, k1, d1, d2, d3, quantity, credit }) => ({
    expiry,
    strikes: [k1, k1 + d1, k1 + d1 + d2, k1 + d1 + d2 + d3] as [number, number, number, number],
    quantity,
    credit,
  }))
  .filter((c) => c.strikes[0] < c.strikes[1] && c.strikes[1] <= c.strikes[2] && c.strikes[2] < c.strikes[3]);
const legArb: fc.Arbitrary<SnapshotLeg> = fc.record({
  underlying: fc.string({ minLength: 1, maxLength: 6 }),
  root: fc.option(fc.string(), { nil: null }),
  kind: fc.constantFrom('call' as const, 'put' as const),
  strike: finite,
  expiry: isoDay,
  quantity: fc.integer({ min: -50, max: 50 }).filter((q) => q !== 0),
  price: numOrNull,
});
const inputArb: fc.Arbitrary<SnapshotInput> = fc.record({
  url: fc.option(fc.webUrl({ withQueryParameters: true, withFragments: true }), { nil: null }),
  pageTitle: fc.string(),
  chain: chainArb,
  condor: fc.option(condorArb, { nil: null }),
  hedges: fc.array(legArb, { maxLength: 3 }),
  analysis: fc.option(fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<JsonValue>, { nil: null }),
  plan: fc.option(fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<JsonValue>, { nil: null }),
  vix: fc.record({
    level: numOrNull,
    priorClose: numOrNull,
    future: numOrNull,
    asOf: fc.option(isoInstant, { nil: null }),
  }),
  rulebookVersion: fc.oneof(fc.constant(null), fc.integer(), fc.string()),
  note: fc.string(),
});

describe('export → import (property)', () => {
  it('is lossless: the importing store holds exactly the exported snapshots', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(inputArb, isoInstant, fc.boolean()), { minLength: 1, maxLength: 4 }),
        async (entries) => {
          const source = createSnapshotStore({ area: memoryArea(), newId: seqIds('prop'), quotaBytes: Infinity });
          for (const [input, at, strip] of entries) {
            const r = await source.saveSnapshot(input, { now: new Date(at), stripUrl: strip });
            if (!r.ok) throw new Error(`generated input refused: ${r.message}`);
          }
          const exported = await exportAll({ store: source, now: NOW });

          const target = createSnapshotStore({ area: memoryArea(), quotaBytes: Infinity });
          const rep = await importSnapshots(exported.text, { store: target });
          expect(rep.refused).toEqual([]);
          expect(rep.taken.map((t) => t.id)).toEqual(exported.data.snapshots.map((s) => s.id));

          const again = await exportAll({ store: target, now: NOW });
          expect(again.data.snapshots).toEqual(exported.data.snapshots);
          expect(again.text).toBe(exported.text);
          // And each snapshot reads back equal to what the source store reads.
          for (const s of exported.data.snapshots) {
            const a = await source.getSnapshot(s.id);
            const b = await target.getSnapshot(s.id);
            expect(b).toEqual(a);
          }
          // Importing the same file again takes nothing.
          const second = await importSnapshots(exported.text, { store: target });
          expect(second.taken).toEqual([]);
          expect(second.refused.every((r) => r.code === 'duplicate')).toBe(true);
        },
      ),
      { numRuns: 60 },
    );
  });
});

// Keep the chain fixture helper referenced for readers looking for a hand-made example.
void makeChain;
