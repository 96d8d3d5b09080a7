/**
 * The dock on the broker's page in real Chromium: dragged by its handle, moved with the arrow keys, kept on screen,
 * and put back where the trader left it after a reload (storage.local, per site).
 */
import { describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { openWithOverlay, outboundRequests, overlayReady, readStorage } from './harness';
import { useExtensionSession } from './suite';

const PAGE = 'demo/spy-2025-09-25.html';
const VIEW = { width: 1280, height: 900 };
const e2e = useExtensionSession();

async function open(): Promise<Page> {
  const { page } = await openWithOverlay(e2e.session, e2e.server.url(PAGE, { csp: 'strict' }), {
    viewport: VIEW,
    ready: 'condor-legs',
  });
  return page;
}

/** The dock's box and its distances from the viewport's right and bottom edges. */
async function box(page: Page) {
  return page.evaluate(() => {
    const r = document.querySelector('hedgelens-dock')!.getBoundingClientRect();
    return {
      left: r.left,
      top: r.top,
      width: r.width,
      height: r.height,
      right: Math.round(innerWidth - r.right),
      bottom: Math.round(innerHeight - r.bottom),
    };
  });
}

/** The handle is the strip at the top of the dock, above the frame. */
async function handlePoint(page: Page) {
  const b = await box(page);
  return { x: b.left + b.width / 2, y: b.top + 6 };
}

async function drag(page: Page, dx: number, dy: number) {
  const h = await handlePoint(page);
  await page.mouse.move(h.x, h.y);
  await page.mouse.down();
  await page.mouse.move(h.x + dx / 2, h.y + dy / 2, { steps: 4 });
  await page.mouse.move(h.x + dx, h.y + dy, { steps: 4 });
  await page.mouse.up();
}

const stored = async () => {
  const all = await readStorage(e2e.session);
  return Object.fromEntries(Object.entries(all).filter(([k]) => k.startsWith('dock:')));
};

describe('the dock moves and stays where it was left', () => {
  test('drag with the mouse, reload: the same place; the handle is named and carries no data', async () => {
    const page = await open();
    const start = await box(page);
    expect([start.right, start.bottom]).toEqual([16, 16]);
    await drag(page, -300, -40);
    const moved = await box(page);
    expect(moved.right).toBe(316);
    expect(moved.bottom).toBe(56);
    const host = new URL(page.url()).host;
    await expect.poll(stored).toEqual({ [`dock:${host}`]: { right: 316, bottom: 56 } });

    // Named for assistive technology (the closed shadow root is in the accessibility tree).
    const cdp = await e2e.session.context.newCDPSession(page);
    const { nodes } = (await cdp.send('Accessibility.getFullAXTree')) as {
      nodes: { role?: { value?: string }; name?: { value?: string } }[];
    };
    expect(nodes.some((n) => n.role?.value === 'button' && n.name?.value === 'Move the HedgeLens overlay')).toBe(true);
    await cdp.detach();
    expect(await page.evaluate(() => document.querySelector('hedgelens-dock')?.textContent ?? '')).toBe('');

    await page.reload();
    await overlayReady(page, e2e.session, 'condor-legs');
    await expect.poll(async () => [(await box(page)).right, (await box(page)).bottom]).toEqual([316, 56]);
    await page.close();
  });

  test('arrow keys move it 10 px, with Shift 50 px; it never goes off screen', async () => {
    const page = await open();
    await expect.poll(async () => (await box(page)).right).toBe(316); // the place left by the previous test
    const h = await handlePoint(page);
    await page.mouse.click(h.x, h.y); // focuses the handle without moving it
    const at = await box(page);
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowDown');
    expect(await box(page)).toMatchObject({ right: at.right + 10, bottom: at.bottom - 10 });
    await page.keyboard.press('Shift+ArrowRight');
    expect(await box(page)).toMatchObject({ right: at.right - 40, bottom: at.bottom - 10 });
    // The expanded dock is nearly the window's height: 50 px up would put its top off screen, so it stops there.
    const maxBottom = VIEW.height - at.height;
    expect(at.bottom - 10 + 50).toBeGreaterThan(maxBottom);
    await page.keyboard.press('Shift+ArrowUp');
    expect(await box(page)).toMatchObject({ right: at.right - 40, bottom: maxBottom, top: 0 });
    const host = new URL(page.url()).host;
    await expect.poll(stored).toEqual({ [`dock:${host}`]: { right: at.right - 40, bottom: maxBottom } });

    // Far past the top-left corner: it stops at the edges, whole.
    await drag(page, -5000, -5000);
    let b = await box(page);
    expect(b.left).toBe(0);
    expect(b.top).toBe(0);
    expect(b.right).toBe(VIEW.width - b.width);
    // Keys cannot push it off either.
    for (let i = 0; i < 3; i++) await page.keyboard.press('Shift+ArrowUp');
    b = await box(page);
    expect(b.top).toBe(0);
    // And past the bottom-right corner.
    await drag(page, 5000, 5000);
    b = await box(page);
    expect([b.right, b.bottom]).toEqual([0, 0]);
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowDown');
    expect((await box(page)).bottom).toBe(0);

    // A smaller window pulls it back on screen.
    await drag(page, -2000, -2000);
    await page.setViewportSize({ width: 900, height: 700 });
    await expect.poll(async () => (await box(page)).left >= 0 && (await box(page)).top >= 0).toBe(true);
    b = await box(page);
    expect(b.left + b.width).toBeLessThanOrEqual(900);
    expect(b.top + b.height).toBeLessThanOrEqual(700);
    await page.close();
  });
});

test('nothing left the machine', () => {
  expect(outboundRequests(e2e.session)).toEqual([]);
});
