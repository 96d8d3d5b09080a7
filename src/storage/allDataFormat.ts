/**
 * The "all data" file, as a format: one JSON file with everything HedgeLens keeps (settings, rulebook, VIX history,
 * macro calendar, advance–decline series, teach-mode profiles, snapshots). Its header, its shape, reading it back and the checks that need no store. Pure
 * (no browser API): the store side, which gathers and takes each part, is allData.ts.
 */
import { jsonSyntaxReason } from '../shared/jsonError';
import type { Rulebook } from '../engine/alvh/rulebook';
import type { VixBar } from '../engine/alvh/vixSeries';
import type { MacroEvent } from '../engine/alvh/stages';
import { isRecord } from './json';
import type { ProfilesExport } from './profiles';
import type { Settings } from './settings';
import type { SnapshotExport } from './snapshotExport';
import type { StoredPosition } from './positionRecord';

export const ALL_DATA_FORMAT = 'hedgelens-all-data';
export const ALL_DATA_VERSION = 1;

export interface AllDataExport {
  format: typeof ALL_DATA_FORMAT;
  formatVersion: typeof ALL_DATA_VERSION;
  app: 'HedgeLens';
  exportedAt: string;
  settings: Settings;
  /** null when the defaults are in force (nothing stored). */
  rulebook: Rulebook | null;
  vixHistory: { source: string | null; importedAt: string | null; dates: string[]; closes: number[] } | null;
  /** The macro dates (absent in files of older versions; null: none stored). */
  macroCalendar?: MacroEvent[] | null;
  /** The advance–decline series as columns (absent in files of older versions; null: none stored). */
  advanceDecline?: {
    source: string | null;
    importedAt: string | null;
    dates: string[];
    advances: number[];
    declines: number[];
    closes: (number | null)[];
  } | null;
  profiles: ProfilesExport;
  snapshots: SnapshotExport;
  /** The stored positions with their hedges and adjustment journals (absent in files of older versions). */
  positions?: StoredPosition[] | null;
}

/**
 * The parts of an all-data file, or why the file is unusable (one sentence for the trader, nothing taken). Each
 * part is still to be validated by its own store.
 */
export function readAllDataFile(
  text: string,
): { ok: true; data: Record<string, unknown> } | { ok: false; message: string } {
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    return {
      ok: false,
      message: `The file is not valid JSON (${jsonSyntaxReason(err)}). Choose a file made by “Export everything”.`,
    };
  }
  if (!isRecord(data) || data.format !== ALL_DATA_FORMAT) {
    return {
      ok: false,
      message:
        'This is not a HedgeLens “all data” file. Choose a file made by “Export everything” (rulebooks and profiles have their own import buttons above).',
    };
  }
  if (typeof data.formatVersion !== 'number' || data.formatVersion > ALL_DATA_VERSION) {
    return {
      ok: false,
      message: `The file was written by a newer HedgeLens (format ${JSON.stringify(data.formatVersion)}). Update the extension first.`,
    };
  }
  return { ok: true, data };
}

/** The VIX history part ({ dates[], closes[] }) as daily bars, oldest first; bad days are refused (the first 5 named). */
export function vixBarsOf(v: unknown): { bars: VixBar[]; refused: string[] } | string {
  if (!isRecord(v) || !Array.isArray(v.dates) || !Array.isArray(v.closes) || v.dates.length !== v.closes.length) {
    return 'expected { dates[], closes[] } of equal length';
  }
  const bars: VixBar[] = [];
  const refused: string[] = [];
  const closes = v.closes as unknown[];
  (v.dates as unknown[]).forEach((d, i) => {
    const c = closes[i];
    if (
      typeof d !== 'string' ||
      !/^\d{4}-\d{2}-\d{2}$/.test(d) ||
      typeof c !== 'number' ||
      !(c > 0) ||
      !Number.isFinite(c)
    ) {
      if (refused.length < 5)
        refused.push(`day ${i + 1}: ${JSON.stringify(d)} ${JSON.stringify(c)} is not a date and a positive close`);
      return;
    }
    bars.push({ date: d, open: null, high: null, low: null, close: c });
  });
  bars.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  return { bars, refused };
}
