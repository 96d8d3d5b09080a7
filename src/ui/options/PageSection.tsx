import { useEffect, useState } from 'preact/hooks';
import {
  getMarkPositionRows,
  getUnreadLineOnPage,
  setMarkPositionRows,
  setUnreadLineOnPage,
} from '../../storage/pagePrefs';

/** What HedgeLens may write into the broker's page. */
export function PageSection() {
  const [on, setOn] = useState<boolean | null>(null);
  const [lineOn, setLineOn] = useState<boolean | null>(null);
  useEffect(() => void getMarkPositionRows().then(setOn), []);
  useEffect(() => void getUnreadLineOnPage().then(setLineOn), []);
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
    </section>
  );
}
