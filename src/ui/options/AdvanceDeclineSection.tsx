import { useEffect, useRef, useState } from 'preact/hooks';
import { loadAdvanceDecline, saveAdvanceDecline } from '../../storage/advanceDecline';
import { readFileText } from './files';
import { parseAdvanceDeclineInSlices } from './adImport';
import { Status, type StatusValue } from './Status';

interface StoredSummary {
  count: number;
  first: string | null;
  last: string | null;
  withClose: number;
  source: string | null;
  problem: string | null;
}

interface ImportReport {
  imported: number;
  dataLines: number;
  first: string | null;
  last: string | null;
  withClose: number;
  badLines: number;
  firstBad: { line: number; reason: string }[];
}

const SHOW_BAD = 5;
const n = (v: number) => v.toLocaleString('en-US');

async function readStored(): Promise<StoredSummary> {
  const s = await loadAdvanceDecline();
  return {
    count: s.rows.length,
    first: s.rows[0]?.date ?? null,
    last: s.rows[s.rows.length - 1]?.date ?? null,
    withClose: s.rows.filter((r) => r.close !== null).length,
    source: s.source,
    problem: s.problem,
  };
}

/**
 * The advance–decline import (CSV date,advances,declines[,close], the format of the CLI's --advance-decline): read
 * in slices with a progress bar, then stored; the report says what was taken and which lines were refused.
 * A file with no usable row changes nothing.
 */
export function AdvanceDeclineSection(props: { now?: () => Date; yieldToPage?: () => Promise<void> } = {}) {
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
      const parsed = await parseAdvanceDeclineInSlices({
        text: await readFileText(file),
        signal: abort.signal,
        yieldToPage: props.yieldToPage,
        onProgress: (p) => setProgress({ done: p.linesDone, total: p.linesTotal }),
      });
      const bad = parsed.badLines.length;
      setReport({
        imported: parsed.rows.length,
        dataLines: parsed.dataLines,
        first: parsed.rows[0]?.date ?? null,
        last: parsed.rows[parsed.rows.length - 1]?.date ?? null,
        withClose: parsed.rows.filter((r) => r.close !== null).length,
        badLines: bad,
        firstBad: parsed.badLines.slice(0, SHOW_BAD),
      });
      if (parsed.rows.length === 0) {
        setStatus({
          kind: 'error',
          text: `Nothing imported from ${file.name}: ${parsed.badLines[0] ? `line ${parsed.badLines[0].line}: ${parsed.badLines[0].reason}` : 'the file has no rows'}. Each line must be date,advances,declines[,close] with dates YYYY-MM-DD; the series stored before is kept.`,
        });
        return;
      }
      const saved = await saveAdvanceDecline(parsed.rows, {
        source: file.name,
        at: (props.now ?? (() => new Date()))(),
      });
      if (!saved.ok)
        setStatus({
          kind: 'error',
          text: `${saved.message}. Free some space (export and delete old snapshots) and import again.`,
        });
      else
        setStatus({
          kind: 'saved',
          text: `Imported ${n(parsed.rows.length)} days of advances and declines from ${file.name}${bad > 0 ? `; ${n(bad)} bad ${bad === 1 ? 'line' : 'lines'} refused (see below)` : ''}.`,
        });
      setStored(await readStored());
    } catch (err) {
      if (!(err instanceof DOMException && err.name === 'AbortError'))
        setStatus({
          kind: 'error',
          text: `${file.name} could not be read (${err instanceof Error ? err.message : String(err)}). Choose the file again.`,
        });
    } finally {
      input.value = '';
      setBusy(false);
    }
  };

  const pct = progress ? Math.round((100 * progress.done) / Math.max(1, progress.total)) : 0;
  return (
    <section class="hl-section" aria-labelledby="ad-title">
      <h2 id="ad-title" class="hl-title">
        Advance–decline
      </h2>
      <p class="hl-muted">
        Market breadth sizes Layer One: when the index is near its high while more stocks fall than rise, the hedge is
        taken larger. Import a CSV of daily rows date,advances,declines and, optionally, the index close (needed to
        judge “near its high”): it is read here and never sent anywhere.
      </p>
      <div data-testid="ad-stored" class="hlo-stored">
        {stored === null ? (
          'Reading what is stored…'
        ) : stored.problem ? (
          <span class="hl-error">{`Stored series unusable: ${stored.problem}.`}</span>
        ) : stored.count === 0 ? (
          'Stored now: nothing. Until you import a series, breadth is not judged and Layer One is sized on the VIX alone.'
        ) : (
          <>
            Stored now: <strong class="hl-num">{n(stored.count)}</strong> days, {stored.first} to {stored.last} (
            {stored.withClose === stored.count
              ? 'each with the index close'
              : `${n(stored.withClose)} with the index close`}
            ), from {stored.source ?? 'an unnamed file'}.
          </>
        )}
      </div>
      <div class="hlo-field">
        <label for="ad-file">Import an advance–decline CSV</label>
        <input
          id="ad-file"
          type="file"
          accept=".csv,.txt,text/csv,text/plain"
          onChange={onFile}
          disabled={busy}
          aria-describedby="ad-file-hint"
        />
        <span id="ad-file-hint" class="hl-hint">
          Replaces the stored series. Bad lines are refused and listed; a file with no usable row changes nothing.
        </span>
      </div>
      {progress && (
        <div class="hlo-progress">
          <label for="ad-progress">{busy ? 'Reading the file' : 'Read'}</label>
          <progress
            id="ad-progress"
            max={100}
            value={pct}
            data-testid="ad-progress"
            data-done={busy ? 'false' : 'true'}
          >
            {pct}%
          </progress>
          <span class="hl-num" aria-hidden="true">
            {pct}%
          </span>
        </div>
      )}
      <Status value={status} testId="ad-status" />
      {report && (
        <div class="hlo-report" data-testid="ad-report">
          <ul>
            <li>
              Days taken: <span class="hl-num">{n(report.imported)}</span> of {n(report.dataLines)} lines
            </li>
            {report.imported > 0 && (
              <li>
                Dates: {report.first} to {report.last}; {n(report.withClose)} with the index close
              </li>
            )}
            <li>Lines refused: {n(report.badLines)}</li>
          </ul>
          {report.firstBad.length > 0 && (
            <>
              <h3 class="hl-h3" id="ad-bad-title">
                {report.badLines > report.firstBad.length
                  ? `First ${report.firstBad.length} refused lines`
                  : 'Refused lines'}
              </h3>
              <ul aria-labelledby="ad-bad-title" data-testid="ad-bad-lines">
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
