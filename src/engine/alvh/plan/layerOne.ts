/**
 * Layer One (DESIGN §3): short-dated structures on the threatened side, sized to layerOneLossCoverShare × the
 * signal share of that side's worst stress loss: a debit spread at/beyond the threatened short strike, a 1×2
 * backspread, and a credit spread beyond the opposite breakeven. Never on the condor's own expiry when a shorter one
 * is listed (its strikes there would close part of the condor, not hedge it).
 */
import { daysApart } from '../../../chain/calendar';
import type { Expiry, OptionKind } from '../../../chain/types';
import type { ExpiryModel } from '../../types';
import type { SignalStrength } from '../breadth';
import type { Thresholds } from '../rulebook';
import type { RuleCheck } from '../stages';
import type { PlanEnv } from './base';
import { constraintsByQuantity, evaluate, ticketSideWorst, type Candidate } from './evaluate';
import { money } from './format';
import { listedStrikes, nearest, spxLeg } from './legs';
import { sizeTo } from './sizing';
import type { HedgeLeg, Structure } from './types';
import { MULT, unitPnl } from './value';

export interface LayerOneExpiry {
  /** The expiry Layer One trades, or null when none is usable. */
  l1: Expiry | null;
  /** Set when l1 is the condor's own expiry (the page lists no shorter one). */
  ownExpiry: Expiry | null;
  l1Days: number | null;
}

/**
 * Layer One's expiry: short-dated (≤ layerOneMaxDays), the one nearest min(layerOneMaxDays, condor days), never the
 * condor's own expiry (trading its strikes there would close part of the condor, not hedge it). A page that lists
 * only the condor's expiry (most brokers show one at a time): Layer One is priced there as a last resort, on strikes
 * that are none of the condor's own, and says so — a shorter-dated chain gives the real Layer One.
 */
export function layerOneExpiry(p: {
  models: ReadonlyMap<string, ExpiryModel>;
  expiries: readonly Expiry[];
  condor: { expiry: string; daysToExpiry: number };
  t: Thresholds;
}): LayerOneExpiry {
  const { models, condor, t } = p;
  const days = (date: string) => (models.get(date)?.years ?? 0) * 365;
  const l1Expiries = [...models.entries()]
    .filter(
      ([date, m]) =>
        date !== condor.expiry &&
        m.years * 365 >= 1 &&
        m.years * 365 <= Math.max(t.layerOneMaxDays, condor.daysToExpiry) + 1e-9,
    )
    .map(([date]) => p.expiries.find((e) => e.date === date))
    .filter((e): e is Expiry => !!e)
    .sort((a, b) => a.date.localeCompare(b.date));
  const target = Math.min(t.layerOneMaxDays, condor.daysToExpiry);
  const shorter = l1Expiries.reduce<Expiry | null>((best, e) => {
    const bd = best ? days(best.date) : Infinity;
    return !best || Math.abs(days(e.date) - target) < Math.abs(bd - target) ? e : best;
  }, null);
  const ownExpiry =
    shorter === null && models.has(condor.expiry) ? (p.expiries.find((e) => e.date === condor.expiry) ?? null) : null;
  const l1 = shorter ?? ownExpiry;
  return { l1, ownExpiry, l1Days: l1 ? days(l1.date) : null };
}

interface LayerOneSetup {
  env: PlanEnv;
  exp: LayerOneExpiry & { l1: Expiry };
  strength: SignalStrength;
  active: boolean;
  rules: RuleCheck[];
  /** The unscaled target (share 1) and the target (× the signal share), dollars off the threatened side. */
  fullTarget: number;
  target: number;
  sentences: (what: string) => string[];
}

/** Size one structure and add its ticket (or its rejection). */
function tryStructure(
  s: LayerOneSetup,
  structure: Structure,
  b: { legs: (HedgeLeg | null)[]; margin: number; what: string } | null,
): void {
  const { env } = s;
  if (!env.priced(structure)) return;
  const { base, side, maxQty } = env;
  const { condor, ctx } = base;
  const t = base.rulebook.thresholds;
  if (!b) {
    env.rejected.push({ layer: 'layer-one', structure, reason: 'no listed strikes for it' });
    return;
  }
  if (b.legs.some((l) => l === null)) {
    env.rejected.push({ layer: 'layer-one', structure, reason: 'a leg has no two-sided market' });
    return;
  }
  const legs = b.legs as HedgeLeg[];
  const whatSentences = s.sentences(b.what);
  const candidate = (q: number, extra: string[]): Candidate => ({
    base,
    layer: 'layer-one',
    structure,
    legs,
    quantity: q,
    marginPerUnit: b.margin,
    secondEngine: false,
    active: s.active,
    rules: [...s.rules, ...s.strength.checks],
    sentences: [...whatSentences, ...extra],
  });
  const make = (q: number, extra: string[]) => evaluate(candidate(q, extra));
  const probe = constraintsByQuantity({ base, legs, marginPerUnit: b.margin, secondEngine: false });
  const unit = unitPnl(ctx, legs);
  // Selling more credit spreads than the condor holds would turn it into a net short position on that side.
  const maxQ = b.legs.length === 2 && b.margin > 0 && structure.endsWith('credit-spread') ? condor.quantity : maxQty;
  const before = base.pathBefore;
  const sized = sizeTo({ side, unit, before, targetDollars: s.target, make: (q) => make(q, []), probe, maxQ });
  if (!sized.best) {
    env.rejected.push({ layer: 'layer-one', structure, reason: sized.reason });
    return;
  }
  const q = sized.best.quantity;
  const full =
    sizeTo({ side, unit, before, targetDollars: s.fullTarget, make: (k) => make(k, []), probe, maxQ }).best?.quantity ??
    q;
  const sideName = side.downside ? 'downside' : 'upside';
  const sideWorst = side.worstOf(before);
  const sizeText = `Sized on the position: target ${money(s.target)} off the worst stress loss = layerOneLossCoverShare ${t.layerOneLossCoverShare} × the ${sideName} worst loss ${money(sideWorst)} × signal share ${s.strength.share.toFixed(2)}; ${q} unit${q === 1 ? '' : 's'} come nearest it (${money(sideWorst - ticketSideWorst(sized.best, side.downside, 'afterDollars'))} off the ${sideName}; tried up to ${maxQ} = ${maxQ === maxQty ? `hedgeMaxQuantityPerCondor × ${condor.quantity}` : `the condor's ${condor.quantity} for a credit spread`}, within the constraints); the full target (share 1) takes ${full}.`;
  const tk = make(q, [s.strength.sentence, sizeText]);
  if (!tk) {
    env.rejected.push({ layer: 'layer-one', structure, reason: 'a leg has no two-sided market' });
    return;
  }
  tk.sizing = { fullQuantity: full, share: s.strength.share, strength: s.strength.strength, targetDollars: s.target };
  env.tickets.push(tk);
}

/** Layer One's tickets, added to env.tickets (rejections to env.rejected). */
export function layerOneTickets(p: {
  env: PlanEnv;
  exp: LayerOneExpiry;
  strength: SignalStrength;
  active: boolean;
}): void {
  const { env, exp, strength } = p;
  const { base, side, symbol } = env;
  const { condor, ctx } = base;
  const t = base.rulebook.thresholds;
  const { l1, ownExpiry, l1Days } = exp;
  if (!l1) {
    env.rejected.push({
      layer: 'layer-one',
      structure: 'put-debit-spread',
      reason: `no short-dated expiry with a smile other than the condor's own ${condor.expiry} (its strikes there would close part of the condor — that is a close, not a hedge)`,
    });
    return;
  }
  const rules = [...env.checks('spike').filter((c) => c.fired), ...env.checks('threat').filter((c) => c.fired)];
  const width = Math.max(condor.putWidth, condor.callWidth);
  const band = t.layerOneDeltaBandPerContract * condor.quantity * MULT;
  const fullTarget = t.layerOneLossCoverShare * side.worstOf(base.pathBefore);
  const s: LayerOneSetup = {
    env,
    exp: { ...exp, l1 },
    strength,
    active: p.active,
    rules,
    fullTarget,
    target: fullTarget * strength.share,
    sentences: (what) => [
      ownExpiry
        ? `${what} on ${l1.date}, the condor's own expiry: this chain lists no shorter-dated expiry, so Layer One is priced on the condor's expiry, on strikes that are none of the condor's own (trading those would close it, not hedge it). Open a shorter-dated chain (a weekly) for the short-dated Layer One the method calls for.`
        : `${what} on ${l1.date} (${Math.round(l1Days ?? 0)} days; the condor's expiry ${condor.expiry} is ${Math.round(condor.daysToExpiry)} days: it expires ${Math.abs(Math.round(daysApart(condor.expiry, l1.date)))} days ${l1.date < condor.expiry ? 'before' : 'after'} the condor's, so the grid values it at its own expiry too). Layer One never trades the condor's own expiry when a shorter one is listed: its strikes there would close part of the condor, not hedge it.`,
      ...rules.map((c) => c.sentence),
      `Position delta ${money(condor.greeks.deltaDollarsPerPoint)}/pt against a band of ±${money(band)}/pt (layerOneDeltaBandPerContract ${t.layerOneDeltaBandPerContract} × ${condor.quantity} condors).`,
    ],
  };
  // On the condor's own expiry, none of its strikes (a trade there would close a leg, not hedge it).
  const own = (k: number) => ownExpiry !== null && condor.strikes.includes(k);
  const puts = listedStrikes(ctx, l1, 'put').filter((k) => !own(k));
  const calls = listedStrikes(ctx, l1, 'call').filter((k) => !own(k));
  const downside = side.downside;
  const sideKind: OptionKind = downside ? 'put' : 'call';
  const shortStrike = downside ? condor.strikes[1] : condor.strikes[2];
  const sideStrikes = downside ? puts : calls;
  const sgn = downside ? -1 : 1; // direction away from the money
  const longK = nearest(sideStrikes, shortStrike, downside ? 'atOrBelow' : 'atOrAbove');
  const farK = longK === null ? null : nearest(sideStrikes, longK + sgn * width, 'any');
  const noPair = longK === null || farK === null || farK === longK;
  // debit spread at/beyond the threatened short strike
  tryStructure(
    s,
    downside ? 'put-debit-spread' : 'call-debit-spread',
    noPair
      ? null
      : {
          legs: [spxLeg(ctx, l1, symbol, sideKind, longK, 1), spxLeg(ctx, l1, symbol, sideKind, farK, -1)],
          margin: 0,
          what: `${downside ? 'Put' : 'Call'} debit spread ${longK}/${farK} at/beyond the threatened short ${sideKind} ${shortStrike}`,
        },
  );
  // 1×2 backspread: sell 1 at/beyond the short strike, buy 2 one width further
  tryStructure(
    s,
    downside ? 'put-backspread-1x2' : 'call-backspread-1x2',
    noPair
      ? null
      : {
          legs: [spxLeg(ctx, l1, symbol, sideKind, longK, -1), spxLeg(ctx, l1, symbol, sideKind, farK, 2)],
          margin: Math.abs(longK - farK) * MULT,
          what: `1×2 ${sideKind} backspread: sell 1 ${longK}, buy 2 ${farK}`,
        },
  );
  // credit spread beyond the opposite breakeven (collect premium, cut delta)
  const otherKind: OptionKind = downside ? 'call' : 'put';
  const otherStrikes = downside ? calls : puts;
  const be = downside ? condor.breakevenUpper : condor.breakevenLower;
  const shortO = nearest(otherStrikes, be, downside ? 'atOrAbove' : 'atOrBelow');
  const longO = shortO === null ? null : nearest(otherStrikes, shortO - sgn * width, 'any');
  tryStructure(
    s,
    downside ? 'call-credit-spread' : 'put-credit-spread',
    shortO === null || longO === null || longO === shortO
      ? null
      : {
          legs: [spxLeg(ctx, l1, symbol, otherKind, shortO, -1), spxLeg(ctx, l1, symbol, otherKind, longO, 1)],
          margin: Math.abs(longO - shortO) * MULT,
          what: `${otherKind === 'call' ? 'Call' : 'Put'} credit spread ${shortO}/${longO} beyond the ${downside ? 'upper' : 'lower'} breakeven ${be.toFixed(2)}`,
        },
  );
}
