import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { FIXTURES, REPO, openPopup, openWithOverlay, outboundRequests, overlayFrame } from './harness';
import { useExtensionSession } from './suite';

const e2e = useExtensionSession();

describe('walking skeleton in real Chromium', () => {
  test('overlay appears on a strict-CSP page, counts the strikes and shows the worker’s straddle', async () => {
    const page = await e2e.session.context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const response = await page.goto(e2e.server.url('e2e/simple-straddle.html', { csp: 'strict' }));
    expect(response?.headers()['content-security-policy']).toContain("frame-src 'none'");

    const frame = await overlayFrame(page, e2e.session.extensionId);
    const region = frame.getByRole('region', { name: 'HedgeLens' });
    await region.waitFor();
    await expect
      .poll(() => frame.getByTestId('strikes-read').textContent(), { timeout: 20_000 })
      .toContain('11 strikes read for SPX 2026-03-20');
    // Hand-checked in tests/fixtures/e2e/README.md: 43.10 + 37.50 at 6,625.
    await expect.poll(() => frame.getByTestId('straddle-mid').textContent()).toBe('80.60');
    expect(await frame.getByText('ATM straddle @ 6,625').count()).toBe(1);
    // The page's own DOM holds only the empty dock: no numbers of ours.
    const pageText = await page.evaluate(() => document.querySelector('hedgelens-dock')?.textContent ?? '');
    expect(pageText).toBe('');
    expect(errors).toEqual([]);

    const popup = await openPopup(e2e.session, page);
    await expect
      .poll(() => popup.getByTestId('strikes-read').textContent(), { timeout: 15_000 })
      .toContain('11 strikes read for SPX');
    await expect.poll(() => popup.getByTestId('straddle-mid').textContent()).toBe('80.60');
    await popup.close();
    await page.close();
  });

  test('a page without an option chain gets no overlay, and the popup says so quietly', async () => {
    const page = await e2e.session.context.newPage();
    await page.goto(e2e.server.url('e2e/no-chain.html'));
    await page.waitForTimeout(1500);
    expect(page.frames().filter((f) => f.url().includes(e2e.session.extensionId))).toHaveLength(0);
    expect(await page.locator('hedgelens-dock').count()).toBe(0);
    const popup = await openPopup(e2e.session, page);
    await expect
      .poll(() => popup.getByTestId('no-chain').textContent(), { timeout: 15_000 })
      .toContain('No option chain found');
    await popup.close();
    await page.close();
  });
});

describe('the demo broker page (real Cboe SPX quotes) under a strict CSP', () => {
  test('reads every strike and shows the straddle computed from the CSV rows; screenshot for the README', async () => {
    const expected = JSON.parse(readFileSync(join(FIXTURES, 'demo/spx-2026-03-14.expected.json'), 'utf8')) as {
      strikes: number;
      expiry: string;
      atmStrike: number;
      straddleMid: number;
    };
    const { page, frame } = await openWithOverlay(
      e2e.session,
      e2e.server.url('demo/spx-2026-03-14.html', { csp: 'strictest' }),
    );
    await expect
      .poll(() => frame.getByTestId('strikes-read').textContent(), { timeout: 20_000 })
      .toContain(`${expected.strikes} strikes read for SPX ${expected.expiry}`);
    await expect.poll(() => frame.getByTestId('straddle-mid').textContent()).toBe(expected.straddleMid.toFixed(2));
    await expect.poll(() => frame.getByTestId('underlying-price').textContent()).toBe('6,632.19');
    mkdirSync(join(REPO, 'docs'), { recursive: true });
    await page.screenshot({ path: join(REPO, 'docs/overlay-demo.png') });
    await page.close();
  });
});

test('nothing left the machine', () => {
  expect(e2e.session.requests.length).toBeGreaterThan(0);
  expect(outboundRequests(e2e.session)).toEqual([]);
});
