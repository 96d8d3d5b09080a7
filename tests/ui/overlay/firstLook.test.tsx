// @vitest-environment happy-dom
/**
 * The overlay on the engine's first look at a chain (ReadyState.firstLook): the condor's figures are shown at once,
 * and the places of the hedge plan, P50 and the P/L chart say they are being worked out; the chart's sliders ask
 * the engine nothing until the whole state has come. Then the whole state fills those places.
 */
import { render } from 'preact';
import { act } from 'preact/test-utils';
import type { Remote } from 'comlink';
import { afterEach, describe, expect, it } from 'vitest';
import { OverlayApp } from '../../../src/ui/OverlayApp';
import { createSession } from '../../../src/engine/session';
import type { ChainMeta, CurveRequest, EngineApi, EngineState } from '../../../src/worker/engine';
import { meta, syntheticChain } from '../../helpers/workerChain';

let host: HTMLElement | null = null;
afterEach(() => {
  if (host) render(null, host);
  host?.remove();
  host = null;
});

/** An engine that publishes the states the test gives it and records the curves asked of it. */
function scriptedEngine() {
  let listener: ((s: EngineState) => void) | null = null;
  const curveCalls: CurveRequest[] = [];
  const engine = {
    subscribe: async (l: (s: EngineState) => void) => {
      listener = l;
      return () => undefined;
    },
    setCurve: async (r: CurveRequest) => {
      curveCalls.push(r);
      return { status: 'waiting', seq: 0 } as EngineState;
    },
  };
  return {
    engine: engine as unknown as Remote<EngineApi>,
    curveCalls,
    publish: async (s: EngineState) => {
      for (let i = 0; i < 50 && !listener; i++) await act(async () => void (await Promise.resolve()));
      await act(async () => listener!(s));
    },
  };
}

const text = (el: HTMLElement, testId: string) => el.querySelector(`[data-testid="${testId}"]`)?.textContent ?? null;

describe('the overlay on a first look', () => {
  it('shows the condor at once, keeps the places of the plan, P50 and the chart, and fills them with the whole state', async () => {
    const session = createSession<ChainMeta>();
    session.setChain(syntheticChain(), meta);
    const firstLook = session.recompute({ firstLook: true });
    const whole = session.recompute();
    expect(firstLook.status === 'ready' && firstLook.firstLook).toBe(true);

    const { engine, curveCalls, publish } = scriptedEngine();
    host = document.createElement('div');
    document.body.append(host);
    await act(async () => render(<OverlayApp engine={engine} problem={null} />, host!));
    await publish(firstLook);
    const el = host;
    // The condor's own figures are there (the same as the whole state's, below).
    const legs = text(el, 'condor-legs');
    expect(legs).toMatch(/\d \/ \d.* \/ \d.* \/ \d/);
    const pop = text(el, 'pop');
    expect(pop).toMatch(/%$/);
    // The rest is said to be coming, in its own place.
    expect(text(el, 'p50-pending')).toBe('…');
    expect(el.querySelector('[aria-label="ALVH hedge plan"]')?.textContent).toContain('Working out the hedge plan…');
    expect(text(el, 'pnl-pending')).toBe('Drawing the P/L…');
    expect(el.querySelector('[data-testid="date-slider"]')).toBeNull();
    expect(curveCalls).toEqual([]);

    await publish(whole);
    expect(text(el, 'condor-legs')).toBe(legs);
    expect(text(el, 'pop')).toBe(pop);
    expect(el.querySelector('[data-testid="p50-pending"]')).toBeNull();
    expect(text(el, 'p50')).toMatch(/%$/);
    expect(el.querySelector('[data-testid="pnl-pending"]')).toBeNull();
    expect(el.querySelector('[data-testid="date-slider"]')).not.toBeNull();
    expect(el.querySelector('[aria-label="ALVH hedge plan"]')?.textContent).not.toContain('Working out');
  });
});
