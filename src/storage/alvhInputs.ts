/**
 * The ALVH inputs kept in storage.local: the imported VIX and S&P 500 daily histories (compact: dates and closes) and the
 * trader's rulebook (versioned, validated, with its own audit trail). Read by the overlay frame and handed to
 * the worker; written by the options page.
 */
import { storage } from '@wxt-dev/storage';
import type { VixBar } from '../engine/alvh/vixSeries';
import {
  applyEdit,
  defaultRulebook,
  RULE_KEYS,
  validateRulebook,
  type Rulebook,
  type RulebookPatch,
} from '../engine/alvh/rulebook';

export const VIX_HISTORY_KEY = 'local:vixHistory' as const;
export const RULEBOOK_KEY = 'local:rulebook' as const;
export const SPX_HISTORY_KEY = 'local:spxHistory' as const;

/** Columns rather than objects: 9,000 days of closes store in ~150 KB instead of ~600 KB. */
interface StoredCloses {
  version: 1;
  importedAt: string;
  source: string;
  dates: string[];
  closes: number[];
}

export type StoreResult = { ok: true } | { ok: false; message: string };

export interface LoadedVixHistory {
  bars: VixBar[];
  importedAt: string | null;
  source: string | null;
  /** Why the stored history could not be used (it is left in place, never deleted), or null. */
  problem: string | null;
}

/** A daily-closes history kept under one key (Cboe's layout: VIX_History.csv, SPX_History.csv). */
function closesHistory(key: typeof VIX_HISTORY_KEY | typeof SPX_HISTORY_KEY, what: string) {
  return {
    async save(bars: readonly VixBar[], meta: { source: string; at: Date }): Promise<StoreResult> {
      if (bars.length === 0) return { ok: false, message: `The file has no ${what} closes to import.` };
      const value: StoredCloses = {
        version: 1,
        importedAt: meta.at.toISOString(),
        source: meta.source,
        dates: bars.map((b) => b.date),
        closes: bars.map((b) => b.close),
      };
      try {
        await storage.setItem(key, value);
        return { ok: true };
      } catch (err) {
        return {
          ok: false,
          message: `The ${what} history was not saved: ${err instanceof Error ? err.message : String(err)}`,
        };
      }
    },
    async load(): Promise<LoadedVixHistory> {
      const raw = await storage.getItem<StoredCloses>(key).catch(() => null);
      if (raw === null) return { bars: [], importedAt: null, source: null, problem: null };
      const ok =
        typeof raw === 'object' &&
        raw.version === 1 &&
        Array.isArray(raw.dates) &&
        Array.isArray(raw.closes) &&
        raw.dates.length === raw.closes.length;
      if (!ok)
        return {
          bars: [],
          importedAt: null,
          source: null,
          problem: `the stored ${what} history is unreadable: import it again`,
        };
      const bars: VixBar[] = [];
      for (let i = 0; i < raw.dates.length; i++) {
        const date = raw.dates[i];
        const close = raw.closes[i];
        if (typeof date !== 'string' || typeof close !== 'number' || !Number.isFinite(close) || close <= 0) continue;
        bars.push({ date, open: null, high: null, low: null, close });
      }
      return { bars, importedAt: raw.importedAt ?? null, source: raw.source ?? null, problem: null };
    },
  };
}

const vix = closesHistory(VIX_HISTORY_KEY, 'VIX');
const spx = closesHistory(SPX_HISTORY_KEY, 'S&P 500');

/** The imported VIX daily closes (the ALVH signals run on them). */
export const saveVixHistory = vix.save;
export const loadVixHistory = vix.load;
/** The imported S&P 500 daily closes (the P/L backtest prices the condor book on them). */
export const saveSpxHistory = spx.save;
export const loadSpxHistory = spx.load;

export interface LoadedRulebook {
  rulebook: Rulebook;
  /** True when no rulebook was stored (the defaults are in force). */
  isDefault: boolean;
  /** Why the stored rulebook was not used (it is left in place, never deleted), or null. */
  problem: string | null;
}

export async function loadRulebook(): Promise<LoadedRulebook> {
  const raw = await storage.getItem<unknown>(RULEBOOK_KEY).catch(() => null);
  if (raw === null || raw === undefined) return { rulebook: defaultRulebook(), isDefault: true, problem: null };
  const v = validateRulebook(raw);
  if (v.ok) return { rulebook: v.rulebook, isDefault: false, problem: null };
  return {
    rulebook: defaultRulebook(),
    isDefault: true,
    problem: `your stored rulebook is invalid (${v.errors[0] ?? 'unknown error'}); the defaults are in force until you fix it`,
  };
}

export async function saveRulebook(rulebook: Rulebook): Promise<StoreResult> {
  const v = validateRulebook(rulebook);
  if (!v.ok) return { ok: false, message: `Not saved: ${v.errors.join('; ')}` };
  try {
    await storage.setItem(RULEBOOK_KEY, v.rulebook);
    return { ok: true };
  } catch (err) {
    return { ok: false, message: `Not saved: ${err instanceof Error ? err.message : String(err)}` };
  }
}

export type AdoptResult =
  { ok: true; rulebook: Rulebook; how: 'restored' | 'edited' | 'unchanged' } | { ok: false; errors: string[] };

/**
 * Takes an imported rulebook. With nothing stored, the file is restored as it is (its own audit trail included).
 * Otherwise the current rulebook is edited to the file's values through applyEdit, so this browser's trail gains
 * one entry listing every value the import changed.
 */
export async function adoptRulebook(params: {
  current: LoadedRulebook;
  incoming: unknown;
  at: string;
  note: string;
}): Promise<AdoptResult> {
  const v = validateRulebook(params.incoming);
  if (!v.ok) return v;
  const { current } = params;
  let next: Rulebook;
  let how: 'restored' | 'edited' | 'unchanged';
  if (current.isDefault && current.problem === null) {
    next = v.rulebook;
    how = 'restored';
  } else {
    const patch: RulebookPatch = {
      name: v.rulebook.name,
      thresholds: Object.fromEntries(RULE_KEYS.map((k) => [k, v.rulebook.thresholds[k]])),
      vxthSchedule: v.rulebook.vxthSchedule,
    };
    const edit = applyEdit(current.rulebook, patch, { at: params.at, note: params.note });
    if (!edit.ok) return edit;
    const last = edit.rulebook.audit[edit.rulebook.audit.length - 1];
    if (last && last.changes.length === 0) return { ok: true, rulebook: current.rulebook, how: 'unchanged' };
    next = edit.rulebook;
    how = 'edited';
  }
  const saved = await saveRulebook(next);
  if (!saved.ok) return { ok: false, errors: [saved.message] };
  return { ok: true, rulebook: next, how };
}
