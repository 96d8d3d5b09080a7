import { useEffect, useState } from 'preact/hooks';
import { proxy, type Remote } from 'comlink';
import type { EngineApi, EngineState } from '../worker/engine';
import { ChainStatus } from './ChainStatus';
import { fmtMs } from './format';

export type FrameProblem = { kind: 'handshake'; message: string } | null;

export function OverlayApp({ engine, problem }: { engine: Remote<EngineApi>; problem: FrameProblem }) {
  const [state, setState] = useState<EngineState>({ status: 'waiting', seq: 0 });
  useEffect(() => {
    void engine.subscribe(proxy((s: EngineState) => setState(s)));
  }, [engine]);

  return (
    <div role="region" aria-label="HedgeLens" class="hl-overlay">
      <header class="hl-header">
        <span class="hl-dot" data-state={state.status} aria-hidden="true" />
        <span class="hl-brand">HedgeLens</span>
        <span class="hl-muted" aria-live="polite" data-testid="engine-status">
          {state.status === 'ready' ? `updated ${new Date(state.computedAt).toLocaleTimeString()}` : state.status}
        </span>
      </header>
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
      {state.status === 'ready' && (
        <>
          <section class="hl-section">
            <ChainStatus summary={state.summary} />
          </section>
          <section class="hl-section hl-muted" data-testid="reading-report">
            Read by <b>{state.meta.adapter}</b>: {state.meta.rowsRead} rows
            {state.meta.rowsDropped > 0 ? `, ${state.meta.rowsDropped} dropped` : ''} · confidence{' '}
            {Math.round(state.meta.confidence * 100)}% · computed in the worker in {fmtMs(state.computeMs)}
          </section>
        </>
      )}
      <footer class="hl-footer">A trading aid, not advice. Computed in your browser; nothing leaves it.</footer>
    </div>
  );
}
