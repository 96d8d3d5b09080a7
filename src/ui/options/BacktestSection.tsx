import { useEffect, useRef, useState } from 'preact/hooks';
import { RULE_KEYS, RULE_SPECS, type Rulebook, type Thresholds } from '../../engine/alvh/rulebook';
import type { BacktestReport, Preset, StrategyResult } from '../../engine/backtest';
import { equityCsv } from '../../engine/backtest/chart';
import type { VixBar } from '../../engine/alvh/vixSeries';
import type { Observation } from '../../engine/macro/fred';
import { loadRulebook, loadSpxHistory, loadVixHistory } from '../../storage/alvhInputs';
import { loadMacroSeries } from '../../storage/macroSeries';
import type { BacktestJob, BacktestJobResult } from '../../worker/backtestJob';
import { datedFileName, downloadText } from './files';
import { pct, signedPct } from './backtestFormat';
import { YearsPart } from './BacktestYears';
import { Status, type StatusValue } from './Status';

/** Runs a job off the page's thread (the backtest worker by default; tests pass the job function itself). */
export type BacktestRunner = (
  job: BacktestJob,
  onProgress: (fraction: number) => void,
) => { done: Promise<BacktestJobResult>; cancel: () => void };

/**
 * The backtest worker. It is kept between runs while the page is open, so a run after the first (an edit's, say)
 * finds the engine's code compiled; a cancel or an error ends it at once, and the next run starts a new one.
 */
let idleWorker: Worker | null = null;

export const workerRunner: BacktestRunner = (job, onProgress) => {
  const worker =
    idleWorker ?? new Worker(new URL('../../worker/backtest.worker.ts', import.meta.url), { type: 'module' });
  idleWorker = null;
  let settle: ((v: BacktestJobResult) => void) | null = null;
  let fail: ((e: Error) => void) | null = null;
  const done = new Promise<BacktestJobResult>((ok, no) => {
    settle = ok;
    fail = no;
  });
  const end = () => {
    worker.onmessage = null;
    worker.onerror = null;
  };
  worker.onmessage = (ev: MessageEvent) => {
    const m = ev.data as
      | { kind: 'progress'; fraction: number }
      | { kind: 'done'; result: BacktestJobResult }
      | { kind: 'error'; message: string };
    if (m.kind === 'progress') onProgress(m.fraction);
    else {
      end();
      // Kept for the next run (one idle worker at most).
      if (idleWorker === null) idleWorker = worker;
      else worker.terminate();
      if (m.kind === 'done') settle?.(m.result);
      else fail?.(new Error(m.message));
    }
  };
  worker.onerror = (ev) => {
    end();
    worker.terminate();
    fail?.(new Error(ev.message || 'the backtest worker stopped'));
  };
  worker.postMessage(job);
  return {
    done,
    cancel: () => {
      end();
      if (idleWorker === worker) idleWorker = null;
      worker.terminate();
      fail?.(Object.assign(new Error('cancelled'), { name: 'AbortError' }));
    },
  };
};

/** A series' length and every date and value, folded into a 32-bit FNV-1a sum. */
function fold<T extends { date: string }>(points: readonly T[], value: (p: T) => number | null): string {
  let h = 0x811c9dc5;
  for (const p of points) {
    const text = `${p.date}${value(p)};`;
    for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  }
  return `${points.length}:${h.toString(16)}`;
}

/**
 * What the saved rulebook's run read, as a key: the histories and macro series (their lengths, and every date and
 * value folded into a 32-bit FNV-1a sum), the rulebook, the preset and the period. The same key, the same report
 * (the backtest is deterministic), so an edit runs the edited rulebook alone.
 */
function savedRunKey(inputs: Inputs, preset: Preset, period: { from: string; to: string }): string {
  const bars = (b: BacktestJob['spx'] | null) => (b ? fold(b.bars, (x: VixBar) => x.close) : '-');
  const macro = (inputs.macroSeries ?? []).map((m) => `${m.id} ${fold(m.observations, (o: Observation) => o.value)}`);
  return JSON.stringify([bars(inputs.spx), bars(inputs.vix), macro, inputs.rulebook, preset, period.from, period.to]);
}

const PRESET_LABEL: Record<Preset, string> = {
  cndr: 'Index rules (like Cboe’s CNDR: monthly, 20-delta shorts, 5-delta wings, held to expiry)',
  trader: 'Trader rules (45 days, 16-delta shorts, out at 50% of the credit or 21 days)',
};

/** What the finished bar says: how long the run took in the worker (nothing to add when it brought a kept run). */
export function computedLabel(ms: number | undefined): string {
  if (ms === undefined || !(ms > 0)) return 'Computed';
  if (ms < 1000) return `Computed in ${Math.max(1, Math.round(ms))} ms`;
  return `Computed in ${ms < 10_000 ? (ms / 1000).toFixed(1) : Math.round(ms / 1000)} s`;
}

const points = (v: number) => `${v > 0 ? '+' : ''}${(100 * v).toFixed(1)} pts`;

/** Mean yearly hedge cost as a share of the account. */
function hedgeCost(s: StrategyResult): number {
  const ys = Object.values(s.hedgeCostPerYear);
  return ys.length ? ys.reduce((a, y) => a + y.shareOfAccount, 0) / ys.length : 0;
}

const spikeOf = (s: StrategyResult, year: number) => s.spikes.find((x) => x.year === year)?.pnl ?? null;

/** Sessions in a stage (the VIX-alone stage machine) and their share of the run: "1,234 (13.4%)". */
function stageShare(r: BacktestReport, stage: keyof BacktestReport['stageDays']): string {
  const n = r.stageDays[stage];
  return `${n.toLocaleString('en-US')} (${pct(r.days > 0 ? n / r.days : null)})`;
}

/** The strategy with the best figure, for the sentence above the table. */
function best(report: BacktestReport, by: (s: StrategyResult) => number): StrategyResult {
  return report.strategies.reduce((a, b) => (by(b) > by(a) ? b : a));
}

function FiguresTable({ report }: { report: BacktestReport }) {
  const years = report.spikes.map((s) => s.year);
  return (
    // The spikes run past the page's width: the table scrolls sideways (by keyboard too: the region takes focus), the
    // strategy names stay in view.
    <div class="hlo-scroll" tabIndex={0} role="region" aria-label="Figures per strategy (scrolls sideways)">
      <table class="hlo-profiles hl-num hlo-sticky-first" data-testid="backtest-table">
        <caption class="hl-muted">
          Each strategy on the same condor book, {report.from} to {report.to} ({report.days.toLocaleString('en-US')}{' '}
          sessions)
        </caption>
        <thead>
          <tr>
            <th scope="col">Strategy</th>
            <th scope="col">CAGR</th>
            <th scope="col">Volatility</th>
            <th scope="col">Max drawdown</th>
            <th scope="col">Worst month</th>
            <th scope="col">Sortino</th>
            <th scope="col">Hedge cost / year</th>
            {years.map((y) => (
              <th scope="col" key={y}>
                {y} spike
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {report.strategies.map((s) => (
            <tr key={s.id} data-strategy={s.id}>
              <th scope="row">{s.label}</th>
              <td>{pct(s.cagr)}</td>
              <td>{pct(s.volatility)}</td>
              <td title={`${s.maxDrawdown.peak} → ${s.maxDrawdown.trough}`}>
                {pct(-s.maxDrawdown.depth)} ({s.maxDrawdown.trough.slice(0, 7)})
              </td>
              <td>
                {pct(s.worstMonth.ret)} ({s.worstMonth.month})
              </td>
              <td>{s.sortino === null ? '—' : s.sortino.toFixed(2)}</td>
              <td>{pct(hedgeCost(s), 2)}</td>
              {years.map((y) => (
                <td key={y}>{signedPct(spikeOf(s, y))}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** A rule the unsaved edit changes: its name as the editor shows it (without its asides), saved → edited. */
export interface RuleChange {
  key: string;
  label: string;
  from: string;
  to: string;
}

/** Units read naturally after a value ("30 VIX points"); the others (a ratio, "RSI 0–100") are left to the label. */
const SHOWN_UNITS = new Set<string>([
  'VIX points',
  'calendar days',
  'trading days',
  'bars',
  'contracts',
  'percentage points',
  'standard deviations',
]);

/** The rules whose value the edit changes, in the rulebook's order. */
export function ruleChanges(saved: Thresholds, edited: Thresholds): RuleChange[] {
  const text = (v: unknown) => (typeof v === 'number' ? String(v) : JSON.stringify(v));
  return RULE_KEYS.filter((k) => text(saved[k]) !== text(edited[k])).map((k) => {
    const spec = RULE_SPECS[k];
    const unit = spec.unit === '%' ? '%' : SHOWN_UNITS.has(spec.unit) ? ` ${spec.unit}` : '';
    return {
      key: k,
      label: spec.description.replace(/\s*\([^)]*\)/g, ''),
      from: `${text(saved[k])}${unit}`,
      to: `${text(edited[k])}${unit}`,
    };
  });
}

function EditTable({
  saved,
  edited,
  changes,
}: {
  saved: BacktestReport;
  edited: BacktestReport;
  changes: readonly RuleChange[];
}) {
  return (
    <table class="hlo-profiles hl-num" data-testid="backtest-edit">
      <caption class="hl-muted">
        What your unsaved edit would have done, against the saved rulebook
        {changes.length > 0 && (
          <ul class="hlo-edit-changes" data-testid="backtest-edit-changes">
            {changes.map((c) => (
              <li key={c.key} title={c.key}>
                {c.label}: {c.from} → {c.to}
              </li>
            ))}
          </ul>
        )}
      </caption>
      <thead>
        <tr>
          <th scope="col">Strategy</th>
          <th scope="col">CAGR saved → edited</th>
          <th scope="col">Max drawdown saved → edited</th>
          <th scope="col">2020 spike saved → edited</th>
        </tr>
      </thead>
      <tbody>
        {saved.strategies.map((s) => {
          const e = edited.strategies.find((x) => x.id === s.id);
          if (!e) return null;
          return (
            <tr key={s.id} data-strategy={s.id}>
              <th scope="row">{s.label}</th>
              <td>
                {pct(s.cagr)} → {pct(e.cagr)} ({points(e.cagr - s.cagr)})
              </td>
              <td>
                {pct(-s.maxDrawdown.depth)} → {pct(-e.maxDrawdown.depth)} (
                {points(s.maxDrawdown.depth - e.maxDrawdown.depth)})
              </td>
              <td>
                {signedPct(spikeOf(s, 2020))} → {signedPct(spikeOf(e, 2020))}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

interface Inputs {
  spx: BacktestJob['spx'] | null;
  vix: BacktestJob['vix'] | null;
  macroSeries: BacktestJob['macroSeries'];
  rulebook: Rulebook;
  problems: string[];
  /** The dates both histories cover (null until both are imported). */
  span: { from: string; to: string } | null;
}

/** The first and last date both histories have (bars are sorted by date). */
function sharedSpan(a: readonly { date: string }[], b: readonly { date: string }[]): Inputs['span'] {
  if (!a.length || !b.length) return null;
  const from = a[0]!.date > b[0]!.date ? a[0]!.date : b[0]!.date;
  const to = a[a.length - 1]!.date < b[b.length - 1]!.date ? a[a.length - 1]!.date : b[b.length - 1]!.date;
  return from <= to ? { from, to } : null;
}

async function readInputs(): Promise<Inputs> {
  const [spx, vix, macro, rb] = await Promise.all([
    loadSpxHistory(),
    loadVixHistory(),
    loadMacroSeries(),
    loadRulebook(),
  ]);
  return {
    spx: spx.bars.length ? { name: spx.source ?? 'the stored S&P 500 history', bars: spx.bars } : null,
    vix: vix.bars.length ? { name: vix.source ?? 'the stored VIX history', bars: vix.bars } : null,
    macroSeries: macro.series,
    rulebook: rb.rulebook,
    problems: [spx.problem, vix.problem, macro.problem, rb.problem].filter((p): p is string => Boolean(p)),
    span: sharedSpan(spx.bars, vix.bars),
  };
}

/** Waits this long after the last keystroke in the rulebook before running the edited rulebook. */
const EDIT_DEBOUNCE_MS = 800;

/**
 * The P/L backtest in the Options page (#15): the trader's rulebook on the stored S&P 500 and VIX histories, six hedge
 * strategies on one condor book, computed in a worker with a progress bar; an unsaved edit of the rulebook is run
 * too and shown against the saved one. The chart is an SVG document made from numbers only, shown as an image.
 */
export function BacktestSection(props: { draft?: Partial<Thresholds> | null; runner?: BacktestRunner } = {}) {
  const runner = props.runner ?? workerRunner;
  const [inputs, setInputs] = useState<Inputs | null>(null);
  const [preset, setPreset] = useState<Preset>('cndr');
  /** The period, ISO dates; empty: from the start or to the end of the histories. */
  const [period, setPeriod] = useState<{ from: string; to: string }>({ from: '', to: '' });
  const [progress, setProgress] = useState<number | null>(null);
  const [result, setResult] = useState<BacktestJobResult | null>(null);
  /** The rules the shown edit changed (with the result it belongs to). */
  const [changes, setChanges] = useState<RuleChange[]>([]);
  const [status, setStatus] = useState<StatusValue>(null);
  const [chartUrl, setChartUrl] = useState<string | null>(null);
  const cancelRef = useRef<(() => void) | null>(null);
  /** The saved rulebook's last result and the key of what it read (savedRunKey): an edit reuses it. */
  const savedRef = useRef<{ key: string; report: BacktestReport; chartSvg: string } | null>(null);

  useEffect(() => {
    void readInputs().then(setInputs);
    return () => cancelRef.current?.();
  }, []);
  useEffect(() => {
    if (!result) return;
    const url = URL.createObjectURL(new Blob([result.chartSvg], { type: 'image/svg+xml' }));
    setChartUrl(url);
    return () => URL.revokeObjectURL(url);
  }, [result]);

  const draftKey = props.draft ? JSON.stringify(props.draft) : '';
  const start = async (withDraft: boolean) => {
    const fresh = await readInputs();
    setInputs(fresh);
    if (!fresh.spx || !fresh.vix) {
      setStatus({
        kind: 'error',
        text: `Import ${!fresh.spx ? 'the S&P 500 history (SPX_History.csv)' : ''}${!fresh.spx && !fresh.vix ? ' and ' : ''}${!fresh.vix ? 'the VIX history (VIX_History.csv)' : ''} above first: the backtest prices the condor book on them.`,
      });
      return;
    }
    if (period.from && period.to && period.from > period.to) {
      setStatus({
        kind: 'error',
        text: `The period is back to front: ${period.from} is after ${period.to}. Swap the dates, or clear one to run to the edge of the history.`,
      });
      return;
    }
    const edited =
      withDraft && props.draft && Object.keys(props.draft).length
        ? { ...fresh.rulebook, thresholds: { ...fresh.rulebook.thresholds, ...props.draft } }
        : null;
    cancelRef.current?.();
    setProgress(0);
    const key = savedRunKey(fresh, preset, period);
    const kept = edited && savedRef.current?.key === key ? savedRef.current : null;
    setStatus({
      kind: 'info',
      text: kept
        ? 'Running the edited rulebook (the saved one’s run is kept: nothing it reads has changed)…'
        : edited
          ? 'Running the saved and the edited rulebook…'
          : 'Running the backtest…',
    });
    const job: BacktestJob = {
      spx: fresh.spx,
      vix: fresh.vix,
      ...(fresh.macroSeries?.length ? { macroSeries: fresh.macroSeries } : {}),
      rulebook: fresh.rulebook,
      edited,
      ...(kept ? { saved: { report: kept.report, chartSvg: kept.chartSvg } } : {}),
      preset,
      from: period.from || null,
      to: period.to || null,
    };
    const run = runner(job, setProgress);
    cancelRef.current = run.cancel;
    try {
      const r = await run.done;
      savedRef.current = { key, report: r.report, chartSvg: r.chartSvg };
      setResult(r);
      setChanges(edited ? ruleChanges(fresh.rulebook.thresholds, edited.thresholds) : []);
      setProgress(1);
      setStatus({
        kind: 'saved',
        text: `Done: ${r.report.strategies.length} strategies, ${r.report.from} to ${r.report.to}${r.edited ? ', with your unsaved edit' : ''}.`,
      });
    } catch (err) {
      if (err instanceof Error && err.name === 'AbortError') return;
      setProgress(null);
      setStatus({
        kind: 'error',
        text: `The backtest did not run: ${err instanceof Error ? err.message : String(err)}`,
      });
    } finally {
      if (cancelRef.current === run.cancel) cancelRef.current = null;
    }
  };

  // An edit of the rulebook (valid, unsaved) re-runs the comparison once the trader pauses, if a run was shown.
  useEffect(() => {
    if (!result || !draftKey) return;
    const t = setTimeout(() => void start(true), EDIT_DEBOUNCE_MS);
    return () => clearTimeout(t);
  }, [draftKey]);

  const busy = progress !== null && progress < 1 && status?.kind === 'info';
  const r = result?.report ?? null;
  return (
    <section class="hl-section" aria-labelledby="bt-title">
      <h2 id="bt-title" class="hl-title">
        Backtest: the hedges on a condor book
      </h2>
      <p class="hl-muted">
        What each way of hedging would have done to a book of iron condors, day by day, through every VIX spike in your
        histories: no hedge, ALVH as your rulebook says, VIX calls first, straight to the Second Engine, SPX puts only,
        and a VXTH-style VIX-call overlay. Option prices are modelled from VIX (no historical option prices are used),
        so read the figures as a comparison between strategies, not as returns you would have had.
      </p>
      <p data-testid="backtest-inputs">
        {inputs === null
          ? 'Reading what is stored…'
          : `S&P 500 history: ${inputs.spx ? `${inputs.spx.bars.length.toLocaleString('en-US')} closes` : 'not imported'} · VIX history: ${inputs.vix ? `${inputs.vix.bars.length.toLocaleString('en-US')} closes` : 'not imported'} · macro series: ${inputs.macroSeries?.length ?? 0} · rulebook “${inputs.rulebook.name}” v${inputs.rulebook.version}`}
      </p>
      {inputs?.problems.map((p) => (
        <p class="hl-error" key={p}>
          {p}
        </p>
      ))}
      <fieldset class="hlo-fieldset">
        <legend>The condor book</legend>
        {(Object.keys(PRESET_LABEL) as Preset[]).map((p) => (
          <label key={p} class="hlo-radio">
            <input
              type="radio"
              name="bt-preset"
              value={p}
              checked={preset === p}
              onChange={() => setPreset(p)}
              disabled={busy}
            />{' '}
            {PRESET_LABEL[p]}
          </label>
        ))}
      </fieldset>
      <fieldset class="hlo-fieldset">
        <legend>The period</legend>
        {(['from', 'to'] as const).map((end) => (
          <label class="hlo-radio" key={end}>
            {end === 'from' ? 'From' : 'To'}{' '}
            <input
              type="date"
              name={`bt-${end}`}
              value={period[end]}
              min={inputs?.span?.from}
              max={inputs?.span?.to}
              disabled={busy}
              onInput={(e) => setPeriod({ ...period, [end]: (e.target as HTMLInputElement).value })}
            />{' '}
          </label>
        ))}
        <p class="hl-hint hl-muted" data-testid="backtest-period-hint">
          {inputs?.span
            ? `Empty: the whole span both histories cover, ${inputs.span.from} to ${inputs.span.to}.`
            : 'Empty: the whole span both histories cover.'}
        </p>
      </fieldset>
      <div class="hlo-actions">
        <button type="button" class="hl-btn" onClick={() => void start(Boolean(props.draft))} disabled={busy}>
          {r ? 'Run again' : 'Run the backtest'}
        </button>
        {busy && (
          <button
            type="button"
            class="hl-btn"
            onClick={() => {
              cancelRef.current?.();
              setProgress(null);
              setStatus({ kind: 'info', text: 'Cancelled.' });
            }}
          >
            Cancel
          </button>
        )}
      </div>
      {progress !== null && (
        <div class="hlo-progress">
          <label
            for="bt-progress"
            data-testid="backtest-progress-label"
            data-compute-ms={busy ? undefined : result?.computeMs}
          >
            {busy ? 'Computing in the background' : computedLabel(result?.computeMs)}
          </label>
          <progress
            id="bt-progress"
            max={100}
            value={Math.round(100 * progress)}
            data-testid="backtest-progress"
            data-done={busy ? 'false' : 'true'}
          >
            {Math.round(100 * progress)}%
          </progress>
          <span class="hl-num" aria-hidden="true">
            {Math.round(100 * progress)}%
          </span>
        </div>
      )}
      <Status value={status} testId="backtest-status" />
      {r && (
        <div data-testid="backtest-result">
          <p>
            Best CAGR: <strong>{best(r, (s) => s.cagr).label}</strong> ({pct(best(r, (s) => s.cagr).cagr)}); shallowest
            drawdown: <strong>{best(r, (s) => -s.maxDrawdown.depth).label}</strong> (
            {pct(-best(r, (s) => -s.maxDrawdown.depth).maxDrawdown.depth)}).
          </p>
          <p class="hl-muted" data-testid="backtest-stages">
            Time in each stage, by the VIX alone: {stageShare(r, 'calm')} Calm, {stageShare(r, 'layer-one')} Layer One,{' '}
            {stageShare(r, 'second-engine')} Second Engine, {stageShare(r, 'unwind')} Unwind (of{' '}
            {r.days.toLocaleString('en-US')} sessions).
          </p>
          {chartUrl && (
            <img
              class="hlo-chart"
              src={chartUrl}
              data-testid="backtest-chart"
              alt={`Account value (log scale) and drawdown of each strategy, ${r.from} to ${r.to}; the table below gives the figures.`}
            />
          )}
          <FiguresTable report={r} />
          {result?.edited && <EditTable saved={r} edited={result.edited} changes={changes} />}
          <YearsPart report={r} />
          <div class="hlo-actions">
            <button
              type="button"
              class="hl-btn"
              onClick={() =>
                downloadText({ fileName: datedFileName('hedgelens-backtest'), text: `${JSON.stringify(r)}\n` })
              }
            >
              Download the report (JSON)
            </button>
            <button
              type="button"
              class="hl-btn"
              onClick={() =>
                downloadText({
                  fileName: datedFileName('hedgelens-backtest-equity', new Date(), 'csv'),
                  text: equityCsv(r),
                  type: 'text/csv',
                })
              }
            >
              Download the equity curves (CSV)
            </button>
          </div>
          <details>
            <summary>What this backtest does not model</summary>
            <ul>
              {r.caveats.map((c) => (
                <li key={c}>{c}</li>
              ))}
            </ul>
          </details>
        </div>
      )}
    </section>
  );
}
