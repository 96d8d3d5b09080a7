/**
 * The engine API the worker exposes (comlink). It keeps the latest chain and the trader's position, re-analyses
 * on every change and pushes the state to subscribers (the overlay frame). Pure: no DOM, no browser API —
 * tested in Node over MessageChannel.
 */
import type { Chain } from '../chain/types';
import { summarizeChain, type ChainSummary } from '../engine/summary';
import { analyzeChain, modelFor } from '../engine/analyze';
import { condorFromStrikes, condorFromTargets, parseCondorText, parseTargets } from '../engine/builders';
import { defaultPriceGrid, pnlCurve, positionPnl } from '../engine/scenarios';
import { valuationTime } from '../engine/time';
import { planHedges, type HedgePlan, type HedgeTicket } from '../engine/alvh/plan';
import { defaultRulebook, type Rulebook } from '../engine/alvh/rulebook';
import type { VixBar, VixSighting } from '../engine/alvh/vixSeries';
import type { SnapshotInput } from '../storage/snapshots';
import type { PositionSummary } from '../messages';
import { buildSnapshotInput } from './snapshot';
import { applyPatch, unpackChain, type ChainPatch } from './chainPatch';
import type { CostSummary } from '../content/cost';
import {
  addToCurve,
  addToGrid,
  hedgeFromTicket,
  positionRisk,
  priceableLegs,
  type PositionHedge,
  type PositionRisk,
} from './position';
import type { ChainAnalysis, CondorSpec, PnlCurve } from '../engine/types';

export interface ChainMeta {
  adapter: string;
  rowsRead: number;
  rowsDropped: number;
  confidence: number;
  /** Host name of the page. */
  site: string;
  /** The page's origin and path only: never its query or fragment (they can carry account identifiers). */
  pageUrl: string;
  pageTitle: string;
  /** VIX quotes the reader saw on the page (time-stamped). */
  vixSightings?: VixSighting[];
  /** When the content script finished reading the page (epoch ms): the overlay measures its lag from it. */
  readAtEpochMs?: number;
  /** The content script's own main-thread time per update on the page (see src/content/cost.ts). */
  pageCost?: CostSummary | null;
}

/** What the hedge plan needs besides the chain: the trader's VIX history, rulebook and account. */
export interface AlvhInputs {
  vixHistory: VixBar[];
  /** Sightings kept from earlier pages (storage). */
  vixSightings: VixSighting[];
  rulebook: Rulebook;
  account: { sizeDollars: number; buyingPowerDollars: number } | null;
}

/** Used when the trader has not entered an account (said in the plan's notes). */
export const ASSUMED_ACCOUNT = { sizeDollars: 100_000, buyingPowerDollars: 50_000 };

/** How the trader entered the condor. */
export type PositionInput =
  | { kind: 'suggested' }
  | { kind: 'text'; text: string }
  | { kind: 'targets'; text: string }
  | { kind: 'strikes'; strikes: [number, number, number, number]; quantity: number; credit?: number | null };

export interface ReadyState {
  status: 'ready';
  seq: number;
  computedAt: string;
  computeMs: number;
  /**
   * The instant the chain is valued at: the quotes' time stamp when the page shows one, else the wall clock —
   * moved back to the last regular close when that falls outside the session (engine/time.ts valuationTime).
   */
  valuedAt: string;
  /** Why valuedAt differs from when the quotes were seen, or null. */
  valuationNote: string | null;
  summary: ChainSummary;
  meta: ChainMeta;
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
  /** Assumptions the plan had to make (no account entered, no VIX history imported, …). */
  planAssumptions: string[];
  /** The hedges the trader added to the position (the analysis' grid includes their SPX legs). */
  hedges: PositionHedge[];
  /** The condor with the hedges (greeks, max loss and profit at the condor's expiry); null without hedges. */
  positionRisk: PositionRisk | null;
}

export type EngineState =
  { status: 'waiting'; seq: number } | ReadyState | { status: 'error'; seq: number; message: string };

export type StateListener = (state: EngineState) => void;

/**
 * What the content script on the broker's page needs of each update — kept small because it is cloned onto the
 * page's main thread on every tick: the chain line for the popup, the condor at a glance, and the numbers the row
 * marks need. (The full state, with every strike's IV, the grid and the plan, goes only to the overlay frame.)
 */
export interface PageView {
  seq: number;
  status: EngineState['status'];
  message: string | null;
  summary: ChainSummary | null;
  position: PositionSummary | null;
  marks: { expiry: string; legs: number[]; breakevens: [number, number]; expectedMove: [number, number] | null } | null;
}
export type PageViewListener = (view: PageView) => void;

/**
 * What the content script sends on the feed port: a whole chain, or a patch of it, each numbered; and what it uses
 * of a page view (`positionRows`: it marks the position's rows, so the legs and breakevens matter to it).
 */
export type FeedIn =
  /** A whole chain: `chain` without its rows, which come packed in `rows` (see packChain). */
  | { kind: 'push'; id: number; chain: Chain; rows: Float64Array; meta: ChainMeta; layout: number }
  | { kind: 'patch'; id: number; patch: ChainPatch; meta: ChainMeta }
  | { kind: 'uses'; id: number; positionRows: boolean };

/**
 * What the worker sends back, only when there is something to say (nothing is acknowledged: a message the page's
 * main thread receives costs it a task): a page view when it changed in what the page uses (see pageViewKey), or
 * the refusal of a patch that did not fit (send the whole chain; every later patch of that layout is refused too).
 */
export type FeedOut = { kind: 'view'; view: PageView } | { kind: 'refused'; id: number };

/** The value of the lowest strike ≥ x, or of the highest ≤ x (`below`), in any order of rows; NaN: none. */
function edgeStrike(rows: readonly { strike: number }[], x: number, below: boolean): number {
  let best = NaN;
  for (const { strike: k } of rows) if (below ? k <= x && !(k <= best) : k >= x && !(k >= best)) best = k;
  return best;
}

/**
 * What of a page view the page uses on every update: the status, the chain line's expiry and strikes (what a click
 * on the chain can pick), and the row marks taken to the strikes they fall on — the position's legs and breakeven
 * rows only where the trader has the page mark them (`positionRows`). The figures that move on every tick (the
 * price, the straddle, the condor's dollars) are left out: a view whose key is unchanged changes nothing on the
 * page, and the popup asks for the current view when it opens.
 */
export function pageViewKey(view: PageView, chain: Chain | null, positionRows = true): string {
  const s = view.summary;
  const m = view.marks;
  let marks = '';
  if (m) {
    const rows = chain?.expiries.find((e) => e.date === m.expiry)?.rows ?? [];
    const [lo, hi] = m.breakevens;
    const em = m.expectedMove;
    marks = [
      m.expiry,
      positionRows ? `${m.legs.join(',')}|${edgeStrike(rows, lo, true)}|${edgeStrike(rows, hi, false)}` : '',
      em ? `${edgeStrike(rows, em[0], false)}-${edgeStrike(rows, em[1], true)}` : '',
    ].join('|');
  }
  return JSON.stringify([view.status, view.message, s && [s.symbol, s.expiry, s.root, s.expiries, s.strikes], marks]);
}

export function pageViewOf(state: EngineState): PageView {
  if (state.status !== 'ready')
    return {
      seq: state.seq,
      status: state.status,
      message: state.status === 'error' ? state.message : null,
      summary: null,
      position: null,
      marks: null,
    };
  const a = state.analysis;
  const c = a?.condor ?? null;
  const chosen = a && a.chosenExpiry !== null ? (a.expiries[a.chosenExpiry] ?? null) : null;
  const em = chosen?.expectedMove.fromAtmVol ?? null;
  const spot = a?.spot ?? null;
  return {
    seq: state.seq,
    status: 'ready',
    message: null,
    summary: state.summary,
    position: c
      ? {
          legs: `${c.quantity > 1 ? `${c.quantity} × ` : ''}${c.strikes.join('/')} ${c.expiry}`,
          suggested: a!.condorSuggested,
          maxProfitDollars: c.maxProfitDollars,
          maxLossDollars: c.maxLossDollars,
          probabilityOfProfit: c.probability.profitSkewAware,
          stage: state.plan?.stage ?? null,
        }
      : null,
    marks:
      c && chosen
        ? {
            expiry: chosen.date,
            legs: [...c.strikes],
            breakevens: [c.breakevenLower, c.breakevenUpper],
            expectedMove: em !== null && spot !== null ? [spot - em, spot + em] : null,
          }
        : null,
  };
}

export interface CurveRequest {
  /** Days from the valuation instant (0 = today). */
  daysForward: number;
  /** Nominal volatility shift in vol points (term-scaled like the scenario grid). */
  volShiftPoints: number;
  points?: number;
}

export interface EngineApi {
  setChain(chain: Chain, meta: ChainMeta): Promise<EngineState>;
  /**
   * The content script's feed: chains (with the sender's layout number) and patches of them in, page views out,
   * on one port of its own (see FeedIn and FeedOut): one message in per update and none back unless the page has a
   * use for it, where comlink would add a reply and a proxy per call — the content script's main thread is the
   * broker's page's, and pays for every message. A patch for another layout, or with a row that is not there, is
   * refused (send the whole chain). Updates that come faster than the engine computes are taken together.
   */
  attachFeed(port: MessagePort): Promise<void>;
  /** The page view of the current state (the popup's status, with the figures of this moment). */
  pageView(): Promise<PageView>;
  setPosition(position: PositionInput): Promise<EngineState>;
  setExpiry(date: string | null): Promise<EngineState>;
  setAlvhInputs(inputs: Partial<AlvhInputs>): Promise<EngineState>;
  /** The VIX level typed by the trader, and optionally the prior close (null clears them). */
  setManualVix(level: number | null, priorClose?: number | null): Promise<EngineState>;
  /** Adds a hedge ticket's legs to the position at the ticket's natural price (now). */
  addHedge(ticket: HedgeTicket): Promise<EngineState>;
  removeHedge(id: string): Promise<EngineState>;
  /** The position's P/L (condor + the SPX legs of added hedges) on a price grid at a date and vol shift, plus the payoff at the condor's expiry on the same grid. */
  curves(request: CurveRequest): Promise<{ at: PnlCurve; expiry: PnlCurve } | null>;
  /** The current state as a snapshot to save (trimmed to the condor's expiry), or null before a chain is read. */
  snapshotInput(): Promise<SnapshotInput | null>;
  getState(): Promise<EngineState>;
  subscribe(listener: StateListener): Promise<void>;
}

/** How long the feed waits after a message before computing (see attachFeed). */
const COMPUTE_PAUSE_MS = 8;

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

export function createEngine(
  clock: () => number = () => performance.now(),
  wallClock: () => Date = () => new Date(),
): EngineApi {
  let state: EngineState = { status: 'waiting', seq: 0 };
  let chain: Chain | null = null;
  /** The layout number of the chain pushed last (null: set otherwise, no patch fits). */
  let layoutId: number | null = null;
  let meta: ChainMeta | null = null;
  let position: PositionInput = { kind: 'suggested' };
  let expiry: string | null = null;
  let alvh: AlvhInputs = { vixHistory: [], vixSightings: [], rulebook: defaultRulebook(), account: null };
  let manualVix: number | null = null;
  let manualPriorClose: number | null = null;
  let hedges: PositionHedge[] = [];
  let hedgeSeq = 0;
  const listeners = new Set<StateListener>();
  const pageListeners = new Set<PageViewListener>();

  const publish = (next: EngineState): EngineState => {
    state = next;
    for (const l of listeners) {
      try {
        l(state);
      } catch {
        listeners.delete(l); // a closed frame: forget it
      }
    }
    if (pageListeners.size > 0) {
      const view = pageViewOf(state);
      for (const l of pageListeners) {
        try {
          l(view);
        } catch {
          pageListeners.delete(l);
        }
      }
    }
    return state;
  };

  /** Resolves the entered position into a condor spec on the chosen expiry, or says why it cannot. */
  const resolvePosition = (c: Chain, first: ChainAnalysis): { spec: CondorSpec | null; error: string | null } => {
    if (position.kind === 'suggested') return { spec: null, error: null };
    const idx = first.chosenExpiry;
    const chosen = idx === null ? null : first.expiries[idx];
    const rows = chosen ? c.expiries.find((e) => e.date === chosen.date && e.root === chosen.root)?.rows : undefined;
    if (!chosen || !rows) return { spec: null, error: 'no usable expiry on this chain for a condor' };
    if (position.kind === 'text') {
      const r = parseCondorText({ text: position.text, rows });
      return r.ok ? { spec: r.spec, error: null } : { spec: null, error: r.error };
    }
    if (position.kind === 'strikes') {
      const r = condorFromStrikes({
        strikes: position.strikes,
        quantity: position.quantity,
        credit: position.credit ?? null,
        rows,
      });
      return r.ok ? { spec: r.spec, error: null } : { spec: null, error: r.error };
    }
    const t = parseTargets(position.text);
    if (!t.ok) return { spec: null, error: t.error };
    const model = modelFor(chosen, c.underlying.price);
    if (!model) return { spec: null, error: `no smile on ${chosen.date} to find ${position.text} strikes` };
    const r = condorFromTargets({ targets: t.targets, model, rows });
    return r.ok ? { spec: r.spec, error: null } : { spec: null, error: r.error };
  };

  /** Applies a patch (the state is computed by the caller); false: it does not fit. */
  const patch = (p: ChainPatch, nextMeta: ChainMeta): boolean => {
    if (!chain || layoutId === null || p.layout !== layoutId) return false;
    const next = applyPatch(chain, p);
    if (!next) {
      // Its rows are not in this chain: no later patch of the layout can be trusted on top of it either.
      layoutId = null;
      return false;
    }
    chain = next;
    meta = nextMeta;
    return true;
  };

  const recompute = (): EngineState => {
    if (!chain || !meta) return state;
    const seq = state.seq + 1;
    const t0 = clock();
    try {
      const stamped = chain.asOf ? new Date(chain.asOf) : null;
      const seen = stamped && Number.isFinite(stamped.getTime()) ? stamped : wallClock();
      const valuation = valuationTime(seen);
      const now = valuation.at;
      const summary = summarizeChain(chain, expiry);
      let analysis: ChainAnalysis | null = null;
      let analysisError: string | null = null;
      let positionError: string | null = null;
      try {
        const first = analyzeChain({ chain, now, expiry: expiry ?? undefined });
        const { spec, error } = resolvePosition(chain, first);
        positionError = error;
        analysis = spec
          ? analyzeChain({ chain, now, expiry: first.expiries[first.chosenExpiry!]?.date, condor: spec })
          : first;
      } catch (err) {
        analysisError = message(err);
      }
      const vixSightings = [...alvh.vixSightings, ...(meta.vixSightings ?? [])];
      if (manualPriorClose !== null) {
        // The prior close the trader typed stands for the previous session's close (a day before the valuation).
        vixSightings.unshift({
          at: new Date(now.getTime() - 86_400_000).toISOString(),
          value: manualPriorClose,
          source: 'manual prior close',
        });
      }
      const pageVix = vixSightings.length ? vixSightings[vixSightings.length - 1]! : null;
      const lastClose = alvh.vixHistory.length ? alvh.vixHistory[alvh.vixHistory.length - 1]! : null;
      const vix =
        manualVix !== null
          ? { level: manualVix, source: 'manual' }
          : pageVix
            ? { level: pageVix.value, source: `seen on ${pageVix.source}` }
            : lastClose
              ? { level: lastClose.close, source: `last close in your VIX history (${lastClose.date})` }
              : { level: null, source: null };
      const planAssumptions: string[] = [];
      if (!alvh.account)
        planAssumptions.push(
          `no account entered: liquidity judged on $${ASSUMED_ACCOUNT.sizeDollars.toLocaleString('en-US')} with $${ASSUMED_ACCOUNT.buyingPowerDollars.toLocaleString('en-US')} buying power (set yours in Options)`,
        );
      if (alvh.vixHistory.length === 0)
        planAssumptions.push(
          'no VIX history imported: RSI and MACD cannot be judged (import VIX_History.csv in Options)',
        );
      let plan: HedgePlan | null = null;
      let planError: string | null = null;
      if (analysis) {
        try {
          plan = planHedges({
            analysis,
            chain,
            vix: { spot: manualVix, history: alvh.vixHistory, sightings: vixSightings },
            rulebook: alvh.rulebook,
            account: alvh.account ?? ASSUMED_ACCOUNT,
            now,
            // The hedges the trader added: in Unwind the plan closes them layer by layer.
            heldHedges: hedges.flatMap((h) => h.legs),
          });
        } catch (err) {
          planError = message(err);
        }
      }
      // The plan judges the condor as entered; what the overlay shows of the position includes the hedges.
      let risk: PositionRisk | null = null;
      if (analysis && hedges.length > 0) {
        const condor = analysis.condor;
        const chosen = analysis.chosenExpiry === null ? null : analysis.expiries[analysis.chosenExpiry];
        const model = chosen ? modelFor(chosen, analysis.spot) : null;
        if (condor && model) {
          const legs = {
            strikes: condor.strikes,
            quantity: condor.quantity,
            multiplier: condor.multiplier,
            credit: condor.creditUsed,
          };
          risk = positionRisk({
            analysis,
            hedges,
            condorPnlAt: (price) =>
              positionPnl({ model, legs, price, daysForward: condor.daysToExpiry, volShiftPoints: 0 }),
          });
        }
        if (analysis.grid && analysis.spot !== null) {
          const priced = priceableLegs(hedges, analysis).legs;
          analysis = { ...analysis, grid: addToGrid(analysis.grid, priced, analysis.multiplier, analysis.spot) };
        }
      }
      return publish({
        status: 'ready',
        seq,
        hedges,
        positionRisk: risk,
        plan,
        planError,
        vix,
        planAssumptions,
        computedAt: wallClock().toISOString(),
        computeMs: clock() - t0,
        valuedAt: now.toISOString(),
        valuationNote: valuation.reason,
        summary,
        meta,
        analysis,
        analysisError,
        position,
        positionError,
        expiry,
      });
    } catch (err) {
      return publish({ status: 'error', seq, message: message(err) });
    }
  };

  return {
    async setChain(next, nextMeta) {
      chain = next;
      layoutId = null;
      meta = nextMeta;
      return recompute();
    },
    async attachFeed(port) {
      let sentKey: string | null = null;
      let positionRows = true;
      const listener: PageViewListener = (view) => {
        const key = pageViewKey(view, chain, positionRows);
        if (key === sentKey) return;
        sentKey = key;
        const out: FeedOut = { kind: 'view', view };
        port.postMessage(out);
      };
      // The state is computed once for all the messages that came meanwhile, a few milliseconds after the first:
      // the page's main thread sent it from within its frame, and a worker waking at once to compute for ~5 ms takes
      // the core from under that frame wherever the cores are busy (measured on 2 cores: sends of 0.2 ms took 2-7 ms
      // in such runs). After a short pause the frame is done.
      let computing = false;
      const computeSoon = () => {
        if (computing) return;
        computing = true;
        setTimeout(() => {
          computing = false;
          recompute();
        }, COMPUTE_PAUSE_MS);
      };
      port.onmessage = (ev: MessageEvent<FeedIn>) => {
        const m = ev.data;
        if (m.kind === 'uses') {
          positionRows = m.positionRows;
          sentKey = null; // the next view goes whatever it holds
          listener(pageViewOf(state));
        } else if (m.kind === 'push') {
          const whole = unpackChain(m.chain, m.rows);
          if (whole) {
            chain = whole;
            layoutId = m.layout;
            meta = m.meta;
            sentKey = null; // a whole chain is answered with its view, whatever the page saw before
            computeSoon();
          } else {
            const out: FeedOut = { kind: 'refused', id: m.id };
            port.postMessage(out);
          }
        } else if (patch(m.patch, m.meta)) computeSoon();
        else {
          const out: FeedOut = { kind: 'refused', id: m.id };
          port.postMessage(out);
        }
      };
      pageListeners.add(listener);
      listener(pageViewOf(state));
    },
    async pageView() {
      return pageViewOf(state);
    },
    async setPosition(next) {
      position = next;
      return recompute();
    },
    async setAlvhInputs(inputs) {
      alvh = { ...alvh, ...inputs };
      return recompute();
    },
    async setManualVix(level, priorClose = null) {
      const valid = (v: number | null | undefined) =>
        v !== null && v !== undefined && Number.isFinite(v) && v > 0 ? v : null;
      manualVix = valid(level);
      manualPriorClose = manualVix === null ? null : valid(priorClose);
      return recompute();
    },
    async setExpiry(date) {
      expiry = date;
      return recompute();
    },
    async curves({ daysForward, volShiftPoints, points = 121 }) {
      if (state.status !== 'ready' || !state.analysis) return null;
      const a = state.analysis;
      const risk = a.condor;
      const chosen = a.chosenExpiry === null ? null : a.expiries[a.chosenExpiry];
      if (!risk || !chosen) return null;
      const model = modelFor(chosen, a.spot);
      if (!model) return null;
      const legs = {
        strikes: risk.strikes,
        quantity: risk.quantity,
        multiplier: risk.multiplier,
        credit: risk.creditUsed,
      };
      const prices = defaultPriceGrid({ model, strikes: risk.strikes, points });
      const days = Math.max(0, Math.min(daysForward, risk.daysToExpiry));
      const hedged = state.hedges.length > 0 ? priceableLegs(state.hedges, a).legs : [];
      return {
        at: addToCurve(pnlCurve({ model, legs, prices, daysForward: days, volShiftPoints }), hedged, a.multiplier),
        expiry: addToCurve(pnlCurve({ model, legs, prices, daysForward: risk.daysToExpiry }), hedged, a.multiplier),
      };
    },
    async addHedge(ticket) {
      hedgeSeq += 1;
      hedges = [...hedges, hedgeFromTicket(ticket, `h${hedgeSeq}`, wallClock())];
      return recompute();
    },
    async removeHedge(id) {
      hedges = hedges.filter((h) => h.id !== id);
      return recompute();
    },
    async snapshotInput() {
      if (state.status !== 'ready' || !chain) return null;
      return buildSnapshotInput({ chain, state });
    },
    async getState() {
      return state;
    },
    async subscribe(listener) {
      listeners.add(listener);
      listener(state);
    },
  };
}
