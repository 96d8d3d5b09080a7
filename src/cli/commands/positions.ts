/**
 * `hedgelens positions FILE [--json]`: import the positions held in a broker's file (thinkorswim statement,
 * tastytrade positions or transactions, Interactive Brokers activity statement, Schwab or Fidelity positions)
 * and print each position's legs; `--json` prints the same as data with the full import report.
 * Exit 0 when the file was read, 2 when it cannot be (one line naming the file's line and what was expected).
 */
import { basename } from 'node:path';
import { importPositionsText } from '../../positions/import/index.ts';
import type { ImportReport, Position, SkippedLine } from '../../positions/types.ts';
import { parseArgs } from '../args.ts';
import { fmtStrike, table } from '../format.ts';
import { UsageError, type CliIo, type CommandRun } from '../io.ts';

const USAGE = 'usage: hedgelens positions <file.csv> [--json]';

function signed(n: number): string {
  return n > 0 ? `+${n}` : String(n);
}

function legRows(p: Position): string[][] {
  return p.legs.map((l) =>
    l.asset === 'option'
      ? [
          l.occ,
          l.underlying,
          l.expiry,
          fmtStrike(l.strike),
          l.kind,
          signed(l.quantity),
          String(l.openPrice),
          String(l.line),
        ]
      : [l.symbol, l.symbol, '', '', l.asset, signed(l.quantity), String(l.openPrice), String(l.line)],
  );
}

/** Consecutive skipped lines with one reason, as ranges: "lines 5–12: section "Cash Balance" (not a holding)". */
function skippedRanges(skipped: SkippedLine[]): string[] {
  const out: string[] = [];
  let start: SkippedLine | null = null;
  let end = 0;
  const flush = (): void => {
    if (start) out.push(`${start.line === end ? `line ${end}` : `lines ${start.line}–${end}`}: ${start.reason}`);
  };
  for (const s of skipped) {
    if (start && s.reason === start.reason && s.line <= end + 2) {
      end = s.line;
      continue;
    }
    flush();
    start = s;
    end = s.line;
  }
  flush();
  return out;
}

function text(file: string, positions: Position[], report: ImportReport): string {
  const lines = [
    `${basename(file)}: ${report.formatName} (recognised by ${JSON.stringify(report.detectedBy)})`,
    `${report.positions} position${report.positions === 1 ? '' : 's'}, ${report.legs} leg${report.legs === 1 ? '' : 's'}, ${report.skipped.length} line${report.skipped.length === 1 ? '' : 's'} skipped`,
  ];
  for (const p of positions) {
    lines.push('', `${p.name}${p.account ? ` (account ${p.account})` : ''}`);
    lines.push(
      table({
        headers: ['symbol', 'underlying', 'expiry', 'strike', 'put/call', 'qty', 'open price', 'line'],
        rows: legRows(p),
        left: [0, 1, 2, 4],
      }).replace(/^/gm, '  '),
    );
  }
  if (report.skipped.length > 0) {
    lines.push('', 'skipped (not positions):');
    for (const r of skippedRanges(report.skipped)) lines.push(`  ${r}`);
  }
  for (const n of report.notes) lines.push(`note: ${n}`);
  return lines.join('\n') + '\n';
}

/** A broker position file read and imported; a UsageError names the file (and the line) when it cannot be. */
export async function importPositionsFile(
  io: CliIo,
  file: string,
): Promise<{ positions: Position[]; report: ImportReport }> {
  let content: string;
  try {
    content = await io.readFile(file);
  } catch (err) {
    throw new UsageError(`cannot read ${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const result = importPositionsText(content);
  if (!result.ok) throw new UsageError(`${basename(file)}: ${result.reason}`);
  return result;
}

export const run: CommandRun = async (argv, io) => {
  const { positionals, values } = parseArgs({ argv, flags: { json: { type: 'boolean' } }, usage: USAGE });
  if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? USAGE : `one file at a time; ${USAGE}`);
  const file = positionals[0]!;
  const result = await importPositionsFile(io, file);
  if (values.json) {
    io.stdout(
      JSON.stringify({ file: basename(file), positions: result.positions, report: result.report }, null, 2) + '\n',
    );
  } else {
    io.stdout(text(file, result.positions, result.report));
  }
  return 0;
};
