/**
 * src/cli/snapshotInput.ts against real exports written by src/storage/exportImport.ts (kept here with the
 * snapshots page's tests: the CLI's tests folder belongs to another engineer).
 */
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { chainFromSnapshotExport } from '../../../src/cli/snapshotInput';
import { run } from '../../../src/cli/commands/analyze.ts';
import type { CliIo } from '../../../src/cli/io.ts';
import type { ChainAnalysis } from '../../../src/engine/types';
import { exportAll } from '../../../src/storage/exportImport';
import { EXPORT_FORMAT, EXPORT_FORMAT_VERSION } from '../../../src/storage/snapshotExport';
import { createSnapshotStore, type SnapshotInput } from '../../../src/storage/snapshots';
import { memoryArea } from '../../storage/fixtures';
import { spyInput } from './fixtures';

let suggested: SnapshotInput;
let custom: SnapshotInput;
beforeAll(async () => {
  suggested = await spyInput();
  custom = await spyInput({ kind: 'strikes', strikes: [630, 635, 675, 680], quantity: 2, credit: 1.1 });
});
beforeEach(() => fakeBrowser.reset());

/** A real export: two snapshots an hour apart, the custom condor saved last. */
async function realExport() {
  let i = 0;
  const store = createSnapshotStore({ area: memoryArea(), newId: () => `cli-${++i}` });
  const a = await store.saveSnapshot(suggested, { now: new Date('2025-09-25T17:00:00Z') });
  const b = await store.saveSnapshot(custom, { now: new Date('2025-09-25T18:00:00Z') });
  if (!a.ok || !b.ok) throw new Error('save failed');
  return { ...(await exportAll({ store })), ids: [a.id, b.id] as const };
}

function fakeIo(files: Record<string, string>): CliIo & { out: string; err: string } {
  const io = {
    out: '',
    err: '',
    stdout: (t: string) => void (io.out += t),
    stderr: (t: string) => void (io.err += t),
    readFile: async (p: string) => {
      if (p in files) return files[p]!;
      throw Object.assign(new Error(`ENOENT ${p}`), { code: 'ENOENT' });
    },
    now: () => new Date('2030-01-01T00:00:00Z'),
  };
  return io;
}

describe('chainFromSnapshotExport', () => {
  it('takes the newest snapshot of an export, says so, and keeps its condor', async () => {
    const { text, data, ids } = await realExport();
    const r = chainFromSnapshotExport(text, { fileName: '/tmp/hedgelens-snapshots-2025-09-25.json' });
    expect(r?.ok).toBe(true);
    if (!r?.ok) return;
    const newest = data.snapshots.find((s) => s.id === ids[1])!;
    expect(r.snapshot).toEqual({
      id: ids[1],
      savedAt: '2025-09-25T18:00:00.000Z',
      condor: newest.condor,
      index: 1,
      of: 2,
    });
    expect(r.snapshot.condor).toEqual({
      expiry: custom.condor!.expiry,
      strikes: [630, 635, 675, 680],
      quantity: 2,
      credit: 1.1,
    });
    expect({ ...r.chain, warnings: newest.chain.warnings }).toEqual(newest.chain);
    expect(r.chain.warnings.at(-1)).toEqual({
      row: null,
      reason: `the export holds 2 snapshots: analysed snapshot ${ids[1]} saved 2025-09-25T18:00:00.000Z (the newest)`,
    });
  });

  it('takes the snapshot named by id', async () => {
    const { text, ids } = await realExport();
    const r = chainFromSnapshotExport(text, { id: ids[0] });
    expect(r?.ok && r.snapshot.id).toBe(ids[0]);
    expect(r?.ok && r.chain.warnings.at(-1)?.reason).toBe(
      `the export holds 2 snapshots: analysed snapshot ${ids[0]} saved 2025-09-25T17:00:00.000Z`,
    );
    expect(chainFromSnapshotExport(text, { id: 'nope' })).toEqual({
      ok: false,
      reason: 'no snapshot "nope" in the export',
    });
  });

  it('reads a one-snapshot export without a warning, and a bare array of snapshots', async () => {
    const { data } = await realExport();
    const one = chainFromSnapshotExport(JSON.stringify({ ...data, count: 1, snapshots: [data.snapshots[0]] }));
    expect(one?.ok && one.chain.warnings).toEqual(data.snapshots[0]!.chain.warnings);
    const arr = chainFromSnapshotExport(JSON.stringify(data.snapshots));
    expect(arr?.ok && arr.snapshot.id).toBe(data.snapshots[1]!.id);
  });

  it('refuses loudly what is an export but unusable; leaves everything else to the other importers', async () => {
    const { data } = await realExport();
    expect(chainFromSnapshotExport(JSON.stringify({ ...data, formatVersion: 2 }))).toEqual({
      ok: false,
      reason: 'the snapshot export was written by a newer HedgeLens (format v2; this one reads up to v1)',
    });
    expect(chainFromSnapshotExport(JSON.stringify({ ...data, snapshots: [] }), { fileName: 'e.json' })).toEqual({
      ok: false,
      reason: 'the snapshot export holds no snapshots (e.json)',
    });
    const broken = { ...data.snapshots[1]!, chain: { ...data.snapshots[1]!.chain, version: 7 } };
    const r = chainFromSnapshotExport(JSON.stringify({ ...data, snapshots: [broken] }));
    expect(r?.ok).toBe(false);
    expect(!r?.ok && r?.reason).toMatch(/^snapshot cli-\d+ of the export: its chain is not valid: version 7/);
    // Not exports: a Chain JSON, a single snapshot, a CSV, broken JSON, an empty array.
    expect(chainFromSnapshotExport(JSON.stringify(data.snapshots[0]!.chain))).toBeNull();
    expect(chainFromSnapshotExport(JSON.stringify(data.snapshots[0]))).toBeNull();
    expect(chainFromSnapshotExport('Expiration Date,Calls\n')).toBeNull();
    expect(chainFromSnapshotExport('{"format": ')).toBeNull();
    expect(chainFromSnapshotExport('[]')).toBeNull();
  });

  it('lifts a v1 snapshot (older condor shape) in a bare array', async () => {
    const { data } = await realExport();
    const s = data.snapshots[1]!;
    const v1 = {
      schemaVersion: 1,
      id: 'old-1',
      savedAt: Date.parse(s.savedAt),
      source: { url: null, title: 'old' },
      chain: s.chain,
      condor: {
        expiry: s.condor!.expiry,
        longPut: 630,
        shortPut: 635,
        shortCall: 675,
        longCall: 680,
        quantity: 2,
        creditPerShare: 1.1,
      },
      hedges: [],
      analysis: null,
      plan: null,
      vix: s.vix,
      rulebookVersion: null,
    };
    const r = chainFromSnapshotExport(JSON.stringify([v1]));
    expect(r?.ok && r.snapshot.condor).toEqual({
      expiry: s.condor!.expiry,
      strikes: [630, 635, 675, 680],
      quantity: 2,
      credit: 1.1,
    });
  });
});

describe('hedgelens analyze on a snapshot export', () => {
  it('analyses the newest snapshot of an export file, and a single exported snapshot, with the saved condor', async () => {
    const { text, data } = await realExport();
    const c = data.snapshots[1]!.condor!;
    const args = ['--condor', c.strikes.join('/'), '--qty', '2', '--credit', '1.1', '--json'];
    const io = fakeIo({ 'export.json': text, 'one.json': JSON.stringify(data.snapshots[1]) });
    expect(await run(['export.json', ...args], io)).toBe(0);
    const a = JSON.parse(io.out) as ChainAnalysis;
    expect(a.symbol).toBe('SPY');
    expect(a.condor?.strikes).toEqual([630, 635, 675, 680]);
    expect(a.condor?.expiry).toBe(c.expiry);
    // The saved analysis of the same condor on the same chain: the CLI recomputes the same risk.
    const saved = data.snapshots[1]!.analysis as unknown as ChainAnalysis;
    expect(a.condor!.maxLossDollars).toBeCloseTo(saved.condor!.maxLossDollars, 6);
    expect(a.condor!.probability.profitSkewAware).toBeCloseTo(saved.condor!.probability.profitSkewAware, 6);
    const single = fakeIo({ 'one.json': JSON.stringify(data.snapshots[1]) });
    expect(await run(['one.json', ...args], single)).toBe(0);
    expect((JSON.parse(single.out) as ChainAnalysis).condor!.maxLossDollars).toBeCloseTo(a.condor!.maxLossDollars, 9);
  });

  it('an export with no usable snapshot is bad input (the dispatcher exits 2 with this one line)', async () => {
    const io = fakeIo({
      'empty.json': JSON.stringify({
        format: EXPORT_FORMAT,
        formatVersion: EXPORT_FORMAT_VERSION,
        snapshots: [],
      }),
    });
    await expect(run(['empty.json'], io)).rejects.toThrow(/^empty\.json: the snapshot export holds no snapshots/);
  });
});
