/**
 * The state as a subscriber (the overlay frame) gets it on every update: what the frame shows, without the bulk only
 * the worker reads. A state crosses the port to the frame as a structured clone on each tick, serialised on the
 * worker's thread and read back on the frame's main thread, and what it leaves behind there is garbage to collect.
 * On the 1,000-row ticking chain a whole state was ~280 KB as JSON; about three quarters of it the frame never read:
 * - the chosen expiry's strikes with their quotes, vols and greeks (the frame lists the strike prices only), and the
 *   other expiries' strikes entirely;
 * - each ticket's stress cells and the combined position's cells (the frame shows their summaries: worst, tail,
 *   the threatened side's worst, before and after);
 * - the analysis' P/L curves (the frame draws the session's `curves`, at the sliders).
 * The types say so: a frame reading a field it does not get does not compile. Whatever is read back whole (getState,
 * the calls' answers, snapshots, the stored position) is built in the worker from the whole state.
 */
import type { HedgePlan, HedgeTicket } from '../engine/alvh/plan';
import type { ChainAnalysis, ExpiryAnalysis, StrikeVol } from '../engine/types';
import type { EngineState, ReadyState } from './state';

/** A strike as the frame gets it: the price alone. */
export type StrikeView = Pick<StrikeVol, 'strike'>;
/** An expiry as the frame gets it: the chosen one with its strike prices, the others with none. */
export type ExpiryView = Omit<ExpiryAnalysis, 'strikes'> & { strikes: StrikeView[] };
export type AnalysisView = Omit<ChainAnalysis, 'expiries' | 'pnlCurves'> & { expiries: ExpiryView[] };
export type TicketStressView = Omit<HedgeTicket['stress'], 'cells'>;
/** A hedge ticket as the frame gets it: its stress summaries without the grid's cells. */
export type TicketView = Omit<HedgeTicket, 'stress'> & { stress: TicketStressView };
export type PlanView = Omit<HedgePlan, 'tickets' | 'combined'> & {
  tickets: TicketView[];
  combined: Omit<HedgePlan['combined'], 'cells'>;
};
export type FrameReadyState = Omit<ReadyState, 'analysis' | 'plan'> & {
  analysis: AnalysisView | null;
  plan: PlanView | null;
} & Pick<EngineState, 'trace'>;
/** What a subscriber gets: a whole state is one too (it only has more), so tests and callers may pass either. */
export type FrameState = Exclude<EngineState, { status: 'ready' }> | FrameReadyState;

function ticketView(t: HedgeTicket): TicketView {
  const { cells: _cells, ...stress } = t.stress;
  return { ...t, stress };
}

function planView(plan: HedgePlan): PlanView {
  const { cells: _cells, ...combined } = plan.combined;
  return { ...plan, tickets: plan.tickets.map(ticketView), combined };
}

function analysisView(a: ChainAnalysis): AnalysisView {
  const { pnlCurves: _curves, ...rest } = a;
  return {
    ...rest,
    expiries: a.expiries.map((e, i) => ({
      ...e,
      strikes: i === a.chosenExpiry ? e.strikes.map((s) => ({ strike: s.strike })) : [],
    })),
  };
}

/** The frame's copy of a state (see the module's comment); states other than ready go as they are. */
export function frameStateOf(state: EngineState): FrameState {
  if (state.status !== 'ready') return state;
  return {
    ...state,
    analysis: state.analysis ? analysisView(state.analysis) : null,
    plan: state.plan ? planView(state.plan) : null,
  };
}
