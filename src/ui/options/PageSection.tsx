import { useEffect, useState } from 'preact/hooks';
import { getMarkPositionRows, setMarkPositionRows } from '../../storage/pagePrefs';

/** What HedgeLens may write into the broker's page. */
export function PageSection() {
  const [on, setOn] = useState<boolean | null>(null);
  useEffect(() => void getMarkPositionRows().then(setOn), []);
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
    </section>
  );
}
