/**
 * Options → Backtest (#15) in real Chromium on the real build: the S&P 500 and VIX histories imported through the
 * page's file inputs, a period chosen, the six strategies run in the backtest worker with the progress bar moving and
 * the page painting, the table and the chart shown; then an unsaved rulebook edit runs again and is shown against the
 * saved rulebook. With ../shared the real Cboe histories and 2018–2020 (two spikes: Feb 2018, Mar 2020); without it,
 * authored histories (400 sessions, a spike in Mar 2020), said in the output. The screenshot for the README is taken
 * from the real run only.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { sharedFile } from '../helpers/shared';
import { authoredFiles, SIX_STRATEGIES } from '../backtest/fixture';
import { launchExtension, outboundRequests, pageWork, watchPageWork, REPO, type ExtensionSession } from './harness';

const realSpx = sharedFile('data/spx/SPX_History.csv');
const realVix = sharedFile('data/vix/VIX_History.csv');
const real = realSpx && realVix ? { spx: realSpx, vix: realVix } : null;
const tmp = mkdtempSync(join(tmpdir(), 'hedgelens-bt-'));
const files = real ?? {
  spx: join(tmp, 'SPX_History.csv'),
  vix: join(tmp, 'VIX_History.csv'),
};
if (!real) {
  console.log(
    '[backtest e2e] ../shared is absent: authored histories (400 sessions from 2019-06-03) instead of Cboe’s',
  );
  const authored = authoredFiles();
  writeFileSync(files.spx, authored.spx.text);
  writeFileSync(files.vix, authored.vix.text);
}
const period = real ? { from: '2018-01-02', to: '2020-12-31' } : { from: '', to: '' };

let session: ExtensionSession;
beforeAll(async () => {
  session = await launchExtension();
});
afterAll(async () => {
  await session?.close();
  rmSync(tmp, { recursive: true, force: true });
});

test('Options → Backtest: histories imported, a period run in the worker with progress, the table and chart; an unsaved edit shown against the saved rulebook', async () => {
  const page = await session.context.newPage();
  await page.setViewportSize({ width: 1280, height: 1000 });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`chrome-extension://${session.extensionId}/options.html`);
  await page.getByRole('heading', { name: 'Backtest: the hedges on a condor book' }).waitFor();
  await expect.poll(() => page.getByTestId('backtest-inputs').textContent()).toMatch(/S&P 500 history: not imported/);

  // 1. Both histories through the page's file inputs.
  for (const [label, file, id] of [
    ['Import SPX_History.csv', files.spx, 'spx'],
    ['Import VIX_History.csv', files.vix, 'vix'],
  ] as const) {
    await page.getByLabel(label).setInputFiles(file);
    await expect
      .poll(() => page.getByTestId(`${id}-progress`).getAttribute('data-done'), { timeout: 60_000 })
      .toBe('true');
  }
  // The section reads what is stored when a run starts; reload so its summary shows the imports too.
  await page.reload();
  const inputs = page.getByTestId('backtest-inputs');
  await expect.poll(() => inputs.textContent()).toMatch(/S&P 500 history: [\d,]+ closes · VIX history: [\d,]+ closes/);

  // 2. The period, then the run: progress values shown and the page's longest task recorded while it computes.
  if (period.from) await page.locator('input[name="bt-from"]').fill(period.from);
  if (period.to) await page.locator('input[name="bt-to"]').fill(period.to);
  await watchPageWork(page, 'bt-progress');
  await page.getByRole('button', { name: 'Run the backtest' }).click();
  const status = page.getByTestId('backtest-status');
  await expect.poll(() => status.textContent(), { timeout: 240_000 }).toMatch(/^Done: 6 strategies/);
  const done = (await status.textContent()) ?? '';
  if (real) expect(done).toMatch(/^Done: 6 strategies, 2018-01-02 to 2020-12-31\./);
  const { longest, shown } = await pageWork(page);
  // The finished bar says how long the worker took (a figure shown to the trader, not a target checked here).
  const took = (await page.getByTestId('backtest-progress-label').textContent()) ?? '';
  expect(took).toMatch(/^Computed in (\d+ ms|\d+\.\d s|\d+ s)$/);
  console.log(
    `[backtest e2e] ${done} ${took} in the worker. Longest task on the page: ${longest > 0 ? `${longest.toFixed(0)} ms` : 'none over 50 ms'}; progress shown: ${shown.join(', ')}`,
  );
  // The work is in the worker: the page keeps painting (not a speed target: benches measure speed).
  expect(longest).toBeLessThan(3000);
  expect(shown.at(-1)).toBe(100);
  expect(new Set(shown.filter((v) => v > 0 && v < 100)).size).toBeGreaterThanOrEqual(2);

  const rows = page.getByTestId('backtest-table').locator('tbody tr');
  expect(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-strategy')))).toEqual(SIX_STRATEGIES);
  // Every row carries figures (a percentage in each), none blank.
  for (const text of await rows.allTextContents()) expect(text).toMatch(/-?\d+(\.\d+)?\s?%/);
  const chart = page.getByTestId('backtest-chart');
  await expect
    .poll(() => chart.evaluate((img) => (img as HTMLImageElement).complete && (img as HTMLImageElement).naturalWidth))
    .toBeGreaterThan(0);
  if (real) {
    // The page's header is sticky: scroll the section's top just below it, then shoot the section in the viewport.
    await page.setViewportSize({ width: 1280, height: 1500 });
    const clip = await page.evaluate(() => {
      const section = document.querySelector('section[aria-labelledby="bt-title"]')!;
      const header = document.querySelector('header');
      const below = header ? header.getBoundingClientRect().height : 0;
      window.scrollBy(0, section.getBoundingClientRect().top - below - 8);
      const r = section.getBoundingClientRect();
      return { x: r.left, y: r.top - 8, width: r.width, height: Math.min(r.height + 16, window.innerHeight - r.top) };
    });
    await page.screenshot({ path: join(REPO, 'docs/options-backtest.png'), clip, animations: 'disabled' });
  }

  // 3. An unsaved edit of the rulebook (the Second Engine from VIX 30): after the pause the edited rulebook runs (the
  // saved one's run is kept: nothing it reads changed), in the worker kept from the first run, and the edit's table
  // shows each strategy against the saved rulebook.
  await page.getByRole('textbox', { name: /Second Engine: VIX at or above this level/ }).fill('30');
  const edit = page.getByTestId('backtest-edit');
  await expect.poll(() => edit.locator('tbody tr').count(), { timeout: 240_000 }).toBe(6);
  await expect.poll(() => status.textContent()).toMatch(/, with your unsaved edit\.$/);
  // The table names the edit it shows.
  expect(await page.getByTestId('backtest-edit-changes').textContent()).toMatch(
    /^Second Engine: VIX at or above this level: \d+ VIX points → 30 VIX points$/,
  );

  // 4. An index history beside the run (Cboe's layout for a strategy index, DATE,CNDR): read in the page, a row a year.
  const cndr = join(tmp, 'CNDR_History.csv');
  const lines = ['DATE,CNDR'];
  for (let t = Date.UTC(2017, 11, 1), i = 0; t <= Date.UTC(2021, 0, 31); t += 86_400_000) {
    const wd = new Date(t).getUTCDay();
    if (wd === 0 || wd === 6) continue;
    lines.push(`${new Date(t).toISOString().slice(0, 10)},${(100 * 1.0002 ** i++).toFixed(4)}`);
  }
  writeFileSync(cndr, lines.join('\n'));
  await page.getByLabel(/Compare with an index history/).setInputFiles(cndr);
  const bench = page.getByTestId('backtest-years');
  await expect
    .poll(() =>
      bench.locator('tbody tr[data-year]').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-year'))),
    )
    .toEqual(real ? ['2018', '2019', '2020'] : ['2019', '2020']);
  // Every year's index return is the file's (0.02 % a session: positive), each strategy's beside it.
  await expect.poll(() => bench.locator('thead th').allTextContents()).toContain('Index');
  for (const text of await bench.locator('tbody tr[data-year] td:first-of-type').allTextContents())
    expect(text).toMatch(/^\+\d+\.\d%$/);

  // 5. The equity curves taken away: a real download from a Blob URL, a row per session of the run.
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download the equity curves (CSV)' }).click();
  const dl = await download;
  expect(dl.suggestedFilename()).toMatch(/^hedgelens-backtest-equity-\d{4}-\d{2}-\d{2}\.csv$/);
  const csvPath = join(tmp, dl.suggestedFilename());
  await dl.saveAs(csvPath);
  const csv = readFileSync(csvPath, 'utf8').trim().split('\n');
  expect(csv[0]).toBe(`date,${SIX_STRATEGIES.join(',')}`);
  const caption = (await page.getByTestId('backtest-table').locator('caption').textContent()) ?? '';
  const sessions = Number(/\(([\d,]+) sessions\)/.exec(caption)?.[1]?.replace(/,/g, ''));
  expect(sessions).toBeGreaterThan(0);
  expect(csv.length - 1).toBe(sessions);

  expect(errors).toEqual([]);
  expect(outboundRequests(session)).toEqual([]);
});
