/**
 * The slice of `storage.local` the snapshot store needs, and how it measures space.
 * Tests (and a future IndexedDB fallback) can hand in any object with this shape.
 */
import { browser } from 'wxt/browser';
import { itemBytes } from './json';

export interface StorageAreaLike {
  get(keys?: string | string[] | null): Promise<Record<string, unknown>>;
  /** One call is one transaction in Chromium (a LevelDB write batch) and Firefox (an IndexedDB transaction). */
  set(items: Record<string, unknown>): Promise<void>;
  remove(keys: string | string[]): Promise<void>;
  getBytesInUse?(keys?: string | string[] | null): Promise<number>;
  /** Chromium 130+. */
  getKeys?(): Promise<string[]>;
  QUOTA_BYTES?: number;
}

/** Chromium's storage.local quota since 114 (5 MiB before); used when the area does not say. */
export const DEFAULT_QUOTA_BYTES = 10 * 1024 * 1024;
export const DEFAULT_WARN_RATIO = 0.8;

export function defaultArea(): StorageAreaLike {
  return browser.storage.local as unknown as StorageAreaLike;
}

/**
 * True when the extension's manifest asks for `unlimitedStorage`: Chromium then lifts the storage.local quota
 * but still reports QUOTA_BYTES, so the store must not enforce it.
 */
export function manifestHasUnlimitedStorage(): boolean {
  try {
    const m = browser.runtime.getManifest() as { permissions?: unknown };
    return Array.isArray(m.permissions) && m.permissions.includes('unlimitedStorage');
  } catch {
    return false; // no runtime (tests, Node)
  }
}

export function areaQuota(area: StorageAreaLike): number {
  const q = area.QUOTA_BYTES;
  return typeof q === 'number' && Number.isFinite(q) && q > 0 ? q : DEFAULT_QUOTA_BYTES;
}

export interface BytesMeasure {
  bytes: number;
  /** 'browser': getBytesInUse; 'estimate': key + JSON length of every item (Chromium's own rule). */
  measuredBy: 'browser' | 'estimate';
}

export async function bytesInUse(area: StorageAreaLike): Promise<BytesMeasure> {
  if (typeof area.getBytesInUse === 'function') {
    try {
      const n = await area.getBytesInUse(null);
      if (typeof n === 'number' && Number.isFinite(n) && n >= 0) return { bytes: n, measuredBy: 'browser' };
    } catch {
      // Firefox before 131 and test doubles: not implemented. Estimate instead.
    }
  }
  const all = await area.get(null);
  let bytes = 0;
  for (const [k, v] of Object.entries(all)) bytes += itemBytes(k, v);
  return { bytes, measuredBy: 'estimate' };
}

/** All keys: getKeys() when the browser has it (no values read), else the keys of get(null). */
export async function allKeys(area: StorageAreaLike): Promise<{ keys: string[]; values?: Record<string, unknown> }> {
  if (typeof area.getKeys === 'function') {
    try {
      const keys = await area.getKeys();
      if (Array.isArray(keys)) return { keys };
    } catch {
      // fall through
    }
  }
  const values = await area.get(null);
  return { keys: Object.keys(values), values };
}

export function errorText(err: unknown): string {
  if (err instanceof Error) return err.message;
  if (typeof err === 'string') return err;
  try {
    return JSON.stringify(err);
  } catch {
    return String(err);
  }
}

/** Chromium: "QUOTA_BYTES quota exceeded"; Firefox: "QuotaExceededError"/"quota". */
export function isQuotaError(err: unknown): boolean {
  return /quota/i.test(errorText(err)) || (err instanceof Error && err.name === 'QuotaExceededError');
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / (1024 * 1024)).toFixed(2)} MB`;
}
