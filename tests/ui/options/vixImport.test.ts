import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseVixHistory } from '../../../src/engine/alvh/vixSeries';
import { parseVixHistoryInSlices, type VixImportProgress } from '../../../src/ui/options/vixImport';
import { FIXTURES_DIR, sharedFile } from '../../helpers/shared';

const fixture = (name: string) => readFileSync(resolve(FIXTURES_DIR, 'vix', name), 'utf8');
const immediate = () => Promise.resolve();

/** A clock that moves 10 ms per reading: every slice exceeds the budget, so every slice yields. */
function slowClock(): () => number {
  let t = 0;
  return () => (t += 10);
}

async function run(text: string, now = slowClock()) {
  const seen: VixImportProgress[] = [];
  let yields = 0;
  const r = await parseVixHistoryInSlices({
    text,
    onProgress: (p) => seen.push(p),
    yieldToPage: () => {
      yields++;
      return Promise.resolve();
    },
    now,
  });
  return { r, seen, yields };
}

describe('VIX history parsed in slices', () => {
  it('the authored file: 110 closes, same bars as the one-shot parser, progress to the end', async () => {
    const text = fixture('authored_spike.csv');
    const { r, seen } = await run(text);
    expect(r.bars).toHaveLength(110);
    expect(r.bars).toEqual(parseVixHistory({ text }).bars);
    expect(r.errors).toEqual([]);
    expect(r.dataLines).toBe(110);
    expect(seen.at(-1)).toEqual({ linesDone: seen.at(-1)!.linesTotal, linesTotal: text.split('\n').length });
  });

  it('the malformed file: bad lines with their file line numbers and reasons, in line order', async () => {
    const text = fixture('bad_lines.csv');
    const { r } = await run(text);
    expect(r.bars.map((b) => [b.date, b.close])).toEqual([
      ['2024-01-02', 13.2],
      ['2024-01-08', 13.7],
      ['2024-01-09', 14.1],
    ]);
    expect(r.errors).toEqual([
      { line: 3, reason: 'unreadable date "2024-01-03" (expected MM/DD/YYYY)' },
      { line: 4, reason: 'missing or non-positive CLOSE ""' },
      { line: 5, reason: 'missing or non-positive CLOSE "abc"' },
      { line: 7, reason: 'date 2024-01-08 repeated on line 9; the later line is kept' },
      { line: 8, reason: 'unreadable date "02/30/2024" (expected MM/DD/YYYY)' },
    ]);
  });

  it('maps line numbers across slices and keeps the later of a date repeated in another slice', async () => {
    const rows = ['DATE,OPEN,HIGH,LOW,CLOSE'];
    const start = Date.UTC(2000, 0, 1);
    for (let i = 0; i < 650; i++) {
      const d = new Date(start + i * 86_400_000);
      const us = `${String(d.getUTCMonth() + 1).padStart(2, '0')}/${String(d.getUTCDate()).padStart(2, '0')}/${d.getUTCFullYear()}`;
      rows.push(`${us},1,1,1,${(10 + i / 100).toFixed(2)}`);
    }
    rows[450] = 'garbage,1,1,1,1'; // file line 451
    rows.push('01/05/2000,1,1,1,99'); // file line 652 repeats line 6 (01/05/2000), 3 slices later
    const text = rows.join('\n');
    const { r, yields } = await run(text);
    expect(yields).toBeGreaterThanOrEqual(4);
    expect(r.errors).toEqual([
      { line: 6, reason: 'date 2000-01-05 repeated on line 652; the later line is kept' },
      { line: 451, reason: 'unreadable date "garbage" (expected MM/DD/YYYY)' },
    ]);
    expect(r.bars.find((b) => b.date === '2000-01-05')?.close).toBe(99);
    expect(r.bars).toHaveLength(649);
    const oneShot = parseVixHistory({ text });
    expect(r.bars).toEqual(oneShot.bars);
  });

  it('an empty file and a file without a header say so', async () => {
    expect((await run('')).r.errors[0]?.reason).toBe('the file is empty');
    const noHeader = await run('\n01/02/2024,1,1,1,13\n');
    expect(noHeader.r.bars).toEqual([]);
    expect(noHeader.r.errors).toEqual([
      { line: 2, reason: 'no header naming DATE and CLOSE (expected DATE,OPEN,HIGH,LOW,CLOSE)' },
    ]);
  });

  it('stops when cancelled', async () => {
    const ac = new AbortController();
    ac.abort();
    await expect(
      parseVixHistoryInSlices({ text: fixture('authored_spike.csv'), signal: ac.signal, yieldToPage: immediate }),
    ).rejects.toThrow(/cancelled/);
  });

  const real = sharedFile('data/vix/VIX_History.csv');
  describe.skipIf(!real)("Cboe's real VIX_History.csv (1990–2026)", () => {
    it('imports every day: 9,221 closes, last close 15.81 on 2026-07-03, no bad lines', async () => {
      const text = readFileSync(real!, 'utf8');
      const { r, seen } = await run(text);
      expect(r.bars).toHaveLength(9221);
      expect(r.errors).toEqual([]);
      expect(r.bars[0]).toMatchObject({ date: '1990-01-02', close: 17.24 });
      expect(r.bars.at(-1)).toMatchObject({ date: '2026-07-03', close: 15.81 });
      expect(seen.length).toBeGreaterThan(40);
      for (let i = 1; i < seen.length; i++) expect(seen[i]!.linesDone).toBeGreaterThanOrEqual(seen[i - 1]!.linesDone);
      expect(r.bars).toEqual(parseVixHistory({ text }).bars);
    });
  });

  it('on a fast machine the bar still moves at least every tenth of the file', async () => {
    const text = ['Date,Open,High,Low,Close']
      .concat(
        Array.from({ length: 3000 }, (_, i) => {
          const d = new Date(Date.UTC(2000, 0, 1) + i * 86_400_000);
          return `${String(d.getUTCMonth() + 1).padStart(2, '0')}/${String(d.getUTCDate()).padStart(2, '0')}/${d.getUTCFullYear()},20,21,19,20`;
        }),
      )
      .join('\n');
    const { r, seen, yields } = await run(text, () => 0); // a clock that never moves: the budget is never spent
    expect(r.bars).toHaveLength(3000);
    const shares = seen.map((p) => p.linesDone / p.linesTotal);
    expect(shares.filter((x) => x > 0 && x < 1).length).toBeGreaterThanOrEqual(8);
    for (let i = 1; i < shares.length; i++) expect(shares[i]! - shares[i - 1]!).toBeLessThanOrEqual(0.1 + 200 / 3001);
    expect(yields).toBe(seen.length - 1);
  });

  it("yfinance's header rows and FRED's '.' days, over many slices: the bars and counts of the one-shot parser", async () => {
    const day = (i: number) => new Date(Date.UTC(2001, 0, 1) + i * 86_400_000).toISOString().slice(0, 10);
    const yf = ['Price,Close,High,Low,Open,Volume', 'Ticker,^VIX,^VIX,^VIX,^VIX,^VIX', 'Date,,,,,']
      .concat(Array.from({ length: 900 }, (_, i) => `${day(i)} 00:00:00-05:00,${20 + (i % 7)},30,10,20,0`))
      .join('\n');
    const a = await run(yf);
    expect(a.r.errors).toEqual([]);
    expect(a.r.bars).toHaveLength(900);
    expect(a.r.bars).toEqual(parseVixHistory({ text: yf }).bars);
    expect(a.r.dataLines).toBe(900);
    const fred = ['observation_date,VIXCLS']
      .concat(Array.from({ length: 900 }, (_, i) => `${day(i)},${i % 5 === 4 ? '.' : 20 + (i % 7)}`))
      .join('\n');
    const b = await run(fred);
    expect(b.r.errors).toEqual([]);
    expect(b.r.noData).toBe(180);
    expect(b.r.bars).toHaveLength(720);
    expect(b.r.bars).toEqual(parseVixHistory({ text: fred }).bars);
  });

  it('a semicolon file with decimal commas and a file of two-digit years, over many slices: the one-shot parser’s bars', async () => {
    const day = (i: number) => new Date(Date.UTC(2001, 0, 1) + i * 86_400_000).toISOString().slice(0, 10);
    const eu = ['Date;Open;High;Low;Close']
      .concat(Array.from({ length: 700 }, (_, i) => `${day(i)};1;1;1;${20 + (i % 7)},25`))
      .join('\n');
    const a = await run(eu);
    expect(a.r.errors).toEqual([]);
    expect(a.r.bars).toHaveLength(700);
    expect(a.r.bars[0]!.close).toBe(20.25);
    expect(a.r.bars).toEqual(parseVixHistory({ text: eu }).bars);
    expect(a.r.twoDigitYears).toBeUndefined();
    const short = (d: string) => `${d.slice(5, 7)}/${d.slice(8, 10)}/${d.slice(2, 4)}`;
    const wsj = ['Date, Open, High, Low, Close']
      .concat(Array.from({ length: 700 }, (_, i) => `${short(day(699 - i))}, 1, 1, 1, ${20 + (i % 7)}`))
      .join('\n');
    const b = await run(wsj);
    expect(b.r.errors).toEqual([]);
    expect(b.r.twoDigitYears).toBe(true);
    expect(b.r.bars[0]!.date).toBe('2001-01-01');
    expect(b.r.bars).toEqual(parseVixHistory({ text: wsj }).bars);
  });
});
