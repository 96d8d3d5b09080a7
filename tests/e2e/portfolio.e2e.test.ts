/**
 * The portfolio view in real Chromium: two positions kept in storage, on two expiries (as the overlay saves them,
 * built here by the same engine in Node), shown together in Options → Positions and portfolio. The combined greeks
 * on the page equal the sum computed here independently (Black–Scholes–Merton per leg on the marks kept with each
 * position); a corrupt record is set aside with a clear message.
 */
import { expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { bsmGreeks } from '../../src/engine/pricing/black';
import { createEngine } from '../../src/worker/engine';
import type { StoredPosition } from '../../src/storage/positionRecord';
import { meta, ready, syntheticChain } from '../helpers/workerChain';
import { outboundRequests } from './harness';
import { useExtensionSession } from './suite';

const e2e = useExtensionSession();
declare const chrome: { storage: { local: { set(v: Record<string, unknown>): Promise<void> } } };

/** The overlay's record of a condor on `expiry` (the engine's suggested strikes there, entered as strikes). */
async function positionOn(expiry: string): Promise<StoredPosition> {
  const engine = createEngine(undefined, () => new Date('2026-03-18T20:00:00Z'));
  await engine.setChain(syntheticChain({ weekly: true }), meta);
  const s = ready(await engine.setExpiry(expiry));
  const strikes = s.analysis!.condor!.strikes;
  const entered = ready(await engine.setPosition({ kind: 'strikes', strikes, quantity: 2, credit: null }));
  expect(entered.analysis!.condor!.expiry).toBe(expiry);
  const r = await engine.positionRecord(Date.parse('2026-03-18T20:00:00Z'));
  if (!r) throw new Error('no record');
  return r;
}

/** Dollar greeks of a stored position, computed here from its legs and kept marks. */
function greeksOf(p: StoredPosition): number[] {
  const sum = [0, 0, 0, 0];
  for (const l of p.legs) {
    if (l.asset !== 'option') throw new Error('option legs only here');
    const m = p.market!.legs.find((x) => x.contract === l.occ)!;
    const g = bsmGreeks({
      kind: l.kind,
      spot: p.market!.spot,
      strike: l.strike,
      years: m.years,
      vol: m.vol,
      rate: m.rate,
      dividendYield: m.rate - m.carry,
    });
    const k = l.quantity * l.multiplier;
    [g.delta, g.gamma, g.vegaPerVolPoint, g.thetaPerDay].forEach((v, i) => (sum[i]! += v * k));
  }
  return sum;
}

async function shownGreeks(page: Page, row: string): Promise<number[]> {
  return page
    .locator(row)
    .locator('td[data-greek]')
    .evaluateAll((tds) => tds.map((td) => Number(td.getAttribute('data-value'))));
}

test('two positions in two expiries: the combined greeks are the sum of each leg’s, computed independently', async () => {
  const weekly = await positionOn('2026-04-03');
  const monthly = await positionOn('2026-04-17');
  expect(weekly.id).not.toBe(monthly.id);
  await e2e.session.serviceWorker.evaluate(
    async (items) => {
      await chrome.storage.local.set(items);
    },
    {
      [`position:${weekly.id}`]: weekly,
      [`position:${monthly.id}`]: monthly,
      'position:broken': { version: 1, id: 'broken' },
    },
  );
  const page = await e2e.session.context.newPage();
  await page.goto(`chrome-extension://${e2e.session.extensionId}/options.html`);
  await expect.poll(() => page.getByTestId('portfolio-row').count(), { timeout: 15_000 }).toBe(2);

  const a = greeksOf(weekly);
  const b = greeksOf(monthly);
  const combined = await shownGreeks(page, '[data-testid="portfolio-combined"]');
  combined.forEach((v, i) => expect(v).toBeCloseTo(a[i]! + b[i]!, 6));
  // Each row is its own position's; the two differ (the check can fail).
  const rows = await page
    .getByTestId('portfolio-row')
    .evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-id')));
  const w = await shownGreeks(page, `[data-testid="portfolio-row"][data-id="${weekly.id}"]`);
  w.forEach((v, i) => expect(v).toBeCloseTo(a[i]!, 6));
  expect(rows.sort()).toEqual([weekly.id, monthly.id].sort());
  expect(a[2]).not.toBeCloseTo(b[2]!, 0);

  // The corrupt record: set aside with a sentence, the others shown.
  await expect
    .poll(() => page.getByTestId('portfolio-quarantined').textContent())
    .toMatch(/1 stored position could not be read and was set aside, not deleted \(position:broken: /);
  // Keyboard: the betas are fields with names.
  await expect(page.getByLabel('Beta of QQQ').inputValue()).resolves.toBe('1.15');
  await page.close();
  expect(outboundRequests(e2e.session)).toEqual([]);
});
