/**
 * Everything HedgeLens keeps, as one JSON file (settings, rulebook, VIX history, macro calendar, advance–decline
 * series, teach-mode profiles, snapshots, positions with their journals),
 * and its import: each part is validated by its own store and the report says, part by part, what was taken and
 * what was refused and why. The file format is allDataFormat.ts.
 */
import { adoptRulebook, loadRulebook, loadVixHistory, saveVixHistory } from './alvhInputs';
import { ALL_DATA_FORMAT, ALL_DATA_VERSION, readAllDataFile, vixBarsOf, type AllDataExport } from './allDataFormat';
import { exportAll, importSnapshots } from './exportImport';
import { exportProfiles, importProfiles } from './profiles';
import { isRecord } from './json';
import { addMacroEvents, loadMacroCalendar, macroEventsOf } from './macroCalendar';
import { advanceDeclineRowsOf, loadAdvanceDecline, saveAdvanceDecline } from './advanceDecline';
import { getSettings, updateSettings, type Settings } from './settings';
import { createPositionStore } from './positions';

export async function buildAllDataExport(now: Date = new Date()): Promise<AllDataExport> {
  const [{ settings }, rb, vix, calendar, ad, profiles, snaps, positions] = await Promise.all([
    getSettings(),
    loadRulebook(),
    loadVixHistory(),
    loadMacroCalendar(),
    loadAdvanceDecline(),
    exportProfiles({ now }),
    exportAll({ now }),
    createPositionStore().listPositions({ now }),
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
    macroCalendar: calendar.events.length === 0 ? null : calendar.events,
    advanceDecline:
      ad.rows.length === 0
        ? null
        : {
            source: ad.source,
            importedAt: ad.importedAt,
            dates: ad.rows.map((r) => r.date),
            advances: ad.rows.map((r) => r.advances),
            declines: ad.rows.map((r) => r.declines),
            closes: ad.rows.map((r) => r.close),
          },
    profiles,
    snapshots: snaps.data,
    positions: positions.items.length === 0 ? null : positions.items,
  };
}

export interface PartReport {
  part:
    | 'settings'
    | 'rulebook'
    | 'VIX history'
    | 'macro calendar'
    | 'advance–decline'
    | 'teach-mode profiles'
    | 'snapshots'
    | 'positions';
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

export async function importAllData(
  text: string,
  opts: { now?: Date; fileName?: string } = {},
): Promise<AllDataImportReport> {
  const now = opts.now ?? new Date();
  const file = readAllDataFile(text);
  if (!file.ok) return { ok: false, message: file.message, parts: [] };
  const { data } = file;
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

  if (data.macroCalendar !== undefined && data.macroCalendar !== null) {
    const list = Array.isArray(data.macroCalendar) ? (data.macroCalendar as unknown[]) : null;
    const events = list ? macroEventsOf(list) : [];
    const refused =
      list === null
        ? ['expected a list of { kind, date }']
        : list.length > events.length
          ? [`${plural(list.length - events.length, 'entry', 'entries')} without a kind and a YYYY-MM-DD date`]
          : [];
    const saved = events.length > 0 ? await addMacroEvents(events) : null;
    parts.push(
      saved?.ok
        ? { part: 'macro calendar', taken: `${plural(events.length, 'date')}, added to those stored`, refused }
        : { part: 'macro calendar', taken: null, refused: saved ? [saved.message, ...refused] : refused },
    );
  }

  if (data.advanceDecline !== undefined && data.advanceDecline !== null) {
    const got = advanceDeclineRowsOf(data.advanceDecline);
    const meta = data.advanceDecline as { source?: unknown; importedAt?: unknown };
    const refused = got === null ? ['expected columns dates, advances, declines and closes of one length'] : [];
    if (got && got.bad > 0) refused.push(`${plural(got.bad, 'day')} with a bad date, count or close`);
    const saved =
      got && got.rows.length > 0
        ? await saveAdvanceDecline(got.rows, {
            source: typeof meta.source === 'string' ? meta.source : 'all-data import',
            at:
              typeof meta.importedAt === 'string' && !Number.isNaN(Date.parse(meta.importedAt))
                ? new Date(meta.importedAt)
                : now,
          })
        : null;
    parts.push(
      saved?.ok
        ? { part: 'advance–decline', taken: plural(got!.rows.length, 'day'), refused }
        : { part: 'advance–decline', taken: null, refused: saved ? [saved.message, ...refused] : refused },
    );
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

  if (data.positions !== undefined && data.positions !== null) {
    const r = await createPositionStore().importPositions(data.positions);
    parts.push({
      part: 'positions',
      taken: r.taken.length > 0 ? `${plural(r.taken.length, 'position')} with their journals` : null,
      refused: r.ok
        ? r.refused.map((x) => `${x.id ?? `entry ${x.index + 1}`}: ${x.reason}`)
        : [r.message ?? 'unusable'],
    });
  }

  if (parts.length === 0) return { ok: false, message: 'The file holds no data to import.', parts };
  return { ok: true, message: null, parts };
}
