/**
 * What a snapshot keeps of the live state: the chain as read and the analysis, trimmed to the expiry the condor
 * is on, without the P/L curves the snapshot view recomputes (a full SPX chain with every expiry's analysis is
 * ~425 KB; one 146-strike SPY expiry ~75 KB, so over a hundred fit in storage.local's 10 MiB without asking for
 * unlimitedStorage), the condor, the plan, and where it came from.
 */
import type { Chain } from '../chain/types';
import type { PositionHedge, ReadyState, SessionMeta } from '../engine/session';
import type { ChainAnalysis } from '../engine/types';
import type { HedgePlan } from '../engine/alvh/plan';
import type { SnapshotLeg } from './schema';
import type { SnapshotInput } from './snapshots';

/** Where a chain came from, as a snapshot keeps it. */
interface PageOrigin extends SessionMeta {
  pageUrl: string;
  pageTitle: string;
  site: string;
}

/** The hedges' legs as a snapshot keeps them (entry price as `price`). */
export function snapshotLegs(hedges: readonly PositionHedge[]): SnapshotLeg[] {
  return hedges.flatMap((h) =>
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
}

export function trimChain(chain: Chain, expiry: { date: string; root: string | null } | null): Chain {
  if (!expiry) return chain;
  const kept = chain.expiries.filter((e) => e.date === expiry.date && e.root === expiry.root);
  return { ...chain, expiries: kept.length > 0 ? kept : chain.expiries.filter((e) => e.date === expiry.date) };
}

/** The chosen expiry only; P/L curves are dropped (a snapshot view recomputes them from the saved smile). */
export function trimAnalysis(analysis: ChainAnalysis): ChainAnalysis {
  const base = { ...analysis, pnlCurves: [] };
  if (analysis.chosenExpiry === null) return { ...base, expiries: [] };
  const chosen = analysis.expiries[analysis.chosenExpiry];
  return { ...base, expiries: chosen ? [chosen] : [], chosenExpiry: chosen ? 0 : null };
}

/**
 * The plan as saved. Each ticket keeps its stress summary (worst and tail loss before and after, the threatened side)
 * but not its grid cells: a plan with rolls holds some 150 cells per ticket, no saved view draws them, and
 * `hedgelens analyze` on a snapshot export recomputes the whole plan from the saved chain.
 */
export function trimPlan(plan: HedgePlan): HedgePlan {
  return { ...plan, tickets: plan.tickets.map((t) => ({ ...t, stress: { ...t.stress, cells: [] } })) };
}

export function buildSnapshotInput({ chain, state }: { chain: Chain; state: ReadyState<PageOrigin> }): SnapshotInput {
  const a = state.analysis;
  const chosen = a && a.chosenExpiry !== null ? (a.expiries[a.chosenExpiry] ?? null) : null;
  const shown = chosen ?? (state.summary.expiry ? { date: state.summary.expiry, root: state.summary.root } : null);
  const risk = a?.condor ?? null;
  return {
    url: state.meta.pageUrl,
    pageTitle: state.meta.pageTitle,
    site: state.meta.site,
    chain: trimChain(chain, shown),
    condor: risk
      ? {
          expiry: risk.expiry,
          strikes: risk.strikes,
          quantity: risk.quantity,
          credit: risk.creditSource === 'given' ? risk.creditUsed : null,
        }
      : null,
    hedges: snapshotLegs(state.hedges ?? []),
    analysis: a ? trimAnalysis(a) : null,
    plan: state.plan ? trimPlan(state.plan) : null,
    vix: {
      level: state.vix.level,
      priorClose: null,
      future: state.plan?.vix.future?.future ?? null,
      asOf: state.valuedAt,
    },
  };
}
