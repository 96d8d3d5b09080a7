/**
 * Firefox end-to-end harness: Debian's firefox-esr headless, driven by puppeteer-core over WebDriver BiDi (no
 * geckodriver, no browser download), with the `wxt build -b firefox` output installed as a temporary add-on.
 *
 * The network guard is browser-wide: every non-loopback HTTP(S)/WebSocket request of ANY context (pages, the
 * overlay frame, the worker, the background page, Firefox itself) is sent to a trap proxy on 127.0.0.1 that
 * records its target and refuses it. Loopback requests (the fixture server) bypass the proxy. WebDriver BiDi
 * does not show the extension's own contexts, so request interception alone could not see them; the proxy can.
 */
import { existsSync } from 'node:fs';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import puppeteer, { type Browser, type Frame, type Page } from 'puppeteer-core';
import { FIREFOX_BUILD } from './harness';

export const FIREFOX = process.env.HEDGELENS_FIREFOX ?? '/usr/bin/firefox-esr';
/** The Debian package CI installs when FIREFOX is absent. */
export const FIREFOX_APT = 'apt-get install -y firefox-esr';
/** browser_specific_settings.gecko.id in wxt.config.ts. */
export const GECKO_ID = 'hedgelens@hedgelens.app';
/** Fixed moz-extension UUID (pref extensions.webextensions.uuids), so the extension's URLs are known in advance. */
export const FIREFOX_UUID = '3f0b8c52-6d1e-4a7b-9e25-c4d8a1f07b63';
export const MOZ_ORIGIN = `moz-extension://${FIREFOX_UUID}`;

export function firefoxAvailable(): boolean {
  return existsSync(FIREFOX);
}

export interface TrapProxy {
  port: number;
  /** Request targets that tried to leave the machine: "CONNECT host:443" or "GET http://host/path". */
  outbound: string[];
  /** Requests that reached the trap directly on loopback (Firefox's own services, pointed here on purpose). */
  local: string[];
  close(): Promise<void>;
}

/** A tiny HTTP "proxy" that records the request line of every connection and answers 403. */
export async function startTrapProxy(): Promise<TrapProxy> {
  const outbound: string[] = [];
  const local: string[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((sock) => {
    sockets.add(sock);
    sock.on('close', () => sockets.delete(sock));
    sock.on('error', () => {});
    let head = '';
    sock.on('data', (chunk) => {
      if (head.includes('\r\n')) return;
      head += chunk.toString('latin1');
      const end = head.indexOf('\r\n');
      if (end < 0) return;
      const line = head.slice(0, end);
      const [method = '', target = ''] = line.split(' ');
      // Proxied requests name an absolute URL (or host:port for CONNECT); direct ones a path.
      (target.startsWith('/') ? local : outbound).push(`${method} ${target}`);
      sock.end('HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\nconnection: close\r\n\r\n');
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    outbound,
    local,
    close: () =>
      new Promise((ok) => {
        for (const s of sockets) s.destroy();
        server.close(() => ok());
      }),
  };
}

export interface FirefoxSession {
  browser: Browser;
  uuid: string;
  trap: TrapProxy;
  url(path: string): string;
  close(): Promise<void>;
}

export async function launchFirefoxExtension(opts: { extensionDir?: string } = {}): Promise<FirefoxSession> {
  const extensionDir = opts.extensionDir ?? FIREFOX_BUILD;
  if (!existsSync(join(extensionDir, 'manifest.json'))) {
    throw new Error(`No Firefox build at ${extensionDir}: run \`npm run build:test\` first.`);
  }
  if (!firefoxAvailable()) throw new Error(`No Firefox at ${FIREFOX}: ${FIREFOX_APT}`);
  const trap = await startTrapProxy();
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX,
    headless: true,
    args: ['--remote-allow-system-access'],
    // Release builds ignore services.settings.server unless this is set; without it Firefox's remote-settings
    // client calls firefox.settings.services.mozilla.com, which the guard would (rightly) report.
    env: { ...process.env, MOZ_REMOTE_SETTINGS_DEVTOOLS: '1' },
    extraPrefsFirefox: {
      'extensions.webextensions.uuids': JSON.stringify({ [GECKO_ID]: FIREFOX_UUID }),
      // Every request that is not to loopback goes to the trap.
      'network.proxy.type': 1,
      'network.proxy.http': '127.0.0.1',
      'network.proxy.http_port': trap.port,
      'network.proxy.ssl': '127.0.0.1',
      'network.proxy.ssl_port': trap.port,
      'network.proxy.share_proxy_settings': false,
      'network.proxy.no_proxies_on': '',
      'network.proxy.allow_hijacking_localhost': false,
      'network.proxy.failover_direct': false,
      // Firefox's own remote settings talk to the trap directly (recorded as local, not as outbound).
      'services.settings.server': `http://127.0.0.1:${trap.port}/firefox-remote-settings/v1`,
    },
  });
  try {
    const id = await browser.installExtension(extensionDir);
    if (id !== GECKO_ID) throw new Error(`installed add-on id ${id}, expected ${GECKO_ID}`);
  } catch (e) {
    await browser.close();
    await trap.close();
    throw e;
  }
  return {
    browser,
    uuid: FIREFOX_UUID,
    trap,
    url: (path) => `${MOZ_ORIGIN}/${path.replace(/^\//, '')}`,
    async close() {
      await browser.close();
      await trap.close();
    },
  };
}

const sleep = (ms: number) => new Promise((ok) => setTimeout(ok, ms));

async function hrefOf(frame: Frame): Promise<string> {
  return frame.evaluate(() => location.href).catch(() => '');
}

/**
 * The overlay frame docked on a page. Over BiDi, puppeteer keeps reporting the extension iframe's URL as
 * about:blank after it navigates, so each child frame is asked for its own location.
 */
export async function firefoxOverlayFrame(page: Page, timeout = 20_000): Promise<Frame> {
  const prefix = `${MOZ_ORIGIN}/overlay.html`;
  const deadline = Date.now() + timeout;
  for (;;) {
    for (const frame of page.frames()) {
      if (frame === page.mainFrame()) continue;
      if ((await hrefOf(frame)).startsWith(prefix)) return frame;
    }
    if (Date.now() > deadline) throw new Error(`overlay frame did not appear on ${page.url()} within ${timeout} ms`);
    await sleep(100);
  }
}

/**
 * Opens the popup page for the given tab the way the Chromium harness does: in its own window, with the tab's
 * window focused again, so the popup's windows.getLastFocused({ windowTypes: ['normal'] }) finds that tab.
 * (In a tab of the same window, the popup page would be the active tab and ask itself.) The goto is not
 * awaited: over BiDi a navigation to a moz-extension URL does not report its load; we wait for the DOM.
 */
export async function openFirefoxPopup(session: FirefoxSession, forPage: Page, timeout = 15_000): Promise<Page> {
  const url = session.url('popup.html');
  const popup = await session.browser.newPage({ type: 'window' });
  void popup.goto(url).catch(() => {});
  await forPage.bringToFront();
  const deadline = Date.now() + timeout;
  for (;;) {
    const ready = await popup
      .evaluate(() => `${location.href} ${document.readyState} ${document.querySelector('main') ? 'main' : ''}`)
      .catch(() => '');
    if (ready.startsWith(url) && ready.endsWith('complete main')) return popup;
    if (Date.now() > deadline) throw new Error(`popup ${url} did not load within ${timeout} ms (last: ${ready})`);
    await sleep(100);
  }
}

/** textContent of the element with data-testid, or null (never throws while a page is settling). */
export async function testIdText(target: Page | Frame, testId: string): Promise<string | null> {
  return target
    .evaluate((id) => document.querySelector(`[data-testid="${id}"]`)?.textContent ?? null, testId)
    .catch(() => null);
}

/**
 * A browser call with a deadline. Some puppeteer calls over WebDriver BiDi (a click, a handle's evaluation, a
 * viewport change) have no timeout of their own; on a loaded machine one hung until the test's 90 s ran out, with
 * nothing said about which. This ends it with a sentence naming the step instead.
 */
export function within<T>(ms: number, what: string, call: Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, fail) => {
    timer = setTimeout(() => fail(new Error(`${what} did not finish within ${ms} ms`)), ms);
  });
  return Promise.race([call, late]).finally(() => clearTimeout(timer));
}

/**
 * The steps of a long test, the last of which is said if it fails (a timeout, an assertion or a hang), so a run on
 * a machine nobody can watch tells where it stopped and how long each step took.
 */
export function stepLog(name: string): { step(what: string): void; said(): string } {
  const started = Date.now();
  const steps: string[] = [];
  let last = started;
  return {
    step(what) {
      const now = Date.now();
      steps.push(`${what} (at ${((now - started) / 1000).toFixed(1)} s; the step before took ${now - last} ms)`);
      last = now;
    },
    said: () =>
      `[${name}] steps: ${steps.join(' → ')}; failed ${((Date.now() - last) / 1000).toFixed(1)} s into the last`,
  };
}
