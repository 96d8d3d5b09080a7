/**
 * The toolbar badge and the opt-in stage notifications (issue 17), on WXT's fake browser: what the badge shows for
 * each stage and threat, and that a notification needs both the trader's switch and the granted permission, and
 * fires on a change of stage only.
 */
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { badgeFor, forgetBadgeTab, showBadge, STAGE_BADGE } from '../../src/background/badge';
import { setNotifyShortDelta, setNotifyStageChange } from '../../src/storage/pagePrefs';

const report = (stage: keyof typeof STAGE_BADGE | null, threat: 'low' | 'threatened' | 'tested' | null) => ({
  type: 'hedgelens:badge' as const,
  stage,
  threat,
  symbol: threat === null ? null : 'SPY',
});

afterEach(() => vi.restoreAllMocks());
const notified = () => vi.spyOn(fakeBrowser.notifications, 'create').mockResolvedValue('n');
const permission = (granted: boolean) => vi.spyOn(fakeBrowser.permissions, 'contains').mockResolvedValue(granted);

describe('the badge', () => {
  test('stage in two letters on the threat colour; the title says both in words; no condor clears it', () => {
    expect(badgeFor(report('layer-one', 'threatened'))).toEqual({
      text: 'L1',
      color: '#8a4b00',
      title: 'HedgeLens on SPY: stage Layer One, a short strike threatened',
    });
    expect(badgeFor(report('calm', 'low')).text).toBe('OK');
    expect(badgeFor(report('second-engine', 'tested'))).toMatchObject({ text: 'SE', color: '#b3261e' });
    expect(badgeFor(report(null, 'low'))).toMatchObject({
      text: '·',
      title: 'HedgeLens on SPY: no hedge plan yet, short strikes not threatened',
    });
    expect(badgeFor(report(null, null))).toMatchObject({ text: '', title: 'HedgeLens' });
  });

  test('drawn on its own tab', async () => {
    fakeBrowser.reset();
    const text = vi.spyOn(fakeBrowser.action, 'setBadgeText');
    const title = vi.spyOn(fakeBrowser.action, 'setTitle');
    await showBadge(7, report('unwind', 'low'));
    expect(text).toHaveBeenCalledWith({ tabId: 7, text: 'UW' });
    expect(title).toHaveBeenCalledWith({
      tabId: 7,
      title: 'HedgeLens on SPY: stage Unwind, short strikes not threatened',
    });
  });
});

describe('stage notifications', () => {
  beforeEach(() => {
    fakeBrowser.reset();
    forgetBadgeTab(1);
  });

  test('off by default: a stage change draws the badge and notifies nobody', async () => {
    const create = notified();
    permission(true);
    await showBadge(1, report('calm', 'low'));
    await showBadge(1, report('layer-one', 'threatened'));
    expect(create).not.toHaveBeenCalled();
  });

  test('on and permitted: once per change of stage, not on the first report nor on a repeat', async () => {
    await setNotifyStageChange(true);
    const create = notified();
    permission(true);
    await showBadge(1, report('calm', 'low'));
    await showBadge(1, report('calm', 'threatened'));
    expect(create).not.toHaveBeenCalled();
    await showBadge(1, report('layer-one', 'threatened'));
    expect(create).toHaveBeenCalledTimes(1);
    expect(create.mock.calls[0]![0]).toMatchObject({
      type: 'basic',
      title: 'HedgeLens: Layer One',
      message: 'SPY: the ALVH stage moved from Calm to Layer One; a short strike threatened.',
    });
    await showBadge(1, report('layer-one', 'tested'));
    expect(create).toHaveBeenCalledTimes(1);
  });

  test('on but the permission withdrawn in the browser: nothing', async () => {
    await setNotifyStageChange(true);
    const create = notified();
    permission(false);
    await showBadge(1, report('calm', 'low'));
    await showBadge(1, report('second-engine', 'tested'));
    expect(create).not.toHaveBeenCalled();
  });
});

describe('short-strike delta notifications', () => {
  beforeEach(async () => {
    fakeBrowser.reset();
    await forgetBadgeTab(1);
    await forgetBadgeTab(2);
  });
  const withDelta = (deltaAbs: number, kind: 'put' | 'call' = 'put', strike = 5800) => ({
    ...report('calm', 'low'),
    symbol: 'SPX',
    shortDelta: { kind, strike, deltaAbs },
  });
  const messages = (create: ReturnType<typeof notified>) =>
    create.mock.calls.map((c) => (c[0] as { message: string }).message);

  test('off by default: a short past any threshold notifies nobody', async () => {
    const create = notified();
    permission(true);
    await showBadge(1, withDelta(0.2));
    await showBadge(1, withDelta(0.6));
    expect(create).not.toHaveBeenCalled();
  });

  test('on and permitted: once when the short reaches the threshold; again only after it fell below it less 0.05', async () => {
    await setNotifyShortDelta({ on: true, threshold: 0.3 });
    const create = notified();
    permission(true);
    for (const d of [0.22, 0.29, 0.3106, 0.33, 0.27, 0.31, 0.25, 0.32]) await showBadge(1, withDelta(d));
    expect(messages(create)).toEqual(['SPX 5800 put: delta 0.31, past your 0.30']);
    expect(create.mock.calls[0]![0]).toMatchObject({ type: 'basic', title: 'HedgeLens: short strike delta' });
    await showBadge(1, withDelta(0.2499));
    await showBadge(1, withDelta(0.3, 'call', 6050));
    expect(messages(create)).toEqual([
      'SPX 5800 put: delta 0.31, past your 0.30',
      'SPX 6050 call: delta 0.30, at your 0.30',
    ]);
    // Reports without a delta (the page's chain gone for a while) do not rearm it.
    await showBadge(1, report(null, null));
    await showBadge(1, withDelta(0.34, 'call', 6050));
    expect(create).toHaveBeenCalledTimes(2);
  });

  test('per tab: each tab notifies for its own short', async () => {
    await setNotifyShortDelta({ on: true, threshold: 0.25 });
    const create = notified();
    permission(true);
    await showBadge(1, withDelta(0.1));
    await showBadge(2, withDelta(0.1, 'call', 6100));
    await showBadge(1, withDelta(0.26));
    await showBadge(2, withDelta(0.27, 'call', 6100));
    await showBadge(1, withDelta(0.28));
    expect(messages(create)).toEqual([
      'SPX 5800 put: delta 0.26, past your 0.25',
      'SPX 6100 call: delta 0.27, past your 0.25',
    ]);
  });

  test('reports that come together are judged in turn: one notification, not one per report', async () => {
    await setNotifyShortDelta({ on: true, threshold: 0.3 });
    const create = notified();
    permission(true);
    await Promise.all([showBadge(1, withDelta(0.31)), showBadge(1, withDelta(0.32)), showBadge(1, withDelta(0.33))]);
    expect(create).toHaveBeenCalledTimes(1);
  });

  test('on but the permission withdrawn in the browser: nothing', async () => {
    await setNotifyShortDelta({ on: true, threshold: 0.3 });
    const create = notified();
    permission(false);
    await showBadge(1, withDelta(0.2));
    await showBadge(1, withDelta(0.4));
    expect(create).not.toHaveBeenCalled();
  });

  test('the service worker restarting between two reports forgets neither the crossing nor the stage', async () => {
    await setNotifyShortDelta({ on: true, threshold: 0.3 });
    await setNotifyStageChange(true);
    permission(true);
    await showBadge(1, withDelta(0.35));
    // A fresh module graph: the worker's memory is gone, storage.session (the fake browser's) is not.
    vi.resetModules();
    const again = await import('../../src/background/badge');
    const create = notified();
    await again.showBadge(1, withDelta(0.36));
    expect(create).not.toHaveBeenCalled();
    await again.showBadge(1, { ...withDelta(0.37), stage: 'layer-one', threat: 'threatened' });
    expect(messages(create)).toEqual(['SPX: the ALVH stage moved from Calm to Layer One; a short strike threatened.']);
  });
});
