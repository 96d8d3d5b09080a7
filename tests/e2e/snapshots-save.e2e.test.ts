import { expect, test } from 'vitest';
import {
  launchExtension,
  openPopup,
  openWithOverlay,
  outboundRequests,
  overlayReady,
  readStorage,
  pressSave,
  saveResult,
  SAVE_DEADLINE_MS,
} from './harness';
import { useFixtureServer, useTempDir } from './suite';

const e2e = useFixtureServer();
const profileDir = useTempDir('hedgelens-snap-');

const snapKeys = (all: Record<string, unknown>) => Object.keys(all).filter((k) => k.startsWith('snap:'));

test('a snapshot saved from the overlay survives a page reload and a browser restart', async () => {
  let session = await launchExtension({ profileDir });
  const opened = await openWithOverlay(session, e2e.server.url('demo/spy-2025-09-25.html', { csp: 'strict' }), {
    ready: 'condor-legs',
  });
  const page = opened.page;
  let frame = opened.frame;
  await pressSave(frame);
  await expect.poll(() => saveResult(frame), { timeout: SAVE_DEADLINE_MS }).toMatch(/^Saved snapshot: SPY 2025-10-24/);

  const stored = await readStorage(session);
  const keys = snapKeys(stored);
  expect(keys).toHaveLength(1);
  const snap = stored[keys[0]!] as {
    url: string;
    chain: { expiries: { date: string }[] };
    condor: { strikes: number[] };
  };
  expect(snap.url).toBe(`${e2e.server.origin}/demo/spy-2025-09-25.html`); // the ?csp=strict query is stripped
  expect(snap.chain.expiries.map((e) => e.date)).toEqual(['2025-10-24']);
  expect(snap.condor.strikes).toHaveLength(4);

  // Reload: still there, and the popup lists it.
  await page.reload();
  frame = await overlayReady(page, session, 'condor-legs');
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
