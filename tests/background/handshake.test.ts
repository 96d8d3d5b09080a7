import { beforeEach, describe, expect, test } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { browser } from 'wxt/browser';
import { handleBackgroundMessage } from '../../src/background/main';

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
