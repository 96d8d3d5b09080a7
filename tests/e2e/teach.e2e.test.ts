/**
 * Teach mode end to end in real Chromium: a page the detector cannot read → the popup's "Teach this page" → two
 * clicks on the page → the preview → Save → the overlay reads the chain, the profile is in storage.local, and a
 * reload reads the page without teaching. The overlay's "Reading wrong?" entry starts the same mode.
 *
 * The teach bar lives in a closed shadow root (the page's scripts cannot read it); the test reads it the way
 * DevTools does, over the Chrome DevTools Protocol, and clicks its buttons at their boxes like a trader would.
 */
import { describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import {
  clickArrived,
  clickShadowButton,
  closedShadowView,
  openPopup,
  openWithOverlay,
  outboundRequests,
  overlayFrame,
  readStorage,
} from './harness';
import { useExtensionSession } from './suite';

const e2e = useExtensionSession();

/** The teach bar as DevTools sees it (closed shadow root included). */
const teachBar = (page: Page) => closedShadowView(page, 'hedgelens-teach');

async function barLines(page: Page): Promise<string[]> {
  return (await teachBar(page))?.lines ?? [];
}

/** A click on one of the bar's buttons, with the mouse, where it is on screen. */
const clickBarButton = (page: Page, name: string) => clickShadowButton(page, 'hedgelens-teach', name);

const cell = (page: Page, row: number, col: number) =>
  page.locator('#board > .q').nth(row).locator(':scope > *').nth(col);
const tickets = (page: Page) => page.evaluate(() => document.body.getAttribute('data-tickets'));

describe('teach mode in real Chromium', () => {
  test('the overlay’s “Reading wrong? Teach this page” starts teach mode; Escape ends it and the overlay returns', async () => {
    const { page, frame } = await openWithOverlay(
      e2e.session,
      e2e.server.url('e2e/simple-straddle.html', { csp: 'strict' }),
    );
    await expect
      .poll(() => frame.getByTestId('strikes-read').textContent(), { timeout: 20_000 })
      .toContain('11 strikes read for SPX');
    await clickArrived(frame, frame.getByTestId('teach-page'), 'teach-page');
    await expect
      .poll(() => barLines(page), { timeout: 10_000 })
      .toContain('Click a strike cell in any row of the chain (1/2)');
    // Out of the way while the trader clicks the page's rows.
    expect(await page.locator('hedgelens-dock').isHidden()).toBe(true);
    await page.keyboard.press('Escape');
    await expect.poll(() => page.locator('hedgelens-teach').count()).toBe(0);
    await expect.poll(() => page.locator('hedgelens-dock').isVisible()).toBe(true);
    expect(await page.locator('[data-hedgelens-teach], #hedgelens-teach-style').count()).toBe(0);
    expect((await readStorage(e2e.session)).teachProfiles).toBeUndefined();
    await page.close();
  });

  test('popup → two clicks → preview → Save: the overlay reads the chain; the profile is kept and used after a reload', async () => {
    const page = await e2e.session.context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(e2e.server.url('teach/desk.html', { csp: 'strict' }));

    const popup = await openPopup(e2e.session, page);
    await expect
      .poll(() => popup.getByTestId('no-chain').textContent(), { timeout: 15_000 })
      .toContain('No option chain found');
    const closed = popup.waitForEvent('close', { timeout: 10_000 });
    await popup.getByTestId('teach-page').click();
    await closed; // the popup gets out of the way: the trader clicks on the page now

    await expect
      .poll(() => barLines(page), { timeout: 10_000 })
      .toContain('Click a strike cell in any row of the chain (1/2)');
    const bar = await teachBar(page);
    expect(bar?.mode).toBe('closed');
    expect(await page.evaluate(() => document.querySelector('hedgelens-teach')?.shadowRoot ?? null)).toBeNull();
    // While teaching, the popup says so.
    const popup2 = await openPopup(e2e.session, page);
    await expect.poll(() => popup2.getByTestId('teaching').textContent(), { timeout: 15_000 }).toContain('Teaching');
    await popup2.close();

    await cell(page, 4, 2).click(); // strike 220
    expect(await cell(page, 4, 2).getAttribute('data-hedgelens-teach')).toContain('strike');
    await expect.poll(() => barLines(page)).toContain('Now click the Bid of the same row (2/2)');
    await cell(page, 4, 0).click(); // its call bid
    const host = new URL(e2e.server.origin).host;
    await expect.poll(() => barLines(page)).toContain('Reads 9 rows · strikes 200–240 · calls and puts');
    const lines = await barLines(page);
    expect(lines).toContain('The whole chain reads: IWM, expiry 2026-12-18, 9 rows.');
    expect(lines).toContain('220 · call 5.10 / 5.30 · put 5.60 / 5.80');
    expect((await teachBar(page))?.buttons).toEqual([`Save for ${host}`, 'Try again', 'Cancel']);
    // The broker's page never saw those clicks: no order ticket opened.
    expect(await tickets(page)).toBeNull();

    // Keyboard: the focus is on Save; Enter saves.
    await page.keyboard.press('Enter');
    const frame = await overlayFrame(page, e2e.session.extensionId);
    await expect
      .poll(() => frame.getByTestId('strikes-read').textContent(), { timeout: 20_000 })
      .toContain('9 strikes read for IWM 2026-12-18');
    // Hand-checked in tests/fixtures/teach/README.md: 5.20 + 5.70 at 220.
    await expect.poll(() => frame.getByTestId('straddle-mid').textContent()).toBe('10.90');
    await expect.poll(() => frame.getByTestId('reading-report').textContent()).toContain(`Read by teach:${host}`);
    expect(await page.locator('hedgelens-teach').count()).toBe(0);
    expect(await page.locator('[data-hedgelens-teach], #hedgelens-teach-style').count()).toBe(0);

    const stored = (await readStorage(e2e.session)).teachProfiles as {
      version: number;
      byHost: Record<string, unknown>;
    };
    expect(stored.version).toBe(1);
    expect(stored.byHost[host]).toMatchObject({
      version: 1,
      host,
      rowSelector: '#board > div.q',
      columns: [
        { index: 2, field: 'strike', side: null },
        { index: 0, field: 'bid', side: 'call' },
        { index: 1, field: 'ask', side: 'call' },
        { index: 3, field: 'bid', side: 'put' },
        { index: 4, field: 'ask', side: 'put' },
      ],
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });

    // Teaching is over: the page's own clicks work again.
    await cell(page, 1, 2).click();
    expect(await tickets(page)).toBe('1');

    // From now on this site is read with the profile, without teaching.
    await page.reload();
    const again = await overlayFrame(page, e2e.session.extensionId);
    await expect
      .poll(() => again.getByTestId('strikes-read').textContent(), { timeout: 20_000 })
      .toContain('9 strikes read for IWM 2026-12-18');
    await expect.poll(() => again.getByTestId('straddle-mid').textContent()).toBe('10.90');
    expect(await page.locator('hedgelens-teach').count()).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  });

  test('cells of two different rows: the bar says why; Try again and Cancel by mouse leave nothing behind', async () => {
    await e2e.session.serviceWorker.evaluate(() => chrome.storage.local.remove('teachProfiles'));
    const page = await e2e.session.context.newPage();
    await page.goto(e2e.server.url('teach/desk.html', { csp: 'strict' }));
    const popup = await openPopup(e2e.session, page);
    await expect.poll(() => popup.getByTestId('no-chain').count(), { timeout: 15_000 }).toBe(1);
    const closed = popup.waitForEvent('close', { timeout: 10_000 });
    await popup.getByTestId('teach-page').click();
    await closed;
    await expect
      .poll(() => barLines(page), { timeout: 10_000 })
      .toContain('Click a strike cell in any row of the chain (1/2)');
    await cell(page, 1, 2).click();
    await cell(page, 6, 3).click();
    await expect
      .poll(() => barLines(page))
      .toContain('Why: the two cells are in different rows: click a strike, then the Bid of that same row.');
    await clickBarButton(page, 'Try again');
    await expect.poll(() => barLines(page)).toContain('Click a strike cell in any row of the chain (1/2)');
    await clickBarButton(page, 'Cancel');
    await expect.poll(() => page.locator('hedgelens-teach').count()).toBe(0);
    expect(
      await page.locator('[data-hedgelens-teach], #hedgelens-teach-style, [data-hedgelens-teaching]').count(),
    ).toBe(0);
    expect(await tickets(page)).toBeNull();
    expect((await readStorage(e2e.session)).teachProfiles).toBeUndefined();
    await page.close();
  });
});

test('nothing left the machine', () => {
  expect(e2e.session.requests.length).toBeGreaterThan(0);
  expect(outboundRequests(e2e.session)).toEqual([]);
});

declare const chrome: { storage: { local: { remove(k: string): Promise<void> } } };
