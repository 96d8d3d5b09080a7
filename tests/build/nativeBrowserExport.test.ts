/**
 * The build's rewrite of webextension-polyfill's export (scripts/nativeBrowserExport.ts), run on the polyfill as
 * installed: where the browser has its own `browser`, the module's export has no properties of its own (so the
 * bundler's interop copies none, and no API namespace is built before it is used) and reads every namespace from the
 * browser's object; where it has none, the polyfill's own wrapper is exported, as before.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { nativeBrowserExport } from '../../scripts/nativeBrowserExport';

const require = createRequire(import.meta.url);
const id = require.resolve('webextension-polyfill');
const source = readFileSync(id, 'utf8');

type Transform = (this: { error(m: string): never }, code: string, id: string) => { code: string } | null;
const transform = nativeBrowserExport().transform as unknown as Transform;
const ctx = {
  error(m: string): never {
    throw new Error(m);
  },
};

/** Runs the module's code as CommonJS in a context of its own whose globals are `globals`; returns its export. */
function load(code: string, globals: Record<string, unknown>): unknown {
  const module = { exports: {} as unknown };
  runInNewContext(code, Object.assign(globals, { module, exports: module.exports }));
  return module.exports;
}

describe('the native browser export', () => {
  it('rewrites the polyfill so its export has no own property and reads each namespace from the browser', () => {
    const out = transform.call(ctx, source, id);
    expect(out).not.toBeNull();
    const runtime = { id: 'hedgelens', sendMessage: () => Promise.resolve('pong') };
    const storage = { local: {} };
    const exported = load(out!.code, { chrome: { runtime }, browser: { runtime, storage } }) as Record<string, unknown>;
    expect(Object.getOwnPropertyNames(exported)).toEqual([]);
    expect(exported.runtime).toBe(runtime);
    expect(exported.storage).toBe(storage);
    expect('runtime' in exported).toBe(true);
    expect('alarms' in exported).toBe(false);
  });

  it('leaves the polyfill wrapping chrome where the browser has no browser of its own', () => {
    const out = transform.call(ctx, source, id)!;
    const chrome = { runtime: { id: 'hedgelens', getURL: (p: string) => `chrome-extension://x/${p}` } };
    const exported = load(out.code, { chrome }) as { runtime: { getURL(p: string): string } };
    expect(exported.runtime.getURL('a.html')).toBe('chrome-extension://x/a.html');
  });

  it('touches no other module, and says so when the polyfill no longer has the line it rewrites', () => {
    expect(transform.call(ctx, source, '/x/node_modules/preact/dist/preact.mjs')).toBeNull();
    expect(() => transform.call(ctx, source.replace('module.exports = globalThis.browser;', ''), id)).toThrow(
      /webextension-polyfill has changed/,
    );
  });
});
