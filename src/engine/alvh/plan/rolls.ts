/**
 * Time-shifting (DESIGN §3): move the condor's spreads in time and strike, or turn the losing one into a debit
 * structure. Every candidate trades the whole condor quantity and is measured on the plan's stress grid; its "why"
 * states the net debit or credit at the plan's one assumed fill and the threatened side's worst loss before/after.
 *
 *  - roll-out: the threatened spread to a later expiry, same strikes, only for a credit at the natural price;
 *  - roll-down-and-out (puts) / roll-up-and-out (calls): the threatened spread to a later expiry, its short strike
 *    moved away from the money to the listed strike nearest timeShiftRollTargetDelta, same width; for a credit or a
 *    debit of at most timeShiftRollMaxDebitPerCredit × the condor's credit per spread;
 *  - roll-untested-in: the untested spread moved nearer the money (its short strike nearest
 *    timeShiftRollInTargetDelta, still out of the money), same expiry and width, only for a credit;
 *  - roll-wing-in: the threatened side's long wing moved timeShiftWingRollShare of the width toward the short strike
 *    (a narrower spread, a smaller max loss) for a debit;
 *  - butterfly / broken-wing conversion: buy the spread on the other side of the short strike.
 * A roll is placed only when it lowers the threatened side's worst stress loss and passes the constraints.
 */
import type { Expiry, OptionKind } from '../../../chain/types';
import { legGreeksPerShare } from '../../leg';
import type { RuleCheck } from '../stages';
import type { PlanEnv } from './base';
import { constraintReason, feasible } from './constraints';
import { evaluate, ticketSideWorst } from './evaluate';
import { money } from './format';
import { listedStrikes, nearest, spxLeg } from './legs';
import type { HedgeLeg, HedgeTicket, Structure } from './types';
import { MULT } from './value';

interface RollSetup {
  env: PlanEnv;
  active: boolean;
  rules: RuleCheck[];
  /** The threatened side's option kind and its spread (short, long) on the condor's expiry. */
  kind: OptionKind;
  kShort: number;
  kLong: number;
  cur: Expiry | undefined;
  /** The expiries at least timeShiftRollMinExtraDays after the condor's, in date order. */
  laters: Expiry[];
}

/** The sentences every roll ends with: the debit or credit at the assumed fill, and its effect on the grid. */
function rollFacts(tk: HedgeTicket, down: boolean): string[] {
  const per = tk.fillPerUnit;
  const what = tk.fillDollars < 0 ? 'credit' : 'debit'; // net of commissions, like the dollar figure
  const threatened = down ? 'downside' : 'upside';
  const other = down ? 'upside' : 'downside';
  return [
    `Net ${what} ${money(Math.abs(tk.fillDollars))} at the assumed fill for ${tk.quantity} (${Math.abs(per).toFixed(2)} per spread; mid ${tk.midPerUnit.toFixed(2)}, natural ${tk.naturalPerUnit.toFixed(2)}; commissions ${money(tk.commissionDollars)} included).`,
    `On the plan's grid: the ${threatened} worst loss ${money(ticketSideWorst(tk, down, 'beforeDollars'))} → ${money(ticketSideWorst(tk, down, 'afterDollars'))}; the ${other} ${money(ticketSideWorst(tk, !down, 'beforeDollars'))} → ${money(ticketSideWorst(tk, !down, 'afterDollars'))}; over the whole grid ${money(tk.stress.worstBefore)} → ${money(tk.stress.worstAfter)}.`,
  ];
}

/** One roll to measure: its legs per condor unit, its margin, its "why" and a reason of its own to refuse it. */
interface RollCandidate {
  structure: Structure;
  legs: (HedgeLeg | null)[];
  /** Margin per unit of the new position, and the margin released by what it closes (dollars, whole quantity). */
  margin: { perUnit: number; released: number };
  sentences: string[];
  refuse: (tk: HedgeTicket) => string | null;
}

/**
 * Measure one roll. `refuse`: a reason of the roll's own to refuse the ticket (null: none); then the constraints,
 * then its effect on the threatened side. `reason` null: the roll may be placed.
 */
function measureRoll(s: RollSetup, c: RollCandidate): { tk: HedgeTicket | null; reason: string | null } {
  const { structure, legs, margin, sentences, refuse } = c;
  const { base, side } = s.env;
  if (legs.some((l) => l === null)) return { tk: null, reason: 'a leg has no two-sided market' };
  const tk = evaluate({
    base,
    layer: 'time-shift',
    structure,
    legs: legs as HedgeLeg[],
    quantity: base.condor.quantity,
    marginPerUnit: margin.perUnit,
    releasedMarginDollars: margin.released,
    secondEngine: false,
    active: s.active,
    rules: s.rules,
    sentences: [...sentences, ...s.rules.map((c) => c.sentence)],
  });
  if (!tk) return { tk: null, reason: 'no market' };
  tk.why.sentences.push(...rollFacts(tk, side.downside));
  const own = refuse(tk);
  const lowers =
    ticketSideWorst(tk, side.downside, 'afterDollars') < ticketSideWorst(tk, side.downside, 'beforeDollars') - 1e-6;
  const reason =
    own ??
    (!feasible(tk)
      ? constraintReason(tk)
      : !lowers
        ? "it does not lower the threatened side's worst stress loss"
        : null);
  return { tk, reason };
}

/** Measure one roll and add it (or its rejection). */
function placeRoll(s: RollSetup, c: RollCandidate): void {
  const { tk, reason } = measureRoll(s, c);
  if (tk && reason === null) s.env.tickets.push(tk);
  else s.env.rejected.push({ layer: 'time-shift', structure: c.structure, reason: reason ?? 'no market' });
}

/** The four legs of a spread roll per condor unit: buy back `from`'s short, sell its long; sell `to`'s short, buy its long. */
function spreadRoll(
  s: RollSetup,
  kind: OptionKind,
  from: { e: Expiry; short: number; long: number },
  to: { e: Expiry; short: number; long: number },
): (HedgeLeg | null)[] {
  const { ctx } = s.env.base;
  const sym = s.env.symbol;
  return [
    spxLeg(ctx, from.e, sym, kind, from.short, 1),
    spxLeg(ctx, from.e, sym, kind, from.long, -1),
    spxLeg(ctx, to.e, sym, kind, to.short, -1),
    spxLeg(ctx, to.e, sym, kind, to.long, 1),
  ];
}

/** |delta| of a listed option on an expiry's model (null without a model). */
function absDelta(s: RollSetup, e: Expiry, kind: OptionKind, strike: number): number | null {
  const m = s.env.base.ctx.models.get(e.date);
  const g = m ? legGreeksPerShare({ kind, strike, model: m }) : null;
  return g ? Math.abs(g.delta) : null;
}

/** The strike of `strikes` whose |delta| on `e` is nearest `target`. */
function strikeNearDelta(s: RollSetup, e: Expiry, kind: OptionKind, strikes: number[], target: number): number | null {
  let best: number | null = null;
  let gap = Infinity;
  for (const k of strikes) {
    const d = absDelta(s, e, kind, k);
    if (d === null) continue;
    if (Math.abs(d - target) < gap) {
      gap = Math.abs(d - target);
      best = k;
    }
  }
  return best;
}

/** The same-strike roll out in time, for a credit at the natural price only. */
function rollOut(s: RollSetup): void {
  const { env, cur, kind, kShort, kLong } = s;
  const later = s.laters[0];
  const { base } = env;
  const { condor } = base;
  const t = base.rulebook.thresholds;
  if (!later || !cur) {
    env.rejected.push({
      layer: 'time-shift',
      structure: 'roll-out',
      reason: `no later expiry at least ${t.timeShiftRollMinExtraDays} days after the condor's (timeShiftRollMinExtraDays)`,
    });
    return;
  }
  const legs = [
    ...spreadRoll(s, kind, { e: cur, short: kShort, long: kLong }, { e: later, short: kShort, long: kLong }),
  ];
  if (legs.some((l) => l === null)) {
    env.rejected.push({ layer: 'time-shift', structure: 'roll-out', reason: 'a leg has no two-sided market' });
    return;
  }
  const w = Math.abs(kShort - kLong) * MULT;
  const tk = evaluate({
    base,
    layer: 'time-shift',
    structure: 'roll-out',
    legs: legs as HedgeLeg[],
    quantity: condor.quantity,
    marginPerUnit: w,
    releasedMarginDollars: w * condor.quantity,
    secondEngine: false,
    active: s.active,
    rules: s.rules,
    sentences: [
      `Roll the threatened ${kind} spread ${kShort}/${kLong} from ${condor.expiry} to ${later.date}, same strikes.`,
      ...s.rules.map((c) => c.sentence),
    ],
  });
  if (tk) tk.why.sentences.push(...rollFacts(tk, env.side.downside));
  if (tk && tk.naturalPerUnit < 0 && feasible(tk)) env.tickets.push(tk);
  else
    env.rejected.push({
      layer: 'time-shift',
      structure: 'roll-out',
      reason: tk
        ? tk.naturalPerUnit >= 0
          ? `no credit: the roll costs ${tk.naturalPerUnit.toFixed(2)} at the natural price`
          : constraintReason(tk)
        : 'no market',
    });
}

/**
 * The threatened spread to a later expiry with its strikes moved away from the money, same width: tried on each of
 * the first timeShiftRollExpiriesTried later expiries in date order (the nearest with a liquid market wins).
 */
function rollAwayAndOut(s: RollSetup): void {
  const { env, laters } = s;
  const structure: Structure = env.side.downside ? 'roll-down-and-out' : 'roll-up-and-out';
  if (!s.cur || laters.length === 0) {
    env.rejected.push({
      layer: 'time-shift',
      structure,
      reason: 'no later expiry to roll to (timeShiftRollMinExtraDays)',
    });
    return;
  }
  const reasons: string[] = [];
  for (const later of laters.slice(0, env.base.rulebook.thresholds.timeShiftRollExpiriesTried)) {
    const r = awayAndOutOn(s, s.cur, later, structure);
    if (r.tk && r.reason === null) {
      env.tickets.push(r.tk);
      return;
    }
    reasons.push(`${later.date}: ${r.reason ?? 'no market'}`);
  }
  env.rejected.push({ layer: 'time-shift', structure, reason: reasons.join('; ') });
}

function awayAndOutOn(
  s: RollSetup,
  cur: Expiry,
  later: Expiry,
  structure: Structure,
): { tk: HedgeTicket | null; reason: string | null } {
  const { env, kind, kShort, kLong } = s;
  const { base, side } = env;
  const { condor } = base;
  const t = base.rulebook.thresholds;
  const width = Math.abs(kShort - kLong);
  const listed = listedStrikes(base.ctx, later, kind);
  const away = listed.filter((k) => (side.downside ? k < kShort : k > kShort));
  const newShort = strikeNearDelta(s, later, kind, away, t.timeShiftRollTargetDelta);
  const newLong = newShort === null ? null : nearest(listed, newShort + (side.downside ? -width : width), 'any');
  if (newShort === null || newLong === null || newLong === newShort)
    return { tk: null, reason: `no listed strikes beyond ${kShort}` };
  const maxDebit = t.timeShiftRollMaxDebitPerCredit * condor.creditUsed;
  const delta = absDelta(s, later, kind, newShort) ?? 0;
  return measureRoll(s, {
    structure: structure,
    legs: spreadRoll(s, kind, { e: cur, short: kShort, long: kLong }, { e: later, short: newShort, long: newLong }),
    margin: { perUnit: Math.abs(newShort - newLong) * MULT, released: width * MULT * condor.quantity },
    sentences: [
      `Roll the threatened ${kind} spread ${kShort}/${kLong} ${side.downside ? 'down' : 'up'} and out: close it on ${condor.expiry}, open ${newShort}/${newLong} on ${later.date} (short strike at |delta| ${delta.toFixed(2)} ≈ timeShiftRollTargetDelta ${t.timeShiftRollTargetDelta}). More time and strikes further from the money give the trade room to recover; the roll may cost at most timeShiftRollMaxDebitPerCredit ${t.timeShiftRollMaxDebitPerCredit} × the credit ${condor.creditUsed.toFixed(2)} = ${maxDebit.toFixed(2)} per spread.`,
    ],
    refuse: (tk) =>
      tk.fillPerUnit > maxDebit + 1e-9
        ? `the roll costs ${tk.fillPerUnit.toFixed(2)} per spread at the assumed fill > ${maxDebit.toFixed(2)} (timeShiftRollMaxDebitPerCredit × the credit)`
        : null,
  });
}

/** The untested spread moved nearer the money for a credit (same expiry, same width). */
function rollUntestedIn(s: RollSetup): void {
  const { env, cur } = s;
  const { base, side } = env;
  const { condor, ctx } = base;
  const t = base.rulebook.thresholds;
  const structure: Structure = 'roll-untested-in';
  if (!cur) return;
  const kind: OptionKind = side.downside ? 'call' : 'put';
  const [kS, kL] = side.downside ? [condor.strikes[2], condor.strikes[3]] : [condor.strikes[1], condor.strikes[0]];
  const width = Math.abs(kS - kL);
  const listed = listedStrikes(ctx, cur, kind);
  // nearer the money than the old short, still out of the money
  const inner = listed.filter((k) => (side.downside ? k < kS && k > ctx.spot : k > kS && k < ctx.spot));
  const newShort = strikeNearDelta(s, cur, kind, inner, t.timeShiftRollInTargetDelta);
  const newLong = newShort === null ? null : nearest(listed, newShort + (side.downside ? width : -width), 'any');
  if (newShort === null || newLong === null || newLong === newShort) {
    env.rejected.push({
      layer: 'time-shift',
      structure,
      reason: `no listed ${kind} strike between the spot and ${kS}`,
    });
    return;
  }
  const delta = absDelta(s, cur, kind, newShort) ?? 0;
  placeRoll(s, {
    structure: structure,
    legs: spreadRoll(s, kind, { e: cur, short: kS, long: kL }, { e: cur, short: newShort, long: newLong }),
    margin: { perUnit: Math.abs(newShort - newLong) * MULT, released: width * MULT * condor.quantity },
    sentences: [
      `Roll the untested ${kind} spread ${kS}/${kL} in to ${newShort}/${newLong} (${condor.expiry}; short strike at |delta| ${delta.toFixed(2)} ≈ timeShiftRollInTargetDelta ${t.timeShiftRollInTargetDelta}): the credit it collects offsets part of the threatened side's loss; it adds risk on the ${side.downside ? 'upside' : 'downside'}, shown below.`,
    ],
    refuse: (tk) =>
      tk.fillPerUnit < 0 ? null : `no credit: it costs ${tk.fillPerUnit.toFixed(2)} per spread at the assumed fill`,
  });
}

/** The threatened side's long wing moved toward the short strike: a narrower spread, a smaller max loss. */
function rollWingIn(s: RollSetup): void {
  const { env, cur, kind, kShort, kLong } = s;
  const { base, symbol, side } = env;
  const { condor, ctx } = base;
  const t = base.rulebook.thresholds;
  const structure: Structure = 'roll-wing-in';
  if (!cur) return;
  const width = Math.abs(kShort - kLong);
  const between = listedStrikes(ctx, cur, kind).filter((k) =>
    side.downside ? k > kLong && k < kShort : k < kLong && k > kShort,
  );
  const newLong = nearest(between, kLong + (side.downside ? 1 : -1) * t.timeShiftWingRollShare * width, 'any');
  if (newLong === null) {
    env.rejected.push({
      layer: 'time-shift',
      structure,
      reason: `no listed ${kind} strike between ${kLong} and ${kShort}`,
    });
    return;
  }
  const narrower = Math.abs(kShort - newLong);
  placeRoll(s, {
    structure: structure,
    legs: [spxLeg(ctx, cur, symbol, kind, kLong, -1), spxLeg(ctx, cur, symbol, kind, newLong, 1)],
    margin: { perUnit: 0, released: (width - narrower) * MULT * condor.quantity },
    sentences: [
      `Roll the outer ${kind} wing in: sell the long ${kLong}, buy the ${newLong} (${condor.expiry}; timeShiftWingRollShare ${t.timeShiftWingRollShare} of the ${width}-point width): the spread narrows to ${narrower} points, so its max loss falls by ${money((width - narrower) * MULT * condor.quantity)} for the debit below.`,
    ],
    refuse: () => null,
  });
}

/** Butterfly and broken-wing conversions: buy the spread on the other side of the short strike. */
function conversions(s: RollSetup): void {
  const { env, cur, kind, kShort, kLong } = s;
  const { base, symbol, side } = env;
  const { ctx } = base;
  if (!cur) return;
  const sk = listedStrikes(ctx, cur, kind);
  const w = Math.abs(kShort - kLong);
  for (const [structure, wing] of [
    ['butterfly-conversion', w],
    ['broken-wing-conversion', w / 2],
  ] as const) {
    const kUp = nearest(sk, kShort + (side.downside ? 1 : -1) * wing, 'any');
    if (kUp === null || kUp === kShort) continue;
    placeRoll(s, {
      structure,
      legs: [spxLeg(ctx, cur, symbol, kind, kUp, 1), spxLeg(ctx, cur, symbol, kind, kShort, -1)],
      margin: { perUnit: 0, released: 0 },
      sentences: [
        `Turn the ${kind} spread ${kShort}/${kLong} into a ${structure === 'butterfly-conversion' ? 'butterfly' : 'broken-wing butterfly'} ${kUp}/${kShort}×2/${kLong}: buy ${kUp}, sell another ${kShort}; it profits if the underlying reverts toward ${kShort}.`,
      ],
      refuse: (tk) => (tk.stress.worstAfter > tk.stress.worstBefore + 1e-6 ? 'it adds stress loss' : null),
    });
  }
}

/** The time-shift tickets, added to env.tickets (rejections to env.rejected). */
export function timeShiftTickets(p: { env: PlanEnv; active: boolean }): void {
  const { env } = p;
  const { base, side, chain } = env;
  const { condor, ctx } = base;
  const t = base.rulebook.thresholds;
  const laters = chain.expiries
    .filter(
      (e) =>
        ctx.models.has(e.date) &&
        e.date > condor.expiry &&
        ctx.models.get(e.date)!.years * 365 - condor.daysToExpiry >= t.timeShiftRollMinExtraDays,
    )
    .sort((a, b) => a.date.localeCompare(b.date));
  const [kShort, kLong] = side.downside
    ? [condor.strikes[1], condor.strikes[0]]
    : [condor.strikes[2], condor.strikes[3]];
  const s: RollSetup = {
    env,
    active: p.active,
    rules: env.checks('timeShift'),
    kind: side.downside ? 'put' : 'call',
    kShort,
    kLong,
    cur: chain.expiries.find((e) => e.date === condor.expiry),
    laters,
  };
  rollOut(s);
  rollAwayAndOut(s);
  rollUntestedIn(s);
  rollWingIn(s);
  conversions(s);
}
