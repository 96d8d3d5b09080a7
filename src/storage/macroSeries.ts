/**
 * The macro series the trader imported (FRED CSVs, src/engine/macro/fred.ts), kept in storage.local by series id:
 * a new file of the same series replaces it. Columns rather than objects (a 50-year daily series is ~13,000 values).
 * Read by the overlay frame for the session's macro gauges; written by the options page.
 */
import { storage } from '@wxt-dev/storage';
import type { FredSeries, Frequency } from '../engine/macro/fred';

export const MACRO_SERIES_KEY = 'local:macroSeries' as const;

interface StoredSeries {
  id: string;
  frequency: Frequency;
  source: string;
  importedAt: string;
  dates: string[];
  /** null: missing in the file (FRED's "." or a blank). */
  values: (number | null)[];
}

interface StoredMacro {
  version: 1;
  series: StoredSeries[];
}

export interface StoredSeriesInfo {
  id: string;
  frequency: Frequency;
  source: string;
  importedAt: string;
  count: number;
  first: string;
  last: string;
}

export interface LoadedMacroSeries {
  series: FredSeries[];
  info: StoredSeriesInfo[];
  /** Why the stored series could not be used (left in place, never deleted), or null. */
  problem: string | null;
}

const FREQUENCIES: readonly Frequency[] = ['daily', 'weekly', 'monthly', 'quarterly'];

function validSeries(x: unknown): x is StoredSeries {
  if (typeof x !== 'object' || x === null) return false;
  const s = x as Partial<StoredSeries>;
  return (
    typeof s.id === 'string' &&
    FREQUENCIES.includes(s.frequency as Frequency) &&
    typeof s.source === 'string' &&
    typeof s.importedAt === 'string' &&
    Array.isArray(s.dates) &&
    Array.isArray(s.values) &&
    s.dates.length === s.values.length &&
    s.dates.length > 0 &&
    s.dates.every((d) => typeof d === 'string') &&
    s.values.every((v) => v === null || (typeof v === 'number' && Number.isFinite(v)))
  );
}

async function readStored(): Promise<{ stored: StoredMacro; problem: string | null }> {
  const raw = await storage.getItem<unknown>(MACRO_SERIES_KEY).catch(() => null);
  if (raw === null || raw === undefined) return { stored: { version: 1, series: [] }, problem: null };
  const r = raw as Partial<StoredMacro>;
  if (r.version !== 1 || !Array.isArray(r.series))
    return { stored: { version: 1, series: [] }, problem: 'the stored macro series are unreadable: import them again' };
  const good = r.series.filter(validSeries);
  const bad = r.series.length - good.length;
  return {
    stored: { version: 1, series: good },
    problem: bad > 0 ? `${bad} stored macro series unreadable and left out: import them again` : null,
  };
}

const infoOf = (s: StoredSeries): StoredSeriesInfo => ({
  id: s.id,
  frequency: s.frequency,
  source: s.source,
  importedAt: s.importedAt,
  count: s.dates.length,
  first: s.dates[0]!,
  last: s.dates[s.dates.length - 1]!,
});

export async function loadMacroSeries(): Promise<LoadedMacroSeries> {
  const { stored, problem } = await readStored();
  return {
    series: stored.series.map((s) => ({
      id: s.id,
      frequency: s.frequency,
      observations: s.dates.map((date, i) => ({ date, value: s.values[i] ?? null })),
      missing: s.values.filter((v) => v === null).length,
    })),
    info: stored.series.map(infoOf),
    problem,
  };
}

export type MacroStoreResult = { ok: true } | { ok: false; message: string };

/** Adds the series (or replaces the stored one with the same id). Nothing is written when the write fails. */
export async function saveMacroSeries(
  series: FredSeries,
  meta: { source: string; at: Date },
): Promise<MacroStoreResult> {
  const { stored } = await readStored();
  const entry: StoredSeries = {
    id: series.id,
    frequency: series.frequency,
    source: meta.source,
    importedAt: meta.at.toISOString(),
    dates: series.observations.map((o) => o.date),
    values: series.observations.map((o) => o.value),
  };
  const next: StoredMacro = {
    version: 1,
    series: [...stored.series.filter((s) => s.id !== series.id), entry].sort((a, b) => a.id.localeCompare(b.id)),
  };
  try {
    await storage.setItem(MACRO_SERIES_KEY, next);
    return { ok: true };
  } catch (err) {
    return { ok: false, message: `${series.id} was not saved: ${err instanceof Error ? err.message : String(err)}` };
  }
}

export async function removeMacroSeries(id: string): Promise<MacroStoreResult> {
  const { stored } = await readStored();
  try {
    await storage.setItem(MACRO_SERIES_KEY, { version: 1, series: stored.series.filter((s) => s.id !== id) });
    return { ok: true };
  } catch (err) {
    return { ok: false, message: `${id} was not removed: ${err instanceof Error ? err.message : String(err)}` };
  }
}
