/**
 * The trader's session as data: what goes in (the chain, the position, the ALVH inputs, the slider positions) and
 * what comes out (the state the panels draw). One set of defaults, here; the worker, the CLI and the tests all
 * build the same state from the same inputs through compute.ts.
 */
import type { Chain } from '../../chain/types';
import type { AdvanceDeclineRow } from '../alvh/breadth';
import type { HedgePlan, HeldHedge, Layer, Structure } from '../alvh/plan';
import type { Rulebook } from '../alvh/rulebook';
import type { MacroEvent } from '../alvh/stages';
import type { VixSignalCache } from '../alvh/signalCache';
import type { VixBar, VixSighting } from '../alvh/vixSeries';
import type { FredSeries } from '../macro/fred';
import type { GaugeReading } from '../macro/gauges';
import type { ChainSummary } from '../summary';
import type { ManagementMarks } from '../management';
import type { ChainAnalysis, PnlCurve } from '../types';
import type { JournalEntry, JournalPnl } from '../../positions/journal';
export type { JournalEntry, JournalPnl };
import type { PositionHedge, PositionRisk } from './hedges';
import type { PageOffer } from './pageOffer';
import type { ChainVix } from './vixCheck';

/** What the session needs to know of where a chain came from: the VIX quotes seen beside it, if any. */
export interface SessionMeta {
  /** VIX quotes seen with the chain (time-stamped), e.g. on the same page. */
  vixSightings?: VixSighting[];
}

/** How the trader entered the condor. */
export type PositionInput =
  | { kind: 'suggested' }
  | { kind: 'text'; text: string }
  | { kind: 'targets'; text: string }
  | {
      kind: 'strikes';
      strikes: [number, number, number, number];
      quantity: number;
      credit?: number | null;
      /**
       * Strikes not listed on the expiry are priced from the smile, with a warning (the CLI's --condor); by default
       * every strike must be listed (a condor picked on the chain).
       */
      allowUnlisted?: boolean;
    };

/** The account figures the trader gave; either may be missing. */
export interface AccountInput {
  sizeDollars: number | null;
  buyingPowerDollars: number | null;
}

/** What the hedge plan needs besides the chain. */
export interface AlvhInputs {
  vixHistory: VixBar[];
  /** Sightings kept from earlier pages (storage). */
  vixSightings: VixSighting[];
  rulebook: Rulebook;
  account: AccountInput | null;
  /** A VIX option chain (VIX futures are implied from it by parity). */
  vixChain: Chain | null;
  /** Breadth (advance–decline) series: its divergence scales Layer One. */
  advanceDecline: AdvanceDeclineRow[];
  /** Macro events (CPI, PPI, FOMC…) the trader flags: near ones raise urgency. */
  macroEvents: MacroEvent[];
  /** Hedges held outside this session's position (the CLI's --held): closed layer by layer in Unwind. */
  heldHedges: HeldHedge[];
  /** Macro series the trader brought (FRED CSVs): the gauges read them (src/engine/macro). */
  macroSeries: FredSeries[];
  /**
   * The assumed fill of hedge legs (0 = mid … 1 = natural) and commissions per contract; absent: the rulebook's
   * fillSpreadFraction and commissionPerContractDollars.
   */
  fill?: { spreadFraction?: number; commissionPerContractDollars?: number };
  /** The VIX history's signals computed once (the backtest asks about many days of one history). */
  vixSignalCache?: VixSignalCache | null;
  /** Layer One is not taken: the Second Engine is sized on the condor alone (PlanInput.layerOneDeclined). */
  layerOneDeclined?: boolean;
  /** Only these layers' tickets are priced (PlanInput.layers; absent or null: all): the backtest reads one layer a day. */
  layers?: readonly Layer[] | null;
  /** Only these Layer One and Second Engine structures are priced (PlanInput.structures; absent or null: all). */
  structures?: readonly Structure[] | null;
}

/** The VIX level the trader typed, and optionally the prior close. */
export interface ManualVix {
  level: number;
  priorClose: number | null;
}

/** Where the P/L curves' sliders are: days from the valuation instant and a nominal vol shift. */
export interface CurveRequest {
  /** Days from the valuation instant (0 = today). */
  daysForward: number;
  /** Nominal volatility shift in vol points (term-scaled like the scenario grid). */
  volShiftPoints: number;
  points?: number;
}

/** Everything the state is computed from. */
export interface SessionInputs<M extends SessionMeta = SessionMeta> {
  chain: Chain;
  meta: M;
  position: PositionInput;
  /** YYYY-MM-DD, or null: the default expiry (analyze.ts). */
  expiry: string | null;
  /** Hedges added to the position (from tickets). */
  hedges: PositionHedge[];
  /** The adjustment journal: every hedge added, closed or rolled, with its fills (absent: none). */
  journal?: JournalEntry[];
  /** Why the trader's last adjustment was refused (a fill below zero, a leg without a quote), or null. */
  adjustmentError?: string | null;
  alvh: AlvhInputs;
  manualVix: ManualVix | null;
  curve: CurveRequest;
  /**
   * The valuation instant when given (the CLI's --now); else the chain's time stamp, or the clock when it has
   * none, moved back to the last regular close when outside the session (time.ts valuationTime).
   */
  now: Date | null;
  /**
   * Compute what the plan reads and nothing the panels only show (the backtest's question, asked thousands of
   * times): the plan is the same, from the same code; see ReadyState.planOnly for what is left out.
   */
  planOnly?: boolean;
  /**
   * The condor's own figures only, at once, before the rest (see ReadyState.firstLook): what the overlay shows
   * first when a chain is read, while the plan and the panels' figures are computed for the next state.
   */
  firstLook?: boolean;
}

/** The account used when the trader gave none: said in the plan's assumptions. */
export const DEFAULT_ACCOUNT = { sizeDollars: 100_000, buyingPowerDollars: 100_000 } as const;

export const DEFAULT_CURVE: CurveRequest = { daysForward: 0, volShiftPoints: 0 };

export function defaultAlvhInputs(rulebook: Rulebook): AlvhInputs {
  return {
    vixHistory: [],
    vixSightings: [],
    rulebook,
    account: null,
    vixChain: null,
    advanceDecline: [],
    macroEvents: [],
    heldHedges: [],
    macroSeries: [],
  };
}

/** The P/L curves at the sliders' date and vol shift, and at the condor's expiry, on one price grid. */
export interface SessionCurves {
  request: CurveRequest;
  at: PnlCurve;
  expiry: PnlCurve;
}

export interface ReadyState<M extends SessionMeta = SessionMeta> {
  status: 'ready';
  seq: number;
  computedAt: string;
  computeMs: number;
  /**
   * The instant the chain is valued at: the quotes' time stamp when the page shows one, else the wall clock —
   * moved back to the last regular close when that falls outside the session (chain's calendar, valuationTime).
   */
  valuedAt: string;
  /** Why valuedAt differs from when the quotes were seen, or null. */
  valuationNote: string | null;
  summary: ChainSummary;
  meta: M;
  analysis: ChainAnalysis | null;
  analysisError: string | null;
  position: PositionInput;
  /** Why the entered position could not be used (the analysis then shows the suggested condor). */
  positionError: string | null;
  expiry: string | null;
  /** The ALVH plan for the condor shown; null without an analysis. */
  plan: HedgePlan | null;
  planError: string | null;
  /** The VIX level the plan used and where it came from ('manual', the page, the history's last close). */
  vix: { level: number | null; source: string | null };
  /** The account the plan judged liquidity on, and whether it was assumed. */
  account: { sizeDollars: number; buyingPowerDollars: number; assumed: boolean };
  /** The VIX history the plan used: closes before the valuation day (on it too when no live value is known). */
  history: { bars: number; first: string | null; last: string | null; droppedAfter: number };
  /** Assumptions the plan had to make (no account entered, no VIX history imported, …). */
  planAssumptions: string[];
  /** The hedges the trader added to the position (the analysis' grid includes their SPX legs). */
  hedges: PositionHedge[];
  /** The adjustment journal, oldest first. */
  journal: JournalEntry[];
  /** Why the trader's last adjustment was refused, or null. */
  adjustmentError: string | null;
  /** Realised and unrealised P/L of the journal, per adjustment, the open lots at the chain's mids; null: no journal. */
  journalPnl: JournalPnl | null;
  /** The condor with the hedges (greeks, max loss and profit at the condor's expiry); null without hedges. */
  positionRisk: PositionRisk | null;
  /** P50, the expected values and the 50%-of-max-profit and 21-DTE marks of the condor; null without one. */
  management: ManagementMarks | null;
  /** The P/L curves at the current slider positions (with the hedges' legs); null without a condor. */
  curves: SessionCurves | null;
  /** The macro gauges on the valuation date (not judged where the trader brought no series). */
  macro: GaugeReading[];
  /** The next flagged macro dates (FOMC, CPI, PPI…) on or after the valuation date, soonest first (at most 3). */
  upcomingMacro: (MacroEvent & { daysAway: number })[];
  /**
   * The chain's own 30-day VIX-style index (Cboe's white-paper method, vixIndex.ts) and whether it may stand for the
   * VIX; null for an underlying other than the S&P 500 or without an analysis.
   */
  chainVix: ChainVix | null;
  /** The option positions the broker's page lists, offered as the position (absent or null: none on the page). */
  pageOffer?: PageOffer | null;
  /**
   * Computed for the plan only (the backtest, SessionOptions.planOnly): positionRisk, management, curves, the
   * analysis' P/L curves and grid, the macro gauges and upcoming dates were left out (null or empty), and the
   * chain's own VIX index (chainVix) with the plan's note or warning comparing it with the VIX, unless that index
   * stands for a VIX the session has no other way to know.
   */
  planOnly?: true;
  /**
   * A first look (SessionInputs.firstLook): the chain, the condor's risk and the position with its hedges, without
   * the plan, the management marks, the P/L curves, the analysis' grid and curves and the macro gauges (null or
   * empty). The full state follows as the next one; a trader sees the condor's numbers while the plan is computed.
   */
  firstLook?: true;
}

export type SessionState<M extends SessionMeta = SessionMeta> =
  { status: 'waiting'; seq: number } | ReadyState<M> | { status: 'error'; seq: number; message: string };
