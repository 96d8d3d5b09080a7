import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { proxy, type Remote } from 'comlink';
import type { EngineApi, FrameReadyState, FrameState, PositionInput } from '../worker/engine';
import { COST_PARTS, type SaveReply } from '../messages';
import { ChainStatus } from './ChainStatus';
import { CondorSummary } from './overlay/CondorSummary';
import { PageOfferNotice } from './overlay/PageOfferNotice';
import { PayoffSection } from './overlay/PayoffSection';
import { PositionEntry } from './overlay/PositionEntry';
import { PositionHedges } from './overlay/PositionHedges';
import { ScenarioHeatmap } from './overlay/ScenarioHeatmap';
import { AlvhPanel } from './alvh/AlvhPanel';
import './alvh/alvh.css';
import { fmtClock, fmtDateTime, fmtMs, fmtNumber } from './format';
import { smileWarnings } from '../engine/smileNotes';

export type FrameProblem = { kind: 'handshake'; message: string } | null;

export interface OverlayProps {
  engine: Remote<EngineApi>;
  problem: FrameProblem;
  onCollapse?: (collapsed: boolean) => void;
  /** Click-to-build on the broker's chain (absent where there is no page, e.g. a snapshot view). */
  picking?: { picked: number[]; active: boolean; onPick: (on: boolean) => void };
  /**
   * Save a snapshot of what the overlay shows; `saved` is the last result, `busy` while a save is being written (the
   * button says so and a second press is ignored).
   */
  saving?: { onSave: () => void; saved: SaveReply | null; busy?: boolean };
  /** Problems with stored inputs (VIX history, rulebook, settings), said plainly; nothing was deleted. */
  inputProblems?: string[];
  /** "Reading wrong? Teach this page": teach mode on the broker's page (absent where there is no page). */
  onTeach?: () => void;
  /** Every state the engine pushes, for the frame (which restores the position after a worker restart). */
  onState?: (state: FrameState) => void;
}

function Report({
  state,
  lagMs,
  firstLagMs,
  firstFromReadMs,
  paintedFirstLook,
  firstTrace,
  renderMs,
  trace,
  onTeach,
}: {
  state: FrameReadyState;
  /** From the page's read to the paint of the state last painted. */
  lagMs: number | null;
  /** From the page's read to its first paint (the engine's first look, when it gave one). */
  firstLagMs: number | null;
  /** From when the page's reading was made to its first paint (the overlay's own start included, on a first chain). */
  firstFromReadMs: number | null;
  /** Whether the state last painted was a first look (null: none painted yet). */
  paintedFirstLook: boolean | null;
  /** The steps of the reading's first paint (see trace). */
  firstTrace: string | null;
  renderMs: number | null;
  /** The steps of the update last painted (see FeedTrace), as `step=ms` pairs. */
  trace: string | null;
  onTeach?: () => void;
}) {
  const m = state.meta;
  const cost = m.pageCost ?? null;
  return (
    <section
      class="hl-section hl-muted hl-report"
      data-testid="reading-report"
      data-read-to-paint-ms={lagMs === null ? undefined : lagMs.toFixed(1)}
      data-first-paint-ms={firstLagMs === null ? undefined : firstLagMs.toFixed(1)}
      data-first-paint-from-read-ms={firstFromReadMs === null ? undefined : firstFromReadMs.toFixed(1)}
      data-painted-stage={paintedFirstLook === null ? undefined : paintedFirstLook ? 'first-look' : 'whole'}
      data-render-ms={renderMs === null ? undefined : renderMs.toFixed(1)}
      data-trace-ms={trace ?? undefined}
      data-first-trace-ms={firstTrace ?? undefined}
      data-page-cost-p50-ms={cost ? cost.p50Ms.toFixed(2) : undefined}
      data-page-cost-p95-ms={cost ? cost.p95Ms.toFixed(2) : undefined}
      data-page-cost-updates={cost ? cost.updates : undefined}
      data-page-cost-parts-ms={
        cost?.partsMs
          ? `read=${cost.partsMs.read.toFixed(2)} send=${cost.partsMs.send.toFixed(2)} answer=${cost.partsMs.answer.toFixed(2)} marks=${cost.partsMs.marks.toFixed(2)}`
          : undefined
      }
      data-page-cost-slow-parts-ms={
        cost?.slowPartsMs ? COST_PARTS.map((k) => `${k}=${cost.slowPartsMs![k].toFixed(2)}`).join(' ') : undefined
      }
      aria-label="Page reading report"
    >
      Read by <b>{m.adapter}</b>: {m.rowsRead} rows
      {m.rowsDropped > 0 ? `, ${m.rowsDropped} dropped` : ''} · confidence {Math.round(m.confidence * 100)}% · valued at{' '}
      {fmtDateTime(state.valuedAt)} · computed in the worker in {fmtMs(state.computeMs)}
      {lagMs !== null
        ? firstLagMs !== null && firstLagMs < lagMs
          ? ` · first numbers on screen ${fmtMs(firstLagMs)} and all of them ${fmtMs(lagMs)} after the page was read`
          : ` · on screen ${fmtMs(lagMs)} after the page was read`
        : ''}
      {cost && cost.updates >= 5
        ? ` · HedgeLens on this page ${fmtMs(cost.p50Ms)} per update (95% within ${fmtMs(cost.p95Ms)})`
        : ''}
      {onTeach && (
        <>
          {' · '}
          <button class="hl-link" type="button" data-testid="teach-page" onClick={onTeach}>
            Reading wrong? Teach this page
          </button>
        </>
      )}
    </section>
  );
}

export function OverlayApp({
  engine,
  problem,
  onCollapse,
  picking,
  saving,
  inputProblems = [],
  onTeach,
  onState,
}: OverlayProps) {
  const [state, setState] = useState<FrameState>({ status: 'waiting', seq: 0 });
  const [collapsed, setCollapsed] = useState(false);
  // Lag from the content script's read to this frame's paint of it: once the DOM holds the state (a layout effect),
  // the next animation frame is the one that paints it, and a message posted from its callback is handled after
  // that paint. (Until 2 Dec the clock was read in an animation frame requested from a plain effect, which Preact
  // runs after the paint: one frame too many, up to 16.7 ms on each figure.)
  const [painted, setPainted] = useState<{
    lagMs: number;
    trace: string | null;
    /** The painted state was the engine's first look (the plan and the panels' figures still to come). */
    firstLook: boolean;
    /** The lag of the first paint of this reading (its first look's, when it had one), and its steps. */
    firstLagMs: number;
    /** The same paint from when the page's reading was made (the overlay's own start included on a first chain). */
    firstFromReadMs: number | null;
    firstTrace: string | null;
  } | null>(null);
  const readAt = state.status === 'ready' ? state.meta.readAtEpochMs : undefined;
  const feedTrace = state.trace;
  const paintedFirstLook = state.status === 'ready' && state.firstLook === true;
  /** The reading whose first paint was measured, and that paint's lag. */
  const readSince = state.status === 'ready' ? state.meta.readSinceEpochMs : undefined;
  const firstPaint = useRef<{
    readAt: number;
    lagMs: number;
    fromReadMs: number | null;
    trace: string | null;
  } | null>(null);
  useLayoutEffect(() => {
    if (readAt === undefined) return;
    let live = true;
    const afterPaint = new MessageChannel();
    afterPaint.port1.onmessage = () => {
      afterPaint.port1.close();
      if (!live) return;
      const paintAt = Date.now();
      // The update's steps, page read → worker → frame → screen (epoch ms; the render from this frame's own clock).
      const t = feedTrace;
      const render = renderMsRef.current ?? 0;
      const trace = t
        ? `toWorker=${t.receivedAt - readAt} wait=${t.computeStartAt - t.receivedAt} compute=${t.computedAt - t.computeStartAt} ` +
          `toFrame=${receivedEpoch.current - t.computedAt} render=${render.toFixed(1)} toPaint=${Math.max(0, paintAt - receivedEpoch.current - render).toFixed(1)} ` +
          `engineUp=${t.receivedAt - t.engineAt}`
        : null;
      const lagMs = paintAt - readAt;
      if (firstPaint.current?.readAt !== readAt)
        firstPaint.current = { readAt, lagMs, trace, fromReadMs: readSince === undefined ? null : paintAt - readSince };
      const first = firstPaint.current;
      setPainted({
        lagMs,
        trace,
        firstLook: paintedFirstLook,
        firstLagMs: first.lagMs,
        firstFromReadMs: first.fromReadMs,
        firstTrace: first.trace,
      });
    };
    const id = requestAnimationFrame(() => afterPaint.port2.postMessage(null));
    return () => {
      live = false;
      cancelAnimationFrame(id);
      afterPaint.port1.close();
    };
  }, [readAt, state.seq]);
  const lagMs = painted?.lagMs ?? null;
  // Render cost per update: from the state arriving in this frame to the DOM updated (before paint); kept in a ref and
  // shown with the next report so measuring does not itself cause renders.
  const receivedAt = useRef(0);
  const receivedEpoch = useRef(0);
  const renderMsRef = useRef<number | null>(null);
  useLayoutEffect(() => {
    if (receivedAt.current > 0) renderMsRef.current = performance.now() - receivedAt.current;
  }, [state]);
  const renderMs = renderMsRef.current;
  // The frame's one subscription to the engine's states, stopped when the panel goes (or its engine changes).
  const onStateRef = useRef(onState);
  onStateRef.current = onState;
  useEffect(() => {
    let gone = false;
    let stop: (() => void) | null = null;
    void engine
      .subscribe(
        proxy((s: FrameState) => {
          receivedAt.current = performance.now();
          receivedEpoch.current = Date.now();
          setState(s);
          onStateRef.current?.(s);
        }),
      )
      .then((unsubscribe) => {
        if (gone) void unsubscribe();
        else stop = unsubscribe;
      });
    return () => {
      gone = true;
      if (stop) void stop();
    };
  }, [engine]);

  const setPosition = (p: PositionInput) => void engine.setPosition(p);
  const toggle = () => {
    setCollapsed(!collapsed);
    onCollapse?.(!collapsed);
  };
  const ready = state.status === 'ready' ? state : null;
  const analysis = ready?.analysis ?? null;
  const chosen = analysis && analysis.chosenExpiry !== null ? analysis.expiries[analysis.chosenExpiry] : null;
  const risk = analysis?.condor ?? null;
  const grid = analysis?.grid ?? null;
  /** What the condor's smile left out, or that it is one vol at every strike (the figures rest on it). */
  const smileNotes = chosen?.smile ? smileWarnings(chosen.date, chosen.smile) : [];
  /** The engine's first look at a chain (ReadyState.firstLook): the plan, the curves and P50 are on their way. */
  const firstLook = ready?.firstLook === true;

  return (
    <div role="region" aria-label="HedgeLens" class="hl-overlay" data-collapsed={collapsed}>
      <header class="hl-header">
        <span class="hl-dot" data-state={state.status} aria-hidden="true" />
        <span class="hl-brand">HedgeLens</span>
        {ready && (
          <span class="hl-num hl-head-quote">
            {ready.summary.symbol} {fmtNumber(ready.summary.underlyingPrice)}
          </span>
        )}
        <span class="hl-muted hl-head-status" aria-live="polite" data-testid="engine-status">
          {ready ? fmtClock(ready.computedAt) : state.status}
        </span>
        {saving && ready && (
          <button
            class="hl-btn hl-btn-small"
            type="button"
            onClick={() => {
              if (!saving.busy) saving.onSave();
            }}
            title="Save snapshot (Alt+Shift+S)"
            aria-label="Save snapshot"
            aria-disabled={saving.busy ? 'true' : undefined}
            data-busy={saving.busy ? 'true' : undefined}
          >
            {saving.busy ? 'Saving…' : 'Save'}
          </button>
        )}
        <button
          class="hl-icon-btn"
          type="button"
          aria-expanded={!collapsed}
          aria-label={collapsed ? 'Expand HedgeLens' : 'Collapse HedgeLens'}
          onClick={toggle}
        >
          {collapsed ? '▴' : '▾'}
        </button>
      </header>
      {!collapsed && (
        <div class="hl-body">
          {saving?.busy && (
            <section class="hl-section hl-muted" role="status" data-testid="save-busy">
              Saving the snapshot…
            </section>
          )}
          {saving?.saved && !saving.busy && (
            <section
              class={`hl-section ${saving.saved.ok ? 'hl-saved' : 'hl-error'}`}
              role={saving.saved.ok ? 'status' : 'alert'}
              data-testid="save-result"
            >
              {saving.saved.ok ? `Saved snapshot: ${saving.saved.label}.` : saving.saved.message}
              {saving.saved.ok && saving.saved.warning ? ` ${saving.saved.warning}` : ''}
            </section>
          )}
          {inputProblems.map((p) => (
            <section class="hl-section hl-error" role="alert" key={p}>
              {p}
            </section>
          ))}
          {problem && (
            <section class="hl-section hl-error" role="alert">
              {problem.message}
            </section>
          )}
          {state.status === 'waiting' && !problem && <section class="hl-section hl-muted">Reading the chain…</section>}
          {state.status === 'error' && (
            <section class="hl-section hl-error" role="alert">
              The engine could not analyse this chain: {state.message}
            </section>
          )}
          {ready && (
            <>
              <section class="hl-section">
                <ChainStatus summary={ready.summary} compact={Boolean(risk)} />
                {ready.valuationNote && <p class="hl-hint hl-muted">Quotes {ready.valuationNote}</p>}
              </section>
              <PageOfferNotice offer={ready.pageOffer} onUse={() => void engine.usePageLegs()} />
              <PositionEntry
                position={ready.position}
                error={ready.positionError}
                picking={picking}
                defaultWidth={risk ? risk.width : null}
                example={
                  analysis && {
                    condor: analysis.condor,
                    strikes:
                      analysis.chosenExpiry === null
                        ? []
                        : analysis.expiries[analysis.chosenExpiry]!.strikes.map((s) => s.strike),
                    price: analysis.spot,
                  }
                }
                onSubmit={setPosition}
              />
              {ready.analysisError && (
                <section class="hl-section hl-error" role="alert">
                  Analysis failed: {ready.analysisError}
                </section>
              )}
              {analysis && !risk && (
                <section class="hl-section hl-muted" data-testid="no-condor">
                  No condor to show: {analysis.condorReason ?? analysis.chosenReason}
                </section>
              )}
              {risk && analysis?.suggestionMovedFrom && (
                <section class="hl-section hl-hint hl-muted" role="status" data-testid="condor-moved">
                  {analysis.suggestionMovedFrom} cannot hold the suggested condor, so it is on {risk.expiry}:{' '}
                  {analysis.chosenReason}.
                </section>
              )}
              {risk && smileNotes.length > 0 && (
                <section class="hl-section hl-hint hl-muted" role="note" data-testid="smile-notes">
                  {smileNotes.map((n) => (
                    <p key={n}>{`${n[0]!.toUpperCase()}${n.slice(1)}.`}</p>
                  ))}
                </section>
              )}
              {risk && chosen && (
                <>
                  <CondorSummary
                    risk={risk}
                    suggested={analysis!.condorSuggested}
                    expectedMove={chosen.expectedMove}
                    position={ready.positionRisk ?? null}
                    management={ready.management ?? null}
                    managementPending={firstLook}
                  />
                  <PositionHedges
                    hedges={ready.hedges ?? []}
                    risk={ready.positionRisk ?? null}
                    journal={ready.journal ?? []}
                    pnl={ready.journalPnl ?? null}
                    error={ready.adjustmentError ?? null}
                    onRemove={(id) => void engine.removeHedge(id)}
                    onClose={(id, fill) => void engine.closeHedge(id, fill)}
                  />
                  <AlvhPanel
                    plan={ready.plan}
                    status={
                      firstLook
                        ? { kind: 'computing' }
                        : ready.planError
                          ? { kind: 'error', message: ready.planError }
                          : null
                    }
                    vix={{ vix: ready.vix.source === 'manual' ? ready.vix.level : null }}
                    onVixSubmit={(entry) => void engine.setManualVix(entry.vix, entry.prevClose)}
                    onAddHedge={(ticket, fill) => void engine.addHedge(ticket, fill)}
                    upcomingMacro={ready.upcomingMacro}
                  />
                  {(ready.vix.level !== null || ready.planAssumptions.length > 0) && (
                    <section class="hl-section hl-hint hl-muted" data-testid="plan-inputs">
                      {ready.vix.level !== null && (
                        <p class="hl-hint">
                          VIX {fmtNumber(ready.vix.level)} · {ready.vix.source}
                        </p>
                      )}
                      {ready.planAssumptions.map((a) => (
                        <p class="hl-hint" key={a}>
                          Assumed: {a}
                        </p>
                      ))}
                    </section>
                  )}
                  {firstLook ? (
                    // The sliders ask the engine for curves: not before the whole state is there.
                    <section class="hl-section" aria-label="Profit and loss">
                      <div class="hl-chart-placeholder hl-muted" data-testid="pnl-pending">
                        Drawing the P/L…
                      </div>
                    </section>
                  ) : (
                    <PayoffSection
                      engine={engine}
                      risk={risk}
                      spot={analysis!.spot}
                      expectedMove={chosen.expectedMove}
                      curves={ready.curves}
                    />
                  )}
                </>
              )}
              {grid && (
                <section class="hl-section" aria-label="Scenarios">
                  <h3 class="hl-h3">
                    Scenario P/L in $, now · vol shocks ×{fmtNumber(grid.volShiftScale, 2)} for the term
                    {ready.positionRisk ? ' · hedges included' : ''}
                  </h3>
                  <ScenarioHeatmap grid={grid} />
                </section>
              )}
              <Report
                state={ready}
                lagMs={lagMs}
                firstLagMs={painted?.firstLagMs ?? null}
                firstFromReadMs={painted?.firstFromReadMs ?? null}
                paintedFirstLook={painted?.firstLook ?? null}
                firstTrace={painted?.firstTrace ?? null}
                renderMs={renderMs}
                trace={painted?.trace ?? null}
                onTeach={onTeach}
              />
            </>
          )}
          <footer class="hl-footer">A trading aid, not advice. Computed in your browser; nothing leaves it.</footer>
        </div>
      )}
    </div>
  );
}
