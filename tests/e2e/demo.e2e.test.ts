import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, test } from 'vitest';
import { SCENARIOS } from '../../scripts/demo';
import { REPO } from './harness';

// `npm run demo` as a newcomer runs it, headless (no DISPLAY), on the build the suite made (--no-build).
const run = promisify(execFile);
async function demo(...args: string[]): Promise<string> {
  const env = { ...process.env };
  delete env.DISPLAY;
  const { stdout } = await run('node', ['--import', 'tsx', 'scripts/demo.ts', ...args, '--no-build', '--headless'], {
    cwd: REPO,
    env,
    timeout: 120_000,
  });
  return stdout;
}

/** The condor the overlay shows, with its risk figures, as printed. */
function expectCondor(out: string): void {
  expect(out).toMatch(/Condor: (Suggested: )?[\d,.]+ \/ [\d,.]+ \/ [\d,.]+ \/ [\d,.]+ · \d{4}-\d{2}-\d{2}/);
  expect(out).toMatch(/MAX PROFIT\s+\$[\d,]+/i);
  expect(out).toMatch(/MAX LOSS\s+−\$[\d,]+/i);
  expect(out).toMatch(/PROB\. OF PROFIT\s+\d+(\.\d+)?%/i);
}

describe('npm run demo', () => {
  test('the default scenario prints a condor with its risk, a stage other than Calm and a priced ticket', async () => {
    const out = await demo();
    expect(out).toContain(`scenario ${SCENARIOS[0]!.name}`);
    expectCondor(out);
    expect(out).toContain('VIX 66.04');
    const stage = /ALVH stage: (.+)/.exec(out)?.[1];
    expect(stage).toBeDefined();
    expect(['Layer One', 'Second Engine', 'Time-shift', 'Unwind']).toContain(stage);
    const tickets = Number(/Priced tickets: (\d+)/.exec(out)?.[1] ?? 0);
    expect(tickets).toBeGreaterThan(0);
    expect(out).toMatch(/Mid \d+\.\d{2} (debit|credit) \(\$[\d,]+\) · natural \d+\.\d{2} (debit|credit)/);
  });

  test('--help lists every scenario', async () => {
    const out = await demo('--help');
    for (const s of SCENARIOS) expect(out).toContain(s.name);
  });

  test.each(SCENARIOS.slice(1).map((s) => s.name))('scenario %s opens and shows a condor', async (name) => {
    const out = await demo(name);
    expect(out).toContain(`scenario ${name}`);
    expectCondor(out);
  });

  test('an unknown scenario is refused with the list', async () => {
    const err = await demo('no-such-scenario').then(
      () => null,
      (e: { code?: number; stderr?: string }) => e,
    );
    expect(err?.code).toBe(1);
    expect(err?.stderr).toContain('no scenario "no-such-scenario"');
    expect(err?.stderr).toContain(SCENARIOS[0]!.name);
  });
});
