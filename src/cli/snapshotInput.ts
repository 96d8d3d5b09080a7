/**
 * The command line reads HedgeLens snapshot exports (src/storage/snapshotExport.ts): the `hedgelens-snapshots`
 * envelope, or a bare array of snapshots. importChainText already takes a single snapshot (an object with a
 * `chain`); an export holds many, so one is picked — the newest unless `id` names another — and the choice is
 * stated in the chain's warnings, never made silently.
 *
 * The envelope is read by src/storage/snapshotExport.ts, the pure half of the export (no store, no browser API):
 * the same code the snapshots page imports through.
 */
import type { Chain } from '../chain/types.ts';
import type { ImportResult } from '../chain/importers/result.ts';
import { validateChain } from '../chain/importers/validate.ts';
import { isRecord } from '../storage/json.ts';
import { checkCondor, migrateSnapshot, type SnapshotCondor } from '../storage/schema.ts';
import { looksLikeSnapshot, readExportContents } from '../storage/snapshotExport.ts';

export type SnapshotExportResult =
  | {
      ok: true;
      chain: Chain;
      /** The snapshot the chain came from. */
      snapshot: { id: string | null; savedAt: string | null; condor: SnapshotCondor | null; index: number; of: number };
    }
  | { ok: false; reason: string };

function time(v: unknown): number {
  if (typeof v === 'string') return Date.parse(v);
  if (typeof v === 'number') return v; // v1 wrote epoch milliseconds
  return Number.NaN;
}

/**
 * The entries of an export, or null when the value is not an export at all (let the other readers try): a single
 * snapshot is importChainText's, and a bare array counts only when every entry looks like a snapshot.
 */
function entriesOf(json: unknown): { entries: unknown[] } | { reason: string } | null {
  const c = readExportContents(json);
  if (c.kind === 'refused') return { reason: c.reason };
  if (c.kind === 'other' || c.shape === 'single') return null;
  if (c.shape === 'array' && !(c.entries.length > 0 && c.entries.every(looksLikeSnapshot))) return null;
  return { entries: c.entries };
}

/**
 * The chain of one snapshot in a HedgeLens export. Returns null when the text is not an export (not JSON, or
 * JSON of another kind), so a caller can chain it before the other importers. Never throws.
 */
export function chainFromSnapshotExport(
  text: string,
  opts: { id?: string; fileName?: string } = {},
): SnapshotExportResult | null {
  if (typeof text !== 'string') return null;
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const head = body.trimStart();
  if (!head.startsWith('{') && !head.startsWith('[')) return null;
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return null;
  }
  const parsed = entriesOf(json);
  if (parsed === null) return null;
  const named = opts.fileName ? ` (${opts.fileName.replace(/^.*[\\/]/, '')})` : '';
  if ('reason' in parsed) return { ok: false, reason: `${parsed.reason}${named}` };
  const { entries } = parsed;
  if (entries.length === 0) return { ok: false, reason: `the snapshot export holds no snapshots${named}` };

  let index: number;
  if (opts.id !== undefined) {
    index = entries.findIndex((e) => isRecord(e) && e.id === opts.id);
    if (index < 0) return { ok: false, reason: `no snapshot "${opts.id}" in the export${named}` };
  } else {
    // Newest by save time; entries without a readable time lose; ties keep the later entry (exports are oldest first).
    index = 0;
    const savedTime = (e: unknown) => time(isRecord(e) ? e.savedAt : null);
    for (let i = 1; i < entries.length; i++) {
      const ti = savedTime(entries[i]);
      const tb = savedTime(entries[index]);
      if (Number.isFinite(ti) && (!Number.isFinite(tb) || ti >= tb)) index = i;
    }
  }
  const raw = entries[index];
  if (!isRecord(raw)) return { ok: false, reason: `snapshot #${index + 1} of the export is not an object${named}` };
  const id = typeof raw.id === 'string' ? raw.id : null;
  const label = id ? `snapshot ${id}` : `snapshot #${index + 1}`;

  // Lift older schema versions (v1 kept the condor in another shape); a record that fails the schema still
  // gives its chain when the chain itself is valid — the chain is what `analyze` needs.
  const migrated = migrateSnapshot(raw);
  const chainRaw = migrated.ok ? migrated.snapshot.chain : raw.chain;
  const v = validateChain(chainRaw);
  if (!v.ok) return { ok: false, reason: `${label} of the export${named}: its chain is not valid: ${v.reason}` };
  const condor = migrated.ok
    ? migrated.snapshot.condor
    : checkCondor(raw.condor) === null
      ? (raw.condor as SnapshotCondor | null)
      : null;
  const savedAt = migrated.ok ? migrated.snapshot.savedAt : typeof raw.savedAt === 'string' ? raw.savedAt : null;

  const chain: Chain = { ...v.chain, warnings: [...v.chain.warnings] };
  if (entries.length > 1) {
    chain.warnings.push({
      row: null,
      reason:
        `the export holds ${entries.length} snapshots: analysed ${label}` +
        `${savedAt ? ` saved ${savedAt}` : ''}${opts.id === undefined ? ' (the newest)' : ''}`,
    });
  }
  return { ok: true, chain, snapshot: { id, savedAt, condor, index, of: entries.length } };
}

/** The same as an ImportResult, for the chain importers' front door. */
export function importSnapshotExport(args: { text: string; fileName?: string }): ImportResult | null {
  const r = chainFromSnapshotExport(args.text, { fileName: args.fileName });
  if (r === null) return null;
  return r.ok ? { ok: true, chain: r.chain } : r;
}
