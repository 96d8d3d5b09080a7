/**
 * "Report this page" end to end in real Chromium (issue 16): a page holding a chain the reader cannot read gets the
 * quiet line; *Report this page* shows the anonymised file before anything is saved; *Save report* downloads
 * exactly what was shown; in the file no figure of the page's table, no URL query and no text from outside the
 * column headers survives; and `hedgelens scrape` reads the file as it reads the page (the same diagnosis), so the
 * report can become a regression fixture.
 *
 * The notice lives in a closed shadow root: the test reads and clicks it the way DevTools does (harness.ts).
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect, test } from 'vitest';
import { parseHtml } from '../../src/brokers/node';
import { clickShadowButton, closedShadowView, FIXTURES, openPopup, outboundRequests, REPO } from './harness';
import { useExtensionSession, useTempDir } from './suite';

const e2e = useExtensionSession();
const work = useTempDir('hedgelens-report-');
const run = promisify(execFile);
const NOTICE = 'hedgelens-notice';
const PAGE = 'e2e/unreadable-chain.html';

/** `hedgelens scrape FILE`: its first line (the diagnosis, without the file's name) and exit code. */
async function scrape(file: string): Promise<{ line: string; code: number }> {
  const r = await run(process.execPath, [join(REPO, 'bin/hedgelens.mjs'), 'scrape', file], { cwd: REPO }).then(
    (ok) => ({ out: ok.stdout, code: 0 }),
    (err: { stdout?: string; code?: number }) => ({ out: err.stdout ?? '', code: err.code ?? -1 }),
  );
  return { line: (r.out.split('\n')[0] ?? '').replace(/^[^:]*: /, ''), code: r.code };
}

/** What a figure looks like: a number, with so many decimals. */
const shape = (t: string) => ({ number: /^\d[\d,]*(\.\d+)?$/.test(t), decimals: t.split('.')[1]?.length ?? 0 });

/** Every table cell's text, row by row, and the header cells' texts. */
function cellsOf(html: string): { head: string[]; body: string[][] } {
  const { document, close } = parseHtml(html);
  const head = [...document.querySelectorAll('thead th')].map((c) => c.textContent?.trim() ?? '');
  const body = [...document.querySelectorAll('tbody tr')].map((tr) =>
    [...tr.querySelectorAll('td')].map((c) => c.textContent?.trim() ?? ''),
  );
  close();
  return { head, body };
}

test('an unreadable chain: the quiet line, the report shown before saving, saved as shown, nothing private in it, and scrape reads it as it reads the page', async () => {
  const original = readFileSync(join(FIXTURES, PAGE), 'utf8');
  const page = await e2e.session.context.newPage();
  try {
    await page.goto(`${e2e.server.url(PAGE)}?acct=55512345&session=f00dcafe`);
    // The quiet line, with its two actions (and a way to dismiss it).
    await expect
      .poll(async () => (await closedShadowView(page, NOTICE))?.spans ?? [], { timeout: 20_000 })
      .toContain('HedgeLens sees an option chain it could not read.');
    const line = (await closedShadowView(page, NOTICE))!;
    expect(line.mode).toBe('closed');
    expect(line.buttons).toEqual(['Teach this page', 'Report this page', '×']);
    // No overlay for a page that was not read.
    expect(await page.locator('hedgelens-dock').count()).toBe(0);

    // Report: the file is shown first, with what was replaced.
    await clickShadowButton(page, NOTICE, 'Report this page');
    await expect.poll(async () => (await closedShadowView(page, NOTICE))?.pres.length ?? 0).toBe(1);
    const shown = (await closedShadowView(page, NOTICE))!;
    expect(shown.lines[0]).toMatch(
      /^This file is the page's structure with its content replaced: \d+ numbers, \d+ dates and \d+ words changed, \d+ links emptied, \d+ scripts, styles and images removed\. Column headers are kept\. Read it below before saving\.$/,
    );
    expect(shown.buttons).toEqual(['Teach this page', 'Report this page', '×', 'Cancel', 'Save report']);
    const previewed = shown.pres[0]!;

    // Save: a download of exactly what was shown.
    const downloading = page.waitForEvent('download', { timeout: 15_000 });
    await clickShadowButton(page, NOTICE, 'Save report');
    const download = await downloading;
    expect(download.suggestedFilename()).toMatch(/^hedgelens-report-127\.0\.0\.1-\d{4}-\d{2}-\d{2}\.html$/);
    const file = join(work, download.suggestedFilename());
    await download.saveAs(file);
    const saved = readFileSync(file, 'utf8');
    expect(saved).toBe(previewed);
    await expect.poll(async () => (await closedShadowView(page, NOTICE))?.pres.length ?? 0).toBe(0);

    // Nothing private: no URL or its query, no text from outside the headers, no figure of the page.
    for (const secret of ['acct', '55512345', 'f00dcafe', 'session=', '127.0.0.1', 'unreadable-chain']) {
      expect(saved).not.toContain(secret);
    }
    for (const words of ['Jane', 'Trader', 'Northwind', 'Brokerage', 'Marcus', 'Whitfield', 'advisor', 'desk 7719']) {
      expect(saved).not.toContain(words);
    }
    for (const figure of ['585.20', '4410', '7719']) expect(saved).not.toContain(figure);
    const before = cellsOf(original);
    const after = cellsOf(saved);
    expect(after.head).toEqual(before.head); // the column headers, word for word
    expect(after.body.map((r) => r.length)).toEqual(before.body.map((r) => r.length));
    before.body.forEach((row, i) =>
      row.forEach((cell, j) => {
        const now = after.body[i]![j]!;
        expect(now, `row ${i + 1}, column ${before.head[j]}`).not.toBe(cell); // every figure replaced…
        expect(shape(now), `row ${i + 1}, column ${before.head[j]}`).toEqual(shape(cell)); // …by one of its shape
      }),
    );

    // The report reads as the page does: the same diagnosis, so it can stand in for the page as a fixture.
    const fromPage = await scrape(join(FIXTURES, PAGE));
    const fromReport = await scrape(file);
    expect(fromPage.line).toMatch(/^no chain — no option chain found: .*no way to tell calls from puts/);
    expect(fromReport).toEqual(fromPage);
    // Once a profile or a fix reads it, the rows are the page's rows: same count, strikes in the same order.
    const strikes = (rows: string[][]) => rows.map((r) => Number(r[0]!.replace(/,/g, '')));
    const order = (xs: number[]) => xs.map((x, i) => (i === 0 ? 0 : Math.sign(x - xs[i - 1]!)));
    expect(order(strikes(after.body))).toEqual(order(strikes(before.body)));
  } finally {
    await page.close();
  }
  expect(outboundRequests(e2e.session)).toEqual([]);
});

test('the trader prefers the popup alone (Options): no line on the page; the popup says so, and its Report opens the report on the page', async () => {
  await e2e.session.serviceWorker.evaluate(() => chrome.storage.local.set({ unreadLineOnPage: false }));
  const page = await e2e.session.context.newPage();
  try {
    await page.goto(e2e.server.url(PAGE));
    const popup = await openPopup(e2e.session, page);
    await expect
      .poll(() => popup.getByTestId('no-chain').textContent(), { timeout: 20_000 })
      .toBe('HedgeLens sees an option chain it could not read.');
    // The page has been read (the popup says what it found), and nothing was put on it.
    expect(await closedShadowView(page, NOTICE)).toBeNull();
    await popup.getByRole('button', { name: 'Report this page' }).click();
    await expect.poll(async () => (await closedShadowView(page, NOTICE))?.pres.length ?? 0).toBe(1);
    const shown = (await closedShadowView(page, NOTICE))!;
    expect(shown.pres[0]).toContain('<th>Strike</th>');
    expect(shown.pres[0]).not.toContain('55512345');
    await clickShadowButton(page, NOTICE, 'Cancel');
    await expect.poll(async () => (await closedShadowView(page, NOTICE))?.pres.length ?? 0).toBe(0);
  } finally {
    await page.close();
    await e2e.session.serviceWorker.evaluate(() => chrome.storage.local.remove('unreadLineOnPage'));
  }
});

declare const chrome: {
  storage: { local: { set(v: Record<string, unknown>): Promise<void>; remove(k: string): Promise<void> } };
};
