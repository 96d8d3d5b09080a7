/**
 * The trader's session: the one holder of the chain (whole or patched), the position with its hedges, the expiry,
 * the ALVH inputs, the typed VIX and the curve sliders. Setters only record; `recompute` turns the inputs into the
 * state (compute.ts) — the driver decides when (the worker at once for the trader's own changes, a few
 * milliseconds after a burst of page updates). Pure: the worker is a thin comlink shell around it, the CLI calls it
 * once, the tests call it directly.
 */
import type { Chain } from '../../chain/types';
import { applyPatch, type ChainPatch } from '../../chain/patch';
import { defaultRulebook } from '../alvh/rulebook';
import { computeSession, curvesFor, type ComputeClocks, type ComputeKept } from './compute';
import { createManagementReuse } from '../management';
import { actionOfStructure, journalId, withNetFill, type JournalEntry } from '../../positions/journal';
import { closingPrices, hedgeFills, hedgeFromTicket, type HedgeOrder, type PositionHedge } from './hedges';
import { pageOfferOf, type PageLegs } from './pageOffer';
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
  /**
   * Adds a ticket's legs to the position, now, and records it in the journal. The fill is the net price per ticket
   * unit the trader entered (positive debit, negative credit); absent: the ticket's natural price. A fill that
   * would price a leg below zero is refused (the state's adjustmentError says why) and nothing changes.
   */
  addHedge(ticket: HedgeOrder, fillPerUnit?: number | null): void;
  /**
   * Closes a hedge: its legs traded back at the net price per unit the trader entered (positive: received), by
   * default the natural price on the chain (sell at the bid, buy at the ask); recorded in the journal, the
   * realised P/L follows. Refused when a leg has no quote on the chain and no fill was entered.
   */
  closeHedge(id: string, fillPerUnit?: number | null): void;
  /** Takes a hedge out as if it was never added (a mistake): it and its journal entry go. */
  removeHedge(id: string): void;
  /** Puts back hedges and a journal kept from before (the frame restores the stored position). */
  restoreAdjustments(hedges: PositionHedge[], journal: JournalEntry[]): void;
  /** The option positions the broker's page lists (null: none); the state's pageOffer says what they would be. */
  setPageLegs(found: PageLegs | null): void;
  /**
   * Makes the page's positions the position: their condor with its open credit, the other legs held beside it as a
   * hedge opened in the journal at their open prices. Replaces the condor, hedges and journal held before (the page
   * is what the account holds). When they hold no condor, adjustmentError says why and nothing changes.
   */
  usePageLegs(): void;
  /**
   * Moves the P/L curves' sliders and recomputes only the curves (a slider drag does not re-analyse the chain);
   * the state gets a new sequence number.
   */
  setCurve(request: CurveRequest): SessionState<M>;
  /** The valuation instant (null: from the chain's time stamp or the clock). */
  setNow(now: Date | null): void;
  /**
   * Computes the state from the inputs (nothing without a chain) and keeps it. `firstLook`: the condor's own
   * figures only (ReadyState.firstLook), for a caller that shows them before computing the whole state.
   */
  recompute(options?: { firstLook?: boolean }): SessionState<M>;
}

const positive = (v: number | null | undefined) =>
  v !== null && v !== undefined && Number.isFinite(v) && v > 0 ? v : null;

/** How a session computes: `planOnly` for a caller that reads the plan and nothing else (SessionInputs.planOnly). */
export interface SessionOptions {
  planOnly?: boolean;
}

export function createSession<M extends SessionMeta>(
  clocks: ComputeClocks = {},
  options: SessionOptions = {},
): Session<M> {
  const wallClock = clocks.wallClock ?? (() => new Date());
  // The management marks of the last state, kept while the condor and the market barely move (a live chain's ticks).
  // And the suggested condor's shorts, kept while the market only jitters.
  const kept: ComputeKept = options.planOnly ? {} : { management: createManagementReuse(), suggested: null };
  let state: SessionState<M> = { status: 'waiting', seq: 0 };
  let chain: Chain | null = null;
  let meta: M | null = null;
  let layout: number | null = null;
  let position: PositionInput = { kind: 'suggested' };
  let expiry: string | null = null;
  // The default rulebook is made when first needed: a caller that sets its own (the backtest, thousands of
  // sessions) never builds one.
  let alvhSet: AlvhInputs | null = null;
  const alvhNow = (rulebook?: AlvhInputs['rulebook']): AlvhInputs =>
    (alvhSet ??= defaultAlvhInputs(rulebook ?? defaultRulebook()));
  let manualVix: ManualVix | null = null;
  let hedges: PositionHedge[] = [];
  let hedgeSeq = 0;
  let journal: JournalEntry[] = [];
  let adjustmentError: string | null = null;
  let pageLegs: PageLegs | null = null;
  /** Dollars per point of the chain's options: the analysis' when there is one. */
  const multiplier = () => (state.status === 'ready' && state.analysis ? state.analysis.multiplier : 100);
  const record = (entry: Omit<JournalEntry, 'id'>) => {
    journal = [...journal, { id: journalId(journal), ...entry }];
  };
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
      // Object.assign, not a spread: the same object (both copy own properties in order onto a new plain object),
      // without the slow path a spread of objects of many shapes takes (the backtest sets inputs on every question).
      alvhSet = Object.assign({}, alvhNow(inputs.rulebook), inputs);
    },
    setManualVix(level, priorClose = null) {
      const l = positive(level);
      manualVix = l === null ? null : { level: l, priorClose: positive(priorClose) };
    },
    addHedge(ticket, fillPerUnit = null) {
      adjustmentError = null;
      let hedge = hedgeFromTicket(ticket, `h${hedgeSeq + 1}`, wallClock());
      if (fillPerUnit !== null && fillPerUnit !== undefined) {
        const moved = withNetFill(hedgeFills(hedge, 1), fillPerUnit, ticket.quantity);
        if (!moved.ok) {
          adjustmentError = `Not added: ${moved.reason}.`;
          return;
        }
        hedge = { ...hedge, legs: hedge.legs.map((l, i) => ({ ...l, entryPrice: moved.fills[i]!.openPrice })) };
      }
      hedgeSeq += 1;
      hedges = [...hedges, hedge];
      record({
        at: hedge.addedAt,
        action: actionOfStructure(ticket.structure),
        label: `${ticket.structure} × ${ticket.quantity}`,
        fills: hedgeFills(hedge, multiplier()),
        hedgeId: hedge.id,
      });
    },
    closeHedge(id, fillPerUnit = null) {
      adjustmentError = null;
      const hedge = hedges.find((h) => h.id === id);
      if (!hedge) {
        adjustmentError = 'Not closed: that hedge is no longer in the position.';
        return;
      }
      const natural = chain ? closingPrices(hedge, chain) : hedge.legs.map(() => null);
      let prices: number[];
      if (fillPerUnit === null || fillPerUnit === undefined) {
        const missing = hedge.legs.find((_, i) => natural[i] === null);
        if (missing) {
          adjustmentError = `Not closed: the ${missing.underlying} ${missing.strike} ${missing.kind} ${missing.expiry} has no quote on this page; enter the fill.`;
          return;
        }
        prices = natural as number[];
      } else {
        // The trader's net (positive: received) is the closing trade's net with the sign of a credit.
        const start = hedgeFills(
          hedge,
          1,
          -1,
          natural.map((p) => p ?? 0),
        );
        const moved = withNetFill(start, -fillPerUnit, hedge.quantity);
        if (!moved.ok) {
          adjustmentError = `Not closed: ${moved.reason}.`;
          return;
        }
        prices = moved.fills.map((f) => f.openPrice);
      }
      hedges = hedges.filter((h) => h.id !== id);
      record({
        at: wallClock().toISOString(),
        action: 'close',
        label: `Closed ${hedge.structure} × ${hedge.quantity}`,
        fills: hedgeFills(hedge, multiplier(), -1, prices),
        hedgeId: hedge.id,
      });
    },
    removeHedge(id) {
      adjustmentError = null;
      hedges = hedges.filter((h) => h.id !== id);
      journal = journal.filter((e) => e.hedgeId !== id);
    },
    restoreAdjustments(nextHedges, nextJournal) {
      adjustmentError = null;
      hedges = [...nextHedges];
      journal = [...nextJournal];
      for (const h of hedges) {
        const n = /^h(\d+)$/.exec(h.id);
        if (n) hedgeSeq = Math.max(hedgeSeq, Number(n[1]));
      }
      for (const e of journal) {
        const n = e.hedgeId ? /^h(\d+)$/.exec(e.hedgeId) : null;
        if (n) hedgeSeq = Math.max(hedgeSeq, Number(n[1]));
      }
    },
    setPageLegs(found) {
      pageLegs = found;
    },
    usePageLegs() {
      adjustmentError = null;
      const r = chain ? pageOfferOf(pageLegs, chain, { position, expiry }, wallClock().toISOString()) : null;
      if (!r?.apply) {
        adjustmentError = `Not used: ${r?.offer.reason ?? 'no positions are listed on this page'}.`;
        return;
      }
      position = r.apply.position;
      expiry = r.apply.expiry;
      hedges = r.apply.hedges.map((h) => ({ ...h, id: `h${++hedgeSeq}` }));
      journal = [];
      for (const h of hedges)
        record({
          at: h.addedAt,
          action: 'open',
          label: `${h.structure} × ${h.quantity}`,
          fills: hedgeFills(h, multiplier()),
          hedgeId: h.id,
        });
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
    recompute({ firstLook = false } = {}) {
      if (!chain || !meta) return state;
      state = computeSession(
        {
          chain,
          meta,
          position,
          expiry,
          hedges,
          journal,
          adjustmentError,
          alvh: alvhNow(),
          manualVix,
          curve,
          now,
          ...(options.planOnly ? { planOnly: true } : {}),
          ...(firstLook ? { firstLook: true } : {}),
        },
        state.seq + 1,
        clocks,
        kept,
      );
      if (state.status === 'ready' && pageLegs) {
        const r = pageOfferOf(
          pageLegs,
          chain,
          { position, expiry: state.expiry, hedges: hedges.length, journal: journal.length },
          state.valuedAt,
        );
        state = { ...state, pageOffer: r?.offer ?? null };
      }
      return state;
    },
  };
}
