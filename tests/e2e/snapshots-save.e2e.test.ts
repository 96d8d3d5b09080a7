import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import {
  launchExtension,
  openPopup,
  outboundRequests,
  overlayFrame,
  readStorage,
  startFixtureServer,
  type FixtureServer,
} from './harness';

let server: FixtureServer;
const profileDir = mkdtempSync(join(tmpdir(), 'hedgelens-snap-'));
beforeAll(async () => {
  server = await startFixtureServer();
});
afterAll(async () => {
  await server?.close();
  rmSync(profileDir, { recursive: true, force: true });
});

const snapKeys = (all: Record<string, unknown>) => Object.keys(all).filter((k) => k.startsWith('snap:'));

test('a snapshot saved from the overlay survives a page reload and a browser restart', async () => {
  let session = await launchExtension({ profileDir });
  const page = await session.context.newPage();
  await page.goto(server.url('demo/spy-2025-09-25.html', { csp: 'strict' }));
  let frame = await overlayFrame(page, session.extensionId);
  await frame.getByTestId('condor-legs').waitFor({ timeout: 20_000 });
  await frame.getByRole('button', { name: 'Save snapshot' }).click();
  await expect
    .poll(() => frame.getByTestId('save-result').textContent(), { timeout: 10_000 })
    .toMatch(/^Saved snapshot: SPY 2025-10-24/);

  const stored = await readStorage(session);
  const keys = snapKeys(stored);
  expect(keys).toHaveLength(1);
  const snap = stored[keys[0]!] as {
    url: string;
    chain: { expiries: { date: string }[] };
    condor: { strikes: number[] };
  };
  expect(snap.url).toBe(`${server.origin}/demo/spy-2025-09-25.html`); // the ?csp=strict query is stripped
  expect(snap.chain.expiries.map((e) => e.date)).toEqual(['2025-10-24']);
  expect(snap.condor.strikes).toHaveLength(4);

  // Reload: still there, and the popup lists it.
  await page.reload();
  frame = await overlayFrame(page, session.extensionId);
  await frame.getByTestId('condor-legs').waitFor({ timeout: 20_000 });
  const popup = await openPopup(session, page);
  await expect
    .poll(() => popup.getByTestId('recent-snapshots').textContent(), { timeout: 10_000 })
    .toContain('SPY 2025-10-24');
  // Saving from the popup reaches the tab's overlay frame.
  await popup.getByRole('button', { name: 'Save snapshot' }).click();
  await expect
    .poll(() => popup.getByTestId('popup-save-result').textContent(), { timeout: 10_000 })
    .toMatch(/^Saved: SPY/);
  const before = snapKeys(await readStorage(session)).sort();
  expect(before).toHaveLength(2);
  expect(before).toContain(keys[0]);
  expect(outboundRequests(session)).toEqual([]);
  await session.close({ keepProfile: true });

  // Browser restart on the same profile.
  session = await launchExtension({ profileDir });
  expect(snapKeys(await readStorage(session)).sort()).toEqual(before);
  await session.close({ keepProfile: true });
});
