import { describe, expect, it } from 'vitest';
import { parseAdvanceDecline } from '../../../src/engine/alvh/breadth';
import { parseAdvanceDeclineInSlices } from '../../../src/ui/options/adImport';

/** 1,300 weekday-ish rows from 2020-01-01 with bad lines and a repeated date placed across slice boundaries. */
function bigFile(): string {
  const lines = ['Date,Advances,Declines,Close'];
  const d = new Date('2020-01-01T00:00:00Z');
  for (let i = 0; i < 1300; i++) {
    lines.push(`${d.toISOString().slice(0, 10)},${1000 + (i % 50)},${900 + (i % 70)},${3000 + i}`);
    d.setUTCDate(d.getUTCDate() + 1);
  }
  lines[499] = 'oops,1,2'; // the last line of the first slice
  lines[501] = '2020-02-30,1,2,3'; // the second line of the second slice
  lines[1000] = 'date,advances,declines'; // a header in the middle is a bad line
  lines[1200] = lines[10]!.replace(/,\d+$/, ',9999'); // a date repeated in a later slice: the later line is kept
  return lines.join('\n');
}

describe('the advance–decline import in slices', () => {
  it('gives what the CLI’s parser gives on the whole file, with the file’s line numbers, and shows progress to the end', async () => {
    const text = bigFile();
    const seen: number[] = [];
    const sliced = await parseAdvanceDeclineInSlices({
      text,
      yieldToPage: () => Promise.resolve(),
      now: (() => {
        let t = 0;
        return () => (t += 10); // every slice over the budget: a progress report each
      })(),
      onProgress: (p) => seen.push(Math.round((100 * p.linesDone) / p.linesTotal)),
    });
    const whole = parseAdvanceDecline({ text });
    expect(sliced.rows).toEqual(whole.rows);
    expect(sliced.badLines).toEqual(whole.badLines);
    expect(sliced.badLines.map((b) => b.line)).toEqual([500, 502, 1001]);
    expect(sliced.rows.find((r) => r.date === '2020-01-10')?.close).toBe(9999);
    expect(sliced.hasClose).toBe(true);
    expect(sliced.dataLines).toBe(1300);
    expect(seen[0]).toBe(0);
    expect(seen.at(-1)).toBe(100);
    expect(seen.length).toBeGreaterThanOrEqual(4);
  });

  it('stops when aborted', async () => {
    const abort = new AbortController();
    abort.abort();
    await expect(parseAdvanceDeclineInSlices({ text: bigFile(), signal: abort.signal })).rejects.toThrow(/cancelled/);
  });
});
