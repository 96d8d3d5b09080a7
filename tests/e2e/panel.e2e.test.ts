/**
 * The trader's view in real Chromium: each way to enter a condor and both sliders, with the numbers on screen
 * checked against the engine run in Node on the same page; marks on the broker's rows; screenshots for docs/.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, beforeEach, describe, expect, test } from 'vitest';
import type { Frame, Page } from 'playwright-core';
import {
  clickArrived,
  FIXTURES,
  REPO,
  clearStoredPositions,
  openPopup,
  openWithOverlay,
  outboundRequests,
} from './harness';
import { useExtensionSession } from './suite';
import { readChainFromHtml } from '../../src/brokers/node';
import { createEngine, type PositionInput, type ReadyState } from '../../src/worker/engine';
import { fmtDollars, fmtNumber, fmtPercent, fmtStrike } from '../../src/ui/format';
import { STRUCTURE_LABEL, splitTickets } from '../../src/ui/alvh/view';
import { curvesAt } from '../helpers/workerChain';

const PAGE = 'demo/spy-2025-09-25.html';
const DOCS = join(REPO, 'docs');
beforeAll(() => {
  mkdirSync(DOCS, { recursive: true });
});
const e2e = useExtensionSession();
// The overlay keeps the condor a test entered (storage): each test starts from none.
beforeEach(() => clearStoredPositions(e2e.session));

/** The same engine in Node, on the chain read from the same saved page. */
async function nodeEngine(position: PositionInput) {
  const read = readChainFromHtml(readFileSync(join(FIXTURES, PAGE), 'utf8'), { url: `http://127.0.0.1/${PAGE}` });
  if (!read.ok) throw new Error(read.reason);
  const engine = createEngine();
  await engine.setChain(read.chain, {
    adapter: read.report.adapter,
    rowsRead: read.report.rowsRead,
    rowsDropped: read.report.rowsDropped,
    confidence: read.report.confidence,
    site: '127.0.0.1',
    pageUrl: `http://127.0.0.1/${PAGE}`,
    pageTitle: 'SPY',
  });
  const state = (await engine.setPosition(position)) as ReadyState;
  if (state.status !== 'ready' || !state.analysis?.condor) throw new Error('engine in Node has no condor');
  return { engine, state, risk: state.analysis.condor };
}

async function shown(frame: Frame, id: string): Promise<string> {
  return ((await frame.getByTestId(id).textContent()) ?? '').trim();
}

async function openDemo(path = PAGE): Promise<{ page: Page; frame: Frame }> {
  return openWithOverlay(e2e.session, e2e.server.url(path, { csp: 'strict' }), {
    viewport: { width: 1280, height: 900 },
    ready: 'condor-legs',
  });
}

describe('entering a condor three ways', () => {
  test('typed text: strikes, quantity and credit; the figures match the engine', async () => {
    const { page, frame } = await openDemo();
    await frame.getByLabel('Condor as strikes, quantity and credit').fill('620/630/690/700 x2 @ 1.50');
    await clickArrived(frame, frame.getByRole('button', { name: 'Set' }), 'Set');
    await expect.poll(() => shown(frame, 'condor-legs')).toBe('2 × 620 / 630 / 690 / 700 · 2025-10-24 · 29d');
    const { risk } = await nodeEngine({ kind: 'text', text: '620/630/690/700 x2 @ 1.50' });
    expect(await shown(frame, 'max-profit')).toBe('$300');
    expect(await shown(frame, 'max-loss')).toBe('−$1,700');
    expect(await shown(frame, 'credit')).toBe('1.50');
    expect(await shown(frame, 'breakevens')).toBe('628.50 – 691.50');
    expect(await shown(frame, 'pop')).toBe(fmtPercent(risk.probability.profitSkewAware));
    expect(await shown(frame, 'delta')).toBe(fmtNumber(risk.greeks.deltaDollarsPerPoint, 0));
    expect(await shown(frame, 'theta')).toBe(fmtNumber(risk.greeks.thetaDollarsPerDay, 0));
    // Bad text: a clear message, the previous condor stays.
    await frame.getByLabel('Condor as strikes, quantity and credit').fill('700/690/630/620');
    await clickArrived(frame, frame.getByRole('button', { name: 'Set' }), 'Set');
    await expect.poll(() => shown(frame, 'position-error')).toMatch(/order|K1/);
    await page.close();
  });

  test('delta targets build the same condor the engine builds', async () => {
    const { page, frame } = await openDemo();
    await frame.getByLabel('Condor from delta targets').fill('20-delta shorts, 10 wide');
    await clickArrived(frame, frame.getByRole('button', { name: 'Build' }), 'Build');
    const { risk } = await nodeEngine({ kind: 'targets', text: '20-delta shorts, 10 wide' });
    const legs = risk.strikes.map((k) => fmtStrike(k)).join(' / ');
    await expect.poll(() => shown(frame, 'condor-legs')).toBe(`${legs} · 2025-10-24 · 29d`);
    expect(risk.strikes[1] - risk.strikes[0]).toBe(10);
    expect(await shown(frame, 'max-loss')).toBe(fmtDollars(-risk.maxLossDollars));
    await page.close();
  });

  test('click-to-build: four rows picked on the broker’s chain; marks on the rows carry no numbers', async () => {
    // Leg marks on the page are opt-in (Options → On the broker's page).
    await e2e.session.serviceWorker.evaluate(() => chrome.storage.local.set({ markPositionRows: true }));
    const { page, frame } = await openDemo();
    await clickArrived(
      frame,
      frame.getByRole('button', { name: 'Pick 4 strikes on the chain' }),
      'Pick 4 strikes on the chain',
    );
    for (const k of ['700', '610', '620', '690']) {
      await page.locator('table.chain td.strike', { hasText: new RegExp(`^${k}$`) }).click();
    }
    await expect.poll(() => shown(frame, 'condor-legs')).toBe('610 / 620 / 690 / 700 · 2025-10-24 · 29d');
    const { risk } = await nodeEngine({ kind: 'strikes', strikes: [610, 620, 690, 700], quantity: 1 });
    expect(await shown(frame, 'credit')).toBe(fmtNumber(risk.creditUsed));
    // The broker's rows of the legs are marked, with styling hooks only.
    await expect
      .poll(() => page.locator('[data-hedgelens-mark~="leg"] td.strike').allTextContents())
      .toEqual(['610', '620', '690', '700']);
    expect(await page.evaluate(() => document.querySelector('hedgelens-dock')?.textContent ?? '')).toBe('');
    // Turned off again: the leg marks leave the page.
    await e2e.session.serviceWorker.evaluate(() => chrome.storage.local.set({ markPositionRows: false }));
    await expect.poll(() => page.locator('[data-hedgelens-mark~="leg"]').count()).toBe(0);
    await page.close();
  });
});

describe('sliders', () => {
  test('date and volatility shift redraw the P/L the engine computes', async () => {
    const { page, frame } = await openDemo();
    await frame.getByLabel('Condor as strikes, quantity and credit').fill('620/630/690/700 @ 1.50');
    await clickArrived(frame, frame.getByRole('button', { name: 'Set' }), 'Set');
    await expect.poll(() => shown(frame, 'condor-legs')).toMatch(/^620 \/ 630/);
    const { engine, state } = await nodeEngine({ kind: 'text', text: '620/630/690/700 @ 1.50' });
    const spot = state.analysis!.spot!;
    const atSpot = async (days: number, vol: number) => {
      const c = (await curvesAt(engine, { daysForward: days, volShiftPoints: vol }))!.at;
      let best = 0;
      for (let i = 1; i < c.prices.length; i++)
        if (Math.abs(c.prices[i]! - spot) < Math.abs(c.prices[best]! - spot)) best = i;
      return fmtDollars(c.pnlDollars[best], { sign: true });
    };
    await frame.getByTestId('date-slider').fill('14');
    await expect.poll(() => shown(frame, 'date-value')).toBe('+14d');
    await expect.poll(() => shown(frame, 'pnl-at-spot')).toBe(await atSpot(14, 0));
    await frame.getByTestId('vol-slider').fill('10');
    await expect.poll(() => shown(frame, 'vol-value')).toBe('+10 pts');
    await expect.poll(() => shown(frame, 'pnl-at-spot')).toBe(await atSpot(14, 10));
    expect(await atSpot(14, 10)).not.toBe(await atSpot(14, 0)); // the check can fail: the shift matters
    await page.close();
  });
});

describe('hedges in the position', () => {
  test('the first ticket added counts in max loss and greeks, is listed, and comes out again', async () => {
    const { page, frame } = await openDemo();
    await frame.getByLabel('VIX now', { exact: false }).first().fill('28');
    await frame.getByLabel('Previous close', { exact: false }).first().fill('16.18');
    await clickArrived(frame, frame.getByRole('button', { name: 'Use this VIX' }), 'Use this VIX');
    const add = frame.getByRole('button', { name: /^Add to position: .+$/ });
    await expect.poll(() => add.count(), { timeout: 10_000 }).toBeGreaterThan(0);

    // The same in Node: the plan's first ticket (the stage's own first, as the overlay lists them), added.
    const { engine, risk } = await nodeEngine({ kind: 'suggested' });
    const planned = (await engine.setManualVix(28, 16.18)) as ReadyState;
    const { active, reference } = splitTickets(planned.plan!);
    const ticket = [...active, ...reference][0]!;
    const label = STRUCTURE_LABEL[ticket.structure];
    expect(await add.first().getAttribute('aria-label')).toBe(`Add to position: ${label}`);
    const hedged = (await engine.addHedge(ticket)) as ReadyState;
    const pos = hedged.positionRisk!;

    const before = { loss: await shown(frame, 'max-loss'), delta: await shown(frame, 'delta') };
    expect(before).toEqual({
      loss: fmtDollars(-risk.maxLossDollars),
      delta: fmtNumber(risk.greeks.deltaDollarsPerPoint, 0),
    });
    await expect(frame.getByTestId('position-hedges').count()).resolves.toBe(0);
    await add.first().click();

    await expect.poll(() => frame.getByTestId('position-hedge').count()).toBe(1);
    expect(await shown(frame, 'position-hedge')).toContain(`${label} × ${ticket.quantity}`);
    await expect.poll(() => shown(frame, 'max-loss')).toBe(fmtDollars(-pos.maxLossDollars));
    expect(await shown(frame, 'delta')).toBe(fmtNumber(pos.greeks.deltaDollarsPerPoint, 0));
    expect(await shown(frame, 'vega')).toBe(fmtNumber(pos.greeks.vegaDollarsPerVolPoint, 0));
    expect(await shown(frame, 'theta')).toBe(fmtNumber(pos.greeks.thetaDollarsPerDay, 0));
    // The check can fail: the hedge moves the line.
    expect([await shown(frame, 'max-loss'), await shown(frame, 'delta')]).not.toEqual([before.loss, before.delta]);
    expect(await shown(frame, 'greeks-note')).toMatch(/include the hedge you added/);

    await clickArrived(
      frame,
      frame.getByRole('button', { name: `Remove ${label} × ${ticket.quantity} from position` }),
      `Remove ${label} × ${ticket.quantity} from position`,
    );
    await expect.poll(() => frame.getByTestId('position-hedge').count()).toBe(0);
    await expect.poll(() => shown(frame, 'max-loss')).toBe(before.loss);
    expect(await shown(frame, 'delta')).toBe(before.delta);
    // Nothing of the position reached the page's DOM.
    expect(await page.evaluate(() => document.querySelector('hedgelens-dock')?.textContent ?? '')).toBe('');
    await page.close();
  });
});

describe('screenshots a trader looks at (docs/)', () => {
  test('overlay light with the hedge plan, overlay dark, popup, options', async () => {
    const { page, frame } = await openDemo();
    await frame.getByLabel('VIX now', { exact: false }).first().fill('28');
    await frame.getByLabel('Previous close', { exact: false }).first().fill('16.18');
    await clickArrived(frame, frame.getByRole('button', { name: 'Use this VIX' }), 'Use this VIX');
    await expect
      .poll(() => frame.locator('.hl-alvh').first().textContent(), { timeout: 10_000 })
      .toMatch(/Layer One|Second Engine/);
    await page.screenshot({ path: join(DOCS, 'overlay-light.png') });
    await frame.locator('.hl-alvh').first().scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(DOCS, 'overlay-plan.png'), clip: { x: 860, y: 0, width: 420, height: 900 } });

    const dark = await openDemo('demo/spy-2025-09-25-dark.html');
    expect(await dark.frame.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    expect(await page.bringToFront().then(() => frame.evaluate(() => document.documentElement.dataset.theme))).toBe(
      'light',
    );
    await dark.page.bringToFront();
    await dark.page.screenshot({ path: join(DOCS, 'overlay-dark.png') });

    const popup = await openPopup(e2e.session, page);
    await popup.setViewportSize({ width: 340, height: 440 });
    await popup.getByTestId('popup-position').waitFor({ timeout: 15_000 });
    expect(await popup.getByTestId('popup-stage').textContent()).toMatch(/Layer One|Second Engine/);
    await popup.screenshot({ path: join(DOCS, 'popup.png') });
    await popup.close();

    const options = await e2e.session.context.newPage();
    await options.setViewportSize({ width: 900, height: 1100 });
    await options.goto(`chrome-extension://${e2e.session.extensionId}/options.html`);
    await options.waitForLoadState('load');
    await options.waitForTimeout(500);
    await options.screenshot({ path: join(DOCS, 'options.png') });
    await options.close();
    await dark.page.close();
    await page.close();
  });
});

test('nothing left the machine', () => {
  expect(outboundRequests(e2e.session)).toEqual([]);
});

declare const chrome: { storage: { local: { set(v: Record<string, unknown>): Promise<void> } } };
