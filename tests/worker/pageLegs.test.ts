/**
 * The positions a broker page lists, offered as the position (src/engine/session/pageOffer.ts) and used through the
 * engine: the legs come over the feed port as the content script sends them, the offer names what it would be and
 * what it leaves out, and "Use as my position" makes the condor (with its open credit) and the legs beside it the
 * session's position, hedges and journal.
 */
import { describe, expect, test } from 'vitest';
import { packChain } from '../../src/chain/patch';
import { createSession, type PageLegs } from '../../src/engine/session';
import { replayJournal } from '../../src/positions/journal';
import { createEngine, type ChainMeta, type EngineState } from '../../src/worker/engine';
import { meta, ready, syntheticChain } from '../helpers/workerChain';

const APR = '2026-04-17';
const leg = (
  strike: number,
  kind: 'put' | 'call',
  quantity: number,
  openPrice: number,
  row: number,
  expiry = APR,
  root = 'SPXW',
) => ({
  root,
  expiry,
  kind,
  strike,
  quantity,
  openPrice,
  row,
});

/** An iron condor ×2 on 2026-04-17, a put of the 2026-04-03 weekly beside it, a leg of an expiry the chain does not
 * list, one on another underlying, and a row the page could not read. */
const PAGE: PageLegs = {
  tables: 1,
  legs: [
    leg(6300, 'put', 2, 3.1, 1),
    leg(6400, 'put', -2, 5.4, 2),
    leg(6900, 'call', -2, 2.8, 3),
    leg(7000, 'call', 2, 1.05, 4),
    leg(6200, 'put', 1, 4.6, 5, '2026-04-03'),
    leg(6000, 'put', 1, 12.6, 6, '2026-05-15'),
    leg(560, 'put', 2, 5.2, 7, '2026-04-17', 'QQQ'),
  ],
  rejected: [{ row: 8, text: 'SPXW Apr 17 6500 Put · 1', reason: 'names no option' }],
};
// Credit per condor from the open prices: 5.40 + 2.80 − 3.10 − 1.05 = 4.05.
const CREDIT = 4.05;

async function until<T>(get: () => Promise<T>, ok: (v: T) => boolean, what: string, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await get();
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('through the engine and its feed port', () => {
  test('the legs sent on the feed are offered; using them makes the condor, the held leg and its journal entry', async () => {
    const engine = createEngine(undefined, () => new Date('2026-03-18T20:00:00Z'));
    const channel = new MessageChannel();
    await engine.attachFeed(channel.port2);
    channel.port1.postMessage({ kind: 'push', id: 1, ...packChain(syntheticChain({ weekly: true })), meta, layout: 1 });
    channel.port1.postMessage({ kind: 'legs', id: 2, legs: PAGE });
    const offered = ready(
      await until(
        () => engine.getState(),
        (s: EngineState) => s.status === 'ready' && Boolean(s.pageOffer),
        'the offer',
      ),
    );
    channel.port1.close();
    const offer = offered.pageOffer!;
    expect(offer).toEqual({
      underlying: 'SPX',
      positions: ['SPX 2026-04-03 long put', 'SPX 2026-04-17 iron condor'],
      legs: 5,
      condors: 1,
      condor: {
        expiry: APR,
        strikes: [6300, 6400, 6900, 7000],
        quantity: 2,
        credit: expect.closeTo(CREDIT, 9) as number,
      },
      besideLegs: 1,
      reason: null,
      notes: ['held beside it, from this page: SPX 2026-04-03 long put'],
      notUsed: [
        "SPX 2026-05-15 6000 put +1: 2026-05-15 is not an expiry of this page's chain",
        'QQQ 2026-04-17 560 put +2: another underlying than SPX',
      ],
      rejected: PAGE.rejected,
      inUse: false,
      replaces: { hedges: 0, journal: 0 },
    });
    // Offered, not used: the suggested condor stays until the trader says so.
    expect(offered.analysis!.condorSuggested).toBe(true);

    const used = ready(await engine.usePageLegs());
    expect(used.adjustmentError).toBeNull();
    expect(used.analysis!.condor!.strikes).toEqual([6300, 6400, 6900, 7000]);
    expect(used.analysis!.condor!.quantity).toBe(2);
    expect(used.analysis!.condor!.creditUsed).toBeCloseTo(CREDIT, 9);
    expect(used.expiry).toBe(APR);
    expect(used.hedges).toHaveLength(1);
    expect(used.hedges[0]!.legs).toEqual([
      {
        underlying: 'SPX',
        root: 'SPXW',
        kind: 'put',
        strike: 6200,
        expiry: '2026-04-03',
        quantity: 1,
        entryPrice: 4.6,
      },
    ]);
    // The held leg is opened in the journal at its open price: one open lot, nothing realised.
    expect(used.journal.map((e) => [e.action, e.hedgeId])).toEqual([['open', used.hedges[0]!.id]]);
    const book = replayJournal(used.journal);
    expect(book.open.map((l) => [l.quantity, l.price])).toEqual([[1, 4.6]]);
    expect(used.positionRisk!.hedgeCount).toBe(1);
    expect(used.pageOffer!.inUse).toBe(true);
  });
});

describe('the offer in the session', () => {
  const session = (legs: PageLegs | null) => {
    const s = createSession<ChainMeta>({ wallClock: () => new Date('2026-03-18T20:00:00Z') });
    s.setChain(syntheticChain({ weekly: true }), meta);
    s.setPageLegs(legs);
    return s;
  };

  test('what using it replaces is counted (the hedges and journal held), and replaced', () => {
    const s = session(PAGE);
    const at = '2026-03-18T20:00:00.000Z';
    const spread = [
      {
        underlying: 'SPX',
        root: 'SPXW',
        kind: 'put' as const,
        strike: 6300,
        expiry: '2026-04-03',
        quantity: 1,
        entryPrice: 9,
      },
      {
        underlying: 'SPX',
        root: 'SPXW',
        kind: 'put' as const,
        strike: 6250,
        expiry: '2026-04-03',
        quantity: -1,
        entryPrice: 7,
      },
    ];
    s.restoreAdjustments(
      [{ id: 'h1', ticketId: 'layer-one', structure: 'Put debit spread', quantity: 1, addedAt: at, legs: spread }],
      [{ id: 'j1', at, action: 'add', label: 'Put debit spread × 1', fills: [], hedgeId: 'h1' }],
    );
    expect(ready(s.recompute()).pageOffer!.replaces).toEqual({ hedges: 1, journal: 1 });
    s.usePageLegs();
    const after = ready(s.recompute());
    expect(after.hedges.map((h) => h.structure)).toEqual(['legs held beside the condor (this page)']);
    expect(after.hedges[0]!.id).toBe('h2'); // a new id: the journal's old entries never name it
    expect(after.journal.map((e) => e.action)).toEqual(['open']);
  });

  test('no legs on the page: no offer', () => {
    expect(ready(session(null).recompute()).pageOffer).toBeUndefined();
  });

  test('legs without a condor are shown with why they cannot be the position; using them changes nothing', () => {
    const s = session({ tables: 1, legs: [leg(6400, 'put', -1, 5.4, 1), leg(6300, 'put', 1, 3.1, 2)], rejected: [] });
    const offer = ready(s.recompute()).pageOffer!;
    expect(offer.condor).toBeNull();
    expect(offer.positions).toEqual(['SPX 2026-04-17 put vertical']);
    expect(offer.reason).toMatch(
      /^SPX 2026-04-17 put vertical holds no iron condor .*HedgeLens analyses a position around its iron condor$/,
    );
    s.usePageLegs();
    const after = ready(s.recompute());
    expect(after.adjustmentError).toMatch(/^Not used: SPX 2026-04-17 put vertical holds no iron condor/);
    expect(after.analysis!.condorSuggested).toBe(true);
    expect(after.hedges).toEqual([]);
  });

  test('only legs of other underlyings or expiries: named, nothing to use', () => {
    const s = session({ tables: 1, legs: [leg(560, 'put', 2, 5.2, 1, APR, 'QQQ')], rejected: [] });
    const offer = ready(s.recompute()).pageOffer!;
    expect(offer.legs).toBe(0);
    expect(offer.notUsed).toEqual(['QQQ 2026-04-17 560 put +2: another underlying than SPX']);
    expect(offer.reason).toBe("none of the page's legs is on SPX's expiries shown here");
  });

  test('two condors: the larger is the position, the other is held beside it, said so', () => {
    const s = session({
      tables: 1,
      legs: [
        ...PAGE.legs.slice(0, 4),
        leg(6250, 'put', 1, 2.1, 5, '2026-04-03'),
        leg(6350, 'put', -1, 3.9, 6, '2026-04-03'),
        leg(6850, 'call', -1, 1.7, 7, '2026-04-03'),
        leg(6950, 'call', 1, 0.6, 8, '2026-04-03'),
      ],
      rejected: [],
    });
    const offer = ready(s.recompute()).pageOffer!;
    expect(offer.condors).toBe(2);
    expect(offer.condor!.expiry).toBe(APR);
    expect(offer.besideLegs).toBe(4);
    expect(offer.notes[0]).toBe(
      '2 iron condors on SPX: SPX 2026-04-17 iron condor is the condor, the others are held beside it',
    );
  });
});
