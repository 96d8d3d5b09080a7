import { useEffect, useState } from 'preact/hooks';
import { parseFredCsv } from '../../engine/macro/fred';
import { GAUGES_INFO } from '../../engine/macro/gauges';
import { loadMacroSeries, removeMacroSeries, saveMacroSeries, type StoredSeriesInfo } from '../../storage/macroSeries';
import { readFileText } from './files';
import { Status, type StatusValue } from './Status';

/** Gauges the method names for which no public series is known here: the trader may bring one (FRED format). */
const BRING_YOUR_OWN = [
  { name: 'REIT returns (the method’s REIT IRR)', example: 'observation_date,REITRET' },
  { name: 'Price to cash flow against price to earnings, per index', example: 'observation_date,SPXPCF' },
];

/**
 * Macro series for the method's gauges: FRED CSV downloads (observation_date,SERIES or DATE,SERIES), read here and
 * kept in this browser; each gauge says which series it reads.
 */
export function MacroSection(props: { now?: () => Date } = {}) {
  const [stored, setStored] = useState<{ info: StoredSeriesInfo[]; problem: string | null } | null>(null);
  const [status, setStatus] = useState<StatusValue>(null);
  const [busy, setBusy] = useState(false);
  const reload = async () => setStored(await loadMacroSeries());
  useEffect(() => void reload(), []);

  const onFiles = async (ev: Event) => {
    const input = ev.currentTarget as HTMLInputElement;
    const files = [...(input.files ?? [])];
    if (files.length === 0) return;
    setBusy(true);
    const done: string[] = [];
    const failed: string[] = [];
    try {
      for (const file of files) {
        const r = parseFredCsv(await readFileText(file), file.name);
        if (!r.ok) {
          failed.push(r.reason);
          continue;
        }
        const saved = await saveMacroSeries(r.series, { source: file.name, at: (props.now ?? (() => new Date()))() });
        if (saved.ok)
          done.push(
            `${r.series.id} (${r.series.observations.length.toLocaleString('en-US')} ${r.series.frequency} values)`,
          );
        else failed.push(`${saved.message}. Free some space (export and delete old snapshots) and import again.`);
      }
      setStatus(
        failed.length > 0
          ? {
              kind: 'error',
              text: `${done.length ? `Imported ${done.join(', ')}. ` : ''}Not imported: ${failed.join(' ')}`,
            }
          : { kind: 'saved', text: `Imported ${done.join(', ')}.` },
      );
      await reload();
    } finally {
      input.value = '';
      setBusy(false);
    }
  };

  const onRemove = async (id: string) => {
    const r = await removeMacroSeries(id);
    setStatus(r.ok ? { kind: 'saved', text: `${id} removed.` } : { kind: 'error', text: r.message });
    await reload();
  };

  const have = new Set(stored?.info.map((i) => i.id) ?? []);
  return (
    <section class="hl-section" aria-labelledby="macro-title">
      <h2 id="macro-title" class="hl-title">
        Macro series
      </h2>
      <p class="hl-muted">
        The method watches broader stress before it adds volatility exposure. Bring the series as FRED CSV downloads
        (columns observation_date and the series id; “.” or an empty cell for a missing day): they are read here, kept
        in this browser, and never sent anywhere. Each value is used only from its publication (a monthly figure weeks
        after its month).
      </p>
      <table class="hlo-profiles" data-testid="macro-gauges">
        <caption class="hl-muted">What each gauge reads</caption>
        <thead>
          <tr>
            <th scope="col">Gauge</th>
            <th scope="col">Series (any one)</th>
            <th scope="col">Stored</th>
          </tr>
        </thead>
        <tbody>
          {GAUGES_INFO.map((g) => (
            <tr key={g.id}>
              <th scope="row">{g.name}</th>
              <td class="hl-num">{g.series.join(', ')}</td>
              <td>{g.series.some((s) => have.has(s)) ? 'yes' : 'not judged until you import one'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div data-testid="macro-stored" class="hlo-stored">
        {stored === null ? (
          'Reading what is stored…'
        ) : (
          <>
            {stored.problem && <p class="hl-error">{stored.problem}.</p>}
            {stored.info.length === 0 ? (
              'Stored now: no series.'
            ) : (
              <ul>
                {stored.info.map((i) => (
                  <li key={i.id}>
                    <span class="hl-num">{i.id}</span>: {i.count.toLocaleString('en-US')} {i.frequency} values,{' '}
                    {i.first} to {i.last}, from {i.source}{' '}
                    <button type="button" class="hl-link" onClick={() => void onRemove(i.id)}>
                      Remove {i.id}
                    </button>
                  </li>
                ))}
              </ul>
            )}
          </>
        )}
      </div>
      <div class="hlo-field">
        <label for="macro-files">Import FRED CSV files</label>
        <input
          id="macro-files"
          type="file"
          multiple
          accept=".csv,text/csv"
          onChange={onFiles}
          disabled={busy}
          aria-describedby="macro-files-hint"
        />
        <span id="macro-files-hint" class="hl-hint">
          One series per file; a series already stored is replaced. A file that is not a FRED series is refused with the
          line that is wrong.
        </span>
      </div>
      <Status value={status} testId="macro-status" />
      <h3 class="hl-h3">Bring your own series</h3>
      <p class="hl-muted">
        The method also names gauges for which no public series is known here. Any series in the same format can be
        imported; these are listed so they are not silently dropped:
      </p>
      <ul data-testid="macro-bring-your-own">
        {BRING_YOUR_OWN.map((b) => (
          <li key={b.name}>
            {b.name}: a CSV with the header <code>{b.example}</code>
          </li>
        ))}
      </ul>
    </section>
  );
}
