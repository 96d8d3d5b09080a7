/**
 * The snapshot schema: the stored shape of every version, the validator of the current one and the
 * migrations that lift any earlier version to it. Pure: no browser API here.
 *
 * History
 *   v1 (0.0.x):  `savedAt` as epoch milliseconds, the page as `source: { url, title }` with the URL
 *                stored as seen (query and fragment included — they can carry account identifiers), the
 *                condor as `{ expiry, longPut, shortPut, shortCall, longCall, quantity, creditPerShare }`.
 *   v2 (current): `savedAt` ISO 8601 UTC; `site` (host), `pageTitle` and `url` split out; the URL
 *                stripped of credentials, query and fragment unless the trader asked to keep them; the condor
 *                shaped like the engine's CondorSpec (`strikes: [K1, K2, K3, K4]`, `credit`).
 * Adding v3: bump SCHEMA_VERSION, add `MIGRATIONS[3]` (v2 → v3), keep every older migration, and add a
 * v2 fixture to tests/storage/migrations.test.ts.
 */
import type { Chain } from '../chain/types';
import { isRecord, toJsonSafe, type JsonValue } from './json';

export const SCHEMA_VERSION = 2 as const;

/** A leg of a hedge (or any extra position) kept with the snapshot. Prices are per share / per point. */
export interface SnapshotLeg {
  /** Underlying of the option: SPX, VIX, … (a VIX call hedging an SPX condor has its own underlying). */
  underlying: string;
  /** Option root when known (SPXW, VIX, VIXW…). */
  root: string | null;
  kind: 'call' | 'put';
  strike: number;
  /** YYYY-MM-DD. */
  expiry: string;
  /** Contracts, signed: + long, − short. Never 0. */
  quantity: number;
  /** Price per share when saved (mid or fill); null if unknown. */
  price: number | null;
}

/**
 * The iron condor, shaped like the engine's `CondorSpec` (src/engine/types.ts) plus its expiry, so a stored
 * condor can be handed back to `analyzeChain` as is.
 */
export interface SnapshotCondor {
  /** YYYY-MM-DD. */
  expiry: string;
  /** K1 < K2 ≤ K3 < K4: long put, short put, short call, long call. */
  strikes: [number, number, number, number];
  /** Number of condors (contracts per leg), > 0. */
  quantity: number;
  /** Entry credit per condor in price units (index points); null when the trader gave none. */
  credit: number | null;
}

/** The VIX inputs the analysis used. */
export interface SnapshotVixInputs {
  level: number | null;
  priorClose: number | null;
  /** The VIX future (or the parity-implied forward) used for Black-76 pricing; null when not known. */
  future: number | null;
  /** When the VIX level was seen, ISO 8601; null if unknown. */
  asOf: string | null;
}

export interface Snapshot {
  schemaVersion: typeof SCHEMA_VERSION;
  id: string;
  /** ISO 8601 UTC. */
  savedAt: string;
  /** Host of the page ('' when the chain came from a file). */
  site: string;
  pageTitle: string;
  /** The page URL, query and fragment stripped by default; null when there was no page. */
  url: string | null;
  chain: Chain;
  condor: SnapshotCondor | null;
  hedges: SnapshotLeg[];
  /** The engine's ChainAnalysis/CondorRisk as plain JSON; opaque to the store. */
  analysis: JsonValue | null;
  /** The ALVH plan as plain JSON; opaque to the store. */
  plan: JsonValue | null;
  vix: SnapshotVixInputs;
  rulebookVersion: number | string | null;
  note: string;
}

/** v1 as it was written (kept to migrate old data, never written any more). */
export interface SnapshotV1 {
  schemaVersion: 1;
  id: string;
  savedAt: number;
  source: { url: string | null; title: string };
  chain: unknown;
  condor: {
    expiry: string;
    longPut: number;
    shortPut: number;
    shortCall: number;
    longCall: number;
    quantity: number;
    creditPerShare: number | null;
  } | null;
  hedges: unknown;
  analysis: unknown;
  plan: unknown;
  vix: unknown;
  rulebookVersion: unknown;
  note?: string;
}

export const ID_PATTERN = /^[A-Za-z0-9_-]{1,80}$/;
const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

// ---------------------------------------------------------------------------------------------
// URL handling

export interface PageLocation {
  site: string;
  url: string | null;
}

/**
 * Splits a page URL into its host and the URL to keep. Credentials are always removed; query and
 * fragment are removed unless `keepQuery`. An unparseable URL is not kept at all (it may be anything).
 */
export function pageLocation(raw: string | null | undefined, keepQuery = false): PageLocation {
  if (raw === null || raw === undefined || raw.trim() === '') return { site: '', url: null };
  let u: URL;
  try {
    u = new URL(raw.trim());
  } catch {
    return { site: '', url: null };
  }
  u.username = '';
  u.password = '';
  if (!keepQuery) {
    u.search = '';
    u.hash = '';
  }
  return { site: u.hostname, url: u.href };
}

// ---------------------------------------------------------------------------------------------
// Validation: every function returns the first problem as "path: reason", or null.

type Problem = string | null;

const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const numOrNull = (v: unknown): boolean => v === null || isFiniteNumber(v);
const isDate = (v: unknown): v is string => typeof v === 'string' && DATE_PATTERN.test(v);
const isIsoInstant = (v: unknown): v is string =>
  typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(v) && !Number.isNaN(Date.parse(v));

function checkQuote(q: unknown, p: string): Problem {
  if (q === null) return null;
  if (!isRecord(q)) return `${p}: not an object`;
  for (const f of ['bid', 'ask', 'last', 'volume', 'openInterest', 'iv', 'delta'] as const) {
    if (!numOrNull(q[f])) return `${p}.${f}: not a number or null`;
  }
  return null;
}

export function checkChain(c: unknown, p = 'chain'): Problem {
  if (!isRecord(c)) return `${p}: not an object`;
  if (c.version !== 1) return `${p}.version: expected 1`;
  const u = c.underlying;
  if (!isRecord(u) || typeof u.symbol !== 'string' || u.symbol === '') return `${p}.underlying.symbol: missing`;
  if (!numOrNull(u.price)) return `${p}.underlying.price: not a number or null`;
  if (c.asOf !== null && typeof c.asOf !== 'string') return `${p}.asOf: not a string or null`;
  const s = c.source;
  if (!isRecord(s) || typeof s.kind !== 'string' || typeof s.adapter !== 'string') return `${p}.source: malformed`;
  if (!['html', 'csv', 'dat', 'json', 'snapshot', 'manual'].includes(s.kind)) return `${p}.source.kind: unknown`;
  if (s.name !== undefined && typeof s.name !== 'string') return `${p}.source.name: not a string`;
  if (!Array.isArray(c.expiries)) return `${p}.expiries: not an array`;
  for (const [i, e] of c.expiries.entries()) {
    const ep = `${p}.expiries[${i}]`;
    if (!isRecord(e)) return `${ep}: not an object`;
    if (!isDate(e.date)) return `${ep}.date: not YYYY-MM-DD`;
    if (e.root !== null && typeof e.root !== 'string') return `${ep}.root: not a string or null`;
    if (e.settlement !== 'AM' && e.settlement !== 'PM') return `${ep}.settlement: not AM/PM`;
    if (!Array.isArray(e.rows)) return `${ep}.rows: not an array`;
    // Only the backtest's model chains state the surface they were priced from, and they are never stored.
    if ('quotedFrom' in e) return `${ep}.quotedFrom: a stored chain's quotes are fitted, not taken as stated`;
    for (const [j, r] of e.rows.entries()) {
      const rp = `${ep}.rows[${j}]`;
      if (!isRecord(r)) return `${rp}: not an object`;
      if (!isFiniteNumber(r.strike)) return `${rp}.strike: not a number`;
      const problem = checkQuote(r.call, `${rp}.call`) ?? checkQuote(r.put, `${rp}.put`);
      if (problem) return problem;
    }
  }
  if (!Array.isArray(c.warnings)) return `${p}.warnings: not an array`;
  for (const [i, w] of c.warnings.entries()) {
    if (!isRecord(w) || typeof w.reason !== 'string' || !(w.row === null || Number.isInteger(w.row))) {
      return `${p}.warnings[${i}]: malformed`;
    }
  }
  return null;
}

export function checkCondor(c: unknown, p = 'condor'): Problem {
  if (c === null) return null;
  if (!isRecord(c)) return `${p}: not an object`;
  if (!isDate(c.expiry)) return `${p}.expiry: not YYYY-MM-DD`;
  const k = c.strikes;
  if (!Array.isArray(k) || k.length !== 4 || !k.every(isFiniteNumber)) return `${p}.strikes: not four numbers`;
  const [k1, k2, k3, k4] = k as [number, number, number, number];
  if (!(k1 < k2 && k2 <= k3 && k3 < k4)) return `${p}.strikes: not ordered K1 < K2 ≤ K3 < K4`;
  if (!isFiniteNumber(c.quantity) || c.quantity <= 0) return `${p}.quantity: not a positive number`;
  if (!numOrNull(c.credit)) return `${p}.credit: not a number or null`;
  return null;
}

export function checkLeg(l: unknown, p: string): Problem {
  if (!isRecord(l)) return `${p}: not an object`;
  if (typeof l.underlying !== 'string' || l.underlying === '') return `${p}.underlying: missing`;
  if (l.root !== null && typeof l.root !== 'string') return `${p}.root: not a string or null`;
  if (l.kind !== 'call' && l.kind !== 'put') return `${p}.kind: not call/put`;
  if (!isFiniteNumber(l.strike)) return `${p}.strike: not a number`;
  if (!isDate(l.expiry)) return `${p}.expiry: not YYYY-MM-DD`;
  if (!isFiniteNumber(l.quantity) || l.quantity === 0) return `${p}.quantity: not a non-zero number`;
  if (!numOrNull(l.price)) return `${p}.price: not a number or null`;
  return null;
}

function checkVix(v: unknown, p = 'vix'): Problem {
  if (!isRecord(v)) return `${p}: not an object`;
  for (const f of ['level', 'priorClose', 'future'] as const) {
    if (!numOrNull(v[f])) return `${p}.${f}: not a number or null`;
  }
  if (v.asOf !== null && typeof v.asOf !== 'string') return `${p}.asOf: not a string or null`;
  return null;
}

/**
 * Checks a value against the current schema. Unknown extra properties are kept (and must be JSON):
 * a newer build of the same schema version may add optional fields.
 */
export function checkSnapshot(v: unknown): Problem {
  if (!isRecord(v)) return 'snapshot: not an object';
  const json = toJsonSafe(v, 'snapshot');
  if (!json.ok) return `${json.path}: ${json.reason}`;
  if (v.schemaVersion !== SCHEMA_VERSION) return `schemaVersion: expected ${SCHEMA_VERSION}`;
  if (typeof v.id !== 'string' || !ID_PATTERN.test(v.id)) return 'id: missing or not [A-Za-z0-9_-]';
  if (!isIsoInstant(v.savedAt)) return 'savedAt: not an ISO 8601 time';
  if (typeof v.site !== 'string') return 'site: not a string';
  if (typeof v.pageTitle !== 'string') return 'pageTitle: not a string';
  if (v.url !== null && typeof v.url !== 'string') return 'url: not a string or null';
  const problem = checkChain(v.chain) ?? checkCondor(v.condor) ?? checkVix(v.vix);
  if (problem) return problem;
  if (!Array.isArray(v.hedges)) return 'hedges: not an array';
  for (const [i, l] of v.hedges.entries()) {
    const lp = checkLeg(l, `hedges[${i}]`);
    if (lp) return lp;
  }
  if (!('analysis' in v)) return 'analysis: missing (null if none)';
  if (!('plan' in v)) return 'plan: missing (null if none)';
  const rv = v.rulebookVersion;
  if (!(rv === null || typeof rv === 'string' || isFiniteNumber(rv)))
    return 'rulebookVersion: not a number/string/null';
  if (typeof v.note !== 'string') return 'note: not a string';
  return null;
}

// ---------------------------------------------------------------------------------------------
// Migrations

type Migration = (old: Record<string, unknown>) => Record<string, unknown>;

/** MIGRATIONS[n] lifts a version n−1 record to version n. Throw with a reason when it cannot. */
export const MIGRATIONS: Readonly<Record<number, Migration>> = {
  2: (old) => {
    if (typeof old.savedAt !== 'number' || !Number.isFinite(old.savedAt)) throw new Error('savedAt: not epoch ms');
    const src = old.source;
    if (!isRecord(src)) throw new Error('source: not an object');
    if (src.url !== null && src.url !== undefined && typeof src.url !== 'string')
      throw new Error('source.url: not a string');
    const { site, url } = pageLocation(src.url ?? null);
    let condor: unknown = old.condor ?? null;
    if (isRecord(condor) && 'longPut' in condor) {
      const { longPut, shortPut, shortCall, longCall, creditPerShare, ...others } = condor;
      condor = { ...others, strikes: [longPut, shortPut, shortCall, longCall], credit: creditPerShare ?? null };
    }
    const rest = { ...old };
    delete rest.source;
    return {
      ...rest,
      schemaVersion: 2,
      savedAt: new Date(old.savedAt).toISOString(),
      site,
      pageTitle: typeof src.title === 'string' ? src.title : '',
      url,
      condor,
      note: typeof old.note === 'string' ? old.note : '',
    };
  },
};

export type MigrateResult =
  | { ok: true; snapshot: Snapshot; fromVersion: number }
  | { ok: false; reason: string; /** written by a newer HedgeLens: not corrupt, leave it alone */ newer: boolean };

/** Lifts a stored record of any known version to the current schema and validates it. */
export function migrateSnapshot(raw: unknown): MigrateResult {
  if (!isRecord(raw)) return { ok: false, reason: 'not an object', newer: false };
  const from = raw.schemaVersion;
  if (!Number.isInteger(from) || (from as number) < 1) {
    return { ok: false, reason: 'schemaVersion: missing or invalid', newer: false };
  }
  if ((from as number) > SCHEMA_VERSION) {
    return {
      ok: false,
      reason: `written by a newer HedgeLens (schema v${String(from)}, this build reads up to v${SCHEMA_VERSION})`,
      newer: true,
    };
  }
  let cur: Record<string, unknown> = raw;
  for (let v = (from as number) + 1; v <= SCHEMA_VERSION; v++) {
    const step = MIGRATIONS[v];
    if (!step) return { ok: false, reason: `no migration to v${v}`, newer: false };
    try {
      cur = step(cur);
    } catch (err) {
      return { ok: false, reason: `migration v${v - 1}→v${v} failed: ${(err as Error).message}`, newer: false };
    }
  }
  const problem = checkSnapshot(cur);
  if (problem) return { ok: false, reason: problem, newer: false };
  return { ok: true, snapshot: cur as unknown as Snapshot, fromVersion: from as number };
}

/** The part of a snapshot that identifies its content (everything but the id). */
export function contentOf(s: Snapshot): JsonValue {
  const rest: Record<string, unknown> = { ...s };
  delete rest.id;
  delete rest.schemaVersion;
  return rest as JsonValue;
}

/** "6400/6450/6800/6850 x2 @ 4.10" */
export function condorLabel(c: SnapshotCondor | null): string | null {
  if (!c) return null;
  const credit = c.credit === null ? '' : ` @ ${c.credit.toFixed(2)}`;
  return `${c.strikes.join('/')} x${c.quantity}${credit}`;
}
