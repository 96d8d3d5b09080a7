import { beforeEach, describe, expect, test } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { dockPlaceKey, getDockPlace, parseDockPlace, setDockPlace } from '../../src/storage/dockPlace';

describe('the dock’s place per site', () => {
  beforeEach(() => fakeBrowser.reset());

  test('kept under dock:<host> as {right, bottom} pixels, one place per site', async () => {
    expect(await getDockPlace('broker.example')).toBeNull();
    await setDockPlace('broker.example', { right: 316, bottom: 56 });
    await setDockPlace('other.example:8443', { right: 16, bottom: 16 });
    expect(await fakeBrowser.storage.local.get(null)).toEqual({
      'dock:broker.example': { right: 316, bottom: 56 },
      'dock:other.example:8443': { right: 16, bottom: 16 },
    });
    expect(await getDockPlace('broker.example')).toEqual({ right: 316, bottom: 56 });
    expect(dockPlaceKey('broker.example')).toBe('dock:broker.example');
  });

  test('anything else stored under the key reads as no place', async () => {
    for (const bad of [null, 'left', 12, [], { right: 1 }, { right: '1', bottom: 2 }, { right: Infinity, bottom: 0 }]) {
      await fakeBrowser.storage.local.set({ 'dock:broker.example': bad });
      expect(await getDockPlace('broker.example')).toBeNull();
    }
    expect(parseDockPlace({ right: 0, bottom: 12.5, extra: true })).toEqual({ right: 0, bottom: 12.5 });
  });

  test('no storage (an orphaned content script): a read gives null and a write is dropped, neither throws', async () => {
    const local = fakeBrowser.storage.local;
    const get = local.get;
    const set = local.set;
    local.get = () => Promise.reject(new Error('Extension context invalidated.'));
    local.set = () => Promise.reject(new Error('Extension context invalidated.'));
    try {
      expect(await getDockPlace('broker.example')).toBeNull();
      await expect(setDockPlace('broker.example', { right: 1, bottom: 2 })).resolves.toBeUndefined();
    } finally {
      local.get = get;
      local.set = set;
    }
  });
});
