/**
 * The store side of the snapshot export: export everything stored (full JSON with a format header, and CSV of legs
 * and metrics) and import into the store (validated against the snapshot schema, duplicates recognised, a report
 * of what was taken and what was refused and why). The file format itself is snapshotExport.ts (pure).
 *
 * The JSON export is lossless: importing it into an empty store gives back the same snapshots, ids included.
 * Quarantined entries travel in the export as they are (so moving to a new profile loses nothing), but are
 * never imported as snapshots.
 */
import { jsonSyntaxReason } from '../shared/jsonError';
import { contentHash, isRecord } from './json';
import { contentOf, migrateSnapshot } from './schema';
import {
  buildExport,
  bySavedAt,
  exportText,
  readExportContents,
  snapshotsToCsv,
  type ExportedQuarantine,
  type SnapshotExport,
} from './snapshotExport';
import { createSnapshotStore, type SnapshotStore, type StorageUsage } from './snapshots';

/** Everything in the store as the text of a .json file. */
export async function exportAll(
  opts: { now?: Date; store?: SnapshotStore } = {},
): Promise<{ text: string; data: SnapshotExport }> {
  const store = opts.store ?? createSnapshotStore();
  const { snapshots, quarantined } = await store.readAll();
  const withRaw: ExportedQuarantine[] = [];
  for (const q of quarantined) {
    const r = q.moved ? await store.getQuarantined(q.key) : null;
    withRaw.push({
      key: q.key,
      originalKey: q.originalKey,
      reason: q.reason,
      quarantinedAt: q.quarantinedAt,
      raw: r && r.ok ? r.entry.raw : null,
    });
  }
  const data = buildExport(snapshots, { now: opts.now, quarantined: withRaw });
  return { text: exportText(data), data };
}

export async function exportCsv(opts: { store?: SnapshotStore } = {}): Promise<string> {
  const store = opts.store ?? createSnapshotStore();
  const { snapshots } = await store.readAll();
  return snapshotsToCsv(snapshots.sort(bySavedAt));
}

// ---------------------------------------------------------------------------------------------
// Import

export type RefusalCode = 'invalid' | 'newer' | 'duplicate' | 'id-conflict' | 'quota' | 'write-failed';

export interface ImportReport {
  /** false when the file itself was unusable (not JSON, not a HedgeLens export, newer format): nothing taken. */
  ok: boolean;
  /** Set when ok is false. */
  message: string | null;
  /** Entries in the file (snapshots only). */
  total: number;
  taken: { index: number; id: string; /** set when imported under a new id (renameConflicts) */ fromId?: string }[];
  refused: { index: number; id: string | null; code: RefusalCode; reason: string }[];
  /** Quarantined entries carried by the file: kept in the file, not imported. */
  quarantinedInFile: number;
  usage: StorageUsage | null;
}

export interface ImportOptions {
  store?: SnapshotStore;
  /** Import a snapshot whose id is taken by a different snapshot under a fresh id (default: refuse it). */
  renameConflicts?: boolean;
  newId?: () => string;
}

function fileRefused(message: string): ImportReport {
  return { ok: false, message, total: 0, taken: [], refused: [], quarantinedInFile: 0, usage: null };
}

/** A file-level refusal as a sentence for the trader. */
function sentence(clause: string): string {
  return `${clause.charAt(0).toUpperCase()}${clause.slice(1)}.`;
}

/** Imports snapshots from the text (or parsed JSON) of an export. Never throws for bad input. */
export async function importSnapshots(input: string | unknown, opts: ImportOptions = {}): Promise<ImportReport> {
  const store = opts.store ?? createSnapshotStore();
  let data: unknown = input;
  if (typeof input === 'string') {
    try {
      data = JSON.parse(input.replace(/^\uFEFF/, ''));
    } catch (err) {
      return fileRefused(`The file is not valid JSON (${jsonSyntaxReason(err)}).`);
    }
  }
  const parsed = readExportContents(data);
  if (parsed.kind === 'other') return fileRefused(`The file is not a HedgeLens export (${parsed.reason}).`);
  if (parsed.kind === 'refused') {
    return fileRefused(parsed.newer ? `${sentence(parsed.reason)} Update the extension.` : sentence(parsed.reason));
  }

  const report: ImportReport = {
    ok: true,
    message: null,
    total: parsed.entries.length,
    taken: [],
    refused: [],
    quarantinedInFile: parsed.quarantined,
    usage: null,
  };
  const { byId, byHash } = await store.fingerprints();
  let used = (await store.storageUsage()).bytesInUse;
  const newId = opts.newId ?? (() => globalThis.crypto.randomUUID());

  for (const [index, raw] of parsed.entries.entries()) {
    const rawId = isRecord(raw) && typeof raw.id === 'string' ? raw.id : null;
    const res = migrateSnapshot(raw);
    if (!res.ok) {
      report.refused.push({ index, id: rawId, code: res.newer ? 'newer' : 'invalid', reason: res.reason });
      continue;
    }
    let snap = res.snapshot;
    const hash = await contentHash(contentOf(snap));
    const sameContent = byHash.get(hash);
    if (sameContent !== undefined) {
      report.refused.push({
        index,
        id: snap.id,
        code: 'duplicate',
        reason:
          sameContent === snap.id
            ? 'already stored (same id, same content)'
            : `same content as stored snapshot ${sameContent}`,
      });
      continue;
    }
    let fromId: string | undefined;
    if (byId.has(snap.id)) {
      if (!opts.renameConflicts) {
        report.refused.push({
          index,
          id: snap.id,
          code: 'id-conflict',
          reason:
            'a different snapshot with this id is already stored (import with "keep both" to take it under a new id)',
        });
        continue;
      }
      fromId = snap.id;
      snap = { ...snap, id: newId() };
    }
    const w = await store.insertSnapshot(snap, { usedBytes: used });
    if (!w.ok) {
      report.refused.push({
        index,
        id: snap.id,
        code: w.code === 'quota' ? 'quota' : 'write-failed',
        reason: w.message,
      });
      continue;
    }
    used = w.usage.bytesInUse;
    byId.set(snap.id, hash);
    byHash.set(hash, snap.id);
    report.usage = w.usage;
    report.taken.push(fromId === undefined ? { index, id: snap.id } : { index, id: snap.id, fromId });
  }
  report.usage = await store.storageUsage();
  return report;
}
