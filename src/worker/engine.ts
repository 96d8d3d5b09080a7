/**
 * The engine API the worker exposes (comlink). It holds the latest chain per connection group and pushes
 * state to subscribers (the overlay frame). Pure: no DOM, no browser API — tested in Node over MessageChannel.
 */
import type { Chain } from '../chain/types';
import { summarizeChain, type ChainSummary } from '../engine/summary';

export interface ChainMeta {
  adapter: string;
  rowsRead: number;
  rowsDropped: number;
  confidence: number;
  /** Host name of the page (never the full URL). */
  site: string;
}

export type EngineState =
  | { status: 'waiting'; seq: number }
  | { status: 'ready'; seq: number; computedAt: string; computeMs: number; summary: ChainSummary; meta: ChainMeta }
  | { status: 'error'; seq: number; message: string };

export type StateListener = (state: EngineState) => void;

export interface EngineApi {
  setChain(chain: Chain, meta: ChainMeta): Promise<EngineState>;
  getState(): Promise<EngineState>;
  subscribe(listener: StateListener): Promise<void>;
}

export function createEngine(clock: () => number = () => performance.now()): EngineApi {
  let state: EngineState = { status: 'waiting', seq: 0 };
  const listeners = new Set<StateListener>();
  const publish = (next: EngineState): EngineState => {
    state = next;
    for (const l of listeners) {
      try {
        l(state);
      } catch {
        listeners.delete(l); // a closed frame: forget it
      }
    }
    return state;
  };
  return {
    async setChain(chain, meta) {
      const seq = state.seq + 1;
      const t0 = clock();
      try {
        const summary = summarizeChain(chain);
        return publish({
          status: 'ready',
          seq,
          computedAt: new Date().toISOString(),
          computeMs: clock() - t0,
          summary,
          meta,
        });
      } catch (err) {
        return publish({ status: 'error', seq, message: err instanceof Error ? err.message : String(err) });
      }
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
