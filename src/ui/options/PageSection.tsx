import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import {
  getMarkPositionRows,
  getNotifyShortDelta,
  getNotifyStageChange,
  getUnreadLineOnPage,
  setMarkPositionRows,
  setNotifyShortDelta,
  setNotifyStageChange,
  setUnreadLineOnPage,
} from '../../storage/pagePrefs';
import { checkDeltaThresholdText } from './fields';
import { switchNotification } from './notifications';

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

/**
 * The short-strike delta notification: its own on/off and the |delta| it fires at. The typed threshold is checked
 * as it is typed; a refused one is kept in the field with the reason, and what is stored stays as it was.
 */
function ShortDeltaBox(props: { onProblem: (problem: string | null) => void }) {
  const [on, setOn] = useState<boolean | null>(null);
  const [text, setText] = useState('');
  const [stored, setStored] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(
    () =>
      void getNotifyShortDelta().then((p) => {
        setOn(p.on);
        setStored(p.threshold);
        setText(p.threshold.toFixed(2));
      }),
    [],
  );
  const toggle = async (box: HTMLInputElement) => {
    const next = box.checked;
    props.onProblem(null);
    const c = checkDeltaThresholdText(text);
    if (next && !c.ok) {
      // Refused before anything changed: the state is still off, so the box is put back by hand.
      box.checked = false;
      setError(c.message);
      return;
    }
    setOn(next);
    // Turning it off keeps the stored threshold when the field holds a refused one.
    const threshold = c.ok ? c.value : stored!;
    const r = await switchNotification(next, (v) => setNotifyShortDelta({ on: v, threshold }));
    props.onProblem(r.problem);
    if (r.problem === null) setStored(threshold);
    setOn(r.on);
  };
  const saveThreshold = async () => {
    const c = checkDeltaThresholdText(text);
    setError(c.ok ? null : c.message);
    if (!c.ok || c.value === stored || on === null) return;
    await setNotifyShortDelta({ on, threshold: c.value });
    setStored(c.value);
  };
  return (
    <>
      <p class="hlo-field">
        <label>
          <input
            type="checkbox"
            name="notify-short-delta"
            checked={on === true}
            disabled={on === null}
            onChange={(e) => void toggle(e.target as HTMLInputElement)}
          />{' '}
          Notify me when a short strike’s delta reaches
        </label>{' '}
        <input
          name="short-delta-threshold"
          class="hl-input hl-num"
          inputMode="decimal"
          size={5}
          value={text}
          disabled={on === null}
          aria-label="Short-strike delta to be notified at (per contract, 0.05 to 0.95)"
          aria-invalid={error ? 'true' : 'false'}
          aria-describedby={error ? 'short-delta-err' : undefined}
          onInput={(e) => {
            const v = (e.currentTarget as HTMLInputElement).value;
            setText(v);
            const c = checkDeltaThresholdText(v);
            setError(c.ok ? null : c.message);
          }}
          onChange={() => void saveThreshold()}
        />
        {error && (
          <span class="hl-error hlo-field-error" id="short-delta-err">
            {error}
          </span>
        )}
      </p>
      <p class="hl-hint hl-muted">
        Off by default. Per contract, from 0.05 to 0.95 (0.30: a 30-delta short). One notification per broker tab when
        the short put’s or short call’s delta reaches it; another only after it has fallen back below the threshold less
        0.05. Asks for the same notifications permission; it is given back when both notifications are off.
      </p>
    </>
  );
}

/** What HedgeLens may write into the broker's page, and how it tells the trader about a tab. */
export function PageSection() {
  const [notifyProblem, setNotifyProblem] = useState<string | null>(null);
  /** Turning notifications on asks the browser for the permission now (it must come from this click). */
  const saveNotify = async (next: boolean): Promise<boolean> => {
    setNotifyProblem(null);
    const r = await switchNotification(next, setNotifyStageChange);
    setNotifyProblem(r.problem);
    return r.on;
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
        notifications on asks the browser for its notifications permission; it is given back when this and the delta
        notification below are both off.
      </PrefBox>
      <ShortDeltaBox onProblem={setNotifyProblem} />
      {notifyProblem && (
        <p class="hl-error" role="alert">
          {notifyProblem}
        </p>
      )}
    </section>
  );
}
