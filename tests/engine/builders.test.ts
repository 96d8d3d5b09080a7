import { describe, expect, it } from 'vitest';
import {
  condorFromStrikes,
  condorFromTargets,
  parseCondorText,
  parseTargets,
  SHORTS_KEPT_WITHIN_DELTA,
  smileDelta,
} from '../../src/engine/builders';
import { modelFromExpiry } from '../fixtures/engine/model';
import { spxLikeSvi, syntheticChain } from '../fixtures/engine/synthetic';

const years = 35 / 365;
const chain = syntheticChain({
  spot: 6600,
  rate: 0.043,
  dividendYield: 0.013,
  expiries: [{ date: 'x', years, svi: spxLikeSvi(years) }],
  strikeMin: 5500,
  strikeMax: 7500,
  strikeStep: 5,
});
const rows = chain.expiries[0]!.rows;
const model = modelFromExpiry({ expiry: chain.expiries[0]!, years, spot: 6600 });

describe('parseCondorText', () => {
  it.each([
    ['6400/6450/6800/6850 x2 @ 4.10', 2, 4.1],
    ['6400/6450/6800/6850', 1, null],
    [' 6400 / 6450 / 6800 / 6850  x 3 ', 3, null],
    ['6400/6450/6800/6850 @4.1', 1, 4.1],
    ['6400/6450/6800/6850 ×5 @ .95', 5, 0.95],
  ])('%s', (text, qty, credit) => {
    const r = parseCondorText({ text, rows });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.spec.strikes).toEqual([6400, 6450, 6800, 6850]);
    expect(r.spec.quantity).toBe(qty);
    expect(r.spec.credit ?? null).toBe(credit);
  });

  it('clear errors: garbage, out of order, off the chain, zero quantity', () => {
    const g = parseCondorText({ text: 'buy the dip' });
    expect(g.ok).toBe(false);
    if (!g.ok) expect(g.error).toMatch(/expected K1\/K2\/K3\/K4/);
    const o = parseCondorText({ text: '6450/6400/6800/6850' });
    expect(o.ok).toBe(false);
    if (!o.ok) expect(o.error).toMatch(/out of order/);
    const off = parseCondorText({ text: '6401/6450/6800/6850', rows });
    expect(off.ok).toBe(false);
    if (!off.ok) expect(off.error).toMatch(/6401 not on the chain/);
    const z = parseCondorText({ text: '6400/6450/6800/6850 x0' });
    expect(z.ok).toBe(false);
    expect(parseCondorText({ text: '6400/6450/6800' }).ok).toBe(false);
    expect(parseCondorText({ text: '6400/6450/6800/6850/6900' }).ok).toBe(false);
  });

  it('an iron butterfly (K2 = K3) is allowed', () => {
    expect(condorFromStrikes({ strikes: [6500, 6600, 6600, 6700] }).ok).toBe(true);
  });
});

describe('targets', () => {
  it('parses "16-delta shorts, 50 wide" and variants', () => {
    expect(parseTargets('16-delta shorts, 50 wide')).toEqual({ ok: true, targets: { shortDelta: 0.16, width: 50 } });
    expect(parseTargets('0.10 delta 25 wide')).toEqual({ ok: true, targets: { shortDelta: 0.1, width: 25 } });
    expect(parseTargets('20Δ, 100 wide')).toEqual({ ok: true, targets: { shortDelta: 0.2, width: 100 } });
    expect(parseTargets('wide').ok).toBe(false);
    expect(parseTargets('70 delta 50 wide').ok).toBe(false);
  });

  it('builds the listed strikes nearest the target delta, wings at the width', () => {
    const r = condorFromTargets({ targets: { shortDelta: 0.16, width: 50 }, model, rows });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const [k1, k2, k3, k4] = r.spec.strikes;
    expect(k2 - k1).toBe(50);
    expect(k4 - k3).toBe(50);
    const dPut = Math.abs(smileDelta({ model, kind: 'put', strike: k2 }));
    const dCall = smileDelta({ model, kind: 'call', strike: k3 });
    // On a 5-point grid the nearest strike's delta is within half a grid step of delta.
    expect(Math.abs(dPut - 0.16)).toBeLessThan(0.003);
    expect(Math.abs(dCall - 0.16)).toBeLessThan(0.003);
    // No listed strike is closer to the target.
    for (const k of [k2 - 5, k2 + 5])
      expect(Math.abs(Math.abs(smileDelta({ model, kind: 'put', strike: k })) - 0.16)).toBeGreaterThanOrEqual(
        Math.abs(dPut - 0.16),
      );
    // Negative skew: the 16-delta put is further from the forward than the 16-delta call.
    expect(model.forward - k2).toBeGreaterThan(k3 - model.forward);
  });

  it('keeps the shorts chosen before while no strike is clearly nearer the target, and moves them once one is', () => {
    const targets = { shortDelta: 0.16, width: 50 };
    const best = condorFromTargets({ targets, model, rows });
    if (!best.ok) throw new Error(best.error);
    const [, p, c] = best.spec.strikes;
    const err = (kind: 'put' | 'call', k: number) => Math.abs(Math.abs(smileDelta({ model, kind, strike: k })) - 0.16);
    // A neighbour of each short: kept when within the margin of the nearest, with its wing moved along.
    const near = (kind: 'put' | 'call', k: number) =>
      [k - 5, k + 5].find((x) => err(kind, x) <= err(kind, k) + SHORTS_KEPT_WITHIN_DELTA)!;
    const pk = near('put', p);
    const ck = near('call', c);
    const kept = condorFromTargets({ targets, model, rows, keepShorts: [pk, ck] });
    if (!kept.ok) throw new Error(kept.error);
    expect(kept.spec.strikes).toEqual([pk - 50, pk, ck, ck + 50]);
    // Shorts a few strikes away are clearly farther from 16-delta: the nearest are chosen again.
    const far = condorFromTargets({ targets, model, rows, keepShorts: [p - 100, c + 100] });
    if (!far.ok) throw new Error(far.error);
    expect(far.spec.strikes).toEqual(best.spec.strikes);
    expect(err('put', p - 100)).toBeGreaterThan(err('put', p) + SHORTS_KEPT_WITHIN_DELTA);
    // A kept strike that is not listed (another chain) is not kept.
    const unlisted = condorFromTargets({ targets, model, rows, keepShorts: [p + 1, c - 1] });
    expect(unlisted.ok && unlisted.spec.strikes).toEqual(best.spec.strikes);
  });

  it('a suggestion widens its wings to the strikes listed next when the chain spaces them wider than the width', () => {
    // A stock's chain: 5 points apart near the money, 25 points apart beyond 6300 and 6900.
    const mixed = rows.filter((r) => (r.strike >= 6300 && r.strike <= 6900) || r.strike % 25 === 0);
    const targets = { shortDelta: 0.16, width: 5 };
    // The width as given: the 16-delta shorts are where the chain lists every 25 points, so no wing 5 points out.
    const strict = condorFromTargets({ targets, model, rows: mixed });
    if (strict.ok) throw new Error('expected no condor at the given width');
    const named = /beyond the shorts (\d+)\/(\d+) for a wing/.exec(strict.error);
    expect(named).not.toBeNull();
    const [p, c] = [Number(named![1]), Number(named![2])];
    expect(p < 6300 && c > 6900).toBe(true);
    const wide = condorFromTargets({ targets, model, rows: mixed, widenToListed: true });
    if (!wide.ok) throw new Error(wide.error);
    expect(wide.width).toBe(25);
    const [k1, k2, k3, k4] = wide.spec.strikes;
    // The same shorts, each wing the strike listed next beyond its short.
    expect([k2, k3]).toEqual([p, c]);
    const listed = mixed.map((r) => r.strike);
    expect(k1).toBe(Math.max(...listed.filter((k) => k < k2)));
    expect(k4).toBe(Math.min(...listed.filter((k) => k > k3)));
    expect(Math.max(k2 - k1, k4 - k3)).toBe(25);
    // Where the shorts are the last strikes listed, there is nothing to widen to: the error stands.
    const edge = rows.filter((r) => r.strike >= p && r.strike <= c);
    const none = condorFromTargets({ targets, model, rows: edge, widenToListed: true });
    expect(none.ok).toBe(false);
    if (!none.ok) expect(none.error).toMatch(/no listed strike near 5 points/);
  });

  it('says so when a wing has no listed strike near the width, or no strikes on both sides', () => {
    const narrow = rows.filter((r) => r.strike >= 6500 && r.strike <= 6750);
    const r = condorFromTargets({ targets: { shortDelta: 0.16, width: 500 }, model, rows: narrow });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(/no listed strike near 500 points/);
    const below = rows.filter((r) => r.strike < 6500);
    const b = condorFromTargets({ targets: { shortDelta: 0.16, width: 50 }, model, rows: below });
    expect(b.ok).toBe(false);
    if (!b.ok) expect(b.error).toMatch(/both sides/);
  });
});
