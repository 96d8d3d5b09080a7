import { beforeEach, describe, expect, test } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { opensWelcome, openWelcomeOnInstall } from '../../src/background/welcome';
import { WELCOME_PATH } from '../../src/shared/pages';

// The background's onInstalled listener (entrypoints/background.ts registers it) on WXT's fake browser: an update (of HedgeLens or of the browser) must not
// open the first-run page again; only a fresh install does. (In e2e only the install can be seen: Chromium
// installs a --load-extension build afresh at every start.)
describe('the first-run page on runtime.onInstalled', () => {
  beforeEach(() => {
    fakeBrowser.reset();
    openWelcomeOnInstall();
  });
  const tabUrls = async () => (await fakeBrowser.tabs.query({})).map((t) => t.url).filter((u) => u !== undefined);

  test('install opens it, once', async () => {
    await fakeBrowser.runtime.onInstalled.trigger({ reason: 'install', temporary: false });
    expect(await tabUrls()).toEqual([fakeBrowser.runtime.getURL(WELCOME_PATH)]);
  });

  test('an update of HedgeLens or of the browser does not', async () => {
    await fakeBrowser.runtime.onInstalled.trigger({ reason: 'update', previousVersion: '0.0.9', temporary: false });
    await fakeBrowser.runtime.onInstalled.trigger({ reason: 'browser_update', temporary: false });
    expect(await tabUrls()).toEqual([]);
    expect(['install', 'update', 'chrome_update', 'browser_update'].filter(opensWelcome)).toEqual(['install']);
  });
});
