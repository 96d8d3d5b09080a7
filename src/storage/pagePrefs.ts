/**
 * How HedgeLens may touch the broker's page. Marks on the rows of the condor's legs and breakevens tell the page's
 * own scripts which strikes are the position (DESIGN: position data never in the page's DOM), so they are off
 * unless the trader turns them on, knowing that. The expected-move band (market data) and click-to-build picks are
 * not position data and are always available. The quiet line on a page whose chain could not be read is on unless
 * the trader prefers the popup alone to say so.
 *
 * Read by the content script, so it uses the plain storage API and never throws: after the extension is reloaded
 * an orphaned content script has no storage at all.
 */
import { browser } from 'wxt/browser';
import { DELTA_THRESHOLD_DEFAULT, validDeltaThreshold } from '../shared/shortDelta';

export const MARK_POSITION_ROWS_KEY = 'markPositionRows';
/** The quiet "could not read this chain" line on the page; absent: on. Off: only the popup says so. */
export const UNREAD_LINE_ON_PAGE_KEY = 'unreadLineOnPage';
/** A browser notification when a tab's ALVH stage changes; absent: off (and the permission is asked when turned on). */
export const NOTIFY_STAGE_CHANGE_KEY = 'notifyStageChange';
/**
 * A browser notification when a short strike's |delta| reaches the trader's threshold: `{ on, threshold }` (the
 * threshold is kept while off); absent or malformed: off at 0.30.
 */
export const NOTIFY_SHORT_DELTA_KEY = 'notifyShortDelta';

/** One preference in storage.local, read through `of` (which gives the fallback for an absent or unusable value). */
function pref<T>(key: string, of: (v: unknown) => T) {
  const get = async (): Promise<T> => {
    try {
      return of((await browser.storage.local.get(key))[key]);
    } catch {
      return of(undefined);
    }
  };
  const set = async (value: T): Promise<void> => {
    await browser.storage.local.set({ [key]: value });
  };
  /** Calls back now and on every change; the returned function stops watching. */
  const watch = (onChange: (value: T) => void): (() => void) => {
    let stopped = false;
    void get().then((value) => {
      if (!stopped) onChange(value);
    });
    const listener = (changes: Record<string, { newValue?: unknown }>, area: string) => {
      if (!stopped && area === 'local' && key in changes) onChange(of(changes[key]!.newValue));
    };
    try {
      browser.storage.onChanged.addListener(listener);
    } catch {
      return () => undefined;
    }
    return () => {
      stopped = true;
      try {
        browser.storage.onChanged.removeListener(listener);
      } catch {
        /* the extension context is gone: nothing to remove */
      }
    };
  };
  return { get, set, watch };
}

/** One on/off preference: `fallback` while absent (or unreadable). */
const booleanPref = (key: string, fallback: boolean) => pref(key, (v) => (typeof v === 'boolean' ? v : fallback));

const markRows = booleanPref(MARK_POSITION_ROWS_KEY, false);
export const getMarkPositionRows = markRows.get;
export const setMarkPositionRows = markRows.set;
export const watchMarkPositionRows = markRows.watch;

const unreadLine = booleanPref(UNREAD_LINE_ON_PAGE_KEY, true);
export const getUnreadLineOnPage = unreadLine.get;
export const setUnreadLineOnPage = unreadLine.set;
export const watchUnreadLineOnPage = unreadLine.watch;

const notifyStage = booleanPref(NOTIFY_STAGE_CHANGE_KEY, false);
export const getNotifyStageChange = notifyStage.get;
export const setNotifyStageChange = notifyStage.set;

/** The short-strike delta notification: on or off, and the |delta| per contract it fires at. */
export interface ShortDeltaPref {
  on: boolean;
  threshold: number;
}
const shortDelta = pref<ShortDeltaPref>(NOTIFY_SHORT_DELTA_KEY, (v) => {
  const o = typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : {};
  const threshold = validDeltaThreshold(o.threshold);
  // A threshold that is not one HedgeLens would have stored turns the notification off rather than firing at a guess.
  return { on: o.on === true && threshold !== null, threshold: threshold ?? DELTA_THRESHOLD_DEFAULT };
});
export const getNotifyShortDelta = shortDelta.get;
export const watchNotifyShortDelta = shortDelta.watch;
/** Stores the preference; a threshold outside 0.05–0.95 (or off the 0.01 grid) is refused and nothing changes. */
export async function setNotifyShortDelta(next: ShortDeltaPref): Promise<void> {
  const threshold = validDeltaThreshold(next.threshold);
  if (threshold === null) throw new Error(`Not saved: ${String(next.threshold)} is not a delta from 0.05 to 0.95.`);
  await shortDelta.set({ on: next.on, threshold });
}

/** Whether either notification is on: the optional `notifications` permission is kept while one needs it. */
export async function anyNotificationOn(): Promise<boolean> {
  const [stage, delta] = await Promise.all([getNotifyStageChange(), getNotifyShortDelta()]);
  return stage || delta.on;
}
