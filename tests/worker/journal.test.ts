/**
 * The adjustment journal through the engine: a hedge added from a ticket is recorded with its fill (the natural price
 * or the trader's), closing it realises the P/L at the chain's natural price, a bad fill is refused with nothing
 * changed, and a stored position comes back whole.
 */
import { describe, expect, test } from 'vitest';
import { createEngine, type PositionInput } from '../../src/worker/engine';
import { actionOfStructure, journalPnl, netPerUnit } from '../../src/positions/journal';
import { meta, ready, syntheticChain } from '../helpers/workerChain';

async function withSpread() {
  const engine = createEngine(undefined, () => new Date('2026-03-18T19:00:00Z'));
  const chain = syntheticChain({ weekly: true });
  await engine.setChain(chain, meta);
  await engine.setPosition({ kind: 'text', text: '6400/6450/6800/6850 @ 4.10' });
  const s = ready(await engine.setManualVix(28, 16.18));
  const ticket = s.plan!.tickets.find((t) => t.structure === 'put-debit-spread')!;
  return { engine, chain, ticket };
}

describe('the adjustment journal', () => {
  test('a time-shift roll taken from the plan is journalled as a roll; conversions as conversions, hedges as adds', async () => {
    const { engine } = await withSpread();
    const s = ready(await engine.getState());
    const roll = s.plan!.tickets.find((t) => t.layer === 'time-shift' && t.structure.startsWith('roll-'));
    expect(roll, 'the plan at VIX 28 offers a roll of the untested side').toBeDefined();
    const taken = ready(await engine.addHedge(roll!));
    expect(taken.journal.map((e) => [e.action, e.label])).toEqual([['roll', `${roll!.structure} × ${roll!.quantity}`]]);
    expect(taken.journal[0]!.fills.length).toBe(roll!.legs.length);
    const each = ['roll-out', 'roll-down-and-out', 'roll-up-and-out', 'roll-untested-in', 'roll-wing-in'];
    expect(each.map(actionOfStructure)).toEqual(['roll', 'roll', 'roll', 'roll', 'roll']);
    expect(['butterfly-conversion', 'broken-wing-conversion'].map(actionOfStructure)).toEqual(['convert', 'convert']);
    expect(['put-debit-spread', 'vix-call', 'spx-long-put', 'unwind'].map(actionOfStructure)).toEqual([
      'add',
      'add',
      'add',
      'add',
    ]);
  });

  test('an add is recorded at the natural price; a close at the chain natural price realises the P/L', async () => {
    const { engine, chain, ticket } = await withSpread();
    const added = ready(await engine.addHedge(ticket));
    expect(added.journal).toHaveLength(1);
    const e = added.journal[0]!;
    expect(e).toMatchObject({ id: 'j1', action: 'add', hedgeId: 'h1', at: '2026-03-18T19:00:00.000Z' });
    const long = ticket.legs.find((l) => l.ratio > 0)!;
    const short = ticket.legs.find((l) => l.ratio < 0)!;
    const fillOf = (k: number) => e.fills.find((f) => f.asset === 'option' && f.strike === k)!;
    expect([fillOf(long.strike).quantity, fillOf(long.strike).openPrice]).toEqual([
      ticket.quantity * long.ratio,
      long.ask,
    ]);
    expect([fillOf(short.strike).quantity, fillOf(short.strike).openPrice]).toEqual([
      ticket.quantity * short.ratio,
      short.bid,
    ]);
    expect(netPerUnit(e.fills, ticket.quantity)).toBeCloseTo(long.ask! - short.bid!, 9);

    const closed = ready(await engine.closeHedge('h1'));
    expect(closed.hedges).toEqual([]);
    expect(closed.adjustmentError).toBeNull();
    const c = closed.journal[1]!;
    expect(c.action).toBe('close');
    // Closing sells the long put at its bid and buys the short one at its ask, read here from the chain itself.
    const exp = chain.expiries.find((x) => x.date === long.expiry)!;
    const quote = (k: number) => exp.rows.find((r) => r.strike === k)!.put!;
    const q = ticket.quantity;
    const realised =
      q * (quote(long.strike).bid! - long.ask!) * 100 - q * (quote(short.strike).ask! - short.bid!) * 100;
    const pnl = journalPnl(closed.journal, () => null);
    expect(pnl.realisedDollars).toBeCloseTo(realised, 6);
    expect(pnl.unrealisedDollars).toBe(0);
    expect(pnl.entries[0]!.realisedDollars).toBeCloseTo(realised, 6);
  });

  test('the fill the trader enters is kept; one below zero is refused and changes nothing', async () => {
    const { engine, ticket } = await withSpread();
    const refused = ready(await engine.addHedge(ticket, -500));
    expect(refused.hedges).toEqual([]);
    expect(refused.journal).toEqual([]);
    expect(refused.adjustmentError).toMatch(/^Not added: a fill of -500\.00 would price the .* below zero\.$/);
    const natural = ticket.legs.reduce((s, l) => s + l.ratio * (l.ratio > 0 ? l.ask! : l.bid!), 0);
    const s = ready(await engine.addHedge(ticket, natural + 0.3));
    expect(s.adjustmentError).toBeNull();
    expect(netPerUnit(s.journal[0]!.fills, ticket.quantity)).toBeCloseTo(natural + 0.3, 6);
    expect(
      netPerUnit(
        s.hedges[0]!.legs.map((l) => ({
          asset: 'shares',
          symbol: 'x',
          multiplier: 1,
          quantity: l.quantity,
          openPrice: l.entryPrice,
        })),
        ticket.quantity,
      ),
    ).toBeCloseTo(natural + 0.3, 6);
    // Closing at a net received the trader entered.
    const c = ready(await engine.closeHedge(s.hedges[0]!.id, 1.25));
    expect(netPerUnit(c.journal[1]!.fills, ticket.quantity)).toBeCloseTo(-1.25, 6);
    const pnl = journalPnl(c.journal, () => null);
    expect(pnl.realisedDollars).toBeCloseTo((1.25 - (natural + 0.3)) * ticket.quantity * 100, 6);
  });

  test('a hedge removed as a mistake leaves no journal entry; a stored position is restored whole', async () => {
    const { engine, ticket } = await withSpread();
    const two = ready(await engine.addHedge(ticket));
    ready(await engine.addHedge(ticket));
    const removed = ready(await engine.removeHedge('h2'));
    expect(removed.journal.map((e) => e.hedgeId)).toEqual(['h1']);

    const other = createEngine();
    await other.setChain(syntheticChain({ weekly: true }), meta);
    const back = ready(
      await other.restorePosition({
        position: { kind: 'strikes', strikes: [6400, 6450, 6800, 6850], quantity: 1, credit: 4.1 },
        expiry: two.expiry,
        hedges: removed.hedges,
        journal: removed.journal,
      }),
    );
    expect(back.hedges).toEqual(removed.hedges);
    expect(back.journal).toEqual(removed.journal);
    expect(back.analysis!.condor!.strikes).toEqual([6400, 6450, 6800, 6850]);
    expect(back.positionRisk).not.toBeNull();
    // The next hedge does not reuse a restored id.
    const more = ready(await other.addHedge(ticket));
    expect(more.hedges.map((h) => h.id)).toEqual(['h1', 'h2']); // h2 was removed with its entry: free again
    expect(more.journal.map((e) => e.id)).toEqual(['j1', 'j2']);
  });

  test('a stored position read while the trader enters a condor does not overwrite it', async () => {
    const engine = createEngine();
    const first = ready(await engine.setChain(syntheticChain({ weekly: true }), meta));
    expect(first.position.kind).toBe('suggested');
    const typed = { kind: 'text' as const, text: '6300/6350/6900/6950 x3 @ 4.20' };
    // The trader sets a condor while the frame is still reading storage...
    ready(await engine.setPosition(typed));
    // ...which then answers with an older position, judged against the state the frame saw first.
    const stored: PositionInput = { kind: 'strikes', strikes: [6400, 6450, 6800, 6850], quantity: 1, credit: 4.1 };
    const restoreOver = async (over: PositionInput) =>
      ready(await engine.restorePosition({ position: stored, expiry: first.expiry, hedges: [], journal: [], over }));
    const after = await restoreOver(first.position);
    expect(after.position).toEqual(typed);
    expect(after.analysis!.condor!.strikes).toEqual([6300, 6350, 6900, 6950]);
    // Judged against the state as it is, the same restore applies.
    const restored = await restoreOver(after.position);
    expect(restored.analysis!.condor!.strikes).toEqual([6400, 6450, 6800, 6850]);
  });

  test('a close without a quote for a leg asks for the fill', async () => {
    const { engine, ticket } = await withSpread();
    const s = ready(await engine.addHedge(ticket));
    const gone = { ...s.hedges[0]!, legs: s.hedges[0]!.legs.map((l) => ({ ...l, strike: l.strike + 0.5 })) };
    const r = ready(
      await engine.restorePosition({ position: s.position, expiry: s.expiry, hedges: [gone], journal: s.journal }),
    );
    const c = ready(await engine.closeHedge(r.hedges[0]!.id));
    expect(c.adjustmentError).toMatch(/has no quote on this page; enter the fill\.$/);
    expect(c.hedges).toHaveLength(1);
  });
});
