/**
 * The toolbar badge and the opt-in stage notifications (issue 17), on WXT's fake browser: what the badge shows for
 * each stage and threat, and that a notification needs both the trader's switch and the granted permission, and
 * fires on a change of stage only.
 */
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { badgeFor, forgetBadgeTab, showBadge, STAGE_BADGE } from '../../src/background/badge';
import { setNotifyStageChange } from '../../src/storage/pagePrefs';

const report = (stage: keyof typeof STAGE_BADGE | null, threat: 'low' | 'threatened' | 'tested' | null) => ({
  type: 'hedgelens:badge' as const,
  stage,
  threat,
  symbol: threat === null ? null : 'SPY',
});

afterEach(() => vi.restoreAllMocks());

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
  const notified = () => vi.spyOn(fakeBrowser.notifications, 'create').mockResolvedValue('n');
  const permission = (granted: boolean) => vi.spyOn(fakeBrowser.permissions, 'contains').mockResolvedValue(granted);

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
