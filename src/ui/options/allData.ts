/**
 * Everything HedgeLens keeps, as one JSON file (settings, rulebook, VIX history, teach-mode profiles, snapshots),
 * and its import: each part is validated by its own store and the report says, part by part, what was taken and
 * what was refused and why.
 */
import { jsonSyntaxReason } from '../../shared/jsonError';
import { applyEdit, RULE_KEYS, validateRulebook, type Rulebook, type RulebookPatch } from '../../engine/alvh/rulebook';
import type { VixBar } from '../../engine/alvh/vixSeries';
import {
  loadRulebook,
  loadVixHistory,
  saveRulebook,
  saveVixHistory,
  type LoadedRulebook,
} from '../../storage/alvhInputs';
import { exportAll, importSnapshots } from '../../storage/exportImport';
import { isRecord } from '../../storage/json';
import { exportProfiles, importProfiles, type ProfilesExport } from '../../storage/profiles';
import { getSettings, updateSettings, type Settings } from '../../storage/settings';
import type { SnapshotExport } from '../../storage/exportImport';

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
  profiles: ProfilesExport;
  snapshots: SnapshotExport;
}

export async function buildAllDataExport(now: Date = new Date()): Promise<AllDataExport> {
  const [{ settings }, rb, vix, profiles, snaps] = await Promise.all([
    getSettings(),
    loadRulebook(),
    loadVixHistory(),
    exportProfiles({ now }),
    exportAll({ now }),
  ]);
  return {
    format: ALL_DATA_FORMAT,
    formatVersion: ALL_DATA_VERSION,
    app: 'HedgeLens',
    exportedAt: now.toISOString(),
    settings,
    rulebook: rb.isDefault ? null : rb.rulebook,
    vixHistory:
      vix.bars.length === 0
        ? null
        : {
            source: vix.source,
            importedAt: vix.importedAt,
            dates: vix.bars.map((b) => b.date),
            closes: vix.bars.map((b) => b.close),
          },
    profiles,
    snapshots: snaps.data,
  };
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

export interface PartReport {
  part: 'settings' | 'rulebook' | 'VIX history' | 'teach-mode profiles' | 'snapshots';
  /** What was taken, in a sentence; null when nothing was. */
  taken: string | null;
  /** What was refused and why, one line each. */
  refused: string[];
}

export interface AllDataImportReport {
  ok: boolean;
  /** Set when the file itself is unusable (nothing taken). */
  message: string | null;
  parts: PartReport[];
}

const plural = (n: number, one: string, many = `${one}s`): string =>
  `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

function vixBarsOf(v: unknown): { bars: VixBar[]; refused: string[] } | string {
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

export async function importAllData(
  text: string,
  opts: { now?: Date; fileName?: string } = {},
): Promise<AllDataImportReport> {
  const now = opts.now ?? new Date();
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    return {
      ok: false,
      message: `The file is not valid JSON (${jsonSyntaxReason(err)}). Choose a file made by “Export everything”.`,
      parts: [],
    };
  }
  if (!isRecord(data) || data.format !== ALL_DATA_FORMAT) {
    return {
      ok: false,
      message:
        'This is not a HedgeLens “all data” file. Choose a file made by “Export everything” (rulebooks and profiles have their own import buttons above).',
      parts: [],
    };
  }
  if (typeof data.formatVersion !== 'number' || data.formatVersion > ALL_DATA_VERSION) {
    return {
      ok: false,
      message: `The file was written by a newer HedgeLens (format ${JSON.stringify(data.formatVersion)}). Update the extension first.`,
      parts: [],
    };
  }
  const parts: PartReport[] = [];

  // Settings: every field validated by the settings store.
  if (data.settings !== undefined) {
    const r = isRecord(data.settings)
      ? await updateSettings(data.settings as Partial<Settings>)
      : ({ ok: false, message: 'Not saved: expected an object.' } as const);
    parts.push(
      r.ok
        ? { part: 'settings', taken: 'account, multiplier and rate settings', refused: [] }
        : { part: 'settings', taken: null, refused: [r.message] },
    );
  }

  if (data.rulebook !== undefined && data.rulebook !== null) {
    const r = await adoptRulebook({
      current: await loadRulebook(),
      incoming: data.rulebook,
      at: now.toISOString(),
      note: `Imported from ${opts.fileName ?? 'an all-data file'} (exported ${String(data.exportedAt ?? 'at an unknown time')})`,
    });
    parts.push(
      r.ok
        ? {
            part: 'rulebook',
            taken:
              r.how === 'restored'
                ? `rulebook “${r.rulebook.name}” version ${r.rulebook.version} with its history`
                : r.how === 'edited'
                  ? `rulebook values (recorded as version ${r.rulebook.version} in your history)`
                  : 'nothing: the rulebook already has these values',
            refused: [],
          }
        : { part: 'rulebook', taken: null, refused: r.errors.slice(0, 10) },
    );
  }

  if (data.vixHistory !== undefined && data.vixHistory !== null) {
    const v = vixBarsOf(data.vixHistory);
    if (typeof v === 'string') parts.push({ part: 'VIX history', taken: null, refused: [v] });
    else {
      const meta = data.vixHistory as { source?: unknown; importedAt?: unknown };
      const at =
        typeof meta.importedAt === 'string' && !Number.isNaN(Date.parse(meta.importedAt))
          ? new Date(meta.importedAt)
          : now;
      const saved = await saveVixHistory(v.bars, {
        source: typeof meta.source === 'string' ? meta.source : 'all-data import',
        at,
      });
      parts.push(
        saved.ok
          ? { part: 'VIX history', taken: plural(v.bars.length, 'daily close'), refused: v.refused }
          : { part: 'VIX history', taken: null, refused: [saved.message, ...v.refused] },
      );
    }
  }

  if (data.profiles !== undefined && data.profiles !== null) {
    const r = await importProfiles(data.profiles);
    parts.push({
      part: 'teach-mode profiles',
      taken:
        r.taken.length > 0 ? `${plural(r.taken.length, 'profile')} (${r.taken.map((t) => t.host).join(', ')})` : null,
      refused: r.ok
        ? r.refused.map((x) => `${x.host ?? `entry ${x.index + 1}`}: ${x.reason}`)
        : [r.message ?? 'unusable'],
    });
  }

  if (data.snapshots !== undefined && data.snapshots !== null) {
    const r = await importSnapshots(data.snapshots);
    parts.push({
      part: 'snapshots',
      taken: r.taken.length > 0 ? plural(r.taken.length, 'snapshot') : null,
      refused: r.ok
        ? r.refused.map((x) => `${x.id ?? `entry ${x.index + 1}`}: ${x.reason}`)
        : [r.message ?? 'unusable'],
    });
  }

  if (parts.length === 0) return { ok: false, message: 'The file holds no data to import.', parts };
  return { ok: true, message: null, parts };
}
