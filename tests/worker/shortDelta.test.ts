/**
 * The short-strike delta in the page view (issue 17), on the real Cboe SPY download of 25 Sep 2025: the short the
 * view names and its |delta| are those the engine's own leg valuation gives (src/engine/leg.ts on the expiry's
 * model from src/engine/analyze.ts), taken here independently of the session; and the feed passes its moves by a
 * hundredth on to the page only while the content script says it watches them.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { importCboe } from '../../src/chain/importers/cboe';
import { analyzeChain, modelFor } from '../../src/engine/analyze';
import { legGreeksPerShare } from '../../src/engine/leg';
import { pageViewKey } from '../../src/engine/session';
import { createEngine } from '../../src/worker/engine';
import { meta, ready } from '../helpers/workerChain';

const r = importCboe({
  text: readFileSync('tests/fixtures/cboe/cboe_spy_quotedata_2025-09-25.csv', 'utf8'),
  fileName: 'cboe_spy_quotedata_2025-09-25.csv',
});
if (!r.ok) throw new Error(r.reason);
const chain = r.chain;

/** The |delta| of each short of `strikes` on `expiry`, computed from the engine's parts, not the session. */
function shortDeltas(strikes: [number, number, number, number], expiry: string, now: Date) {
  const a = analyzeChain({ chain, now, expiry, condor: { strikes, quantity: 1 } });
  const chosen = a.expiries[a.chosenExpiry!]!;
  expect(chosen.date).toBe(expiry);
  const model = modelFor(chosen, a.spot)!;
  const of = (kind: 'put' | 'call', strike: number) => ({
    kind,
    strike,
    deltaAbs: Math.abs(legGreeksPerShare({ kind, strike, model })!.delta),
  });
  return { put: of('put', strikes[1]), call: of('call', strikes[2]) };
}

describe('the page view names the short with the largest |delta| (real SPY chain, 25 Sep 2025)', () => {
  test('a condor leaning on its call: the call short and its delta, as the engine values that leg', async () => {
    const engine = createEngine();
    const s0 = ready(await engine.setChain(chain, meta));
    const expiry = s0.analysis!.expiries[s0.analysis!.chosenExpiry!]!.date;
    const spot = s0.analysis!.spot!;
    // Shorts about 3 % below and 1 % above the price, on listed strikes: the call is the nearer one.
    const rows = chain.expiries.find((e) => e.date === expiry)!.rows.map((x) => x.strike);
    const near = (x: number) => rows.reduce((b, k) => (Math.abs(k - x) < Math.abs(b - x) ? k : b));
    const sp = near(spot * 0.97);
    const sc = near(spot * 1.01);
    const strikes: [number, number, number, number] = [near(sp - 5), sp, sc, near(sc + 5)];
    const s = ready(await engine.setPosition({ kind: 'strikes', strikes, quantity: 1 }));
    expect(s.positionError).toBeNull();
    expect(s.analysis!.condor!.strikes).toEqual(strikes);

    const view = await engine.pageView();
    const expected = shortDeltas(strikes, expiry, new Date(s.valuedAt));
    expect(expected.call.deltaAbs).toBeGreaterThan(expected.put.deltaAbs);
    const got = view.position!.shortDelta!;
    expect(got.kind).toBe('call');
    expect(got.strike).toBe(sc);
    expect(got.deltaAbs).toBeCloseTo(expected.call.deltaAbs, 12);
    // Per contract, 0–1: a near call short is well inside (0.2, 0.6).
    expect(got.deltaAbs).toBeGreaterThan(0.2);
    expect(got.deltaAbs).toBeLessThan(0.6);
    console.log(
      `[short delta] SPY ${expiry} spot ${spot}: ${strikes.join('/')}: put ${sp} |Δ| ${expected.put.deltaAbs.toFixed(4)}, call ${sc} |Δ| ${got.deltaAbs.toFixed(4)}`,
    );
  });

  test('the suggested condor: the larger of its two shorts, again as the engine values them', async () => {
    const engine = createEngine();
    const s = ready(await engine.setChain(chain, meta));
    const c = s.analysis!.condor!;
    const view = await engine.pageView();
    const expected = shortDeltas(c.strikes, c.expiry, new Date(s.valuedAt));
    const larger = expected.put.deltaAbs >= expected.call.deltaAbs ? expected.put : expected.call;
    expect(view.position!.shortDelta).toMatchObject({ kind: larger.kind, strike: larger.strike });
    expect(view.position!.shortDelta!.deltaAbs).toBeCloseTo(larger.deltaAbs, 12);
    // Its own leg records agree (one valuation of a leg, wherever it is shown).
    const leg = c.legs.find((l) => l.side === -1 && l.kind === larger.kind)!;
    expect(view.position!.shortDelta!.deltaAbs).toBe(Math.abs(leg.delta));
  });

  test('the page key moves with the delta by the hundredth only when the content script watches it', async () => {
    const engine = createEngine();
    await engine.setChain(chain, meta);
    const view = await engine.pageView();
    const d = view.position!.shortDelta!;
    const nudged = { ...view, position: { ...view.position!, shortDelta: { ...d, deltaAbs: d.deltaAbs + 0.01 } } };
    const within = {
      ...view,
      position: { ...view.position!, shortDelta: { ...d, deltaAbs: Math.floor(d.deltaAbs * 100) / 100 + 0.0001 } },
    };
    expect(pageViewKey(nudged, chain, true, false)).toBe(pageViewKey(view, chain, true, false));
    expect(pageViewKey(nudged, chain, true, true)).not.toBe(pageViewKey(view, chain, true, true));
    expect(pageViewKey(within, chain, true, true)).toBe(pageViewKey(view, chain, true, true));
  });
});
