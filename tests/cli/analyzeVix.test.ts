/**
 * Issue #14's "Done when": `hedgelens analyze` with `--vix 28` on the real SPX 20 Mar 2020 close (a 10-lot
 * 1850/1900/2650/2700 condor on 2020-04-17) prints a warning that the typed VIX disagrees with the chain's own
 * 30-day index, and prints that index — in text and in --json.
 */
import { describe, expect, it } from 'vitest';
import { run } from '../../src/cli/commands/analyze';
import type { HedgePlan } from '../../src/engine/alvh/plan';
import type { ChainVix } from '../../src/engine/session/vixCheck';
import { memoryIo } from '../helpers/cliIo';
import { REPO_DIR } from '../helpers/shared';

const LEGACY = 'tests/fixtures/cboe/cboe_spx_quotedata_2020-03-22_legacy.dat';
const CONDOR = [LEGACY, '--expiry', '2020-04-17', '--condor', '1850/1900/2650/2700', '--qty', '10'];

/** The CLI's IO: `files` in memory, the repository's files beside them, a clock far from every fixture. */
const cliIo = (files: Record<string, string> = {}) => memoryIo({ files, disk: REPO_DIR, now: '2030-01-01T00:00:00Z' });

describe('analyze --vix 28 on the SPX 20 Mar 2020 close', () => {
  it('prints the chain’s 30-day index and a warning that the typed VIX disagrees with it', async () => {
    const io = cliIo();
    expect(await run([...CONDOR, '--vix', '28'], io), io.err).toBe(0);
    expect(io.out).toContain(
      "VIX from this chain (Cboe's white-paper method): 30-day index 66.3 (two expiries, 28 and 35 days)",
    );
    expect(io.out).toContain("  chain's own VIX: 30-day index 66.3 (two expiries, 28 and 35 days)");
    expect(io.out).toMatch(
      /^WARNING: VIX 28\.00 \(typed\) disagrees with this chain's own 30-day index 66\.3 \(two expiries, 28 and 35 days\) by 38\.3 points, more than vixChainTolerancePoints 3/m,
    );
  });

  it('--json carries the index and the warning', async () => {
    const io = cliIo();
    expect(await run([...CONDOR, '--vix', '28', '--json'], io), io.err).toBe(0);
    const j = JSON.parse(io.out) as { chainVix: ChainVix; plan: HedgePlan; planInputs: { vix: { used: number } } };
    expect(j.chainVix.usable).toBe(true);
    expect(j.chainVix.index.ok).toBe(true);
    if (!j.chainVix.index.ok) return;
    expect(j.chainVix.index.method).toBe('two-expiry');
    expect(j.chainVix.index.terms.map((t) => t.date)).toEqual(['2020-04-17', '2020-04-24']);
    expect(Math.abs(j.chainVix.index.value - 66.04)).toBeLessThan(1.5); // 66.30 against the VIX close 66.04
    expect(j.planInputs.vix.used).toBe(28);
    expect(j.plan.warnings.filter((w) => w.includes('disagrees'))).toHaveLength(1);
  });

  it('--vix 66.04 (the real close) agrees: no warning', async () => {
    const io = cliIo();
    expect(await run([...CONDOR, '--vix', '66.04'], io), io.err).toBe(0);
    expect(io.out).not.toMatch(/disagrees/);
    expect(io.out).toContain(
      "Note: this chain's 30-day index 66.3 (two expiries, 28 and 35 days) agrees with VIX 66.04",
    );
  });

  it('without the ALVH plan the analysis still prints the chain’s index', async () => {
    const io = cliIo();
    expect(await run([LEGACY], io), io.err).toBe(0);
    expect(io.out).toContain('30-day index 66.3 (two expiries, 28 and 35 days)');
  });
});
