/**
 * The book: two positions in two expiries (and one on another underlying with its beta). Combined greeks equal the
 * sum of each leg's greeks computed here independently (Black–Scholes–Merton on each expiry's model, pricing/black),
 * the weighted delta is Δ·S·β/100, the stress grid's 0% column is 0 and its moves follow each underlying's beta.
 */
import { describe, expect, it } from 'vitest';
import { analyzeChain, modelFor } from '../../src/engine/analyze';
import { bsmGreeks } from '../../src/engine/pricing/black';
import { volAt } from '../../src/engine/smile';
import { bookRisk, marketFromMarks, type BookPosition, type UnderlyingMarket } from '../../src/engine/portfolio';
import { spxwLeg } from '../helpers/positionLegs';
import type { ChainAnalysis } from '../../src/engine/types';
import type { OptionLeg } from '../../src/positions/types';
import { syntheticChain } from '../helpers/workerChain';

const analysis = analyzeChain({ chain: syntheticChain({ weekly: true }), now: new Date('2026-03-18T20:00:00Z') });

function marketOf(a: ChainAnalysis): UnderlyingMarket {
  return {
    spot: a.spot!,
    modelOf(l) {
      const e = a.expiries.find((x) => x.date === l.expiry);
      const m = e ? modelFor(e, a.spot) : null;
      return m ? { kind: l.kind, strike: l.strike, model: m } : null;
    },
  };
}

const opt = spxwLeg;

const weekly: BookPosition = {
  id: 'w',
  name: 'SPX weekly condor',
  underlying: 'SPX',
  legs: [
    opt('2026-04-03', 'put', 6400, 1, 3),
    opt('2026-04-03', 'put', 6450, -1, 5),
    opt('2026-04-03', 'call', 6750, -1, 4),
    opt('2026-04-03', 'call', 6800, 1, 2),
  ],
  realisedDollars: 120,
};
const monthly: BookPosition = {
  id: 'm',
  name: 'SPX monthly condor',
  underlying: 'SPX',
  legs: [
    opt('2026-04-17', 'put', 6300, 2, 6),
    opt('2026-04-17', 'put', 6350, -2, 8),
    opt('2026-04-17', 'call', 6850, -2, 5),
    opt('2026-04-17', 'call', 6900, 2, 3),
  ],
};

/** Greeks of one leg, computed here: BSM on its expiry's model at the smile vol of its strike. */
function independent(l: OptionLeg) {
  const m = modelFor(
    analysis.expiries.find((e) => e.date === l.expiry)!,
    analysis.spot,
  )!;
  const g = bsmGreeks({
    kind: l.kind,
    spot: m.underlying,
    strike: l.strike,
    years: m.years,
    vol: volAt(m.smile, l.strike),
    rate: m.rate,
    dividendYield: m.rate - m.carry,
  });
  const k = l.quantity * l.multiplier;
  return [g.delta * k, g.gamma * k, g.vegaPerVolPoint * k, g.thetaPerDay * k];
}

describe('the book', () => {
  const betas = { SPX: 1, QQQ: 1.15 };
  const book = bookRisk([weekly, monthly], (p) => (p.underlying === 'SPX' ? marketOf(analysis) : null), betas);

  it('combined greeks are the sum of every leg’s, computed independently', () => {
    const sum = [0, 0, 0, 0];
    for (const l of [...weekly.legs, ...monthly.legs] as OptionLeg[]) independent(l).forEach((v, i) => (sum[i]! += v));
    const c = book.combined.greeks;
    expect(c.deltaDollarsPerPoint).toBeCloseTo(sum[0]!, 6);
    expect(c.gammaDollarsPerPoint).toBeCloseTo(sum[1]!, 8);
    expect(c.vegaDollarsPerVolPoint).toBeCloseTo(sum[2]!, 6);
    expect(c.thetaDollarsPerDay).toBeCloseTo(sum[3]!, 6);
    // And per position: the two positions differ (two expiries), and add up.
    const [w, m] = book.positions;
    expect(w!.greeks.vegaDollarsPerVolPoint).not.toBeCloseTo(m!.greeks.vegaDollarsPerVolPoint, 0);
    expect(w!.greeks.deltaDollarsPerPoint + m!.greeks.deltaDollarsPerPoint).toBeCloseTo(c.deltaDollarsPerPoint, 9);
  });

  it('weights delta by beta per 1% of SPX, adds realised P/L, stresses to 0 at no move', () => {
    const spot = analysis.spot!;
    expect(book.combined.betaDeltaPerSpxPct).toBeCloseTo((book.combined.greeks.deltaDollarsPerPoint * spot) / 100, 6);
    expect(book.combined.realisedDollars).toBe(120);
    const zero = book.stress.spxMoves.indexOf(0);
    expect(book.stress.total[zero]).toBeCloseTo(0, 9);
    expect(book.stress.total[0]).toBeCloseTo(
      book.stress.rows[0]!.pnlDollars[0]! + book.stress.rows[1]!.pnlDollars[0]!,
      9,
    );
    // A long-put-wing condor loses less than its width at −10%: bounded by (width − credit) × 100 per condor.
    expect(book.stress.rows[0]!.pnlDollars[0]!).toBeGreaterThan(-50 * 100);
    expect(book.notes).toEqual([]);
  });

  it('maps an SPX move to another underlying by its beta, and says what it cannot value', () => {
    // The same chain read as QQQ with β 1.15: its −10% column is the SPX one at −11.5%.
    const asQqq: BookPosition = {
      ...weekly,
      id: 'q',
      underlying: 'QQQ',
      legs: weekly.legs.map((l) => ({ ...l, underlying: 'QQQ' })),
    };
    const spxAt115: BookPosition = { ...weekly, id: 's' };
    const r = bookRisk([asQqq], (p) => (p.underlying === 'QQQ' ? marketOf(analysis) : null), betas, [-0.1]);
    const s = bookRisk([spxAt115], (p) => (p.underlying === 'SPX' ? marketOf(analysis) : null), betas, [-0.115]);
    expect(r.stress.total[0]).toBeCloseTo(s.stress.total[0]!, 6);
    expect(r.positions[0]!.betaDeltaPerSpxPct).toBeCloseTo(
      (r.positions[0]!.greeks.deltaDollarsPerPoint * analysis.spot! * 1.15) / 100,
      6,
    );
    const none = bookRisk([{ ...monthly, underlying: 'IWM' }], () => null, betas);
    expect(none.positions[0]!.unvalued).toHaveLength(4);
    expect(none.notes).toEqual([
      'IWM: no beta to SPX, left out of the weighted delta',
      'IWM: no price, its positions are not valued',
    ]);
  });

  it('valued away from the page on the marks kept with a position, the same as on the chain', () => {
    const marks = ([...weekly.legs, ...monthly.legs] as OptionLeg[]).map((l) => {
      const m = modelFor(
        analysis.expiries.find((e) => e.date === l.expiry)!,
        analysis.spot,
      )!;
      return { contract: l.occ, vol: volAt(m.smile, l.strike), years: m.years, rate: m.rate, carry: m.carry };
    });
    const kept = marketFromMarks(analysis.spot!, marks, (l) => l.occ);
    const away = bookRisk([weekly, monthly], () => kept, betas);
    const c = book.combined.greeks;
    expect(away.combined.greeks.deltaDollarsPerPoint).toBeCloseTo(c.deltaDollarsPerPoint, 6);
    expect(away.combined.greeks.vegaDollarsPerVolPoint).toBeCloseTo(c.vegaDollarsPerVolPoint, 6);
    expect(away.combined.openPnlDollars).toBeCloseTo(book.combined.openPnlDollars, 6);
    expect(away.stress.total).toEqual(book.stress.total.map((v) => expect.closeTo(v, 4)));
    // A leg without a kept mark is named, not guessed.
    const partial = bookRisk([weekly], () => marketFromMarks(analysis.spot!, marks.slice(1), (l) => l.occ), betas);
    expect(partial.positions[0]!.unvalued).toEqual(['SPX 2026-04-03 6400 put']);
  });
});
