/**
 * The advance–decline series the trader imported in the options page (the CLI's `--advance-decline` format,
 * parsed by src/engine/alvh/breadth.ts), kept in storage.local as columns. Read by the overlay frame and handed to
 * the worker (breadth divergence scales Layer One); written by the options page.
 */
import { storage } from '@wxt-dev/storage';
import type { AdvanceDeclineRow } from '../engine/alvh/breadth';

export const ADVANCE_DECLINE_KEY = 'local:advanceDecline' as const;

interface StoredAdvanceDecline extends AdvanceDeclineColumns {
  version: 1;
  importedAt: string;
  source: string;
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

/** The series as columns (the stored shape and the all-data file's part). */
export interface AdvanceDeclineColumns {
  dates: string[];
  advances: number[];
  declines: number[];
  closes: (number | null)[];
}

/** Rows from columns, each checked; null when the columns themselves are unusable. */
export function advanceDeclineRowsOf(raw: unknown): { rows: AdvanceDeclineRow[]; bad: number } | null {
  const c = (raw ?? {}) as Partial<AdvanceDeclineColumns>;
  const n = Array.isArray(c.dates) ? c.dates.length : -1;
  if (n <= 0 || ![c.advances, c.declines, c.closes].every((col) => Array.isArray(col) && col.length === n)) return null;
  const whole = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;
  const rows: AdvanceDeclineRow[] = [];
  let bad = 0;
  for (let i = 0; i < n; i++) {
    const date = c.dates![i];
    const a = c.advances![i];
    const d = c.declines![i];
    const close = c.closes![i];
    if (
      typeof date !== 'string' ||
      !/^\d{4}-\d{2}-\d{2}$/.test(date) ||
      !whole(a) ||
      !whole(d) ||
      !(close === null || (typeof close === 'number' && Number.isFinite(close) && close > 0))
    ) {
      bad++;
      continue;
    }
    rows.push({ date, advances: a, declines: d, close });
  }
  return { rows, bad };
}

export async function loadAdvanceDecline(): Promise<LoadedAdvanceDecline> {
  const raw = await storage.getItem<Partial<StoredAdvanceDecline>>(ADVANCE_DECLINE_KEY).catch(() => null);
  if (raw === null || raw === undefined) return { rows: [], importedAt: null, source: null, problem: null };
  const got = raw.version === 1 ? advanceDeclineRowsOf(raw) : null;
  if (!got)
    return {
      rows: [],
      importedAt: null,
      source: null,
      problem: 'the stored advance–decline series is unreadable: import it again',
    };
  return {
    rows: got.rows,
    importedAt: raw.importedAt ?? null,
    source: raw.source ?? null,
    problem:
      got.bad > 0 ? `${got.bad} stored advance–decline row(s) unreadable and left out: import the file again` : null,
  };
}
