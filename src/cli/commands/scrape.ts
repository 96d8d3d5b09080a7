/**
 * `hedgelens scrape <file.html> [--json]`: run the page readers on a saved page and print the Chain
 * (DESIGN.md §4) with the reading report. Exit 0 when a chain was read, 2 when the page has none
 * (the reason on stderr), 2 on bad usage.
 */
import { basename } from 'node:path';
import { readChainFromHtml } from '../../brokers/node';
import type { ReadResult } from '../../brokers/types';
import { importChainText } from '../../chain/importers/index.ts';
import { UsageError, type CommandRun } from '../io';

const USAGE = 'usage: hedgelens scrape <file.html> [--json] [--url URL]';

function parseArgs(argv: string[]): { file: string; json: boolean; url?: string } {
  let file: string | null = null;
  let json = false;
  let url: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--json') json = true;
    else if (a === '--url') {
      url = argv[++i];
      if (!url) throw new UsageError(`--url needs a value; ${USAGE}`);
    } else if (a.startsWith('--')) throw new UsageError(`unknown option ${a}; ${USAGE}`);
    else if (file === null) file = a;
    else throw new UsageError(`one file at a time (got ${file} and ${a}); ${USAGE}`);
  }
  if (file === null) throw new UsageError(USAGE);
  return { file, json, url };
}

function summary(file: string, r: ReadResult): string {
  const lines: string[] = [];
  const rep = r.report;
  if (r.ok) {
    const c = r.chain;
    const px = c.underlying.price === null ? 'price not shown' : String(c.underlying.price);
    lines.push(`${basename(file)}: ${c.underlying.symbol} (${px}) via ${rep.adapter}`);
    for (const e of c.expiries) {
      const calls = e.rows.filter((x) => x.call).length;
      const puts = e.rows.filter((x) => x.put).length;
      const lo = e.rows[0]?.strike;
      const hi = e.rows[e.rows.length - 1]?.strike;
      lines.push(
        `  ${e.date} ${e.root ?? '?'} ${e.settlement}: ${e.rows.length} strikes ${lo}–${hi}, ${calls} calls, ${puts} puts`,
      );
    }
    for (const v of r.vixSightings) lines.push(`  VIX ${v.value} seen (${v.source})`);
  } else {
    lines.push(`${basename(file)}: no chain — ${r.reason}`);
  }
  lines.push(
    `reading: ${rep.rowsRead} rows read, ${rep.rowsDropped} dropped, ${rep.flagged.length} flagged, confidence ${rep.confidence}`,
  );
  for (const d of rep.dropped.slice(0, 10)) lines.push(`  dropped row ${d.row}: ${d.reason}`);
  if (rep.dropped.length > 10) lines.push(`  … ${rep.dropped.length - 10} more dropped`);
  for (const f of rep.flagged.slice(0, 10)) lines.push(`  flagged row ${f.row}: ${f.reason}`);
  if (rep.flagged.length > 10) lines.push(`  … ${rep.flagged.length - 10} more flagged`);
  for (const n of rep.notes) lines.push(`  note: ${n}`);
  return lines.join('\n') + '\n';
}

/**
 * A broker API's chain JSON (Schwab/TD Ameritrade, Tradier, Yahoo) saved to a file reads through the chain
 * importers, reported like a page: each warning a flagged row.
 */
function readChainFile(text: string, file: string): ReadResult {
  const r = importChainText({ text, fileName: file });
  const report = {
    adapter: r.ok ? r.chain.source.adapter : 'chain-file',
    rowsRead: 0,
    rowsDropped: 0,
    dropped: [],
    flagged: [] as { row: number; reason: string }[],
    confidence: r.ok ? 1 : 0,
    notes: ['read as a chain file, not a page'],
  };
  if (!r.ok) return { ok: false, reason: r.reason, report };
  for (const e of r.chain.expiries) report.rowsRead += e.rows.length;
  for (const w of r.chain.warnings) report.flagged.push({ row: w.row ?? -1, reason: w.reason });
  return { ok: true, chain: r.chain, report, vixSightings: [] };
}

export const run: CommandRun = async (argv, io) => {
  const { file, json, url } = parseArgs(argv);
  let html: string;
  try {
    html = await io.readFile(file);
  } catch (err) {
    throw new UsageError(`cannot read ${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const result = /^\s*[{[]/.test(html.slice(0, 200))
    ? readChainFile(html, file)
    : readChainFromHtml(html, { url, title: undefined });
  if (json) {
    const out = result.ok
      ? {
          chain: { ...result.chain, source: { ...result.chain.source, name: basename(file) } },
          report: result.report,
          vixSightings: result.vixSightings,
        }
      : { chain: null, reason: result.reason, report: result.report };
    io.stdout(JSON.stringify(out, null, 2) + '\n');
  } else {
    io.stdout(summary(file, result));
  }
  if (!result.ok) {
    io.stderr(`no option chain in ${basename(file)}: ${result.reason}\n`);
    return 2;
  }
  return 0;
};
