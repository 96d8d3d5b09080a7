/**
 * The overlay's position kept in storage, in real Chromium: a Layer One ticket added to the position at a fill the
 * trader types, then the page reloaded and the browser restarted on the same profile — the condor, the hedge and the
 * journal (with that fill) are all still there, and nothing of them is in the page's DOM.
 */
import { expect, test } from 'vitest';
import type { Frame, Page } from 'playwright-core';
import { clickArrived, launchExtension, openWithOverlay, outboundRequests, overlayReady, readStorage } from './harness';
import { useFixtureServer, useTempDir } from './suite';
import { netPerUnit } from '../../src/positions/journal';
import type { StoredPosition } from '../../src/storage/positionRecord';

const e2e = useFixtureServer();
const profileDir = useTempDir('hedgelens-positions-');
const PAGE = 'demo/spy-2025-09-25.html';
const KEY = 'position:overlay-SPY-2025-10-24';

const text = async (frame: Frame, id: string) => ((await frame.getByTestId(id).first().textContent()) ?? '').trim();

/** What the overlay shows of the position: the condor, each hedge, each journal entry. */
async function shownPosition(frame: Frame) {
  return {
    condor: await text(frame, 'condor-legs'),
    hedges: await frame.getByTestId('position-hedge').allTextContents(),
    journal: await frame.getByTestId('journal-entry').allTextContents(),
  };
}

/** Nothing of the position in the broker page's own DOM (the overlay lives in a closed shadow root's frame). */
async function pageHasNoPosition(page: Page, words: string[]) {
  const html = await page.content();
  for (const w of words) expect(html).not.toContain(w);
  expect(await page.evaluate(() => document.querySelector('hedgelens-dock')?.textContent ?? '')).toBe('');
}

test('a Layer One hedge with its fill survives a page reload and a browser restart', async () => {
  let session = await launchExtension({ profileDir });
  const url = e2e.server.url(PAGE, { csp: 'strict' });
  const opened = await openWithOverlay(session, url, { ready: 'condor-legs', viewport: { width: 1280, height: 900 } });
  let page = opened.page;
  let frame = opened.frame;

  // The trader's condor, then the VIX for the plan.
  await frame.getByLabel('Condor as strikes, quantity and credit').fill('620/630/690/700 x2 @ 1.50');
  await clickArrived(frame, frame.getByRole('button', { name: 'Set' }), 'Set');
  await expect.poll(() => text(frame, 'condor-legs')).toBe('2 × 620 / 630 / 690 / 700 · 2025-10-24 · 29d');
  await frame.getByLabel('VIX now', { exact: false }).first().fill('28');
  await frame.getByLabel('Previous close', { exact: false }).first().fill('16.18');
  await clickArrived(frame, frame.getByRole('button', { name: 'Use this VIX' }), 'Use this VIX');
  const ticket = frame.locator('article[data-layer="layer-one"]').first();
  await ticket.waitFor({ timeout: 15_000 });
  const title = ((await ticket.locator('.hl-alvh-ticket-title').textContent()) ?? '').trim();
  const quantity = Number(/× (\d+)$/.exec(title)![1]);
  // A fill 0.05 worse than the ticket's natural price (its placeholder).
  const natural = Number(await ticket.locator('.hl-fill-input').getAttribute('placeholder'));
  const fill = Math.round((natural + 0.05) * 100) / 100;
  await ticket.locator('.hl-fill-input').fill(String(fill));
  await ticket.getByRole('button', { name: /^Add to position: / }).click();
  await expect.poll(() => frame.getByTestId('position-hedge').count()).toBe(1);
  await expect.poll(() => frame.getByTestId('journal-entry').count()).toBe(1);

  // Kept in storage.local: the condor, the hedge at that fill, the journal entry.
  await expect
    .poll(async () => ((await readStorage(session))[KEY] as StoredPosition | undefined)?.journal.length ?? 0, {
      timeout: 10_000,
    })
    .toBe(1);
  const stored = (await readStorage(session))[KEY] as StoredPosition;
  expect(stored.condor).toEqual({ expiry: '2025-10-24', strikes: [620, 630, 690, 700], quantity: 2, credit: 1.5 });
  expect(stored.hedges).toHaveLength(1);
  expect(stored.journal[0]!.action).toBe('add');
  expect(netPerUnit(stored.journal[0]!.fills, quantity)).toBeCloseTo(fill, 6);
  expect(stored.legs.length).toBe(4 + stored.hedges[0]!.legs.length);
  const before = await shownPosition(frame);
  expect(before.hedges[0]).toContain(title);
  expect(before.journal[0]).toMatch(/Added/);
  const occ = stored.journal[0]!.fills[0]!.asset === 'option' ? stored.journal[0]!.fills[0]!.occ : '';
  expect(occ).toMatch(/^SPY {3}251\d{3}P\d{8}$/);
  await pageHasNoPosition(page, [occ, 'Adjustment journal']);

  // Reload: the same position, hedge and journal.
  await page.reload();
  frame = await overlayReady(page, session, 'condor-legs');
  await expect.poll(() => frame.getByTestId('journal-entry').count(), { timeout: 15_000 }).toBe(1);
  await expect.poll(() => shownPosition(frame)).toEqual(before);

  expect(outboundRequests(session)).toEqual([]);
  await session.close({ keepProfile: true });

  // Browser restart on the same profile: a new persistent context, the same page.
  session = await launchExtension({ profileDir });
  const again = await openWithOverlay(session, url, { ready: 'condor-legs', viewport: { width: 1280, height: 900 } });
  page = again.page;
  frame = again.frame;
  await expect.poll(() => frame.getByTestId('journal-entry').count(), { timeout: 15_000 }).toBe(1);
  await expect.poll(() => shownPosition(frame)).toEqual(before);
  await pageHasNoPosition(page, [occ, 'Adjustment journal']);

  // Closing the hedge at the natural price: recorded, the hedge gone, still kept after a reload.
  await clickArrived(frame, frame.getByRole('button', { name: `Close ${title}` }), `Close ${title}`);
  await expect.poll(() => frame.getByTestId('journal-entry').count()).toBe(2);
  await expect.poll(() => frame.getByTestId('position-hedge').count()).toBe(0);
  await expect
    .poll(async () => ((await readStorage(session))[KEY] as StoredPosition | undefined)?.journal.length ?? 0, {
      timeout: 10_000,
    })
    .toBe(2);
  await page.reload();
  frame = await overlayReady(page, session, 'condor-legs');
  await expect.poll(() => frame.getByTestId('journal-entry').count(), { timeout: 15_000 }).toBe(2);
  expect(await text(frame, 'journal-pnl')).toMatch(/realised/);
  expect(outboundRequests(session)).toEqual([]);
  await session.close({ keepProfile: true });
});
