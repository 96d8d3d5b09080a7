/**
 * An advance–decline file parsed in slices on the page's own thread, yielding between slices so the progress bar
 * moves and the page keeps painting. Each slice goes through the engine's parseAdvanceDecline (the parser of the
 * CLI's --advance-decline) with its line numbers in the file; a date repeated across slices keeps the later line,
 * as the parser does within one text.
 */
import { parseAdvanceDecline, type AdvanceDeclineRow } from '../../engine/alvh/breadth';

const LINES_PER_SLICE = 500;
/** Work per turn of the event loop before yielding: well inside one 16 ms frame. */
const BUDGET_MS = 8;

export interface AdImportResult {
  rows: AdvanceDeclineRow[];
  /** Every bad line, in file order (line 1 = the file's first line). */
  badLines: { line: number; reason: string }[];
  /** Lines that were neither blank, a comment nor the header. */
  dataLines: number;
  hasClose: boolean;
}

const defaultYield = (): Promise<void> => new Promise((ok) => setTimeout(ok, 0));

export async function parseAdvanceDeclineInSlices(params: {
  text: string;
  onProgress?: (p: { linesDone: number; linesTotal: number }) => void;
  signal?: AbortSignal;
  yieldToPage?: () => Promise<void>;
  now?: () => number;
}): Promise<AdImportResult> {
  const yieldToPage = params.yieldToPage ?? defaultYield;
  const now = params.now ?? (() => performance.now());
  const lines = params.text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const total = lines.length;
  const byDate = new Map<string, AdvanceDeclineRow>();
  const badLines: AdImportResult['badLines'] = [];
  let dataLines = 0;
  let turnStarted = now();
  params.onProgress?.({ linesDone: 0, linesTotal: total });
  for (let start = 0; start < total; start += LINES_PER_SLICE) {
    if (params.signal?.aborted) throw new DOMException('The import was cancelled.', 'AbortError');
    const slice = lines.slice(start, start + LINES_PER_SLICE);
    // A header is only at the top: before any row or bad line of the file.
    const headerAllowed = byDate.size === 0 && badLines.length === 0;
    let headerZone = headerAllowed; // as the parser: header lines until the first row or bad line
    for (const l of slice) {
      const t = l.trim();
      if (t === '' || t.startsWith('#')) continue;
      if (headerZone && /^date$/i.test(t.split(',')[0]!.trim())) continue;
      headerZone = false;
      dataLines++;
    }
    const p = parseAdvanceDecline({ text: slice.join('\n'), firstLine: start + 1, header: headerAllowed });
    for (const r of p.rows) byDate.set(r.date, r);
    badLines.push(...p.badLines);
    const done = Math.min(total, start + LINES_PER_SLICE);
    if (now() - turnStarted >= BUDGET_MS || done >= total) {
      params.onProgress?.({ linesDone: done, linesTotal: total });
      await yieldToPage();
      turnStarted = now();
    }
  }
  const rows = [...byDate.values()].sort((x, y) => x.date.localeCompare(y.date));
  return { rows, badLines, dataLines, hasClose: rows.some((r) => r.close !== null) };
}
