import { useState } from 'preact/hooks';
import { loadAdvanceDecline, saveAdvanceDecline } from '../../storage/advanceDecline';
import { parseAdvanceDeclineInSlices } from './adImport';
import { FileField, ImportProgressBar, RefusedLines, notSaved, useFileImport } from './importParts';
import { Status } from './Status';

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
  const [report, setReport] = useState<ImportReport | null>(null);
  const { progress, busy, status, setStatus, stored, reload, start } = useFileImport(readStored);

  const onFile = (ev: Event) =>
    start(ev, async ({ file, text, signal, onProgress }) => {
      setReport(null);
      const parsed = await parseAdvanceDeclineInSlices({
        text,
        signal,
        yieldToPage: props.yieldToPage,
        onProgress,
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
      if (!saved.ok) setStatus(notSaved(saved.message));
      else
        setStatus({
          kind: 'saved',
          text: `Imported ${n(parsed.rows.length)} days of advances and declines from ${file.name}${bad > 0 ? `; ${n(bad)} bad ${bad === 1 ? 'line' : 'lines'} refused (see below)` : ''}.`,
        });
      await reload();
    });

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
      <FileField
        id="ad-file"
        label="Import an advance–decline CSV"
        accept=".csv,.txt,text/csv,text/plain"
        hint="Replaces the stored series. Bad lines are refused and listed; a file with no usable row changes nothing."
        disabled={busy}
        onChange={(ev) => void onFile(ev)}
      />
      <ImportProgressBar id="ad-progress" testId="ad-progress" progress={progress} busy={busy} />
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
          <RefusedLines
            id="ad-bad-title"
            testId="ad-bad-lines"
            noun="refused lines"
            lines={report.firstBad}
            total={report.badLines}
          />
        </div>
      )}
    </section>
  );
}
