/**
 * `hedgelens backtest --spx-history FILE --vix-history FILE [--vix-term DIR] [--rates FILE] [--from D] [--to D]
 *  [--rulebook FILE] [--strategies a,b] [--preset cndr|trader] [--macro-dir DIR] [--benchmark FILE] [--json]
 *  [--chart FILE.svg] [--equity-csv FILE.csv]`
 *
 * The P/L backtest (#15): a condor book with each hedge strategy, day by day, priced by the models of
 * src/engine/backtest/model. The text output is a table per strategy and the named spikes; --json gives the whole
 * report; --chart writes the equity curves and drawdowns as SVG, --equity-csv the curves as CSV. The CNDR
 * comparison (published period returns of Cboe's index, tests/fixtures/backtest/cndr.json) is printed beside the
 * table for the index-rules preset; with --benchmark, an index history the trader downloaded (Cboe's
 * CNDR_History.csv, or any DATE…CLOSE file) is set beside each strategy year by year (cndr.ts benchmarkComparison).
 */
import {
  BacktestInputError,
  backtestChartSvg,
  equityCsv,
  runBacktestFromTexts,
  ALVH_MACRO,
  OPTIONAL_STRATEGIES,
  STRATEGIES,
  type BacktestReport,
  type BacktestTiming,
  type HistoryFile,
  type Preset,
} from '../../engine/backtest';
import { defaultRulebook, importRulebook, type Rulebook } from '../../engine/alvh/rulebook';
import { UsageError, type CliIo, type CommandRun } from '../io';
import { macroSeriesList, readMacroSeries } from '../macroSeries';
import { GAUGES_INFO } from '../../engine/macro/gauges';
import {
  benchmarkComparison,
  CNDR_PUBLISHED,
  cndrComparison,
  type BenchmarkComparison,
} from '../../engine/backtest/cndr';
import { readCboe } from '../../engine/backtest/market';

export const USAGE =
  'usage: hedgelens backtest --spx-history FILE --vix-history FILE [--vix-term DIR] [--rates FILE] [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--rulebook FILE] [--strategies a,b] [--preset cndr|trader] [--macro-dir DIR] [--macro-series FILE,…] [--benchmark FILE] [--json] [--chart FILE.svg] [--equity-csv FILE.csv]';

interface Args {
  spx: string;
  vix: string;
  term: string | null;
  rates: string | null;
  from: string | null;
  to: string | null;
  rulebook: string | null;
  strategies: string[] | null;
  preset: Preset;
  json: boolean;
  chart: string | null;
  equityCsv: string | null;
  benchmark: string | null;
  macroDir?: string;
  macroSeries?: string[];
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function parseArgs(argv: string[]): Args | 'help' {
  const a: Partial<Args> & { json: boolean; preset: Preset } = { json: false, preset: 'cndr' };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const eq = arg.indexOf('=');
    const flag = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
    const inline = arg.startsWith('--') && eq > 0 ? arg.slice(eq + 1) : null;
    const value = (what: string): string => {
      if (inline !== null) return inline;
      const v = argv[i + 1];
      if (v === undefined || v.startsWith('--')) throw new UsageError(`${flag} needs ${what}. ${USAGE}`);
      i++;
      return v;
    };
    const date = (): string => {
      const v = value('a date YYYY-MM-DD');
      if (!DATE.test(v) || Number.isNaN(Date.parse(`${v}T00:00:00Z`)))
        throw new UsageError(`${flag} ${JSON.stringify(v)} is not a date YYYY-MM-DD`);
      return v;
    };
    switch (flag) {
      case '--spx-history':
        a.spx = value('a file name');
        break;
      case '--vix-history':
        a.vix = value('a file name');
        break;
      case '--vix-term':
        a.term = value('a folder');
        break;
      case '--rates':
        a.rates = value('a file name');
        break;
      case '--from':
        a.from = date();
        break;
      case '--to':
        a.to = date();
        break;
      case '--rulebook':
        a.rulebook = value('a file name');
        break;
      case '--macro-dir':
        a.macroDir = value('a folder of FRED CSVs');
        break;
      case '--macro-series':
        a.macroSeries = macroSeriesList(value('FRED CSV files'));
        break;
      case '--strategies': {
        const ids = value('a list of strategies')
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean);
        const known = [...STRATEGIES, ALVH_MACRO, ...OPTIONAL_STRATEGIES];
        const unknown = ids.filter((id) => !known.some((s) => s.id === id));
        if (unknown.length || ids.length === 0)
          throw new UsageError(
            `unknown strateg${unknown.length === 1 ? 'y' : 'ies'} ${unknown.map((u) => JSON.stringify(u)).join(', ')}; known: ${known.map((s) => s.id).join(', ')}`,
          );
        a.strategies = [...new Set(ids)];
        break;
      }
      case '--preset': {
        const p = value('cndr or trader');
        if (p !== 'cndr' && p !== 'trader') throw new UsageError(`--preset ${JSON.stringify(p)}: use cndr or trader`);
        a.preset = p;
        break;
      }
      case '--chart':
        a.chart = value('a file name (.svg)');
        break;
      case '--equity-csv':
        a.equityCsv = value('a file name (.csv)');
        break;
      case '--benchmark':
        a.benchmark = value('an index history file (e.g. CNDR_History.csv)');
        break;
      case '--json':
        a.json = true;
        break;
      case '--help':
      case '-h':
        return 'help';
      default:
        throw new UsageError(`unknown argument ${JSON.stringify(arg)}. ${USAGE}`);
    }
  }
  if (!a.spx) throw new UsageError(`--spx-history FILE is required. ${USAGE}`);
  if (!a.vix) throw new UsageError(`--vix-history FILE is required. ${USAGE}`);
  if (a.from && a.to && a.from > a.to) throw new UsageError(`--from ${a.from} is after --to ${a.to}`);
  return {
    spx: a.spx,
    vix: a.vix,
    term: a.term ?? null,
    rates: a.rates ?? null,
    from: a.from ?? null,
    to: a.to ?? null,
    rulebook: a.rulebook ?? null,
    strategies: a.strategies ?? null,
    preset: a.preset,
    json: a.json,
    chart: a.chart ?? null,
    equityCsv: a.equityCsv ?? null,
    benchmark: a.benchmark ?? null,
    ...(a.macroDir !== undefined ? { macroDir: a.macroDir } : {}),
    ...(a.macroSeries !== undefined ? { macroSeries: a.macroSeries } : {}),
  };
}

async function read(io: CliIo, path: string, what: string): Promise<HistoryFile> {
  try {
    return { name: path, text: await io.readFile(path) };
  } catch (e) {
    throw new UsageError(`cannot read ${what} ${path}: ${(e as Error).message}`);
  }
}

/** The term files a folder holds, by Cboe's names (VIX3M_History.csv, …); absent ones are null. */
async function readTerm(io: CliIo, dir: string) {
  if (!io.listDir) throw new UsageError('--vix-term cannot list folders here');
  let names: string[];
  try {
    names = await io.listDir(dir);
  } catch (e) {
    throw new UsageError(`cannot read the folder ${dir}: ${(e as Error).message}`);
  }
  const pick = async (id: string) => {
    const name = names.find((n) => n.toUpperCase() === `${id}_HISTORY.CSV`);
    return name ? read(io, `${dir.replace(/\/$/, '')}/${name}`, `${id} history`) : null;
  };
  const out = {
    vix3m: await pick('VIX3M'),
    vix9d: await pick('VIX9D'),
    vvix: await pick('VVIX'),
    skew: await pick('SKEW'),
  };
  if (!out.vix3m && !out.vix9d && !out.vvix && !out.skew)
    throw new UsageError(
      `${dir} holds none of VIX3M_History.csv, VIX9D_History.csv, VVIX_History.csv, SKEW_History.csv`,
    );
  return out;
}

export const run: CommandRun = async (argv, io) => {
  const args = parseArgs(argv);
  if (args === 'help') {
    io.stdout(
      `${USAGE}\nStrategies: ${STRATEGIES.map((s) => `${s.id} (${s.label})`).join(', ')}; with a dollar series (--macro-dir): ${ALVH_MACRO.id} (${ALVH_MACRO.label})\n`,
    );
    return 0;
  }
  let rulebook: Rulebook = defaultRulebook();
  if (args.rulebook !== null) {
    const r = importRulebook((await read(io, args.rulebook, 'rulebook')).text);
    if (!r.ok) throw new UsageError(`invalid rulebook ${args.rulebook}: ${r.errors.slice(0, 3).join('; ')}`);
    rulebook = r.rulebook;
  }
  if ((args.chart !== null || args.equityCsv !== null) && !io.writeFile)
    throw new UsageError(`${args.chart !== null ? '--chart' : '--equity-csv'} cannot write files here`);
  const spx = await read(io, args.spx, 'SPX history');
  const vix = await read(io, args.vix, 'VIX history');
  const term = args.term ? await readTerm(io, args.term) : {};
  const rates = args.rates ? await read(io, args.rates, 'rates') : null;
  // Read (and refused if unreadable) before the run, not after it.
  const benchmarkFile = args.benchmark ? await read(io, args.benchmark, 'benchmark history') : null;
  let benchmarkBars: ReturnType<typeof readCboe> = [];
  try {
    if (benchmarkFile) benchmarkBars = readCboe(benchmarkFile, 'benchmark history');
  } catch (e) {
    if (e instanceof BacktestInputError) throw new UsageError(e.message);
    throw e;
  }
  const macroSeries = await readMacroSeries(io, args);
  if (
    args.strategies?.includes(ALVH_MACRO.id) &&
    !macroSeries.some((x) => GAUGES_INFO.find((g) => g.id === 'reer')!.series.includes(x.id))
  )
    throw new UsageError(
      `${ALVH_MACRO.id} needs a dollar series (RBUSBIS, DTWEXBGS or TWEXBMTH): give --macro-dir or --macro-series`,
    );
  let report: BacktestReport;
  const timing: BacktestTiming = { sharedMs: 0, totalMs: 0, sessionCalls: 0, strategyMs: {} };
  try {
    report = runBacktestFromTexts({
      spx,
      vix,
      ...term,
      rates,
      from: args.from,
      to: args.to,
      rulebook,
      preset: args.preset,
      timing,
      ...(macroSeries.length ? { macroSeries } : {}),
      ...(args.strategies ? { strategies: args.strategies } : {}),
    });
  } catch (e) {
    if (e instanceof BacktestInputError) throw new UsageError(e.message);
    throw e;
  }
  if (args.chart !== null) {
    try {
      await io.writeFile!(args.chart, backtestChartSvg(report));
    } catch (e) {
      throw new UsageError(`cannot write the chart ${args.chart}: ${(e as Error).message}`);
    }
  }
  if (args.equityCsv !== null) {
    try {
      await io.writeFile!(args.equityCsv, equityCsv(report));
    } catch (e) {
      throw new UsageError(`cannot write the equity curves ${args.equityCsv}: ${(e as Error).message}`);
    }
  }
  const cndr = args.preset === 'cndr' ? cndrComparison(report, CNDR_PUBLISHED) : null;
  // A file that shares no year with the run is said in the output (the run's own figures are not lost for it).
  const benchmark: BenchmarkComparison | null = benchmarkFile
    ? benchmarkComparison(report, benchmarkBars, benchmarkFile.name.split(/[\\/]/).pop()!)
    : null;
  if (args.json) io.stdout(`${JSON.stringify({ ...report, cndrComparison: cndr, benchmarkComparison: benchmark })}\n`);
  else io.stdout(toText(report, timing, cndr, args.chart, benchmark, args.equityCsv));
  return 0;
};

const pct = (v: number | null, d = 1) => (v === null || !Number.isFinite(v) ? 'n/a' : `${(v * 100).toFixed(d)}%`);
const pad = (s: string, n: number) => s.padEnd(n);
const lpad = (s: string, n: number) => s.padStart(n);

function toText(
  r: BacktestReport,
  timing: BacktestTiming,
  cndr: ReturnType<typeof cndrComparison> | null,
  chart: string | null,
  benchmark: BenchmarkComparison | null = null,
  equity: string | null = null,
): string {
  const out: string[] = [];
  const b = r.book;
  out.push(
    `P/L backtest ${r.from} … ${r.to} (${r.days} sessions): ${b.rules.preset === 'cndr' ? 'index rules (CNDR-like)' : 'trader rules'}, ${b.trades} condors, account $${b.account.dollars.toLocaleString('en-US')} risking ${pct(b.account.riskFraction, 0)} of it at each condor's max loss; rulebook "${r.rulebook.name}" v${r.rulebook.version}.`,
  );
  out.push(
    `Costs: fill at mid ± ${b.costs.fillFraction} × half the modelled spread, $${b.costs.commissionPerContract} a contract. ${r.notes.join('; ')}.`,
  );
  out.push('');
  const w = Math.max(...r.strategies.map((s) => s.label.length), 8) + 2;
  out.push(
    `${pad('strategy', w)}${lpad('CAGR', 7)}${lpad('vol', 7)}${lpad('max DD', 8)}  ${pad('DD trough', 10)}${lpad('worst mo', 10)}${lpad('Sortino', 8)}${lpad('hedge/yr', 10)}${lpad('2020', 8)}${lpad('decisions', 10)}${lpad('ms', 8)}`,
  );
  for (const s of r.strategies) {
    const years = Object.values(s.hedgeCostPerYear);
    const cost = years.length ? years.reduce((a, y) => a + y.shareOfAccount, 0) / years.length : 0;
    const spike2020 = s.spikes.find((x) => x.year === 2020);
    out.push(
      `${pad(s.label, w)}${lpad(pct(s.cagr), 7)}${lpad(pct(s.volatility), 7)}${lpad(pct(-s.maxDrawdown.depth), 8)}  ${pad(s.maxDrawdown.trough, 10)}${lpad(pct(s.worstMonth.ret), 10)}${lpad(s.sortino === null ? 'n/a' : s.sortino.toFixed(2), 8)}${lpad(pct(cost, 2), 10)}${lpad(spike2020 ? pct(spike2020.pnl) : 'n/a', 8)}${lpad(String(s.decisions), 10)}${lpad((timing.strategyMs[s.id] ?? 0).toFixed(0), 8)}`,
    );
  }
  out.push('');
  out.push(
    'Named spikes: account change over each window (window: the calm close before the year’s VIX peak → half the spike undone).',
  );
  out.push(
    `${pad('year', 6)}${pad('window', 25)}${lpad('VIX', 12)}  ${r.strategies.map((s) => lpad(s.id, 14)).join('')}`,
  );
  for (const w of r.spikes) {
    const cells = r.strategies.map((s) => lpad(pct(s.spikes.find((x) => x.year === w.year)?.pnl ?? null), 14)).join('');
    out.push(
      `${pad(String(w.year), 6)}${pad(`${w.start} → ${w.end}`, 25)}${lpad(`${w.startVix.toFixed(0)}→${w.peakVix.toFixed(0)}`, 12)}  ${cells}`,
    );
  }
  out.push('');
  out.push(
    `Stages (VIX alone): calm ${r.stageDays.calm}, Layer One ${r.stageDays['layer-one']}, Second Engine ${r.stageDays['second-engine']}, Unwind ${r.stageDays.unwind} sessions.`,
  );
  out.push(`Annual returns: ${r.strategies.map((s) => s.id).join(' / ')}`);
  for (const y of Object.keys(r.strategies[0]?.annualReturns ?? {}))
    out.push(`  ${y}  ${r.strategies.map((s) => lpad(pct(s.annualReturns[y] ?? null), 8)).join('')}`);
  if (cndr) {
    out.push('');
    out.push(`Against Cboe's CNDR (published figures, ${cndr.source}; not fitted to):`);
    for (const p of cndr.periods)
      out.push(
        `  ${p.from} … ${p.to}${p.overlapFrom && p.overlapFrom > `${p.from}-31` ? ` (the run from ${p.overlapFrom})` : ''}: CNDR ${pct(p.published)} a year, the unhedged index-rules book ${pct(p.backtest)} (difference ${pct(p.backtest === null ? null : p.backtest - p.published)})`,
      );
    if (cndr.correlation !== null)
      out.push(`  correlation of annual returns over ${cndr.years} years: ${cndr.correlation.toFixed(2)}`);
    else out.push('  no published year-by-year CNDR returns were found: the annual-return correlation is not computed');
  }
  if (benchmark) out.push('', ...benchmarkText(r, benchmark));
  out.push('');
  out.push(
    `Time: ${timing.totalMs.toFixed(0)} ms (${timing.sharedMs.toFixed(0)} ms shared: book, VIX signals; ${timing.sessionCalls} plan questions).`,
  );
  if (chart) out.push(`Chart written to ${chart}.`);
  if (equity) out.push(`Equity curves written to ${equity}.`);
  out.push('Caveats:');
  for (const c of r.caveats) out.push(`  - ${c}`);
  return `${out.join('\n')}\n`;
}

/** The index beside each strategy, year by year; the correlations; the yearly rates over the years in common. */
function benchmarkText(r: BacktestReport, b: BenchmarkComparison): string[] {
  const ids = r.strategies.map((s) => s.id);
  if (b.years.length === 0)
    return [
      `Against ${b.name}: it covers ${b.covers.from} … ${b.covers.to}, the run ${r.from} … ${r.to}: no year of the run has the index's closes at both ends, so nothing is compared.`,
    ];
  const out = [
    `Against ${b.name} (closes ${b.covers.from} … ${b.covers.to}), year by year (the index's close at the run's last session of each year):`,
    `  ${pad('year', 6)}${lpad('index', 9)}${ids.map((id) => lpad(id, 14)).join('')}`,
  ];
  for (const y of b.years)
    out.push(
      `  ${pad(y.year, 6)}${lpad(pct(y.benchmark), 9)}${ids.map((id) => lpad(pct(y.strategies[id] ?? null), 14)).join('')}`,
    );
  out.push(
    `  ${pad('a yr', 6)}${lpad(pct(b.annualized.benchmark ?? null), 9)}${ids.map((id) => lpad(pct(b.annualized[id] ?? null), 14)).join('')}`,
  );
  out.push(
    `  ${pad('corr', 6)}${lpad('', 9)}${ids.map((id) => lpad(b.correlation[id] == null ? 'n/a' : b.correlation[id]!.toFixed(2), 14)).join('')}`,
  );
  out.push(
    `  (${b.years.length} year${b.years.length === 1 ? '' : 's'} in common${b.missing.length ? `; not covered by the index at both ends: ${b.missing.join(', ')}` : ''}; "a yr": the years in common compounded, per year counted (a part year counts as one); "corr": correlation of annual returns with the index)`,
  );
  return out;
}
