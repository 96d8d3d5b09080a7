/**
 * `npm run demo`: builds the extension, serves the demo broker page (real Cboe SPX quotes) on 127.0.0.1 under a
 * strict CSP, and opens Chromium with HedgeLens loaded on it. With a display it stays open until you close the
 * browser; without one it runs headless, saves a screenshot and prints what the overlay shows.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { REPO, launchExtension, overlayFrame, startFixtureServer } from '../tests/e2e/harness';

const DEMO_PAGE = 'demo/spx-2026-03-14.html';

async function main(): Promise<void> {
  if (!process.argv.includes('--no-build')) {
    // A loopback build: the demo page is served on 127.0.0.1, where release builds do not run.
    console.log('demo: building the extension (HEDGELENS_LOOPBACK=1 wxt build)…');
    execFileSync('npx', ['wxt', 'build'], {
      cwd: REPO,
      env: { ...process.env, HEDGELENS_LOOPBACK: '1' },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  }
  const headed = Boolean(process.env.DISPLAY) && !process.argv.includes('--headless');
  const server = await startFixtureServer();
  const url = server.url(DEMO_PAGE, { csp: 'strict' });
  const session = await launchExtension({ headless: !headed });
  const page = session.context.pages()[0] ?? (await session.context.newPage());
  await page.goto(url);
  console.log(`demo: ${url} (strict CSP) in ${headed ? 'a Chromium window' : 'headless Chromium'}`);

  const frame = await overlayFrame(page, session.extensionId);
  await frame.getByTestId('strikes-read').waitFor({ timeout: 20_000 });
  const text = (await frame.getByRole('region', { name: 'HedgeLens' }).innerText()).replace(/\n{2,}/g, '\n');
  console.log(
    '\nThe overlay shows:\n' +
      text
        .split('\n')
        .map((l) => `  ${l}`)
        .join('\n'),
  );

  if (headed) {
    console.log('\ndemo: close the browser window to stop.');
    await new Promise<void>((done) => session.context.on('close', () => done()));
  } else {
    const out = join(REPO, 'docs');
    mkdirSync(out, { recursive: true });
    const file = join(out, 'demo-screenshot.png');
    await page.screenshot({ path: file });
    console.log(`\ndemo: no display, so a screenshot was saved to ${file}`);
    await session.close();
  }
  await server.close();
  const outbound = session.blocked;
  if (outbound.length) console.log(`demo: WARNING blocked outbound requests: ${outbound.join(', ')}`);
}

main().catch((err: unknown) => {
  console.error(`demo: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
