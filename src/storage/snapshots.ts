/**
 * The snapshot store on storage.local.
 *
 * Layout (one storage.local key per thing, so no two writers ever read-modify-write a shared value):
 *   snap:<id>          the snapshot record (schemaVersion'd, see schema.ts)
 *   snapidx:<id>       its summary — the index. Derived: rebuilt from snap:<id> when missing, malformed or
 *                      of an older format; removed when its snapshot is gone.
 *   quarantine:<id>    a record that failed validation or migration, moved aside with the reason (never deleted
 *                      by the store; the trader can export or discard it)
 *   snaptrash:<token>  a deleted snapshot kept for undo until purged
 *
 * A save is one storage.local.set() of snap:<id> + snapidx:<id>: one transaction, so it happens whole or
 * not at all, and two tabs saving at once write disjoint keys and both keep their snapshot.
 * Expected failures (invalid input, quota, a browser write error, a missing id) are results, not exceptions.
 */
import {
  allKeys,
  areaQuota,
  bytesInUse,
  defaultArea,
  DEFAULT_WARN_RATIO,
  errorText,
  formatBytes,
  isQuotaError,
  manifestHasUnlimitedStorage,
} from './area';
import type { StorageAreaLike } from './area';
import { contentHash, isRecord, itemBytes, toJsonSafe } from './json';
import { readMetrics } from './metrics';
import {
  condorLabel,
  contentOf,
  ID_PATTERN,
  migrateSnapshot,
  pageLocation,
  SCHEMA_VERSION,
  type Snapshot,
  type SnapshotCondor,
  type SnapshotLeg,
  type SnapshotVixInputs,
} from './schema';
import type { Chain } from '../chain/types';

export { compareSnapshots, readMetrics, METRIC_PATHS } from './metrics';
export type { SnapshotComparison, NumberMove, SnapshotMetrics } from './metrics';
export type { Snapshot, SnapshotCondor, SnapshotLeg, SnapshotVixInputs } from './schema';
export { SCHEMA_VERSION } from './schema';

export const SNAP_PREFIX = 'snap:';
export const INDEX_PREFIX = 'snapidx:';
export const QUARANTINE_PREFIX = 'quarantine:';
export const TRASH_PREFIX = 'snaptrash:';
/** Bump when SnapshotSummary changes: older summaries are then rebuilt from their records. */
export const SUMMARY_VERSION = 1;
export const DEFAULT_TRASH_RETENTION_MS = 24 * 60 * 60 * 1000;

// ---------------------------------------------------------------------------------------------
// Types

/** What the overlay / popup hands in. Everything but the chain is optional. */
export interface SnapshotInput {
  /** The page URL as seen; stripped of query and fragment unless `stripUrl: false`. */
  url?: string | null;
  pageTitle?: string;
  /** Defaults to the URL's host. */
  site?: string;
  chain: Chain;
  condor?: SnapshotCondor | null;
  hedges?: SnapshotLeg[];
  /** ChainAnalysis / CondorRisk: must be plain JSON (no NaN, no class instances). */
  analysis?: unknown;
  /** The ALVH plan: must be plain JSON. */
  plan?: unknown;
  vix?: Partial<SnapshotVixInputs>;
  rulebookVersion?: number | string | null;
  note?: string;
}

export interface SnapshotSummary {
  id: string;
  savedAt: string;
  site: string;
  pageTitle: string;
  underlying: string;
  underlyingPrice: number | null;
  /** The condor's expiry (YYYY-MM-DD) or null without a condor. */
  expiry: string | null;
  /** Every expiry in the saved chain. */
  expiries: string[];
  condor: string | null;
  stage: string | null;
  note: string;
  /** Bytes of the record in storage (key + JSON). */
  bytes: number;
  contentHash: string;
}

interface StoredSummary extends SnapshotSummary {
  summaryVersion: number;
}

export interface QuarantinedEntry {
  /** The storage key it sits under now (or still, when it could not be moved). */
  key: string;
  /** Where it was found. */
  originalKey: string;
  reason: string;
  quarantinedAt: string;
  /** false when moving it failed (e.g. storage full): it was left where it was, still reported. */
  moved: boolean;
}

interface QuarantineRecord {
  originalKey: string;
  reason: string;
  quarantinedAt: string;
  raw: unknown;
}

export interface SkippedEntry {
  key: string;
  reason: string;
}

export interface StorageUsage {
  bytesInUse: number;
  quotaBytes: number;
  /** bytesInUse / quotaBytes (0 when unlimited). */
  ratio: number;
  measuredBy: 'browser' | 'estimate';
  /** A sentence for the UI when above the warning threshold; null otherwise. */
  warning: string | null;
}

export type StoreErrorCode = 'invalid' | 'quota' | 'write-failed' | 'read-failed' | 'not-found' | 'corrupt' | 'newer';

export interface StoreError {
  ok: false;
  code: StoreErrorCode;
  message: string;
}

export type SaveResult = { ok: true; id: string; summary: SnapshotSummary; usage: StorageUsage } | StoreError;

export interface ListQuery {
  /** Free text; every word must appear in the site, title, underlying, condor, stage, note or id. */
  query?: string;
  underlying?: string;
  /** YYYY-MM-DD: the condor's expiry or any expiry of the saved chain. */
  expiry?: string;
  /** Saved at or after (Date, epoch ms or ISO). */
  from?: Date | number | string;
  /** Saved at or before. */
  to?: Date | number | string;
  /** Also read and validate every record that already has a summary (slower; default false). */
  verify?: boolean;
}

export interface ListResult {
  items: SnapshotSummary[];
  quarantined: QuarantinedEntry[];
  /** Records this build cannot read (written by a newer HedgeLens): left untouched. */
  skipped: SkippedEntry[];
}

export interface StoreOptions {
  area?: StorageAreaLike;
  /**
   * Quota to respect; defaults to the area's QUOTA_BYTES or 10 MiB — or Infinity for browser.storage.local when
   * the manifest has `unlimitedStorage`.
   */
  quotaBytes?: number;
  /** Warn when use would be at or above this share of the quota (default 0.8). */
  warnRatio?: number;
  newId?: () => string;
  trashRetentionMs?: number;
}

// ---------------------------------------------------------------------------------------------

function toTime(v: Date | number | string): number {
  return v instanceof Date ? v.getTime() : typeof v === 'number' ? v : Date.parse(v);
}

function isStoredSummary(v: unknown, id: string): v is StoredSummary {
  if (!isRecord(v)) return false;
  return (
    v.summaryVersion === SUMMARY_VERSION &&
    v.id === id &&
    typeof v.savedAt === 'string' &&
    typeof v.site === 'string' &&
    typeof v.pageTitle === 'string' &&
    typeof v.underlying === 'string' &&
    (v.underlyingPrice === null || typeof v.underlyingPrice === 'number') &&
    (v.expiry === null || typeof v.expiry === 'string') &&
    Array.isArray(v.expiries) &&
    (v.condor === null || typeof v.condor === 'string') &&
    (v.stage === null || typeof v.stage === 'string') &&
    typeof v.note === 'string' &&
    typeof v.bytes === 'number' &&
    typeof v.contentHash === 'string'
  );
}

export async function summarize(s: Snapshot): Promise<SnapshotSummary> {
  const m = readMetrics(s);
  return {
    id: s.id,
    savedAt: s.savedAt,
    site: s.site,
    pageTitle: s.pageTitle,
    underlying: s.chain.underlying.symbol,
    underlyingPrice: m.price.value,
    expiry: s.condor?.expiry ?? null,
    expiries: s.chain.expiries.map((e) => e.date),
    condor: condorLabel(s.condor),
    stage: m.stage.value,
    note: s.note,
    bytes: itemBytes(SNAP_PREFIX + s.id, s),
    contentHash: await contentHash(contentOf(s)),
  };
}

function publicSummary(s: StoredSummary): SnapshotSummary {
  const out: Partial<StoredSummary> = { ...s };
  delete out.summaryVersion;
  return out as SnapshotSummary;
}

function matches(s: SnapshotSummary, q: ListQuery): boolean {
  if (q.underlying && s.underlying.toUpperCase() !== q.underlying.trim().toUpperCase()) return false;
  if (q.expiry && s.expiry !== q.expiry && !s.expiries.includes(q.expiry)) return false;
  const t = Date.parse(s.savedAt);
  if (q.from !== undefined && !(t >= toTime(q.from))) return false;
  if (q.to !== undefined && !(t <= toTime(q.to))) return false;
  if (q.query && q.query.trim() !== '') {
    const hay = [s.site, s.pageTitle, s.underlying, s.condor ?? '', s.stage ?? '', s.note, s.id]
      .join('\n')
      .toLowerCase();
    for (const word of q.query.toLowerCase().split(/\s+/).filter(Boolean)) {
      if (!hay.includes(word)) return false;
    }
  }
  return true;
}

function defaultNewId(): string {
  return globalThis.crypto.randomUUID();
}

export function createSnapshotStore(options: StoreOptions = {}) {
  const area = options.area ?? defaultArea();
  const quotaBytes =
    options.quotaBytes ?? (!options.area && manifestHasUnlimitedStorage() ? Infinity : areaQuota(area));
  const warnRatio = options.warnRatio ?? DEFAULT_WARN_RATIO;
  const newId = options.newId ?? defaultNewId;
  const trashRetentionMs = options.trashRetentionMs ?? DEFAULT_TRASH_RETENTION_MS;

  function usageOf(bytes: number, measuredBy: StorageUsage['measuredBy']): StorageUsage {
    const ratio = Number.isFinite(quotaBytes) ? bytes / quotaBytes : 0;
    const warning =
      ratio >= warnRatio
        ? `Snapshot storage is ${Math.round(ratio * 100)}% full (${formatBytes(bytes)} of ${formatBytes(quotaBytes)}). ` +
          'Export and delete old snapshots to make room.'
        : null;
    return { bytesInUse: bytes, quotaBytes, ratio, measuredBy, warning };
  }

  async function storageUsage(): Promise<StorageUsage> {
    const m = await bytesInUse(area);
    return usageOf(m.bytes, m.measuredBy);
  }

  /**
   * Writes one validated snapshot (and its summary) in a single set(), after checking the quota.
   * Never overwrites: the caller guarantees the id is new.
   */
  async function writeNew(snapshot: Snapshot, opts: { usedBytes?: number } = {}): Promise<SaveResult> {
    const summary = await summarize(snapshot);
    const stored: StoredSummary = { ...summary, summaryVersion: SUMMARY_VERSION };
    const snapKey = SNAP_PREFIX + snapshot.id;
    const idxKey = INDEX_PREFIX + snapshot.id;
    const need = itemBytes(snapKey, snapshot) + itemBytes(idxKey, stored);

    let before: { bytes: number; measuredBy: StorageUsage['measuredBy'] };
    try {
      // A batch writer (import) passes its running total instead of re-measuring before every item.
      before =
        opts.usedBytes !== undefined ? { bytes: opts.usedBytes, measuredBy: 'estimate' } : await bytesInUse(area);
    } catch (err) {
      return { ok: false, code: 'read-failed', message: `Not saved: could not measure storage (${errorText(err)}).` };
    }
    if (before.bytes + need > quotaBytes) {
      const left = Math.max(0, quotaBytes - before.bytes);
      return {
        ok: false,
        code: 'quota',
        message:
          `Not saved: this snapshot needs ${formatBytes(need)} but only ${formatBytes(left)} of the ` +
          `${formatBytes(quotaBytes)} snapshot storage is left. Nothing was deleted: export and delete old ` +
          'snapshots to make room.',
      };
    }
    try {
      await area.set({ [snapKey]: snapshot, [idxKey]: stored });
    } catch (err) {
      // The id is fresh, so removing whatever may have landed cannot touch older data.
      await area.remove([snapKey, idxKey]).catch(() => undefined);
      return {
        ok: false,
        code: isQuotaError(err) ? 'quota' : 'write-failed',
        message: isQuotaError(err)
          ? 'Not saved: the browser reports its storage quota is full. Nothing was deleted: export and delete old snapshots to make room.'
          : `Not saved: the browser refused the write (${errorText(err)}). Nothing else was changed.`,
      };
    }
    const check = await area.get(snapKey).catch(() => ({}) as Record<string, unknown>);
    if (!isRecord(check[snapKey])) {
      return { ok: false, code: 'write-failed', message: 'Not saved: the snapshot was not found after writing it.' };
    }
    return { ok: true, id: snapshot.id, summary, usage: usageOf(before.bytes + need, before.measuredBy) };
  }

  async function saveSnapshot(
    input: SnapshotInput,
    opts: { now?: Date; stripUrl?: boolean } = {},
  ): Promise<SaveResult> {
    const now = opts.now ?? new Date();
    const loc = pageLocation(input.url ?? null, opts.stripUrl === false);
    const id = newId();
    if (!ID_PATTERN.test(id)) return { ok: false, code: 'invalid', message: `Not saved: bad id "${id}".` };
    const draft = {
      schemaVersion: SCHEMA_VERSION,
      id,
      savedAt: now.toISOString(),
      site: input.site ?? loc.site,
      pageTitle: input.pageTitle ?? '',
      url: loc.url,
      chain: input.chain,
      condor: input.condor ?? null,
      hedges: input.hedges ?? [],
      analysis: input.analysis ?? null,
      plan: input.plan ?? null,
      vix: {
        level: input.vix?.level ?? null,
        priorClose: input.vix?.priorClose ?? null,
        future: input.vix?.future ?? null,
        asOf: input.vix?.asOf ?? null,
      },
      rulebookVersion: input.rulebookVersion ?? null,
      note: input.note ?? '',
    };
    const json = toJsonSafe(draft, 'snapshot');
    if (!json.ok) return { ok: false, code: 'invalid', message: `Not saved: ${json.path}: ${json.reason}.` };
    const checked = migrateSnapshot(json.value);
    if (!checked.ok) return { ok: false, code: 'invalid', message: `Not saved: ${checked.reason}.` };
    return writeNew(checked.snapshot);
  }

  /** Moves a bad record to quarantine:<id>; when that cannot be written, leaves it in place. */
  async function quarantine(key: string, raw: unknown, reason: string, now: Date): Promise<QuarantinedEntry> {
    const id = key.slice(SNAP_PREFIX.length).replace(/[^A-Za-z0-9_.~-]/g, '_') || '_';
    let qKey = QUARANTINE_PREFIX + id;
    const existing = (await area.get(qKey))[qKey];
    const entry: QuarantineRecord = { originalKey: key, reason, quarantinedAt: now.toISOString(), raw };
    const same = isRecord(existing) && JSON.stringify(existing.raw) === JSON.stringify(raw);
    if (existing !== undefined && !same) qKey = `${QUARANTINE_PREFIX}${id}~${now.getTime().toString(36)}`;
    try {
      if (!same) await area.set({ [qKey]: entry });
      await area.remove([key, INDEX_PREFIX + key.slice(SNAP_PREFIX.length)]);
      return { key: qKey, originalKey: key, reason, quarantinedAt: entry.quarantinedAt, moved: true };
    } catch (err) {
      return {
        key,
        originalKey: key,
        reason: `${reason} (could not move it to quarantine: ${errorText(err)})`,
        quarantinedAt: entry.quarantinedAt,
        moved: false,
      };
    }
  }

  async function listQuarantined(keys: string[], values?: Record<string, unknown>): Promise<QuarantinedEntry[]> {
    const qKeys = keys.filter((k) => k.startsWith(QUARANTINE_PREFIX));
    if (qKeys.length === 0) return [];
    const got = values ?? (await area.get(qKeys));
    return qKeys.map((k) => {
      const v = got[k];
      return isRecord(v)
        ? {
            key: k,
            originalKey: typeof v.originalKey === 'string' ? v.originalKey : k,
            reason: typeof v.reason === 'string' ? v.reason : 'unknown',
            quarantinedAt: typeof v.quarantinedAt === 'string' ? v.quarantinedAt : '',
            moved: true,
          }
        : { key: k, originalKey: k, reason: 'quarantine entry is malformed', quarantinedAt: '', moved: true };
    });
  }

  async function listSnapshots(q: ListQuery = {}, opts: { now?: Date } = {}): Promise<ListResult> {
    const now = opts.now ?? new Date();
    const { keys, values } = await allKeys(area);
    const snapIds = keys.filter((k) => k.startsWith(SNAP_PREFIX)).map((k) => k.slice(SNAP_PREFIX.length));
    const idxIds = new Set(keys.filter((k) => k.startsWith(INDEX_PREFIX)).map((k) => k.slice(INDEX_PREFIX.length)));
    const snapSet = new Set(snapIds);

    const idxValues = values ?? (await area.get(snapIds.filter((id) => idxIds.has(id)).map((id) => INDEX_PREFIX + id)));
    const items: SnapshotSummary[] = [];
    const moved: QuarantinedEntry[] = [];
    const skipped: SkippedEntry[] = [];
    const toRebuild: string[] = [];
    for (const id of snapIds) {
      const s = idxValues[INDEX_PREFIX + id];
      if (!q.verify && isStoredSummary(s, id)) items.push(publicSummary(s));
      else toRebuild.push(id);
    }
    if (toRebuild.length > 0) {
      const records = values ?? (await area.get(toRebuild.map((id) => SNAP_PREFIX + id)));
      const repaired: Record<string, StoredSummary> = {};
      for (const id of toRebuild) {
        const key = SNAP_PREFIX + id;
        if (!(key in records)) continue; // deleted meanwhile by another tab
        const raw = records[key];
        const res = ID_PATTERN.test(id)
          ? migrateSnapshot(raw)
          : ({ ok: false, reason: 'key is not a valid snapshot id', newer: false } as const);
        if (res.ok && res.snapshot.id !== id) {
          moved.push(await quarantine(key, raw, `id ${JSON.stringify(res.snapshot.id)} does not match its key`, now));
          continue;
        }
        if (!res.ok) {
          if (res.newer) skipped.push({ key, reason: res.reason });
          else moved.push(await quarantine(key, raw, res.reason, now));
          continue;
        }
        const summary = await summarize(res.snapshot);
        items.push(summary);
        const old = idxValues[INDEX_PREFIX + id];
        if (!isStoredSummary(old, id) || JSON.stringify(publicSummary(old)) !== JSON.stringify(summary)) {
          repaired[INDEX_PREFIX + id] = { ...summary, summaryVersion: SUMMARY_VERSION };
        }
      }
      // The index is derived data: repairing it is best effort (a full quota must not break the list).
      if (Object.keys(repaired).length > 0) await area.set(repaired).catch(() => undefined);
    }
    const orphans = [...idxIds].filter((id) => !snapSet.has(id)).map((id) => INDEX_PREFIX + id);
    if (orphans.length > 0) await area.remove(orphans).catch(() => undefined);

    const movedKeys = new Set(moved.map((m) => m.key));
    const afterKeys = moved.some((m) => m.moved)
      ? (await allKeys(area)).keys
      : keys.filter((k) => k.startsWith(QUARANTINE_PREFIX));
    const quarantined = [...moved, ...(await listQuarantined(afterKeys.filter((k) => !movedKeys.has(k))))];

    items.sort((a, b) => (a.savedAt === b.savedAt ? a.id.localeCompare(b.id) : a.savedAt < b.savedAt ? 1 : -1));
    return { items: items.filter((s) => matches(s, q)), quarantined, skipped };
  }

  type GetResult = { ok: true; snapshot: Snapshot; migratedFrom: number | null } | StoreError;

  async function getSnapshot(id: string, opts: { now?: Date } = {}): Promise<GetResult> {
    if (!ID_PATTERN.test(id)) return { ok: false, code: 'not-found', message: `No snapshot "${id}".` };
    const key = SNAP_PREFIX + id;
    let got: Record<string, unknown>;
    try {
      got = await area.get(key);
    } catch (err) {
      return { ok: false, code: 'read-failed', message: `Could not read the snapshot (${errorText(err)}).` };
    }
    if (!(key in got) || got[key] === undefined)
      return { ok: false, code: 'not-found', message: `No snapshot "${id}".` };
    const raw = got[key];
    const res = migrateSnapshot(raw);
    if (res.ok && res.snapshot.id === id) {
      return {
        ok: true,
        snapshot: res.snapshot,
        migratedFrom: res.fromVersion === SCHEMA_VERSION ? null : res.fromVersion,
      };
    }
    if (!res.ok && res.newer) return { ok: false, code: 'newer', message: res.reason };
    const reason = res.ok ? 'id does not match its key' : res.reason;
    const q = await quarantine(key, raw, reason, opts.now ?? new Date());
    return {
      ok: false,
      code: 'corrupt',
      message: `This snapshot is damaged (${reason}); it was ${q.moved ? 'moved to quarantine' : 'left in place'}, not deleted.`,
    };
  }

  type DeleteResult = { ok: true; undoToken: string } | StoreError;

  async function deleteSnapshot(id: string, opts: { now?: Date } = {}): Promise<DeleteResult> {
    const now = opts.now ?? new Date();
    const key = SNAP_PREFIX + id;
    const idxKey = INDEX_PREFIX + id;
    const got = await area.get([key, idxKey]);
    if (!ID_PATTERN.test(id) || got[key] === undefined) {
      return { ok: false, code: 'not-found', message: `No snapshot "${id}".` };
    }
    await purgeTrash({ now });
    const token = `${id}.${now.getTime().toString(36)}`;
    // Copy first, then remove: if anything stops halfway, the snapshot exists twice, never zero times.
    try {
      await area.set({
        [TRASH_PREFIX + token]: { id, deletedAt: now.toISOString(), record: got[key], summary: got[idxKey] ?? null },
      });
    } catch (err) {
      return {
        ok: false,
        code: isQuotaError(err) ? 'quota' : 'write-failed',
        message: `Not deleted: could not keep an undo copy (${errorText(err)}).`,
      };
    }
    try {
      await area.remove([key, idxKey]);
    } catch (err) {
      return { ok: false, code: 'write-failed', message: `Not deleted: ${errorText(err)}.` };
    }
    return { ok: true, undoToken: token };
  }

  type UndoResult = { ok: true; id: string } | StoreError;

  async function undoDelete(token: string): Promise<UndoResult> {
    const tKey = TRASH_PREFIX + token;
    const entry = (await area.get(tKey))[tKey];
    if (!isRecord(entry) || typeof entry.id !== 'string') {
      return { ok: false, code: 'not-found', message: 'Nothing to undo: the deleted snapshot is gone for good.' };
    }
    const key = SNAP_PREFIX + entry.id;
    const items: Record<string, unknown> = { [key]: entry.record };
    if (entry.summary !== null && entry.summary !== undefined) items[INDEX_PREFIX + entry.id] = entry.summary;
    try {
      await area.set(items);
    } catch (err) {
      return {
        ok: false,
        code: isQuotaError(err) ? 'quota' : 'write-failed',
        message: `Undo failed: ${errorText(err)}.`,
      };
    }
    await area.remove(tKey).catch(() => undefined);
    return { ok: true, id: entry.id };
  }

  /** Drops undo copies older than the retention. Returns how many were dropped. */
  async function purgeTrash(opts: { now?: Date; olderThanMs?: number } = {}): Promise<number> {
    const now = (opts.now ?? new Date()).getTime();
    const limit = opts.olderThanMs ?? trashRetentionMs;
    const { keys, values } = await allKeys(area);
    const tKeys = keys.filter((k) => k.startsWith(TRASH_PREFIX));
    if (tKeys.length === 0) return 0;
    const got = values ?? (await area.get(tKeys));
    const old = tKeys.filter((k) => {
      const e = got[k];
      const t = isRecord(e) && typeof e.deletedAt === 'string' ? Date.parse(e.deletedAt) : NaN;
      return Number.isFinite(t) && now - t >= limit;
    });
    if (old.length > 0) await area.remove(old);
    return old.length;
  }

  /** The raw value of a quarantined entry, for export or inspection. */
  async function getQuarantined(key: string): Promise<{ ok: true; entry: QuarantineRecord } | StoreError> {
    if (!key.startsWith(QUARANTINE_PREFIX)) return { ok: false, code: 'not-found', message: `Not a quarantine key.` };
    const v = (await area.get(key))[key];
    if (v === undefined) return { ok: false, code: 'not-found', message: `Nothing quarantined under ${key}.` };
    return {
      ok: true,
      entry: isRecord(v)
        ? (v as unknown as QuarantineRecord)
        : { originalKey: key, reason: 'malformed', quarantinedAt: '', raw: v },
    };
  }

  /** The trader's explicit decision to throw a quarantined entry away. */
  async function discardQuarantined(key: string): Promise<boolean> {
    if (!key.startsWith(QUARANTINE_PREFIX)) return false;
    await area.remove(key);
    return true;
  }

  /** Rewrites records of older schema versions in the current one (each record with its summary, one set each). */
  async function migrateAll(
    opts: { now?: Date } = {},
  ): Promise<{ migrated: string[]; quarantined: QuarantinedEntry[] }> {
    const now = opts.now ?? new Date();
    const { keys } = await allKeys(area);
    const snapKeys = keys.filter((k) => k.startsWith(SNAP_PREFIX));
    const migrated: string[] = [];
    const quarantined: QuarantinedEntry[] = [];
    for (const key of snapKeys) {
      const raw = (await area.get(key))[key];
      if (raw === undefined) continue;
      if (isRecord(raw) && raw.schemaVersion === SCHEMA_VERSION) continue;
      const res = migrateSnapshot(raw);
      const id = key.slice(SNAP_PREFIX.length);
      if (res.ok && res.snapshot.id === id) {
        const summary = await summarize(res.snapshot);
        await area.set({ [key]: res.snapshot, [INDEX_PREFIX + id]: { ...summary, summaryVersion: SUMMARY_VERSION } });
        migrated.push(id);
      } else if (!res.ok && res.newer) {
        continue;
      } else {
        quarantined.push(await quarantine(key, raw, res.ok ? 'id does not match its key' : res.reason, now));
      }
    }
    return { migrated, quarantined };
  }

  /** Content hash of every stored snapshot by id, and the id of every hash — for import. */
  async function fingerprints(): Promise<{ byId: Map<string, string>; byHash: Map<string, string> }> {
    const list = await listSnapshots();
    return {
      byId: new Map(list.items.map((s) => [s.id, s.contentHash])),
      byHash: new Map(list.items.map((s) => [s.contentHash, s.id])),
    };
  }

  /** Reads every stored snapshot (for export), migrated to the current schema; bad ones quarantined. */
  async function readAll(): Promise<{ snapshots: Snapshot[]; quarantined: QuarantinedEntry[] }> {
    const list = await listSnapshots();
    const snapshots: Snapshot[] = [];
    const quarantined = [...list.quarantined];
    for (const s of list.items) {
      const r = await getSnapshot(s.id);
      if (r.ok) snapshots.push(r.snapshot);
    }
    return { snapshots, quarantined };
  }

  return {
    saveSnapshot,
    listSnapshots,
    getSnapshot,
    deleteSnapshot,
    undoDelete,
    purgeTrash,
    storageUsage,
    getQuarantined,
    discardQuarantined,
    migrateAll,
    /**
     * Writes an already-validated snapshot under its own id (import). The id must not exist. `usedBytes`: the
     * caller's running total of bytes in use, to skip re-measuring.
     */
    insertSnapshot: writeNew,
    fingerprints,
    readAll,
    quotaBytes,
  };
}

export type SnapshotStore = ReturnType<typeof createSnapshotStore>;

// Convenience entry points over browser.storage.local with the default quota.
export const saveSnapshot = (input: SnapshotInput, opts?: { now?: Date; stripUrl?: boolean }) =>
  createSnapshotStore().saveSnapshot(input, opts);
export const listSnapshots = (q?: ListQuery) => createSnapshotStore().listSnapshots(q);
export const getSnapshot = (id: string) => createSnapshotStore().getSnapshot(id);
export const deleteSnapshot = (id: string) => createSnapshotStore().deleteSnapshot(id);
export const undoDelete = (token: string) => createSnapshotStore().undoDelete(token);
export const storageUsage = () => createSnapshotStore().storageUsage();
