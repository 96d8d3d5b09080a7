/**
 * The snapshot export file, as a format: its header, its JSON envelope, its CSV, and reading an envelope back into
 * entries. Pure (no store, no browser API), so the command line reads exports with the same code the snapshots
 * page writes them with. The store side (export everything stored, import into the store) is exportImport.ts.
 */
import { isRecord } from './json';
import { readMetrics } from './metrics';
import { SCHEMA_VERSION, type Snapshot } from './schema';

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
  const sorted = [...snapshots].sort(bySavedAt);
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

/** Oldest first; ties by id, so an export is the same whatever order the store listed. */
export function bySavedAt(a: Snapshot, b: Snapshot): number {
  return a.savedAt === b.savedAt ? a.id.localeCompare(b.id) : a.savedAt < b.savedAt ? -1 : 1;
}

/** Serialised as the store writes it: compact (a pretty-printed export of full chains is about 2.4× larger). */
export function exportText(data: SnapshotExport): string {
  return `${JSON.stringify(data)}\n`;
}

/** An object that is a snapshot record of some schema version (not yet validated). */
export function looksLikeSnapshot(v: unknown): v is Record<string, unknown> {
  return isRecord(v) && 'schemaVersion' in v && 'chain' in v;
}

/**
 * What a parsed file holds, read without a store:
 * - `entries`: the raw snapshot entries (each still to be validated and migrated) of an export envelope, a bare
 *   array or one snapshot record (`shape` says which), and how many quarantined entries the envelope carries;
 * - `refused`: a HedgeLens snapshot export this version cannot read (`newer`: written by a newer HedgeLens);
 * - `other`: not a snapshot export at all.
 * Reasons are clauses ("the snapshot export has no snapshots list"); callers frame them.
 */
export type ExportContents =
  | { kind: 'entries'; shape: 'envelope' | 'array' | 'single'; entries: unknown[]; quarantined: number }
  | { kind: 'refused'; reason: string; newer: boolean }
  | { kind: 'other'; reason: string };

export function readExportContents(data: unknown): ExportContents {
  if (Array.isArray(data)) return { kind: 'entries', shape: 'array', entries: data, quarantined: 0 };
  if (!isRecord(data)) return { kind: 'other', reason: 'not a JSON object' };
  if (data.format === EXPORT_FORMAT) {
    const v = data.formatVersion;
    if (!Number.isInteger(v) || (v as number) < 1) {
      return { kind: 'refused', reason: 'the snapshot export has no valid formatVersion', newer: false };
    }
    if ((v as number) > EXPORT_FORMAT_VERSION) {
      return {
        kind: 'refused',
        reason: `the snapshot export was written by a newer HedgeLens (format v${String(v)}; this one reads up to v${EXPORT_FORMAT_VERSION})`,
        newer: true,
      };
    }
    if (!Array.isArray(data.snapshots)) {
      return { kind: 'refused', reason: 'the snapshot export has no snapshots list', newer: false };
    }
    const quarantined = Array.isArray(data.quarantined) ? data.quarantined.length : 0;
    return { kind: 'entries', shape: 'envelope', entries: data.snapshots, quarantined };
  }
  if (looksLikeSnapshot(data)) return { kind: 'entries', shape: 'single', entries: [data], quarantined: 0 };
  return { kind: 'other', reason: 'no "format" header' };
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
