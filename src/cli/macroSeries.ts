/**
 * The macro series a command reads (`--macro-dir DIR`: every *.csv in it, in name order; `--macro-series FILE[,…]`),
 * parsed as FRED CSVs by the engine's strict reader. A bad file, a folder with no CSV or a series given twice is a
 * UsageError (exit 2) naming the file and the line.
 */
import { basename, join } from 'node:path';
import { parseFredCsv, type FredSeries } from '../engine/macro/fred.ts';
import { readTextFile, UsageError, type CliIo } from './io.ts';

export async function readMacroSeries(
  io: CliIo,
  args: { macroDir?: string | undefined; macroSeries?: readonly string[] | undefined },
): Promise<FredSeries[]> {
  const files: string[] = [];
  if (args.macroDir !== undefined) {
    if (!io.listDir) throw new UsageError('--macro-dir cannot be read here');
    let names: string[];
    try {
      names = await io.listDir(args.macroDir);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new UsageError(
        `cannot read the folder ${args.macroDir}: ${code === 'ENOENT' ? 'no such folder' : code === 'ENOTDIR' ? 'not a folder' : (e as Error).message}`,
      );
    }
    const csvs = names.filter((n) => /\.csv$/i.test(n)).sort();
    if (csvs.length === 0) throw new UsageError(`${args.macroDir} holds no .csv file (FRED series are CSV downloads)`);
    files.push(...csvs.map((n) => join(args.macroDir!, n)));
  }
  files.push(...(args.macroSeries ?? []));
  const byId = new Map<string, FredSeries>();
  for (const f of files) {
    const r = parseFredCsv(await readTextFile(io, f), basename(f));
    if (!r.ok) throw new UsageError(r.reason);
    if (byId.has(r.series.id)) throw new UsageError(`${basename(f)}: series ${r.series.id} is given twice`);
    byId.set(r.series.id, r.series);
  }
  return [...byId.values()];
}

/** `--macro-series a.csv,b.csv` as a list; an empty list is a UsageError. */
export function macroSeriesList(value: string): string[] {
  const list = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (list.length === 0) throw new UsageError('--macro-series takes one or more FRED CSV files, comma-separated');
  return list;
}
