/**
 * The optional `notifications` permission, shared by the two notifications the trader can turn on in Options (a
 * stage change, a short strike's delta). Turning one on asks the browser at that moment: the request must come from
 * the trader's click. Turning one off gives the permission back only when the other one is off too.
 */
import { browser } from 'wxt/browser';
import { anyNotificationOn } from '../../storage/pagePrefs';

export const NOTIFY_REFUSED = 'The browser did not allow notifications, so they stay off. Try again to be asked again.';

/**
 * Turns one notification on or off: `store` keeps the trader's choice. Answers what is on now, and why not when
 * the browser refused (nothing is stored then).
 */
export async function switchNotification(
  next: boolean,
  store: (on: boolean) => Promise<void>,
): Promise<{ on: boolean; problem: string | null }> {
  if (next) {
    const granted = await browser.permissions.request({ permissions: ['notifications'] }).catch(() => false);
    if (!granted) return { on: false, problem: NOTIFY_REFUSED };
    await store(true);
    return { on: true, problem: null };
  }
  await store(false);
  if (!(await anyNotificationOn())) {
    await browser.permissions.remove({ permissions: ['notifications'] }).catch(() => false);
  }
  return { on: false, problem: null };
}
