/**
 * The backtest's history files are read strictly (#15): a bad line, a file out of date order, a hole in the run or
 * too few common sessions is refused with the file and the line (or the dates) named; Cboe's one-column VVIX/SKEW
 * layout is read; a monthly rate is used only from the month after it.
 */
import { describe, expect, it } from 'vitest';
import { BacktestInputError, buildMarket, DEFAULT_RATE, MIN_DAYS } from '../../src/engine/backtest/market';
import { authoredDays, authoredFiles, cboeText } from './fixture';

const days = authoredDays('2019-06-03', 300);
const files = authoredFiles(days);

function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(BacktestInputError);
    return (e as Error).message;
  }
  throw new Error('expected a refusal');
}

describe('buildMarket', () => {
  it('reads the common sessions of both files, with the stated rate when no rates file is given', () => {
    const m = buildMarket(files);
    expect(m.days).toHaveLength(300);
    expect(m.days[0]).toMatchObject({ date: '2019-06-03', spx: days[0]!.spx, vix: days[0]!.vix, rate: DEFAULT_RATE });
    expect(m.vixBars).toHaveLength(300);
    expect(m.rateSource).toContain('constant');
  });

  it('refuses a line it cannot read, naming the file and the line', () => {
    const lines = files.vix.text.split('\n');
    lines[5] = '13/45/2019,1,1,1,1';
    const msg = refusal(() => buildMarket({ ...files, vix: { name: 'VIX.csv', text: lines.join('\n') } }));
    expect(msg).toContain('VIX.csv');
    expect(msg).toContain('line 6');
  });

  it('refuses a file out of date order, naming the line', () => {
    const lines = files.spx.text.split('\n');
    [lines[10], lines[11]] = [lines[11]!, lines[10]!];
    const msg = refusal(() => buildMarket({ ...files, spx: { name: 'SPX.csv', text: lines.join('\n') } }));
    expect(msg).toMatch(/SPX\.csv, line 12: .*not in date order/);
  });

  it('refuses a hole of more than ten days inside the run, naming the dates', () => {
    const holed = days.filter((d) => d.date < '2019-09-02' || d.date > '2019-09-20');
    const msg = refusal(() =>
      buildMarket({
        ...files,
        spx: { name: 'SPX.csv', text: cboeText(holed.map((d) => ({ date: d.date, close: d.spx }))) },
      }),
    );
    expect(msg).toContain('SPX.csv');
    expect(msg).toMatch(/from 2019-08-30 to 2019-09-23/);
  });

  it('refuses a run shorter than MIN_DAYS sessions', () => {
    const msg = refusal(() => buildMarket({ ...files, to: days[MIN_DAYS - 10]!.date }));
    expect(msg).toContain(`needs at least ${MIN_DAYS}`);
  });

  it('refuses files that are not the series they are given as: swapped, the same twice, a mistyped close', () => {
    const swapped = refusal(() =>
      buildMarket({ spx: { ...files.vix, name: 'VIX.csv' }, vix: { ...files.spx, name: 'SPX.csv' } }),
    );
    expect(swapped).toMatch(
      /^the two files look swapped: the VIX history SPX\.csv holds index levels and the SPX history VIX\.csv VIX levels\. In the VIX history, the close [\d,.]+ on [\d-]+ .* is not a level VIX can have/,
    );
    expect(refusal(() => buildMarket({ spx: files.vix, vix: files.vix }))).toMatch(
      /hold the same closes: the same file given twice\?$/,
    );
    const lines = files.spx.text.split('\n');
    const cells = lines[40]!.split(',');
    const typo = (Number(cells[4]) / 10).toFixed(2); // a dropped digit
    lines[40] = [cells[0], typo, typo, typo, typo].join(',');
    const msg = refusal(() => buildMarket({ ...files, spx: { name: 'SPX.csv', text: lines.join('\n') } }));
    expect(msg).toMatch(
      new RegExp(
        `^SPX history SPX\\.csv: the close goes from [\\d,.]+ on ${days[38]!.date} to [\\d,.]+ on ${days[39]!.date} \\(−\\d+\\.\\d%\\)`,
      ),
    );
    // VIX3M's closes in the SPX slot (the VIX's own file there is caught as the same file twice).
    const vix3m = cboeText(days.map((d) => ({ date: d.date, close: d.vix * 1.1 })));
    expect(refusal(() => buildMarket({ ...files, spx: { name: 'VIX3M.csv', text: vix3m } }))).toMatch(
      /^SPX history VIX3M\.csv: its closes \(median [\d.]+, none above [\d.]+, up to [\d-]+\) look like a volatility index's/,
    );
    // A term file that is not its index: VVIX's levels given as SKEW.
    const vvixAsSkew = cboeText(days.map((d) => ({ date: d.date, close: 40 })));
    expect(refusal(() => buildMarket({ ...files, skew: { name: 'SKEW.csv', text: vvixAsSkew } }))).toMatch(
      /^SKEW history SKEW\.csv: the close 40 on .* is not a level SKEW can have/,
    );
  });

  it("reads Cboe's one-column VVIX layout (DATE,VVIX) and leaves the days it lacks null", () => {
    const vvix = {
      name: 'VVIX_History.csv',
      text: [
        'DATE,VVIX',
        ...days.slice(0, 20).map((d) => `${d.date.slice(5, 7)}/${d.date.slice(8)}/${d.date.slice(0, 4)},95.5`),
      ].join('\n'),
    };
    const m = buildMarket({ ...files, vvix });
    expect(m.days[0]!.vvix).toBe(95.5);
    expect(m.days[25]!.vvix).toBeNull();
  });

  it("uses a monthly rate only from the following month (FRED's TB3MS is a month's average)", () => {
    const rates = {
      name: 'TB3MS.csv',
      text: 'observation_date,TB3MS\n2019-05-01,2.00\n2019-06-01,5.00\n2019-07-01,1.00\n',
    };
    const m = buildMarket({ ...files, rates });
    const june = m.days.find((d) => d.date === '2019-06-14')!;
    const july = m.days.find((d) => d.date === '2019-07-15')!;
    expect(june.rate).toBeCloseTo(Math.log(1.02), 12);
    expect(july.rate).toBeCloseTo(Math.log(1.05), 12);
    expect(m.notes.join(' ')).toContain('rates known to 2019-07');
  });

  it("reads the same closes from Yahoo's layout (ISO dates) and Nasdaq's (newest first) as from Cboe's", () => {
    const yahoo = [
      'Date,Open,High,Low,Close,Adj Close,Volume',
      ...days.map((d) => `${d.date},${d.spx},${d.spx},${d.spx},${d.spx},1,0`),
    ].join('\n');
    const nasdaq = [
      'Date,Close/Last,Volume,Open,High,Low',
      ...days
        .slice()
        .reverse()
        .map(
          (d) =>
            `${d.date.slice(5, 7)}/${d.date.slice(8)}/${d.date.slice(0, 4)},${d.vix},--,${d.vix},${d.vix},${d.vix}`,
        ),
    ].join('\n');
    const m = buildMarket({ spx: { name: '^GSPC.csv', text: yahoo }, vix: { name: 'VIX.csv', text: nasdaq } });
    expect(m.days).toEqual(buildMarket(files).days);
    // Newest first, then a line out of that order: refused, the line named.
    const lines = nasdaq.split('\n');
    [lines[20], lines[21]] = [lines[21]!, lines[20]!];
    expect(refusal(() => buildMarket({ ...files, vix: { name: 'VIX.csv', text: lines.join('\n') } }))).toMatch(
      /VIX\.csv, line 22: .*not in date order, newest first/,
    );
  });

  it("reads yfinance's S&P 500 and FRED's VIXCLS (with its '.' holidays) to the same days, and says what it skipped", () => {
    const yf = [
      'Price,Close,High,Low,Open,Volume',
      'Ticker,^GSPC,^GSPC,^GSPC,^GSPC,^GSPC',
      'Date,,,,,',
      ...days.map((d) => `${d.date} 00:00:00-05:00,${d.spx},${d.spx},${d.spx},${d.spx},0`),
    ].join('\n');
    // FRED lists every weekday: a holiday between two sessions is ".".
    const fred = ['observation_date,VIXCLS'];
    days.forEach((d, i) => {
      fred.push(`${d.date},${d.vix}`);
      if (i === 10) fred.push(`${d.date.slice(0, 8)}${String(Number(d.date.slice(8)) + 1).padStart(2, '0')},.`);
    });
    const m = buildMarket({ spx: { name: 'GSPC.csv', text: yf }, vix: { name: 'VIXCLS.csv', text: fred.join('\n') } });
    expect(m.days).toEqual(buildMarket(files).days);
    expect(m.notes.join(' ')).toContain('VIX history VIXCLS.csv: 1 row(s) give no close');
    // A close that is not a number is not "no close": refused, the line named.
    const broken = fred.slice();
    broken[30] = `${broken[30]!.split(',')[0]},x`;
    expect(
      refusal(() => buildMarket({ spx: files.spx, vix: { name: 'VIXCLS.csv', text: broken.join('\n') } })),
    ).toMatch(/VIXCLS\.csv, line 31: missing or non-positive CLOSE "x"/);
  });

  it("reads the Wall Street Journal's two-digit years and a semicolon file with decimal commas, and says so", () => {
    const short = (d: string) => `${d.slice(5, 7)}/${d.slice(8, 10)}/${d.slice(2, 4)}`;
    const wsj = [
      'Date, Open, High, Low, Close',
      ...[...days].reverse().map((d) => `${short(d.date)}, 1, 1, 1, ${d.vix}`),
    ];
    const eu = ['Date;Close', ...days.map((d) => `${d.date};${String(d.spx).replace('.', ',')}`)];
    const m = buildMarket({
      spx: { name: 'spx-eu.csv', text: eu.join('\n') },
      vix: { name: 'HistoricalPrices.csv', text: wsj.join('\n') },
    });
    expect(m.days).toEqual(buildMarket(files).days);
    expect(m.notes.join(' ')).toContain(
      `VIX history HistoricalPrices.csv: its years have two digits (MM/DD/YY); they were read as 1950–2049 (${days[0]!.date} … ${days[days.length - 1]!.date})`,
    );
  });

  it('takes histories already read (the Options page keeps them parsed), and refuses them out of order', () => {
    const bars = (k: 'spx' | 'vix') =>
      days.map((d) => ({ date: d.date, open: null, high: null, low: null, close: d[k] }));
    const m = buildMarket({
      spx: { name: 'stored S&P 500', bars: bars('spx') },
      vix: { name: 'stored VIX', bars: bars('vix') },
    });
    expect(m.days).toEqual(buildMarket(files).days);
    const swapped = bars('vix');
    [swapped[3], swapped[4]] = [swapped[4]!, swapped[3]!];
    expect(refusal(() => buildMarket({ ...files, vix: { name: 'stored VIX', bars: swapped } }))).toContain(
      'stored VIX',
    );
  });
});
