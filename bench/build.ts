/**
 * The extension build the browser benches (page, ui, load) measure: built from this checkout at the start of the
 * run, once per run, so a figure is always of the code it is reported with. Until 3 Dec each bench used
 * .output-bench whenever one was there, however old: the page figures of the report at 781d2f2 were of a build a
 * day older than that commit. HEDGELENS_OUT_DIR names a build to measure as it is instead (it must be a loopback
 * build: `HEDGELENS_LOOPBACK=1 HEDGELENS_OUT_DIR=dir npx wxt build`), e.g. an unminified one for profiling.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { REPO } from '../tests/e2e/harness';

let built: string | null | undefined;

/** The Chrome build's directory, or null (said why) when there is none. */
export function benchBuild(): string | null {
  if (built !== undefined) return built;
  const fromEnv = process.env.HEDGELENS_OUT_DIR;
  if (fromEnv) {
    const dir = join(resolve(REPO, fromEnv), 'chrome-mv3');
    if (existsSync(join(dir, 'manifest.json'))) {
      console.log(`extension: ${dir} (HEDGELENS_OUT_DIR, measured as it was built)`);
      built = dir;
    } else {
      console.log(
        `no extension build in ${dir}: run \`HEDGELENS_LOOPBACK=1 HEDGELENS_OUT_DIR=${fromEnv} npx wxt build\` first`,
      );
      built = null;
    }
    return built;
  }
  const dir = join(REPO, '.output-bench', 'chrome-mv3');
  const t0 = Date.now();
  execFileSync('npx', ['wxt', 'build'], {
    cwd: REPO,
    env: { ...process.env, HEDGELENS_OUT_DIR: '.output-bench', HEDGELENS_LOOPBACK: '1' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  built = existsSync(join(dir, 'manifest.json')) ? dir : null;
  console.log(
    built
      ? `extension: ${dir}, built from this checkout for this run in ${((Date.now() - t0) / 1000).toFixed(1)} s`
      : `the build into ${dir} failed: see the errors above`,
  );
  return built;
}
