/**
 * `hedgelens analyze CHAIN --position FILE` (issue 17): the trader's position from a broker file, analysed through
 * the one session. A file holding just an iron condor gives exactly the analysis of that condor typed with
 * --condor/--qty/--credit; a condor with legs beside it (a wing sold again, a Layer One spread of another expiry)
 * values those legs with it at their open prices; positions on other underlyings stay out; a file without a
 * condor, an unknown name or a clash of flags is refused with what to do.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/cli/commands/analyze.ts';
import { UsageError } from '../../src/cli/io.ts';
import { splitCondor } from '../../src/positions/condorCore.ts';
import { importPositionsText } from '../../src/positions/import/index.ts';
import { memoryIo } from '../helpers/cliIo.ts';
import { FIXTURES_DIR, REPO_DIR } from '../helpers/shared.ts';

const SPX = 'tests/fixtures/cboe/cboe_spx_quotedata_2026-03-14.csv';
const TOS = 'tests/fixtures/positions/thinkorswim-statement.csv';
const ADJUSTED = 'tests/fixtures/positions/tastytrade-condor-adjusted.csv';
const SCHWAB = 'tests/fixtures/positions/schwab-positions.csv';

async function analyze(...argv: string[]): Promise<Record<string, unknown>> {
  const io = memoryIo({ disk: REPO_DIR });
  expect(await run([...argv, '--json'], io)).toBe(0);
  return JSON.parse(io.out) as Record<string, unknown>;
}

describe('analyze --position', () => {
  it('a thinkorswim statement holding an iron condor: the same analysis as the condor typed by hand', async () => {
    const fromFile = await analyze(SPX, '--position', TOS);
    // Hand-checked in tests/fixtures/positions/README.md: 6300P +2 @1.20, 6400P −2 @2.35, 6900C −2 @1.85,
    // 7000C +2 @0.65 → a 2-lot condor opened for 2.35 + 1.85 − 1.20 − 0.65 = 2.35.
    const typed = await analyze(
      SPX,
      '--condor',
      '6300/6400/6900/7000',
      '--qty',
      '2',
      '--credit',
      '2.35',
      '--expiry',
      '2026-04-17',
    );
    const { positionImport, positionRisk, ...analysis } = fromFile;
    expect(analysis).toEqual(typed);
    expect(positionImport).toMatchObject({
      file: 'thinkorswim-statement.csv',
      format: 'thinkorswim-statement',
      name: 'SPX 2026-04-17 iron condor',
      core: { expiry: '2026-04-17', strikes: [6300, 6400, 6900, 7000], quantity: 2, openCredit: 2.35 },
      extraLegs: [],
    });
    expect(positionRisk).toBeNull(); // nothing beside the condor
  });

  it('a condor with legs beside it: they are valued with it at their open prices; a position on another underlying is not part of it', async () => {
    const out = await analyze(SPX, '--position', ADJUSTED);
    const imp = out.positionImport as {
      core: unknown;
      extraLegs: { quantity: number; strike?: number }[];
      notes: string[];
    };
    expect(imp.core).toEqual({
      expiry: '2026-04-17',
      strikes: [6300, 6400, 6900, 7000],
      quantity: 2,
      openCredit: 2.35,
    });
    // The third 6400 put is not the condor's: it stays short beside it, as do the 2026-03-27 spread's legs.
    expect(imp.extraLegs.map((l) => [l.strike, l.quantity])).toEqual([
      [6400, -1],
      [6590, -2],
      [6600, 2],
    ]);
    expect(imp.notes.join('\n')).toMatch(/held beside it, from the same file: SPX 2026-03-27 put vertical/);
    expect(JSON.stringify(imp)).not.toContain('SPY'); // the file's SPY shares are on another underlying
    // The legs' entry, computed here from the file: −1 × 2.35 + (−2) × 34.60 + 2 × 38.10 per share, × 100.
    const entry = (-1 * 2.35 + -2 * 34.6 + 2 * 38.1) * 100;
    const risk = out.positionRisk as { hedgeCount: number; hedgeEntryDollars: number; maxLossDollars: number };
    expect(risk.hedgeCount).toBe(1);
    expect(risk.hedgeEntryDollars).toBeCloseTo(entry, 6);
    // A naked short put is in the position: the loss at expiry is no longer the condor's width.
    const condor = out.condor as { maxLossDollars: number };
    expect(risk.maxLossDollars).toBeGreaterThan(condor.maxLossDollars + 600_000);

    const io = memoryIo({ disk: REPO_DIR });
    expect(await run([SPX, '--position', ADJUSTED], io)).toBe(0);
    expect(io.out).toContain(
      'Position SPX 2026-04-17 4 legs from tastytrade-condor-adjusted.csv (tastytrade-positions)',
    );
    expect(io.out).toContain('condor 6300/6400/6900/7000 ×2 on 2026-04-17, opened for a credit of 2.35');
    expect(io.out).toMatch(/the whole position: max profit \$[\d,]+ · max loss \$[\d,]+ at the condor's expiry/);
  });

  it('--position-name takes one position alone; refusals say what to do', async () => {
    const alone = await analyze(SPX, '--position', ADJUSTED, '--position-name', 'SPX 2026-04-17 4 legs');
    expect((alone.positionImport as { extraLegs: unknown[] }).extraLegs).toHaveLength(1);
    const refused = async (argv: string[]) => {
      const io = memoryIo({ disk: REPO_DIR });
      return run(argv, io).then(
        () => 'ran',
        (err: unknown) => (err instanceof UsageError ? err.message : `not a usage error: ${String(err)}`),
      );
    };
    expect(await refused([SPX, '--position', ADJUSTED, '--position-name', 'SPX iron condor'])).toBe(
      'tastytrade-condor-adjusted.csv: no position named "SPX iron condor"; it holds "SPX 2026-03-27 put vertical", "SPX 2026-04-17 4 legs", "SPY -50 shares"',
    );
    expect(await refused([SPX, '--position', SCHWAB])).toMatch(
      /^schwab-positions\.csv: SPX 2026-04-17 put vertical holds no iron condor .*; `hedgelens positions schwab-positions\.csv` lists its legs$/,
    );
    expect(await refused([SPX, '--position', TOS, '--condor', '6300/6400/6900/7000'])).toBe(
      '--position and --condor both give the condor: use one of them',
    );
    expect(await refused([SPX, '--position', TOS, '--expiry', '2026-03-20'])).toMatch(
      /^--expiry 2026-03-20 is not the expiry of the position's condor \(2026-04-17\)/,
    );
  });
});

describe('the condor inside a position', () => {
  const positions = (name: string) => {
    const r = importPositionsText(readFileSync(resolve(FIXTURES_DIR, 'positions', name), 'utf8'));
    if (!r.ok) throw new Error(r.reason);
    return r.positions;
  };

  it('takes the largest condor and leaves what is over on each leg', () => {
    const [, fourLegs] = positions('tastytrade-condor-adjusted.csv');
    const split = splitCondor(fourLegs!);
    if (!split.ok) throw new Error(split.reason);
    expect(split.core.quantity).toBe(2);
    expect(split.extra).toHaveLength(1);
    expect(split.extra[0]).toMatchObject({ strike: 6400, kind: 'put', quantity: -1, openPrice: 2.35 });
  });

  it('a vertical alone holds no condor', () => {
    const spx = positions('schwab-positions.csv').find((p) => p.underlying === 'SPX')!;
    expect(splitCondor(spx)).toEqual({
      ok: false,
      reason:
        'SPX 2026-04-17 put vertical holds no iron condor (a short put with a long put below it and a short call with a long call above it, on one expiry)',
    });
  });
});
