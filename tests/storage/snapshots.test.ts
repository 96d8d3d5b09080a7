import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { browser } from 'wxt/browser';
import type { StorageAreaLike } from '../../src/storage/area';
import { itemBytes } from '../../src/storage/json';
import {
  compareSnapshots,
  createSnapshotStore,
  INDEX_PREFIX,
  QUARANTINE_PREFIX,
  SNAP_PREFIX,
  TRASH_PREFIX,
  type Snapshot,
} from '../../src/storage/snapshots';
import { makeChain, makeInput, seqIds } from './fixtures';

const local = () => browser.storage.local as unknown as StorageAreaLike;
const dump = () => local().get(null);
const NOW = new Date('2026-03-14T12:00:00.000Z');

/** A storage.local like Chromium 130+: getKeys and getBytesInUse present. */
function chromiumLike(): StorageAreaLike {
  const base = local();
  return {
    get: (k) => base.get(k),
    set: (i) => base.set(i),
    remove: (k) => base.remove(k),
    async getKeys() {
      return Object.keys(await base.get(null));
    },
    async getBytesInUse() {
      let n = 0;
      for (const [k, v] of Object.entries(await base.get(null))) n += itemBytes(k, v);
      return n;
    },
    QUOTA_BYTES: 10 * 1024 * 1024,
  };
}

beforeEach(() => {
  fakeBrowser.reset();
});

describe('saveSnapshot', () => {
  it('saves a record and its summary under their own keys, URL stripped by default', async () => {
    const store = createSnapshotStore({ newId: () => 'abc' });
    const r = await store.saveSnapshot(makeInput(), { now: NOW });
    expect(r.ok).toBe(true);
    const all = await dump();
    expect(Object.keys(all).sort()).toEqual(['snap:abc', 'snapidx:abc']);
    const rec = all['snap:abc'] as Snapshot;
    expect(rec.schemaVersion).toBe(2);
    expect(rec.url).toBe('https://broker.example.com/chain/SPX');
    expect(rec.site).toBe('broker.example.com');
    expect(rec.savedAt).toBe('2026-03-14T12:00:00.000Z');
    expect(JSON.stringify(all)).not.toContain('12345678');
    const got = await store.getSnapshot('abc');
    expect(got.ok && got.snapshot).toEqual(rec);
  });

  it('keeps query and fragment only when asked, and always drops credentials', async () => {
    const store = createSnapshotStore({ newId: () => 'keep' });
    await store.saveSnapshot(makeInput({ url: 'https://u:p@b.example/x?q=1#h' }), { now: NOW, stripUrl: false });
    const got = await store.getSnapshot('keep');
    expect(got.ok && got.snapshot.url).toBe('https://b.example/x?q=1#h');
  });

  it('refuses input that cannot be stored losslessly, writing nothing', async () => {
    const store = createSnapshotStore({ newId: seqIds() });
    const nan = await store.saveSnapshot(makeInput({ analysis: { pop: NaN } }), { now: NOW });
    expect(nan).toMatchObject({ ok: false, code: 'invalid' });
    expect(!nan.ok && nan.message).toContain('snapshot.analysis.pop');
    const date = await store.saveSnapshot(makeInput({ plan: { at: new Date() } }), { now: NOW });
    expect(date).toMatchObject({ ok: false, code: 'invalid' });
    const badCondor = await store.saveSnapshot(
      makeInput({
        condor: {
          expiry: '2026-03-20',
          strikes: [6500, 6450, 6800, 6850],
          quantity: 1,
          credit: 1,
        },
      }),
      { now: NOW },
    );
    expect(badCondor).toMatchObject({ ok: false, code: 'invalid' });
    expect(await dump()).toEqual({});
  });
});

describe('concurrent saves', () => {
  it('two saves started at the same moment both keep their snapshot', async () => {
    const store = createSnapshotStore();
    const [a, b] = await Promise.all([
      store.saveSnapshot(makeInput({ note: 'tab A' }), { now: NOW }),
      store.saveSnapshot(makeInput({ note: 'tab B' }), { now: NOW }),
    ]);
    expect(a.ok && b.ok).toBe(true);
    const list = await store.listSnapshots();
    expect(list.items.map((s) => s.note).sort()).toEqual(['tab A', 'tab B']);
  });

  it('two stores (two tabs) with interleaved reads and writes both keep theirs', async () => {
    // The steps interleave for certain (not by timers, which a loaded machine reorders): no tab's read is answered
    // until both tabs have asked for one, so each reads before either writes.
    const base = local();
    const order: string[] = [];
    const asked = new Set<string>();
    let bothAsked!: () => void;
    const both = new Promise<void>((r) => (bothAsked = r));
    const slow = (tag: string): StorageAreaLike => ({
      async get(k) {
        asked.add(tag);
        if (asked.size === 2) bothAsked();
        await both;
        order.push(`${tag}:get`);
        return base.get(k);
      },
      async set(i) {
        await new Promise((r) => setTimeout(r, 1));
        order.push(`${tag}:set`);
        return base.set(i);
      },
      remove: (k) => base.remove(k),
    });
    const tabA = createSnapshotStore({ area: slow('A'), newId: () => 'from-a' });
    const tabB = createSnapshotStore({ area: slow('B'), newId: () => 'from-b' });
    const results = await Promise.all(
      Array.from({ length: 2 }, (_, i) =>
        (i === 0 ? tabA : tabB).saveSnapshot(makeInput({ note: `tab ${i}` }), { now: NOW }),
      ),
    );
    expect(results.every((r) => r.ok)).toBe(true);
    // Really interleaved: B read before A wrote.
    expect(order.indexOf('B:get')).toBeLessThan(order.indexOf('A:set'));
    const list = await createSnapshotStore().listSnapshots();
    expect(list.items.map((s) => s.id).sort()).toEqual(['from-a', 'from-b']);
  });

  it('twenty parallel saves through the Chromium-like area all survive', async () => {
    const store = createSnapshotStore({ area: chromiumLike() });
    const rs = await Promise.all(
      Array.from({ length: 20 }, (_, i) => store.saveSnapshot(makeInput({ note: `n${i}` }), { now: NOW })),
    );
    expect(rs.filter((r) => r.ok)).toHaveLength(20);
    expect((await store.listSnapshots()).items).toHaveLength(20);
  });
});

describe('listSnapshots', () => {
  async function seed() {
    const store = createSnapshotStore({ newId: seqIds('s') });
    await store.saveSnapshot(makeInput({ note: 'before FOMC' }), { now: new Date('2026-03-10T15:00:00Z') });
    await store.saveSnapshot(
      makeInput({
        chain: makeChain('RUT', 2100, '2026-04-17'),
        condor: null,
        pageTitle: 'RUT chain',
        note: 'vix spike',
        url: 'https://other.example/rut',
      }),
      { now: new Date('2026-03-12T15:00:00Z') },
    );
    await store.saveSnapshot(makeInput({ note: 'at the close' }), { now: new Date('2026-03-14T20:00:00Z') });
    return store;
  }

  it('lists newest first and filters by text, underlying, expiry and date', async () => {
    const store = await seed();
    const all = await store.listSnapshots();
    expect(all.items.map((s) => s.note)).toEqual(['at the close', 'vix spike', 'before FOMC']);
    expect(all.items[0]).toMatchObject({
      underlying: 'SPX',
      underlyingPrice: 6632.19,
      expiry: '2026-03-20',
      condor: '6400/6450/6800/6850 x2 @ 4.10',
      stage: 'Calm',
      site: 'broker.example.com',
    });
    expect((await store.listSnapshots({ query: 'fomc' })).items.map((s) => s.note)).toEqual(['before FOMC']);
    expect((await store.listSnapshots({ query: 'other.example spike' })).items).toHaveLength(1);
    expect((await store.listSnapshots({ underlying: 'rut' })).items.map((s) => s.note)).toEqual(['vix spike']);
    expect((await store.listSnapshots({ expiry: '2026-04-17' })).items.map((s) => s.note)).toEqual(['vix spike']);
    expect((await store.listSnapshots({ expiry: '2026-03-20' })).items).toHaveLength(2);
    const window = await store.listSnapshots({ from: '2026-03-11T00:00:00Z', to: new Date('2026-03-14T19:00:00Z') });
    expect(window.items.map((s) => s.note)).toEqual(['vix spike']);
    expect((await store.listSnapshots({ from: Date.parse('2026-03-14T20:00:00Z') })).items).toHaveLength(1);
  });

  it('rebuilds a missing or wrong index entry from the record and drops orphan index entries', async () => {
    const store = await seed();
    const oldest = (await store.listSnapshots()).items[2]!.id;
    await local().remove(INDEX_PREFIX + oldest);
    expect((await dump())[INDEX_PREFIX + oldest]).toBeUndefined();
    const ids = (await store.listSnapshots()).items.map((s) => s.id);
    expect(ids).toHaveLength(3);
    const [newest] = ids;
    await local().set({ [INDEX_PREFIX + newest]: { summaryVersion: 1, id: 'wrong', junk: true } });
    await local().set({ [INDEX_PREFIX + 'ghost']: { summaryVersion: 1, id: 'ghost' } });
    const list = await store.listSnapshots();
    expect(list.items.map((s) => s.id)).toEqual(ids);
    expect(list.quarantined).toEqual([]);
    const all = await dump();
    expect(all[INDEX_PREFIX + 'ghost']).toBeUndefined();
    expect((all[INDEX_PREFIX + newest] as { id: string }).id).toBe(newest);
    // Every index entry now present.
    for (const id of ids) expect(all[INDEX_PREFIX + id]).toBeDefined();
  });

  it('works the same over an area with getKeys and getBytesInUse', async () => {
    const area = chromiumLike();
    const store = createSnapshotStore({ area, newId: seqIds('c') });
    await store.saveSnapshot(makeInput(), { now: NOW });
    await local().set({ [SNAP_PREFIX + 'bad']: { schemaVersion: 2, id: 'bad' } });
    const list = await store.listSnapshots();
    expect(list.items).toHaveLength(1);
    expect(list.quarantined).toHaveLength(1);
    const usage = await store.storageUsage();
    expect(usage.measuredBy).toBe('browser');
    expect(usage.quotaBytes).toBe(10 * 1024 * 1024);
  });
});

describe('corrupt entries', () => {
  it('moves each bad record to quarantine with its reason, reports it, and keeps the list working', async () => {
    const store = createSnapshotStore({ newId: seqIds('ok') });
    const good = await store.saveSnapshot(makeInput(), { now: NOW });
    expect(good.ok).toBe(true);
    const rawBad = {
      [SNAP_PREFIX + 'notobj']: 'garbage',
      [SNAP_PREFIX + 'noversion']: { id: 'noversion' },
      [SNAP_PREFIX + 'badchain']: { ...makeSnapshotLike('badchain'), chain: { version: 1 } },
      [SNAP_PREFIX + 'mismatch']: makeSnapshotLike('other-id'),
      [SNAP_PREFIX + 'badv1']: { schemaVersion: 1, id: 'badv1', savedAt: 'yesterday', source: {} },
    };
    await local().set(rawBad);
    const list = await store.listSnapshots({}, { now: NOW });
    expect(list.items.map((s) => s.id)).toEqual([good.ok ? good.id : '']);
    const byOriginal = Object.fromEntries(list.quarantined.map((q) => [q.originalKey, q]));
    expect(Object.keys(byOriginal).sort()).toEqual(Object.keys(rawBad).sort());
    expect(byOriginal['snap:notobj']!.reason).toBe('not an object');
    expect(byOriginal['snap:noversion']!.reason).toMatch(/schemaVersion/);
    expect(byOriginal['snap:badchain']!.reason).toMatch(/^chain\.underlying/);
    expect(byOriginal['snap:mismatch']!.reason).toMatch(/does not match its key/);
    expect(byOriginal['snap:badv1']!.reason).toMatch(/migration v1→v2 failed: savedAt/);
    expect(list.quarantined.every((q) => q.moved && q.key.startsWith(QUARANTINE_PREFIX))).toBe(true);

    // Nothing silently deleted: every raw value is intact under its quarantine key.
    const all = await dump();
    for (const q of list.quarantined) {
      const entry = all[q.key] as { raw: unknown; reason: string; quarantinedAt: string };
      expect(entry.raw).toEqual(rawBad[q.originalKey as keyof typeof rawBad]);
      expect(entry.quarantinedAt).toBe(NOW.toISOString());
      expect(all[q.originalKey]).toBeUndefined();
    }
    // Reported again on the next listing (still there until the trader discards them).
    const again = await store.listSnapshots();
    expect(again.quarantined.map((q) => q.originalKey).sort()).toEqual(Object.keys(rawBad).sort());
    expect(again.items).toHaveLength(1);

    const one = again.quarantined[0]!;
    const raw = await store.getQuarantined(one.key);
    expect(raw.ok && raw.entry.reason).toBe(one.reason);
    expect(await store.discardQuarantined(one.key)).toBe(true);
    expect((await store.listSnapshots()).quarantined).toHaveLength(4);
  });

  it('a damaged record found by getSnapshot is quarantined, not deleted', async () => {
    const store = createSnapshotStore({ newId: () => 'x1' });
    await store.saveSnapshot(makeInput(), { now: NOW });
    const all = await dump();
    const rec = all['snap:x1'] as Record<string, unknown>;
    await local().set({ 'snap:x1': { ...rec, hedges: 'oops' } });
    const got = await store.getSnapshot('x1');
    expect(got).toMatchObject({ ok: false, code: 'corrupt' });
    const after = await dump();
    expect(after['snap:x1']).toBeUndefined();
    expect((after['quarantine:x1'] as { raw: unknown }).raw).toEqual({ ...rec, hedges: 'oops' });
    expect((await store.listSnapshots()).quarantined.map((q) => q.key)).toEqual(['quarantine:x1']);
  });

  it('a record damaged behind a good summary is caught by verify (and by opening it)', async () => {
    const store = createSnapshotStore({ newId: () => 'v1d' });
    await store.saveSnapshot(makeInput(), { now: NOW });
    const rec = (await dump())['snap:v1d'] as Record<string, unknown>;
    await local().set({ 'snap:v1d': { ...rec, chain: null } });
    expect((await store.listSnapshots()).items.map((s) => s.id)).toEqual(['v1d']); // the summary is trusted
    const verified = await store.listSnapshots({ verify: true });
    expect(verified.items).toEqual([]);
    expect(verified.quarantined).toEqual([expect.objectContaining({ originalKey: 'snap:v1d', moved: true })]);
    expect((await dump())['snapidx:v1d']).toBeUndefined();
  });

  it('a second, different corrupt record with the same id does not overwrite the first quarantine', async () => {
    const store = createSnapshotStore();
    await local().set({ 'snap:dup': 'first' });
    await store.listSnapshots({}, { now: NOW });
    await local().set({ 'snap:dup': 'second' });
    await store.listSnapshots({}, { now: new Date(NOW.getTime() + 1000) });
    const all = await dump();
    const raws = Object.entries(all)
      .filter(([k]) => k.startsWith(QUARANTINE_PREFIX))
      .map(([, v]) => (v as { raw: unknown }).raw)
      .sort();
    expect(raws).toEqual(['first', 'second']);
  });

  it('a record from a newer HedgeLens is reported as skipped and left untouched', async () => {
    const store = createSnapshotStore();
    const future = { schemaVersion: 99, id: 'fut', whatever: 1 };
    await local().set({ 'snap:fut': future });
    const list = await store.listSnapshots();
    expect(list.items).toEqual([]);
    expect(list.quarantined).toEqual([]);
    expect(list.skipped).toEqual([{ key: 'snap:fut', reason: expect.stringContaining('newer HedgeLens') }]);
    expect((await dump())['snap:fut']).toEqual(future);
    expect(await store.getSnapshot('fut')).toMatchObject({ ok: false, code: 'newer' });
  });

  it('when the quarantine cannot be written, the bad record stays in place and is still reported', async () => {
    const base = local();
    const area: StorageAreaLike = {
      get: (k) => base.get(k),
      remove: (k) => base.remove(k),
      async set() {
        throw new Error('QUOTA_BYTES quota exceeded');
      },
    };
    await base.set({ 'snap:bad': 42 });
    const list = await createSnapshotStore({ area }).listSnapshots();
    expect(list.quarantined).toEqual([expect.objectContaining({ key: 'snap:bad', moved: false })]);
    expect((await dump())['snap:bad']).toBe(42);
  });
});

describe('delete and undo', () => {
  it('deletes with an undo token and restores the exact record', async () => {
    const store = createSnapshotStore({ newId: () => 'd1' });
    await store.saveSnapshot(makeInput(), { now: NOW });
    const before = await dump();
    const del = await store.deleteSnapshot('d1', { now: NOW });
    expect(del.ok).toBe(true);
    expect((await store.listSnapshots()).items).toEqual([]);
    expect(await store.getSnapshot('d1')).toMatchObject({ ok: false, code: 'not-found' });
    const undo = await store.undoDelete(del.ok ? del.undoToken : '');
    expect(undo).toEqual({ ok: true, id: 'd1' });
    expect(await dump()).toEqual(before);
    expect(await store.undoDelete(del.ok ? del.undoToken : '')).toMatchObject({ ok: false, code: 'not-found' });
  });

  it('purges undo copies after the retention, not before', async () => {
    const store = createSnapshotStore({ newId: seqIds('p'), trashRetentionMs: 60_000 });
    const s = await store.saveSnapshot(makeInput(), { now: NOW });
    const del = await store.deleteSnapshot(s.ok ? s.id : '', { now: NOW });
    expect(await store.purgeTrash({ now: new Date(NOW.getTime() + 59_000) })).toBe(0);
    expect(Object.keys(await dump()).some((k) => k.startsWith(TRASH_PREFIX))).toBe(true);
    expect(await store.purgeTrash({ now: new Date(NOW.getTime() + 60_000) })).toBe(1);
    expect(await store.undoDelete(del.ok ? del.undoToken : '')).toMatchObject({ ok: false });
  });

  it('refuses to delete when no undo copy can be kept', async () => {
    const base = local();
    await createSnapshotStore({ newId: () => 'keepme' }).saveSnapshot(makeInput(), { now: NOW });
    const area: StorageAreaLike = {
      get: (k) => base.get(k),
      remove: (k) => base.remove(k),
      async set() {
        throw new Error('QUOTA_BYTES quota exceeded');
      },
    };
    const r = await createSnapshotStore({ area }).deleteSnapshot('keepme', { now: NOW });
    expect(r).toMatchObject({ ok: false, code: 'quota' });
    expect((await dump())['snap:keepme']).toBeDefined();
  });
});

describe('quota', () => {
  it('warns at the threshold and refuses a save that would pass the quota, losing nothing', async () => {
    const probe = createSnapshotStore({ newId: () => 'q-9999' }); // same id length as seqIds('q')
    const p = await probe.saveSnapshot(makeInput(), { now: NOW });
    const size = (await probe.storageUsage()).bytesInUse;
    expect(p.ok).toBe(true);
    fakeBrowser.reset();

    // Room for exactly three snapshots (ids of equal length), warn at 50%.
    const store = createSnapshotStore({ newId: seqIds('q'), quotaBytes: size * 3 + 10, warnRatio: 0.5 });
    const r1 = await store.saveSnapshot(makeInput(), { now: NOW });
    expect(r1.ok && r1.usage.warning).toBeNull();
    const r2 = await store.saveSnapshot(makeInput(), { now: NOW });
    expect(r2.ok && r2.usage.warning).toMatch(/% full/);
    const r3 = await store.saveSnapshot(makeInput(), { now: NOW });
    expect(r3.ok).toBe(true);
    const before = await dump();
    const r4 = await store.saveSnapshot(makeInput(), { now: NOW });
    expect(r4).toMatchObject({ ok: false, code: 'quota' });
    expect(!r4.ok && r4.message).toMatch(/Not saved: this snapshot needs .* Nothing was deleted/);
    expect(await dump()).toEqual(before);
    const usage = await store.storageUsage();
    expect(usage.warning).toMatch(/full/);
    expect(usage.ratio).toBeGreaterThan(0.9);
    expect(usage.measuredBy).toBe('estimate');
  });

  it('takes the quota from storage.local.QUOTA_BYTES by default', () => {
    expect(createSnapshotStore().quotaBytes).toBe(5242880); // the fake's value
    const { QUOTA_BYTES: _q, ...noQuota } = local();
    expect(createSnapshotStore({ area: noQuota as StorageAreaLike }).quotaBytes).toBe(10 * 1024 * 1024);
    expect(createSnapshotStore({ quotaBytes: Infinity }).quotaBytes).toBe(Infinity);
  });

  it('does not enforce QUOTA_BYTES when the manifest asks for unlimitedStorage', () => {
    const runtime = fakeBrowser.runtime as unknown as { getManifest?: () => unknown };
    const saved = runtime.getManifest;
    try {
      runtime.getManifest = () => ({ manifest_version: 3, permissions: ['storage', 'unlimitedStorage'] });
      expect(createSnapshotStore().quotaBytes).toBe(Infinity);
      runtime.getManifest = () => ({ manifest_version: 3, permissions: ['storage'] });
      expect(createSnapshotStore().quotaBytes).toBe(5242880);
    } finally {
      runtime.getManifest = saved;
    }
  });

  it('a storage.set that throws gives a clear error and loses nothing', async () => {
    const base = local();
    const store = createSnapshotStore({ newId: seqIds('w') });
    await store.saveSnapshot(makeInput({ note: 'kept' }), { now: NOW });
    const before = await dump();
    let calls = 0;
    const failing = (message: string): StorageAreaLike => ({
      get: (k) => base.get(k),
      remove: (k) => base.remove(k),
      async set(items) {
        calls++;
        // Simulate a half-applied write before the failure: the store must clean up its own new keys.
        const [firstKey] = Object.keys(items);
        await base.set({ [firstKey!]: items[firstKey!] });
        throw new Error(message);
      },
    });
    const q = await createSnapshotStore({
      area: failing('QUOTA_BYTES quota exceeded'),
      newId: seqIds('w'),
    }).saveSnapshot(makeInput(), { now: NOW });
    expect(q).toMatchObject({ ok: false, code: 'quota' });
    expect(!q.ok && q.message).toMatch(/quota is full\. Nothing was deleted/);
    const io = await createSnapshotStore({ area: failing('IO error: disk'), newId: seqIds('w') }).saveSnapshot(
      makeInput(),
      { now: NOW },
    );
    expect(io).toMatchObject({ ok: false, code: 'write-failed' });
    expect(!io.ok && io.message).toContain('IO error: disk');
    expect(calls).toBe(2);
    expect(await dump()).toEqual(before);
    expect((await store.listSnapshots()).items.map((s) => s.note)).toEqual(['kept']);
  });
});

describe('compareSnapshots', () => {
  it('reports how price, ATM vol, greeks, POP and stage moved, with the paths read', async () => {
    const store = createSnapshotStore({ newId: seqIds('cmp') });
    const a = await store.saveSnapshot(makeInput(), { now: NOW });
    const b = await store.saveSnapshot(
      makeInput({
        chain: makeChain('SPX', 6500),
        analysis: {
          condorRisk: {
            atmIv: 0.228,
            pop: { lognormal: 0.55 },
            greeks: { delta: 40, gamma: -1.6, vegaPerVolPoint: -420.2, thetaPerDay: 120 },
          },
        },
        plan: { stage: 'Layer One' },
      }),
      { now: new Date(NOW.getTime() + 3_600_000) },
    );
    const sa = await store.getSnapshot(a.ok ? a.id : '');
    const sb = await store.getSnapshot(b.ok ? b.id : '');
    if (!sa.ok || !sb.ok) throw new Error('setup');
    const c = compareSnapshots(sa.snapshot, sb.snapshot);
    expect(c.elapsedMs).toBe(3_600_000);
    expect(c.sameCondor).toBe(true);
    expect(c.price.change).toBeCloseTo(6500 - 6632.19, 9);
    expect(c.price.fromPath).toBe('chain.underlying.price');
    expect(c.atmVol.change).toBeCloseTo(0.076, 12);
    expect(c.greeks.delta).toMatchObject({ from: -12.5, to: 40, change: 52.5 });
    expect(c.greeks.vega.fromPath).toBe('analysis.condor.greeks.vegaDollarsPerVolPoint');
    expect(c.greeks.vega.toPath).toBe('analysis.condorRisk.greeks.vegaPerVolPoint');
    expect(c.atmVol.fromPath).toBe('analysis.expiries[0].atmVol');
    expect(c.greeks.theta.change).toBeCloseTo(24.6, 9);
    expect(c.pop).toMatchObject({ from: 0.68, to: 0.55, fromPath: 'analysis.condor.probability.profitSkewAware' });
    expect(c.pop.toPath).toBe('analysis.condorRisk.pop.lognormal');
    expect(c.stage).toEqual({ from: 'Calm', to: 'Layer One', changed: true });
  });

  it('gives null, never NaN or 0, for metrics that are absent', async () => {
    const store = createSnapshotStore({ newId: seqIds('cmpn') });
    const a = await store.saveSnapshot(makeInput({ analysis: null, plan: null, chain: makeChain('SPX', null) }), {
      now: NOW,
    });
    const b = await store.saveSnapshot(makeInput({ analysis: { weird: [1, 2] }, plan: { stage: 7 } }), { now: NOW });
    const sa = await store.getSnapshot(a.ok ? a.id : '');
    const sb = await store.getSnapshot(b.ok ? b.id : '');
    if (!sa.ok || !sb.ok) throw new Error('setup');
    const c = compareSnapshots(sa.snapshot, sb.snapshot);
    expect(c.price).toMatchObject({ from: null, to: 6632.19, change: null, relative: null });
    expect(c.atmVol).toMatchObject({ from: null, to: null, change: null });
    expect(c.pop.change).toBeNull();
    expect(c.stage).toEqual({ from: null, to: null, changed: false });
    expect(JSON.stringify(c)).not.toMatch(/NaN/);
  });
});

function makeSnapshotLike(id: string): Record<string, unknown> {
  const input = makeInput();
  return {
    schemaVersion: 2,
    id,
    savedAt: NOW.toISOString(),
    site: 'broker.example.com',
    pageTitle: 't',
    url: null,
    chain: input.chain,
    condor: input.condor,
    hedges: input.hedges,
    analysis: null,
    plan: null,
    vix: { level: null, priorClose: null, future: null, asOf: null },
    rulebookVersion: null,
    note: '',
  };
}
