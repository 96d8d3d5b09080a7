/**
 * The question a backtest strategy asks on a decision day: the live session (createSession → recompute), with the
 * day's model chains (modelChain.ts), the condor as the position, the strategy's hedges as held hedges, the VIX
 * history up to that close and the account. Plan only by default: the backtest reads the plan and nothing the
 * panels alone show (SessionInputs.planOnly); the plan is the same either way (tests/backtest/ask.test.ts).
 */
import type { HeldHedge, Layer, Structure } from '../alvh/plan';
import type { Rulebook } from '../alvh/rulebook';
import type { VixSignalCache } from '../alvh/signalCache';
import type { VixBar } from '../alvh/vixSeries';
import type { FredSeries } from '../macro/fred';
import { createSession, type Session } from '../session';
import type { BookLeg, CondorTrade } from './book';
import { closeInstant, type DayChains } from './modelChain';

/** A hedge leg a strategy holds, with the layer it was bought for. */
export interface Held extends BookLeg {
  layer: 'layer-one' | 'second-engine';
}

export function heldOf(legs: readonly Held[]): HeldHedge[] {
  return legs.map((l) => ({
    underlying: l.under,
    root: l.under === 'VIX' ? 'VIX' : 'SPX',
    expiry: l.expiry,
    kind: l.kind,
    strike: l.strike,
    quantity: l.qty,
    entryPrice: l.entry,
    layer: l.layer,
  }));
}

export interface Question {
  chains: DayChains;
  trade: CondorTrade;
  /** Condors held. */
  quantity: number;
  rulebook: Rulebook;
  /** The VIX closes (the session uses those up to the day's close). */
  vixHistory: VixBar[];
  vixSignalCache?: VixSignalCache | null;
  macroSeries?: readonly FredSeries[];
  /** The account, dollars (size and buying power). */
  equity: number;
  held: readonly Held[];
  /** Default true: the plan only (SessionInputs.planOnly). */
  planOnly?: boolean;
  /** The strategy does not take Layer One (PlanInput.layerOneDeclined). */
  layerOneDeclined?: boolean;
  /** Only these layers' tickets are priced (PlanInput.layers; default all). */
  layers?: readonly Layer[];
  /** Only these Layer One and Second Engine structures are priced (PlanInput.structures; default all). */
  structures?: readonly Structure[];
}

const NO_CLOCK = (): number => 0;

/** The session of the question, its inputs set; the caller recomputes it. */
export function backtestSession(q: Question): Session<Record<string, never>> {
  const { chains, trade, held } = q;
  const day = chains.day;
  // (Lists built by push, and the inputs with the same fields every time: the same values, one shape for the
  // compiler on every question.)
  const strikes = new Map<string, number[]>();
  const vixStrikes = new Map<string, number[]>();
  const addStrike = (m: Map<string, number[]>, e: string, k: number) => {
    const ks = m.get(e);
    if (ks) ks.push(k);
    else m.set(e, [k]);
  };
  for (const k of trade.strikes) addStrike(strikes, trade.expiry, k);
  for (const l of held) addStrike(l.under === 'SPX' ? strikes : vixStrikes, l.expiry, l.strike);
  const must = [trade.expiry];
  for (const l of held) must.push(l.expiry);
  const expiries = chains.spxExpiries(must, q.rulebook.thresholds.layerOneMaxDays);
  const session = createSession<Record<string, never>>(
    {
      // A question's own compute time (ReadyState.computeMs) is read by nobody here: the run times itself, and a
      // browser's clock read is not free (0.34 µs in Chromium's worker), so none is made.
      clock: NO_CLOCK,
      wallClock: () => closeInstant(day.date),
    },
    { planOnly: q.planOnly ?? true },
  );
  session.setChain(chains.spx(expiries, strikes), {});
  session.setNow(closeInstant(day.date));
  session.setExpiry(trade.expiry);
  session.setPosition({ kind: 'strikes', strikes: trade.strikes, quantity: q.quantity, allowUnlisted: true });
  session.setAlvhInputs({
    rulebook: q.rulebook,
    vixHistory: q.vixHistory,
    vixSignalCache: q.vixSignalCache ?? null,
    macroSeries: q.macroSeries?.length ? [...q.macroSeries] : [],
    vixChain: chains.vix(vixStrikes),
    account: { sizeDollars: q.equity, buyingPowerDollars: q.equity },
    heldHedges: heldOf(held),
    layerOneDeclined: q.layerOneDeclined === true,
    layers: q.layers ?? null,
    structures: q.structures ?? null,
  });
  return session;
}
