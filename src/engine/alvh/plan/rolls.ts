/**
 * Time-shifting (DESIGN §3): move the threatened spread in time or turn it into a debit structure. The roll out
 * (same strikes, a later expiry) must be for a credit at the natural price; the butterfly and broken-wing
 * conversions buy the spread on the other side of the short strike and must not add stress loss.
 */
import type { OptionKind } from '../../../chain/types';
import type { PlanEnv } from './base';
import { constraintReason, feasible } from './constraints';
import { evaluate } from './evaluate';
import { nearest, spxLeg, strikesOf } from './legs';
import type { HedgeLeg } from './types';
import { MULT } from './value';

/** The time-shift tickets, added to env.tickets (rejections to env.rejected). */
export function timeShiftTickets(p: { env: PlanEnv; active: boolean }): void {
  const { env } = p;
  const { base, side, chain, symbol } = env;
  const { condor, ctx } = base;
  const t = base.rulebook.thresholds;
  const rules = env.checks('timeShift');
  const downside = side.downside;
  const later = chain.expiries
    .filter(
      (e) =>
        ctx.models.has(e.date) &&
        e.date > condor.expiry &&
        ctx.models.get(e.date)!.years * 365 - condor.daysToExpiry >= t.timeShiftRollMinExtraDays,
    )
    .sort((a, b) => a.date.localeCompare(b.date))[0];
  const cur = chain.expiries.find((e) => e.date === condor.expiry);
  const kind: OptionKind = downside ? 'put' : 'call';
  const [kShort, kLong] = downside ? [condor.strikes[1], condor.strikes[0]] : [condor.strikes[2], condor.strikes[3]];
  if (later && cur) {
    const legs = [
      spxLeg(ctx, cur, symbol, kind, kShort, 1),
      spxLeg(ctx, cur, symbol, kind, kLong, -1),
      spxLeg(ctx, later, symbol, kind, kShort, -1),
      spxLeg(ctx, later, symbol, kind, kLong, 1),
    ];
    if (legs.every((l) => l !== null)) {
      const tk = evaluate({
        base,
        layer: 'time-shift',
        structure: 'roll-out',
        legs: legs as HedgeLeg[],
        quantity: condor.quantity,
        marginPerUnit: Math.abs(kShort - kLong) * MULT,
        releasedMarginDollars: Math.abs(kShort - kLong) * MULT * condor.quantity,
        secondEngine: false,
        active: p.active,
        rules,
        sentences: [
          `Roll the threatened ${kind} spread ${kShort}/${kLong} from ${condor.expiry} to ${later.date}, same strikes.`,
          ...rules.map((c) => c.sentence),
        ],
      });
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
    } else env.rejected.push({ layer: 'time-shift', structure: 'roll-out', reason: 'a leg has no two-sided market' });
  } else
    env.rejected.push({
      layer: 'time-shift',
      structure: 'roll-out',
      reason: `no later expiry at least ${t.timeShiftRollMinExtraDays} days after the condor's (timeShiftRollMinExtraDays)`,
    });
  // butterfly / broken wing: buy the spread on the other side of the short strike
  if (!cur) return;
  const sk = strikesOf(cur, kind);
  const w = Math.abs(kShort - kLong);
  for (const [structure, wing] of [
    ['butterfly-conversion', w],
    ['broken-wing-conversion', w / 2],
  ] as const) {
    const kUp = nearest(sk, kShort + (downside ? 1 : -1) * wing, 'any');
    if (kUp === null || kUp === kShort) continue;
    const legs = [spxLeg(ctx, cur, symbol, kind, kUp, 1), spxLeg(ctx, cur, symbol, kind, kShort, -1)];
    if (legs.some((l) => l === null)) continue;
    const tk = evaluate({
      base,
      layer: 'time-shift',
      structure,
      legs: legs as HedgeLeg[],
      quantity: condor.quantity,
      marginPerUnit: 0,
      secondEngine: false,
      active: p.active,
      rules,
      sentences: [
        `Turn the ${kind} spread ${kShort}/${kLong} into a ${structure === 'butterfly-conversion' ? 'butterfly' : 'broken-wing butterfly'} ${kUp}/${kShort}×2/${kLong}: buy ${kUp}, sell another ${kShort}; it profits if the underlying reverts toward ${kShort}.`,
        ...rules.map((c) => c.sentence),
      ],
    });
    if (tk && feasible(tk) && tk.stress.worstAfter <= tk.stress.worstBefore + 1e-6) env.tickets.push(tk);
    else
      env.rejected.push({
        layer: 'time-shift',
        structure,
        reason: tk ? (feasible(tk) ? 'it adds stress loss' : constraintReason(tk)) : 'no market',
      });
  }
}
