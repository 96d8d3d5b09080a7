/**
 * The Second Engine (DESIGN §3): long volatility after Layer One, sized to cover secondEngineStressCoverShare of the
 * threatened side's worst stress loss left after Layer One: a ~30-delta one-month VIX call, a VIX call spread, a
 * synthetic long VIX future (VIX hedges: within the VXTH cap), and an index long put about one expected move down.
 */
import type { Chain } from '../../../chain/types';
import type { ExpiryModel } from '../../types';
import { vxthAllocationPct } from '../rulebook';
import type { RuleCheck } from '../stages';
import {
  vixCallNearDelta,
  vixOptionQuote,
  vixOptionQuotes,
  type VixFutureEstimate,
  type VixOptionQuote,
} from '../vixOptions';
import type { Base, PlanEnv } from './base';
import { constraintsByQuantity, evaluate } from './evaluate';
import { fmtHorizon, money, signedPct } from './format';
import { listedStrikes, nearest, spxLeg, vixLeg } from './legs';
import { sizeTo } from './sizing';
import { worstAndTail } from './stress';
import type { HedgeLeg, HedgeTicket, Structure } from './types';
import { MULT, unitPnl } from './value';

interface SecondEngineSetup {
  env: PlanEnv;
  /** The position Layer One leaves. */
  seBase: Base;
  active: boolean;
  rules: RuleCheck[];
  coverTarget: number;
  /** The threatened side's worst cell after Layer One: a Second Engine hedge must gain there. */
  stressCell: number;
  /** The sentences after a structure's own: the rules, the sizing and the VXTH cap (on a VIX hedge, on an index one). */
  sentencesAfter: { vix: string[]; index: string[] };
}

function sizeToCover(
  s: SecondEngineSetup,
  legs: HedgeLeg[],
  structure: Structure,
  marginPerUnit: number,
  what: string,
): void {
  const { env, seBase } = s;
  if (!env.priced(structure)) return;
  const ctx = seBase.ctx;
  const vixHedge = legs.some((l) => l.underlying === 'VIX');
  const unit = unitPnl(ctx, legs);
  const gainPerUnit = unit[s.stressCell] as number;
  if (!(gainPerUnit > 0)) {
    env.rejected.push({ layer: 'second-engine', structure, reason: 'it does not gain in the worst stress cell' });
    return;
  }
  const sentences = [what, ...(vixHedge ? s.sentencesAfter.vix : s.sentencesAfter.index)];
  const cap = Math.min(Math.max(env.maxQty, Math.ceil(s.coverTarget / gainPerUnit)), 2000);
  const sized = sizeTo({
    side: env.side,
    unit,
    before: seBase.pathBefore,
    targetDollars: s.coverTarget,
    make: (q) =>
      evaluate({
        base: seBase,
        layer: 'second-engine',
        structure,
        legs,
        quantity: q,
        marginPerUnit,
        secondEngine: vixHedge,
        active: s.active,
        rules: s.rules,
        sentences: [...sentences],
        unit,
      }),
    // The quantities tried before the one that passes are judged on their constraints alone.
    probe: constraintsByQuantity({ base: seBase, legs, marginPerUnit, secondEngine: vixHedge }),
    maxQ: cap,
  });
  if (sized.best) env.tickets.push(sized.best);
  else env.rejected.push({ layer: 'second-engine', structure, reason: sized.reason });
}

const VIX_STRUCTURES: readonly Structure[] = ['vix-call', 'vix-call-spread', 'synthetic-long-vix'];

/** VIX hedges on the one-month VIX expiry: a call near vixCallTargetDelta, a call spread, a synthetic long future. */
function vixHedges(
  s: SecondEngineSetup,
  vix: { chain: Chain; oneMonth: VixFutureEstimate; futures: VixFutureEstimate[]; rate: number },
): void {
  const t = s.seBase.rulebook.thresholds;
  const ctx = s.seBase.ctx;
  const { oneMonth } = vix;
  const on = { chain: vix.chain, expiry: oneMonth.expiry, futures: vix.futures, rate: vix.rate };
  const calls = vixOptionQuotes({ ...on, kind: 'call' });
  const call = vixCallNearDelta({ quotes: calls, targetDelta: t.vixCallTargetDelta });
  if (!call) {
    s.env.rejected.push({ layer: 'second-engine', structure: 'vix-call', reason: 'no VIX call with a usable mid' });
    return;
  }
  sizeToCover(
    s,
    [vixLeg(ctx, call, 1)],
    'vix-call',
    0,
    `VIX ${call.strike} call ${call.expiry} (delta ${call.greeks.delta.toFixed(2)} ≈ vixCallTargetDelta ${t.vixCallTargetDelta}), Black-76 on the ${call.expiry} future ${call.future.toFixed(2)} (${oneMonth.method}), IV ${(call.vol * 100).toFixed(0)}%.`,
  );
  const want = call.strike + (call.strike - call.future > 0 ? call.strike - call.future : 5) * 2;
  const upper = calls
    .filter((q) => q.strike > call.strike)
    .reduce<VixOptionQuote | null>(
      (b, q) => (!b || Math.abs(q.strike - want) < Math.abs(b.strike - want) ? q : b),
      null,
    );
  if (upper) {
    sizeToCover(
      s,
      [vixLeg(ctx, call, 1), vixLeg(ctx, upper, -1)],
      'vix-call-spread',
      0,
      `VIX ${call.strike}/${upper.strike} call spread ${call.expiry} on the future ${call.future.toFixed(2)}.`,
    );
  }
  const atm = calls.reduce<VixOptionQuote | null>(
    (b, q) => (!b || Math.abs(q.strike - q.future) < Math.abs(b.strike - b.future) ? q : b),
    null,
  );
  const atmPut =
    atm && s.env.priced('synthetic-long-vix') ? vixOptionQuote({ ...on, kind: 'put', strike: atm.strike }) : null;
  if (atm && atmPut) {
    const otm = Math.max(atm.strike - atm.future, 0);
    const margin = atmPut.mid * MULT + Math.max(0.2 * atm.future - otm, 0.1 * atm.strike) * MULT;
    sizeToCover(
      s,
      [vixLeg(ctx, atm, 1), vixLeg(ctx, atmPut, -1)],
      'synthetic-long-vix',
      margin,
      `Synthetic long VIX future: buy the ${atm.strike} call, sell the ${atm.strike} put (${atm.expiry}); the extrinsic values cancel, the position tracks the future ${atm.future.toFixed(2)}.`,
    );
  }
}

/** The index long put on the ~one-month expiry, at or below the short put and about one expected move below spot. */
function indexLongPut(s: SecondEngineSetup, models: ReadonlyMap<string, ExpiryModel>, em: number): void {
  const { env } = s;
  if (!env.priced('spx-long-put')) return;
  const { condor, ctx } = s.seBase;
  const t = s.seBase.rulebook.thresholds;
  const target30 = [...models.entries()].reduce<[string, ExpiryModel] | null>((b, e) => {
    const d = e[1].years * 365;
    return !b || Math.abs(d - t.vixCallTargetDays) < Math.abs(b[1].years * 365 - t.vixCallTargetDays) ? e : b;
  }, null);
  const e = target30 ? env.chain.expiries.find((x) => x.date === target30[0]) : undefined;
  if (!e || !target30) return;
  const k = nearest(listedStrikes(ctx, e, 'put'), Math.min(condor.strikes[1], ctx.spot - em), 'atOrBelow');
  const leg = k === null ? null : spxLeg(ctx, e, env.symbol, 'put', k, 1);
  if (leg)
    sizeToCover(
      s,
      [leg],
      'spx-long-put',
      0,
      `${env.symbol} ${k} put ${e.date}: long downside with the SPX smile; at or below the short put ${condor.strikes[1]} and one expected move (${em.toFixed(0)} pts) below spot.`,
    );
  else
    env.rejected.push({
      layer: 'second-engine',
      structure: 'spx-long-put',
      reason: 'no two-sided put near one expected move below spot',
    });
}

/** The Second Engine's tickets, sized on the position Layer One's chosen step leaves (l1Chosen, when there is one). */
export function secondEngineTickets(p: {
  env: PlanEnv;
  l1Chosen: HedgeTicket | null;
  active: boolean;
  vix: { chain: Chain | null; oneMonth: VixFutureEstimate | null; futures: VixFutureEstimate[]; rate: number };
  models: ReadonlyMap<string, ExpiryModel>;
  /** The condor's expected move, index points. */
  em: number;
}): void {
  const { env, l1Chosen } = p;
  const { base, side } = env;
  const { ctx, account, rulebook, vixFuture } = base;
  const t = rulebook.thresholds;
  const rules = [...env.checks('momentum'), ...env.checks('secondEngine')];
  const seBefore = l1Chosen ? l1Chosen.stress.cells.map((c) => c.afterDollars) : base.pathBefore;
  const seWT = worstAndTail(seBefore);
  const seBase: Base = {
    ...base,
    pathBefore: seBefore,
    worstBefore: seWT.worst,
    tailBefore: seWT.tail,
    greeks: l1Chosen ? l1Chosen.greeksAfter : base.greeks,
  };
  const seSideWorst = side.worstOf(seBefore);
  const stressCell = seBefore.reduce((w, v, i) => (side.on(i) && v < (seBefore[w] as number) ? i : w), 0);
  const cell = ctx.path[stressCell];
  const vxthPct = vixFuture === null ? 0 : vxthAllocationPct({ schedule: rulebook.vxthSchedule, vixFuture });
  const shared = [
    ...rules.map((c) => c.sentence),
    `Sized to cover secondEngineStressCoverShare ${t.secondEngineStressCoverShare} of the ${side.downside ? 'downside' : 'upside'} worst stress loss ${money(seSideWorst)} ${l1Chosen ? 'left after Layer One' : 'of the unhedged condor'} (at ${signedPct(cell?.move ?? 0)} ${fmtHorizon(cell?.horizonDays ?? 0)}, VIX ${(cell?.vixShiftPoints ?? 0) >= 0 ? '+' : '−'}${Math.abs(cell?.vixShiftPoints ?? 0).toFixed(1)} pts).`,
  ];
  const s: SecondEngineSetup = {
    env,
    seBase,
    active: p.active,
    rules,
    coverTarget: t.secondEngineStressCoverShare * seSideWorst,
    stressCell,
    sentencesAfter: {
      index: [...shared, 'VXTH cap: not applied (an index option, not a VIX hedge).'],
      vix: [
        ...shared,
        vixFuture === null
          ? 'VXTH cap: no VIX future (no VIX chain) → 0% of the account.'
          : account === null
            ? `VXTH cap: one-month VIX future ${vixFuture.toFixed(2)} → ${vxthPct}% of the account; not judged (no account figures given).`
            : `VXTH cap: one-month VIX future ${vixFuture.toFixed(2)} → ${vxthPct}% of the account (${money((vxthPct / 100) * account.sizeDollars)}).`,
      ],
    },
  };
  const { chain, oneMonth } = p.vix;
  // The VIX hedges, unless none is priced on this request (PlanInput.structures).
  if (VIX_STRUCTURES.some((x) => env.priced(x))) {
    if (chain && oneMonth && oneMonth.future !== null) vixHedges(s, { ...p.vix, chain, oneMonth });
    else
      env.rejected.push({
        layer: 'second-engine',
        structure: 'vix-call',
        reason: chain ? 'no VIX expiry with an implied future' : 'no VIX option chain given',
      });
  }
  indexLongPut(s, p.models, p.em);
}
