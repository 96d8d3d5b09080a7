/**
 * Export (full JSON with a format header, and CSV of legs and metrics) and import (validated against the
 * snapshot schema, duplicates recognised, a report of what was taken and what was refused and why).
 *
 * The JSON export is lossless: importing it into an empty store gives back the same snapshots, ids included.
 * Quarantined entries travel in the export as they are (so moving to a new profile loses nothing), but are
 * never imported as snapshots.
 */
import { jsonSyntaxReason } from '../shared/jsonError';
import { contentHash, isRecord } from './json';
import { readMetrics } from './metrics';
import { contentOf, migrateSnapshot, SCHEMA_VERSION, type Snapshot } from './schema';
import { createSnapshotStore, type SnapshotStore, type StorageUsage } from './snapshots';

export const EXPORT_FORMAT = 'hedgelens-snapshots';
export const EXPORT_FORMAT_VERSION = 1;

export interface ExportedQuarantine {
  key: string;
  originalKey: string;
  reason: string;
  quarantinedAt: string;
  raw: unknown;
}

export interface SnapshotExport {
  format: typeof EXPORT_FORMAT;
  formatVersion: typeof EXPORT_FORMAT_VERSION;
  /** Schema version of every snapshot in `snapshots`. */
  schemaVersion: number;
  exportedAt: string;
  app: 'HedgeLens';
  count: number;
  snapshots: Snapshot[];
  quarantined: ExportedQuarantine[];
}

export function buildExport(
  snapshots: Snapshot[],
  opts: { now?: Date; quarantined?: ExportedQuarantine[] } = {},
): SnapshotExport {
  const sorted = [...snapshots].sort((a, b) =>
    a.savedAt === b.savedAt ? a.id.localeCompare(b.id) : a.savedAt < b.savedAt ? -1 : 1,
  );
  return {
    format: EXPORT_FORMAT,
    formatVersion: EXPORT_FORMAT_VERSION,
    schemaVersion: SCHEMA_VERSION,
    exportedAt: (opts.now ?? new Date()).toISOString(),
    app: 'HedgeLens',
    count: sorted.length,
    snapshots: sorted,
    quarantined: opts.quarantined ?? [],
  };
}

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
  // Compact: a pretty-printed export of full chains is about 2.4× larger.
  return { text: `${JSON.stringify(data)}\n`, data };
}

// ---------------------------------------------------------------------------------------------
// CSV

/**
 * Columns of the CSV: one row per leg (the condor's four, then each hedge); a snapshot with no legs gets one
 * row with the leg columns empty. Metrics repeat on each row of their snapshot so any row stands alone.
 * Greeks are the position's, as the engine names them (dollars per point, per vol point, per day); see
 * metrics.ts for the paths read. Empty cell = unknown.
 */
export const CSV_COLUMNS = [
  'snapshot_id',
  'saved_at',
  'site',
  'page_title',
  'underlying',
  'underlying_price',
  'stage',
  'atm_vol',
  'pop',
  'delta_dollars_per_point',
  'gamma_dollars_per_point',
  'vega_dollars_per_vol_point',
  'theta_dollars_per_day',
  'vix',
  'rulebook_version',
  'condor_credit',
  'leg',
  'leg_underlying',
  'root',
  'kind',
  'strike',
  'expiry',
  'quantity',
  'price',
  'note',
] as const;

type Cell = string | number | null;

/** RFC 4180 quoting; text that a spreadsheet would run as a formula is prefixed with an apostrophe. */
export function csvCell(v: Cell): string {
  if (v === null) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  const safe = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function snapshotsToCsv(snapshots: Snapshot[]): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const s of snapshots) {
    const m = readMetrics(s);
    const head: Cell[] = [
      s.id,
      s.savedAt,
      s.site,
      s.pageTitle,
      s.chain.underlying.symbol,
      m.price.value,
      m.stage.value,
      m.atmVol.value,
      m.pop.value,
      m.delta.value,
      m.gamma.value,
      m.vega.value,
      m.theta.value,
      s.vix.level,
      s.rulebookVersion,
      s.condor?.credit ?? null,
    ];
    const legs: Cell[][] = [];
    if (s.condor) {
      const c = s.condor;
      const names = ['long_put', 'short_put', 'short_call', 'long_call'] as const;
      c.strikes.forEach((k, i) => {
        const kind = i < 2 ? 'put' : 'call';
        const sign = i === 0 || i === 3 ? 1 : -1;
        legs.push([names[i]!, s.chain.underlying.symbol, null, kind, k, c.expiry, sign * c.quantity, null]);
      });
    }
    for (const h of s.hedges)
      legs.push(['hedge', h.underlying, h.root, h.kind, h.strike, h.expiry, h.quantity, h.price]);
    if (legs.length === 0) legs.push([null, null, null, null, null, null, null, null]);
    for (const leg of legs) lines.push([...head, ...leg, s.note].map(csvCell).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}

export async function exportCsv(opts: { store?: SnapshotStore } = {}): Promise<string> {
  const store = opts.store ?? createSnapshotStore();
  const { snapshots } = await store.readAll();
  return snapshotsToCsv(
    snapshots.sort((a, b) => (a.savedAt === b.savedAt ? a.id.localeCompare(b.id) : a.savedAt < b.savedAt ? -1 : 1)),
  );
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

/** Entries of an export envelope, a bare array of snapshots or one snapshot; or why the file is unusable. */
function entriesOf(data: unknown): { entries: unknown[]; quarantined: number } | string {
  if (Array.isArray(data)) return { entries: data, quarantined: 0 };
  if (!isRecord(data)) return 'The file is not a HedgeLens export (not a JSON object).';
  if (data.format === EXPORT_FORMAT) {
    const v = data.formatVersion;
    if (!Number.isInteger(v) || (v as number) < 1) return 'The export has no valid formatVersion.';
    if ((v as number) > EXPORT_FORMAT_VERSION) {
      return `The export was written by a newer HedgeLens (format v${String(v)}; this one reads up to v${EXPORT_FORMAT_VERSION}). Update the extension.`;
    }
    if (!Array.isArray(data.snapshots)) return 'The export has no snapshots list.';
    return { entries: data.snapshots, quarantined: Array.isArray(data.quarantined) ? data.quarantined.length : 0 };
  }
  if ('schemaVersion' in data && 'chain' in data) return { entries: [data], quarantined: 0 };
  return 'The file is not a HedgeLens export (no "format" header).';
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
  const parsed = entriesOf(data);
  if (typeof parsed === 'string') return fileRefused(parsed);

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
