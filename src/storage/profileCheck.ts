/**
 * Teach-mode profiles, the small part: the check every profile passes on its way into and out of storage, and the
 * one read the content script needs (its own site's profile) with the plain storage API, which keeps the storage
 * library out of the page's bundle and never throws in an orphaned content script. The store is profiles.ts.
 */
import { browser } from 'wxt/browser';
import { FIELDS as ALL_FIELDS, type Field, type TeachProfile } from '../shared/teachProfile';
import { isRecord } from './json';

/** The storage.local key of all profiles (`local:teachProfiles` in profiles.ts). */
export const PROFILES_STORAGE_KEY = 'teachProfiles';

const FIELDS: ReadonlySet<Field> = new Set<Field>(ALL_FIELDS);

/** A host as `location.host` gives it: name (letters, digits, dots, dashes) and an optional port. */
const HOST = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:\d{1,5})?$/;

export type ProfileCheck = { ok: true; profile: TeachProfile } | { ok: false; errors: string[] };

const side = (v: unknown): v is 'call' | 'put' | null => v === null || v === 'call' || v === 'put';

/** Validates an untrusted profile; the host is normalised to lower case. */
export function validateProfile(v: unknown): ProfileCheck {
  if (!isRecord(v)) return { ok: false, errors: ['a profile must be a JSON object'] };
  const errors: string[] = [];
  if (v.version !== 1) errors.push(`version: expected 1, got ${JSON.stringify(v.version)}`);
  const host = typeof v.host === 'string' ? v.host.trim().toLowerCase() : '';
  if (!HOST.test(host))
    errors.push(`host: expected a site host such as "trade.example.com", got ${JSON.stringify(v.host)}`);
  if (typeof v.rowSelector !== 'string' || v.rowSelector.trim() === '' || v.rowSelector.length > 2000) {
    errors.push('rowSelector: expected a non-empty CSS selector');
  }
  if (v.cellSelector !== undefined && (typeof v.cellSelector !== 'string' || v.cellSelector.trim() === '')) {
    errors.push('cellSelector: expected a CSS selector when present');
  }
  if (!side(v.side)) errors.push('side: expected "call", "put" or null');
  if (v.createdAt !== undefined && (typeof v.createdAt !== 'string' || Number.isNaN(Date.parse(v.createdAt)))) {
    errors.push('createdAt: expected an ISO date-time when present');
  }
  const headers: Record<string, Field> = {};
  if (v.headers !== undefined) {
    if (!isRecord(v.headers) || Object.keys(v.headers).length > 40) {
      errors.push('headers: expected an object of at most 40 header labels');
    } else {
      for (const [label, field] of Object.entries(v.headers)) {
        if (label.trim() === '' || label.length > 200)
          errors.push(`headers: the label ${JSON.stringify(label)} is empty or too long`);
        else if (typeof field !== 'string' || !FIELDS.has(field as Field))
          errors.push(`headers[${JSON.stringify(label)}]: unknown field ${JSON.stringify(field)}`);
        else headers[label] = field as Field;
      }
    }
  }
  const columns: TeachProfile['columns'] = [];
  if (!Array.isArray(v.columns) || v.columns.length === 0) errors.push('columns: expected a non-empty list');
  else {
    const seen = new Set<string>();
    v.columns.forEach((c: unknown, i) => {
      if (!isRecord(c)) return void errors.push(`columns[${i}]: expected an object`);
      const idx = c.index;
      if (typeof idx !== 'number' || !Number.isInteger(idx) || idx < 0 || idx > 500) {
        errors.push(`columns[${i}].index: expected a whole number 0–500`);
      }
      if (typeof c.field !== 'string' || !FIELDS.has(c.field as Field)) {
        errors.push(`columns[${i}].field: unknown field ${JSON.stringify(c.field)}`);
      }
      if (!side(c.side)) errors.push(`columns[${i}].side: expected "call", "put" or null`);
      const key = `${String(idx)}`;
      if (seen.has(key)) errors.push(`columns[${i}].index: cell ${String(idx)} is mapped twice`);
      seen.add(key);
      columns.push({ index: idx as number, field: c.field as Field, side: (c.side ?? null) as 'call' | 'put' | null });
    });
    if (!columns.some((c) => c.field === 'strike')) errors.push('columns: no strike column (teach the strike cell)');
  }
  if (errors.length > 0) return { ok: false, errors };
  const profile: TeachProfile = {
    version: 1,
    host,
    rowSelector: v.rowSelector as string,
    columns,
    side: (v.side ?? null) as 'call' | 'put' | null,
  };
  if (typeof v.cellSelector === 'string') profile.cellSelector = v.cellSelector;
  if (v.headers !== undefined) profile.headers = headers;
  if (typeof v.createdAt === 'string') profile.createdAt = v.createdAt;
  return { ok: true, profile };
}

/** The valid profile stored for a host, or null (none, damaged, or no storage: the extension was reloaded). */
export async function readSiteProfile(host: string): Promise<TeachProfile | null> {
  try {
    const got = (await browser.storage.local.get(PROFILES_STORAGE_KEY)) as Record<string, unknown>;
    const raw = got[PROFILES_STORAGE_KEY];
    if (!isRecord(raw) || raw.version !== 1 || !isRecord(raw.byHost)) return null;
    const h = host.trim().toLowerCase();
    const c = validateProfile(raw.byHost[h]);
    return c.ok && c.profile.host === h ? c.profile : null;
  } catch {
    return null;
  }
}
