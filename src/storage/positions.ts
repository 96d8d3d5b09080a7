/**
 * The stored positions on storage.local: the overlay's position with its hedges and adjustment journal, and the
 * positions imported from a broker's file. The record's format is positionRecord.ts.
 *
 * Layout (one key per position, like snapshots: two tabs on different positions never write the same key):
 *   position:<id>       the record (version inside)
 *   posquarantine:<id>  a record that failed the check, moved aside with the reason (removed only by the trader)
 *   portfolioBetas      the betas to SPX the portfolio view uses (the trader may edit them)
 * The overlay's position of one underlying and expiry has a fixed id (overlayPositionId): two tabs on the same one
 * write the same key, the later write wins — both hold the same session inputs save for what was done in the last
 * few seconds.
 * Expected failures (invalid input, quota, a browser write error) are results with a sentence for the trader.
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
  type StorageAreaLike,
} from './area';
import { isRecord, itemBytes, toJsonSafe } from './json';
import { migratePosition, POSITION_ID, type StoredPosition } from './positionRecord';

export type { StoredPosition } from './positionRecord';

export const POSITION_PREFIX = 'position:';
export const POSITION_QUARANTINE_PREFIX = 'posquarantine:';
export const BETAS_KEY = 'portfolioBetas';

export interface PositionQuarantine {
  key: string;
  originalKey: string;
  reason: string;
  quarantinedAt: string;
  moved: boolean;
}

export type PositionStoreError = {
  ok: false;
  code: 'invalid' | 'quota' | 'write-failed' | 'read-failed';
  message: string;
};

export interface PositionList {
  items: StoredPosition[];
  quarantined: PositionQuarantine[];
  /** Records of a newer HedgeLens: left untouched. */
  skipped: { key: string; reason: string }[];
}

export interface PositionStoreOptions {
  area?: StorageAreaLike;
  quotaBytes?: number;
  warnRatio?: number;
}

export function createPositionStore(options: PositionStoreOptions = {}) {
  const area = options.area ?? defaultArea();
  const quotaBytes =
    options.quotaBytes ?? (!options.area && manifestHasUnlimitedStorage() ? Infinity : areaQuota(area));
  const warnRatio = options.warnRatio ?? DEFAULT_WARN_RATIO;

  async function quarantine(key: string, raw: unknown, reason: string, now: Date): Promise<PositionQuarantine> {
    const id = key.slice(POSITION_PREFIX.length).replace(/[^A-Za-z0-9_.~-]/g, '_') || '_';
    const qKey = `${POSITION_QUARANTINE_PREFIX}${id}~${now.getTime().toString(36)}`;
    const at = now.toISOString();
    try {
      await area.set({ [qKey]: { originalKey: key, reason, quarantinedAt: at, raw } });
      await area.remove(key);
      return { key: qKey, originalKey: key, reason, quarantinedAt: at, moved: true };
    } catch (err) {
      return {
        key,
        originalKey: key,
        reason: `${reason} (could not move it to quarantine: ${errorText(err)})`,
        quarantinedAt: at,
        moved: false,
      };
    }
  }

  /** Every stored position, newest change first; a record that fails its check is quarantined, never thrown. */
  async function listPositions(opts: { now?: Date } = {}): Promise<PositionList> {
    const now = opts.now ?? new Date();
    const { keys, values } = await allKeys(area);
    const pKeys = keys.filter((k) => k.startsWith(POSITION_PREFIX));
    const qKeys = keys.filter((k) => k.startsWith(POSITION_QUARANTINE_PREFIX));
    const got = values ?? (pKeys.length + qKeys.length > 0 ? await area.get([...pKeys, ...qKeys]) : {});
    const items: StoredPosition[] = [];
    const quarantined: PositionQuarantine[] = [];
    const skipped: PositionList['skipped'] = [];
    for (const k of qKeys) {
      const v = got[k];
      quarantined.push({
        key: k,
        originalKey: isRecord(v) && typeof v.originalKey === 'string' ? v.originalKey : k,
        reason: isRecord(v) && typeof v.reason === 'string' ? v.reason : 'unknown',
        quarantinedAt: isRecord(v) && typeof v.quarantinedAt === 'string' ? v.quarantinedAt : '',
        moved: true,
      });
    }
    for (const k of pKeys) {
      const raw = got[k];
      if (raw === undefined) continue;
      const r = migratePosition(raw);
      if (r.ok && r.record.id === k.slice(POSITION_PREFIX.length)) items.push(r.record);
      else if (!r.ok && r.newer) skipped.push({ key: k, reason: r.reason });
      else quarantined.push(await quarantine(k, raw, r.ok ? 'id does not match its key' : r.reason, now));
    }
    items.sort((a, b) => b.updatedAt.localeCompare(a.updatedAt) || a.id.localeCompare(b.id));
    return { items, quarantined, skipped };
  }

  async function getPosition(id: string): Promise<StoredPosition | null> {
    const key = POSITION_PREFIX + id;
    const raw = (await area.get(key))[key];
    if (raw === undefined) return null;
    const r = migratePosition(raw);
    if (r.ok && r.record.id === id) return r.record;
    if (!r.ok && r.newer) return null;
    await quarantine(key, raw, r.ok ? 'id does not match its key' : r.reason, new Date());
    return null;
  }

  /**
   * Writes a position under its id (a new one, or over the same id), after checking it and the quota. The record
   * being replaced does not count against the quota. Nothing else is touched.
   */
  async function savePosition(
    record: StoredPosition,
  ): Promise<{ ok: true; warning: string | null } | PositionStoreError> {
    const json = toJsonSafe(record, 'position');
    if (!json.ok) return { ok: false, code: 'invalid', message: `Position not saved: ${json.path}: ${json.reason}.` };
    const checked = migratePosition(json.value);
    if (!checked.ok) return { ok: false, code: 'invalid', message: `Position not saved: ${checked.reason}.` };
    if (!POSITION_ID.test(record.id)) return { ok: false, code: 'invalid', message: 'Position not saved: bad id.' };
    const key = POSITION_PREFIX + record.id;
    const need = itemBytes(key, checked.record);
    let used: number;
    let old = 0;
    try {
      used = (await bytesInUse(area)).bytes;
      const prev = (await area.get(key))[key];
      if (prev !== undefined) old = itemBytes(key, prev);
    } catch (err) {
      return {
        ok: false,
        code: 'read-failed',
        message: `Position not saved: could not measure storage (${errorText(err)}).`,
      };
    }
    const after = used - old + need;
    if (after > quotaBytes) {
      return {
        ok: false,
        code: 'quota',
        message:
          `Position not saved: it needs ${formatBytes(need)} but only ${formatBytes(Math.max(0, quotaBytes - used + old))} of ` +
          `the ${formatBytes(quotaBytes)} storage is left. Nothing was deleted: export and delete old snapshots or positions to make room.`,
      };
    }
    try {
      await area.set({ [key]: checked.record });
    } catch (err) {
      return {
        ok: false,
        code: isQuotaError(err) ? 'quota' : 'write-failed',
        message: isQuotaError(err)
          ? 'Position not saved: the browser reports its storage quota is full. Nothing was deleted.'
          : `Position not saved: the browser refused the write (${errorText(err)}).`,
      };
    }
    const ratio = Number.isFinite(quotaBytes) ? after / quotaBytes : 0;
    return {
      ok: true,
      warning:
        ratio >= warnRatio
          ? `Storage is ${Math.round(ratio * 100)}% full (${formatBytes(after)} of ${formatBytes(quotaBytes)}).`
          : null,
    };
  }

  async function deletePosition(id: string): Promise<void> {
    await area.remove(POSITION_PREFIX + id);
  }

  /**
   * The overlay's stored position for this underlying whose condor's expiry is one of `expiries` (the chain shown),
   * the most recently changed first; null when none.
   */
  async function findOverlayPosition(underlying: string, expiries: readonly string[]): Promise<StoredPosition | null> {
    const { items } = await listPositions();
    const want = underlying.toUpperCase();
    return (
      items.find(
        (p) =>
          p.source === 'overlay' &&
          p.underlying.toUpperCase() === want &&
          p.condor !== null &&
          expiries.includes(p.condor.expiry),
      ) ?? null
    );
  }

  async function discardQuarantined(key: string): Promise<boolean> {
    if (!key.startsWith(POSITION_QUARANTINE_PREFIX)) return false;
    await area.remove(key);
    return true;
  }

  /**
   * Takes positions from an export: each is checked; one already stored with the same content is left, one whose id
   * holds something else is taken under a new id. Refused ones are listed with the reason.
   */
  async function importPositions(list: unknown): Promise<{
    ok: boolean;
    message: string | null;
    taken: string[];
    refused: { index: number; id: string | null; reason: string }[];
  }> {
    if (!Array.isArray(list)) return { ok: false, message: 'expected a list of positions', taken: [], refused: [] };
    const taken: string[] = [];
    const refused: { index: number; id: string | null; reason: string }[] = [];
    for (const [index, raw] of list.entries()) {
      const id = isRecord(raw) && typeof raw.id === 'string' ? raw.id : null;
      const r = migratePosition(raw);
      if (!r.ok) {
        refused.push({ index, id, reason: r.reason });
        continue;
      }
      let record = r.record;
      const existing = await getPosition(record.id);
      if (existing && JSON.stringify(existing) === JSON.stringify(record)) continue;
      if (existing) record = { ...record, id: `${record.id}.${Date.now().toString(36)}${index}` };
      const saved = await savePosition(record);
      if (saved.ok) taken.push(record.id);
      else refused.push({ index, id, reason: saved.message });
    }
    return { ok: true, message: null, taken, refused };
  }

  return {
    listPositions,
    getPosition,
    savePosition,
    deletePosition,
    findOverlayPosition,
    discardQuarantined,
    importPositions,
    quotaBytes,
  };
}

export type PositionStore = ReturnType<typeof createPositionStore>;

/** The betas to SPX the portfolio view starts from: SPY tracks SPX (1.00); QQQ, IWM and RUT are stated estimates. */
export const DEFAULT_BETAS: Readonly<Record<string, number>> = { SPX: 1, SPY: 1, QQQ: 1.15, IWM: 1.2, RUT: 1.2 };

/** The trader's betas to SPX (absent or malformed: the defaults; each value must be a finite number). */
export async function loadBetas(area: StorageAreaLike = defaultArea()): Promise<Record<string, number>> {
  const v = (await area.get(BETAS_KEY))[BETAS_KEY];
  const out: Record<string, number> = { ...DEFAULT_BETAS };
  if (isRecord(v))
    for (const [k, b] of Object.entries(v))
      if (typeof b === 'number' && Number.isFinite(b) && /^[A-Z0-9.^]{1,10}$/.test(k)) out[k] = b;
  return out;
}

export async function saveBetas(
  betas: Record<string, number>,
  area: StorageAreaLike = defaultArea(),
): Promise<{ ok: true } | { ok: false; message: string }> {
  for (const [k, b] of Object.entries(betas)) {
    if (!/^[A-Z0-9.^]{1,10}$/.test(k)) return { ok: false, message: `Not saved: “${k}” is not a symbol.` };
    if (!(typeof b === 'number' && Number.isFinite(b) && b > -10 && b < 10))
      return { ok: false, message: `Not saved: the beta of ${k} must be a number between −10 and 10.` };
  }
  try {
    await area.set({ [BETAS_KEY]: betas });
    return { ok: true };
  } catch (err) {
    return { ok: false, message: `Not saved: ${errorText(err)}.` };
  }
}
