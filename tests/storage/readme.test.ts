/**
 * src/storage/README.md lists every storage.local key: each key or key prefix the store modules define must have
 * its row in the key table.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const dir = new URL('../../src/storage/', import.meta.url);
const readme = readFileSync(new URL('README.md', dir), 'utf8');
const table = readme.slice(readme.indexOf('## Keys in storage.local'), readme.indexOf('## Why it is built this way'));

/** `export const SOMETHING_KEY = 'local:x'` / `… = \`local:${OTHER}\`` / `…_PREFIX = 'snap:'`, resolved. */
function definedKeys(): { name: string; key: string }[] {
  const consts = new Map<string, string>();
  const found: { name: string; key: string }[] = [];
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.ts'))) {
    const text = readFileSync(new URL(f, dir), 'utf8');
    for (const m of text.matchAll(/export const (\w+(?:KEY|PREFIX))\s*=\s*(['`])(.*?)\2/g)) {
      consts.set(m[1]!, m[3]!);
      found.push({ name: `${f}: ${m[1]!}`, key: m[3]! });
    }
  }
  return found.map(({ name, key }) => ({
    name,
    key: key.replace(/\$\{(\w+)\}/g, (_, c: string) => consts.get(c) ?? c).replace(/^local:/, ''),
  }));
}

describe('src/storage/README.md', () => {
  it('has a row for every key the store defines', () => {
    const keys = definedKeys();
    expect(keys.length).toBeGreaterThanOrEqual(10);
    const missing = keys.filter(({ key }) => !table.includes(`| \`${key}`)).map((k) => `${k.name} (${k.key})`);
    expect(missing).toEqual([]);
  });
});
