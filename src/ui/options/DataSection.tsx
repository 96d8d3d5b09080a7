import { useEffect, useState } from 'preact/hooks';
import { bytesInUse, defaultArea, formatBytes, type BytesMeasure } from '../../storage/area';
import { buildAllDataExport, importAllData, type PartReport } from '../../storage/allData';
import { datedFileName, downloadText, readFileText } from './files';
import { Status, type StatusValue } from './Status';

/** All data: one JSON file out, the same file back in with a report per part; storage usage. */
export function DataSection(props: { onImported?: () => void } = {}) {
  const [bytes, setBytes] = useState<BytesMeasure | null>(null);
  const [status, setStatus] = useState<StatusValue>(null);
  const [parts, setParts] = useState<PartReport[]>([]);
  const [busy, setBusy] = useState(false);

  const measure = () => {
    // Through the store's measure: the browser's count, or Chromium's own rule where the browser has none.
    void bytesInUse(defaultArea()).then(setBytes, () => setBytes(null));
  };
  useEffect(measure, []);

  const onExport = async () => {
    setBusy(true);
    try {
      const data = await buildAllDataExport();
      const name = datedFileName('hedgelens-all-data');
      downloadText({ fileName: name, text: `${JSON.stringify(data)}\n` });
      setStatus({
        kind: 'info',
        text: `Downloaded ${name}: settings, ${data.rulebook ? `rulebook v${data.rulebook.version}` : 'default rulebook'}, ${data.vixHistory?.dates.length ?? 0} VIX closes, ${data.macroCalendar?.length ?? 0} macro dates, ${data.advanceDecline?.dates.length ?? 0} advance–decline days, ${data.profiles.profiles.length} profiles, ${data.snapshots.count} snapshots.`,
      });
    } catch (err) {
      setStatus({
        kind: 'error',
        text: `Export failed: ${err instanceof Error ? err.message : String(err)}. Try again.`,
      });
    } finally {
      setBusy(false);
    }
  };

  const onImport = async (ev: Event) => {
    const input = ev.currentTarget as HTMLInputElement;
    const file = input.files?.[0];
    if (!file) return;
    setBusy(true);
    try {
      const r = await importAllData(await readFileText(file), { fileName: file.name });
      setParts(r.parts);
      if (!r.ok) setStatus({ kind: 'error', text: r.message ?? 'Nothing imported.' });
      else {
        const refused = r.parts.reduce((s, p) => s + p.refused.length, 0);
        setStatus({
          kind: refused ? 'info' : 'saved',
          text: `Imported ${file.name}${refused ? `; ${refused} items refused (see below)` : ''}.`,
        });
        props.onImported?.();
      }
    } finally {
      input.value = '';
      setBusy(false);
      measure();
    }
  };

  return (
    <section class="hl-section" aria-labelledby="data-title">
      <h2 id="data-title" class="hl-title">
        Your data
      </h2>
      <p>
        Everything HedgeLens stores stays in this browser’s extension storage
        {bytes !== null
          ? ` (${bytes.measuredBy === 'estimate' ? 'about ' : ''}${formatBytes(bytes.bytes)} in use)`
          : ''}
        . HedgeLens makes no network requests.
      </p>
      <div class="hlo-actions">
        <button type="button" class="hl-btn" onClick={() => void onExport()} disabled={busy}>
          Export everything
        </button>
        <span class="hlo-file">
          <label for="data-import">Import everything (JSON)</label>
          <input id="data-import" type="file" accept=".json,application/json" onChange={onImport} disabled={busy} />
        </span>
      </div>
      <Status value={status} testId="data-status" />
      {parts.length > 0 && (
        <table class="hlo-profiles" data-testid="data-report">
          <caption>What the import took and refused</caption>
          <thead>
            <tr>
              <th scope="col">Part</th>
              <th scope="col">Taken</th>
              <th scope="col">Refused</th>
            </tr>
          </thead>
          <tbody>
            {parts.map((p) => (
              <tr key={p.part}>
                <th scope="row">{p.part}</th>
                <td>{p.taken ?? 'nothing'}</td>
                <td>
                  {p.refused.length === 0 ? (
                    'none'
                  ) : (
                    <ul class="hl-error">
                      {p.refused.slice(0, 10).map((x, i) => (
                        <li key={i}>{x}</li>
                      ))}
                      {p.refused.length > 10 && <li>{p.refused.length - 10} more</li>}
                    </ul>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
