/** The first-run page is opened once when HedgeLens is installed (not on an update or a browser update). */
import { browser } from 'wxt/browser';
import { WELCOME_PATH } from '../shared/pages';

/** runtime.onInstalled's reason: only a fresh install opens the welcome page. */
export function opensWelcome(reason: string): boolean {
  return reason === 'install';
}

/** Registers the listener (the background calls it at start-up, synchronously, so the event is not missed). */
export function openWelcomeOnInstall(): void {
  browser.runtime.onInstalled.addListener(({ reason }) => {
    if (opensWelcome(reason)) void browser.tabs.create({ url: browser.runtime.getURL(WELCOME_PATH) });
  });
}
