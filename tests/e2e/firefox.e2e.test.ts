/**
 * The core end-to-end path in a second real browser: Debian's firefox-esr (headless, WebDriver BiDi through
 * puppeteer-core) with the MV2 `wxt build -b firefox` output installed as a temporary add-on.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  FIREFOX,
  FIREFOX_APT,
  MOZ_ORIGIN,
  firefoxAvailable,
  firefoxOverlayFrame,
  launchFirefoxExtension,
  openFirefoxPopup,
  testIdText,
  type FirefoxSession,
} from './firefoxHarness';
import { FIXTURES, startFixtureServer, type FixtureServer } from './harness';

const available = firefoxAvailable();
if (!available) {
  console.warn(`\n[firefox e2e] SKIPPED: no Firefox at ${FIREFOX}. Install it with: ${FIREFOX_APT}\n`);
}

declare const browser: {
  storage: { local: { get(k: string | null): Promise<Record<string, unknown>>; set(v: object): Promise<void> } };
};

let server: FixtureServer;
let session: FirefoxSession;
/** Hits on /__probe: a URL only the CSP test asks for, so a non-zero count means a request got through. */
let probeHits = 0;

describe.skipIf(!available)('HedgeLens in real Firefox (firefox-esr, MV2 build, temporary add-on)', () => {
  beforeAll(async () => {
    server = await startFixtureServer({
      '/__probe': () => {
        probeHits++;
        return 'probe';
      },
    });
    session = await launchFirefoxExtension();
  });
  afterAll(async () => {
    await session?.close();
    await server?.close();
  });

  async function newPage(): Promise<{ page: Page; errors: string[] }> {
    const page = await session.browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    return { page, errors };
  }

  test('overlay appears on a strict-CSP page with the worker’s straddle; the popup shows the same tab', async () => {
    const { page, errors } = await newPage();
    const response = await page.goto(server.url('e2e/simple-straddle.html', { csp: 'strict' }));
    expect(response?.headers()['content-security-policy']).toContain("frame-src 'none'");

    const frame = await firefoxOverlayFrame(page);
    expect(await frame.evaluate(() => location.href)).toMatch(new RegExp(`^${MOZ_ORIGIN}/overlay\\.html`));
    await expect
      .poll(() => testIdText(frame, 'strikes-read'), { timeout: 20_000 })
      .toContain('11 strikes read for SPX 2026-03-20');
    // Hand-checked in tests/fixtures/e2e/README.md: 43.10 + 37.50 at 6,625 (computed in the frame's worker).
    await expect.poll(() => testIdText(frame, 'straddle-mid'), { timeout: 10_000 }).toBe('80.60');
    expect(await frame.evaluate(() => document.body.textContent?.includes('ATM straddle @ 6,625'))).toBe(true);
    // The page's own DOM holds only the empty dock.
    expect(await page.evaluate(() => document.querySelectorAll('hedgelens-dock').length)).toBe(1);
    expect(await page.evaluate(() => document.querySelector('hedgelens-dock')?.textContent ?? null)).toBe('');
    expect(errors).toEqual([]);

    const popup = await openFirefoxPopup(session, page);
    await expect
      .poll(() => testIdText(popup, 'strikes-read'), { timeout: 15_000 })
      .toContain('11 strikes read for SPX 2026-03-20');
    await expect.poll(() => testIdText(popup, 'straddle-mid'), { timeout: 10_000 }).toBe('80.60');
    await popup.close();
    await page.close();
  });

  test('the demo page (real Cboe SPX quotes) under the strictest CSP', async () => {
    const expected = JSON.parse(readFileSync(join(FIXTURES, 'demo/spx-2026-03-14.expected.json'), 'utf8')) as {
      strikes: number;
      expiry: string;
      straddleMid: number;
    };
    const { page, errors } = await newPage();
    await page.goto(server.url('demo/spx-2026-03-14.html', { csp: 'strictest' }));
    const frame = await firefoxOverlayFrame(page);
    await expect
      .poll(() => testIdText(frame, 'strikes-read'), { timeout: 20_000 })
      .toContain(`${expected.strikes} strikes read for SPX ${expected.expiry}`);
    await expect
      .poll(() => testIdText(frame, 'straddle-mid'), { timeout: 10_000 })
      .toBe(expected.straddleMid.toFixed(2));
    await expect.poll(() => testIdText(frame, 'underlying-price')).toBe('6,632.19');
    expect(errors).toEqual([]);
    await page.close();
  });

  test('storage.local: written from the overlay frame, read back from the popup', async () => {
    const { page } = await newPage();
    await page.goto(server.url('e2e/simple-straddle.html', { csp: 'strict' }));
    const frame = await firefoxOverlayFrame(page);
    const value = { n: 42, at: new Date().toISOString(), text: 'probe ✓' };
    await frame.evaluate(async (v) => browser.storage.local.set({ 'e2e-probe': v }), value);
    const popup = await openFirefoxPopup(session, page);
    expect(await popup.evaluate(async () => (await browser.storage.local.get('e2e-probe'))['e2e-probe'])).toEqual(
      value,
    );
    // The extension's own records live in the same area (not only our probe).
    const keys = await popup.evaluate(async () => Object.keys(await browser.storage.local.get(null)));
    expect(keys).toContain('e2e-probe');
    await popup.close();
    await page.close();
  });

  test('teach mode: the popup starts it, two clicks and Enter save a profile that reads the page', async () => {
    const { page, errors } = await newPage();
    await page.goto(server.url('teach/desk.html', { csp: 'strict' }));
    const popup = await openFirefoxPopup(session, page);
    await expect.poll(() => testIdText(popup, 'no-chain'), { timeout: 15_000 }).toContain('No option chain found');
    await popup.click('[data-testid="teach-page"]');
    await popup.close().catch(() => {}); // it closes itself where the browser lets it
    await page.bringToFront();
    // The teach bar sits in a closed shadow root; the cells the trader clicks get a mark the page can see.
    const cell = async (row: number, col: number) => {
      const rows = await page.$$('#board > .q');
      const cells = await rows[row]!.$$(':scope > *');
      return cells[col]!;
    };
    await expect
      .poll(() => page.evaluate(() => document.querySelectorAll('hedgelens-teach').length), { timeout: 10_000 })
      .toBe(1);
    await (await cell(4, 2)).click(); // strike 220
    await expect
      .poll(() => page.evaluate(() => document.querySelector('[data-hedgelens-teach]')?.textContent ?? null))
      .toBe('220');
    await (await cell(4, 0)).click(); // its call bid
    // The broker's page never saw those clicks: no order ticket opened.
    expect(await page.evaluate(() => document.body.getAttribute('data-tickets'))).toBeNull();
    // The preview, with the focus on Save: drawn in the same task that marks the rows it read (teachMode.ts).
    await expect
      .poll(() => page.evaluate(() => document.querySelectorAll('[data-hedgelens-teach~="row"]').length), {
        timeout: 10_000,
      })
      .toBeGreaterThan(0);
    await page.keyboard.press('Enter');
    const frame = await firefoxOverlayFrame(page);
    await expect
      .poll(() => testIdText(frame, 'strikes-read'), { timeout: 20_000 })
      .toContain('9 strikes read for IWM 2026-12-18');
    // Hand-checked in tests/fixtures/teach/README.md: 5.20 + 5.70 at 220.
    await expect.poll(() => testIdText(frame, 'straddle-mid'), { timeout: 10_000 }).toBe('10.90');
    expect(await page.evaluate(() => document.querySelectorAll('hedgelens-teach, [data-hedgelens-teach]').length)).toBe(
      0,
    );
    const host = new URL(server.origin).host;
    const stored = await frame.evaluate(async () => (await browser.storage.local.get('teachProfiles')).teachProfiles);
    expect(stored).toMatchObject({ version: 1, byHost: { [host]: { host, rowSelector: '#board > div.q' } } });
    expect(errors).toEqual([]);
    await page.close();
  });

  test('extension pages cannot connect anywhere, not even to loopback (CSP connect-src none)', async () => {
    const { page } = await newPage();
    await page.goto(server.url('e2e/simple-straddle.html', { csp: 'strict' }));
    const frame = await firefoxOverlayFrame(page);
    const probe = `${server.origin}/__probe`;
    const outcome = await frame.evaluate(async (u) => {
      try {
        await fetch(u);
        return 'connected';
      } catch (e) {
        return `refused: ${String(e)}`;
      }
    }, probe);
    expect(outcome).toMatch(/^refused/);
    expect(probeHits).toBe(0);
    // Control: the same URL from the fixture page itself (same origin) does reach the server.
    expect(await page.evaluate(async (u) => (await fetch(u)).text(), probe)).toBe('probe');
    expect(probeHits).toBe(1);
    await page.close();
  });

  test('nothing left the machine from any context (the guard itself is checked with a control request)', async () => {
    expect(session.trap.outbound).toEqual([]);
    // Control: a page without CSP asks for a remote URL; the trap must see it, proving the guard is live.
    const { page } = await newPage();
    await page.goto(server.url('e2e/no-chain.html'));
    await page.evaluate(() => fetch('http://guard-control.invalid/ping', { mode: 'no-cors' }).catch(() => null));
    await expect
      .poll(() => session.trap.outbound, { timeout: 5_000 })
      .toEqual(['GET http://guard-control.invalid/ping']);
    await page.close();
  });
});
