import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/cli/commands/positions';
import { UsageError, type CliIo } from '../../src/cli/io';
import { main } from '../../src/cli/main';

function fakeIo(files: Record<string, string>) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    stdout: (t) => void out.push(t),
    stderr: (t) => void err.push(t),
    readFile: async (p) => {
      if (!(p in files)) throw new Error(`ENOENT: ${p}`);
      return files[p]!;
    },
    now: () => new Date('2026-03-14T11:34:00Z'),
  };
  return { io, out, err };
}

const tos = readFileSync(resolve(__dirname, '../fixtures/positions/thinkorswim-statement.csv'), 'utf8');

describe('hedgelens positions', () => {
  it('prints the thinkorswim iron condor: OCC symbol, underlying, expiry, strike, put/call, signed quantity, open price', async () => {
    const { io, out, err } = fakeIo({ 'stmt.csv': tos });
    expect(await run(['stmt.csv'], io)).toBe(0);
    const text = out.join('');
    expect(text).toContain('stmt.csv: thinkorswim account statement');
    expect(text).toContain('2 positions, 5 legs');
    expect(text).toContain('SPX 2026-04-17 iron condor');
    // The OCC symbol holds two spaces itself: take it off before splitting the columns.
    const row = (occ: string): string[] => [
      occ,
      ...text
        .split('\n')
        .find((l) => l.includes(occ))!
        .split(occ)[1]!
        .trim()
        .split(/\s{2,}/),
    ];
    expect(row('SPXW  260417P06300000')).toEqual([
      'SPXW  260417P06300000',
      'SPX',
      '2026-04-17',
      '6300',
      'put',
      '+2',
      '1.2',
      '38',
    ]);
    expect(row('SPXW  260417P06400000')).toEqual([
      'SPXW  260417P06400000',
      'SPX',
      '2026-04-17',
      '6400',
      'put',
      '-2',
      '2.35',
      '39',
    ]);
    expect(row('SPXW  260417C06900000')).toEqual([
      'SPXW  260417C06900000',
      'SPX',
      '2026-04-17',
      '6900',
      'call',
      '-2',
      '1.85',
      '37',
    ]);
    expect(row('SPXW  260417C07000000')).toEqual([
      'SPXW  260417C07000000',
      'SPX',
      '2026-04-17',
      '7000',
      'call',
      '+2',
      '0.65',
      '36',
    ]);
    expect(text).toContain('line 40: Options section total row');
    expect(err).toEqual([]);
  });

  it('--json gives the same as data, with the report', async () => {
    const { io, out } = fakeIo({ 'stmt.csv': tos });
    expect(await run(['stmt.csv', '--json'], io)).toBe(0);
    const parsed = JSON.parse(out.join(''));
    expect(parsed.file).toBe('stmt.csv');
    expect(parsed.report.format).toBe('thinkorswim-statement');
    const condor = parsed.positions[0];
    expect(condor.name).toBe('SPX 2026-04-17 iron condor');
    expect(
      condor.legs.map((l: { occ: string; quantity: number; openPrice: number }) => [l.occ, l.quantity, l.openPrice]),
    ).toEqual([
      ['SPXW  260417P06300000', 2, 1.2],
      ['SPXW  260417P06400000', -2, 2.35],
      ['SPXW  260417C06900000', -2, 1.85],
      ['SPXW  260417C07000000', 2, 0.65],
    ]);
    expect(condor.legs[0]).toMatchObject({ underlying: 'SPX', expiry: '2026-04-17', strike: 6300, kind: 'put' });
  });

  it('a rejected line exits 2 with one line naming the file line', async () => {
    const bad = tos.replace(
      'SPX,SPXW260417C6900,17 APR 26,6900,CALL,-2,',
      'SPX,SPXW260417C6900,17 APR 26,6900,CALL,-2x,',
    );
    const { io, out, err } = fakeIo({ 'stmt.csv': bad });
    expect(await main({ argv: ['positions', 'stmt.csv'], io, load: async () => run })).toBe(2);
    expect(out).toEqual([]);
    expect(err).toHaveLength(1);
    expect(err[0]).toBe(
      'hedgelens positions: stmt.csv: thinkorswim account statement: line 37: column "Qty": expected a number, got "-2x"\n',
    );
  });

  it('usage errors: no file, a missing file, an unknown option', async () => {
    const { io } = fakeIo({});
    await expect(run([], io)).rejects.toThrow(UsageError);
    await expect(run(['nope.csv'], io)).rejects.toThrow(/cannot read nope\.csv/);
    await expect(run(['a.csv', '--xml'], io)).rejects.toThrow(/unknown option --xml/);
  });
});
