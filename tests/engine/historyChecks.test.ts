/**
 * A history must be the series it is given as (src/engine/historyChecks.ts): the VIX family in ranges wider than
 * anything on record, an equity index without a session that halved or doubled, two files not the same closes.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { indexStepProblem, sameCloses, volIndexProblem, volLevelsProblem } from '../../src/engine/historyChecks';
import { parseVixHistory, type VixBar } from '../../src/engine/alvh/vixSeries';
import { sharedFile } from '../helpers/shared';

const bars = (closes: readonly number[], start = Date.UTC(2020, 0, 1)): VixBar[] =>
  closes.map((close, i) => ({
    date: new Date(start + i * 86_400_000).toISOString().slice(0, 10),
    open: null,
    high: null,
    low: null,
    close,
  }));

describe('volIndexProblem', () => {
  it('passes VIX levels from the calmest to the wildest close on record', () => {
    expect(volIndexProblem(bars([9.14, 12, 37.32, 82.69, 14]), 'VIX')).toBeNull();
  });

  it("names the first close that is not the index's, and how many more", () => {
    expect(volIndexProblem(bars([3230.78, 3257.85, 3234.85]), 'VIX')).toBe(
      "the close 3,230.78 on 2020-01-01 (and 2 more; the file's closes run from 3,230.78 to 3,257.85) is not a level VIX can have (the VIX has closed between 9.14 (Nov 2017) and 82.69 (Mar 2020); closes outside 4–200 are refused): is it another index's file?",
    );
    // SKEW's levels are not VVIX's low ones, nor VIX's.
    expect(volIndexProblem(bars([120, 135]), 'SKEW')).toBeNull();
    expect(volIndexProblem(bars([18, 20]), 'SKEW')).toMatch(
      /^the close 18 on 2020-01-01 \(and 1 more; the file's closes run from 18 to 20\) is not a level SKEW/,
    );
  });

  it('reads only the dates asked for', () => {
    const b = bars([5000, 20, 21]);
    expect(volIndexProblem(b, 'VIX', '2020-01-02', null)).toBeNull();
    expect(volIndexProblem(b, 'VIX', null, '2020-01-02')).toMatch(/5,000 on 2020-01-01/);
  });
});

describe('indexStepProblem', () => {
  it("passes the S&P 500's largest sessions (19 Oct 1987, −20.5%; 15 Mar 1933, +16.6%)", () => {
    expect(indexStepProblem(bars([282.7, 224.84, 236.83]))).toBeNull();
    expect(indexStepProblem(bars([5.09, 5.94]))).toBeNull();
  });

  it('refuses a close that halves or doubles in a session, naming both dates', () => {
    expect(indexStepProblem(bars([3380.16, 338.02, 3337.75]))).toBe(
      'the close goes from 3,380.16 on 2020-01-01 to 338.02 on 2020-01-02 (−90.0%), more than any index has moved in a session: a mistyped line, or two series in one file',
    );
    expect(indexStepProblem(bars([20, 45]))).toMatch(/\(\+125\.0%\)/);
  });
});

describe('volLevelsProblem', () => {
  it("refuses a volatility index's closes given as the equity index, and lets low index eras through", () => {
    const vix3mLike = bars(Array.from({ length: 60 }, (_, i) => 18 + (i % 9)));
    expect(volLevelsProblem(vix3mLike)).toBe(
      "its closes (median 22, none above 26, up to 2020-02-29) look like a volatility index's, not an equity index's (the S&P 500 has closed above 100 since 1968): is it the VIX's file?",
    );
    // The S&P 500 of 1950 (about 17–20): before 1971, so not judged.
    expect(
      volLevelsProblem(
        bars(
          Array.from({ length: 60 }, (_, i) => 17 + i / 20),
          Date.UTC(1950, 0, 3),
        ),
      ),
    ).toBeNull();
    // SPY-like prices (a median above 50) and a history with closes above 200 pass.
    expect(volLevelsProblem(bars(Array.from({ length: 60 }, (_, i) => 100 + i)))).toBeNull();
    expect(volLevelsProblem(bars([...Array.from({ length: 59 }, () => 20), 250]))).toBeNull();
  });
});

describe('sameCloses', () => {
  it('tells the same file given twice from two series', () => {
    const vix = bars(Array.from({ length: 30 }, (_, i) => 15 + (i % 7)));
    const spx = bars(Array.from({ length: 30 }, (_, i) => 3000 + i));
    expect(sameCloses(vix, vix)).toBe(true);
    expect(sameCloses(spx, vix)).toBe(false);
    // Too few common dates to judge.
    expect(sameCloses(vix.slice(0, 10), vix.slice(0, 10))).toBe(false);
  });
});

const spxFile = sharedFile('data/spx/SPX_History.csv');
const vixFile = sharedFile('data/vix/VIX_History.csv');
const termDir = sharedFile('data/vix/term');
describe.skipIf(!spxFile || !vixFile || !termDir)("Cboe's real histories (../shared) pass, and are told apart", () => {
  const read = (p: string, id?: string) => {
    let text = readFileSync(p, 'utf8');
    if (id) text = text.replace(`DATE,${id}`, 'DATE,CLOSE');
    return parseVixHistory({ text }).bars;
  };
  it('every close of each file fits its own series, and the S&P 500 is no VIX', () => {
    const spx = read(spxFile!);
    const vix = read(vixFile!);
    expect(indexStepProblem(spx)).toBeNull();
    expect(volIndexProblem(vix, 'VIX')).toBeNull();
    expect(volIndexProblem(read(`${termDir}/VIX3M_History.csv`), 'VIX3M')).toBeNull();
    expect(volIndexProblem(read(`${termDir}/VIX9D_History.csv`), 'VIX9D')).toBeNull();
    expect(volIndexProblem(read(`${termDir}/VVIX_History.csv`, 'VVIX'), 'VVIX')).toBeNull();
    expect(volIndexProblem(read(`${termDir}/SKEW_History.csv`, 'SKEW'), 'SKEW')).toBeNull();
    expect(volIndexProblem(spx, 'VIX')).toMatch(/is not a level VIX can have/);
    expect(volLevelsProblem(spx)).toBeNull();
    expect(volLevelsProblem(vix)).toMatch(/look like a volatility index's/);
    expect(sameCloses(spx, vix)).toBe(false);
  });
});
