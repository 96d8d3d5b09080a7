import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAdvanceDecline } from '../../../src/engine/alvh/breadth';
import { rsi } from '../../../src/engine/alvh/indicators';
import {
  planHedges,
  type HedgePlan,
  type HedgeTicket,
  type HeldHedge,
  type PlanInput,
} from '../../../src/engine/alvh/plan';
import { applyEdit, defaultRulebook, vxthAllocationPct, type Rulebook } from '../../../src/engine/alvh/rulebook';
import { analyzeChain, modelFor } from '../../../src/engine/analyze';
import { black76Greeks, bsmGreeks } from '../../../src/engine/pricing/black';
import { positionPnl } from '../../../src/engine/scenarios';
import { volShiftScale } from '../../../src/engine/leg';
import { volAt } from '../../../src/engine/smile';
import { FIXTURES_DIR } from '../../helpers/shared';
import { SCENE_AS_OF, authoredSpikeBars, sceneSpxChain, sceneVixChain } from '../../helpers/alvhScene';

const now = new Date(SCENE_AS_OF);
const chain = sceneSpxChain();
const vc = sceneVixChain();
const allBars = authoredSpikeBars();
/** History up to the second day of the authored spike; today's live VIX continues it. */
const spikeHistory = allBars.filter((b) => b.date <= '2024-03-28');
const calmHistory = allBars.filter((b) => b.date <= '2024-03-25');

function input(o: {
  strikes: [number, number, number, number];
  quantity?: number;
  vix: number;
  history: typeof allBars;
  rulebook?: Rulebook;
  account?: PlanInput['account'];
  withVixChain?: boolean;
}): PlanInput {
  const analysis = analyzeChain({
    chain,
    now,
    expiry: '2026-04-17',
    condor: { strikes: o.strikes, quantity: o.quantity ?? 2 },
  });
  return {
    analysis,
    chain,
    vix: { spot: o.vix, history: o.history },
    vixChain: o.withVixChain === false ? null : vc,
    rulebook: o.rulebook ?? defaultRulebook(),
    account: o.account ?? { sizeDollars: 500_000, buyingPowerDollars: 200_000 },
    now,
  };
}

/**
 * Independent repricing: each leg with the pricing engine's greeks functions (bsmGreeks for SPX on the smile,
 * black76Greeks for VIX on the shifted future), the condor with scenarios.positionPnl — not the plan's own code path.
 */
function independentCell(
  inp: PlanInput,
  tk: HedgeTicket,
  cell: { move: number; vixShiftPoints: number; horizonDays: number },
): { before: number; after: number } {
  const { move, vixShiftPoints: shift, horizonDays: h } = cell;
  const a = inp.analysis;
  const t = inp.rulebook.thresholds;
  const condor = a.condor!;
  const cm = modelFor(a.expiries[a.chosenExpiry!]!, a.spot)!;
  const before = positionPnl({
    model: cm,
    legs: { strikes: condor.strikes, quantity: condor.quantity, multiplier: 100, credit: condor.creditUsed },
    price: a.spot! * (1 + move),
    daysForward: h,
    volShiftPoints: shift,
  });
  const vix0 = inp.vix.spot!;
  let hedge = 0;
  for (const l of tk.legs) {
    let v: number;
    if (l.underlying === 'VIX') {
      // The future of the leg's expiry takes ratio^((days left / 30)^p) of the spot VIX change, its vol scales by
      // (VIX after / VIX now)^elasticity; at expiry, intrinsic.
      const left = l.years * 365 - h;
      const vixAfter = Math.max(vix0 + shift, 5);
      const share = Math.pow(t.vixFutureToSpotRatio, Math.pow(Math.max(left, 0) / 30, t.vixFutureTermExponent));
      const F = Math.max(l.future! + share * (vixAfter - vix0), 0.5);
      const vol = l.vol * Math.pow(vixAfter / vix0, t.vixOptionVolElasticity);
      v =
        left > 0
          ? black76Greeks({ kind: l.kind, forward: F, strike: l.strike, years: left / 365, vol, rate: 0 }).price
          : Math.max(l.kind === 'call' ? F - l.strike : l.strike - F, 0);
    } else {
      const e = a.expiries.find((x) => x.date === l.expiry)!;
      const m = modelFor(e, a.spot)!;
      const S = a.spot! * (1 + move);
      const years = m.years - h / 365;
      const vol = Math.max(volAt(m.smile, l.strike) + (shift / 100) * volShiftScale(m.years * 365), 0.01);
      v =
        years > 0
          ? bsmGreeks({
              kind: l.kind,
              spot: S,
              strike: l.strike,
              years,
              vol,
              rate: m.rate,
              dividendYield: m.rate - m.carry,
            }).price
          : Math.max(l.kind === 'call' ? S - l.strike : l.strike - S, 0);
    }
    // From the assumed fill (mid moved fillSpreadFraction of the half-spread toward the natural), less commissions.
    const half = 0.5 * ((l.ask ?? l.mid) - (l.bid ?? l.mid));
    const fill = l.mid + Math.sign(l.ratio) * t.fillSpreadFraction * half;
    hedge += (l.ratio * (v - fill) * 100 - Math.abs(l.ratio) * t.commissionPerContractDollars) * tk.quantity;
  }
  return { before, after: before + hedge };
}

function allFinite(x: unknown, path = 'plan'): void {
  if (typeof x === 'number') expect(Number.isFinite(x), path).toBe(true);
  else if (Array.isArray(x)) x.forEach((v, i) => allFinite(v, `${path}[${i}]`));
  else if (x && typeof x === 'object') for (const [k, v] of Object.entries(x)) allFinite(v, `${path}.${k}`);
}

function checkTicket(inp: PlanInput, plan: HedgePlan, tk: HedgeTicket): void {
  const t = inp.rulebook.thresholds;
  // 1. the claimed stress P/L is what independent repricing gives, cell by cell
  // (the Second Engine's "before" is the position Layer One leaves: there the hedge's own P/L is compared)
  for (const c of tk.stress.cells) {
    const ind = independentCell(inp, tk, c);
    if (tk.layer !== 'second-engine') expect(c.beforeDollars).toBeCloseTo(ind.before, 4);
    const own = c.afterDollars - c.beforeDollars;
    expect(Math.abs(own - (ind.after - ind.before)), `${tk.id} at move ${c.move}`).toBeLessThan(0.01);
  }
  // 2. it reduces the stress loss it claims (layer one and second engine: the worst loss)
  const worst = (xs: number[]) => Math.max(0, -Math.min(...xs));
  const indAfter = tk.stress.cells.map((c) => {
    const ind = independentCell(inp, tk, c);
    return c.beforeDollars + ind.after - ind.before;
  });
  const indBefore = tk.stress.cells.map((c) => independentCell(inp, tk, c).before);
  expect(worst(indAfter)).toBeCloseTo(tk.stress.worstAfter, 2);
  if (tk.layer === 'layer-one') expect(worst(indBefore)).toBeCloseTo(plan.baseline.worstLossDollars, 2);
  if (tk.layer === 'layer-one' || tk.layer === 'second-engine') {
    // It lowers the threatened side's worst loss (the side of the baseline's worst cell) on the position before it.
    const down = (plan.baseline.worstCell?.move ?? 0) <= 0;
    const side = (xs: number[]) =>
      worst(xs.filter((_, i) => (down ? tk.stress.cells[i]!.move <= 0 : tk.stress.cells[i]!.move >= 0)));
    const priorBefore = tk.stress.cells.map((c) => c.beforeDollars);
    expect(side(tk.stress.cells.map((c) => c.afterDollars)), tk.id).toBeLessThan(side(priorBefore));
  }
  // 3. every constraint holds, recomputed from the ticket's own numbers
  const account = inp.account!;
  const debit = Math.max(tk.fillDollars, 0);
  const bpLeft = account.buyingPowerDollars - tk.fillDollars - tk.marginDollars;
  const ratio = bpLeft / (inp.analysis.condor!.maxLossDollars + tk.marginDollars);
  expect(ratio).toBeGreaterThanOrEqual(t.liquidityRatioMin);
  expect(tk.constraints.liquidity.ratio).toBeCloseTo(ratio, 6);
  expect(debit).toBeLessThanOrEqual(
    Math.min(t.costMaxStdDevs * plan.baseline.sigmaDollars, plan.baseline.remainingProfitDollars) + 1e-6,
  );
  if (tk.layer === 'second-engine') {
    const fut = plan.vix.future?.future ?? null;
    const pct = fut === null ? 0 : vxthAllocationPct({ schedule: inp.rulebook.vxthSchedule, vixFuture: fut });
    if (tk.legs.some((l) => l.underlying === 'VIX'))
      expect(debit + tk.marginDollars).toBeLessThanOrEqual((pct / 100) * account.sizeDollars + 1e-6);
    expect(tk.constraints.vxth?.ok ?? true).toBe(true);
  }
  // 4. the ticket: OCC symbols, quantity, prices
  expect(tk.quantity).toBeGreaterThanOrEqual(1);
  for (const l of tk.legs) {
    expect(l.occ).toMatch(/^(SPXW {2}|VIX {3})\d{6}[CP]\d{8}$/);
    expect(l.bid!).toBeLessThanOrEqual(l.mid);
    expect(l.ask!).toBeGreaterThanOrEqual(l.mid);
  }
  expect(tk.naturalPerUnit).toBeGreaterThanOrEqual(tk.midPerUnit - 1e-9);
  // 5. WHY: names rules and numbers
  expect(tk.why.sentences.length).toBeGreaterThan(1);
  const text = tk.why.sentences.join(' ');
  expect(text).toMatch(/\d/);
  if (tk.layer === 'second-engine') expect(text).toMatch(/secondEngineStressCoverShare|VXTH/);
  if (tk.layer === 'layer-one') expect(text).toMatch(/layerOneDeltaBandPerContract/);
  for (const r of tk.why.rules) expect(r.sentence).toMatch(/\(|skipped/);
}

describe('planHedges: a VIX spike with a condor whose put side is threatened', () => {
  const rb = applyEdit(
    defaultRulebook(),
    { thresholds: { secondEngineStressLossPerRemainingProfit: 0.5 } },
    { at: '2026-03-01T00:00:00Z', note: 'test: lower the drift threshold' },
  );
  if (!rb.ok) throw new Error(rb.errors.join());
  const inp = input({ strikes: [6250, 6300, 6900, 6950], vix: 29.8, history: spikeHistory, rulebook: rb.rulebook });
  const plan = planHedges(inp);

  it('reaches the Second Engine and offers every layer', () => {
    expect(plan.stage).toBe('second-engine');
    const structures = plan.tickets.map((t) => t.structure);
    // The 1×2 backspread's valley at its own expiry (the grid values it there) can make it add loss: then it is
    // refused for that reason, never silently dropped.
    expect(
      structures.includes('put-backspread-1x2') ||
        plan.rejected.some((r) => r.structure === 'put-backspread-1x2' && /worst stress loss/.test(r.reason)),
    ).toBe(true);
    expect(structures).toEqual(
      expect.arrayContaining([
        'put-debit-spread',
        'call-credit-spread',
        'vix-call',
        'vix-call-spread',
        'synthetic-long-vix',
      ]),
    );
    // One step per layer is placed; the other candidates of the layer are alternatives, not placed with it.
    const se = plan.tickets.filter((t) => t.layer === 'second-engine');
    expect(se.filter((t) => t.active)).toHaveLength(1);
    for (const t of se.filter((x) => !x.active)) expect(t.why.sentences.join(' ')).toMatch(/An alternative to/);
    expect(plan.combined.steps.map((x) => x.layer)).toEqual(['layer-one', 'second-engine']);
    expect(plan.vix.future?.expiry).toBe('2026-04-15');
    expect(plan.vix.future?.future).toBeCloseTo(25, 0);
    expect(plan.disclaimer).toMatch(/not advice/);
  });

  it('every ticket, repriced independently, does what it claims and respects every constraint', () => {
    expect(plan.tickets.length).toBeGreaterThan(4);
    for (const tk of plan.tickets) checkTicket(inp, plan, tk);
  });

  it('the VIX legs sit on the one-month future (Black-76), the calls near 30 delta', () => {
    const call = plan.tickets.find((t) => t.structure === 'vix-call')!;
    expect(call.legs[0]!.future).toBeCloseTo(plan.vix.future!.future!, 9);
    const d = black76Greeks({
      kind: 'call',
      forward: call.legs[0]!.future!,
      strike: call.legs[0]!.strike,
      years: call.legs[0]!.years,
      vol: call.legs[0]!.vol,
      rate: 0,
    }).delta;
    expect(Math.abs(d - 0.3)).toBeLessThan(0.1);
    const syn = plan.tickets.find((t) => t.structure === 'synthetic-long-vix')!;
    expect(syn.legs.map((l) => [l.kind, l.ratio])).toEqual([
      ['call', 1],
      ['put', -1],
    ]);
    expect(syn.legs[0]!.strike).toBe(syn.legs[1]!.strike);
    expect(Math.abs(syn.midPerUnit)).toBeLessThan(1.5); // extrinsic values cancel: ≈ D·(F − K)
  });

  it('a small account binds the VXTH cap: smaller or no VIX tickets, with the reason', () => {
    const small = planHedges({ ...inp, account: { sizeDollars: 20_000, buyingPowerDollars: 200_000 } });
    const big = plan.tickets.find((t) => t.structure === 'vix-call')!;
    const s = small.tickets.find((t) => t.structure === 'vix-call');
    if (s) {
      expect(s.quantity).toBeLessThanOrEqual(big.quantity);
      expect(s.naturalDollars).toBeLessThanOrEqual(200 + 1e-9);
    }
    expect(small.rejected.some((r) => /VXTH cap/.test(r.reason))).toBe(true);
    for (const tk of small.tickets)
      checkTicket({ ...inp, account: { sizeDollars: 20_000, buyingPowerDollars: 200_000 } }, small, tk);
  });

  it('low buying power binds the liquidity ratio', () => {
    const acct = { sizeDollars: 500_000, buyingPowerDollars: 7_000 };
    const tight = planHedges({ ...inp, account: acct });
    expect(tight.rejected.some((r) => /quick ratio .* < 1\.2 \(liquidityRatioMin\)/.test(r.reason))).toBe(true);
    for (const tk of tight.tickets) checkTicket({ ...inp, account: acct }, tight, tk);
  });

  it('no NaN or Infinity anywhere in the plan', () => allFinite(plan));
});

describe('planHedges: other stages', () => {
  it('with the default drift threshold, the position criterion demotes the VIX-only Second Engine to Layer One, and says why', () => {
    const plan = planHedges(input({ strikes: [6250, 6300, 6900, 6950], vix: 29.8, history: spikeHistory }));
    expect(plan.stage).toBe('layer-one');
    const tr = plan.transitions.at(-1)!;
    expect(tr.sentence).toMatch(/position criterion is not met.*secondEngineStressLossPerRemainingProfit/);
    expect(plan.tickets.filter((t) => t.layer === 'second-engine').every((t) => !t.active)).toBe(true);
    // Layer One is the plan's one step: one active ticket, the others alternatives to it.
    expect(plan.tickets.filter((t) => t.layer === 'layer-one' && t.active)).toHaveLength(1);
    expect(plan.combined.steps.map((x) => x.layer)).toEqual(['layer-one']);
  });

  it('calm: nothing to do, the tickets are priced for reference only', () => {
    const plan = planHedges(input({ strikes: [6100, 6150, 7050, 7100], vix: 13.2, history: calmHistory }));
    expect(plan.stage).toBe('calm');
    expect(plan.notes.join(' ')).toMatch(/Calm: nothing to do/);
    expect(plan.tickets.every((t) => !t.active)).toBe(true);
    allFinite(plan);
  });

  it('time-shift when the short put is breached with time left', () => {
    const inp = input({ strikes: [6550, 6600, 6900, 6950], vix: 16, history: calmHistory });
    const plan = planHedges(inp);
    expect(plan.stage).toBe('time-shift');
    const ts = plan.tickets.filter((t) => t.layer === 'time-shift');
    expect(ts.length + plan.rejected.filter((r) => r.layer === 'time-shift').length).toBeGreaterThanOrEqual(3);
    for (const t of ts) {
      expect(t.active).toBe(true);
      checkTicket(inp, plan, t);
      expect(t.why.rules.map((r) => r.rule)).toContain('timeShiftBreachExpectedMoves');
    }
    const roll = plan.tickets.find((t) => t.structure === 'roll-out');
    if (roll) expect(roll.naturalPerUnit).toBeLessThan(0);
    else expect(plan.rejected.find((r) => r.structure === 'roll-out')?.reason).toMatch(/credit|market|expiry/);
  });

  it('without a VIX chain: no VIX tickets, and it says so', () => {
    const plan = planHedges(
      input({ strikes: [6250, 6300, 6900, 6950], vix: 29.8, history: spikeHistory, withVixChain: false }),
    );
    expect(plan.tickets.some((t) => t.legs.some((l) => l.underlying === 'VIX'))).toBe(false);
    expect(plan.rejected.find((r) => r.structure === 'vix-call')?.reason).toMatch(/no VIX option chain/);
    expect(plan.notes.join(' ')).toMatch(/no VIX option chain/);
  });

  it('without a condor: the stage from VIX alone, no tickets', () => {
    const analysis = analyzeChain({
      chain,
      now,
      expiry: '2026-04-17',
      condor: { strikes: [6250, 6300, 6900, 6950], quantity: 1 },
    });
    const plan = planHedges({
      ...input({ strikes: [6250, 6300, 6900, 6950], vix: 29.8, history: spikeHistory }),
      analysis,
      condor: null,
    });
    expect(plan.tickets).toEqual([]);
    expect(plan.notes.join(' ')).toMatch(/no condor/);
    expect(['layer-one', 'second-engine']).toContain(plan.stage);
  });

  it('is deterministic', () => {
    const a = planHedges(input({ strikes: [6250, 6300, 6900, 6950], vix: 29.8, history: spikeHistory }));
    const b = planHedges(input({ strikes: [6250, 6300, 6900, 6950], vix: 29.8, history: spikeHistory }));
    expect(a).toEqual(b);
  });
});

describe('planHedges: Layer One sized by the signal strength', () => {
  // A tight delta band (0) makes the full size more than one unit, so the scaling shows.
  const tight = applyEdit(
    defaultRulebook(),
    { thresholds: { layerOneDeltaBandPerContract: 0 } },
    { at: '2026-03-01T00:00:00Z', note: 'test: no delta band' },
  );
  if (!tight.ok) throw new Error(tight.errors.join());
  /** Ten days into the decay of the authored spike: RSI(14) of VIX in the 50s–60s, Layer One still on. */
  const history = allBars.filter((b) => b.date <= '2024-04-10');
  const at = (vix: number, extra: Partial<PlanInput> = {}) => {
    const inp = {
      ...input({ strikes: [6450, 6500, 7100, 7150], quantity: 40, vix, history, rulebook: tight.rulebook }),
      ...extra,
    };
    return { inp, plan: planHedges(inp) };
  };
  const l1 = (p: HedgePlan) => p.tickets.filter((t) => t.layer === 'layer-one');

  it('stronger VIX momentum (RSI(14)) gives at least the quantity, with the same full size', () => {
    const weak = at(24);
    const strong = at(33);
    expect(weak.plan.stage).toBe('layer-one');
    expect(strong.plan.stage).toBe('layer-one');
    const rw = weak.plan.signalStrength!.rsiLong!;
    const rs = strong.plan.signalStrength!.rsiLong!;
    expect(rs).toBeGreaterThan(rw);
    expect(strong.plan.signalStrength!.share).toBeGreaterThan(weak.plan.signalStrength!.share);
    let compared = 0;
    let strictly = 0;
    for (const w of l1(weak.plan)) {
      const s = l1(strong.plan).find((x) => x.structure === w.structure);
      if (!s || s.sizing!.fullQuantity !== w.sizing!.fullQuantity) continue;
      compared++;
      expect(s.quantity, w.structure).toBeGreaterThanOrEqual(w.quantity);
      if (s.quantity > w.quantity) strictly++;
    }
    expect(compared).toBeGreaterThan(0);
    expect(strictly).toBeGreaterThan(0); // the scaling is not vacuous on these inputs
  });

  it('the target is layerOneLossCoverShare × share × the downside worst loss, the share recomputed from RSI(14) of the closes, and the why names the rules', () => {
    const { inp, plan } = at(24);
    const t = inp.rulebook.thresholds;
    const closes = [...inp.vix.history.map((b) => b.close), inp.vix.spot!];
    const r = rsi({ values: closes, period: t.rsiLongPeriod }).at(-1)!;
    expect(plan.signalStrength!.rsiLong).toBeCloseTo(r, 9);
    const share =
      t.layerOneMinSizeShare +
      (1 - t.layerOneMinSizeShare) *
        Math.min(1, Math.max(0, (r - t.layerOneRsiLongWeak) / (t.layerOneRsiLongFull - t.layerOneRsiLongWeak)));
    expect(share).toBeLessThan(1);
    const scaled = l1(plan).filter((tk) => tk.sizing!.fullQuantity > 1);
    expect(scaled.length).toBeGreaterThan(0);
    for (const tk of l1(plan)) {
      expect(tk.sizing!.share).toBeCloseTo(share, 12);
      const down = tk.stress.cells.filter((c) => c.move <= 0).map((c) => c.beforeDollars);
      const sideWorst = Math.max(0, -Math.min(...down));
      expect(tk.sizing!.targetDollars).toBeCloseTo(t.layerOneLossCoverShare * share * sideWorst, 6);
      expect(tk.quantity).toBeLessThanOrEqual(tk.sizing!.fullQuantity);
      const text = tk.why.sentences.join(' ');
      expect(text).toMatch(/on the scale from layerOneRsiLongWeak 50 to layerOneRsiLongFull 70/);
      expect(text).toMatch(/layerOneMinSizeShare 0\.5/);
      expect(text).toContain(`the full target (share 1) takes ${tk.sizing!.fullQuantity}`);
      expect(text).toContain(r.toFixed(2).replace(/0+$/, '').replace(/\.$/, ''));
      expect(tk.why.rules.some((c) => c.rule === 'layerOneRsiLongFull')).toBe(true);
      checkTicket(inp, plan, tk); // the scaled ticket still reduces the stress loss and respects every constraint
    }
  });

  it('a breadth divergence in the advance–decline series gives at least the quantity, and says so', () => {
    const ad = parseAdvanceDecline({
      text: readFileSync(resolve(FIXTURES_DIR, 'vix', 'authored_advance_decline.csv'), 'utf8'),
    }).rows;
    const without = at(27);
    const withAd = at(27, { advanceDecline: ad });
    expect(withAd.plan.signalStrength!.breadth!.fired).toBe(true);
    expect(withAd.plan.signalStrength!.share).toBeGreaterThan(without.plan.signalStrength!.share);
    let strictly = 0;
    for (const w of l1(without.plan)) {
      const s = l1(withAd.plan).find((x) => x.structure === w.structure)!;
      expect(s.sizing!.targetDollars!).toBeGreaterThan(w.sizing!.targetDollars!); // a larger share of the same loss
      expect(s.quantity).toBeGreaterThanOrEqual(w.quantity);
      if (s.quantity > w.quantity) strictly++;
      expect(s.why.sentences.join(' ')).toMatch(
        /breadth divergence fired → \+0\.25 \(layerOneBreadthDivergenceBoost\)/,
      );
      expect(s.why.rules.map((c) => c.id)).toEqual(expect.arrayContaining(['breadth.nearHigh', 'breadth.adFalling']));
    }
    expect(strictly).toBeGreaterThan(0);
  });
});

describe('planHedges: Unwind closes held hedges layer by layer', () => {
  /** History up to the day before the authored spike's Unwind; today's live VIX 20.2 turns it (RSI(14) < 50). */
  const history = allBars.filter((b) => b.date < '2024-04-11');
  const held: HeldHedge[] = [
    // Layer One: a put debit spread on the 11-day expiry (layer inferred: ≤ layerOneMaxDays)
    { underlying: 'SPX', expiry: '2026-03-27', kind: 'put', strike: 6300, quantity: 2, entryPrice: 21.4 },
    { underlying: 'SPX', expiry: '2026-03-27', kind: 'put', strike: 6250, quantity: -2, entryPrice: 14.1 },
    // Second Engine: VIX calls (inferred) and an SPX long put one month out (given)
    { underlying: 'VIX', expiry: '2026-04-15', kind: 'call', strike: 30, quantity: 6, entryPrice: 1.35 },
    {
      underlying: 'SPX',
      expiry: '2026-04-17',
      kind: 'put',
      strike: 6100,
      quantity: 3,
      entryPrice: 40,
      layer: 'second-engine',
    },
  ];
  const inp: PlanInput = {
    ...input({ strikes: [6250, 6300, 6900, 6950], vix: 20.2, history }),
    heldHedges: held,
  };
  const plan = planHedges(inp);
  const unwinds = plan.tickets.filter((t) => t.layer === 'unwind');
  const t = inp.rulebook.thresholds;
  const a = inp.analysis;
  const vix0 = inp.vix.spot!;

  /** A held leg's value per share in a cell, independently (pricing engine), and its greeks. */
  function heldValue(
    h: HeldHedge,
    leg: HedgeTicket['legs'][number],
    move: number,
    shift: number,
    days: number,
  ): number {
    if (h.underlying === 'VIX') {
      const left = leg.years * 365 - days;
      const share = Math.pow(t.vixFutureToSpotRatio, Math.pow(Math.max(left, 0) / 30, t.vixFutureTermExponent));
      const vixAfter = Math.max(vix0 + shift, 5);
      const F = Math.max(leg.future! + share * (vixAfter - vix0), 0.5);
      const vol = leg.vol * Math.pow(vixAfter / vix0, t.vixOptionVolElasticity);
      if (!(left > 0)) return Math.max(h.kind === 'call' ? F - h.strike : h.strike - F, 0);
      return black76Greeks({ kind: h.kind, forward: F, strike: h.strike, years: left / 365, vol, rate: 0 }).price;
    }
    const m = modelFor(
      a.expiries.find((x) => x.date === h.expiry)!,
      a.spot,
    )!;
    const vol = Math.max(volAt(m.smile, h.strike) + (shift / 100) * volShiftScale(m.years * 365), 0.01);
    const S = a.spot! * (1 + move);
    if (!(m.years - days / 365 > 0)) return Math.max(h.kind === 'call' ? S - h.strike : h.strike - S, 0);
    return bsmGreeks({
      kind: h.kind,
      spot: S,
      strike: h.strike,
      years: m.years - days / 365,
      vol,
      rate: m.rate,
      dividendYield: m.rate - m.carry,
    }).price;
  }
  function condorPnl(move: number, shift: number, days: number): number {
    const condor = a.condor!;
    return positionPnl({
      model: modelFor(a.expiries[a.chosenExpiry!]!, a.spot)!,
      legs: { strikes: condor.strikes, quantity: condor.quantity, multiplier: 100, credit: condor.creditUsed },
      price: a.spot! * (1 + move),
      daysForward: days,
      volShiftPoints: shift,
    });
  }
  const legOf = (h: HeldHedge): HedgeTicket['legs'][number] =>
    unwinds
      .flatMap((u) => u.legs)
      .find((l) => l.underlying === h.underlying && l.strike === h.strike && l.expiry === h.expiry)!;
  const layerOf = (h: HeldHedge) =>
    h.underlying === 'VIX' || h.layer === 'second-engine' ? 'second-engine' : 'layer-one';

  it('is the Unwind stage, with one close ticket per layer: the Second Engine first, then Layer One', () => {
    expect(plan.stage).toBe('unwind');
    expect(unwinds.map((u) => u.unwind!.layer)).toEqual(['second-engine', 'layer-one']);
    expect(unwinds.map((u) => u.unwind!.order)).toEqual([1, 2]);
    expect(plan.tickets.slice(0, 2)).toEqual(unwinds); // the closes lead the plan
    expect(unwinds.every((u) => u.active)).toBe(true);
    // new Layer One hedges are for reference only while unwinding
    expect(plan.tickets.filter((x) => x.layer === 'layer-one').every((x) => !x.active)).toBe(true);
    // each closes exactly its layer's legs, with the opposite sign
    for (const u of unwinds) {
      const mine = held.filter((h) => layerOf(h) === u.unwind!.layer);
      expect(u.legs).toHaveLength(mine.length);
      for (const h of mine) {
        const l = u.legs.find((x) => x.strike === h.strike && x.expiry === h.expiry)!;
        expect(l.ratio * u.quantity).toBe(-h.quantity);
      }
    }
  });

  it('each close, repriced independently, matches its claimed stress P/L, greeks, hedge P/L and prices', () => {
    let remaining = held.slice();
    for (const u of unwinds) {
      const closing = remaining.filter((h) => layerOf(h) === u.unwind!.layer);
      for (const c of u.stress.cells) {
        const heldPnl = (hs: HeldHedge[]) =>
          hs.reduce(
            (s, h) =>
              s + h.quantity * (heldValue(h, legOf(h), c.move, c.vixShiftPoints, c.horizonDays) - h.entryPrice) * 100,
            0,
          );
        const before = condorPnl(c.move, c.vixShiftPoints, c.horizonDays) + heldPnl(remaining);
        // closed at the assumed fill (a long leg sells below the mid, a short one buys above it), less commissions
        const locked = closing.reduce((s, h) => {
          const l = legOf(h);
          const fill = l.mid - Math.sign(h.quantity) * t.fillSpreadFraction * 0.5 * (l.ask! - l.bid!);
          return s + h.quantity * (fill - h.entryPrice) * 100 - Math.abs(h.quantity) * t.commissionPerContractDollars;
        }, 0);
        const after = before - heldPnl(closing) + locked;
        expect(Math.abs(c.beforeDollars - before), `${u.id} before at ${c.move}`).toBeLessThan(0.01);
        expect(Math.abs(c.afterDollars - after), `${u.id} after at ${c.move}`).toBeLessThan(0.01);
      }
      const worst = (xs: number[]) => Math.max(0, -Math.min(...xs));
      expect(u.stress.worstBefore).toBeCloseTo(worst(u.stress.cells.map((c) => c.beforeDollars)), 6);
      expect(u.stress.worstAfter).toBeCloseTo(worst(u.stress.cells.map((c) => c.afterDollars)), 6);
      // greeks: closing takes the layer's own greeks off (SPX legs: BSM delta/gamma on the smile)
      let dDelta = 0;
      let dGamma = 0;
      for (const h of closing) {
        if (h.underlying === 'VIX') {
          const l = legOf(h);
          const g = black76Greeks({
            kind: h.kind,
            forward: l.future!,
            strike: h.strike,
            years: l.years,
            vol: l.vol,
            rate: 0,
          });
          // the future of the leg's term takes ratio^((days / 30)^p) of a spot VIX move
          const share = Math.pow(t.vixFutureToSpotRatio, Math.pow((l.years * 365) / 30, t.vixFutureTermExponent));
          dDelta -= h.quantity * g.delta * ((share * vix0 * t.vixBetaPerSpxPct) / a.spot!) * 100;
        } else {
          const m = modelFor(
            a.expiries.find((x) => x.date === h.expiry)!,
            a.spot,
          )!;
          const g = bsmGreeks({
            kind: h.kind,
            spot: a.spot!,
            strike: h.strike,
            years: m.years,
            vol: volAt(m.smile, h.strike),
            rate: m.rate,
            dividendYield: m.rate - m.carry,
          });
          dDelta -= h.quantity * g.delta * 100;
          dGamma -= h.quantity * g.gamma * 100;
        }
      }
      expect(u.greeksAfter.deltaDollarsPerPoint - u.greeksBefore.deltaDollarsPerPoint).toBeCloseTo(dDelta, 6);
      expect(u.greeksAfter.gammaDollarsPerPoint - u.greeksBefore.gammaDollarsPerPoint).toBeCloseTo(dGamma, 9);
      // hedge P/L = (exit − entry) × quantity × 100, exits from the chains' own quotes
      let pnlMid = 0;
      let pnlNat = 0;
      for (const h of closing) {
        let bid: number;
        let ask: number;
        if (h.underlying === 'VIX') {
          const row = vc.expiries.find((e) => e.date === h.expiry)!.rows.find((r) => r.strike === h.strike)!;
          [bid, ask] = [row[h.kind]!.bid!, row[h.kind]!.ask!];
        } else {
          const row = chain.expiries.find((e) => e.date === h.expiry)!.rows.find((r) => r.strike === h.strike)!;
          [bid, ask] = [row[h.kind]!.bid!, row[h.kind]!.ask!];
        }
        const mid = (bid + ask) / 2;
        const nat = h.quantity > 0 ? bid : ask;
        pnlMid += (mid - h.entryPrice) * h.quantity * 100;
        pnlNat += (nat - h.entryPrice) * h.quantity * 100;
        const d = u.unwind!.legs.find((x) => x.occ === legOf(h).occ)!;
        expect(d.exitMid).toBeCloseTo(mid, 9);
        expect(d.exitNatural).toBeCloseTo(nat, 9);
      }
      expect(u.unwind!.pnlMidDollars).toBeCloseTo(pnlMid, 6);
      expect(u.unwind!.pnlNaturalDollars).toBeCloseTo(pnlNat, 6);
      expect(u.unwind!.pnlNaturalDollars).toBeLessThanOrEqual(u.unwind!.pnlMidDollars + 1e-9);
      // the ticket's own price: closing longs is a credit (negative), natural no better than mid
      expect(u.midDollars).toBeCloseTo(-closing.reduce((s, h) => s + h.quantity * legOf(h).mid, 0) * 100, 6);
      expect(u.naturalPerUnit).toBeGreaterThanOrEqual(u.midPerUnit - 1e-9);
      remaining = remaining.filter((h) => !closing.includes(h));
    }
    expect(remaining).toEqual([]);
  });

  it('the why names the unwind rules that fired and the P/L', () => {
    for (const u of unwinds) {
      const text = u.why.sentences.join(' ');
      expect(text).toMatch(new RegExp(`Unwind step ${u.unwind!.order} of 2`));
      expect(text).toMatch(/unwindHistogramFallingBars/);
      expect(text).toMatch(/unwindRsiLongBelow\): fired/);
      expect(text).toMatch(/entry \d+\.\d\d → exit mid \d+\.\d\d/);
      expect(text).toMatch(/P\/L on the hedge/);
      expect(u.why.rules.filter((r) => r.fired).map((r) => r.rule)).toEqual(
        expect.arrayContaining(['unwindHistogramFallingBars', 'unwindRsiLongBelow']),
      );
    }
    expect(unwinds[0]!.why.sentences.join(' ')).toMatch(/layer inferred: a VIX leg/);
    expect(unwinds[1]!.why.sentences.join(' ')).toMatch(/layer inferred: expiry vs layerOneMaxDays 21/);
    allFinite(plan);
  });

  it('a held leg that cannot be priced keeps its whole layer (no piecemeal close), with the reason', () => {
    const odd = planHedges({
      ...inp,
      heldHedges: [
        ...held,
        { underlying: 'SPX', expiry: '2026-03-27', kind: 'put', strike: 6301, quantity: 1, entryPrice: 5 },
      ],
    });
    const u = odd.tickets.filter((x) => x.layer === 'unwind');
    expect(u.map((x) => x.unwind!.layer)).toEqual(['second-engine']);
    expect(odd.rejected.map((r) => r.reason).join(' ')).toMatch(/held SPX 6301 put 2026-03-27: no two-sided quote/);
    expect(odd.rejected.map((r) => r.reason).join(' ')).toMatch(/layer-one: a held leg cannot be priced/);
  });

  it('outside Unwind, held hedges are kept: no close tickets, and a note says why', () => {
    const p = planHedges({ ...inp, vix: { spot: 29.8, history: spikeHistory } });
    expect(p.stage).not.toBe('unwind');
    expect(p.tickets.some((x) => x.layer === 'unwind')).toBe(false);
    expect(p.notes.join(' ')).toMatch(/Held hedges \(4 legs\): kept — the stage is/);
  });
});
