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

export const MARK_POSITION_ROWS_KEY = 'markPositionRows';
/** The quiet "could not read this chain" line on the page; absent: on. Off: only the popup says so. */
export const UNREAD_LINE_ON_PAGE_KEY = 'unreadLineOnPage';
/** A browser notification when a tab's ALVH stage changes; absent: off (and the permission is asked when turned on). */
export const NOTIFY_STAGE_CHANGE_KEY = 'notifyStageChange';

/** One on/off preference in storage.local: `fallback` while absent (or unreadable). */
function booleanPref(key: string, fallback: boolean) {
  const of = (v: unknown) => (typeof v === 'boolean' ? v : fallback);
  const get = async (): Promise<boolean> => {
    try {
      return of((await browser.storage.local.get(key))[key]);
    } catch {
      return fallback;
    }
  };
  const set = async (on: boolean): Promise<void> => {
    await browser.storage.local.set({ [key]: on });
  };
  /** Calls back now and on every change; the returned function stops watching. */
  const watch = (onChange: (on: boolean) => void): (() => void) => {
    let stopped = false;
    void get().then((on) => {
      if (!stopped) onChange(on);
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
