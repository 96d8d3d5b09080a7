import { useEffect, useRef, useState } from 'preact/hooks';
import type { LineError } from '../../engine/alvh/vixSeries';
import { loadVixHistory, saveVixHistory } from '../../storage/alvhInputs';
import { formatNumber } from './fields';
import { readFileText } from './files';
import { Status, type StatusValue } from './Status';
import { parseVixHistoryInSlices } from './vixImport';

interface StoredSummary {
  count: number;
  first: string | null;
  last: string | null;
  lastClose: number | null;
  source: string | null;
  importedAt: string | null;
  problem: string | null;
}

interface ImportReport {
  fileName: string;
  imported: number;
  dataLines: number;
  badLines: number;
  firstBad: LineError[];
  first: string;
  last: string;
  lastClose: number;
}

const SHOW_BAD = 5;
const n = (v: number) => v.toLocaleString('en-US');

async function readStored(): Promise<StoredSummary> {
  const h = await loadVixHistory();
  const last = h.bars[h.bars.length - 1];
  return {
    count: h.bars.length,
    first: h.bars[0]?.date ?? null,
    last: last?.date ?? null,
    lastClose: last?.close ?? null,
    source: h.source,
    importedAt: h.importedAt,
    problem: h.problem,
  };
}

/** VIX history import: Cboe's VIX_History.csv parsed in slices with a real progress bar, then stored. */
export function VixSection(props: { now?: () => Date; yieldToPage?: () => Promise<void> } = {}) {
  const [stored, setStored] = useState<StoredSummary | null>(null);
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const [busy, setBusy] = useState(false);
  const [report, setReport] = useState<ImportReport | null>(null);
  const [status, setStatus] = useState<StatusValue>(null);
  const abortRef = useRef<AbortController | null>(null);

  useEffect(() => {
    void readStored().then(setStored);
    return () => abortRef.current?.abort();
  }, []);

  const onFile = async (ev: Event) => {
    const input = ev.currentTarget as HTMLInputElement;
    const file = input.files?.[0];
    if (!file) return;
    abortRef.current?.abort();
    const abort = new AbortController();
    abortRef.current = abort;
    setBusy(true);
    setReport(null);
    setStatus({ kind: 'info', text: `Reading ${file.name}…` });
    setProgress({ done: 0, total: 1 });
    try {
      const text = await readFileText(file);
      const parsed = await parseVixHistoryInSlices({
        text,
        signal: abort.signal,
        yieldToPage: props.yieldToPage,
        onProgress: (p) => setProgress({ done: p.linesDone, total: p.linesTotal }),
      });
      const badLines = parsed.errors.length;
      if (parsed.bars.length === 0) {
        setStatus({
          kind: 'error',
          text: `Nothing imported from ${file.name}: ${parsed.errors[0]?.reason ?? 'no VIX closes found'}. Download VIX_History.csv from Cboe's VIX historical data page and choose it here.`,
        });
        setReport(null);
        if (badLines > 0) {
          setReport({
            fileName: file.name,
            imported: 0,
            dataLines: parsed.dataLines,
            badLines,
            firstBad: parsed.errors.slice(0, SHOW_BAD),
            first: '',
            last: '',
            lastClose: 0,
          });
        }
        return;
      }
      const saved = await saveVixHistory(parsed.bars, { source: file.name, at: (props.now ?? (() => new Date()))() });
      const last = parsed.bars[parsed.bars.length - 1]!;
      setReport({
        fileName: file.name,
        imported: parsed.bars.length,
        dataLines: parsed.dataLines,
        badLines,
        firstBad: parsed.errors.slice(0, SHOW_BAD),
        first: parsed.bars[0]!.date,
        last: last.date,
        lastClose: last.close,
      });
      if (!saved.ok)
        setStatus({
          kind: 'error',
          text: `${saved.message}. Free some space (export and delete old snapshots) and import again.`,
        });
      else
        setStatus({
          kind: 'saved',
          text: `Imported ${n(parsed.bars.length)} daily closes from ${file.name}${badLines > 0 ? `; ${n(badLines)} bad ${badLines === 1 ? 'line' : 'lines'} skipped (see below)` : ''}.`,
        });
      setStored(await readStored());
    } catch (err) {
      if (!(err instanceof DOMException && err.name === 'AbortError')) {
        setStatus({
          kind: 'error',
          text: `${file.name} could not be read (${err instanceof Error ? err.message : String(err)}). Choose the file again.`,
        });
      }
    } finally {
      input.value = '';
      setBusy(false);
    }
  };

  const pct = progress ? Math.round((100 * progress.done) / Math.max(1, progress.total)) : 0;
  return (
    <section class="hl-section" aria-labelledby="vix-title">
      <h2 id="vix-title" class="hl-title">
        VIX history
      </h2>
      <p class="hl-muted">
        The ALVH signals (VIX RSI and MACD) run on daily closes. Import Cboe’s VIX_History.csv (columns DATE, OPEN,
        HIGH, LOW, CLOSE): the file is read here, in your browser, and never sent anywhere.
      </p>
      <div data-testid="vix-stored" class="hlo-stored">
        {stored === null ? (
          'Reading what is stored…'
        ) : stored.problem ? (
          <span class="hl-error">{`Stored history unusable: ${stored.problem}.`}</span>
        ) : stored.count === 0 ? (
          'Stored now: nothing. Until you import a history, the signals use only the VIX values seen on pages.'
        ) : (
          <>
            Stored now: <strong class="hl-num">{n(stored.count)}</strong> daily closes, {stored.first} to {stored.last}{' '}
            (last close <span class="hl-num">{formatNumber(stored.lastClose ?? 0)}</span>), from{' '}
            {stored.source ?? 'an unnamed file'}
            {stored.importedAt ? `, imported ${new Date(stored.importedAt).toLocaleString()}` : ''}.
          </>
        )}
      </div>
      <div class="hlo-field">
        <label for="vix-file">Import VIX_History.csv</label>
        <input
          id="vix-file"
          type="file"
          accept=".csv,text/csv"
          onChange={onFile}
          disabled={busy}
          aria-describedby="vix-file-hint"
        />
        <span id="vix-file-hint" class="hl-hint">
          Replaces the stored history. Bad lines are skipped and listed.
        </span>
      </div>
      {progress && (
        <div class="hlo-progress">
          <label for="vix-progress">{busy ? 'Reading the file' : 'Read'}</label>
          <progress
            id="vix-progress"
            max={100}
            value={pct}
            data-testid="vix-progress"
            data-done={busy ? 'false' : 'true'}
          >
            {pct}%
          </progress>
          <span class="hl-num" aria-hidden="true">
            {pct}%
          </span>
        </div>
      )}
      <Status value={status} testId="vix-status" />
      {report && (
        <div class="hlo-report" data-testid="vix-report">
          <ul>
            <li>
              Rows imported: <span class="hl-num">{n(report.imported)}</span> of {n(report.dataLines)} data lines
            </li>
            {report.imported > 0 && (
              <>
                <li>
                  Dates: {report.first} to {report.last}
                </li>
                <li>
                  Last close: <span class="hl-num">{formatNumber(report.lastClose)}</span> ({report.last})
                </li>
              </>
            )}
            <li>Bad lines: {n(report.badLines)}</li>
          </ul>
          {report.firstBad.length > 0 && (
            <>
              <h3 class="hl-h3" id="vix-bad-title">
                {report.badLines > report.firstBad.length ? `First ${report.firstBad.length} bad lines` : 'Bad lines'}
              </h3>
              <ul aria-labelledby="vix-bad-title" data-testid="vix-bad-lines">
                {report.firstBad.map((e) => (
                  <li key={`${e.line}-${e.reason}`}>
                    line {e.line}: {e.reason}
                  </li>
                ))}
              </ul>
            </>
          )}
        </div>
      )}
    </section>
  );
}
