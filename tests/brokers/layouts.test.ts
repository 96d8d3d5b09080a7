/**
 * Authored layouts (tests/fixtures/layouts/*.html), each with a hand-written .expected.json beside it.
 * Quotes in the expected files are compact: [bid, ask, last, volume, openInterest, iv, delta] or null.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Quote } from '../../src/chain/types';
import { readChainFromHtml } from '../../src/brokers/node';
import { FIXTURES_DIR } from '../helpers/shared';

type Q =
  [number | null, number | null, number | null, number | null, number | null, number | null, number | null] | null;
interface Expected {
  ok: boolean;
  reason?: string;
  symbol?: string;
  price?: number | null;
  vix?: number[];
  dropped?: number;
  confidenceBelow?: number;
  expiries?: { date: string; root: string | null; settlement: string; rows: [number, Q, Q][] }[];
  warnings?: [number, string][];
  flaggedAtLeast?: [number, string][];
}

const quote = (q: Q): Quote | null =>
  q === null ? null : { bid: q[0], ask: q[1], last: q[2], volume: q[3], openInterest: q[4], iv: q[5], delta: q[6] };

const DIR = resolve(FIXTURES_DIR, 'layouts');
const NOW = new Date('2026-03-14T15:00:00Z');
const files = readdirSync(DIR).filter((f) => f.endsWith('.html'));

describe('authored layouts', () => {
  it('there are at least ten readable layouts, each with an expected file', () => {
    const readable = files.filter(
      (f) => (JSON.parse(readFileSync(resolve(DIR, f.replace('.html', '.expected.json')), 'utf8')) as Expected).ok,
    );
    expect(readable.length).toBeGreaterThanOrEqual(10);
  });

  for (const f of files) {
    it(f, () => {
      const exp = JSON.parse(readFileSync(resolve(DIR, f.replace('.html', '.expected.json')), 'utf8')) as Expected;
      const r = readChainFromHtml(readFileSync(resolve(DIR, f), 'utf8'), { now: NOW });
      if (!exp.ok) {
        expect(r.ok).toBe(false);
        if (!r.ok) expect(r.reason).toContain(exp.reason!);
        return;
      }
      if (!r.ok) throw new Error(`${f}: ${r.reason}`);
      expect(r.chain.underlying).toEqual({ symbol: exp.symbol, price: exp.price });
      expect(r.chain.expiries).toEqual(
        exp.expiries!.map((e) => ({
          ...e,
          rows: e.rows.map(([strike, c, p]) => ({ strike, call: quote(c), put: quote(p) })),
        })),
      );
      expect(r.chain.warnings).toEqual((exp.warnings ?? []).map(([row, reason]) => ({ row, reason })));
      expect(r.vixSightings.map((v) => v.value)).toEqual(exp.vix ?? []);
      for (const v of r.vixSightings) expect(v.at).toBe(NOW.toISOString());
      expect(r.report.rowsDropped).toBe(exp.dropped ?? 0);
      for (const [row, reason] of exp.flaggedAtLeast ?? []) expect(r.report.flagged).toContainEqual({ row, reason });
      if (exp.confidenceBelow !== undefined) expect(r.report.confidence).toBeLessThan(exp.confidenceBelow);
      else expect(r.report.confidence).toBeGreaterThan(0.5);
    });
  }
});
