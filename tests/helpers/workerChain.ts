/**
 * The engine tests' chain (tests/worker): one expiry priced from a known skewed smile, the page meta that goes
 * with it, and `ready`, which unwraps an engine state that must be ready.
 */
import { blackPrice } from '../../src/engine/pricing/black';
import { emptyQuote, type Chain, type ChainRow } from '../../src/chain/types';
import type { CurveRequest, EngineState, ReadyState } from '../../src/worker/engine';
import type { SessionCurves } from '../../src/engine/session';

/** One expiry's rows priced from the known skewed smile, `days` calendar days out. */
function smileRows(days: number): ChainRow[] {
  const years = days / 365;
  const spot = 6600;
  const D = Math.exp(-0.04 * years);
  const F = spot / D;
  const rows: ChainRow[] = [];
  for (let K = 5800; K <= 7200; K += 25) {
    const vol = Math.max(0.08, 0.16 - 0.5 * Math.log(K / F));
    const quote = (kind: 'call' | 'put') => {
      const mid = blackPrice({ kind, forward: F, strike: K, years, vol, discount: D });
      const half = Math.max(0.05, mid * 0.01);
      return { ...emptyQuote(), bid: Math.max(0, +(mid - half).toFixed(2)), ask: +(mid + half).toFixed(2) };
    };
    rows.push({ strike: K, call: quote('call'), put: quote('put') });
  }
  return rows;
}

/**
 * A chain priced from a known skewed smile: 2026-04-17 SPXW, spot 6600, r = 4%, no dividend, valued 30 days out.
 * `weekly`: also the 2026-04-03 SPXW expiry (16 days), the short-dated expiry a Layer One hedge is placed on (the
 * plan never hedges on the condor's own expiry: that would be a close).
 */
export function syntheticChain({ weekly = false }: { weekly?: boolean } = {}): Chain {
  const asOf = new Date('2026-03-18T20:00:00Z'); // 16:00 New York (EDT)
  return {
    version: 1,
    underlying: { symbol: 'SPX', price: 6600 },
    asOf: asOf.toISOString(),
    source: { kind: 'html', adapter: 'test' },
    expiries: [
      ...(weekly ? [{ date: '2026-04-03', root: 'SPXW', settlement: 'PM' as const, rows: smileRows(16) }] : []),
      { date: '2026-04-17', root: 'SPXW', settlement: 'PM', rows: smileRows(30) },
    ],
    warnings: [],
  };
}

/** What the content script sends with that chain. */
export const meta = {
  adapter: 'test',
  rowsRead: 57,
  rowsDropped: 0,
  confidence: 1,
  site: 'broker.example',
  pageUrl: 'https://broker.example/chain',
  pageTitle: 'SPX options',
};

/** The state, which must be ready (else the test fails with what it was). */
export const ready = (s: unknown): ReadyState => {
  const st = s as ReadyState;
  if (st.status !== 'ready') throw new Error(`not ready: ${JSON.stringify(s).slice(0, 300)}`);
  return st;
};

/** The position's P/L curves at a slider position: the engine's state after moving the sliders carries them. */
export async function curvesAt(
  engine: { setCurve(r: CurveRequest): Promise<EngineState> },
  request: CurveRequest,
): Promise<SessionCurves | null> {
  const s = await engine.setCurve(request);
  return s.status === 'ready' ? s.curves : null;
}
