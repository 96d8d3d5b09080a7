// @vitest-environment happy-dom
/**
 * Options → Backtest (#15): the stored histories and the saved rulebook run through the backtest job (here called
 * directly in place of the worker), with the progress bar, the table per strategy, the chart, and an unsaved edit of
 * the rulebook shown against the saved one; a clear message when a history is missing.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { defaultRulebook } from '../../../src/engine/alvh/rulebook';
import type { VixBar } from '../../../src/engine/alvh/vixSeries';
import { saveSpxHistory, saveVixHistory } from '../../../src/storage/alvhInputs';
import {
  BacktestSection,
  computedLabel,
  ruleChanges,
  type BacktestRunner,
} from '../../../src/ui/options/BacktestSection';
import { runBacktestJob, type BacktestJob, type BacktestJobResult } from '../../../src/worker/backtestJob';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { authoredDays, SIX_STRATEGIES } from '../../backtest/fixture';
import { button, byTestId, click, mount, pickFile, type, waitFor } from './dom';

let unmount: (() => void) | null = null;
beforeEach(() => fakeBrowser.reset());
afterEach(() => {
  vi.restoreAllMocks();
  unmount?.();
  unmount = null;
});

const bars = (pick: (d: ReturnType<typeof authoredDays>[number]) => number): VixBar[] =>
  authoredDays().map((d) => ({ date: d.date, open: null, high: null, low: null, close: pick(d) }));

/** Both histories into storage, as the import sections leave them. */
async function storeHistories(spx: VixBar[], vix: VixBar[]): Promise<void> {
  const at = { source: 'authored.csv', at: new Date('2026-12-01T00:00:00Z') };
  expect((await saveSpxHistory(spx, at)).ok).toBe(true);
  expect((await saveVixHistory(vix, at)).ok).toBe(true);
}

/** The authored histories stored and the chart's Blob URLs stubbed: what a run of the section needs. */
async function storedWithChartUrls(): Promise<void> {
  await storeHistories(
    bars((d) => d.spx),
    bars((d) => d.vix),
  );
  vi.spyOn(URL, 'createObjectURL').mockImplementation(() => 'blob:chart');
  vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => {});
}

/** The section mounted with a runner, run once on the stored histories, until it says Done. */
async function mountAndRun(runner: BacktestRunner): Promise<{ root: HTMLElement; unmount: () => void }> {
  const m = mount(<BacktestSection runner={runner} />);
  unmount = m.unmount;
  await waitFor(() => expect(byTestId(m.root, 'backtest-inputs').textContent).toMatch(/400 closes/));
  await click(button(m.root, 'Run the backtest'));
  await waitFor(() => expect(byTestId(m.root, 'backtest-status').textContent).toMatch(/^Done: 6 strategies/), 120_000);
  return m;
}

/** The job itself, on this thread; progress values kept; the strategies cut to two so the test stays short. */
function directRunner(progress: number[], jobs: unknown[]): BacktestRunner {
  return (job, onProgress) => ({
    done: Promise.resolve().then(() => {
      jobs.push(job);
      return runBacktestJob(job, (f) => {
        progress.push(f);
        onProgress(f);
      });
    }),
    cancel: () => {},
  });
}

describe('Options → Backtest', () => {
  it('the finished bar’s time: ms under a second, tenths under ten seconds, whole seconds after; none for a kept run', () => {
    expect(computedLabel(undefined)).toBe('Computed');
    expect(computedLabel(0)).toBe('Computed');
    expect(computedLabel(0.3)).toBe('Computed in 1 ms');
    expect(computedLabel(412.6)).toBe('Computed in 413 ms');
    expect(computedLabel(2345)).toBe('Computed in 2.3 s');
    expect(computedLabel(12_600)).toBe('Computed in 13 s');
  });

  it('without the histories: says which to import, runs nothing', async () => {
    const jobs: unknown[] = [];
    const m = mount(<BacktestSection runner={directRunner([], jobs)} />);
    unmount = m.unmount;
    await waitFor(() => expect(byTestId(m.root, 'backtest-inputs').textContent).toMatch(/not imported/));
    await click(button(m.root, 'Run the backtest'));
    await waitFor(() =>
      expect(byTestId(m.root, 'backtest-status').textContent).toMatch(
        /Import the S&P 500 history \(SPX_History\.csv\) and the VIX history \(VIX_History\.csv\) above first/,
      ),
    );
    expect(jobs).toEqual([]);
  });

  it('runs the stored histories: progress to 100 %, a row per strategy, the chart; an edit is shown against the saved rulebook', async () => {
    await storeHistories(
      bars((d) => d.spx),
      bars((d) => d.vix),
    );
    const progress: number[] = [];
    const jobs: { edited?: unknown }[] = [];
    const created: Blob[] = [];
    vi.spyOn(URL, 'createObjectURL').mockImplementation((b) => {
      created.push(b as Blob);
      return `blob:chart-${created.length}`;
    });
    vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => {});
    const m = await mountAndRun(directRunner(progress, jobs as unknown[]));
    expect(progress.at(-1)).toBe(1);
    expect(byTestId(m.root, 'backtest-progress').getAttribute('data-done')).toBe('true');
    // The finished bar says how long the run took where it ran (the job's own clock).
    const label = byTestId(m.root, 'backtest-progress-label');
    const ms = Number(label.getAttribute('data-compute-ms'));
    expect(ms).toBeGreaterThan(0);
    expect(label.textContent).toBe(computedLabel(ms));
    expect(label.textContent).toMatch(/^Computed in (\d+ ms|\d+\.\d s|\d+ s)$/);
    const rows = Array.from(byTestId(m.root, 'backtest-table').querySelectorAll('tbody tr'));
    expect(rows.map((r) => r.getAttribute('data-strategy'))).toEqual(SIX_STRATEGIES);
    // The time in each stage (VIX alone): four counts that add up to the run's sessions.
    const stages = byTestId(m.root, 'backtest-stages').textContent ?? '';
    const counts = [...stages.matchAll(/([\d,]+) \(\d+\.\d%\) (Calm|Layer One|Second Engine|Unwind)/g)];
    expect(counts.map((c) => c[2])).toEqual(['Calm', 'Layer One', 'Second Engine', 'Unwind']);
    const total = Number(/of ([\d,]+) sessions/.exec(stages)![1]!.replace(/,/g, ''));
    expect(counts.reduce((a, c) => a + Number(c[1]!.replace(/,/g, '')), 0)).toBe(total);
    expect(total).toBe(authoredDays().length);
    // The chart is the SVG the engine made, shown from a blob as an image (never parsed into the page).
    expect(byTestId(m.root, 'backtest-chart').getAttribute('src')).toBe('blob:chart-1');
    expect(await created[0]!.text()).toMatch(/^<svg/);
    expect(byTestId(m.root, 'backtest-result').querySelector('[data-testid="backtest-edit"]')).toBeNull();
    m.unmount();

    // An unsaved edit (the Second Engine from VIX 30): after the pause the saved and the edited rulebook both run.
    const edited = mount(
      <BacktestSection draft={{ secondEngineMinVixLevel: 30 }} runner={directRunner(progress, jobs as unknown[])} />,
    );
    unmount = edited.unmount;
    await click(button(edited.root, 'Run the backtest'));
    await waitFor(
      () => expect(byTestId(edited.root, 'backtest-edit').querySelectorAll('tbody tr')).toHaveLength(6),
      120_000,
    );
    const job = jobs.at(-1) as {
      rulebook: { thresholds: Record<string, number> };
      edited: { thresholds: Record<string, number> };
    };
    expect(job.rulebook.thresholds.secondEngineMinVixLevel).toBe(defaultRulebook().thresholds.secondEngineMinVixLevel);
    expect(job.edited.thresholds.secondEngineMinVixLevel).toBe(30);
    // The table names the edit it shows: the rule as the editor labels it, saved → edited.
    const named = byTestId(edited.root, 'backtest-edit-changes').querySelectorAll('li');
    expect([...named].map((li) => li.textContent)).toEqual([
      `Second Engine: VIX at or above this level: ${defaultRulebook().thresholds.secondEngineMinVixLevel} VIX points → 30 VIX points`,
    ]);
  }, 300_000);

  it('year by year after a run; an index history picked is set beside each strategy; a broken one is named with its line', async () => {
    await storedWithChartUrls();
    const m = await mountAndRun(directRunner([], []));
    // Year by year: a row a year of the run, a column a strategy (the index's column comes with a file).
    const table = byTestId(m.root, 'backtest-years');
    const yearsOf = () =>
      Array.from(table.querySelectorAll('tbody tr[data-year]')).map((tr) => tr.getAttribute('data-year'));
    const heads = () => Array.from(table.querySelectorAll('thead th')).map((th) => th.textContent);
    expect(yearsOf()).toEqual(['2019', '2020']);
    expect(heads()).not.toContain('Index');
    expect(table.querySelectorAll('tbody tr[data-year="2020"] td')).toHaveLength(SIX_STRATEGIES.length);

    // Cboe's layout for a strategy index (DATE,CNDR), from the session before the run: 100 growing 0.01 % a session.
    const days = authoredDays();
    const level = (i: number) => 100 * 1.0001 ** i;
    const lines = [
      'DATE,CNDR',
      '05/31/2019,100',
      ...days.map((d, i) => `${d.date.slice(5, 7)}/${d.date.slice(8)}/${d.date.slice(0, 4)},${level(i + 1)}`),
    ];
    const input = m.root.querySelector<HTMLInputElement>('input[name="bt-benchmark"]')!;
    await pickFile(input, new File([lines.join('\n')], 'CNDR_History.csv', { type: 'text/csv' }));
    await waitFor(() => expect(heads()).toContain('Index'));
    expect(yearsOf()).toEqual(['2019', '2020']);
    // 2019: from the close before the run (100) to the run's last 2019 session.
    const last2019 = days.map((d) => d.date).filter((d) => d < '2020').length;
    const want = level(last2019) / 100 - 1;
    expect(table.querySelector('tbody tr[data-year="2019"] td')!.textContent).toBe(`+${(100 * want).toFixed(1)}%`);
    expect(table.querySelectorAll('tbody tr[data-year="2019"] td')).toHaveLength(1 + SIX_STRATEGIES.length);
    expect(table.querySelector('tr[data-row="per-year"]')).not.toBeNull();
    expect(table.querySelector('caption')!.textContent).toMatch(
      /CNDR_History\.csv’s \(closes 2019-05-31 to \d{4}-\d\d-\d\d\)/,
    );
    expect(byTestId(m.root, 'backtest-benchmark').querySelector('details')!.open).toBe(true);

    // The report and the curves to take away: the report as JSON (the CLI's --json shape), the curves as CSV.
    const blobs: Blob[] = [];
    vi.spyOn(URL, 'createObjectURL').mockImplementation((b) => (blobs.push(b as Blob), 'blob:download'));
    await click(button(m.root, 'Download the report (JSON)'));
    await click(button(m.root, 'Download the equity curves (CSV)'));
    expect(blobs).toHaveLength(2);
    const report = JSON.parse(await blobs[0]!.text()) as { strategies: { id: string; equity: number[] }[] };
    expect(report.strategies.map((x) => x.id)).toEqual(SIX_STRATEGIES);
    const csv = (await blobs[1]!.text()).trim().split('\n');
    expect(blobs[1]!.type).toBe('text/csv');
    expect(csv[0]).toBe(`date,${SIX_STRATEGIES.join(',')}`);
    expect(csv).toHaveLength(1 + days.length);
    expect(csv[1]!.split(',').slice(1).map(Number)).toEqual(report.strategies.map((x) => x.equity[0]));

    // A broken file: the reader's message, with the line; the index's column goes.
    await pickFile(input, new File(['DATE,CNDR\n01/02/2020,100\n01/03/2020,oops\n'], 'bad.csv', { type: 'text/csv' }));
    await waitFor(() =>
      expect(byTestId(m.root, 'backtest-benchmark').querySelector('[role="alert"]')?.textContent).toMatch(
        /^index history bad\.csv, line 3: /,
      ),
    );
    expect(heads()).not.toContain('Index');
  }, 300_000);

  it('an edit after a run keeps the saved rulebook’s run and runs the edited one alone; a new preset runs both', async () => {
    await storedWithChartUrls();
    const jobs: BacktestJob[] = [];
    const results: BacktestJobResult[] = [];
    const runner: BacktestRunner = (job, onProgress) => {
      const r = directRunner([], jobs as unknown[])(job, onProgress);
      return { done: r.done.then((x) => (results.push(x), x)), cancel: r.cancel };
    };
    const view = (draft: Record<string, number>) => <BacktestSection draft={draft} runner={runner} />;
    const m = mount(view({ secondEngineMinVixLevel: 30 }));
    unmount = m.unmount;
    await waitFor(() => expect(byTestId(m.root, 'backtest-inputs').textContent).toMatch(/400 closes/));
    await click(button(m.root, 'Run the backtest'));
    const status = () => byTestId(m.root, 'backtest-status').textContent ?? '';
    await waitFor(() => expect(status()).toMatch(/^Done: 6 strategies.*, with your unsaved edit\.$/), 120_000);
    // The first run of the page: both rulebooks.
    expect(jobs).toHaveLength(1);
    expect(jobs[0]!.saved).toBeUndefined();

    // Another edit: the saved rulebook's run is the one already made, sent back as it was; only the edit runs.
    act(() => render(view({ secondEngineMinVixLevel: 35 }), m.root));
    await waitFor(() => expect(jobs).toHaveLength(2), 5_000);
    await waitFor(() => expect(results).toHaveLength(2), 120_000);
    expect(jobs[1]!.saved?.report).toBe(results[0]!.report);
    expect(jobs[1]!.edited!.thresholds.secondEngineMinVixLevel).toBe(35);
    expect(results[1]!.report).toBe(results[0]!.report);
    expect(results[1]!.edited).not.toBeNull();
    // What it shows is what a run of both gives: the same saved report, the edited one from the same job alone.
    const both = runBacktestJob({ ...jobs[1]!, saved: null });
    expect(results[1]!.edited).toEqual(both.edited);
    expect(results[1]!.report).toEqual(both.report);
    await waitFor(() => expect(status()).toMatch(/^Done: 6 strategies.*, with your unsaved edit\.$/), 10_000);
    expect(byTestId(m.root, 'backtest-edit').querySelectorAll('tbody tr')).toHaveLength(6);

    // The other preset: what the saved run read has changed, so both run again.
    await click(m.root.querySelector<HTMLInputElement>('input[name="bt-preset"][value="trader"]')!);
    act(() => render(view({ secondEngineMinVixLevel: 32 }), m.root));
    await waitFor(() => expect(results).toHaveLength(3), 120_000);
    expect(jobs[2]!.preset).toBe('trader');
    expect(jobs[2]!.saved).toBeUndefined();
    expect(results[2]!.report).not.toBe(results[0]!.report);
  }, 300_000);

  it('a period: the span both histories share is offered, a back-to-front period is refused, a period runs only its dates', async () => {
    await storeHistories(
      bars((d) => d.spx),
      bars((d) => d.vix).slice(5),
    ); // VIX starts 5 sessions later
    vi.spyOn(URL, 'createObjectURL').mockImplementation(() => 'blob:chart');
    vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => {});
    const days = authoredDays();
    const jobs: { from?: string | null; to?: string | null }[] = [];
    const m = mount(<BacktestSection runner={directRunner([], jobs as unknown[])} />);
    unmount = m.unmount;
    await waitFor(() =>
      expect(byTestId(m.root, 'backtest-period-hint').textContent).toBe(
        `Empty: the whole span both histories cover, ${days[5]!.date} to ${days.at(-1)!.date}.`,
      ),
    );
    const from = m.root.querySelector<HTMLInputElement>('input[name="bt-from"]')!;
    const to = m.root.querySelector<HTMLInputElement>('input[name="bt-to"]')!;
    expect([from.min, from.max]).toEqual([days[5]!.date, days.at(-1)!.date]);

    await type(from, '2020-11-02');
    await type(to, '2019-09-03');
    await click(button(m.root, 'Run the backtest'));
    await waitFor(() =>
      expect(byTestId(m.root, 'backtest-status').textContent).toMatch(
        /^The period is back to front: 2020-11-02 is after 2019-09-03/,
      ),
    );
    expect(jobs).toEqual([]);

    await type(from, '2019-09-03');
    await type(to, '2020-11-02');
    await click(button(m.root, 'Run the backtest'));
    await waitFor(
      () =>
        expect(byTestId(m.root, 'backtest-status').textContent).toMatch(
          /^Done: 6 strategies, 2019-09-03 to 2020-11-02/,
        ),
      120_000,
    );
    expect(jobs.map((j) => [j.from, j.to])).toEqual([['2019-09-03', '2020-11-02']]);
  }, 300_000);
});

describe('ruleChanges', () => {
  it('lists the rules an edit changes, in the rulebook’s order, with natural units only', () => {
    const saved = defaultRulebook().thresholds;
    const edited = { ...saved, spikePctOnPriorClose: 20, secondEngineMinVixLevel: 28, layerOneLossCoverShare: 0.5 };
    expect(ruleChanges(saved, edited)).toEqual([
      {
        key: 'spikePctOnPriorClose',
        label: 'VIX spike: close up at least this % on the prior close',
        from: `${saved.spikePctOnPriorClose}%`,
        to: '20%',
      },
      {
        key: 'layerOneLossCoverShare',
        label: "Layer One is sized to take this share of the condor's downside stress loss beyond its credit",
        from: String(saved.layerOneLossCoverShare),
        to: '0.5',
      },
      {
        key: 'secondEngineMinVixLevel',
        label: 'Second Engine: VIX at or above this level',
        from: `${saved.secondEngineMinVixLevel} VIX points`,
        to: '28 VIX points',
      },
    ]);
    expect(ruleChanges(saved, { ...saved })).toEqual([]);
  });
});
