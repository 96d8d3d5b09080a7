import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES_DIR, sharedFile } from '../../helpers/shared';
import { GREEK_FIELDS, greekScore, ivItems, judgeIv, ourGreeks, ourIv, type RefFile } from './referenceCheck';

function checkGreeks(ref: RefFile): { failures: string[]; worst: Record<string, number>; checked: number } {
  const failures: string[] = [];
  const worst: Record<string, number> = {};
  let checked = 0;
  for (const c of ref.cases) {
    const underlying = c.model === 'bsm' ? c.S! : c.F;
    for (const kind of ['call', 'put'] as const) {
      const g = ourGreeks(c, kind);
      for (const [refField, ours, scale] of GREEK_FIELDS) {
        const want = c[kind][refField];
        if (want === undefined) continue;
        const got = g[ours] as number;
        const score = greekScore(got, want, underlying, scale);
        checked++;
        worst[refField] = Math.max(worst[refField] ?? 0, score);
        if (!(score <= 1))
          failures.push(`${c.id} ${kind} ${refField}: got ${got}, want ${want} (${score.toFixed(2)}× tol)`);
      }
    }
  }
  return { failures, worst, checked };
}

function checkIv(ref: RefFile) {
  const failures: string[] = [];
  const byStatus: Record<string, number> = {};
  let worstOk = 0;
  for (const item of ivItems(ref)) {
    const r = ourIv(item);
    const v = judgeIv(item, r.ok ? r.vol : null);
    byStatus[item.expected.status] = (byStatus[item.expected.status] ?? 0) + 1;
    if (item.expected.status === 'ok') worstOk = Math.max(worstOk, v.score);
    if (!v.pass) failures.push(`${item.id}: ${v.detail}`);
    if (!r.ok) expect(r.message.length).toBeGreaterThan(10);
  }
  return { failures, byStatus, worstOk };
}

function suite(name: string, load: () => RefFile) {
  let ref: RefFile | null = null;
  const get = () => (ref ??= load());
  it(`${name}: price and every greek within 1e-9 relative or 1e-13·scale absolute`, () => {
    const { failures, checked } = checkGreeks(get());
    expect(checked).toBeGreaterThan(1000);
    expect(failures.slice(0, 20)).toEqual([]);
  });
  it(`${name}: implied volatility: ok within tol, no_solution rejected, boundary acceptable`, () => {
    const { failures, byStatus, worstOk } = checkIv(get());
    expect(byStatus['ok']).toBeGreaterThan(100);
    expect(byStatus['no_solution']).toBeGreaterThan(10);
    expect(failures.slice(0, 20)).toEqual([]);
    expect(worstOk).toBeLessThanOrEqual(1);
  });
}

describe('reference subset (tests/fixtures/reference/subset.json)', () => {
  suite('subset', () => JSON.parse(readFileSync(resolve(FIXTURES_DIR, 'reference/subset.json'), 'utf8')) as RefFile);
});

const full = sharedFile('reference/options_reference.json');
describe.skipIf(!full)('full reference (../shared/reference/options_reference.json)', () => {
  suite('full', () => JSON.parse(readFileSync(full!, 'utf8')) as RefFile);
});
