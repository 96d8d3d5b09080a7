/**
 * The advance–decline series the trader imported in the options page (the CLI's `--advance-decline` format,
 * parsed by src/engine/alvh/breadth.ts), kept in storage.local as columns. Read by the overlay frame and handed to
 * the worker (breadth divergence scales Layer One); written by the options page.
 */
import { storage } from '@wxt-dev/storage';
import type { AdvanceDeclineRow } from '../engine/alvh/breadth';

export const ADVANCE_DECLINE_KEY = 'local:advanceDecline' as const;

interface StoredAdvanceDecline {
  version: 1;
  importedAt: string;
  source: string;
  dates: string[];
  advances: number[];
  declines: number[];
  /** null: no index close that day. */
  closes: (number | null)[];
}

export type AdStoreResult = { ok: true } | { ok: false; message: string };

export interface LoadedAdvanceDecline {
  rows: AdvanceDeclineRow[];
  importedAt: string | null;
  source: string | null;
  /** Why the stored series could not be used (left in place, never deleted), or null. */
  problem: string | null;
}

/** Replaces the stored series. Nothing is written when the write fails. */
export async function saveAdvanceDecline(
  rows: readonly AdvanceDeclineRow[],
  meta: { source: string; at: Date },
): Promise<AdStoreResult> {
  if (rows.length === 0) return { ok: false, message: 'The file has no advance–decline rows to import.' };
  const value: StoredAdvanceDecline = {
    version: 1,
    importedAt: meta.at.toISOString(),
    source: meta.source,
    dates: rows.map((r) => r.date),
    advances: rows.map((r) => r.advances),
    declines: rows.map((r) => r.declines),
    closes: rows.map((r) => r.close),
  };
  try {
    await storage.setItem(ADVANCE_DECLINE_KEY, value);
    return { ok: true };
  } catch (err) {
    return {
      ok: false,
      message: `The advance–decline series was not saved: ${err instanceof Error ? err.message : String(err)}`,
    };
  }
}

export async function loadAdvanceDecline(): Promise<LoadedAdvanceDecline> {
  const raw = await storage.getItem<Partial<StoredAdvanceDecline>>(ADVANCE_DECLINE_KEY).catch(() => null);
  if (raw === null || raw === undefined) return { rows: [], importedAt: null, source: null, problem: null };
  const n = Array.isArray(raw.dates) ? raw.dates.length : -1;
  const ok =
    raw.version === 1 &&
    n > 0 &&
    [raw.advances, raw.declines, raw.closes].every((col) => Array.isArray(col) && col.length === n);
  if (!ok)
    return {
      rows: [],
      importedAt: null,
      source: null,
      problem: 'the stored advance–decline series is unreadable: import it again',
    };
  const rows: AdvanceDeclineRow[] = [];
  let bad = 0;
  for (let i = 0; i < n; i++) {
    const date = raw.dates![i];
    const a = raw.advances![i];
    const d = raw.declines![i];
    const c = raw.closes![i];
    const whole = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;
    if (
      typeof date !== 'string' ||
      !whole(a) ||
      !whole(d) ||
      !(c === null || (typeof c === 'number' && Number.isFinite(c) && c > 0))
    ) {
      bad++;
      continue;
    }
    rows.push({ date, advances: a, declines: d, close: c });
  }
  return {
    rows,
    importedAt: raw.importedAt ?? null,
    source: raw.source ?? null,
    problem: bad > 0 ? `${bad} stored advance–decline row(s) unreadable and left out: import the file again` : null,
  };
}
