/**
 * The VIX sightings series: every VIX quote the extension saw on a page (or the trader typed), time-stamped.
 * Append-only (a sighting, once kept, is never changed), de-duplicated by instant (a second sighting at the
 * same millisecond is a duplicate, the first one stays), sorted by time, capped (the oldest beyond the cap go:
 * the daily history comes from Cboe's file, sightings only need to cover the days it does not).
 *
 * Stored as one versioned `@wxt-dev/storage` item (`local:vixSightings`); appends are serialised with a lock.
 * The shape is the engine's `VixSighting` (src/engine/alvh/vixSeries.ts): { at, value, source }.
 */
import { storage, type WxtStorageItem } from '@wxt-dev/storage';
import { isRecord } from './json';
import { withLock } from './lock';

export interface StoredVixSighting {
  /** ISO 8601 UTC instant (normalised with toISOString). */
  at: string;
  value: number;
  /** Where it was seen: an adapter name, 'manual', … */
  source: string;
}

export const VIX_SIGHTINGS_KEY = 'local:vixSightings' as const;
export const VIX_SIGHTINGS_VERSION = 1;
export const DEFAULT_SIGHTINGS_CAP = 5000;

export function defineVixSightingsItem(): WxtStorageItem<StoredVixSighting[], Record<string, never>> {
  return storage.defineItem<StoredVixSighting[], Record<string, never>>(VIX_SIGHTINGS_KEY, {
    fallback: [],
    version: VIX_SIGHTINGS_VERSION,
  });
}

let item: WxtStorageItem<StoredVixSighting[], Record<string, never>> | null = null;
function sightingsItem() {
  item ??= defineVixSightingsItem();
  return item;
}

/** A sighting normalised for storage, or why it is refused. */
export function normaliseSighting(s: unknown): StoredVixSighting | string {
  if (!isRecord(s)) return 'not an object';
  const t = typeof s.at === 'string' ? Date.parse(s.at) : NaN;
  if (!Number.isFinite(t)) return 'no valid time';
  if (typeof s.value !== 'number' || !Number.isFinite(s.value) || s.value <= 0 || s.value > 1000) {
    return 'VIX value must be a positive number';
  }
  const source = typeof s.source === 'string' ? s.source : '';
  return { at: new Date(t).toISOString(), value: s.value, source };
}

/** Reads the series; entries that are not valid sightings are left out and counted. */
export async function getVixSightings(): Promise<{ sightings: StoredVixSighting[]; unreadable: number }> {
  const raw: unknown = await sightingsItem().getValue();
  if (!Array.isArray(raw)) return { sightings: [], unreadable: raw === null || raw === undefined ? 0 : 1 };
  const sightings: StoredVixSighting[] = [];
  let unreadable = 0;
  for (const r of raw) {
    const n = normaliseSighting(r);
    if (typeof n === 'string') unreadable++;
    else sightings.push(n);
  }
  return { sightings, unreadable };
}

export interface AppendReport {
  added: number;
  duplicates: number;
  refused: { sighting: unknown; reason: string }[];
  /** Oldest sightings dropped to stay within the cap. */
  dropped: number;
  total: number;
}

export function appendVixSightings(incoming: readonly unknown[], opts: { cap?: number } = {}): Promise<AppendReport> {
  const cap = Math.max(1, Math.floor(opts.cap ?? DEFAULT_SIGHTINGS_CAP));
  return withLock('vixSightings', async () => {
    const raw: unknown = await sightingsItem().getValue();
    // Keep stored entries exactly as they are (even ones this build cannot read): append-only.
    const kept: unknown[] = Array.isArray(raw) ? [...raw] : [];
    const times = new Set<number>();
    for (const k of kept) {
      const n = normaliseSighting(k);
      if (typeof n !== 'string') times.add(Date.parse(n.at));
    }
    const report: AppendReport = { added: 0, duplicates: 0, refused: [], dropped: 0, total: 0 };
    for (const s of incoming) {
      const n = normaliseSighting(s);
      if (typeof n === 'string') {
        report.refused.push({ sighting: s, reason: n });
        continue;
      }
      const t = Date.parse(n.at);
      if (times.has(t)) {
        report.duplicates++;
        continue;
      }
      times.add(t);
      kept.push(n);
      report.added++;
    }
    const time = (v: unknown) => {
      const n = normaliseSighting(v);
      return typeof n === 'string' ? -Infinity : Date.parse(n.at);
    };
    kept.sort((a, b) => time(a) - time(b));
    if (kept.length > cap) {
      report.dropped = kept.length - cap;
      kept.splice(0, report.dropped);
    }
    report.total = kept.length;
    if (report.added > 0 || report.dropped > 0) await sightingsItem().setValue(kept as StoredVixSighting[]);
    return report;
  });
}
