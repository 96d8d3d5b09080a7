import { beforeEach, describe, expect, test } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { getMarkPositionRows, setMarkPositionRows, watchMarkPositionRows } from '../../src/storage/pagePrefs';

describe('marking the position on the broker’s page', () => {
  beforeEach(() => fakeBrowser.reset());

  test('off by default (position data stays out of the page), on only when the trader says so', async () => {
    expect(await getMarkPositionRows()).toBe(false);
    await setMarkPositionRows(true);
    expect(await getMarkPositionRows()).toBe(true);
  });

  test('a watcher hears the current value and every change', async () => {
    const seen: boolean[] = [];
    const stop = watchMarkPositionRows((on) => seen.push(on));
    await new Promise((r) => setTimeout(r, 0));
    await setMarkPositionRows(true);
    await setMarkPositionRows(false);
    await new Promise((r) => setTimeout(r, 0));
    stop();
    await setMarkPositionRows(true);
    await new Promise((r) => setTimeout(r, 0));
    expect(seen).toEqual([false, true, false]);
  });
});
