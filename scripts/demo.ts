/**
 * `npm run demo [-- <scenario>]`: builds the extension, serves a demo broker page made from a real Cboe download
 * (scripts/make-demo.ts) on 127.0.0.1 under a strict CSP, and opens Chromium with HedgeLens loaded on it. With a
 * display it stays open until you close the browser; without one it runs headless, saves a screenshot and prints
 * what the overlay shows: the condor and its risk, the VIX it used, the hedge plan's stage and its tickets.
 * `npm run demo -- --help` lists the scenarios.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Frame } from 'playwright-core';
import { REPO, clickArrived, launchExtension, overlayFrame, startFixtureServer } from '../tests/e2e/harness';

export interface Scenario {
  name: string;
  page: string;
  what: string;
  /**
   * A condor typed into the overlay's condor box, as a trader would: the one they hold. Without it the overlay's
   * suggestion (16-delta shorts) is shown.
   */
  condor?: string;
}

export const SCENARIOS: Scenario[] = [
  {
    name: 'crash-2020',
    page: 'demo/spx-2020-03-20.html',
    what:
      'SPX in the March 2020 crash: the 20 Mar close (2,304.92) with VIX at 66.04 on the page, and a condor held ' +
      'on the 17 Apr expiry whose short put (2,200) the market now prices at 0.37 delta: the plan leaves Calm.',
    condor: '2150/2200/3050/3100 x1',
  },
  {
    name: 'spy-2025',
    page: 'demo/spy-2025-09-25.html',
    what: 'SPY on 25 Sep 2025, a calm market: the suggested 16-delta condor on the 24 Oct expiry.',
  },
  {
    name: 'spx-2026',
    page: 'demo/spx-2026-03-14.html',
    what:
      'SPX on 14 Mar 2026: the download lists only 18 strikes (6,590–6,675) on each expiry, too few for a ' +
      '16-delta condor, so a narrow condor on those strikes is typed in.',
    condor: '6590/6600/6665/6675 x1',
  },
];

const USAGE = `Usage: npm run demo -- [scenario] [--headless] [--no-build]

Scenarios (the first is the default):
${SCENARIOS.map((s) => `  ${s.name.padEnd(11)} ${s.what}`).join('\n')}

  --headless   no window even with a display: print what the overlay shows and save docs/demo-screenshot.png
  --no-build   use the extension already built in .output/chrome-mv3`;

/** The overlay's text once the chain is read, the condor valued and the plan judged (or said to be unjudged). */
async function overlayText(frame: Frame): Promise<string> {
  await frame.getByTestId('strikes-read').waitFor({ timeout: 30_000 });
  await frame.getByTestId('condor-legs').or(frame.getByTestId('no-condor')).first().waitFor({ timeout: 30_000 });
  await frame
    .getByTestId('alvh-stage')
    .or(frame.getByTestId('alvh-unjudged'))
    .or(frame.getByTestId('alvh-empty'))
    .first()
    .waitFor({ timeout: 30_000 });
  return (await frame.getByRole('region', { name: 'HedgeLens' }).innerText()).replace(/\n{2,}/g, '\n');
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args.includes('--help') || args.includes('-h')) {
    console.log(USAGE);
    return;
  }
  const names = args.filter((a) => !a.startsWith('--'));
  const unknownFlag = args.find((a) => a.startsWith('--') && !['--headless', '--no-build'].includes(a));
  if (unknownFlag) throw new Error(`unknown option ${unknownFlag}\n\n${USAGE}`);
  if (names.length > 1) throw new Error(`one scenario at a time, not ${names.join(' and ')}\n\n${USAGE}`);
  const scenario = names.length ? SCENARIOS.find((s) => s.name === names[0]) : SCENARIOS[0];
  if (!scenario) throw new Error(`no scenario "${names[0]}"\n\n${USAGE}`);

  if (!args.includes('--no-build')) {
    console.log('demo: building the extension (wxt build)…');
    // The demo page is served on 127.0.0.1: loopback pages are matched only in demo and test builds.
    execFileSync('npx', ['wxt', 'build'], {
      cwd: REPO,
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, HEDGELENS_LOOPBACK: '1' },
    });
  }
  const headed = Boolean(process.env.DISPLAY) && !args.includes('--headless');
  const server = await startFixtureServer();
  const url = server.url(scenario.page, { csp: 'strict' });
  const session = await launchExtension({ headless: !headed });
  try {
    const page = session.context.pages()[0] ?? (await session.context.newPage());
    await page.goto(url);
    console.log(`demo: scenario ${scenario.name}: ${scenario.what}`);
    console.log(`demo: ${url} (strict CSP) in ${headed ? 'a Chromium window' : 'headless Chromium'}`);

    // A fresh profile opens the first-run page in a tab of its own on install, in front of the demo's; once it is
    // there, the demo's tab comes back to the front (a click into the overlay of a tab behind another can go astray).
    const welcome = (p: { url(): string }) => p.url().includes('/welcome.html');
    if (!session.context.pages().some(welcome))
      await session.context.waitForEvent('page', { predicate: welcome, timeout: 10_000 }).catch(() => null);
    await page.bringToFront();
    const frame = await overlayFrame(page, session.extensionId);
    await frame.getByTestId('strikes-read').waitFor({ timeout: 30_000 });
    if (scenario.condor) {
      console.log(`demo: typing the condor held: ${scenario.condor}`);
      await frame.getByLabel('Condor as strikes, quantity and credit').fill(scenario.condor);
      await clickArrived(frame, frame.getByRole('button', { name: 'Set', exact: true }), 'Set');
      const held = frame.getByTestId('condor-legs').filter({ hasNotText: 'Suggested' });
      const refused = frame.getByTestId('position-error');
      await held.or(refused).first().waitFor({ timeout: 30_000 });
      if (await refused.isVisible()) throw new Error(`the overlay refused the condor: ${await refused.innerText()}`);
    }
    // The plan's tickets the stage does not call for wait under a closed "Other layers, for reference" (or "What each
    // layer would use"), built when first opened: the demo opens it, as a trader would, so every priced ticket shows.
    await frame.getByTestId('alvh-stage').waitFor({ timeout: 30_000 });
    const more = frame.locator('details.hl-alvh-more');
    if ((await more.count()) > 0) {
      await clickArrived(frame, more.locator('summary'), 'the reference tickets');
      await more.locator('article').first().waitFor({ timeout: 10_000 });
    }
    const text = await overlayText(frame);
    console.log(
      '\nThe overlay shows:\n' +
        text
          .split('\n')
          .map((l) => `  ${l}`)
          .join('\n'),
    );
    // The main job in three lines (the e2e test reads them): the condor, the plan's stage, its priced tickets.
    const legs = (await frame.getByTestId('condor-legs').allInnerTexts())[0] ?? 'none';
    const stage = (await frame.getByTestId('alvh-stage').allInnerTexts())[0] ?? 'not judged';
    const prices = await frame.getByTestId('ticket-price').allTextContents();
    console.log(`\nIn short:\n  Condor: ${legs}\n  ALVH stage: ${stage}\n  Priced tickets: ${prices.length}`);
    for (const p of prices) console.log(`    ${p.replace(/\s+/g, ' ')}`);

    if (headed) {
      console.log('\ndemo: close the browser window to stop.');
      await new Promise<void>((done) => session.context.on('close', () => done()));
    } else {
      const out = join(REPO, 'docs');
      mkdirSync(out, { recursive: true });
      const file = join(out, 'demo-screenshot.png');
      await page.screenshot({ path: file });
      console.log(`\ndemo: no display, so a screenshot was saved to ${file}`);
    }
  } finally {
    if (!headed) await session.close();
    await server.close();
  }
  const outbound = session.blocked;
  if (outbound.length) console.log(`demo: WARNING blocked outbound requests: ${outbound.join(', ')}`);
}

// Run only as the script (the e2e test imports SCENARIOS from here).
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err: unknown) => {
    console.error(`demo: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
}
