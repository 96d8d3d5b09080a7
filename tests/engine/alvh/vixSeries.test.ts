import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  headerLineOf,
  historyHeader,
  historyLines,
  mergeSightings,
  newYorkDate,
  parseVixHistory,
} from '../../../src/engine/alvh/vixSeries';
import { FIXTURES_DIR, sharedFile } from '../../helpers/shared';

const fixture = (name: string): string => readFileSync(resolve(FIXTURES_DIR, 'vix', name), 'utf8');

describe('parseVixHistory', () => {
  it('reads the authored fixture in Cboe layout', () => {
    const h = parseVixHistory({ text: fixture('authored_spike.csv') });
    expect(h.errors).toEqual([]);
    expect(h.bars).toHaveLength(110);
    expect(h.bars[0]).toEqual({
      date: '2024-01-02',
      open: expect.any(Number),
      high: expect.any(Number),
      low: expect.any(Number),
      close: expect.any(Number),
    });
    expect(h.bars.map((b) => b.close)).toContain(36.9);
  });

  it('counts bad lines with their line numbers and keeps the good ones (CRLF, blank lines)', () => {
    const h = parseVixHistory({ text: fixture('bad_lines.csv') });
    expect(h.bars.map((b) => [b.date, b.close])).toEqual([
      ['2024-01-02', 13.2],
      ['2024-01-08', 13.7],
      ['2024-01-09', 14.1],
    ]);
    expect(h.bars[2]).toMatchObject({ open: null, high: null, low: null });
    const byLine = Object.fromEntries(h.errors.map((e) => [e.line, e.reason]));
    expect(byLine[3]).toMatch(/unreadable date "2024-01-03"/);
    expect(byLine[4]).toMatch(/missing or non-positive CLOSE/);
    expect(byLine[5]).toMatch(/missing or non-positive CLOSE "abc"/);
    expect(byLine[8]).toMatch(/unreadable date "02\/30\/2024"/);
    expect(byLine[7]).toMatch(/repeated/);
    expect(h.errors).toHaveLength(5);
  });

  it('says what is wrong with a file that is not a VIX history', () => {
    const h = parseVixHistory({ text: 'Strike,Bid,Ask\n100,1,2\n' });
    expect(h.bars).toEqual([]);
    expect(h.errors[0]?.reason).toMatch(/no header naming DATE and CLOSE/);
    expect(parseVixHistory({ text: '' }).bars).toEqual([]);
  });

  it('caps the listed errors but still counts them', () => {
    const lines = ['DATE,OPEN,HIGH,LOW,CLOSE', ...Array.from({ length: 500 }, () => 'garbage,1,1,1,1')];
    const h = parseVixHistory({ text: lines.join('\n') });
    expect(h.errors).toHaveLength(201);
    expect(h.errors[200]?.reason).toMatch(/300 more bad lines/);
  });

  it('reads the same bars from its lines in any order; a repeated date keeps the later line wherever it comes', () => {
    const rows = Array.from({ length: 40 }, (_, i) => {
      const d = new Date(Date.UTC(2024, 0, 2 + i));
      const us = `${String(d.getUTCMonth() + 1).padStart(2, '0')}/${String(d.getUTCDate()).padStart(2, '0')}/2024`;
      return `${us},${13 + i / 10},${14 + i / 10},${12 + i / 10},${13.5 + i / 10}`;
    });
    const parse = (lines: string[]) => parseVixHistory({ text: ['DATE,OPEN,HIGH,LOW,CLOSE', ...lines].join('\n') });
    const inOrder = parse(rows);
    expect(inOrder.bars).toHaveLength(40);
    expect(inOrder.errors).toEqual([]);
    expect(inOrder.outOfOrder).toBeNull();
    // Shuffled (a fixed permutation): the same bars, sorted; the break named.
    const shuffled = rows
      .map((r, i) => [(i * 17) % 40, r] as const)
      .sort((a, b) => a[0] - b[0])
      .map((x) => x[1]);
    const mixed = parse(shuffled);
    expect(mixed.bars).toEqual(inOrder.bars);
    expect(mixed.outOfOrder).not.toBeNull();
    // The 10th day again at the end with another close: that line wins, and the first one is named.
    const again = parse([...rows, rows[9]!.replace(/,[^,]*$/, ',99')]);
    expect(again.bars).toHaveLength(40);
    expect(again.bars[9]!.close).toBe(99);
    expect(again.errors).toEqual([{ line: 11, reason: expect.stringMatching(/repeated on line 42/) }]);
  });

  it("reads Cboe's plain lines from their characters to the same bars as the general reader (quoted cells)", () => {
    // A deterministic sweep of plain lines: one- and two-digit months and days, short and long decimals (Cboe's SPX
    // file writes 17 digits), zero opens, a missing low; each also written with every cell quoted, which takes the
    // general reader (csvCells, the regular expressions, Number).
    let seed = 7;
    const rnd = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
    const num = () => {
      const r = rnd();
      if (r < 0.1) return '0';
      const digits = 1 + Math.floor(rnd() * 12);
      const v = (rnd() * 10 ** Math.floor(rnd() * 5)).toFixed(digits);
      return r < 0.3 ? String(Math.fround(Number(v))) : v;
    };
    const lines: string[] = [];
    for (let i = 0; i < 400; i++) {
      const d = new Date(Date.UTC(1950, 0, 1) + i * 86_400_000 * 37);
      const mm = d.getUTCMonth() + 1;
      const dd = d.getUTCDate();
      const date = `${i % 3 ? String(mm).padStart(2, '0') : mm}/${i % 2 ? String(dd).padStart(2, '0') : dd}/${d.getUTCFullYear()}`;
      lines.push([date, num(), num(), i % 11 ? num() : '', (1 + rnd() * 5000).toFixed(2 + (i % 14))].join(','));
    }
    const head = 'DATE,OPEN,HIGH,LOW,CLOSE';
    const plain = parseVixHistory({ text: [head, ...lines].join('\n') });
    const quoted = parseVixHistory({
      text: [
        head,
        ...lines.map((l) =>
          l
            .split(',')
            .map((c) => `"${c}"`)
            .join(','),
        ),
      ].join('\n'),
    });
    expect(plain.bars).toHaveLength(400);
    expect(plain.errors).toEqual([]);
    expect(plain.bars).toEqual(quoted.bars);
    // The figures are what Number reads of each cell.
    for (let i = 0; i < 400; i += 37) {
      const cells = lines[i]!.split(',');
      expect(plain.bars[i]!.close).toBe(Number(cells[4]));
      expect(plain.bars[i]!.open).toBe(Number(cells[1]) > 0 ? Number(cells[1]) : null);
    }
  });

  describe('the same closes as other sites export them', () => {
    const closes = (text: string) => parseVixHistory({ text }).bars.map((b) => [b.date, b.close]);
    const want = [
      ['2024-01-02', 13.2],
      ['2024-01-03', 14.04],
      ['2024-01-04', 14.13],
    ];

    it('Cboe\'s older download: a title line above a "VIX Close" header', () => {
      const text = [
        'VIX data for 2004 to present (Updated Daily)',
        'Date,VIX Open,VIX High,VIX Low,VIX Close',
        '1/2/2024,13.21,14.23,13.1,13.2',
        '1/3/2024,13.5,14.3,13.4,14.04',
        '1/4/2024,14,14.5,13.8,14.13',
      ].join('\r\n');
      const h = parseVixHistory({ text });
      expect(h.errors).toEqual([]);
      expect(closes(text)).toEqual(want);
      expect(h.bars[0]).toEqual({ date: '2024-01-02', open: 13.21, high: 14.23, low: 13.1, close: 13.2 });
    });

    it("ISO dates (the finance-vix dataset, Stooq), and Yahoo's layout: the close, never the adjusted close", () => {
      expect(
        closes(
          'Date,VIX Open,VIX High,VIX Low,VIX Close\n2024-01-02,1,1,1,13.2\n2024-01-03,1,1,1,14.04\n2024-01-04,1,1,1,14.13',
        ),
      ).toEqual(want);
      const yahoo = [
        'Date,Open,High,Low,Adj Close,Close,Volume',
        '2024-01-02,1,1,1,99,13.2,0',
        '2024-01-03,1,1,1,99,14.04,0',
        '2024-01-04,null,null,null,null,null,null',
        '2024-01-04,1,1,1,99,14.13,0',
      ].join('\n');
      const h = parseVixHistory({ text: yahoo });
      expect(closes(yahoo)).toEqual(want);
      // Yahoo's "null" row says the day has no close: neither a bar (not a zero) nor a bad line; counted.
      expect(h.errors).toEqual([]);
      expect(h.noData).toBe(1);
    });

    it("FRED's series (DATE,VIXCLS or observation_date,SP500, '.' on a day without a value)", () => {
      for (const head of ['DATE,VIXCLS', 'observation_date,VIXCLS']) {
        const fred = `${head}\n2024-01-01,.\n2024-01-02,13.20\n2024-01-03,14.04\n2024-01-04,14.13\n`;
        const h = parseVixHistory({ text: fred });
        expect(h.errors).toEqual([]);
        expect(closes(fred)).toEqual(want);
        expect(h.noData).toBe(1);
        expect(h.bars[0]).toEqual({ date: '2024-01-02', open: null, high: null, low: null, close: 13.2 });
      }
      // One value beside the date is the close; a volume or an adjusted close alone is not.
      expect(parseVixHistory({ text: 'Date,Volume\n2024-01-02,100' }).errors[0]?.reason).toMatch(/no header/);
      expect(parseVixHistory({ text: 'Date,Adj Close\n2024-01-02,100' }).errors[0]?.reason).toMatch(/no header/);
    });

    it("yfinance's CSV: header rows Price / Ticker / Date, and dates with a time and a UTC offset", () => {
      const yf = [
        'Price,Close,High,Low,Open,Volume',
        'Ticker,^VIX,^VIX,^VIX,^VIX,^VIX',
        'Date,,,,,',
        '2024-01-02 00:00:00-06:00,13.199999809265137,14.229999542236328,13.100000381469727,13.210000038146973,0',
        '2024-01-03 00:00:00-06:00,14.039999961853027,14.300000190734863,13.399999618530273,13.5,0',
        '2024-01-04 00:00:00-06:00,14.130000114440918,14.5,13.800000190734863,14,0',
      ].join('\n');
      const h = parseVixHistory({ text: yf });
      expect(h.errors).toEqual([]);
      expect(h.bars.map((b) => b.date)).toEqual(want.map((w) => w[0]));
      expect(h.bars[0]).toMatchObject({
        open: 13.210000038146973,
        high: 14.229999542236328,
        close: 13.199999809265137,
      });
      // An older yfinance, a spreadsheet's dates with a time, TradingView's ISO instants: the date as written.
      expect(closes('Date,Open,High,Low,Close,Adj Close,Volume\n2024-01-02,1,1,1,13.2,99,0')).toEqual([want[0]]);
      expect(closes('Date,Close\n1/2/2024 16:00:00,13.2\n1/3/2024 16:00,14.04')).toEqual(want.slice(0, 2));
      expect(closes('time,open,high,low,close\n2024-01-02T14:30:00Z,1,1,1,13.2')).toEqual([want[0]]);
      // Beside a "Date" column, a "Time" column is the clock, not the date.
      expect(closes('Time,Date,Close\n16:00,01/02/2024,13.2')).toEqual([want[0]]);
    });

    it('month names: "Jan 02, 2024" (Investing.com), "2-Jan-2024" (spreadsheets)', () => {
      const named = '"Date","Price"\n"Jan 04, 2024","14.13"\n"Jan 03, 2024","14.04"\n"Jan 02, 2024","13.20"';
      const h = parseVixHistory({ text: named });
      expect(closes(named)).toEqual(want);
      expect(h.newestFirst).toBe(true);
      expect(closes('Date,Close\n2-Jan-2024,13.2\n3-January-2024,14.04\n4 Jan 2024,14.13')).toEqual(want);
      expect(closes('Date,Close\n"Sept 3, 2024",1\nSep. 4 2024,2')).toEqual([
        ['2024-09-03', 1],
        ['2024-09-04', 2],
      ]);
      const bad = parseVixHistory({
        text: 'Date,Close\n"Jan 02, 2024",1\n"Foo 03, 2024",2\n"Jan 32, 2024",3\n01/05/24,4',
      });
      expect(bad.errors.map((e) => e.line)).toEqual([3, 4, 5]);
      expect(bad.errors[0]?.reason).toBe('unreadable date "Foo 03, 2024" (expected Mon DD, YYYY)');
      // In a file of four-digit years a two-digit one is refused, not placed.
      expect(parseVixHistory({ text: 'Date,Close\n01/04/2024,3\n01/05/24,4' }).errors[0]?.reason).toMatch(
        /unreadable date "01\/05\/24" \(expected MM\/DD\/YYYY: a two-digit year .* four-digit years\)/,
      );
    });

    it("two-digit years (the Wall Street Journal's MM/DD/YY): placed in 1950–2049, and the history says so", () => {
      const wsj =
        'Date, Open, High, Low, Close\n01/04/24, 1, 1, 1, 14.13\n01/03/24, 1, 1, 1, 14.04\n01/02/24, 1, 1, 1, 13.20';
      const h = parseVixHistory({ text: wsj });
      expect(h.errors).toEqual([]);
      expect(closes(wsj)).toEqual(want);
      expect(h.twoDigitYears).toBe(true);
      expect(h.newestFirst).toBe(true);
      expect(parseVixHistory({ text: 'DATE,CLOSE\n01/02/2024,13.2' }).twoDigitYears).toBeUndefined();
      expect(closes('Date,Close\n12/31/99,1\n1/3/00,2\n01/02/49,3')).toEqual([
        ['1999-12-31', 1],
        ['2000-01-03', 2],
        ['2049-01-02', 3],
      ]);
      // A file crossing the window's edge (1949 read as 2049) comes out of date order: the strict readers refuse it.
      const crossing = parseVixHistory({ text: 'Date,Close\n12/29/49,1\n12/30/49,2\n01/03/50,3\n01/04/50,4' });
      expect(crossing.outOfOrder?.line).toBe(4);
      // A four-digit year in a two-digit file is refused, not read.
      expect(parseVixHistory({ text: 'Date,Close\n01/02/24,1\n01/03/2024,2' }).errors[0]?.reason).toBe(
        'unreadable date "01/03/2024" (expected MM/DD/YY)',
      );
    });

    it('a row with no value at all is a day without a close; a row missing only its close is a bad line', () => {
      const h = parseVixHistory({
        text: 'DATE,OPEN,HIGH,LOW,CLOSE\n01/02/2024,1,1,1,13.2\n01/03/2024,,,,\n01/04/2024,N/A,NaN,-,.\n01/05/2024,1,1,1,',
      });
      expect(h.bars.map((b) => b.date)).toEqual(['2024-01-02']);
      expect(h.noData).toBe(2);
      expect(h.errors).toEqual([{ line: 5, reason: 'missing or non-positive CLOSE ""' }]);
      // A line cut before its close is not a no-value row: it is bad.
      expect(parseVixHistory({ text: 'DATE,OPEN,HIGH,LOW,CLOSE\n01/03/2024,' }).errors).toHaveLength(1);
    });

    it('headerLineOf writes the columns back as a header that reads the same', () => {
      for (const head of [
        'DATE,OPEN,HIGH,LOW,CLOSE',
        'Price,Close,High,Low,Open,Volume\nTicker,x\nDate,,,,,',
        'observation_date,SP500',
        'Date,Close/Last,Volume,Open,High,Low',
      ]) {
        const found = historyHeader(head.split('\n'));
        expect('columns' in found).toBe(true);
        if (!('columns' in found)) continue;
        const again = historyHeader([headerLineOf(found.columns)]);
        expect(again).toEqual({ line: 0, columns: found.columns });
      }
    });

    it("Nasdaq's and Investing.com's exports: newest first, quoted numbers with thousands separators", () => {
      const nasdaq =
        'Date,Close/Last,Volume,Open,High,Low\n01/04/2024,14.13,--,1,1,1\n01/03/2024,14.04,--,1,1,1\n01/02/2024,13.20,--,1,1,1\n';
      const h = parseVixHistory({ text: nasdaq });
      expect(closes(nasdaq)).toEqual(want);
      expect(h.outOfOrder).toBeNull();
      expect(h.newestFirst).toBe(true);
      const investing = [
        '"Date","Price","Open","High","Low","Vol.","Change %"',
        '"01/04/2024","4,688.68","4,697.42","4,726.78","4,687.53","","-0.34%"',
        '"01/03/2024","4,704.81","4,725.07","4,729.29","4,699.71","","-0.80%"',
      ].join('\n');
      expect(parseVixHistory({ text: investing }).bars).toEqual([
        { date: '2024-01-03', open: 4725.07, high: 4729.29, low: 4699.71, close: 4704.81 },
        { date: '2024-01-04', open: 4697.42, high: 4726.78, low: 4687.53, close: 4688.68 },
      ]);
    });

    it('keeps a file to one date format, and reads no day-first dates', () => {
      const mixed = parseVixHistory({ text: 'DATE,CLOSE\n2024-01-02,13.2\n01/03/2024,14.04\n2024-01-04,14.13' });
      expect(mixed.bars.map((b) => b.date)).toEqual(['2024-01-02', '2024-01-04']);
      expect(mixed.errors).toEqual([{ line: 3, reason: 'unreadable date "01/03/2024" (expected YYYY-MM-DD)' }]);
      const dayFirst = parseVixHistory({ text: 'DATE,CLOSE\n02/01/2024,13.2\n13/01/2024,14.04' });
      expect(dayFirst.errors).toEqual([
        {
          line: 3,
          reason:
            'unreadable date "13/01/2024" (expected MM/DD/YYYY: this looks day-first (DD/MM/YYYY), which cannot be told from MM/DD/YYYY; export with US or ISO dates)',
        },
      ]);
    });

    it('names where the order breaks in a file neither oldest nor newest first', () => {
      const up = parseVixHistory({ text: 'DATE,CLOSE\n01/02/2024,1\n01/03/2024,1\n01/05/2024,1\n01/04/2024,1' });
      expect(up.outOfOrder).toEqual({
        line: 5,
        reason: 'date 2024-01-04 is earlier than 2024-01-05 on the line above (the file is not in date order)',
      });
      const down = parseVixHistory({ text: 'DATE,CLOSE\n01/05/2024,1\n01/04/2024,1\n01/02/2024,1\n01/03/2024,1' });
      expect(down.outOfOrder?.line).toBe(5);
      expect(down.outOfOrder?.reason).toMatch(/newest first/);
      expect(down.newestFirst).toBeUndefined();
    });

    it('a table copied with tabs, and a spreadsheet saved with semicolons and decimal commas', () => {
      const tab =
        'Date\tOpen\tHigh\tLow\tClose\n2024-01-02\t1\t1\t1\t13.2\n2024-01-03\t1\t1\t1\t14.04\n2024-01-04\t1\t1\t1\t14.13';
      expect(parseVixHistory({ text: tab }).errors).toEqual([]);
      expect(closes(tab)).toEqual(want);
      const eu = [
        'Datum info',
        'Date;Open;High;Low;Close',
        '2024-01-02;1;1;1;13,2',
        '2024-01-03;"1";1;1;14,04',
        '2024-01-04;1;1;1;14,13',
      ].join('\r\n');
      expect(closes(eu)).toEqual(want);
      // Dots group the thousands where the comma is the decimal mark: "4.704,81" is 4704.81 and "4.725" is 4725.
      const spx = 'Date;Close\n2024-01-02;4.725\n2024-01-03;4.704,81';
      expect(parseVixHistory({ text: spx }).bars.map((b) => b.close)).toEqual([4725, 4704.81]);
      // Semicolons with decimal points are read as written.
      expect(closes('Date;Close\n2024-01-02;13.2\n2024-01-03;14.04\n2024-01-04;14.13')).toEqual(want);
      // Rewritten with commas, the lines are what a comma-separated file of the same closes gives.
      expect(historyLines('Date;Close\n2024-01-02;1.234,5')).toEqual(['Date,Close', '2024-01-02,1234.5']);
      expect(historyLines('DATE,CLOSE\n01/02/2024,13.2')).toEqual(['DATE,CLOSE', '01/02/2024,13.2']);
    });

    it('a heading naming a date: "Exchange Date" (Refinitiv), "Trade Date"; a Date column still wins', () => {
      const eikon =
        'Exchange Date\tClose\tNet\tOpen\n04-Jan-2024\t14.13\t0.09\t14\n03-Jan-2024\t14.04\t0.84\t13.5\n02-Jan-2024\t13.20\t0.75\t13.21';
      expect(parseVixHistory({ text: eikon }).errors).toEqual([]);
      expect(closes(eikon)).toEqual(want);
      expect(closes('Trade Date,Close\n2024-01-02,13.2\n2024-01-03,14.04\n2024-01-04,14.13')).toEqual(want);
      expect(closes('Settlement Date,Date,Close\nx,2024-01-02,13.2')).toEqual([want[0]]);
    });

    it('year-first dates with slashes, dots or nothing between (YYYY/MM/DD, YYYY.MM.DD, YYYYMMDD)', () => {
      for (const d of [
        ['2024/01/02', '2024/01/03', '2024/1/4'],
        ['2024.01.02', '2024.01.03', '2024.01.04'],
        ['20240102', '20240103', '20240104'],
      ]) {
        const text = `Date,Close\n${d[0]},13.2\n${d[1]},14.04\n${d[2]},14.13`;
        expect(parseVixHistory({ text }).errors, d[0]).toEqual([]);
        expect(closes(text), d[0]).toEqual(want);
      }
      // Not a date: the 13th month, 30 February.
      expect(parseVixHistory({ text: 'Date,Close\n2024/13/02,1\n20240230,1' }).bars).toEqual([]);
      // A dotted day-first date is refused with what to do, not read month-first.
      expect(parseVixHistory({ text: 'Date,Close\n03.01.2024,14.04' }).errors[0]!.reason).toMatch(
        /day first \(DD\.MM\.YYYY\).*export with US or ISO dates/,
      );
    });

    it('finds no header in data alone, and none past a title of more than a few lines', () => {
      expect(parseVixHistory({ text: '01/02/2024,13.2\nDATE,CLOSE\n01/03/2024,14' }).errors[0]).toEqual({
        line: 1,
        reason: 'no header naming DATE and CLOSE (expected DATE,OPEN,HIGH,LOW,CLOSE)',
      });
      const title = Array.from({ length: 12 }, (_, i) => `note ${i}`).join('\n');
      expect(parseVixHistory({ text: `${title}\nDATE,CLOSE\n01/03/2024,14` }).bars).toEqual([]);
    });
  });

  const real = sharedFile('data/vix/VIX_History.csv');
  describe.skipIf(!real)('the real Cboe history (../shared)', () => {
    it('parses every line from 1990 to 2026 with no error', () => {
      const h = parseVixHistory({ text: readFileSync(real as string, 'utf8') });
      expect(h.errors).toEqual([]);
      expect(h.bars.length).toBeGreaterThan(9000);
      expect(h.bars[0]?.date).toBe('1990-01-02');
      const aug5 = h.bars.find((b) => b.date === '2024-08-05');
      expect(aug5?.high).toBeCloseTo(65.73, 2);
    });
  });
});

describe('mergeSightings', () => {
  const bars = parseVixHistory({ text: fixture('authored_spike.csv') }).bars;
  const last = bars[bars.length - 1]!;

  it('appends the latest sighting of each later New York date as a live point', () => {
    const r = mergeSightings({
      bars,
      sightings: [
        { at: '2024-06-04T14:00:00Z', value: 18.2, source: 'page' },
        { at: '2024-06-04T19:30:00Z', value: 19.4, source: 'page' },
        { at: '2024-06-04T15:00:00Z', value: 18.9, source: 'page' },
        { at: '2024-06-05T03:00:00Z', value: 20.0, source: 'manual' }, // 23:00 in New York on Jun 4: still Jun 4
      ],
    });
    expect(r.points).toHaveLength(bars.length + 1);
    expect(r.points.at(-1)).toEqual({
      date: '2024-06-04',
      close: 20,
      kind: 'live',
      at: '2024-06-05T03:00:00.000Z',
      source: 'manual',
    });
  });

  it('ignores sightings on dates the history closes, and bad ones, saying why', () => {
    const r = mergeSightings({
      bars,
      sightings: [
        { at: `${last.date}T15:00:00Z`, value: 99, source: 'page' },
        { at: 'not a time', value: 15, source: 'page' },
        { at: '2030-01-02T15:00:00Z', value: Number.NaN, source: 'page' },
        { at: '2030-01-02T15:00:00Z', value: -3, source: 'page' },
      ],
    });
    expect(r.points).toHaveLength(bars.length);
    expect(r.ignored.map((i) => i.reason)).toEqual([
      expect.stringMatching(/already has the close/),
      expect.stringMatching(/unreadable time/),
      expect.stringMatching(/not a positive/),
      expect.stringMatching(/not a positive/),
    ]);
  });

  it('uses the New York calendar date', () => {
    expect(newYorkDate(new Date('2024-03-10T03:30:00Z'))).toBe('2024-03-09');
    expect(newYorkDate(new Date('2024-07-01T04:30:00Z'))).toBe('2024-07-01');
  });

  it('gives the date of each instant asked, the same instant again or another (it keeps the last few)', () => {
    const fresh = (iso: string) =>
      new Intl.DateTimeFormat('en-CA', {
        timeZone: 'America/New_York',
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
      }).format(new Date(iso));
    const instants = [
      '2020-03-16T21:00:00Z',
      '2020-03-16T21:00:00Z',
      '2020-03-17T03:59:59Z',
      '2020-03-16T21:00:00Z',
      '2020-03-17T04:00:00Z',
      '2020-03-17T04:00:00Z',
    ];
    for (const iso of instants) expect(newYorkDate(new Date(iso))).toBe(fresh(iso));
    expect(() => newYorkDate(new Date(Number.NaN))).toThrow();
    expect(newYorkDate(new Date('2020-03-17T04:00:00Z'))).toBe('2020-03-17');
  });

  it('agrees with the time-zone database around every daylight-time change and on random instants, 1980–2099', () => {
    const intl = new Intl.DateTimeFormat('en-CA', {
      timeZone: 'America/New_York',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
    let checked = 0;
    const wrong: [number, string, string][] = [];
    const check = (ms: number) => {
      const ours = newYorkDate(new Date(ms));
      const theirs = intl.format(ms);
      if (ours !== theirs) wrong.push([ms, ours, theirs]);
      checked++;
    };
    const MINUTE = 60_000;
    for (let year = 1980; year <= 2099; year++) {
      // Every day around the March–April and October–November changes, at the instants where New York's offset
      // decides the date (its midnight is 04:00 UTC in daylight time, 05:00 in standard time).
      for (const [month, first, last] of [
        [2, 1, 15],
        [3, 1, 30],
        [9, 20, 31],
        [10, 1, 8],
      ] as const)
        for (let day = first; day <= last; day++)
          for (const at of [-1, 0, 30 * MINUTE, 60 * MINUTE - 1, 60 * MINUTE, 90 * MINUTE])
            check(Date.UTC(year, month, day, 4) + at);
    }
    // Random instants (a fixed linear congruential sequence: the same every run).
    let x = 12345;
    for (let k = 0; k < 20_000; k++) {
      x = (x * 1103515245 + 12345) % 2 ** 31;
      check(Date.UTC(1980, 0, 1) + (x / 2 ** 31) * (Date.UTC(2100, 0, 1) - Date.UTC(1980, 0, 1)));
    }
    expect(wrong).toEqual([]);
    expect(checked).toBeGreaterThan(60_000);
  });
});
