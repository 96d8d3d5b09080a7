import { describe, expect, it } from 'vitest';
import { canonicalJson, contentHash, itemBytes, toJsonSafe } from '../../src/storage/json';
import { checkSnapshot, pageLocation, type Snapshot } from '../../src/storage/schema';
import { makeInput } from './fixtures';

function valid(): Snapshot {
  const i = makeInput();
  return {
    schemaVersion: 2,
    id: 'abc-123',
    savedAt: '2026-03-14T12:00:00.000Z',
    site: 'broker.example.com',
    pageTitle: 'SPX',
    url: 'https://broker.example.com/chain',
    chain: i.chain,
    condor: i.condor!,
    hedges: i.hedges!,
    analysis: i.analysis as Snapshot['analysis'],
    plan: i.plan as Snapshot['plan'],
    vix: { level: 17.2, priorClose: null, future: null, asOf: null },
    rulebookVersion: 'rb-7',
    note: '',
  };
}

describe('toJsonSafe', () => {
  it('passes plain JSON through and drops undefined properties like JSON does', () => {
    const r = toJsonSafe({ a: 1, b: undefined, c: [null, 'x', { d: true }], e: -0 });
    expect(r).toEqual({ ok: true, value: { a: 1, c: [null, 'x', { d: true }], e: 0 } });
  });

  it.each([
    [{ x: NaN }, '$.x'],
    [{ x: [1, Infinity] }, '$.x[1]'],
    [{ x: new Date(0) }, '$.x'],
    [{ x: new Map() }, '$.x'],
    [{ x: () => 1 }, '$.x'],
    [{ x: 10n }, '$.x'],
    [{ x: [1, undefined] }, '$.x[1]'],
    // eslint-disable-next-line no-sparse-arrays
    [{ x: [1, , 3] }, '$.x[1]'],
  ])('refuses %o at %s', (value, path) => {
    const r = toJsonSafe(value);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.path).toBe(path);
  });

  it('refuses cycles but accepts a shared (non-cyclic) object twice', () => {
    const shared = { k: 1 };
    expect(toJsonSafe({ a: shared, b: shared }).ok).toBe(true);
    const cyc: Record<string, unknown> = {};
    cyc.self = cyc;
    expect(toJsonSafe(cyc)).toMatchObject({ ok: false, reason: 'circular reference' });
  });
});

describe('canonical JSON and hashing', () => {
  it('ignores key order and sees every value', async () => {
    expect(canonicalJson({ b: 1, a: { d: 2, c: [3, { f: 1, e: 0 }] } })).toBe(
      '{"a":{"c":[3,{"e":0,"f":1}],"d":2},"b":1}',
    );
    expect(await contentHash({ a: 1, b: 2 })).toBe(await contentHash({ b: 2, a: 1 }));
    expect(await contentHash({ a: 1, b: 2 })).not.toBe(await contentHash({ a: 1, b: 3 }));
    expect(await contentHash({})).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('counts bytes like Chromium: UTF-8 of the key plus the JSON value', () => {
    expect(itemBytes('k', 'é')).toBe(1 + 4); // "é" in quotes: 1 + 2 + 1
  });
});

describe('pageLocation', () => {
  it('strips credentials, query and fragment by default', () => {
    expect(pageLocation('https://me:secret@trade.example.com:8443/opt/SPX?acct=123#leg')).toEqual({
      site: 'trade.example.com',
      url: 'https://trade.example.com:8443/opt/SPX',
    });
  });
  it('keeps the query when asked, never the credentials', () => {
    expect(pageLocation('https://me:pw@a.example/x?y=1#z', true).url).toBe('https://a.example/x?y=1#z');
  });
  it('handles missing and unparseable URLs', () => {
    expect(pageLocation(null)).toEqual({ site: '', url: null });
    expect(pageLocation('   ')).toEqual({ site: '', url: null });
    expect(pageLocation('/relative?acct=1')).toEqual({ site: '', url: null });
    expect(pageLocation('file:///home/me/chain.html?x=1')).toEqual({ site: '', url: 'file:///home/me/chain.html' });
  });
});

describe('checkSnapshot', () => {
  it('accepts a valid snapshot and unknown extra JSON fields', () => {
    expect(checkSnapshot(valid())).toBeNull();
    expect(checkSnapshot({ ...valid(), extra: { a: [1] } })).toBeNull();
  });

  const cases: [string, (s: Record<string, unknown>) => void, RegExp][] = [
    ['wrong version', (s) => (s.schemaVersion = 3), /^schemaVersion/],
    ['bad id', (s) => (s.id = 'has space'), /^id/],
    ['bad savedAt', (s) => (s.savedAt = '14/03/2026'), /^savedAt/],
    ['url number', (s) => (s.url = 5), /^url/],
    ['chain version', (s) => ((s.chain as Record<string, unknown>).version = 2), /^chain\.version/],
    [
      'quote string',
      (s) => {
        const c = s.chain as Snapshot['chain'];
        (c.expiries[0]!.rows[0]!.call as unknown as Record<string, unknown>).bid = '52.1';
      },
      /^chain\.expiries\[0\]\.rows\[0\]\.call\.bid/,
    ],
    ['expiry date', (s) => ((s.chain as Snapshot['chain']).expiries[0]!.date = '03/20/2026'), /date/],
    ['settlement', (s) => ((s.chain as Snapshot['chain']).expiries[0]!.settlement = 'XX' as 'AM'), /settlement/],
    ['condor strikes', (s) => ((s.condor as Snapshot['condor'])!.strikes = [1, 2, 3] as never), /condor\.strikes/],
    ['condor quantity', (s) => ((s.condor as Snapshot['condor'])!.quantity = 0), /condor\.quantity/],
    ['hedge zero qty', (s) => ((s.hedges as Snapshot['hedges'])[0]!.quantity = 0), /^hedges\[0\]\.quantity/],
    ['hedges not array', (s) => (s.hedges = {}), /^hedges/],
    ['vix level', (s) => ((s.vix as Record<string, unknown>).level = '17'), /^vix\.level/],
    ['analysis missing', (s) => delete s.analysis, /^analysis/],
    ['NaN deep in analysis', (s) => (s.analysis = { a: [{ b: NaN }] }), /analysis\.a\[0\]\.b/],
    ['note missing', (s) => delete s.note, /^note/],
    ['rulebookVersion object', (s) => (s.rulebookVersion = {}), /^rulebookVersion/],
  ];
  it.each(cases)('refuses %s', (_name, mutate, reason) => {
    const s = structuredClone(valid()) as unknown as Record<string, unknown>;
    mutate(s);
    expect(checkSnapshot(s)).toMatch(reason);
  });
});
