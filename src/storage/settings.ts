/**
 * The trader's settings, a versioned `@wxt-dev/storage` item (`local:settings`, version in `settings$`).
 *
 * History
 *   v1: { accountSize, buyingPower, multiplier, ratePercent } — units implied, the rate in percent (4.3 = 4.3%).
 *   v2 (current): units in the names, the rate a fraction and its source explicit:
 *       { accountSizeDollars, buyingPowerDollars, contractMultiplier, rateSource }.
 * `@wxt-dev/storage` runs the migrations when the item is defined (and `migrate()` re-runs them); a value that
 * still does not validate is read field by field: a bad field falls back to its default and is reported.
 *
 * The VIX sightings store lives in vixSightings.ts and is re-exported here.
 */
import { storage, type WxtStorageItem } from '@wxt-dev/storage';
import { isRecord } from './json';
import { withLock } from './lock';

export * from './vixSightings';

/** Where the risk-free rate comes from: put-call parity of the chain (the engine's default), or the trader. */
export type RateSource =
  { kind: 'parity' } | { kind: 'manual'; /** continuously compounded, a fraction */ annualRate: number };

export interface Settings {
  accountSizeDollars: number | null;
  buyingPowerDollars: number | null;
  /** Dollars per point per contract (100 for SPX, SPY, VIX options). */
  contractMultiplier: number;
  rateSource: RateSource;
}

export const SETTINGS_VERSION = 2;
export const SETTINGS_KEY = 'local:settings' as const;

export const DEFAULT_SETTINGS: Readonly<Settings> = Object.freeze({
  accountSizeDollars: null,
  buyingPowerDollars: null,
  contractMultiplier: 100,
  rateSource: Object.freeze({ kind: 'parity' as const }),
});

export interface SettingsV1 {
  accountSize: number | null;
  buyingPower: number | null;
  multiplier: number;
  ratePercent: number | null;
}

export const SETTINGS_MIGRATIONS = {
  2: (old: unknown): unknown => {
    if (!isRecord(old)) return old;
    const rate = old.ratePercent;
    return {
      accountSizeDollars: old.accountSize ?? null,
      buyingPowerDollars: old.buyingPower ?? null,
      contractMultiplier: old.multiplier ?? 100,
      rateSource:
        typeof rate === 'number' && Number.isFinite(rate)
          ? { kind: 'manual', annualRate: rate / 100 }
          : { kind: 'parity' },
    };
  },
};

export function defineSettingsItem(): WxtStorageItem<Settings, Record<string, never>> {
  return storage.defineItem<Settings, Record<string, never>>(SETTINGS_KEY, {
    fallback: { ...DEFAULT_SETTINGS },
    version: SETTINGS_VERSION,
    migrations: SETTINGS_MIGRATIONS,
  });
}

let item: WxtStorageItem<Settings, Record<string, never>> | null = null;
/** Defined on first use, not at import: the worker and the CLI import this module's types without a browser. */
export function settingsItem(): WxtStorageItem<Settings, Record<string, never>> {
  item ??= defineSettingsItem();
  return item;
}

const money = (v: unknown) => v === null || (typeof v === 'number' && Number.isFinite(v) && v >= 0);

/** Problems of each field, by field name; empty when valid. */
export function checkSettings(v: unknown): Partial<Record<keyof Settings, string>> {
  if (!isRecord(v)) return { accountSizeDollars: 'settings are not an object' };
  const out: Partial<Record<keyof Settings, string>> = {};
  if (!money(v.accountSizeDollars)) out.accountSizeDollars = 'account size must be a non-negative number of dollars';
  if (!money(v.buyingPowerDollars)) out.buyingPowerDollars = 'buying power must be a non-negative number of dollars';
  const m = v.contractMultiplier;
  if (!(typeof m === 'number' && Number.isFinite(m) && m > 0)) out.contractMultiplier = 'multiplier must be positive';
  const r = v.rateSource;
  const rateOk =
    isRecord(r) &&
    (r.kind === 'parity' ||
      (r.kind === 'manual' &&
        typeof r.annualRate === 'number' &&
        Number.isFinite(r.annualRate) &&
        r.annualRate > -0.2 &&
        r.annualRate < 1));
  if (!rateOk) out.rateSource = 'rate must be "parity" or a manual annual rate between −20% and 100% (as a fraction)';
  return out;
}

export interface SettingsRead {
  settings: Settings;
  /** One sentence per field that was unreadable and replaced by its default. */
  problems: string[];
}

export async function getSettings(): Promise<SettingsRead> {
  const raw: unknown = await settingsItem().getValue();
  const problems = checkSettings(raw);
  const keys = Object.keys(problems) as (keyof Settings)[];
  if (keys.length === 0) return { settings: raw as Settings, problems: [] };
  const base = isRecord(raw) ? raw : {};
  const settings = { ...DEFAULT_SETTINGS } as Settings;
  for (const k of Object.keys(DEFAULT_SETTINGS) as (keyof Settings)[]) {
    if (!(k in problems) && k in base) (settings as unknown as Record<string, unknown>)[k] = base[k];
  }
  return { settings, problems: keys.map((k) => `${problems[k]!} (using the default)`) };
}

export type SettingsUpdate = { ok: true; settings: Settings } | { ok: false; message: string };

/** Validates and writes a partial update; the whole value is written under a lock (no lost field update). */
export function updateSettings(patch: Partial<Settings>): Promise<SettingsUpdate> {
  return withLock('settings', async () => {
    const { settings } = await getSettings();
    const next = { ...settings, ...patch };
    const problems = checkSettings(next);
    const first = Object.values(problems)[0];
    if (first) return { ok: false, message: `Not saved: ${first}.` };
    try {
      await settingsItem().setValue(next);
    } catch (err) {
      return { ok: false, message: `Not saved: ${err instanceof Error ? err.message : String(err)}.` };
    }
    return { ok: true, settings: next };
  });
}
