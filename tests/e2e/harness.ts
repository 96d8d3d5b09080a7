/**
 * End-to-end harness: Debian's Chromium (playwright-core, no browser download) with the `wxt build` output
 * loaded unpacked, a fixture server on 127.0.0.1 that can send any CSP, helpers for the extension's pages
 * and storage, and a network guard that fails a test when any request would leave the machine.
 */
import { createServer, type Server } from 'node:http';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve } from 'node:path';
import { chromium, type BrowserContext, type Frame, type Locator, type Page, type Worker } from 'playwright-core';

export const REPO = resolve(import.meta.dirname, '../..');
export const OUT_DIR = process.env.HEDGELENS_OUT_DIR
  ? resolve(REPO, process.env.HEDGELENS_OUT_DIR)
  : join(REPO, '.output');
export const CHROME_BUILD = join(OUT_DIR, 'chrome-mv3');
export const FIREFOX_BUILD = join(OUT_DIR, 'firefox-mv2');
/** Where `npm run zip` puts the release builds and their packages (never loopback: see wxt.config.ts). */
export const RELEASE_DIR = join(REPO, '.output-release');
const VERSION = (JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string }).version;
export const RELEASE_ZIPS = {
  chrome: join(RELEASE_DIR, `hedgelens-${VERSION}-chrome.zip`),
  firefox: join(RELEASE_DIR, `hedgelens-${VERSION}-firefox.zip`),
  sources: join(RELEASE_DIR, `hedgelens-${VERSION}-sources.zip`),
};
export const FIXTURES = join(REPO, 'tests/fixtures');
export const CHROMIUM = process.env.HEDGELENS_CHROMIUM ?? '/usr/bin/chromium';

/** Named CSPs a fixture URL can ask for with ?csp=<name>. */
export const CSP: Record<string, string> = {
  strict: "default-src 'self'; script-src 'self'; worker-src 'self'; frame-src 'none'",
  strictest: "default-src 'self'; script-src 'self'; worker-src 'self'; frame-src 'none'; child-src 'none'",
};

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.csv': 'text/csv; charset=utf-8',
  '.png': 'image/png',
};

export interface FixtureServer {
  origin: string;
  url(path: string, opts?: { csp?: keyof typeof CSP }): string;
  close(): Promise<void>;
}

/** Serves tests/fixtures (and any extra routes) on 127.0.0.1 with an ephemeral port. */
export async function startFixtureServer(extra: Record<string, () => string> = {}): Promise<FixtureServer> {
  const server: Server = createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://127.0.0.1');
    const headers: Record<string, string> = { 'cache-control': 'no-store' };
    const csp = u.searchParams.get('csp');
    if (csp) {
      const policy = CSP[csp];
      if (!policy) {
        res.writeHead(400).end(`unknown csp ${csp}`);
        return;
      }
      headers['content-security-policy'] = policy;
    }
    const route = extra[u.pathname];
    if (route) {
      res.writeHead(200, { ...headers, 'content-type': TYPES['.html']! }).end(route());
      return;
    }
    const file = normalize(join(FIXTURES, decodeURIComponent(u.pathname)));
    if (!file.startsWith(FIXTURES) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404, headers).end('not found');
      return;
    }
    res.writeHead(200, { ...headers, 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    res.end(readFileSync(file));
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const addr = server.address();
  if (!addr || typeof addr === 'string') throw new Error('fixture server has no port');
  const origin = `http://127.0.0.1:${addr.port}`;
  return {
    origin,
    url: (path, opts) => `${origin}/${path.replace(/^\//, '')}${opts?.csp ? `?csp=${opts.csp}` : ''}`,
    close: () =>
      new Promise((ok) => {
        server.close(() => ok());
        server.closeAllConnections(); // a browser's idle keep-alive sockets would otherwise hold close() open
      }),
  };
}

export interface ExtensionSession {
  context: BrowserContext;
  extensionId: string;
  serviceWorker: Worker;
  /** Every URL any page, frame or worker of this browser asked for. */
  requests: string[];
  /** Requests the guard refused because they would have left the machine. */
  blocked: string[];
  profileDir: string;
  close(opts?: { keepProfile?: boolean }): Promise<void>;
}

const LOCAL = /^(chrome-extension|moz-extension|data|blob|about|chrome):|^https?:\/\/(127\.0\.0\.1|localhost)(:\d+)?\//;
export function isLocalUrl(url: string): boolean {
  return LOCAL.test(url);
}

export async function launchExtension(
  opts: {
    profileDir?: string;
    headless?: boolean;
    extensionDir?: string;
    /** Another way to start the same Chromium (a bench's wrapper that pins it to one core); CHROMIUM by default. */
    executablePath?: string;
  } = {},
): Promise<ExtensionSession> {
  const extensionDir = opts.extensionDir ?? CHROME_BUILD;
  if (!existsSync(join(extensionDir, 'manifest.json'))) {
    throw new Error(`No extension build at ${extensionDir}: run \`npm run build:test\` first.`);
  }
  if (!existsSync(CHROMIUM)) throw new Error(`No Chromium at ${CHROMIUM}: apt-get install -y chromium`);
  const profileDir = opts.profileDir ?? mkdtempSync(join(tmpdir(), 'hedgelens-e2e-'));
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: opts.executablePath ?? CHROMIUM,
    headless: opts.headless ?? true,
    viewport: { width: 1280, height: 800 },
    args: [
      `--disable-extensions-except=${extensionDir}`,
      `--load-extension=${extensionDir}`,
      '--no-sandbox',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
      '--disable-gpu',
    ],
  });
  const requests: string[] = [];
  const blocked: string[] = [];
  context.on('request', (r) => requests.push(r.url()));
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (isLocalUrl(url)) return route.continue();
    blocked.push(url);
    return route.abort('blockedbyclient');
  });
  const serviceWorker =
    context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker', { timeout: 30_000 }));
  const extensionId = new URL(serviceWorker.url()).host;
  const session: ExtensionSession = {
    context,
    extensionId,
    serviceWorker,
    requests,
    blocked,
    profileDir,
    async close(closeOpts) {
      openSessions.delete(session);
      await context.close();
      if (!closeOpts?.keepProfile && !opts.profileDir) rmSync(profileDir, { recursive: true, force: true });
    },
  };
  openSessions.add(session);
  return session;
}

/** Browsers launched and not yet closed: a test that fails half-way leaves its browser here for the file's cleanup. */
const openSessions = new Set<ExtensionSession>();

/** Closes every browser a test left open (suite.ts calls it after each file), so none outlives its file. */
export async function closeOpenSessions(): Promise<void> {
  await Promise.all([...openSessions].map((s) => s.close().catch(() => undefined)));
}

/** The overlay frame docked on a page (waits for it to appear). */
export async function overlayFrame(page: Page, extensionId: string, timeout = 20_000): Promise<Frame> {
  const prefix = `chrome-extension://${extensionId}/overlay.html`;
  const deadline = Date.now() + timeout;
  for (;;) {
    const frame = page.frames().find((f) => f.url().startsWith(prefix));
    if (frame) return frame;
    if (Date.now() > deadline) throw new Error(`overlay frame did not appear on ${page.url()} within ${timeout} ms`);
    await page.waitForTimeout(100);
  }
}

/**
 * A new tab on `url` and the overlay frame docked on it. With `ready`, also waits (up to `timeout`, 20 s by
 * default) for the element with that test id in the frame. `viewport` sets the tab's size before it loads.
 * The tab is closed again when it fails to get there.
 */
export async function openWithOverlay(
  session: ExtensionSession,
  url: string,
  opts: { viewport?: { width: number; height: number }; ready?: string; timeout?: number } = {},
): Promise<{ page: Page; frame: Frame }> {
  const page = await session.context.newPage();
  try {
    if (opts.viewport) await page.setViewportSize(opts.viewport);
    await page.goto(url);
    const frame = opts.ready
      ? await overlayReady(page, session, opts.ready, opts.timeout)
      : await overlayFrame(page, session.extensionId);
    return { page, frame };
  } catch (err) {
    await page.close().catch(() => undefined);
    throw err;
  }
}

/** After `page.reload()` (or any navigation): the overlay frame again, once `ready` (a test id) is in it. */
export async function overlayReady(
  page: Page,
  session: ExtensionSession,
  ready: string,
  timeout = 20_000,
): Promise<Frame> {
  const frame = await overlayFrame(page, session.extensionId);
  await frame.getByTestId(ready).waitFor({ timeout });
  return frame;
}

/**
 * How long a test waits for a save's result. A save is two engine round trips and three storage calls; on an idle
 * machine it answers in well under a second, but CI once saw no result within 10 s on a loaded runner (the panel
 * showed the condor and no error). The deadline is for the event, not a speed check: `npm run bench` measures speed.
 */
export const SAVE_DEADLINE_MS = 30_000;

/**
 * Clicks a control inside the overlay (an out-of-process extension frame) and makes sure the click reached it.
 *
 * On a loaded runner a synthetic click into the overlay was seen to vanish: CI showed no save result, no "Saving…"
 * state and no error 10–30 s after pressing Save, and once a condor typed and Set was still the suggested one 10 s
 * later, while the same steps pass every time on an idle machine. The browser routes a click on an out-of-process
 * frame by hit-testing the compositor's last frame, and a renderer starved of CPU can leave that routing behind,
 * so the click goes to the page under the dock. A real trader clicks again; so does this helper.
 *
 * The control is tagged just before the click and a capture listener on the frame's document notes a click whose
 * target lies inside a tagged element (checked as the event arrives, so a control the click removes still counts).
 * If none arrived within 5 s the click is repeated (and said in the output), at most three times, with the frame's
 * tab brought to the front first: a click into the overlay of a tab behind another (a second tab the test opened, the
 * first-run page a fresh profile opens) was also seen to go astray, and a trader only ever clicks the tab in front.
 * A click that arrives and does nothing still fails the test that made it: this checks delivery, never the product's
 * answer.
 */
export async function clickArrived(frame: Frame, target: Locator, what: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    await target.evaluate((el) => {
      const w = window as unknown as { __hlArrived?: number; __hlListening?: boolean };
      if (!w.__hlListening) {
        w.__hlListening = true;
        document.addEventListener(
          'click',
          (e) => {
            const t = e.target instanceof Element ? e.target : null;
            if (t?.closest('[data-hl-e2e-press]')) w.__hlArrived = (w.__hlArrived ?? 0) + 1;
          },
          true,
        );
      }
      for (const old of document.querySelectorAll('[data-hl-e2e-press]')) old.removeAttribute('data-hl-e2e-press');
      el.setAttribute('data-hl-e2e-press', '');
      w.__hlArrived = 0;
    });
    if (attempt > 1) await frame.page().bringToFront();
    await target.click();
    const reached = await frame
      // Polled on a timer, not on animation frames: a click may hide the dock (teach mode), and a hidden frame
      // runs no animation frames.
      .waitForFunction(() => ((window as unknown as { __hlArrived?: number }).__hlArrived ?? 0) > 0, undefined, {
        timeout: 5000,
        polling: 100,
      })
      .then(
        () => true,
        () => false,
      );
    if (reached) return;
    if (attempt >= 3) throw new Error(`Three clicks on ${what} never reached the overlay (no click event arrived).`);
    console.log(`[e2e] click ${attempt} on ${what} never reached the overlay; clicking again`);
  }
}

/** Presses the overlay's Save button; the press is checked to have arrived (see clickArrived). */
export async function pressSave(frame: Frame): Promise<void> {
  await clickArrived(frame, frame.getByRole('button', { name: 'Save snapshot' }), 'Save');
}

/**
 * The overlay's save result as text, or, while there is none, what the panel says instead (so a poll that times out
 * shows the panel's state — a restart notice, an error — rather than a bare locator timeout).
 */
export async function saveResult(frame: Frame): Promise<string> {
  const el = frame.getByTestId('save-result');
  if ((await el.count()) > 0) return ((await el.textContent()) ?? '').trim();
  if ((await frame.getByTestId('save-busy').count()) > 0) return '(saving: the save is in flight)';
  const panel = await frame
    .locator('body')
    .innerText({ timeout: 2000 })
    .catch((err: unknown) => `(unreadable: ${String(err)})`);
  return `(no save result yet) ${panel.replace(/\s+/g, ' ').slice(0, 600)}`;
}

/**
 * Opens the popup the way a click on the toolbar icon shows it for the given tab: that tab is brought to the
 * front of its window, and the popup page opens in a separate popup window (so the tab stays active).
 */
export async function openPopup(session: ExtensionSession, forPage: Page): Promise<Page> {
  await forPage.bringToFront();
  const url = `chrome-extension://${session.extensionId}/popup.html`;
  const opened = session.context.waitForEvent('page', { predicate: (p) => p.url().startsWith(url), timeout: 15_000 });
  await session.serviceWorker.evaluate(async (u) => {
    await chrome.windows.create({ url: u, type: 'popup', width: 360, height: 480, focused: false });
  }, url);
  return opened;
}

/** Reads the extension's storage.local from its service worker. */
export async function readStorage(session: ExtensionSession): Promise<Record<string, unknown>> {
  return session.serviceWorker.evaluate(() => chrome.storage.local.get(null));
}

/** Asserts the guard saw nothing leave the machine; returns the offending URLs otherwise. */
export function outboundRequests(session: ExtensionSession): string[] {
  return [...new Set([...session.blocked, ...session.requests.filter((u) => !isLocalUrl(u))])];
}

declare const chrome: {
  windows: { create(o: Record<string, unknown>): Promise<unknown> };
  storage: { local: { get(k: null): Promise<Record<string, unknown>>; remove(k: string[]): Promise<void> } };
};

interface DomNode {
  nodeId: number;
  nodeType: number;
  localName?: string;
  nodeValue?: string;
  shadowRootType?: string;
  children?: DomNode[];
  shadowRoots?: DomNode[];
}

/**
 * A closed shadow root of the page's (the teach bar, the unread-chain notice) as DevTools sees it, over the Chrome
 * DevTools Protocol: page scripts cannot reach it, and neither can Playwright's locators. Its paragraphs and list
 * items as text, its spans outside those, its <pre> texts, its buttons with the centre of each on screen (to click with the mouse, as a
 * trader would), and the root's mode; null while the host element is not on the page.
 */
export async function closedShadowView(page: Page, hostTag: string) {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { root } = (await cdp.send('DOM.getDocument', { depth: -1, pierce: true })) as { root: DomNode };
    const find = (n: DomNode): DomNode | null => {
      if (n.localName === hostTag) return n;
      for (const c of n.children ?? []) {
        const hit = find(c);
        if (hit) return hit;
      }
      return null;
    };
    const host = find(root);
    const shadow = host?.shadowRoots?.[0];
    if (!host || !shadow) return null;
    const lines: string[] = [];
    const pres: string[] = [];
    const spans: string[] = [];
    const buttons: { name: string; nodeId: number }[] = [];
    const text = (n: DomNode): string =>
      n.nodeType === 3 ? (n.nodeValue ?? '') : n.localName === 'style' ? '' : (n.children ?? []).map(text).join('');
    const walk = (n: DomNode) => {
      if (n.localName === 'button') buttons.push({ name: text(n).trim(), nodeId: n.nodeId });
      if (n.localName === 'pre') pres.push(text(n));
      else if (n.localName === 'p' || n.localName === 'li') lines.push(text(n).trim());
      else if (n.localName === 'span') spans.push(text(n).trim());
      else for (const c of n.children ?? []) walk(c);
    };
    walk(shadow);
    const boxes: Record<string, { x: number; y: number }> = {};
    for (const b of buttons) {
      const { model } = (await cdp.send('DOM.getBoxModel', { nodeId: b.nodeId })) as { model: { content: number[] } };
      const q = model.content;
      boxes[b.name] = { x: (q[0]! + q[4]!) / 2, y: (q[1]! + q[5]!) / 2 };
    }
    return { mode: shadow.shadowRootType, lines, spans, pres, buttons: buttons.map((b) => b.name), boxes };
  } finally {
    await cdp.detach();
  }
}

/** A mouse click on a button of a closed shadow root (see closedShadowView), where it is on screen. */
export async function clickShadowButton(page: Page, hostTag: string, name: string): Promise<void> {
  const view = await closedShadowView(page, hostTag);
  const at = view?.boxes[name];
  if (!at) throw new Error(`no "${name}" button in <${hostTag}> (${JSON.stringify(view?.buttons)})`);
  await page.mouse.click(at.x, at.y);
}

/**
 * Removes the positions the overlay keeps (`position:` keys): a test that opens a page expecting the suggested
 * condor must not get the condor an earlier test of the file entered, restored from storage.
 */
export async function clearStoredPositions(session: ExtensionSession): Promise<void> {
  await session.serviceWorker.evaluate(async () => {
    const all = await chrome.storage.local.get(null);
    const keys = Object.keys(all).filter((k) => k.startsWith('position:'));
    if (keys.length > 0) await chrome.storage.local.remove(keys);
  });
}

/**
 * Starts watching a page while it works: its longest task over 50 ms and every value a `<progress>` (matching
 * `progressId` when given) shows. `pageWork` reads what was seen. The page must keep painting: a freeze check, not a
 * speed target.
 */
export async function watchPageWork(page: Page, progressId?: string): Promise<void> {
  await page.evaluate((id) => {
    const w = window as unknown as { __longest: number; __progress: number[] };
    w.__longest = 0;
    w.__progress = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.__longest = Math.max(w.__longest, e.duration);
    }).observe({ type: 'longtask', buffered: false });
    new MutationObserver((records) => {
      for (const r of records) {
        const t = r.target as Element;
        if (t.tagName === 'PROGRESS' && (!id || t.id === id)) w.__progress.push(Number(t.getAttribute('value')));
      }
    }).observe(document.body, { subtree: true, attributes: true, attributeFilter: ['value'] });
  }, progressId ?? null);
}

/** What watchPageWork saw: the longest task (ms, 0 if none over 50 ms) and the progress values in order. */
export async function pageWork(page: Page): Promise<{ longest: number; shown: number[] }> {
  return page.evaluate(() => {
    const w = window as unknown as { __longest: number; __progress: number[] };
    return { longest: w.__longest, shown: w.__progress };
  });
}
