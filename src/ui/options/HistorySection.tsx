import { useState } from 'preact/hooks';
import { TWO_DIGIT_YEARS, type LineError } from '../../engine/alvh/vixSeries';
import {
  loadSpxHistory,
  loadVixHistory,
  saveSpxHistory,
  saveVixHistory,
  type LoadedVixHistory,
  type StoreResult,
} from '../../storage/alvhInputs';
import type { VixBar } from '../../engine/alvh/vixSeries';
import { indexStepProblem, volIndexProblem, volLevelsProblem } from '../../engine/historyChecks';
import { formatNumber } from './fields';
import { FileField, ImportProgressBar, RefusedLines, notSaved, useFileImport } from './importParts';
import { Status } from './Status';
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
  /** Rows that say the market had no close that day ("." or "null"): skipped, not bad. */
  noData: number;
  /** The file's dates are MM/DD/YY: their years were placed in TWO_DIGIT_YEARS. */
  twoDigitYears: boolean;
  badLines: number;
  firstBad: LineError[];
  first: string;
  last: string;
  lastClose: number;
}

const SHOW_BAD = 5;
const n = (v: number) => v.toLocaleString('en-US');

/** What differs between the daily-closes histories the options page imports (VIX, S&P 500). */
interface HistoryKind {
  /** Prefix of the ids and test ids (`vix-title`, `vix-file`, …). */
  id: string;
  title: string;
  what: string;
  file: string;
  intro: string;
  nothing: string;
  load: () => Promise<LoadedVixHistory>;
  save: (bars: readonly VixBar[], meta: { source: string; at: Date }) => Promise<StoreResult>;
  /** Why the closes read are not this series' (another index's file), or null (engine/historyChecks.ts). */
  check: (bars: readonly VixBar[]) => string | null;
}

export const VIX_HISTORY: HistoryKind = {
  id: 'vix',
  title: 'VIX history',
  what: 'VIX',
  file: 'VIX_History.csv',
  intro:
    'The ALVH signals (VIX RSI and MACD) run on daily closes. Import Cboe’s VIX_History.csv (columns DATE, OPEN, HIGH, LOW, CLOSE; FRED’s VIXCLS or a Yahoo or yfinance download of ^VIX is read too): the file is read here, in your browser, and never sent anywhere.',
  nothing: 'Stored now: nothing. Until you import a history, the signals use only the VIX values seen on pages.',
  load: loadVixHistory,
  save: saveVixHistory,
  check: (bars) => volIndexProblem(bars, 'VIX'),
};

export const SPX_HISTORY: HistoryKind = {
  id: 'spx',
  title: 'S&P 500 history',
  what: 'S&P 500',
  file: 'SPX_History.csv',
  intro:
    'The P/L backtest prices a condor book on the index’s daily closes. Import Cboe’s SPX_History.csv (columns DATE, OPEN, HIGH, LOW, CLOSE; a Yahoo or yfinance download of ^GSPC, or FRED’s SP500, is read too): read here, in your browser, never sent anywhere.',
  nothing: 'Stored now: nothing. The backtest needs it (with the VIX history above).',
  load: loadSpxHistory,
  save: saveSpxHistory,
  check: (bars) => volLevelsProblem(bars) ?? indexStepProblem(bars),
};

async function readStored(kind: HistoryKind): Promise<StoredSummary> {
  const h = await kind.load();
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
  return <HistorySection kind={VIX_HISTORY} {...props} />;
}

/** S&P 500 history import (the P/L backtest's index closes), the same way. */
export function SpxSection(props: { now?: () => Date; yieldToPage?: () => Promise<void> } = {}) {
  return <HistorySection kind={SPX_HISTORY} {...props} />;
}

function HistorySection(props: { kind: HistoryKind; now?: () => Date; yieldToPage?: () => Promise<void> }) {
  const { kind } = props;
  const [report, setReport] = useState<ImportReport | null>(null);
  const { progress, busy, status, setStatus, stored, reload, start } = useFileImport(() => readStored(kind));

  const onFile = (ev: Event) =>
    start(ev, async ({ file, text, signal, onProgress }) => {
      setReport(null);
      const parsed = await parseVixHistoryInSlices({ text, signal, yieldToPage: props.yieldToPage, onProgress });
      const badLines = parsed.errors.length;
      if (parsed.bars.length === 0) {
        setStatus({
          kind: 'error',
          text: `Nothing imported from ${file.name}: ${parsed.errors[0]?.reason ?? `no ${kind.what} closes found`}. Download ${kind.file} from Cboe's historical data page and choose it here.`,
        });
        setReport(null);
        if (badLines > 0) {
          setReport({
            fileName: file.name,
            imported: 0,
            dataLines: parsed.dataLines,
            noData: parsed.noData,
            twoDigitYears: parsed.twoDigitYears === true,
            badLines,
            firstBad: parsed.errors.slice(0, SHOW_BAD),
            first: '',
            last: '',
            lastClose: 0,
          });
        }
        return;
      }
      // Another index's file (the S&P 500's given as the VIX's, say) replaces nothing stored.
      const wrong = kind.check(parsed.bars);
      if (wrong) {
        setStatus({
          kind: 'error',
          text: `Nothing imported from ${file.name}: ${/[.?]$/.test(wrong) ? wrong : `${wrong}.`} Download ${kind.file} from Cboe's historical data page and choose it here.`,
        });
        return;
      }
      const saved = await kind.save(parsed.bars, {
        source: file.name,
        at: (props.now ?? (() => new Date()))(),
      });
      const last = parsed.bars[parsed.bars.length - 1]!;
      setReport({
        fileName: file.name,
        imported: parsed.bars.length,
        dataLines: parsed.dataLines,
        noData: parsed.noData,
        twoDigitYears: parsed.twoDigitYears === true,
        badLines,
        firstBad: parsed.errors.slice(0, SHOW_BAD),
        first: parsed.bars[0]!.date,
        last: last.date,
        lastClose: last.close,
      });
      if (!saved.ok) setStatus(notSaved(saved.message));
      else
        setStatus({
          kind: 'saved',
          text: `Imported ${n(parsed.bars.length)} daily closes from ${file.name}${badLines > 0 ? `; ${n(badLines)} bad ${badLines === 1 ? 'line' : 'lines'} skipped (see below)` : ''}.`,
        });
      await reload();
    });

  return (
    <section class="hl-section" aria-labelledby={`${kind.id}-title`}>
      <h2 id={`${kind.id}-title`} class="hl-title">
        {kind.title}
      </h2>
      <p class="hl-muted">{kind.intro}</p>
      <div data-testid={`${kind.id}-stored`} class="hlo-stored">
        {stored === null ? (
          'Reading what is stored…'
        ) : stored.problem ? (
          <span class="hl-error">{`Stored history unusable: ${stored.problem}.`}</span>
        ) : stored.count === 0 ? (
          kind.nothing
        ) : (
          <>
            Stored now: <strong class="hl-num">{n(stored.count)}</strong> daily closes, {stored.first} to {stored.last}{' '}
            (last close <span class="hl-num">{formatNumber(stored.lastClose ?? 0)}</span>), from{' '}
            {stored.source ?? 'an unnamed file'}
            {stored.importedAt ? `, imported ${new Date(stored.importedAt).toLocaleString()}` : ''}.
          </>
        )}
      </div>
      <FileField
        id={`${kind.id}-file`}
        label={`Import ${kind.file}`}
        accept=".csv,text/csv"
        hint="Replaces the stored history. Bad lines are skipped and listed."
        disabled={busy}
        onChange={(ev) => void onFile(ev)}
      />
      <ImportProgressBar id={`${kind.id}-progress`} testId={`${kind.id}-progress`} progress={progress} busy={busy} />
      <Status value={status} testId={`${kind.id}-status`} />
      {report && (
        <div class="hlo-report" data-testid={`${kind.id}-report`}>
          <ul>
            <li>
              Rows imported: <span class="hl-num">{n(report.imported)}</span> of {n(report.dataLines)} data lines
            </li>
            {report.imported > 0 && (
              <>
                <li>
                  Dates: {report.first} to {report.last}
                  {report.twoDigitYears &&
                    ` (the file writes years with two digits: read as ${TWO_DIGIT_YEARS.from}–${TWO_DIGIT_YEARS.to})`}
                </li>
                <li>
                  Last close: <span class="hl-num">{formatNumber(report.lastClose)}</span> ({report.last})
                </li>
              </>
            )}
            {report.noData > 0 && (
              <li>Days the file gives no close (“.”, “null” or empty): {n(report.noData)}, skipped</li>
            )}
            <li>Bad lines: {n(report.badLines)}</li>
          </ul>
          <RefusedLines
            id={`${kind.id}-bad-title`}
            testId={`${kind.id}-bad-lines`}
            noun="bad lines"
            lines={report.firstBad}
            total={report.badLines}
          />
        </div>
      )}
    </section>
  );
}
