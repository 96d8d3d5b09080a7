import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { browser } from 'wxt/browser';
import type { TeachProfile } from '../../src/shared/teachProfile';
import {
  deleteProfile,
  exportProfiles,
  getProfile,
  importProfiles,
  listProfiles,
  PROFILES_EXPORT_FORMAT,
  saveProfile,
  validateProfile,
} from '../../src/storage/profiles';
import { readSiteProfile } from '../../src/storage/profileCheck';

const profile = (host: string, extra: Partial<TeachProfile> = {}): TeachProfile => ({
  version: 1,
  host,
  rowSelector: '#chain > tbody > tr',
  columns: [
    { index: 3, field: 'strike', side: null },
    { index: 1, field: 'bid', side: 'call' },
    { index: 2, field: 'ask', side: 'call' },
  ],
  side: null,
  ...extra,
});

beforeEach(() => fakeBrowser.reset());

describe('validateProfile', () => {
  it('accepts a taught profile and lower-cases its host', () => {
    const r = validateProfile(profile('Trade.Example.com:8443'));
    expect(r).toMatchObject({ ok: true, profile: { host: 'trade.example.com:8443' } });
  });

  it('names every problem', () => {
    const r = validateProfile({
      version: 2,
      host: 'https://x.com/path',
      rowSelector: '',
      columns: [
        { index: -1, field: 'bid', side: 'left' },
        { index: 'a', field: 'colour', side: null },
      ],
      side: 'both',
    });
    expect(r.ok).toBe(false);
    const errors = r.ok ? [] : r.errors;
    expect(errors).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^version/),
        expect.stringMatching(/^host: expected a site host/),
        expect.stringMatching(/^rowSelector/),
        expect.stringMatching(/^side/),
        expect.stringMatching(/^columns\[0\]\.index/),
        expect.stringMatching(/^columns\[0\]\.side/),
        expect.stringMatching(/^columns\[1\]\.field: unknown field "colour"/),
        expect.stringMatching(/no strike column/),
      ]),
    );
  });

  it('refuses a cell mapped twice and a non-object', () => {
    const twice = profile('a.com', {
      columns: [
        { index: 0, field: 'strike', side: null },
        { index: 0, field: 'bid', side: 'put' },
      ],
    });
    expect(validateProfile(twice)).toMatchObject({ ok: false, errors: [expect.stringMatching(/mapped twice/)] });
    expect(validateProfile('x')).toEqual({ ok: false, errors: ['a profile must be a JSON object'] });
  });
});

describe('the profiles store', () => {
  it('saves by host, replaces a host, lists sorted, deletes', async () => {
    expect(await saveProfile(profile('zeta.example'))).toMatchObject({ ok: true });
    expect(await saveProfile(profile('alpha.example'))).toMatchObject({ ok: true });
    expect(await saveProfile(profile('alpha.example', { side: 'put' }))).toMatchObject({ ok: true });
    const list = await listProfiles();
    expect(list.problems).toEqual([]);
    expect(list.profiles.map((p) => [p.host, p.side])).toEqual([
      ['alpha.example', 'put'],
      ['zeta.example', null],
    ]);
    expect((await getProfile('ALPHA.example'))?.side).toBe('put');
    const raw = await browser.storage.local.get('teachProfiles');
    expect(Object.keys((raw.teachProfiles as { byHost: object }).byHost).sort()).toEqual([
      'alpha.example',
      'zeta.example',
    ]);

    expect(await deleteProfile('alpha.example')).toEqual({ ok: true });
    expect(await deleteProfile('alpha.example')).toEqual({
      ok: false,
      message: 'No profile is stored for alpha.example.',
    });
    expect((await listProfiles()).profiles.map((p) => p.host)).toEqual(['zeta.example']);
  });

  it('refuses an invalid profile with the reason and stores nothing', async () => {
    const r = await saveProfile({ ...profile('a.com'), columns: [] });
    expect(r).toEqual({ ok: false, message: expect.stringMatching(/^Not saved: columns: expected a non-empty list/) });
    expect(await browser.storage.local.get('teachProfiles')).toEqual({});
  });

  it('reports a damaged stored entry without deleting it', async () => {
    await saveProfile(profile('good.com'));
    const raw = (await browser.storage.local.get('teachProfiles')).teachProfiles as { byHost: Record<string, unknown> };
    raw.byHost['bad.com'] = { version: 1, host: 'bad.com' };
    await browser.storage.local.set({ teachProfiles: raw });
    const list = await listProfiles();
    expect(list.profiles.map((p) => p.host)).toEqual(['good.com']);
    expect(list.problems).toEqual([expect.stringMatching(/^The profile for bad\.com is damaged \(rowSelector/)]);
    const after = (await browser.storage.local.get('teachProfiles')).teachProfiles as { byHost: object };
    expect(Object.keys(after.byHost)).toContain('bad.com');
  });

  it('exports and imports back; reports taken, replaced and refused', async () => {
    await saveProfile(profile('one.com', { createdAt: '2026-01-02T03:04:05.000Z' }));
    await saveProfile(profile('two.com'));
    const exp = await exportProfiles({ now: new Date('2026-02-01T00:00:00Z') });
    expect(exp).toMatchObject({
      format: PROFILES_EXPORT_FORMAT,
      formatVersion: 1,
      exportedAt: '2026-02-01T00:00:00.000Z',
    });
    const text = JSON.stringify(exp);

    fakeBrowser.reset();
    await saveProfile(profile('two.com', { side: 'call' }));
    const withBad = JSON.stringify({ ...exp, profiles: [...exp.profiles, { host: 'x.com' }, profile('one.com')] });
    const r = await importProfiles(withBad);
    expect(r.ok).toBe(true);
    expect(r.taken).toEqual([
      { host: 'one.com', replaced: false },
      { host: 'two.com', replaced: true },
    ]);
    expect(r.refused).toEqual([
      { index: 2, host: 'x.com', reason: expect.stringMatching(/^version/) },
      { index: 3, host: 'one.com', reason: 'a later duplicate of a host already in this file' },
    ]);
    expect((await listProfiles()).profiles).toEqual(exp.profiles);

    fakeBrowser.reset();
    expect((await importProfiles(text)).taken).toHaveLength(2);
    expect((await exportProfiles({ now: new Date('2026-02-01T00:00:00Z') })).profiles).toEqual(exp.profiles);
  });

  it('refuses unusable files with what to do', async () => {
    expect(await importProfiles('{nope')).toMatchObject({
      ok: false,
      message: expect.stringMatching(/not valid JSON/),
    });
    expect(await importProfiles({ format: PROFILES_EXPORT_FORMAT, formatVersion: 9, profiles: [] })).toMatchObject({
      ok: false,
      message: expect.stringMatching(/newer HedgeLens.*Update the extension/),
    });
    expect(await importProfiles({ hello: 1 })).toMatchObject({
      ok: false,
      message: expect.stringMatching(/not a HedgeLens/),
    });
    expect(await importProfiles(profile('single.com'))).toMatchObject({ ok: true, taken: [{ host: 'single.com' }] });
  });
});

describe('the content script’s read of its own site’s profile', () => {
  it('finds the stored profile of the host (any case), nothing for another host or a damaged entry', async () => {
    await saveProfile(profile('desk.example:8443'));
    expect(await readSiteProfile('Desk.Example:8443')).toMatchObject({ host: 'desk.example:8443', side: null });
    expect(await readSiteProfile('desk.example')).toBeNull();
    await browser.storage.local.set({
      teachProfiles: { version: 1, byHost: { 'bad.example': { version: 1, host: 'bad.example', columns: [] } } },
    });
    expect(await readSiteProfile('bad.example')).toBeNull();
  });

  it('never throws: unreadable storage reads as no profile', async () => {
    await browser.storage.local.set({ teachProfiles: 'garbage' });
    expect(await readSiteProfile('desk.example')).toBeNull();
    const spy = vi.spyOn(browser.storage.local, 'get').mockRejectedValue(new Error('Extension context invalidated.'));
    expect(await readSiteProfile('desk.example')).toBeNull();
    spy.mockRestore();
  });
});
