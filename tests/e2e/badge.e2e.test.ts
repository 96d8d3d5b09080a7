/**
 * The toolbar badge in real Chromium (issue 17): on the demo page it shows the tab's ALVH stage — the same stage
 * the popup names — on the threat's colour, with the stage and threat in words in its title; a page without a chain
 * in the same tab clears it. Notifications stay off and their permission is not granted unless asked for.
 */
import { expect, test } from 'vitest';
import { openPopup, openWithOverlay } from './harness';
import { useExtensionSession } from './suite';

const e2e = useExtensionSession();

declare const chrome: {
  tabs: { query(q: Record<string, unknown>): Promise<{ id?: number; url?: string }[]> };
  action: {
    getBadgeText(d: { tabId: number }): Promise<string>;
    getTitle(d: { tabId: number }): Promise<string>;
    getBadgeBackgroundColor(d: { tabId: number }): Promise<number[]>;
  };
  permissions: { contains(p: { permissions: string[] }): Promise<boolean> };
};

/** The badge of the window's active tab (tab URLs are not visible to HedgeLens: it has no "tabs" permission). */
const badgeOf = () =>
  e2e.session.serviceWorker.evaluate(async () => {
    const [tab] = await chrome.tabs.query({ active: true, windowType: 'normal' });
    if (tab?.id === undefined) return null;
    const d = { tabId: tab.id };
    return {
      text: await chrome.action.getBadgeText(d),
      title: await chrome.action.getTitle(d),
      color: await chrome.action.getBadgeBackgroundColor(d),
    };
  });

test('the badge shows the stage the popup names; a page without a chain clears it', async () => {
  const url = e2e.server.url('demo/spy-2025-09-25.html');
  const { page } = await openWithOverlay(e2e.session, url, { ready: 'condor-legs', timeout: 30_000 });
  try {
    const popup = await openPopup(e2e.session, page);
    const stage = (await popup.getByTestId('popup-stage').textContent({ timeout: 20_000 }))!.trim();
    await popup.close();
    await page.bringToFront();
    const letters: Record<string, string> = {
      Calm: 'OK',
      'Layer One': 'L1',
      'Second Engine': 'SE',
      'Time-shift': 'TS',
      Unwind: 'UW',
    };
    await expect.poll(async () => (await badgeOf())?.text, { timeout: 10_000 }).toBe(letters[stage]);
    const badge = (await badgeOf())!;
    expect(badge.title).toMatch(
      new RegExp(
        `^HedgeLens on SPY: stage ${stage}, (short strikes not threatened|a short strike threatened|a short strike tested \\(the price is at or beyond it\\))$`,
      ),
    );
    // The colour is one of the three threat colours (#1b6e3a, #8a4b00, #b3261e), opaque.
    expect([
      [27, 110, 58, 255],
      [138, 75, 0, 255],
      [179, 38, 30, 255],
    ]).toContainEqual(badge.color);
    expect(
      await e2e.session.serviceWorker.evaluate(() => chrome.permissions.contains({ permissions: ['notifications'] })),
    ).toBe(false);

    // The same tab moves to a page without a chain: the badge goes.
    const plain = e2e.server.url('e2e/no-chain.html');
    await page.goto(plain);
    await expect.poll(async () => (await badgeOf())?.text, { timeout: 15_000 }).toBe('');
  } finally {
    await page.close();
  }
});
