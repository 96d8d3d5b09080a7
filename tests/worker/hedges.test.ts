import { describe, expect, test } from 'vitest';
import { createEngine, type ReadyState } from '../../src/worker/engine';
import { blackPrice, bsmGreeks } from '../../src/engine/pricing/black';
import { modelFor } from '../../src/engine/analyze';
import { volAt } from '../../src/engine/smile';
import { curvesAt, meta, ready, syntheticChain } from '../helpers/workerChain';

/** The plan's put debit spread ticket (VIX 28 after a 16.18 close), the first SPX put spread it offers. */
async function withSpread() {
  const engine = createEngine();
  await engine.setChain(syntheticChain({ weekly: true }), meta);
  await engine.setPosition({ kind: 'text', text: '6400/6450/6800/6850 @ 4.10' });
  const s = ready(await engine.setManualVix(28, 16.18));
  const ticket = s.plan!.tickets.find((t) => t.structure === 'put-debit-spread');
  if (!ticket) throw new Error(`no put debit spread in ${s.plan!.tickets.map((t) => t.structure).join(', ')}`);
  return { engine, before: s, ticket };
}

/** The model of an expiry of the analysed chain (the hedge's own, not the condor's). */
function modelOf(state: ReadyState, date: string) {
  const a = state.analysis!;
  return modelFor(
    a.expiries.find((e) => e.date === date)!,
    a.spot,
  )!;
}

/**
 * Independent value of one put of the given expiry on the synthetic chain's model (same smile the engine fits, r and
 * carry from it), `days` from now; past its expiry, its intrinsic value.
 */
function modelPut(state: ReadyState, expiry: string, strike: number, price: number, days: number) {
  const m = modelOf(state, expiry);
  const T = Math.max(m.years - days / 365, 0);
  if (T === 0) return Math.max(strike - price, 0);
  return blackPrice({
    kind: 'put',
    forward: price * Math.exp(m.carry * T),
    strike,
    years: T,
    vol: volAt(m.smile, strike),
    discount: Math.exp(-m.rate * T),
  });
}

describe('hedges the trader added count as part of the position', () => {
  test('a put debit spread: greeks, payoff, grid and max loss move by the spread; removing restores', async () => {
    const { engine, before, ticket } = await withSpread();
    expect(before.hedges).toEqual([]);
    expect(before.positionRisk).toBeNull();
    const curvesBefore = (await curvesAt(engine, { daysForward: 0, volShiftPoints: 0 }))!;
    const gridBefore = before.analysis!.grid!;

    const after = ready(await engine.addHedge(ticket));
    expect(after.hedges).toHaveLength(1);
    const h = after.hedges[0]!;
    const long = h.legs.find((l) => l.quantity > 0)!;
    const short = h.legs.find((l) => l.quantity < 0)!;
    expect(long.kind).toBe('put');
    expect(long.strike).toBeGreaterThan(short.strike);
    expect(long.quantity).toBe(ticket.quantity);
    expect(short.quantity).toBe(-ticket.quantity);
    // Entry at the natural price: buy at the ask, sell at the bid.
    const tl = ticket.legs.find((l) => l.ratio > 0)!;
    const ts = ticket.legs.find((l) => l.ratio < 0)!;
    expect(long.entryPrice).toBe(tl.ask);
    expect(short.entryPrice).toBe(ts.bid);
    const q = ticket.quantity;
    const entry = (long.entryPrice - short.entryPrice) * q * 100;

    // Greeks: the condor's plus the spread's own (BSM at the smile vol of each strike).
    const a = after.analysis!;
    // The spread is on a shorter expiry than the condor's (Layer One never trades the condor's own): its own model.
    expect(long.expiry).not.toBe(a.condor!.expiry);
    const m = modelOf(after, long.expiry);
    const legDelta = (k: number) =>
      bsmGreeks({
        kind: 'put',
        spot: m.underlying,
        strike: k,
        years: m.years,
        vol: volAt(m.smile, k),
        rate: m.rate,
        dividendYield: m.rate - m.carry,
      });
    const spreadDelta = (legDelta(long.strike).delta - legDelta(short.strike).delta) * q * 100;
    expect(spreadDelta).toBeLessThan(0);
    const r = after.positionRisk!;
    expect(r.greeks.deltaDollarsPerPoint).toBeCloseTo(a.condor!.greeks.deltaDollarsPerPoint + spreadDelta, 6);
    const spreadVega = (legDelta(long.strike).vegaPerVolPoint - legDelta(short.strike).vegaPerVolPoint) * q * 100;
    expect(r.greeks.vegaDollarsPerVolPoint).toBeCloseTo(a.condor!.greeks.vegaDollarsPerVolPoint + spreadVega, 6);
    expect(r.notes).toEqual([]);

    // The P/L curves at a downside price move by the spread's own value less what it cost.
    const curves = (await curvesAt(engine, { daysForward: 0, volShiftPoints: 0 }))!;
    const i = curves.at.prices.findIndex((p) => p > short.strike - 100);
    const p = curves.at.prices[i]!;
    expect(p).toBeLessThan(short.strike);
    const spreadNow =
      (modelPut(after, long.expiry, long.strike, p, 0) - modelPut(after, short.expiry, short.strike, p, 0)) * q * 100;
    expect(curves.at.pnlDollars[i]! - curvesBefore.at.pnlDollars[i]!).toBeCloseTo(spreadNow - entry, 6);
    // At expiry below both strikes the spread is worth its width.
    const width = (long.strike - short.strike) * q * 100;
    expect(curves.expiry.pnlDollars[i]! - curvesBefore.expiry.pnlDollars[i]!).toBeCloseTo(width - entry, 6);
    // Max loss at the condor's expiry: the upside keeps the condor's loss and adds what the spread cost; the
    // downside is cushioned by the spread's payoff where it overlaps the condor's put side.
    const c = a.condor!;
    const upside = (c.strikes[3] - c.strikes[2] - c.creditUsed) * 100 + entry;
    const putLoss = (c.strikes[1] - c.strikes[0] - c.creditUsed) * 100;
    const overlap = Math.max(0, Math.min(long.strike, c.strikes[1]) - Math.max(short.strike, c.strikes[0]));
    expect(r.maxLossDollars).toBeGreaterThanOrEqual(upside - 1e-6);
    expect(r.maxLossDollars).toBeCloseTo(Math.max(upside, putLoss + entry - overlap * q * 100), 6);
    expect(r.maxLossDollars).not.toBeCloseTo(c.maxLossDollars, 0);

    // The scenario grid: −10% now, no vol shift.
    const grid = a.grid!;
    const j = grid.moves.findIndex((x) => Math.abs(x + 0.1) < 1e-9);
    const row = grid.volShiftsPoints.indexOf(0);
    const S = a.spot! * 0.9;
    const spreadGrid =
      (modelPut(after, long.expiry, long.strike, S, 0) - modelPut(after, short.expiry, short.strike, S, 0)) * q * 100;
    expect(grid.pnlDollars[row]![j]! - gridBefore.pnlDollars[row]![j]!).toBeCloseTo(spreadGrid - entry, 6);

    // Saved with a snapshot: each leg, signed, with its entry price.
    const snap = (await engine.snapshotInput())!;
    expect(snap.hedges).toEqual(
      h.legs.map((l) => ({
        underlying: l.underlying,
        root: l.root,
        kind: l.kind,
        strike: l.strike,
        expiry: l.expiry,
        quantity: l.quantity,
        price: l.entryPrice,
      })),
    );

    // Removing it restores the condor alone.
    const removed = ready(await engine.removeHedge(h.id));
    expect(removed.hedges).toEqual([]);
    expect(removed.positionRisk).toBeNull();
    const curvesAfter = (await curvesAt(engine, { daysForward: 0, volShiftPoints: 0 }))!;
    expect(curvesAfter.at.pnlDollars).toEqual(curvesBefore.at.pnlDollars);
    expect(removed.analysis!.grid!.pnlDollars).toEqual(gridBefore.pnlDollars);
    expect((await engine.snapshotInput())!.hedges).toEqual([]);
  });

  test('VIX legs are left out of the SPX greeks and curves, and the position says so', async () => {
    const { engine, before, ticket } = await withSpread();
    const vixTicket = {
      ...ticket,
      id: 'vix-call',
      structure: 'vix-call' as const,
      quantity: 3,
      legs: [
        {
          ...ticket.legs[0]!,
          underlying: 'VIX',
          root: 'VIX',
          kind: 'call' as const,
          strike: 30,
          ratio: 1,
          bid: 1.2,
          ask: 1.3,
          mid: 1.25,
        },
      ],
    };
    const curvesBefore = (await curvesAt(engine, { daysForward: 0, volShiftPoints: 0 }))!;
    const s = ready(await engine.addHedge(vixTicket));
    expect(s.hedges[0]!.legs[0]!.entryPrice).toBe(1.3);
    expect(s.positionRisk!.notes[0]).toMatch(/VIX legs are left out/);
    expect(s.positionRisk!.greeks).toEqual(before.analysis!.condor!.greeks);
    const curves = (await curvesAt(engine, { daysForward: 0, volShiftPoints: 0 }))!;
    expect(curves.at.pnlDollars).toEqual(curvesBefore.at.pnlDollars);
    expect((await engine.snapshotInput())!.hedges?.[0]).toMatchObject({ underlying: 'VIX', quantity: 3, price: 1.3 });
  });
});
