/**
 * The positions a broker page lists, in real Chromium: on a page with a chain and a positions grid the overlay
 * offers them ("Positions found on this page … Use as my position"), names the legs it leaves out and the rows it
 * could not read; the button, pressed from the keyboard, makes the overlay's condor the page's legs (the 640 put sold
 * beside it held as a hedge) and the position is kept like any other; and HedgeLens adds nothing of the position to
 * the page's DOM.
 */
import { expect, test } from 'vitest';
import type { Frame, Page } from 'playwright-core';
import { clearStoredPositions, openWithOverlay, outboundRequests, readStorage } from './harness';
import { useExtensionSession } from './suite';
import type { StoredPosition } from '../../src/storage/positionRecord';

const e2e = useExtensionSession();
const PAGE = 'e2e/spy-positions.html';
const KEY = 'position:overlay-SPY-2025-10-24';

const text = async (frame: Frame, id: string) => ((await frame.getByTestId(id).first().textContent()) ?? '').trim();

/** The page's DOM as the page made it: HedgeLens's dock element and its row-mark attributes taken out. */
const pageOwnHtml = (page: Page) =>
  page.evaluate(() => {
    const copy = document.documentElement.cloneNode(true) as HTMLElement;
    copy.querySelectorAll('hedgelens-dock').forEach((d) => d.remove());
    copy.querySelectorAll('[data-hedgelens-mark]').forEach((el) => el.removeAttribute('data-hedgelens-mark'));
    copy.querySelector('#hedgelens-marks-style')?.remove();
    return copy.outerHTML;
  });

test('the page’s positions are offered, used from the keyboard, kept, and never written into the page', async () => {
  const { session, server } = e2e;
  await clearStoredPositions(session);
  const url = server.url(PAGE, { csp: 'strict' });
  const { page, frame } = await openWithOverlay(session, url, {
    ready: 'condor-legs',
    viewport: { width: 1280, height: 1000 },
  });
  const pageBefore = await pageOwnHtml(page);

  // The offer: the condor with its open credit, the leg beside it, what is left out and what was not read.
  await frame.getByTestId('page-offer').waitFor({ timeout: 20_000 });
  expect(await text(frame, 'page-offer-found')).toBe('SPY 24 Oct 620/630/690/700 ×2 @ 1.50 + 1 leg beside it');
  expect(await text(frame, 'page-offer')).toContain('(5 legs, 1 condor)');
  const notUsed = await frame.getByTestId('page-offer-not-used').locator('li').allTextContents();
  expect(notUsed).toEqual([
    "SPY 2025-11-21 600 put +1: 2025-11-21 is not an expiry of this page's chain",
    'QQQ 2025-10-24 560 put +3: another underlying than SPY',
  ]);
  expect(await frame.getByTestId('page-offer-rejected').locator('summary').textContent()).toBe(
    '2 rows of the page not read',
  );
  // Offered, not used: the overlay still shows its suggested condor.
  expect(await text(frame, 'condor-legs')).not.toContain('620 / 630 / 690 / 700');

  // Keyboard: focus the button and press Enter.
  const use = frame.getByRole('button', { name: 'Use as my position' });
  await use.focus();
  expect(await use.evaluate((el) => el === document.activeElement)).toBe(true);
  await page.keyboard.press('Enter');
  await expect
    .poll(() => text(frame, 'condor-legs'), { timeout: 15_000 })
    .toBe('2 × 620 / 630 / 690 / 700 · 2025-10-24 · 29d');
  await expect.poll(() => frame.getByTestId('position-hedge').count()).toBe(1);
  await frame.getByTestId('page-offer-in-use').waitFor();
  // The legs left out are still named once the page's position is in use.
  expect(await frame.getByTestId('page-offer-not-used').locator('li').count()).toBe(2);

  // Kept like any other position: the condor with the page's credit, the 640 put held beside it at its open price.
  await expect
    .poll(async () => ((await readStorage(session))[KEY] as StoredPosition | undefined)?.hedges.length ?? 0, {
      timeout: 10_000,
    })
    .toBe(1);
  const stored = (await readStorage(session))[KEY] as StoredPosition;
  expect(stored.condor).toEqual({ expiry: '2025-10-24', strikes: [620, 630, 690, 700], quantity: 2, credit: 1.5 });
  expect(stored.hedges[0]!.legs).toEqual([
    { underlying: 'SPY', root: 'SPY', kind: 'put', strike: 640, expiry: '2025-10-24', quantity: -1, entryPrice: 3.4 },
  ]);
  expect(stored.journal.map((e) => e.action)).toEqual(['open']);

  // Nothing of the position in the page: its own DOM is as it was, the dock shows no text, no leg is marked.
  expect(await pageOwnHtml(page)).toBe(pageBefore);
  expect(await page.evaluate(() => document.querySelector('hedgelens-dock')?.textContent ?? '')).toBe('');
  expect(await page.locator('[data-hedgelens-mark~="leg"]').count()).toBe(0);
  const html = await page.content();
  for (const w of ['Use as my position', 'Positions found', 'held beside', 'legs held']) expect(html).not.toContain(w);
  expect(outboundRequests(session)).toEqual([]);

  await page.screenshot({ path: '/tmp/hedgelens-page-offer-after.png' });
  await page.close();
});
