/**
 * How HedgeLens may touch the broker's page. Marks on the rows of the condor's legs and breakevens tell the page's
 * own scripts which strikes are the position (DESIGN: position data never in the page's DOM), so they are off
 * unless the trader turns them on, knowing that. The expected-move band (market data) and click-to-build picks are
 * not position data and are always available.
 *
 * Read by the content script, so it uses the plain storage API and never throws: after the extension is reloaded
 * an orphaned content script has no storage at all.
 */
import { browser } from 'wxt/browser';

export const MARK_POSITION_ROWS_KEY = 'markPositionRows';

export async function getMarkPositionRows(): Promise<boolean> {
  try {
    const got = await browser.storage.local.get(MARK_POSITION_ROWS_KEY);
    return got[MARK_POSITION_ROWS_KEY] === true;
  } catch {
    return false;
  }
}

export async function setMarkPositionRows(on: boolean): Promise<void> {
  await browser.storage.local.set({ [MARK_POSITION_ROWS_KEY]: on });
}

/** Calls back now and on every change; the returned function stops watching. */
export function watchMarkPositionRows(onChange: (on: boolean) => void): () => void {
  let stopped = false;
  void getMarkPositionRows().then((on) => {
    if (!stopped) onChange(on);
  });
  const listener = (changes: Record<string, { newValue?: unknown }>, area: string) => {
    if (!stopped && area === 'local' && MARK_POSITION_ROWS_KEY in changes)
      onChange(changes[MARK_POSITION_ROWS_KEY]!.newValue === true);
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
}
