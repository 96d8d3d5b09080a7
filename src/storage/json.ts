/**
 * Plain-JSON helpers for everything the store writes.
 *
 * storage.local in Chromium serialises values as JSON (NaN → null, undefined dropped, Date → {}),
 * Firefox uses structured clone (NaN kept, Date kept). To make a snapshot read back the same in both,
 * and to keep export → import lossless, the store only accepts values that survive JSON unchanged.
 */

export type JsonPrimitive = null | boolean | number | string;
export type JsonValue = JsonPrimitive | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

const MAX_DEPTH = 64;

export type JsonCheck = { ok: true; value: JsonValue } | { ok: false; path: string; reason: string };

function isPlainObject(v: object): boolean {
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * Returns a JSON-safe copy of `value`, dropping object properties whose value is `undefined`
 * (JSON would drop them too), or the first reason it cannot be stored losslessly:
 * NaN/±Infinity, functions, symbols, bigint, class instances (Date, Map…), cycles, sparse holes.
 */
export function toJsonSafe(value: unknown, path = '$'): JsonCheck {
  const seen = new Set<object>();
  let failure: { path: string; reason: string } | null = null;

  const walk = (v: unknown, p: string, depth: number): JsonValue | undefined => {
    if (failure) return undefined;
    if (v === null || typeof v === 'boolean' || typeof v === 'string') return v;
    if (typeof v === 'number') {
      if (Number.isFinite(v)) return Object.is(v, -0) ? 0 : v;
      failure = { path: p, reason: `${String(v)} is not a storable number` };
      return undefined;
    }
    if (typeof v !== 'object') {
      failure = { path: p, reason: `a ${typeof v} cannot be stored` };
      return undefined;
    }
    if (depth > MAX_DEPTH) {
      failure = { path: p, reason: `nested deeper than ${MAX_DEPTH} levels` };
      return undefined;
    }
    if (seen.has(v)) {
      failure = { path: p, reason: 'circular reference' };
      return undefined;
    }
    seen.add(v);
    try {
      if (Array.isArray(v)) {
        const out: JsonValue[] = [];
        for (let i = 0; i < v.length; i++) {
          if (!(i in v) || v[i] === undefined) {
            failure = { path: `${p}[${i}]`, reason: 'undefined or missing array element' };
            return undefined;
          }
          const item = walk(v[i], `${p}[${i}]`, depth + 1);
          if (failure) return undefined;
          out.push(item as JsonValue);
        }
        return out;
      }
      if (!isPlainObject(v)) {
        const name = (v as { constructor?: { name?: string } }).constructor?.name ?? 'object';
        failure = { path: p, reason: `a ${name} instance is not plain JSON` };
        return undefined;
      }
      const out: JsonObject = {};
      for (const [k, child] of Object.entries(v)) {
        if (child === undefined) continue;
        const item = walk(child, `${p}.${k}`, depth + 1);
        if (failure) return undefined;
        // A "__proto__" key read from JSON is an own data property; plain assignment would set the prototype.
        Object.defineProperty(out, k, { value: item, enumerable: true, writable: true, configurable: true });
      }
      return out;
    } finally {
      seen.delete(v);
    }
  };

  const result = walk(value, path, 0);
  if (failure) return { ok: false, ...(failure as { path: string; reason: string }) };
  return { ok: true, value: result as JsonValue };
}

/** JSON with object keys sorted at every level: equal content gives equal text. */
export function canonicalJson(value: JsonValue): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const keys = Object.keys(value).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k] as JsonValue)}`).join(',')}}`;
}

const encoder = new TextEncoder();

export function utf8Bytes(text: string): number {
  return encoder.encode(text).length;
}

/** What Chromium's getBytesInUse counts for one item: the key plus the JSON of its value. */
export function itemBytes(key: string, value: unknown): number {
  return utf8Bytes(key) + utf8Bytes(JSON.stringify(value) ?? '');
}

/** SHA-256 of the canonical JSON, hex, prefixed with the algorithm so the format can change later. */
export async function contentHash(value: JsonValue): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest('SHA-256', encoder.encode(canonicalJson(value)));
  const hex = Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
  return `sha256:${hex}`;
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Reads a nested value by a dotted path; undefined when any step is missing. */
export function readPath(root: unknown, path: string): unknown {
  let cur: unknown = root;
  for (const step of path.split('.')) {
    if (!isRecord(cur)) return undefined;
    cur = cur[step];
  }
  return cur;
}
