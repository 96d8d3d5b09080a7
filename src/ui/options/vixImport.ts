/**
 * Cboe's VIX_History.csv parsed in slices on the page's own thread, yielding between slices so the page keeps
 * painting (and the progress bar moves). Each slice goes through the engine's parseVixHistory with the file's
 * header in front; line numbers are mapped back to the file, and a date repeated across slices keeps the later
 * line, as parseVixHistory does within one text.
 */
import {
  csvCells,
  historyDate,
  headerLineOf,
  historyDatesAfter,
  historyHeader,
  historyLines,
  parseVixHistory,
  type LineError,
  type VixBar,
} from '../../engine/alvh/vixSeries';

/** ≤ the parser's kept-error limit (200), so no slice ever summarises its bad lines instead of listing them. */
const LINES_PER_SLICE = 200;
/** Work per turn of the event loop before yielding: well inside one 16 ms frame. */
const BUDGET_MS = 8;
/**
 * The bar also moves at least every tenth of the file, however fast the machine: a bar that jumps from 20% to
 * 61% to done looks stuck, not busy (a yield costs a task, ~10 of them per import).
 */
const PROGRESS_STEP = 0.1;

export interface VixImportProgress {
  linesDone: number;
  linesTotal: number;
}

export interface VixImportResult {
  bars: VixBar[];
  /** Bad lines in file order (line 1 = the first line of the file); all of them, not a sample. */
  errors: LineError[];
  /** Data lines read (blank lines not counted). */
  dataLines: number;
  /** Rows that say the day has no close ("." or "null" in every value): neither bars nor bad lines. */
  noData: number;
  /** The dates are MM/DD/YY, their years placed in TWO_DIGIT_YEARS (vixSeries.ts). */
  twoDigitYears?: boolean;
}

const defaultYield = (): Promise<void> => new Promise((ok) => setTimeout(ok, 0));

export async function parseVixHistoryInSlices(params: {
  text: string;
  onProgress?: (p: VixImportProgress) => void;
  signal?: AbortSignal;
  /** How to give the thread back between turns (tests may pass a resolved promise). */
  yieldToPage?: () => Promise<void>;
  now?: () => number;
}): Promise<VixImportResult> {
  const { onProgress, signal } = params;
  const yieldToPage = params.yieldToPage ?? defaultYield;
  const now = params.now ?? (() => performance.now());
  // As comma-separated lines (a tab- or semicolon-separated file is rewritten once, here): each slice is then read
  // behind the comma-separated header line.
  const lines = historyLines(params.text);
  const total = lines.length;
  if (lines.every((l) => l.trim() === '')) {
    onProgress?.({ linesDone: total, linesTotal: total });
    return { bars: [], errors: [{ line: 1, reason: 'the file is empty' }], dataLines: 0, noData: 0 };
  }
  // The header decides the columns, the first data line the date format, for every slice: read them first, so a
  // file that is not a history fails fast with the parser's message.
  const head = historyHeader(lines);
  if ('error' in head) {
    onProgress?.({ linesDone: total, linesTotal: total });
    return { bars: [], errors: [{ line: head.line + 1, reason: head.error }], dataLines: 0, noData: 0 };
  }
  const headerIdx = head.line;
  // The columns as one header line (the file's own may span rows: yfinance's does).
  const header = headerLineOf(head.columns);
  const dateCol = head.columns.date;
  const dates = historyDatesAfter(lines, headerIdx, dateCol) ?? 'us';
  const byDate = new Map<string, { bar: VixBar; line: number }>();
  const errors: LineError[] = [];
  let dataLines = 0;
  let noData = 0;
  let start = headerIdx + 1;
  let turnStarted = now();
  let shownAt = start;
  onProgress?.({ linesDone: start, linesTotal: total });
  while (start < total) {
    if (signal?.aborted) throw new DOMException('The import was cancelled.', 'AbortError');
    const end = Math.min(total, start + LINES_PER_SLICE);
    const slice = lines.slice(start, end);
    for (const l of slice) if (l.trim() !== '') dataLines++;
    // In the slice text the header is line 1 and file line (start + k + 1) is line k + 2.
    const toFileLine = (sliceLine: number): number => sliceLine + start - 1;
    const parsed = parseVixHistory({ text: `${header}\n${slice.join('\n')}`, dates });
    noData += parsed.noData ?? 0;
    for (const e of parsed.errors) {
      const repeat = /^date (\d{4}-\d{2}-\d{2}) repeated on line (\d+)/.exec(e.reason);
      errors.push({
        line: toFileLine(e.line),
        reason: repeat
          ? `date ${repeat[1]!} repeated on line ${toFileLine(Number(repeat[2]))}; the later line is kept`
          : e.reason,
      });
    }
    // Bars come back sorted by date, not by line: recover each bar's line to order repeats across slices.
    const lineOf = new Map<string, number>();
    slice.forEach((l, k) => {
      const d = historyDate(csvCells(l)[dateCol] ?? '', dates);
      if (d) lineOf.set(d, start + k + 1);
    });
    for (const bar of parsed.bars) {
      const line = lineOf.get(bar.date) ?? start + 1;
      const prev = byDate.get(bar.date);
      if (prev)
        errors.push({ line: prev.line, reason: `date ${bar.date} repeated on line ${line}; the later line is kept` });
      byDate.set(bar.date, { bar, line });
    }
    start = end;
    if (now() - turnStarted >= BUDGET_MS || start >= total || start - shownAt >= PROGRESS_STEP * total) {
      shownAt = start;
      onProgress?.({ linesDone: start, linesTotal: total });
      await yieldToPage();
      turnStarted = now();
    }
  }
  errors.sort((a, b) => a.line - b.line);
  const bars = [...byDate.values()].map((v) => v.bar).sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  return { bars, errors, dataLines, noData, ...(dates === 'us-short' ? { twoDigitYears: true } : {}) };
}
