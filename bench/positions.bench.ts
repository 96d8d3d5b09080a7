/**
 * Portfolio recompute (`npm run bench -- positions`): the book of 10 positions × 4 legs (iron condors on the five
 * expiries of a 1,000-row chain: 5 expiries × 200 strikes, 5-point steps, the authored synthetic chain of
 * tests/helpers/alvhScene.ts), valued together by src/engine/portfolio.ts: dollar greeks per position and combined,
 * the beta-weighted delta, P/L and the 9-column stress grid. Target: ≤ 10 ms median.
 * Measured two ways: with the expiry models built afresh (what a new chain costs) and with them cached (a change
 * of the book alone). Peer in the same run: the chain analysis the models come from (analyzeChain), not counted.
 */
import { analyzeChain, modelFor } from '../src/engine/analyze';
import { bookRisk, type BookPosition, type UnderlyingMarket } from '../src/engine/portfolio';
import type { ChainAnalysis, ExpiryModel } from '../src/engine/types';
import { SCENE_AS_OF, sceneSpxChain } from '../tests/helpers/alvhScene';
import { spxwLeg } from '../tests/helpers/positionLegs';
import { time } from './alvh.bench';
import { record } from './figures';

const TARGET_MS = 10;

function market(a: ChainAnalysis, cache: Map<string, ExpiryModel | null> | null): UnderlyingMarket {
  const models = cache ?? new Map<string, ExpiryModel | null>();
  return {
    spot: a.spot!,
    modelOf(l) {
      if (!models.has(l.expiry)) {
        const e = a.expiries.find((x) => x.date === l.expiry);
        models.set(l.expiry, e ? modelFor(e, a.spot) : null);
      }
      const m = models.get(l.expiry);
      return m ? { kind: l.kind, strike: l.strike, model: m } : null;
    },
  };
}

export default function main(): void {
  const chain = sceneSpxChain({ strikesPerExpiry: 200, step: 5 });
  const rows = chain.expiries.reduce((s, e) => s + e.rows.length, 0);
  const t0 = performance.now();
  const analysis = analyzeChain({ chain, now: new Date(SCENE_AS_OF) });
  const analyzeMs = performance.now() - t0;
  const expiries = chain.expiries.map((e) => e.date);
  const leg = (expiry: string, kind: 'put' | 'call', strike: number, quantity: number) =>
    spxwLeg(expiry, kind, strike, quantity, 2);
  const book: BookPosition[] = Array.from({ length: 10 }, (_, i) => {
    const expiry = expiries[i % expiries.length]!;
    const o = 100 + 25 * (i % 4);
    return {
      id: `p${i}`,
      name: `SPX ${expiry} condor ${i}`,
      underlying: 'SPX',
      legs: [
        leg(expiry, 'put', 6600 - o - 50, 1),
        leg(expiry, 'put', 6600 - o, -1),
        leg(expiry, 'call', 6600 + o, -1),
        leg(expiry, 'call', 6600 + o + 50, 1),
      ],
    };
  });
  const betas = { SPX: 1 };
  const cache = new Map<string, ExpiryModel | null>();
  const fresh = time(() => bookRisk(book, () => market(analysis, null), betas), 200);
  const cached = time(() => bookRisk(book, () => market(analysis, cache), betas), 200);
  const r = bookRisk(book, () => market(analysis, cache), betas);
  console.log(
    `chain: ${rows} rows, ${expiries.length} expiries; book: ${book.length} positions × 4 legs; analyzeChain ${analyzeMs.toFixed(1)} ms (not counted)`,
  );
  console.log(
    `portfolio recompute, models built afresh: median ${fresh.median.toFixed(3)} ms, p90 ${fresh.p90.toFixed(3)} ms, min ${fresh.min.toFixed(3)} ms (target ≤ ${TARGET_MS} ms: ${fresh.median <= TARGET_MS ? 'met' : 'NOT met'})`,
  );
  record({
    name: 'portfolio recompute (10 condors), models built afresh, median',
    value: fresh.median,
    unit: 'ms',
    target: TARGET_MS,
    lowerIsBetter: true,
    calibration: 'node',
  });
  console.log(
    `portfolio recompute, models cached:     median ${cached.median.toFixed(3)} ms, p90 ${cached.p90.toFixed(3)} ms, min ${cached.min.toFixed(3)} ms`,
  );
  console.log(
    `combined: delta ${r.combined.greeks.deltaDollarsPerPoint.toFixed(1)} $/pt, vega ${r.combined.greeks.vegaDollarsPerVolPoint.toFixed(1)} $/vol pt, theta ${r.combined.greeks.thetaDollarsPerDay.toFixed(1)} $/day; stress −10%: ${r.stress.total[0]!.toFixed(0)} $`,
  );
}
