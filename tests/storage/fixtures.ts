import type { Chain } from '../../src/chain/types';
import type { SnapshotInput } from '../../src/storage/snapshots';

export function makeChain(symbol = 'SPX', price: number | null = 6632.19, expiry = '2026-03-20'): Chain {
  return {
    version: 1,
    underlying: { symbol, price },
    asOf: '2026-03-14T11:34:00Z',
    source: { kind: 'html', adapter: 'generic-table' },
    expiries: [
      {
        date: expiry,
        root: 'SPXW',
        settlement: 'PM',
        rows: [
          {
            strike: 6600,
            call: { bid: 52.1, ask: 53.4, last: 52.9, volume: 1035, openInterest: 35, iv: 0.1432, delta: 0.55 },
            put: { bid: 19.8, ask: 20.3, last: null, volume: null, openInterest: 12, iv: null, delta: null },
          },
          { strike: 6650, call: null, put: null },
        ],
      },
    ],
    warnings: [{ row: 17, reason: 'crossed market: bid 5.2 > ask 4.9' }],
  };
}

export function makeInput(over: Partial<SnapshotInput> = {}): SnapshotInput {
  return {
    url: 'https://broker.example.com/chain/SPX?account=12345678&session=abc#positions',
    pageTitle: 'SPX option chain — Broker',
    chain: makeChain(),
    condor: {
      expiry: '2026-03-20',
      strikes: [6400, 6450, 6800, 6850],
      quantity: 2,
      credit: 4.1,
    },
    hedges: [
      { underlying: 'SPX', root: 'SPXW', kind: 'put', strike: 6300, expiry: '2026-03-20', quantity: 1, price: 2.35 },
      { underlying: 'VIX', root: 'VIX', kind: 'call', strike: 25, expiry: '2026-04-15', quantity: -3, price: null },
    ],
    // Shaped like the engine's ChainAnalysis (src/engine/types.ts), trimmed.
    analysis: {
      symbol: 'SPX',
      spot: 6632.19,
      expiries: [{ date: '2026-03-20', atmVol: 0.152 }],
      chosenExpiry: 0,
      condor: {
        probability: { profitLognormal: 0.71, profitSkewAware: 0.68 },
        greeks: {
          deltaDollarsPerPoint: -12.5,
          gammaDollarsPerPoint: -0.8,
          vegaDollarsPerVolPoint: -310.2,
          thetaDollarsPerDay: 95.4,
        },
      },
    },
    plan: { stage: 'Calm', suggestions: [] },
    vix: { level: 17.2, priorClose: 16.1, future: 18.05, asOf: '2026-03-14T11:30:00Z' },
    rulebookVersion: 3,
    note: 'before FOMC',
    ...over,
  };
}

/** A v1 record as HedgeLens 0.0.x wrote it. */
export function v1Record(id: string, over: Record<string, unknown> = {}): Record<string, unknown> {
  const input = makeInput();
  return {
    schemaVersion: 1,
    id,
    savedAt: Date.UTC(2026, 2, 14, 11, 34, 5),
    source: { url: 'https://user:pw@broker.example.com/chain?acct=998877#frag', title: 'Old chain page' },
    chain: input.chain,
    condor: {
      expiry: '2026-03-20',
      longPut: 6400,
      shortPut: 6450,
      shortCall: 6800,
      longCall: 6850,
      quantity: 2,
      creditPerShare: 4.1,
    },
    hedges: input.hedges,
    analysis: input.analysis,
    plan: input.plan,
    vix: input.vix,
    rulebookVersion: 1,
    ...over,
  };
}

let counter = 0;
/** Deterministic ids for stores under test. */
export function seqIds(prefix = 'id'): () => string {
  return () => `${prefix}-${(++counter).toString().padStart(4, '0')}`;
}

/** An in-memory storage area that stores JSON copies, like Chromium's storage.local. */
export function memoryArea(quotaBytes?: number) {
  const data = new Map<string, string>();
  const area = {
    async get(keys?: string | string[] | null): Promise<Record<string, unknown>> {
      const list = keys === null || keys === undefined ? [...data.keys()] : Array.isArray(keys) ? keys : [keys];
      const out: Record<string, unknown> = {};
      for (const k of list) {
        const v = data.get(k);
        if (v !== undefined) out[k] = JSON.parse(v);
      }
      return out;
    },
    async set(items: Record<string, unknown>): Promise<void> {
      for (const [k, v] of Object.entries(items)) if (v !== undefined) data.set(k, JSON.stringify(v));
    },
    async remove(keys: string | string[]): Promise<void> {
      for (const k of Array.isArray(keys) ? keys : [keys]) data.delete(k);
    },
    async getKeys(): Promise<string[]> {
      return [...data.keys()];
    },
    ...(quotaBytes === undefined ? {} : { QUOTA_BYTES: quotaBytes }),
  };
  return area;
}
