/**
 * The trader's session: the one holder of the chain (whole or patched), the position with its hedges, the expiry,
 * the ALVH inputs, the typed VIX and the curve sliders. Setters only record; `recompute` turns the inputs into the
 * state (compute.ts) — the driver decides when (the worker at once for the trader's own changes, a few
 * milliseconds after a burst of page updates). Pure: the worker is a thin comlink shell around it, the CLI calls it
 * once, the tests call it directly.
 */
import type { Chain } from '../../chain/types';
import { applyPatch, type ChainPatch } from '../../chain/patch';
import type { HedgeTicket } from '../alvh/plan';
import { defaultRulebook } from '../alvh/rulebook';
import { computeSession, curvesFor, type ComputeClocks } from './compute';
import { hedgeFromTicket, type PositionHedge } from './hedges';
import { pageViewOf, type PageView } from './pageView';
import {
  DEFAULT_CURVE,
  defaultAlvhInputs,
  type AlvhInputs,
  type CurveRequest,
  type ManualVix,
  type PositionInput,
  type SessionMeta,
  type SessionState,
} from './state';

export interface Session<M extends SessionMeta> {
  /** The state computed last (waiting before the first chain). */
  state(): SessionState<M>;
  /** The page view of the current state. */
  pageView(): PageView;
  /** The chain as held now, or null. */
  chain(): Chain | null;
  /** A whole chain; `layout` numbers it for the patches that follow (null: no patch fits it). */
  setChain(chain: Chain, meta: M, layout?: number | null): void;
  /** A patch of the chain held; false when it does not fit (another layout, or rows that are not there). */
  applyPatch(patch: ChainPatch, meta: M): boolean;
  setPosition(position: PositionInput): void;
  setExpiry(date: string | null): void;
  setAlvhInputs(inputs: Partial<AlvhInputs>): void;
  /** The VIX level the trader typed and the prior close (null clears both); non-positive or non-finite: none. */
  setManualVix(level: number | null, priorClose?: number | null): void;
  /** Adds a ticket's legs to the position at its natural price, now. */
  addHedge(ticket: HedgeTicket): void;
  removeHedge(id: string): void;
  /**
   * Moves the P/L curves' sliders and recomputes only the curves (a slider drag does not re-analyse the chain);
   * the state gets a new sequence number.
   */
  setCurve(request: CurveRequest): SessionState<M>;
  /** The valuation instant (null: from the chain's time stamp or the clock). */
  setNow(now: Date | null): void;
  /** Computes the state from the inputs (nothing without a chain) and keeps it. */
  recompute(): SessionState<M>;
}

const positive = (v: number | null | undefined) =>
  v !== null && v !== undefined && Number.isFinite(v) && v > 0 ? v : null;

export function createSession<M extends SessionMeta>(clocks: ComputeClocks = {}): Session<M> {
  const wallClock = clocks.wallClock ?? (() => new Date());
  let state: SessionState<M> = { status: 'waiting', seq: 0 };
  let chain: Chain | null = null;
  let meta: M | null = null;
  let layout: number | null = null;
  let position: PositionInput = { kind: 'suggested' };
  let expiry: string | null = null;
  let alvh: AlvhInputs = defaultAlvhInputs(defaultRulebook());
  let manualVix: ManualVix | null = null;
  let hedges: PositionHedge[] = [];
  let hedgeSeq = 0;
  let curve: CurveRequest = DEFAULT_CURVE;
  let now: Date | null = null;

  return {
    state: () => state,
    pageView: () => pageViewOf(state),
    chain: () => chain,
    setChain(next, nextMeta, nextLayout = null) {
      chain = next;
      meta = nextMeta;
      layout = nextLayout;
    },
    applyPatch(patch, nextMeta) {
      if (!chain || layout === null || patch.layout !== layout) return false;
      const next = applyPatch(chain, patch);
      if (!next) {
        // Its rows are not in this chain: no later patch of the layout can be trusted on top of it either.
        layout = null;
        return false;
      }
      chain = next;
      meta = nextMeta;
      return true;
    },
    setPosition(next) {
      position = next;
    },
    setExpiry(date) {
      expiry = date;
    },
    setAlvhInputs(inputs) {
      alvh = { ...alvh, ...inputs };
    },
    setManualVix(level, priorClose = null) {
      const l = positive(level);
      manualVix = l === null ? null : { level: l, priorClose: positive(priorClose) };
    },
    addHedge(ticket) {
      hedgeSeq += 1;
      hedges = [...hedges, hedgeFromTicket(ticket, `h${hedgeSeq}`, wallClock())];
    },
    removeHedge(id) {
      hedges = hedges.filter((h) => h.id !== id);
    },
    setCurve(request) {
      curve = request;
      if (state.status === 'ready' && state.analysis)
        state = { ...state, seq: state.seq + 1, curves: curvesFor(state.analysis, state.hedges, curve) };
      return state;
    },
    setNow(at) {
      now = at;
    },
    recompute() {
      if (!chain || !meta) return state;
      state = computeSession(
        { chain, meta, position, expiry, hedges, alvh, manualVix, curve, now },
        state.seq + 1,
        clocks,
      );
      return state;
    },
  };
}
