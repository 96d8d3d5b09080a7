/**
 * The toolbar badge in real Chromium (issue 17): on the demo page it shows the tab's ALVH stage — the same stage
 * the popup names — on the threat's colour, with the stage and threat in words in its title; a page without a chain
 * in the same tab clears it. Notifications stay off and their permission is not granted unless asked for.
 *
 * The short-strike delta notification: Options shows its switch and threshold and refuses 1.5 with the reason;
 * turned on (in storage, as the permission cannot be granted without a person's click), the demo page's short delta
 * reaches the background and is judged there against the threshold. A notification itself cannot be observed in
 * headless Chromium (and without the permission none is drawn): what is checked is the background's record of the
 * crossing.
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
  storage: {
    local: {
      get(k: null): Promise<Record<string, unknown>>;
      set(v: Record<string, unknown>): Promise<void>;
      remove(k: string): Promise<void>;
    };
    session: { get(k: string): Promise<Record<string, unknown>> };
  };
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

test('short-strike delta: Options refuses 1.5 with the reason; turned on, the demo short’s delta is judged in the background', async () => {
  const options = await e2e.session.context.newPage();
  try {
    await options.goto(`chrome-extension://${e2e.session.extensionId}/options.html`);
    const on = options.getByRole('checkbox', { name: 'Notify me when a short strike’s delta reaches' });
    const field = options.getByRole('textbox', { name: /Short-strike delta to be notified at/ });
    await expect.poll(() => on.isEnabled()).toBe(true);
    expect(await on.isChecked()).toBe(false);
    expect(await field.inputValue()).toBe('0.30');
    await field.fill('1.5');
    await expect
      .poll(() => options.locator('#short-delta-err').textContent())
      .toBe('Too high: the largest delta allowed is 0.95 (a delta is at most 1).');
    expect(await field.getAttribute('aria-invalid')).toBe('true');
    await on.click();
    expect(await on.isChecked()).toBe(false);
    const stored = await e2e.session.serviceWorker.evaluate(() => chrome.storage.local.get(null));
    expect(stored).not.toHaveProperty('notifyShortDelta');
    expect(
      await e2e.session.serviceWorker.evaluate(() => chrome.permissions.contains({ permissions: ['notifications'] })),
    ).toBe(false);
  } finally {
    await options.close();
  }

  // On at 0.05: any short of the demo's condor is past it.
  await e2e.session.serviceWorker.evaluate(() =>
    chrome.storage.local.set({ notifyShortDelta: { on: true, threshold: 0.05 } }),
  );
  const { page } = await openWithOverlay(e2e.session, e2e.server.url('demo/spy-2025-09-25.html'), {
    ready: 'condor-legs',
    timeout: 30_000,
  });
  try {
    await page.bringToFront();
    const watch = () =>
      e2e.session.serviceWorker.evaluate(async () => {
        const [tab] = await chrome.tabs.query({ active: true, windowType: 'normal' });
        if (tab?.id === undefined) return null;
        const key = `tabWatch:${tab.id}`;
        return ((await chrome.storage.session.get(key))[key] ?? null) as { stage?: string; deltaZone?: string } | null;
      });
    await expect.poll(async () => (await watch())?.deltaZone, { timeout: 15_000 }).toBe('past');
    expect((await watch())?.stage).toMatch(/^(calm|layer-one|second-engine|time-shift|unwind)$/);
  } finally {
    await page.close();
    await e2e.session.serviceWorker.evaluate(() => chrome.storage.local.remove('notifyShortDelta'));
  }
});
