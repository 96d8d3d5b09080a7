/**
 * Every ALVH input in the UI (#19): macro dates typed and imported in Options → Macro calendar and an advance–decline
 * file imported in Options → Advance–decline reach the overlay's plan on the demo page, live, through storage; the
 * plan's why says what they changed. The same files through `hedgelens analyze` give the same sentences and the same
 * Layer One quantity (one session, two drivers).
 *
 * The scene (tests/helpers/inputsScene.ts): the SPY demo page, a threatened 10-lot condor, an authored calm VIX
 * history; the breadth divergence lifts Layer One from 4 to 5 put debit spreads, a PCE date the next day raises the
 * urgency.
 */
import { resolve } from 'node:path';
import { readFile } from 'node:fs/promises';
import type { Frame, Page } from 'playwright-core';
import { expect, test } from 'vitest';
import { run } from '../../src/cli/commands/analyze';
import type { CliIo } from '../../src/cli/io';
import { clickArrived, FIXTURES, openWithOverlay, outboundRequests, readStorage } from './harness';
import { useExtensionSession } from './suite';
import { MACRO_URGENCY, SCENE, SIZING_WITH_BREADTH, SIZING_WITHOUT_BREADTH } from '../helpers/inputsScene';

const e2e = useExtensionSession();

const VIX_HISTORY = resolve(FIXTURES, SCENE.vixHistory);
const MACRO_FILE = resolve(FIXTURES, SCENE.macroFile);
const AD_FILE = resolve(FIXTURES, SCENE.advanceDecline);
const NOT_AD = resolve(FIXTURES, 'vix/bad_lines.csv');
const PAGE = SCENE.page;
const CONDOR = SCENE.condor;
const SIZING_BEFORE = SIZING_WITHOUT_BREADTH;
const SIZING_AFTER = SIZING_WITH_BREADTH;
const URGENCY = MACRO_URGENCY;

const activeLayerOne = (frame: Frame) => frame.locator('article[data-layer="layer-one"][data-active="true"]');
const reasons = (frame: Frame) => activeLayerOne(frame).locator('details.hl-alvh-reasons li').allTextContents();
const ticketTitle = (frame: Frame) => activeLayerOne(frame).first().getAttribute('aria-label');

async function openOptions(): Promise<Page> {
  const page = await e2e.session.context.newPage();
  await page.goto(`chrome-extension://${e2e.session.extensionId}/options.html`);
  await page.getByRole('heading', { name: 'Macro calendar' }).waitFor();
  return page;
}

test('macro dates and an advance–decline file entered in Options change the plan’s why on the demo page; the CLI agrees', async () => {
  const errors: string[] = [];
  // 1. The VIX history the sizing's RSI is read from.
  const options = await openOptions();
  options.on('pageerror', (e) => errors.push(e.message));
  await options.getByLabel('Import VIX_History.csv').setInputFiles(VIX_HISTORY);
  await expect.poll(() => options.getByTestId('vix-status').textContent()).toMatch(/^Imported 106 daily closes/);

  // 2. The demo page with the condor held: Layer One, 4 spreads, no breadth, no urgency.
  const { page, frame } = await openWithOverlay(e2e.session, e2e.server.url(PAGE, { csp: 'strict' }), {
    ready: 'strikes-read',
    timeout: 30_000,
  });
  page.on('pageerror', (e) => errors.push(e.message));
  await frame.getByLabel('Condor as strikes, quantity and credit').fill(`${CONDOR} x${SCENE.quantity}`);
  await clickArrived(frame, frame.getByRole('button', { name: 'Set', exact: true }), 'Set');
  await expect.poll(() => ticketTitle(frame), { timeout: 30_000 }).toBe('Put debit spread × 4');
  expect(await frame.getByTestId('alvh-stage').textContent()).toBe('Layer One');
  expect(await reasons(frame)).toContain(SIZING_BEFORE);
  expect(await frame.getByTestId('alvh-urgency').count()).toBe(0);
  expect(await frame.getByTestId('alvh-macro-next').count()).toBe(0);

  // 3. Options → Macro calendar: a bad line refuses the text, says which line, keeps what was typed.
  await options.bringToFront();
  await options.getByLabel('Kind of the dates').selectOption('FOMC');
  const box = options.getByLabel('Dates, one per line');
  await box.fill('2025-09-17\n2025-10-92');
  await options.getByRole('button', { name: 'Add dates' }).click();
  await expect.poll(() => options.getByTestId('mcal-errors').textContent()).toContain('line 2: ');
  expect(await options.getByTestId('mcal-status').textContent()).toMatch(/^Nothing added: line 2: 2025-10-92 is not/);
  expect(await box.inputValue()).toBe('2025-09-17\n2025-10-92');
  expect((await readStorage(e2e.session)).macroCalendar).toBeUndefined();
  // Fixed and added with the keyboard (Enter on the focused button).
  await box.fill(SCENE.macroTyped.join('\n'));
  await options.getByRole('button', { name: 'Add dates' }).focus();
  await options.keyboard.press('Enter');
  await expect
    .poll(() => options.getByTestId('mcal-status').textContent())
    .toBe('Added 2 dates from the box; 2 stored.');
  expect(await box.inputValue()).toBe('');
  // The CSV import (type,date): the two FOMC dates again are kept once.
  await options.getByLabel('Import a calendar CSV (type,date)').setInputFiles(MACRO_FILE);
  await expect
    .poll(() => options.getByTestId('mcal-status').textContent())
    .toBe('Added 5 dates from authored_macro_2025.csv; 5 stored.');
  expect(await options.getByTestId('mcal-list').getByRole('listitem').allTextContents()).toEqual([
    'FOMC 2025-09-17 Remove FOMC 2025-09-17',
    'PCE 2025-09-26 Remove PCE 2025-09-26',
    'CPI 2025-10-15 Remove CPI 2025-10-15',
    'PPI 2025-10-16 Remove PPI 2025-10-16',
    'FOMC 2025-10-29 Remove FOMC 2025-10-29',
  ]);
  expect((await readStorage(e2e.session)).macroCalendar).toEqual({
    version: 1,
    events: [
      { kind: 'FOMC', date: '2025-09-17' },
      { kind: 'PCE', date: '2025-09-26' },
      { kind: 'CPI', date: '2025-10-15' },
      { kind: 'PPI', date: '2025-10-16' },
      { kind: 'FOMC', date: '2025-10-29' },
    ],
  });

  // 4. Options → Advance–decline: progress to 100 %, a report of what was taken.
  await options.getByLabel('Import an advance–decline CSV').setInputFiles(AD_FILE);
  const progress = options.getByTestId('ad-progress');
  await expect.poll(() => progress.getAttribute('data-done'), { timeout: 30_000 }).toBe('true');
  expect(await progress.evaluate((p) => (p as HTMLProgressElement).value)).toBe(100);
  await expect
    .poll(() => options.getByTestId('ad-status').textContent())
    .toBe('Imported 14 days of advances and declines from authored_advance_decline_2025-09.csv.');
  expect(await options.getByTestId('ad-report').textContent()).toContain(
    'Dates: 2025-09-08 to 2025-09-25; 14 with the index close',
  );
  // A file that is not one: refused line by line, the stored series kept.
  await options.getByLabel('Import an advance–decline CSV').setInputFiles(NOT_AD);
  await expect
    .poll(() => options.getByTestId('ad-status').textContent())
    .toMatch(/^Nothing imported from bad_lines\.csv: line \d+: /);
  expect(await options.getByTestId('ad-status').textContent()).toContain('the series stored before is kept');
  expect(await options.getByTestId('ad-bad-lines').getByRole('listitem').count()).toBeGreaterThan(0);
  expect(await options.getByTestId('ad-stored').textContent()).toContain('14 days, 2025-09-08 to 2025-09-25');
  const stored = (await readStorage(e2e.session)).advanceDecline as { dates: string[]; closes: number[] };
  expect(stored.dates.length).toBe(14);
  expect(stored.closes.at(-1)).toBe(658.05);

  // 5. Back on the page: the plan was made again from storage; its why says what the inputs changed.
  await page.bringToFront();
  await expect.poll(() => ticketTitle(frame), { timeout: 30_000 }).toBe('Put debit spread × 5');
  const why = await reasons(frame);
  expect(why).toContain(SIZING_AFTER);
  expect(why.some((s) => s.includes('× signal share 0.72; 5 units come nearest it'))).toBe(true);
  expect(await frame.getByTestId('alvh-urgency').textContent()).toBe(`Urgency raised: ${URGENCY}.`);
  expect(await frame.getByTestId('alvh-macro-next').textContent()).toBe(
    'Macro dates ahead: PCE 2025-09-26 (1 day), CPI 2025-10-15 (20 days), PPI 2025-10-16 (21 days).',
  );

  // 6. The same files through the CLI: the same sentences, the same quantity.
  const io: CliIo & { out: string } = {
    out: '',
    stdout: (t: string) => void (io.out += t),
    stderr: () => undefined,
    readFile: (p: string) => readFile(p, 'utf8'),
    now: () => new Date('2030-01-01T00:00:00Z'),
  };
  const argv = [
    resolve(FIXTURES, PAGE),
    '--condor',
    CONDOR,
    '--qty',
    String(SCENE.quantity),
    '--vix-history',
    VIX_HISTORY,
    '--advance-decline',
    AD_FILE,
    '--macro',
    SCENE.macroTyped.map((d) => `FOMC:${d}`).join(','),
    '--macro-file',
    MACRO_FILE,
  ];
  expect(await run(argv, io)).toBe(0);
  expect(io.out).toContain(`Layer One sizing: ${SIZING_AFTER}`);
  expect(io.out).toContain(`urgency raised: ${URGENCY}`);
  expect(io.out).toMatch(/#1 Layer One · put debit spread × 5 · ACTIVE/);

  expect(errors).toEqual([]);
  expect(outboundRequests(e2e.session)).toEqual([]);
  await page.close();
  await options.close();
});
