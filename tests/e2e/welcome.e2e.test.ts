import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, expect, test } from 'vitest';
import { REPO, launchExtension, outboundRequests, type ExtensionSession } from './harness';

// A fresh install opens the page once; an update (the reload button of chrome://extensions: onInstalled with
// reason 'update') does not. A restart cannot stand for the update: Chromium installs a --load-extension build
// afresh at every start. The listener's reasons are also checked in tests/background/welcome.test.ts.
let session: ExtensionSession | null = null;
afterAll(async () => {
  await session?.close();
});

declare const chrome: {
  tabs: { query(q: Record<string, never>): Promise<{ url?: string; pendingUrl?: string }[]> };
  runtime: { getManifest(): { commands?: Record<string, { suggested_key?: { default?: string } }> } };
};
interface DeveloperPrivate {
  updateProfileConfiguration(c: { inDeveloperMode: boolean }): Promise<void>;
  reload(id: string, o: { failQuietly: boolean }): Promise<void>;
}

/** The tabs open in the browser, as the extension's service worker sees them (all of them, not only ours). */
async function tabUrls(s: ExtensionSession): Promise<string[]> {
  return s.serviceWorker.evaluate(async () => (await chrome.tabs.query({})).map((t) => t.url ?? t.pendingUrl ?? ''));
}

/** What the accessibility tree says of the page: its roles and names (Chromium's own tree, via CDP). */
async function axNodes(page: Page): Promise<{ role: string; name: string }[]> {
  const cdp = await page.context().newCDPSession(page);
  const { nodes } = (await cdp.send('Accessibility.getFullAXTree')) as {
    nodes: { ignored?: boolean; role?: { value?: string }; name?: { value?: string } }[];
  };
  await cdp.detach();
  return nodes
    .filter((n) => !n.ignored)
    .map((n) => ({ role: String(n.role?.value ?? ''), name: String(n.name?.value ?? '') }));
}

test('the first-run page opens once on install: where it works, Read/Teach/Report, privacy, shortcuts; accessible, light and dark', async () => {
  session = await launchExtension();
  const url = `chrome-extension://${session.extensionId}/welcome.html`;
  const page =
    session.context.pages().find((p) => p.url() === url) ??
    (await session.context.waitForEvent('page', { predicate: (p) => p.url() === url, timeout: 30_000 }));
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.getByRole('heading', { level: 1, name: 'Welcome to HedgeLens' }).waitFor();

  // What a newcomer needs.
  const h2 = await page.getByRole('heading', { level: 2 }).allInnerTexts();
  expect(h2).toEqual(['Where it works', 'Any other page', 'The hedge plan', 'Your data stays here', 'Keyboard']);
  const sites = await page.getByRole('list', { name: 'Sites read by default' }).getByRole('listitem').allInnerTexts();
  expect(sites).toContain('schwab.com');
  expect(sites).toContain('finance.yahoo.com');
  expect(sites.some((s) => /127\.0\.0\.1|localhost/.test(s))).toBe(false);
  for (const words of ['Read this page', 'Teach this page', 'reading report', 'Nothing leaves your browser'])
    expect(await page.getByText(words).count(), words).toBeGreaterThan(0);
  await expect.poll(() => page.getByTestId('privacy-policy').count()).toBe(1);

  // The shortcuts it names are the ones the manifest declares.
  const commands = await session.serviceWorker.evaluate(() => chrome.runtime.getManifest().commands ?? {});
  const keys = Object.values(commands)
    .map((c) => c.suggested_key?.default)
    .filter((k): k is string => Boolean(k));
  expect(keys.sort()).toEqual(['Alt+Shift+H', 'Alt+Shift+S']);
  const shown = (await page.locator('.hlw-keys th').allInnerTexts()).map((t) => t.replace(/\s+/g, ''));
  expect(shown.sort()).toEqual(keys);

  // Options is one click away, and Options links back here.
  const optionsHref = await page.getByRole('link', { name: 'Options' }).first().getAttribute('href');
  expect(optionsHref).toBe(`chrome-extension://${session.extensionId}/options.html`);
  const options = await session.context.newPage();
  await options.goto(`chrome-extension://${session.extensionId}/options.html`);
  await options.getByRole('link', { name: /First steps/ }).click();
  await options.waitForURL(url);
  await options.getByRole('heading', { level: 1, name: 'Welcome to HedgeLens' }).waitFor();
  await options.close();

  // Accessibility: language, one h1, landmarks, every link, button and table header named.
  expect(await page.getAttribute('html', 'lang')).toBe('en');
  expect(await page.getByRole('heading', { level: 1 }).count()).toBe(1);
  expect(await page.getByRole('main').count()).toBe(1);
  expect(await page.getByRole('banner').count()).toBe(1);
  expect(await page.getByRole('contentinfo').count()).toBe(1);
  const tree = await axNodes(page);
  const unnamed = tree.filter((n) => ['link', 'button', 'rowheader', 'heading'].includes(n.role) && !n.name.trim());
  expect(unnamed).toEqual([]);
  expect(tree.filter((n) => n.role === 'region').map((n) => n.name)).toEqual(h2);

  // Light and dark follow the system, from theme.css.
  const colours = () =>
    page.evaluate(() => {
      const s = getComputedStyle(document.body);
      return [s.backgroundColor, s.color];
    });
  await page.emulateMedia({ colorScheme: 'light' });
  expect(await colours()).toEqual(['rgb(255, 255, 255)', 'rgb(20, 23, 28)']);
  await page.setViewportSize({ width: 900, height: 1100 });
  await page.screenshot({ path: join(REPO, 'docs/welcome.png'), fullPage: true });
  await page.emulateMedia({ colorScheme: 'dark' });
  expect(await colours()).toEqual(['rgb(22, 25, 30)', 'rgb(230, 233, 237)']);

  // Exactly one welcome tab.
  expect((await tabUrls(session)).filter((u) => u === url)).toHaveLength(1);
  expect(errors).toEqual([]);
  expect(outboundRequests(session)).toEqual([]);
  await page.close();
});

test('an update of HedgeLens does not open it again', async () => {
  const s = session!;
  const url = `chrome-extension://${s.extensionId}/welcome.html`;
  expect((await tabUrls(s)).filter((u) => u === url)).toEqual([]);
  const restarted = s.context.waitForEvent('serviceworker', { timeout: 30_000 });
  // The reload button of chrome://extensions, in developer mode (as faults.e2e.test.ts does).
  const manage = await s.context.newPage();
  await manage.goto('chrome://extensions');
  await manage.evaluate(async (id) => {
    const dev = (globalThis as unknown as { chrome: { developerPrivate: DeveloperPrivate } }).chrome.developerPrivate;
    await dev.updateProfileConfiguration({ inDeveloperMode: true });
    await dev.reload(id, { failQuietly: true });
  }, s.extensionId);
  const worker = await restarted;
  // The updated extension runs (an extension page loads), and it opened no welcome tab.
  const page = await s.context.newPage();
  await page.goto(`chrome-extension://${s.extensionId}/options.html`);
  await page.getByRole('heading', { level: 1, name: 'HedgeLens options' }).waitFor();
  const tabs = await worker.evaluate(async () => (await chrome.tabs.query({})).map((t) => t.url ?? t.pendingUrl ?? ''));
  expect(tabs.some((u) => u.endsWith('/options.html'))).toBe(true);
  expect(tabs.filter((u) => u === url)).toEqual([]);
  await manage.close();
});
