import type { ComponentChildren } from 'preact';
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

/**
 * One stored on/off preference as a labelled checkbox with its hint. `save` returns what was kept (a refusal, e.g.
 * a permission the browser did not give, keeps the box as it was).
 */
function PrefBox(props: {
  name: string;
  label: string;
  load: () => Promise<boolean>;
  save: (on: boolean) => Promise<boolean>;
  children: ComponentChildren;
}) {
  const [on, setOn] = useState<boolean | null>(null);
  useEffect(() => void props.load().then(setOn), []);
  return (
    <>
      <label>
        <input
          type="checkbox"
          name={props.name}
          checked={on === true}
          disabled={on === null}
          onChange={(e) => {
            const next = (e.target as HTMLInputElement).checked;
            setOn(next);
            void props.save(next).then(setOn);
          }}
        />{' '}
        {props.label}
      </label>
      <p class="hl-hint hl-muted">{props.children}</p>
    </>
  );
}

const keep = (set: (on: boolean) => Promise<void>) => async (on: boolean) => {
  await set(on);
  return on;
};

/** What HedgeLens may write into the broker's page, and how it tells the trader about a tab. */
export function PageSection() {
  const [notifyProblem, setNotifyProblem] = useState<string | null>(null);
  /** Turning notifications on asks the browser for the permission now (it must come from this click). */
  const saveNotify = async (next: boolean): Promise<boolean> => {
    setNotifyProblem(null);
    if (next) {
      const granted = await browser.permissions.request({ permissions: ['notifications'] }).catch(() => false);
      if (!granted) {
        setNotifyProblem('The browser did not allow notifications, so they stay off. Try again to be asked again.');
        return false;
      }
    } else {
      await browser.permissions.remove({ permissions: ['notifications'] }).catch(() => false);
    }
    await setNotifyStageChange(next);
    return next;
  };
  return (
    <section class="hl-section" aria-labelledby="page-title">
      <h2 id="page-title" class="hl-title">
        On the broker’s page
      </h2>
      <PrefBox
        name="mark-position-rows"
        label="Mark my condor’s legs and breakevens on the broker’s chain rows"
        load={getMarkPositionRows}
        save={keep(setMarkPositionRows)}
      >
        Off by default. The marks are styling only, but the broker’s own page scripts can read which rows are marked —
        that is, which strikes your position uses. The expected-move band and strike picking are always available.
      </PrefBox>
      <PrefBox
        name="unread-line-on-page"
        label="Say on the page when HedgeLens sees an option chain it could not read"
        load={getUnreadLineOnPage}
        save={keep(setUnreadLineOnPage)}
      >
        On by default: one quiet line at the bottom of the page, with Teach this page and Report this page. Off: only
        the popup says so (and offers the same two actions).
      </PrefBox>
      <PrefBox
        name="notify-stage-change"
        label="Notify me when the ALVH stage changes on a broker tab"
        load={getNotifyStageChange}
        save={saveNotify}
      >
        Off by default. The toolbar badge always shows the tab’s stage (OK Calm, L1 Layer One, SE Second Engine, TS
        Time-shift, UW Unwind) on green, amber or red for how close the price is to your short strikes. Turning
        notifications on asks the browser for its notifications permission; turning them off gives it back.
      </PrefBox>
      {notifyProblem && (
        <p class="hl-error" role="alert">
          {notifyProblem}
        </p>
      )}
    </section>
  );
}
