/**
 * Real snapshots for the page's tests: the SPY Cboe download of 2025-09-25 read by the importer, analysed by
 * the worker's engine (the same code the overlay runs), and trimmed by the same snapshotInput the overlay saves.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { importChainText } from '../../../src/chain/importers/index.ts';
import type { SnapshotInput } from '../../../src/storage/snapshots';
import { createEngine, type EngineApi, type PositionInput } from '../../../src/worker/engine';

const CSV = join(import.meta.dirname, '../../fixtures/cboe/cboe_spy_quotedata_2025-09-25.csv');

/** The worker's engine with the SPY chain read (2025-09-25, 14:00 New York), as the overlay has it. */
export async function spyEngine(): Promise<EngineApi> {
  const r = importChainText({ text: readFileSync(CSV, 'utf8'), fileName: 'cboe_spy_quotedata_2025-09-25.csv' });
  if (!r.ok) throw new Error(r.reason);
  const engine = createEngine(
    () => 0,
    () => new Date('2025-09-25T18:00:00Z'),
  );
  await engine.setChain(r.chain, {
    adapter: 'cboe-csv',
    rowsRead: 100,
    rowsDropped: 0,
    confidence: 1,
    site: 'broker.example.com',
    pageUrl: 'https://broker.example.com/chain/SPY',
    pageTitle: 'SPY option chain',
  });
  return engine;
}

export async function spyInput(position: PositionInput = { kind: 'suggested' }): Promise<SnapshotInput> {
  const engine = await spyEngine();
  await engine.setPosition(position);
  const input = await engine.snapshotInput();
  if (!input) throw new Error('engine has no snapshot input');
  return input;
}
