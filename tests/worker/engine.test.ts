import { afterEach, describe, expect, test } from 'vitest';
import { expose, proxy, wrap } from 'comlink';
import { createEngine, type EngineApi, type EngineState } from '../../src/worker/engine';
import type { Chain } from '../../src/chain/types';
import { emptyQuote } from '../../src/chain/types';

const q = (bid: number, ask: number) => ({ ...emptyQuote(), bid, ask });
const chain: Chain = {
  version: 1,
  underlying: { symbol: 'SPX', price: 6630 },
  asOf: null,
  source: { kind: 'html', adapter: 'test' },
  expiries: [
    {
      date: '2026-03-20',
      root: 'SPXW',
      settlement: 'PM',
      rows: [
        { strike: 6600, call: q(50, 51), put: q(20, 21) },
        { strike: 6625, call: q(40, 41), put: q(36, 37) },
        { strike: 6650, call: q(28, 29), put: q(47, 48) },
      ],
    },
  ],
  warnings: [],
};
const meta = {
  adapter: 'test',
  rowsRead: 3,
  rowsDropped: 0,
  confidence: 1,
  site: '127.0.0.1',
  pageUrl: 'http://127.0.0.1/chain.html',
  pageTitle: 'SPX chain',
};

const ports: MessagePort[] = [];
afterEach(() => ports.splice(0).forEach((p) => p.close()));

/** Two clients on two ports of one engine, as the content script and the overlay frame are in the browser. */
function connect(engine: EngineApi) {
  const a = new MessageChannel();
  const b = new MessageChannel();
  ports.push(a.port1, a.port2, b.port1, b.port2);
  expose(engine, a.port2);
  expose(engine, b.port2);
  return { content: wrap<EngineApi>(a.port1), frame: wrap<EngineApi>(b.port1) };
}

describe('engine over comlink MessagePorts', () => {
  test('a chain set by one client reaches the other client’s subscription', async () => {
    const { content, frame } = connect(createEngine());
    const seen: EngineState[] = [];
    await frame.subscribe(proxy((s: EngineState) => void seen.push(s)));
    const result = await content.setChain(chain, meta);
    expect(result.status).toBe('ready');
    await expect.poll(() => seen.length).toBe(2);
    expect(seen[0]).toEqual({ status: 'waiting', seq: 0 });
    const last = seen[1]!;
    if (last.status !== 'ready') throw new Error(`expected ready, got ${last.status}`);
    expect(last.seq).toBe(1);
    expect(last.summary).toMatchObject({ strikes: 3, atmStrike: 6625, straddleMid: 40.5 + 36.5, expiry: '2026-03-20' });
    expect(last.meta).toEqual(meta);
  });

  test('a malformed chain becomes an error state, not a crash', async () => {
    const { content } = connect(createEngine());
    const broken = { ...chain, expiries: null } as unknown as Chain;
    const result = await content.setChain(broken, meta);
    expect(result.status).toBe('error');
    expect(await content.getState()).toMatchObject({ status: 'error', seq: 1 });
  });
});
