import { beforeEach, describe, expect, test } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import {
  anyNotificationOn,
  getMarkPositionRows,
  getNotifyShortDelta,
  NOTIFY_SHORT_DELTA_KEY,
  setMarkPositionRows,
  setNotifyShortDelta,
  setNotifyStageChange,
  watchMarkPositionRows,
} from '../../src/storage/pagePrefs';

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

describe('the short-strike delta notification', () => {
  beforeEach(() => fakeBrowser.reset());

  test('off at 0.30 by default; one key keeps the switch and the threshold (kept while off)', async () => {
    expect(await getNotifyShortDelta()).toEqual({ on: false, threshold: 0.3 });
    await setNotifyShortDelta({ on: true, threshold: 0.25 });
    expect(await fakeBrowser.storage.local.get(NOTIFY_SHORT_DELTA_KEY)).toEqual({
      notifyShortDelta: { on: true, threshold: 0.25 },
    });
    await setNotifyShortDelta({ on: false, threshold: 0.25 });
    expect(await getNotifyShortDelta()).toEqual({ on: false, threshold: 0.25 });
  });

  test('a threshold outside 0.05–0.95 is refused with the reason, and what was stored stays', async () => {
    await setNotifyShortDelta({ on: true, threshold: 0.4 });
    for (const bad of [1.5, 0.01, 30, 0.305, Number.NaN]) {
      await expect(setNotifyShortDelta({ on: true, threshold: bad })).rejects.toThrow(
        `Not saved: ${bad} is not a delta from 0.05 to 0.95.`,
      );
    }
    expect(await getNotifyShortDelta()).toEqual({ on: true, threshold: 0.4 });
  });

  test('a malformed stored value reads as off (never a notification at a guessed threshold)', async () => {
    for (const raw of [{ on: true, threshold: 3 }, { on: true }, { on: 'yes', threshold: 0.3 }, 0.3, 'on', null]) {
      await fakeBrowser.storage.local.set({ [NOTIFY_SHORT_DELTA_KEY]: raw });
      expect((await getNotifyShortDelta()).on).toBe(false);
    }
  });

  test('either notification on keeps the permission wanted', async () => {
    expect(await anyNotificationOn()).toBe(false);
    await setNotifyShortDelta({ on: true, threshold: 0.3 });
    expect(await anyNotificationOn()).toBe(true);
    await setNotifyStageChange(true);
    await setNotifyShortDelta({ on: false, threshold: 0.3 });
    expect(await anyNotificationOn()).toBe(true);
    await setNotifyStageChange(false);
    expect(await anyNotificationOn()).toBe(false);
  });
});
