/**
 * The backtest's plan question (backtest/ask.ts) is the live session's: its plan-only mode (SessionInputs.planOnly)
 * the fits kept for frozen rows (engine/rowsMemo.ts) and the layers asked for (PlanInput.layers) are speed only. On
 * real days of the 1990–2026 run the plan — stage, tickets, checks, every figure — is the same with them and without
 * them, held hedges or none (a layer not asked for is absent, the others unchanged); so are the structures asked
 * for (PlanInput.structures). Needs
 * ../shared (skipped with a message without it).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defaultRulebook } from '../../src/engine/alvh/rulebook';
import { prepareVixSignals } from '../../src/engine/alvh/signalCache';
import { backtestSession, type Held } from '../../src/engine/backtest/ask';
import { runCondorBook } from '../../src/engine/backtest/book';
import { buildMarket, PRESETS } from '../../src/engine/backtest';
import { vixExpiriesAfter } from '../../src/engine/backtest/calendar';
import {
  closeInstant,
  dayChains,
  rowMemo,
  spxExpiriesFor,
  spxModelChain,
  type DayChains,
} from '../../src/engine/backtest/modelChain';
import { analyzeChain } from '../../src/engine/analyze';
import { chainVix } from '../../src/engine/session/vixCheck';
import {
  LAYER_ONE_STRUCTURES,
  SECOND_ENGINE_STRUCTURES,
  type HedgePlan,
  type Layer,
  type Structure,
} from '../../src/engine/alvh/plan';
import type { ReadyState } from '../../src/engine/session';
import { sharedFile } from '../helpers/shared';

const spxPath = sharedFile('data/spx/SPX_History.csv');
const vixPath = sharedFile('data/vix/VIX_History.csv');
/** Crisis days (the condor open there is already lost: the plan prices hedges and takes none). */
const CRISES = ['2008-10-10', '2020-03-16', '2018-02-05'];
/** Days the 1990–2026 run took a ticket: Layer One, the Second Engine (a VIX call spread, a synthetic future, a put). */
const TICKETS = ['2020-02-24', '2018-03-22', '2018-10-24', '2008-09-09'];
/** Days of Unwind in the run: the hedges held are closed. */
const UNWIND = ['2018-03-26', '2020-06-22'];
const DAYS = [...CRISES, ...TICKETS, ...UNWIND];

describe.skipIf(!spxPath || !vixPath)('the backtest plan question: plan only and kept fits change nothing', () => {
  const market = buildMarket({
    spx: { name: spxPath!, text: readFileSync(spxPath!, 'utf8') },
    vix: { name: vixPath!, text: readFileSync(vixPath!, 'utf8') },
  });
  const rulebook = defaultRulebook();
  const t = rulebook.thresholds;
  const book = runCondorBook(market.days, PRESETS.cndr, {
    fillFraction: t.fillSpreadFraction,
    commissionPerContract: t.commissionPerContractDollars,
  });
  const cache = prepareVixSignals({ points: market.vixBars, thresholds: t });
  const barIndex = new Map(market.vixBars.map((b, i) => [b.date, i]));

  /** The same chains as copies: not frozen, so nothing derived from them is kept. */
  const unfrozen = (c: DayChains): DayChains => ({
    ...c,
    spx: (e, s) => structuredClone(c.spx(e, s)),
    vix: (s) => structuredClone(c.vix(s)),
  });

  const ask = (
    date: string,
    held: Held[],
    chains: DayChains,
    planOnly: boolean,
    layers?: readonly Layer[],
    layerOneDeclined = false,
    size: { quantity?: number; equity?: number } = {},
    structures?: readonly Structure[],
  ): ReadyState => {
    const i = market.days.findIndex((d) => d.date === date);
    const trade = book.trades[book.openAt[i]!]!;
    const state = backtestSession({
      chains,
      trade,
      quantity: size.quantity ?? 3,
      rulebook,
      vixHistory: market.vixBars.slice(0, barIndex.get(date)! + 1),
      vixSignalCache: cache,
      equity: size.equity ?? 250_000,
      held,
      planOnly,
      ...(layers ? { layers } : {}),
      ...(layerOneDeclined ? { layerOneDeclined } : {}),
      ...(structures ? { structures } : {}),
    }).recompute();
    if (state.status !== 'ready') throw new Error(`no state on ${date}`);
    return state;
  };

  /** A VIX call and an SPX put held, as a strategy holds them after a spike. */
  const heldOn = (date: string): Held[] => {
    const day = market.days.find((d) => d.date === date)!;
    const trade = book.trades[book.openAt[market.days.indexOf(day)]!]!;
    const vixExpiry = vixExpiriesAfter(date, 1)[0]!;
    return [
      {
        under: 'VIX',
        kind: 'call',
        strike: Math.round(day.vix) + 5,
        expiry: vixExpiry,
        qty: 20,
        entry: 2.5,
        layer: 'second-engine',
      },
      {
        under: 'SPX',
        kind: 'put',
        strike: trade.strikes[0] - 50,
        expiry: trade.expiry,
        qty: 2,
        entry: 8,
        layer: 'layer-one',
      },
    ];
  };

  for (const date of DAYS) {
    it(`${date}: a condor is open on the day (the question is asked)`, () => {
      const i = market.days.findIndex((d) => d.date === date);
      expect(i).toBeGreaterThan(0);
      expect(book.openAt[i]).toBeGreaterThanOrEqual(0);
    });

    for (const withHeld of [false, true]) {
      it(`${date}${withHeld ? ', hedges held' : ''}: the plan is the same in full and plan-only, frozen or not`, () => {
        const held = withHeld ? heldOn(date) : [];
        const day = market.days.find((d) => d.date === date)!;
        const full = ask(date, held, unfrozen(dayChains(day)), false);
        const shared = dayChains(day);
        const lean = ask(date, held, shared, true);
        // Asked again on the same day's chains: the fits kept from the first question are used.
        const again = ask(date, held, shared, true);
        expect(full.plan).not.toBeNull();
        if (TICKETS.includes(date)) expect(full.plan!.tickets.filter((x) => x.active).length).toBeGreaterThan(0);
        if (UNWIND.includes(date) && withHeld) expect(full.plan!.tickets.some((x) => x.layer === 'unwind')).toBe(true);
        // Plan-only leaves out the chain's own VIX index (the history closes the day, so it does not stand for the
        // VIX) and with it the plan's one line comparing it with the VIX (a model chain is priced from that VIX):
        // that line is the only difference.
        expect(full.chainVix).not.toBeNull();
        expect(lean.chainVix).toBeNull();
        const ofIndex = (x: string) => /this chain/.test(x);
        const withoutIndex = (p: NonNullable<ReadyState['plan']>) => ({
          ...p,
          notes: p.notes.filter((x) => !ofIndex(x)),
          warnings: p.warnings.filter((x) => !ofIndex(x)),
        });
        expect([...full.plan!.notes, ...full.plan!.warnings].filter(ofIndex)).toHaveLength(1);
        expect([...lean.plan!.notes, ...lean.plan!.warnings].filter(ofIndex)).toEqual([]);
        expect(lean.plan).toEqual(withoutIndex(full.plan!));
        expect(again.plan).toEqual(lean.plan);
        // The switch is live: the panels' extras are computed in full and left out in plan-only.
        expect(full.management).not.toBeNull();
        expect(full.curves).not.toBeNull();
        expect(full.analysis!.grid).not.toBeNull();
        expect(lean.planOnly).toBe(true);
        expect(lean.management).toBeNull();
        expect(lean.curves).toBeNull();
        expect(lean.analysis!.grid).toBeNull();
        expect(lean.analysis!.condor).toEqual(full.analysis!.condor);
      });
    }
  }

  it("plan-only still works the chain's index out where it stands for the VIX: a history without the day's close", () => {
    const date = TICKETS[0]!;
    const i = market.days.findIndex((d) => d.date === date);
    const day = market.days[i]!;
    const askBefore = (planOnly: boolean, chains: DayChains): ReadyState => {
      const state = backtestSession({
        chains,
        trade: book.trades[book.openAt[i]!]!,
        quantity: 3,
        rulebook,
        vixHistory: market.vixBars.slice(0, barIndex.get(date)!), // up to the session before
        vixSignalCache: cache,
        equity: 250_000,
        held: [],
        planOnly,
      }).recompute();
      if (state.status !== 'ready') throw new Error(`no state on ${date}`);
      return state;
    };
    const full = askBefore(false, unfrozen(dayChains(day)));
    const lean = askBefore(true, dayChains(day));
    expect(lean.chainVix).toEqual(full.chainVix);
    expect(lean.chainVix?.usable).toBe(true);
    expect(lean.plan!.notes.some((x) => x.startsWith("VIX from this chain's"))).toBe(true);
    expect(lean.plan).toEqual(full.plan);
  });

  // run.ts answers a question that reads no layer (asked for the plan's stage only) with the stage of another
  // strategy's plan of the day: the stage must not depend on what differs between strategies' questions.
  it('the plan’s stage is the same whatever the layers, hedges held, account and number of condors', () => {
    const stages = new Set<string>();
    for (const date of DAYS) {
      const day = market.days.find((d) => d.date === date)!;
      const chains = dayChains(day);
      const base = ask(date, [], chains, true).plan!.stage;
      stages.add(base);
      const variants: [Held[], readonly Layer[] | undefined, boolean, { quantity?: number; equity?: number }][] = [
        [[], [], false, { quantity: 1 }],
        [heldOn(date), ['unwind'], false, { quantity: 17, equity: 2_000_000 }],
        [[], ['layer-one'], false, { quantity: 7, equity: 40_000 }],
        [heldOn(date), ['second-engine'], true, { quantity: 2, equity: 130_000 }],
        [[], ['time-shift'], false, { quantity: 40, equity: 9_000_000 }],
      ];
      for (const [held, layers, declined, size] of variants)
        expect([date, ask(date, held, chains, true, layers, declined, size).plan!.stage]).toEqual([date, base]);
    }
    // Not one stage everywhere: the days cover several.
    expect(stages.size).toBeGreaterThan(1);
  });

  // PlanInput.layers: the backtest prices only the layer a strategy reads that day. The stage, the checks, the
  // baseline and every ticket and step of a priced layer are those of the full plan; the others are absent.
  const ASKED: { layers: Layer[]; declined: boolean; priced: Layer[] }[] = [
    { layers: [], declined: false, priced: [] },
    { layers: ['unwind'], declined: false, priced: ['unwind'] },
    { layers: ['layer-one'], declined: false, priced: ['layer-one'] },
    // The Second Engine is sized on what Layer One leaves: Layer One is priced with it.
    { layers: ['second-engine'], declined: false, priced: ['layer-one', 'second-engine'] },
    { layers: ['second-engine'], declined: true, priced: ['second-engine'] },
    { layers: ['time-shift'], declined: false, priced: ['time-shift'] },
  ];
  const ORDER = ['layer-one', 'second-engine', 'time-shift', 'unwind'] as const;
  for (const { layers, declined, priced } of ASKED) {
    it(`layers [${layers.join(', ')}]${declined ? ', Layer One declined' : ''}: on every day the priced layers are the full plan's`, () => {
      let compared = 0;
      for (const date of [...TICKETS, ...UNWIND]) {
        const held = heldOn(date);
        const day = market.days.find((d) => d.date === date)!;
        const full = ask(date, held, dayChains(day), true, undefined, declined).plan!;
        const part = ask(date, held, dayChains(day), true, layers, declined).plan!;
        expect(part.stage).toBe(full.stage);
        expect(part.checks).toEqual(full.checks);
        expect(part.transitions).toEqual(full.transitions);
        expect(part.baseline).toEqual(full.baseline);
        const of = (plan: typeof full, layer: Layer) => plan.tickets.filter((x) => x.layer === layer);
        for (const layer of ORDER) {
          if (priced.includes(layer)) {
            expect(of(part, layer)).toEqual(of(full, layer));
            compared += of(full, layer).length;
          } else expect(of(part, layer)).toEqual([]);
        }
        // The plan's steps: the same tickets; the running figures too where every earlier layer is priced.
        const steps = full.combined.steps.filter((x) => priced.includes(x.layer));
        expect(part.combined.steps.map((x) => [x.ticketId, x.costDollars])).toEqual(
          steps.map((x) => [x.ticketId, x.costDollars]),
        );
        const whole = ORDER.slice(0, priced.length).every((x) => priced.includes(x));
        if (whole) expect(part.combined.steps).toEqual(steps);
        const left = ORDER.filter((x) => !priced.includes(x));
        if (left.length > 0) expect(part.notes).toContain(`Not priced on this request: ${left.join(', ')}.`);
      }
      // Not an empty comparison: the priced layers had tickets on these days.
      if (priced.length > 0) expect(compared).toBeGreaterThan(0);
    });
  }

  // PlanInput.structures: a strategy that reads one structure's ticket (VIX calls first: the Second Engine's VIX call;
  // SPX puts only: the Second Engine's index put) prices that structure alone. Each ticket priced is the full plan's
  // but for whether it is its layer's step (chosen among the tickets priced); Layer One stays whole when the Second
  // Engine is sized on it.
  const CASES: { layers: Layer[]; declined: boolean; structures: Structure[]; priced: (x: Structure) => boolean }[] = [
    // VIX calls first: Layer One declined, the VIX call alone.
    { layers: ['second-engine'], declined: true, structures: ['vix-call'], priced: (x) => x === 'vix-call' },
    // SPX puts only, in the Second Engine stage: the index put, on what the whole of Layer One leaves.
    {
      layers: ['second-engine'],
      declined: false,
      structures: ['spx-long-put'],
      priced: (x) => x === 'spx-long-put' || LAYER_ONE_STRUCTURES.has(x),
    },
    // Layer One's put spreads alone (no strategy asks this: SPX puts only reads Layer One's step).
    {
      layers: ['layer-one'],
      declined: false,
      structures: ['put-debit-spread', 'put-backspread-1x2', 'put-credit-spread'],
      priced: (x) => x.startsWith('put-'),
    },
  ];
  /** A ticket but for whether it is its layer's step (the flag, and the sentence combinePlan adds to say it is not). */
  const stepless = (tickets: HedgePlan['tickets']) =>
    tickets
      .map(({ active: _, why, ...x }) => ({
        ...x,
        why: {
          ...why,
          sentences: why.sentences.filter(
            (w) => !w.startsWith('An alternative to ') && w !== 'Not placed: no step of this layer is.',
          ),
        },
      }))
      .sort((a, b) => a.id.localeCompare(b.id));
  for (const { layers, declined, structures, priced } of CASES)
    it(`[${layers.join(', ')}]${declined ? ', Layer One declined' : ''}, structures ${structures.join(', ')}: the full plan's tickets of those, no others`, () => {
      let compared = 0;
      for (const date of [...TICKETS, '2008-10-10', '2020-03-16']) {
        const day = market.days.find((d) => d.date === date)!;
        const full = ask(date, [], dayChains(day), true, layers, declined).plan!;
        const part = ask(date, [], dayChains(day), true, layers, declined, {}, structures).plan!;
        expect(part.stage).toBe(full.stage);
        expect(part.baseline).toEqual(full.baseline);
        const wanted = full.tickets.filter((x) => priced(x.structure));
        expect(stepless(part.tickets)).toEqual(stepless(wanted));
        compared += wanted.length;
        // Not priced, so not rejected either: what was rejected is of the structures priced.
        expect(part.rejected).toEqual(full.rejected.filter((x) => priced(x.structure)));
        const left = [...LAYER_ONE_STRUCTURES, ...SECOND_ENGINE_STRUCTURES].filter((x) => !priced(x));
        expect(part.notes).toContain(`Structures not priced on this request: ${left.join(', ')}.`);
      }
      expect(compared).toBeGreaterThan(0);
    });
});

/** A day of the March 2020 crash, its market as the backtest's model reads it. */
const MARCH_2020 = {
  date: '2020-03-10',
  spx: 2882,
  vix: 47.3,
  vix9d: null,
  vix3m: null,
  vvix: null,
  skew: null,
  rate: 0.005,
};

describe('what is kept with a frozen model chain (analyze.ts, vixCheck.ts)', () => {
  it('gives the plan-only analysis once per input, equal to that of the same chain unfrozen', () => {
    const day = MARCH_2020;
    const expiry = '2020-04-17';
    const chain = spxModelChain(day, spxExpiriesFor(day.date, [expiry]), new Map(), rowMemo());
    const now = closeInstant(day.date);
    const ask = (quantity: number, c = chain) =>
      analyzeChain({ chain: c, now, expiry, planOnly: true, condor: { strikes: [2400, 2550, 3150, 3300], quantity } });
    const first = ask(3);
    expect(ask(3)).toBe(first);
    expect(ask(4)).not.toBe(first);
    expect(ask(4).condor?.quantity).toBe(4);
    const unfrozen = JSON.parse(JSON.stringify(chain)) as typeof chain;
    expect(JSON.stringify(ask(3, unfrozen))).toBe(JSON.stringify(first));
    expect(chainVix(chain, now, 0.005)).toBe(chainVix(chain, now, 0.005));
    expect(JSON.stringify(chainVix(unfrozen, now, 0.005))).toBe(JSON.stringify(chainVix(chain, now, 0.005)));
  });
});

describe("a day's model chains with the row memo (modelChain.ts)", () => {
  const day = MARCH_2020;
  const expiry = '2020-04-17';
  const expiries = spxExpiriesFor(day.date, [expiry]);
  const plain = (strikes: Map<string, number[]>) => JSON.stringify(spxModelChain(day, expiries, strikes));

  it('lists the same strikes and quotes as a chain made without it, held strikes added in order', () => {
    const memo = rowMemo();
    // Off the grid (3157.5), on it (whatever the grid's first strike is), repeated, and out of order.
    const grid = spxModelChain(day, expiries, new Map(), memo).expiries.find((e) => e.date === expiry)!.rows;
    const onGrid = grid[3]!.strike;
    const asks = [new Map(), new Map([[expiry, [3157.5, onGrid, 3157.5, 1000]]]), new Map([[expiry, [onGrid]]])];
    for (const strikes of asks)
      expect(JSON.stringify(spxModelChain(day, expiries, strikes, memo))).toBe(plain(strikes));
    const added = spxModelChain(day, expiries, asks[1]!, memo).expiries.find((e) => e.date === expiry)!.rows;
    const ks = added.map((r) => r.strike);
    expect(ks).toEqual([...ks].sort((a, b) => a - b));
    expect(new Set(ks).size).toBe(ks.length);
    expect(ks).toContain(3157.5);
    expect(ks).toContain(1000);
    expect(ks.length).toBe(grid.length + 2);
  });

  it('gives the same rows to chains listing the same strikes, and other rows to other strikes', () => {
    const memo = rowMemo();
    const rowsOf = (strikes: Map<string, number[]>) =>
      spxModelChain(day, expiries, strikes, memo).expiries.find((e) => e.date === expiry)!.rows;
    const grid = rowsOf(new Map());
    // A strike already on the grid lists nothing more: the grid's own rows.
    expect(rowsOf(new Map([[expiry, [grid[5]!.strike]]]))).toBe(grid);
    const held = rowsOf(new Map([[expiry, [3157.5]]]));
    expect(held).not.toBe(grid);
    expect(rowsOf(new Map([[expiry, [3157.5, 3157.5]]]))).toBe(held);
    // The grid's rows are the same row objects in both lists.
    expect(held.filter((r) => r.strike !== 3157.5).every((r, i) => r === grid[i])).toBe(true);
    expect(Object.isFrozen(held)).toBe(true);
  });
});
