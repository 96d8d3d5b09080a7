import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { browser } from 'wxt/browser';
import type { StorageAreaLike } from '../../src/storage/area';
import { MIGRATIONS, migrateSnapshot, SCHEMA_VERSION, type Snapshot } from '../../src/storage/schema';
import { createSnapshotStore, INDEX_PREFIX, SNAP_PREFIX } from '../../src/storage/snapshots';
import { makeInput, v1Record } from './fixtures';

const local = () => browser.storage.local as unknown as StorageAreaLike;

/** One stored record of every earlier schema version. Adding v3 without a v2 fixture fails the first test. */
const EARLIER: Record<number, (id: string) => Record<string, unknown>> = {
  1: (id) => v1Record(id),
};

/** What each earlier fixture must read as in the current schema. */
function expectedCurrent(id: string): Snapshot {
  const input = makeInput();
  return {
    schemaVersion: 2,
    id,
    savedAt: '2026-03-14T11:34:05.000Z',
    site: 'broker.example.com',
    pageTitle: 'Old chain page',
    url: 'https://broker.example.com/chain',
    chain: input.chain,
    condor: { expiry: '2026-03-20', strikes: [6400, 6450, 6800, 6850], quantity: 2, credit: 4.1 },
    hedges: input.hedges!,
    analysis: input.analysis as Snapshot['analysis'],
    plan: input.plan as Snapshot['plan'],
    vix: input.vix as Snapshot['vix'],
    rulebookVersion: 1,
    note: '',
  };
}

beforeEach(() => {
  fakeBrowser.reset();
});

describe('schema versions', () => {
  it('has a migration into every version after 1 and a fixture for every earlier version', () => {
    for (let v = 2; v <= SCHEMA_VERSION; v++) expect(typeof MIGRATIONS[v]).toBe('function');
    for (let v = 1; v < SCHEMA_VERSION; v++) expect(typeof EARLIER[v]).toBe('function');
  });

  for (const [version, make] of Object.entries(EARLIER)) {
    it(`lifts a v${version} record to v${SCHEMA_VERSION} exactly`, () => {
      const res = migrateSnapshot(make('m1'));
      expect(res.ok).toBe(true);
      if (!res.ok) return;
      expect(res.fromVersion).toBe(Number(version));
      expect(res.snapshot).toEqual(expectedCurrent('m1'));
      // Credentials, query and fragment of the old URL are gone.
      expect(JSON.stringify(res.snapshot)).not.toMatch(/998877|user:pw|#frag/);
    });

    it(`reads stored v${version} records in place and rewrites them with migrateAll`, async () => {
      await local().set({ [SNAP_PREFIX + 'old1']: make('old1'), [SNAP_PREFIX + 'old2']: make('old2') });
      const store = createSnapshotStore();
      const list = await store.listSnapshots();
      expect(list.items.map((s) => s.id).sort()).toEqual(['old1', 'old2']);
      expect(list.items[0]).toMatchObject({ site: 'broker.example.com', pageTitle: 'Old chain page' });
      expect(list.quarantined).toEqual([]);
      const got = await store.getSnapshot('old1');
      expect(got).toEqual({ ok: true, snapshot: expectedCurrent('old1'), migratedFrom: Number(version) });
      // Reading did not rewrite the record (only the derived index was added).
      expect((await local().get(SNAP_PREFIX + 'old1'))[SNAP_PREFIX + 'old1']).toEqual(make('old1'));
      expect((await local().get(INDEX_PREFIX + 'old1'))[INDEX_PREFIX + 'old1']).toBeDefined();

      const done = await store.migrateAll();
      expect(done.migrated.sort()).toEqual(['old1', 'old2']);
      expect((await local().get(SNAP_PREFIX + 'old1'))[SNAP_PREFIX + 'old1']).toEqual(expectedCurrent('old1'));
      expect(await store.getSnapshot('old1')).toEqual({
        ok: true,
        snapshot: expectedCurrent('old1'),
        migratedFrom: null,
      });
      expect((await store.migrateAll()).migrated).toEqual([]);
    });
  }

  it('v1 → v2: a record without a page keeps an empty site and a null URL', () => {
    const res = migrateSnapshot(v1Record('np', { source: { url: null, title: '' }, condor: null, note: 'n' }));
    expect(res.ok && res.snapshot).toMatchObject({ site: '', url: null, pageTitle: '', condor: null, note: 'n' });
  });

  it('v1 → v2: an unparseable URL is dropped, not kept verbatim', () => {
    const res = migrateSnapshot(v1Record('bad', { source: { url: 'not a url ?acct=1', title: 'x' } }));
    expect(res.ok && res.snapshot).toMatchObject({ site: '', url: null });
  });

  it('a migrated record that is still invalid is refused with the validator reason', () => {
    const res = migrateSnapshot(v1Record('bad', { hedges: [{ kind: 'straddle' }] }));
    expect(res).toMatchObject({ ok: false, newer: false });
    expect(!res.ok && res.reason).toMatch(/^hedges\[0\]/);
  });

  it('refuses a stored chain that states the surface its quotes were priced from (only model chains do)', () => {
    const chain = makeInput().chain;
    const stated = { ...chain, expiries: chain.expiries.map((e) => ({ ...e, quotedFrom: { forward: 1 } })) };
    const res = migrateSnapshot(v1Record('stated', { chain: stated }));
    expect(res).toMatchObject({ ok: false, newer: false });
    expect(!res.ok && res.reason).toMatch(/^chain\.expiries\[0\]\.quotedFrom: a stored chain's quotes are fitted/);
    expect(migrateSnapshot(v1Record('plain', { chain })).ok).toBe(true);
  });

  it('refuses records of unknown, missing or newer versions with distinct reasons', () => {
    expect(migrateSnapshot({ id: 'x' })).toMatchObject({ ok: false, newer: false });
    expect(migrateSnapshot({ schemaVersion: 0 })).toMatchObject({ ok: false, newer: false });
    expect(migrateSnapshot({ schemaVersion: 1.5 })).toMatchObject({ ok: false, newer: false });
    expect(migrateSnapshot({ schemaVersion: SCHEMA_VERSION + 1 })).toMatchObject({ ok: false, newer: true });
    expect(migrateSnapshot(null)).toMatchObject({ ok: false, reason: 'not an object' });
  });

  it('migrateAll quarantines what it cannot lift and leaves newer records alone', async () => {
    const future = { schemaVersion: SCHEMA_VERSION + 1, id: 'f' };
    await local().set({
      [SNAP_PREFIX + 'bad']: v1Record('bad', { savedAt: 'soon' }),
      [SNAP_PREFIX + 'f']: future,
    });
    const r = await createSnapshotStore().migrateAll({ now: new Date('2026-03-14T00:00:00Z') });
    expect(r.migrated).toEqual([]);
    expect(r.quarantined).toEqual([expect.objectContaining({ originalKey: 'snap:bad', moved: true })]);
    expect((await local().get('snap:f'))['snap:f']).toEqual(future);
  });
});
