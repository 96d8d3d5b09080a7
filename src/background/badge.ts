/**
 * The toolbar badge per tab, and the optional notifications. The content script reports its condor's ALVH
 * stage and threat level (src/content/features/toolbarBadge.ts); the badge shows the stage in two letters on the
 * threat's colour, and its title says both in words (the badge alone is not read by assistive technology).
 *
 * Notifications are off by default. The trader turns them on in Options, which asks for the optional
 * `notifications` permission at that moment; a stage change on a tab then notifies once, and a short strike whose
 * |delta| reaches the trader's threshold notifies once until it falls back (src/shared/shortDelta.ts decides).
 * What the background remembers of a tab between reports is in src/storage/tabWatch.ts. Nothing leaves the
 * browser: a notification is drawn by the browser itself.
 */
import { browser } from 'wxt/browser';
import type { Stage, Threat, ToBackground } from '../messages';
import { deltaStep, shortDeltaMessage, type ShortDelta } from '../shared/shortDelta';
import { getNotifyShortDelta, getNotifyStageChange } from '../storage/pagePrefs';
import { forgetTabWatch, getTabWatch, setTabWatch } from '../storage/tabWatch';

type BadgeMessage = ToBackground & { type: 'hedgelens:badge' };

export const STAGE_BADGE: Record<Stage, { text: string; name: string }> = {
  calm: { text: 'OK', name: 'Calm' },
  'layer-one': { text: 'L1', name: 'Layer One' },
  'second-engine': { text: 'SE', name: 'Second Engine' },
  'time-shift': { text: 'TS', name: 'Time-shift' },
  unwind: { text: 'UW', name: 'Unwind' },
};

/** Badge colours with white text at 4.5:1 or more (WCAG AA for the badge's small text). */
export const THREAT_BADGE: Record<Threat, { color: string; words: string }> = {
  low: { color: '#1b6e3a', words: 'short strikes not threatened' },
  threatened: { color: '#8a4b00', words: 'a short strike threatened' },
  tested: { color: '#b3261e', words: 'a short strike tested (the price is at or beyond it)' },
};

/** Each tab's reports are judged one after the other (each reads what the one before it stored). */
const inTurn = new Map<number, Promise<void>>();

export function forgetBadgeTab(tabId: number): Promise<void> {
  inTurn.delete(tabId);
  return forgetTabWatch(tabId);
}

/** What the badge shows for a report: text, colour and title; the empty text clears it. */
export function badgeFor(msg: Pick<BadgeMessage, 'stage' | 'threat' | 'symbol'>): {
  text: string;
  color: string;
  title: string;
} {
  if (msg.threat === null) return { text: '', color: THREAT_BADGE.low.color, title: 'HedgeLens' };
  const stage = msg.stage ? STAGE_BADGE[msg.stage] : null;
  const threat = THREAT_BADGE[msg.threat];
  const on = msg.symbol ? ` on ${msg.symbol}` : '';
  return {
    text: stage?.text ?? '·',
    color: threat.color,
    title: `HedgeLens${on}: ${stage ? `stage ${stage.name}` : 'no hedge plan yet'}, ${threat.words}`,
  };
}

export async function showBadge(tabId: number, msg: BadgeMessage): Promise<void> {
  const b = badgeFor(msg);
  // Firefox's MV2 build has browserAction where Chrome's MV3 has action (the polyfill names both).
  const action = browser.action ?? (browser as unknown as { browserAction: typeof browser.action }).browserAction;
  await Promise.all([
    action.setBadgeText({ tabId, text: b.text }),
    action.setBadgeBackgroundColor({ tabId, color: b.color }),
    action.setTitle({ tabId, title: b.title }),
    typeof action.setBadgeTextColor === 'function'
      ? action.setBadgeTextColor({ tabId, color: '#ffffff' })
      : Promise.resolve(),
  ]).catch(() => undefined); // a tab closed meanwhile
  const turn = (inTurn.get(tabId) ?? Promise.resolve()).then(() => watchTab(tabId, msg)).catch(() => undefined);
  inTurn.set(tabId, turn);
  await turn;
  if (inTurn.get(tabId) === turn) inTurn.delete(tabId);
}

/** The tab's report against what was stored of it: the stage change and the delta crossing, each notified once. */
async function watchTab(tabId: number, msg: BadgeMessage): Promise<void> {
  const watch = (await getTabWatch(tabId)) ?? {};
  const before = 'stage' in watch ? watch.stage : undefined;
  let deltaZone = watch.deltaZone;
  let deltaNotice: { short: ShortDelta; threshold: number } | null = null;
  if (msg.shortDelta) {
    const pref = await getNotifyShortDelta();
    if (pref.on) {
      const step = deltaStep(deltaZone, msg.shortDelta.deltaAbs, pref.threshold);
      deltaZone = step.zone;
      if (step.notify) deltaNotice = { short: msg.shortDelta, threshold: pref.threshold };
    }
  }
  await setTabWatch(tabId, { stage: msg.stage, ...(deltaZone ? { deltaZone } : {}) });
  if (before !== undefined && before !== null && msg.stage !== null && before !== msg.stage) {
    if (await getNotifyStageChange()) {
      const now = STAGE_BADGE[msg.stage].name;
      await notify(
        `HedgeLens: ${now}`,
        `${msg.symbol ?? 'Your condor'}: the ALVH stage moved from ${STAGE_BADGE[before].name} to ${now}; ${msg.threat ? THREAT_BADGE[msg.threat].words : ''}.`,
      );
    }
  }
  if (deltaNotice) {
    await notify(
      'HedgeLens: short strike delta',
      shortDeltaMessage(msg.symbol, deltaNotice.short, deltaNotice.threshold),
    );
  }
}

/** A notification, only while the browser grants the optional permission (the trader may withdraw it there). */
async function notify(title: string, message: string): Promise<void> {
  const granted = await browser.permissions.contains({ permissions: ['notifications'] }).catch(() => false);
  if (!granted || !browser.notifications) return;
  await browser.notifications
    .create({ type: 'basic', iconUrl: browser.runtime.getURL('/icon/128.png'), title, message })
    .catch(() => undefined);
}
