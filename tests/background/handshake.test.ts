import { beforeEach, describe, expect, test } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { browser } from 'wxt/browser';
import { handleBackgroundMessage } from '../../src/background/main';
import { getProfile, listProfiles } from '../../src/storage/profiles';

const overlayUrl = () => browser.runtime.getURL('/overlay.html');
const tab = (id: number) =>
  ({ id, index: 0, highlighted: false, active: true, pinned: false, incognito: false }) as never;

describe('overlay handshake relay', () => {
  beforeEach(() => fakeBrowser.reset());

  test('the frame of the same tab claims the nonce exactly once', async () => {
    await handleBackgroundMessage({ type: 'hedgelens:register-frame', nonce: 'n-1' }, { tab: tab(7), frameId: 0 });
    const claim = { type: 'hedgelens:claim-frame' };
    expect(await handleBackgroundMessage(claim, { tab: tab(8), frameId: 3, url: overlayUrl() })).toEqual({
      nonce: null,
      tabId: 8,
    });
    expect(await handleBackgroundMessage(claim, { tab: tab(7), frameId: 3, url: overlayUrl() })).toEqual({
      nonce: 'n-1',
      tabId: 7,
    });
    expect(await handleBackgroundMessage(claim, { tab: tab(7), frameId: 3, url: overlayUrl() })).toEqual({
      nonce: null,
      tabId: 7,
    });
  });

  test('a sub-frame content script cannot register, and a non-extension sender cannot claim', async () => {
    expect(
      handleBackgroundMessage({ type: 'hedgelens:register-frame', nonce: 'x' }, { tab: tab(9), frameId: 2 }),
    ).toBeUndefined();
    await handleBackgroundMessage({ type: 'hedgelens:register-frame', nonce: 'y' }, { tab: tab(9), frameId: 0 });
    const fromPage = handleBackgroundMessage(
      { type: 'hedgelens:claim-frame' },
      { tab: tab(9), frameId: 0, url: 'http://127.0.0.1/x' },
    );
    expect(fromPage).toBeUndefined();
    expect(
      await handleBackgroundMessage({ type: 'hedgelens:claim-frame' }, { tab: tab(9), frameId: 1, url: overlayUrl() }),
    ).toEqual({ nonce: 'y', tabId: 9 });
  });

  test('unrelated messages are ignored', () => {
    expect(handleBackgroundMessage({ type: 'something-else' }, { tab: tab(1), frameId: 0 })).toBeUndefined();
    expect(handleBackgroundMessage('hello', { tab: tab(1), frameId: 0 })).toBeUndefined();
    expect(handleBackgroundMessage(null, {})).toBeUndefined();
  });
});

describe('teach-mode profiles saved for the tab that taught them', () => {
  beforeEach(() => fakeBrowser.reset());
  const taught = (host: string) => ({
    version: 1,
    host,
    rowSelector: '#q > p.r',
    columns: [
      { index: 2, field: 'strike', side: null },
      { index: 0, field: 'bid', side: 'call' },
    ],
    side: 'call',
    createdAt: '2026-05-01T14:00:00.000Z',
  });

  test('the top frame of a page on that host saves its profile (validated)', async () => {
    const reply = await handleBackgroundMessage(
      { type: 'hedgelens:save-profile', profile: taught('desk.example:8443') },
      { tab: tab(4), frameId: 0, url: 'https://Desk.example:8443/chain?acct=1' },
    );
    expect(reply).toMatchObject({ ok: true, profile: { host: 'desk.example:8443' } });
    expect(await getProfile('desk.example:8443')).toMatchObject({ rowSelector: '#q > p.r', side: 'call' });
  });

  test('another host’s profile, a sub-frame, or an invalid profile is not saved, with the reason', async () => {
    const other = await handleBackgroundMessage(
      { type: 'hedgelens:save-profile', profile: taught('bank.example') },
      { tab: tab(4), frameId: 0, url: 'https://desk.example/chain' },
    );
    expect(other).toEqual({
      ok: false,
      message:
        'Not saved: a page on desk.example may only save the profile of its own site (this one is for bank.example).',
    });
    expect(
      handleBackgroundMessage(
        { type: 'hedgelens:save-profile', profile: taught('desk.example') },
        { tab: tab(4), frameId: 2, url: 'https://desk.example/chain' },
      ),
    ).toBeUndefined();
    const invalid = await handleBackgroundMessage(
      { type: 'hedgelens:save-profile', profile: { ...taught('desk.example'), columns: [] } },
      { tab: tab(4), frameId: 0, url: 'https://desk.example/chain' },
    );
    expect(invalid).toMatchObject({ ok: false, message: expect.stringMatching(/^Not saved: columns/) });
    expect((await listProfiles()).profiles).toEqual([]);
  });
});
