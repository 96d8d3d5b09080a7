/**
 * Teach-mode profiles (src/brokers/teach.ts), one per site host, under one storage.local key
 * (`local:teachProfiles`). Every profile is validated on the way in (save, import) and on the way out (a damaged
 * entry is reported and skipped, never deleted: the trader can export it and look).
 */
import { jsonSyntaxReason } from '../shared/jsonError';
import { storage } from '@wxt-dev/storage';
import type { TeachProfile } from '../shared/teachProfile';
import { isRecord } from './json';
import { PROFILES_STORAGE_KEY, validateProfile } from './profileCheck';
import { withLock } from './lock';
import { errorText } from './area';

export const PROFILES_KEY = `local:${PROFILES_STORAGE_KEY}` as const;
export { validateProfile, type ProfileCheck } from './profileCheck';
export const PROFILES_EXPORT_FORMAT = 'hedgelens-teach-profiles';
export const PROFILES_EXPORT_VERSION = 1;

interface StoredProfiles {
  version: 1;
  /** Keyed by host (lower case). Values are unknown until validated. */
  byHost: Record<string, unknown>;
}

async function readStored(): Promise<StoredProfiles> {
  const raw = await storage.getItem<unknown>(PROFILES_KEY);
  if (isRecord(raw) && raw.version === 1 && isRecord(raw.byHost)) return { version: 1, byHost: { ...raw.byHost } };
  if (raw === null || raw === undefined) return { version: 1, byHost: {} };
  throw new Error('the stored teach-mode profiles are unreadable; export all data and import your profiles again');
}

export interface ProfileList {
  /** Valid profiles, sorted by host. */
  profiles: TeachProfile[];
  /** One sentence per stored entry that could not be used (left in storage). */
  problems: string[];
}

export async function listProfiles(): Promise<ProfileList> {
  let stored: StoredProfiles;
  try {
    stored = await readStored();
  } catch (err) {
    return { profiles: [], problems: [errorText(err)] };
  }
  const profiles: TeachProfile[] = [];
  const problems: string[] = [];
  for (const [host, v] of Object.entries(stored.byHost)) {
    const c = validateProfile(v);
    if (c.ok && c.profile.host === host) profiles.push(c.profile);
    else problems.push(`The profile for ${host} is damaged (${c.ok ? 'stored under another host' : c.errors[0]!}).`);
  }
  profiles.sort((a, b) => a.host.localeCompare(b.host));
  return { profiles, problems };
}

export async function getProfile(host: string): Promise<TeachProfile | null> {
  const { profiles } = await listProfiles();
  return profiles.find((p) => p.host === host.trim().toLowerCase()) ?? null;
}

export type ProfileWrite = { ok: true; profile: TeachProfile } | { ok: false; message: string };

/** Saves (or replaces) the profile of its host. */
export function saveProfile(profile: unknown): Promise<ProfileWrite> {
  const c = validateProfile(profile);
  if (!c.ok) return Promise.resolve({ ok: false, message: `Not saved: ${c.errors.join('; ')}.` });
  return withLock('teachProfiles', async () => {
    try {
      const stored = await readStored();
      stored.byHost[c.profile.host] = c.profile;
      await storage.setItem(PROFILES_KEY, stored);
      return { ok: true, profile: c.profile };
    } catch (err) {
      return { ok: false, message: `Not saved: ${errorText(err)}.` };
    }
  });
}

export type ProfileDelete = { ok: true } | { ok: false; message: string };

export function deleteProfile(host: string): Promise<ProfileDelete> {
  const h = host.trim().toLowerCase();
  return withLock('teachProfiles', async () => {
    try {
      const stored = await readStored();
      if (!(h in stored.byHost)) return { ok: false, message: `No profile is stored for ${h}.` };
      delete stored.byHost[h];
      await storage.setItem(PROFILES_KEY, stored);
      return { ok: true };
    } catch (err) {
      return { ok: false, message: `Not deleted: ${errorText(err)}.` };
    }
  });
}

export interface ProfilesExport {
  format: typeof PROFILES_EXPORT_FORMAT;
  formatVersion: typeof PROFILES_EXPORT_VERSION;
  exportedAt: string;
  profiles: TeachProfile[];
}

export async function exportProfiles(opts: { now?: Date } = {}): Promise<ProfilesExport> {
  const { profiles } = await listProfiles();
  return {
    format: PROFILES_EXPORT_FORMAT,
    formatVersion: PROFILES_EXPORT_VERSION,
    exportedAt: (opts.now ?? new Date()).toISOString(),
    profiles,
  };
}

export interface ProfilesImportReport {
  /** false when the file itself is unusable; nothing was taken. */
  ok: boolean;
  message: string | null;
  taken: { host: string; replaced: boolean }[];
  refused: { index: number; host: string | null; reason: string }[];
}

/** Imports profiles from an export (text or parsed), a bare list or one profile. A host's profile is replaced. */
export async function importProfiles(input: unknown): Promise<ProfilesImportReport> {
  const fail = (message: string): ProfilesImportReport => ({ ok: false, message, taken: [], refused: [] });
  let data = input;
  if (typeof input === 'string') {
    try {
      data = JSON.parse(input.replace(/^\uFEFF/, ''));
    } catch (err) {
      return fail(`The file is not valid JSON (${jsonSyntaxReason(err)}). Choose a file exported by HedgeLens.`);
    }
  }
  let entries: unknown[];
  if (Array.isArray(data)) entries = data;
  else if (isRecord(data) && data.format === PROFILES_EXPORT_FORMAT) {
    const v = data.formatVersion;
    if (typeof v !== 'number' || v > PROFILES_EXPORT_VERSION) {
      return fail(
        `The profiles were exported by a newer HedgeLens (format ${JSON.stringify(v)}). Update the extension.`,
      );
    }
    if (!Array.isArray(data.profiles)) return fail('The file has no "profiles" list.');
    entries = data.profiles;
  } else if (isRecord(data) && 'rowSelector' in data) entries = [data];
  else return fail('The file is not a HedgeLens profiles export (no "format" header, no profile).');

  return withLock('teachProfiles', async () => {
    const report: ProfilesImportReport = { ok: true, message: null, taken: [], refused: [] };
    let stored: StoredProfiles;
    try {
      stored = await readStored();
    } catch (err) {
      return fail(errorText(err));
    }
    const before = new Set(Object.keys(stored.byHost));
    entries.forEach((e, index) => {
      const c = validateProfile(e);
      const rawHost = isRecord(e) && typeof e.host === 'string' ? e.host : null;
      if (!c.ok) return void report.refused.push({ index, host: rawHost, reason: c.errors.join('; ') });
      if (report.taken.some((t) => t.host === c.profile.host)) {
        report.refused.push({
          index,
          host: c.profile.host,
          reason: 'a later duplicate of a host already in this file',
        });
        return;
      }
      stored.byHost[c.profile.host] = c.profile;
      report.taken.push({ host: c.profile.host, replaced: before.has(c.profile.host) });
    });
    if (report.taken.length > 0) {
      try {
        await storage.setItem(PROFILES_KEY, stored);
      } catch (err) {
        return fail(`Nothing imported: ${errorText(err)}.`);
      }
    }
    return report;
  });
}
