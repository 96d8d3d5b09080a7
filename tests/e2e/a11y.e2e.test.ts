/**
 * Automated accessibility audit (axe-core, Deque's maintained engine) of the overlay, popup, options, first-run and
 * snapshots pages in real Chromium, light and dark: no serious or critical violation of WCAG 2.1 A/AA. Then a keyboard-only
 * walkthrough of the main path: open the overlay, enter a condor, read the plan, save a snapshot.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createRequire } from 'node:module';
import type { Frame, Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import {
  clickArrived,
  FIXTURES,
  openPopup,
  clearStoredPositions,
  openWithOverlay,
  outboundRequests,
  readStorage,
  pressSave,
  saveResult,
  SAVE_DEADLINE_MS,
} from './harness';
import { useExtensionSession } from './suite';

const e2e = useExtensionSession();
const MACRO_FILE = resolve(FIXTURES, 'vix/authored_macro_2025.csv');
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface Finding {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/** axe-core on the document of a page or frame: the serious and critical violations (all are printed). */
async function audit(target: Page | Frame, what: string): Promise<Finding[]> {
  // Evaluated over the DevTools protocol, so the extension pages' CSP (script-src 'self') does not apply to it.
  await target.evaluate(AXE_SOURCE);
  const results = await target.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: {
          run(
            ctx: Document,
            opts: object,
          ): Promise<{
            violations: { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }[];
            passes: unknown[];
          }>;
        };
      }
    ).axe;
    const r = await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
      resultTypes: ['violations'],
    });
    return {
      passes: r.passes.length,
      violations: r.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        nodes: v.nodes.map((n) => n.target.join(' ')),
      })),
    };
  });
  console.log(
    `[a11y e2e] ${what}: ${results.violations.length} violations` +
      (results.violations.length
        ? ` — ${results.violations.map((v) => `${v.impact} ${v.id} (${v.nodes.length}: ${v.nodes.slice(0, 3).join(', ')})`).join('; ')}`
        : ''),
  );
  return results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

const extensionPage = async (path: string, dark: boolean): Promise<Page> => {
  const page = await e2e.session.context.newPage();
  await page.emulateMedia({ colorScheme: dark ? 'dark' : 'light' });
  await page.goto(`chrome-extension://${e2e.session.extensionId}/${path}`);
  await page.locator('main').first().waitFor();
  return page;
};

const demo = (dark: boolean) => e2e.server.url(dark ? 'demo/spy-2025-09-25-dark.html' : 'demo/spy-2025-09-25.html');

describe.each([
  { theme: 'light', dark: false },
  { theme: 'dark', dark: true },
])('axe-core, $theme', ({ theme, dark }) => {
  test(`overlay (${theme}) with a condor and the hedge plan`, async () => {
    const { page, frame } = await openWithOverlay(e2e.session, demo(dark), { ready: 'condor-legs', timeout: 30_000 });
    try {
      expect(await frame.evaluate(() => document.documentElement.dataset.theme ?? 'light')).toBe(theme);
      // The plan with its tickets: a VIX spike entered by hand.
      await frame.getByLabel('VIX now', { exact: false }).first().fill('28');
      await frame.getByLabel('Previous close', { exact: false }).first().fill('16.18');
      await clickArrived(frame, frame.getByRole('button', { name: 'Use this VIX' }), 'Use this VIX');
      await expect
        .poll(() => frame.getByRole('region', { name: 'ALVH hedge plan' }).textContent(), { timeout: 10_000 })
        .toMatch(/Layer One|Second Engine/);
      expect(await audit(frame, `overlay ${theme}`)).toEqual([]);
    } finally {
      await page.close();
    }
  });

  test(`popup (${theme}) for a tab with a chain`, async () => {
    const { page } = await openWithOverlay(e2e.session, demo(dark), { ready: 'condor-legs', timeout: 30_000 });
    const popup = await openPopup(e2e.session, page);
    try {
      await popup.emulateMedia({ colorScheme: dark ? 'dark' : 'light' });
      await expect.poll(() => popup.getByTestId('strikes-read').count(), { timeout: 15_000 }).toBe(1);
      expect(await audit(popup, `popup ${theme}`)).toEqual([]);
    } finally {
      await popup.close();
      await page.close();
    }
  });

  test(`options page (${theme})`, async () => {
    const page = await extensionPage('options.html', dark);
    try {
      await page.getByRole('heading', { name: 'VIX history' }).waitFor();
      expect(await audit(page, `options ${theme}`)).toEqual([]);
      // The macro calendar with stored dates, and a refused line with its error list.
      await page.getByLabel('Import a calendar CSV (type,date)').setInputFiles(MACRO_FILE);
      await page.getByTestId('mcal-list').waitFor();
      await page.getByLabel('Dates, one per line').fill('2025-13-01');
      await page.getByRole('button', { name: 'Add dates' }).click();
      await page.getByTestId('mcal-errors').waitFor();
      expect(await audit(page, `options ${theme}, macro calendar with dates and an error`)).toEqual([]);
    } finally {
      await page.close();
    }
  });

  test(`first-run page (${theme})`, async () => {
    const page = await extensionPage('welcome.html', dark);
    try {
      await page.getByRole('heading', { level: 1, name: 'Welcome to HedgeLens' }).waitFor();
      expect(await page.evaluate(() => matchMedia('(prefers-color-scheme: dark)').matches)).toBe(dark);
      expect(await audit(page, `first-run ${theme}`)).toEqual([]);
    } finally {
      await page.close();
    }
  });

  test(`snapshots page (${theme}): the list, a snapshot open, a comparison`, async () => {
    // Two snapshots to list and compare.
    const { page: tab, frame } = await openWithOverlay(e2e.session, demo(dark), {
      ready: 'condor-legs',
      timeout: 30_000,
    });
    const stored = async () => Object.keys(await readStorage(e2e.session)).filter((k) => k.startsWith('snap:')).length;
    while ((await stored()) < 2) {
      const before = await stored();
      await pressSave(frame);
      await expect.poll(stored, { timeout: 15_000 }).toBe(before + 1);
    }
    await tab.close();
    const page = await extensionPage('snapshots.html', dark);
    try {
      await expect
        .poll(() => page.getByTestId('list-count').textContent(), { timeout: 10_000 })
        .toMatch(/^\d+ snapshots/);
      expect(await audit(page, `snapshots list ${theme}`)).toEqual([]);
      await page
        .getByRole('button', { name: /^Open SPY/ })
        .first()
        .click();
      await page.getByTestId('snapshot-view').waitFor();
      expect(await audit(page, `snapshot open ${theme}`)).toEqual([]);
      await page.getByRole('button', { name: 'Close snapshot' }).click();
      const boxes = page.locator('[data-testid="snapshot-row"] input[type="checkbox"]');
      await boxes.nth(0).check();
      await boxes.nth(1).check();
      await page.getByRole('button', { name: 'Compare selected (2/2)' }).click();
      await page.getByTestId('compare-view').waitFor();
      expect(await audit(page, `snapshots compare ${theme}`)).toEqual([]);
    } finally {
      await page.close();
    }
  });
});

/** What has the keyboard focus: the element inside the overlay frame, or on the page. */
const focusIn = (frame: Frame) =>
  frame.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body || !document.hasFocus()) return '';
    const label =
      el.getAttribute('aria-label') ?? [...((el as HTMLInputElement).labels ?? [])].map((l) => l.textContent).join(' ');
    return `${el.tagName.toLowerCase()}|${label.trim()}|${el.textContent?.trim() ?? ''}`;
  });

/** Presses Tab until the overlay's focused element matches `want` (at most `max` presses); returns the presses. */
async function tabTo(page: Page, frame: Frame, want: RegExp, max = 120): Promise<number> {
  for (let i = 1; i <= max; i++) {
    await page.keyboard.press('Tab');
    if (want.test(await focusIn(frame))) return i;
  }
  throw new Error(`Tab did not reach ${want} in ${max} presses (last: ${await focusIn(frame)})`);
}

test('keyboard only: reach the overlay, enter a condor, read the plan, save a snapshot', async () => {
  const { page, frame } = await openWithOverlay(e2e.session, demo(false), { ready: 'condor-legs', timeout: 30_000 });
  try {
    const before = Object.keys(await readStorage(e2e.session)).filter((k) => k.startsWith('snap:')).length;
    // From the top of the broker's page, Tab reaches the overlay's condor field.
    await page.locator('body').focus();
    const presses = await tabTo(page, frame, /^input\|.*Condor as strikes/i, 200);
    await page.keyboard.type('620/630/690/700 @ 1.50');
    await page.keyboard.press('Enter');
    await expect
      .poll(() => frame.getByTestId('condor-legs').textContent(), { timeout: 10_000 })
      .toBe('620 / 630 / 690 / 700 · 2025-10-24 · 29d');
    // The VIX for the plan: its two fields and Enter.
    await tabTo(page, frame, /^input\|.*VIX now/i);
    await page.keyboard.type('28');
    await tabTo(page, frame, /^input\|.*Previous close/i, 3);
    await page.keyboard.type('16.18');
    await page.keyboard.press('Enter');
    const plan = frame.getByRole('region', { name: 'ALVH hedge plan' });
    await expect.poll(() => plan.textContent(), { timeout: 10_000 }).toMatch(/Layer One|Second Engine/);
    // Reading the plan: its tickets' actions are in the Tab order, each named for what it adds.
    await tabTo(page, frame, /^button\|Add to position: /);
    // Save: Tab round to the Save snapshot button, Enter.
    await tabTo(page, frame, /^button\|Save snapshot/, 200);
    await page.keyboard.press('Enter');
    await expect
      .poll(() => saveResult(frame), { timeout: SAVE_DEADLINE_MS })
      .toMatch(/^Saved snapshot: SPY 2025-10-24/);
    const after = Object.keys(await readStorage(e2e.session)).filter((k) => k.startsWith('snap:')).length;
    expect(after).toBe(before + 1);
    console.log(`[a11y e2e] keyboard walkthrough: the condor field after ${presses} Tab presses from the page's top`);
  } finally {
    await page.close();
  }
});

test('nothing left the machine', () => {
  expect(outboundRequests(e2e.session)).toEqual([]);
});

test('axe-core: the overlay offering the positions a page lists', async () => {
  await clearStoredPositions(e2e.session);
  const { page, frame } = await openWithOverlay(e2e.session, e2e.server.url('e2e/spy-positions.html'), {
    ready: 'condor-legs',
    timeout: 30_000,
  });
  try {
    await frame.getByTestId('page-offer').waitFor({ timeout: 20_000 });
    await clickArrived(frame, frame.getByTestId('page-offer-rejected').locator('summary'), 'page-offer-rejected');
    expect(await audit(frame, 'overlay, positions offered')).toEqual([]);
  } finally {
    await page.close();
  }
});
