/**
 * `hedgelens backtest-rules --vix-history FILE [--vix3m FILE] [--rulebook FILE] [--macro-dir DIR] [--json]`
 *
 * The ALVH stage the rulebook gives each day of a VIX history, from the VIX signals alone (no position: Calm,
 * Layer One, Second Engine, Unwind), and a summary: the episodes (when Layer One and the Second Engine fired, how
 * long they stayed on, the peak VIX), per-year counts and false alarms. With --vix3m (Cboe's VIX3M_History.csv) the
 * Second Engine also needs the term structure in backwardation (secondEngineMinVixToVix3m) on the days it covers.
 */
import { runBacktest, type BacktestResult } from '../../engine/alvh/backtest';
import { defaultRulebook, importRulebook, type Rulebook } from '../../engine/alvh/rulebook';
import { attachVix3m, parseVixHistory } from '../../engine/alvh/vixSeries';
import { volIndexProblem } from '../../engine/historyChecks';
import { readMacroSeries, macroSeriesList } from '../macroSeries.ts';
import { UsageError, type CliIo, type CommandRun } from '../io';

const USAGE =
  'usage: hedgelens backtest-rules --vix-history FILE [--vix3m FILE] [--rulebook FILE] [--macro-dir DIR] [--macro-series FILE[,FILE…]] [--json]';

interface Args {
  vixHistory: string;
  vix3m: string | null;
  rulebook: string | null;
  macroDir?: string;
  macroSeries?: string[];
  json: boolean;
}

function parseArgs(argv: string[]): Args | 'help' {
  let vixHistory: string | null = null;
  let vix3m: string | null = null;
  let rulebook: string | null = null;
  let json = false;
  let macroDir: string | undefined;
  let macroSeries: string[] | undefined;
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
      case '--vix3m':
        vix3m = value();
        break;
      case '--rulebook':
        rulebook = value();
        break;
      case '--macro-dir':
        macroDir = value();
        break;
      case '--macro-series':
        macroSeries = macroSeriesList(value());
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
  return {
    vixHistory,
    vix3m,
    rulebook,
    json,
    ...(macroDir ? { macroDir } : {}),
    ...(macroSeries ? { macroSeries } : {}),
  };
}

async function read(io: CliIo, path: string, what: string): Promise<string> {
  try {
    return await io.readFile(path);
  } catch (e) {
    throw new UsageError(`cannot read ${what} ${path}: ${(e as Error).message}`);
  }
}

/** The VIX3M series given (--vix3m): its file, the days of the history it covers, its range. */
type TermInfo = { file: string; days: number; first: string; last: string } | null;

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
  const notVix = volIndexProblem(history.bars, 'VIX');
  if (notVix) throw new UsageError(`${args.vixHistory}: ${notVix} (--vix-history takes Cboe's VIX_History.csv)`);
  if (history.errors.length > 0) {
    const first = history.errors[0] as { line: number; reason: string };
    io.stderr(
      `warning: ${history.errors.length} bad line(s) in ${args.vixHistory} skipped (first: line ${first.line}: ${first.reason})\n`,
    );
  }
  let points = history.bars;
  let term: TermInfo = null;
  if (args.vix3m !== null) {
    const v3 = parseVixHistory({ text: await read(io, args.vix3m, 'VIX3M history') });
    if (v3.bars.length === 0) {
      const why = v3.errors[0] ? `line ${v3.errors[0].line}: ${v3.errors[0].reason}` : 'the file is empty';
      throw new UsageError(`no VIX3M closes in ${args.vix3m} (${why}); expected Cboe's VIX3M_History.csv layout`);
    }
    if (v3.errors.length > 0)
      io.stderr(
        `warning: ${v3.errors.length} bad line(s) in ${args.vix3m} skipped (first: line ${v3.errors[0]!.line})\n`,
      );
    const notVix3m = volIndexProblem(v3.bars, 'VIX3M');
    if (notVix3m) throw new UsageError(`${args.vix3m}: ${notVix3m} (--vix3m takes Cboe's VIX3M_History.csv)`);
    const a = attachVix3m({ bars: history.bars, vix3m: v3.bars });
    if (a.matched === 0)
      throw new UsageError(`${args.vix3m} shares no date with ${args.vixHistory}: is it a VIX3M daily history?`);
    points = a.bars;
    term = { file: args.vix3m, days: a.matched, first: v3.bars[0]!.date, last: v3.bars[v3.bars.length - 1]!.date };
  }
  const macroSeries = await readMacroSeries(io, args);
  const result = runBacktest({ points, rulebook, ...(macroSeries.length ? { macroSeries } : {}) });
  if (args.json) {
    io.stdout(`${JSON.stringify(toJson(result, rulebook, history.errors, term))}\n`);
  } else {
    io.stdout(toText(result, rulebook, term));
  }
  return 0;
};

function toJson(
  result: BacktestResult,
  rulebook: Rulebook,
  parseErrors: { line: number; reason: string }[],
  term: TermInfo,
): unknown {
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
      vix3m: term,
      episodes: result.episodes,
      parseErrors,
    },
  };
}

const pad = (s: string | number, n: number): string => String(s).padEnd(n);
const lpad = (s: string | number, n: number): string => String(s).padStart(n);

function toText(result: BacktestResult, rulebook: Rulebook, term: TermInfo): string {
  const out: string[] = [];
  out.push(`ALVH backtest: rulebook "${rulebook.name}" v${rulebook.version}, VIX signals alone (no position).`);
  out.push(
    term
      ? `Term structure: VIX3M from ${term.file} (${term.first} … ${term.last}) on ${term.days} of the days; the Second Engine needs VIX ÷ VIX3M ≥ ${rulebook.thresholds.secondEngineMinVixToVix3m} (secondEngineMinVixToVix3m) there`
      : 'Term structure: no --vix3m, not judged',
  );
  out.push(
    result.summary.dollarGate
      ? `Dollar gate: ${result.summary.dollarGate.series.join(', ')} judged on ${result.summary.dollarGate.judgedDays} of the days; the Second Engine needs the dollar's 1-month change ≥ ${rulebook.thresholds.macroDollarStressZ} sd (macroDollarStressZ) there${rulebook.thresholds.secondEngineMacroGate > 0 ? '' : ' — but the rule is off (secondEngineMacroGate = 0)'}`
      : 'Dollar gate: no dollar series (--macro-dir with RBUSBIS or DTWEXBGS), not judged',
  );
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
