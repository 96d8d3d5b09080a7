// @vitest-environment happy-dom
/**
 * The page-positions feature: once a chain went to the worker, the page's positions table is read when the page is
 * idle and its legs go over the feed port — again only when they change, and again whole to a restarted worker.
 * Nothing is written into the page.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { readChain } from '../../src/brokers';
import { pagePositions, SCAN_EVERY_MS, SEARCH_EVERY_MS } from '../../src/content/features/pagePositions';
import type { FeedIn } from '../../src/content/workerApi';
import { buildChainPage, featureContext, idleQueue } from './pageHelpers';

let now = 0;
beforeEach(() => {
  now = 10_000;
  vi.spyOn(performance, 'now').mockImplementation(() => now);
  vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
  buildChainPage(document);
  // The thinkorswim-like positions table below the chain (an authored fixture of ours).
  const html = readFileSync(join(import.meta.dirname, '../fixtures/page-positions/thinkorswim-like.html'), 'utf8');
  const table = document.createElement('div');
  table.innerHTML = /<body>([\s\S]*)<\/body>/.exec(html)![1]!;
  document.body.append(table);
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

const legsSent = (sent: FeedIn[]) => sent.filter((m) => m.kind === 'legs');

test('legs go to the worker once a chain did, when idle; unchanged ones are not sent again; the page is left as it was', async () => {
  const idle = idleQueue();
  const { ctx, sent, connect } = featureContext();
  await connect();
  ctx.state.reading = readChain(document, { title: document.title });
  expect(ctx.state.reading.ok).toBe(true);
  const before = document.documentElement.outerHTML;
  const stop = pagePositions(ctx);

  expect(idle.pending()).toBe(0); // nothing before a chain went to the worker
  ctx.bus.emit('sent');
  expect(legsSent(sent)).toEqual([]); // not before the page is idle
  idle.run();
  const first = legsSent(sent);
  expect(first).toHaveLength(1);
  const legs = (first[0] as FeedIn & { kind: 'legs' }).legs!;
  expect(legs.legs.map((l) => [l.strike, l.kind, l.quantity, l.openPrice])).toEqual([
    [5700, 'put', 2, 3.1],
    [5800, 'put', -2, 5.4],
    [6900, 'call', -2, 2.8],
    [7000, 'call', 2, 1.05],
    [5600, 'put', 1, 12.6],
  ]);
  expect(legs.rejected).toHaveLength(2);
  expect(document.documentElement.outerHTML).toBe(before); // read, not touched

  // Ticks within SCAN_EVERY_MS read nothing; after it, a reading that finds the same legs sends nothing.
  ctx.bus.emit('sent');
  expect(idle.pending()).toBe(0);
  now += SCAN_EVERY_MS;
  vi.advanceTimersByTime(SCAN_EVERY_MS);
  idle.run();
  expect(legsSent(sent)).toHaveLength(1);

  // The trader closes a leg: the table changes, the new legs go.
  document.querySelectorAll('tbody tr')[document.querySelectorAll('tbody tr').length - 2]!.remove();
  now += SCAN_EVERY_MS;
  vi.advanceTimersByTime(SCAN_EVERY_MS);
  idle.run();
  expect(legsSent(sent)).toHaveLength(2);
  expect((legsSent(sent)[1] as FeedIn & { kind: 'legs' }).legs!.legs).toHaveLength(4);

  // A restarted worker holds nothing: the legs go again with the chain.
  ctx.bus.emit('reconnected');
  ctx.bus.emit('sent');
  idle.run();
  expect(legsSent(sent)).toHaveLength(3);

  // The positions table goes: the worker hears there is none.
  const table = document.querySelector('table.ps')!;
  table.remove();
  now += SCAN_EVERY_MS;
  vi.advanceTimersByTime(SCAN_EVERY_MS);
  idle.run();
  expect((legsSent(sent).at(-1) as FeedIn & { kind: 'legs' }).legs).toBeNull();

  // A table drawn later is found at the next search of the whole page (between searches only the tables found are
  // read again).
  document.body.append(table);
  now += SCAN_EVERY_MS;
  vi.advanceTimersByTime(SCAN_EVERY_MS);
  idle.run();
  expect((legsSent(sent).at(-1) as FeedIn & { kind: 'legs' }).legs).toBeNull();
  now += SEARCH_EVERY_MS;
  vi.advanceTimersByTime(SCAN_EVERY_MS);
  idle.run();
  expect((legsSent(sent).at(-1) as FeedIn & { kind: 'legs' }).legs!.legs).toHaveLength(4);

  stop();
  now += SCAN_EVERY_MS;
  vi.advanceTimersByTime(SCAN_EVERY_MS * 2);
  expect(idle.pending()).toBe(0);
  // Read-only: whatever the page became, nothing of ours is in it.
  expect(document.documentElement.outerHTML).not.toMatch(/hedgelens/i);
  expect(before).not.toMatch(/hedgelens/i);
});
