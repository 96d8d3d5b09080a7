/**
 * `hedgelens backtest-rules --vix-history FILE [--rulebook FILE] [--json]`
 *
 * The ALVH stage the rulebook gives each day of a VIX history, from the VIX signals alone (no position: Calm,
 * Layer One, Second Engine, Unwind), and a summary: the episodes (when Layer One and the Second Engine fired, how
 * long they stayed on, the peak VIX), per-year counts and false alarms.
 */
import { runBacktest, type BacktestResult } from '../../engine/alvh/backtest';
import { defaultRulebook, importRulebook, type Rulebook } from '../../engine/alvh/rulebook';
import { parseVixHistory } from '../../engine/alvh/vixSeries';
import { UsageError, type CliIo, type CommandRun } from '../io';

const USAGE = 'usage: hedgelens backtest-rules --vix-history FILE [--rulebook FILE] [--json]';

interface Args {
  vixHistory: string;
  rulebook: string | null;
  json: boolean;
}

function parseArgs(argv: string[]): Args | 'help' {
  let vixHistory: string | null = null;
  let rulebook: string | null = null;
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    const eq = a.indexOf('=');
    const flag = a.startsWith('--') && eq > 0 ? a.slice(0, eq) : a;
    const inline = a.startsWith('--') && eq > 0 ? a.slice(eq + 1) : null;
    const value = (): string => {
      if (inline !== null) return inline;
      const v = argv[i + 1];
      if (v === undefined || v.startsWith('--')) throw new UsageError(`${flag} needs a file name. ${USAGE}`);
      i++;
      return v;
    };
    switch (flag) {
      case '--vix-history':
        vixHistory = value();
        break;
      case '--rulebook':
        rulebook = value();
        break;
      case '--json':
        json = true;
        break;
      case '--help':
      case '-h':
        return 'help';
      default:
        throw new UsageError(`unknown argument ${JSON.stringify(a)}. ${USAGE}`);
    }
  }
  if (vixHistory === null) throw new UsageError(`--vix-history FILE is required. ${USAGE}`);
  return { vixHistory, rulebook, json };
}

async function read(io: CliIo, path: string, what: string): Promise<string> {
  try {
    return await io.readFile(path);
  } catch (e) {
    throw new UsageError(`cannot read ${what} ${path}: ${(e as Error).message}`);
  }
}

const r2 = (v: number | null): number | null => (v === null || !Number.isFinite(v) ? null : Math.round(v * 100) / 100);

export const run: CommandRun = async (argv, io) => {
  const args = parseArgs(argv);
  if (args === 'help') {
    io.stdout(`${USAGE}\n`);
    return 0;
  }
  let rulebook: Rulebook = defaultRulebook();
  if (args.rulebook !== null) {
    const r = importRulebook(await read(io, args.rulebook, 'rulebook'));
    if (!r.ok) throw new UsageError(`invalid rulebook ${args.rulebook}: ${r.errors.slice(0, 3).join('; ')}`);
    rulebook = r.rulebook;
  }
  const history = parseVixHistory({ text: await read(io, args.vixHistory, 'VIX history') });
  if (history.bars.length === 0) {
    const why = history.errors[0] ? `line ${history.errors[0].line}: ${history.errors[0].reason}` : 'the file is empty';
    throw new UsageError(`no VIX closes in ${args.vixHistory} (${why})`);
  }
  if (history.errors.length > 0) {
    const first = history.errors[0] as { line: number; reason: string };
    io.stderr(
      `warning: ${history.errors.length} bad line(s) in ${args.vixHistory} skipped (first: line ${first.line}: ${first.reason})\n`,
    );
  }
  const result = runBacktest({ points: history.bars, rulebook });
  if (args.json) {
    io.stdout(`${JSON.stringify(toJson(result, rulebook, history.errors))}\n`);
  } else {
    io.stdout(toText(result, rulebook));
  }
  return 0;
};

function toJson(result: BacktestResult, rulebook: Rulebook, parseErrors: { line: number; reason: string }[]): unknown {
  return {
    days: result.days.map((d) => ({
      date: d.date,
      stage: d.stage,
      close: d.close,
      changePct: r2(d.changePct),
      rsiShort: r2(d.rsiShort),
      rsiLong: r2(d.rsiLong),
      macdHistogram: d.macdHistogram === null ? null : Math.round(d.macdHistogram * 10_000) / 10_000,
      entered: d.entered,
      why: d.why,
    })),
    summary: {
      ...result.summary,
      rulebookName: rulebook.name,
      episodes: result.episodes,
      parseErrors,
    },
  };
}

const pad = (s: string | number, n: number): string => String(s).padEnd(n);
const lpad = (s: string | number, n: number): string => String(s).padStart(n);

function toText(result: BacktestResult, rulebook: Rulebook): string {
  const out: string[] = [];
  out.push(`ALVH backtest: rulebook "${rulebook.name}" v${rulebook.version}, VIX signals alone (no position).`);
  out.push(`date        VIX     stage          why`);
  for (const d of result.days) {
    out.push(`${d.date}  ${lpad(d.close.toFixed(2), 6)}  ${pad(d.stage, 13)}  ${d.why.join(' ')}`.trimEnd());
  }
  const s = result.summary;
  out.push('');
  out.push(`Summary ${s.from} … ${s.to}`);
  const t = s.total;
  const pct = (n: number): string => `${((100 * n) / Math.max(1, t.days)).toFixed(1)}%`;
  out.push(
    `days ${t.days}: calm ${t.calmDays} (${pct(t.calmDays)}), layer-one ${t.layerOneDays} (${pct(t.layerOneDays)}), ` +
      `second-engine ${t.secondEngineDays} (${pct(t.secondEngineDays)}), unwind ${t.unwindDays} (${pct(t.unwindDays)})`,
  );
  out.push(
    `episodes ${t.episodes} (false alarms, VIX never closed ≥ ${s.falseAlarmBelowVix}: ${t.falseAlarms}); ` +
      `Layer One entries ${t.layerOneEntries}, Second Engine entries ${t.secondEngineEntries}`,
  );
  out.push('');
  out.push('Episodes that reached the Second Engine:');
  out.push(`start       second-engine  end         days on  SE days  peak VIX (date)`);
  for (const e of result.episodes.filter((x) => x.firstSecondEngine !== null)) {
    out.push(
      `${e.start}  ${pad(e.firstSecondEngine ?? '—', 13)}  ${e.end}  ${lpad(e.daysOn, 7)}  ${lpad(e.secondEngineDays, 7)}  ` +
        `${e.peakClose.toFixed(2)} (${e.peakDate})`,
    );
  }
  out.push('');
  out.push('By year:');
  out.push(`year  days  calm%  L1 entries  SE entries  episodes  false alarms`);
  for (const [y, p] of Object.entries(s.byYear)) {
    out.push(
      `${y}  ${lpad(p.days, 4)}  ${lpad(((100 * p.calmDays) / Math.max(1, p.days)).toFixed(1), 5)}  ${lpad(p.layerOneEntries, 10)}  ` +
        `${lpad(p.secondEngineEntries, 10)}  ${lpad(p.episodes, 8)}  ${lpad(p.falseAlarms, 12)}`,
    );
  }
  return `${out.join('\n')}\n`;
}
