import { useEffect, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import {
  getMarkPositionRows,
  getNotifyStageChange,
  getUnreadLineOnPage,
  setMarkPositionRows,
  setNotifyStageChange,
  setUnreadLineOnPage,
} from '../../storage/pagePrefs';

/** What HedgeLens may write into the broker's page. */
export function PageSection() {
  const [on, setOn] = useState<boolean | null>(null);
  const [lineOn, setLineOn] = useState<boolean | null>(null);
  useEffect(() => void getMarkPositionRows().then(setOn), []);
  useEffect(() => void getUnreadLineOnPage().then(setLineOn), []);
  const [notify, setNotify] = useState<boolean | null>(null);
  const [notifyProblem, setNotifyProblem] = useState<string | null>(null);
  useEffect(() => void getNotifyStageChange().then(setNotify), []);
  /** Turning notifications on asks the browser for the permission now (it must come from this click). */
  const onNotify = async (next: boolean) => {
    setNotifyProblem(null);
    if (next) {
      const granted = await browser.permissions.request({ permissions: ['notifications'] }).catch(() => false);
      if (!granted) {
        setNotify(false);
        setNotifyProblem('The browser did not allow notifications, so they stay off. Try again to be asked again.');
        return;
      }
    } else {
      await browser.permissions.remove({ permissions: ['notifications'] }).catch(() => false);
    }
    setNotify(next);
    await setNotifyStageChange(next);
  };
  return (
    <section class="hl-section" aria-labelledby="page-title">
      <h2 id="page-title" class="hl-title">
        On the broker’s page
      </h2>
      <label>
        <input
          type="checkbox"
          name="mark-position-rows"
          checked={on === true}
          disabled={on === null}
          onChange={(e) => {
            const next = (e.target as HTMLInputElement).checked;
            setOn(next);
            void setMarkPositionRows(next);
          }}
        />{' '}
        Mark my condor’s legs and breakevens on the broker’s chain rows
      </label>
      <p class="hl-hint hl-muted">
        Off by default. The marks are styling only, but the broker’s own page scripts can read which rows are marked —
        that is, which strikes your position uses. The expected-move band and strike picking are always available.
      </p>
      <label>
        <input
          type="checkbox"
          name="unread-line-on-page"
          checked={lineOn === true}
          disabled={lineOn === null}
          onChange={(e) => {
            const next = (e.target as HTMLInputElement).checked;
            setLineOn(next);
            void setUnreadLineOnPage(next);
          }}
        />{' '}
        Say on the page when HedgeLens sees an option chain it could not read
      </label>
      <p class="hl-hint hl-muted">
        On by default: one quiet line at the bottom of the page, with Teach this page and Report this page. Off: only
        the popup says so (and offers the same two actions).
      </p>
      <label>
        <input
          type="checkbox"
          name="notify-stage-change"
          checked={notify === true}
          disabled={notify === null}
          onChange={(e) => void onNotify((e.target as HTMLInputElement).checked)}
        />{' '}
        Notify me when the ALVH stage changes on a broker tab
      </label>
      <p class="hl-hint hl-muted">
        Off by default. The toolbar badge always shows the tab’s stage (OK Calm, L1 Layer One, SE Second Engine, TS
        Time-shift, UW Unwind) on green, amber or red for how close the price is to your short strikes. Turning
        notifications on asks the browser for its notifications permission; turning them off gives it back.
      </p>
      {notifyProblem && (
        <p class="hl-error" role="alert">
          {notifyProblem}
        </p>
      )}
    </section>
  );
}
