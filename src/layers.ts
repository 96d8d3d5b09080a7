/**
 * The layers of HedgeLens and what each may import: the one place the architecture is written down.
 *
 * Read by eslint.config.js (the `layers/imports` rule, on every `npm run lint` and in the editor) and by
 * tests/architecture.test.ts (every import in src/ and entrypoints/, plus import cycles, on every `npm test`);
 * the README's "How it is built" table is `layersTable()` and a test keeps them equal.
 *
 * Kinds of reference, checked separately:
 * - runtime imports (`import x from`, `export … from`, side-effect imports, literal `import('…')`): `imports`;
 * - type-only imports (`import type`, `export type … from`, every specifier marked `type`, `typeof import('…')`):
 *   `imports` plus `types`. Type imports vanish from the bundle, so a shell may name another layer's API types
 *   without pulling in its code; they still may not point up into the UI from the engine;
 * - `new URL('…', import.meta.url)` (a worker started, a module loaded at run time): `urls`;
 * - `browser.storage.local` (or `.sync`, `.session`; `chrome.` too): only layers with `storageArea`, so every key
 *   has one home in src/storage;
 * - packages (anything not relative): `packages`, exact names or name prefixes (`wxt/browser`, `preact` also allows
 *   `preact/hooks`, `node:*`); `'*'` is any.
 * This file is pure data and functions (no imports), so Node can load it for ESLint.
 */

export type LayerName =
  | 'shared'
  | 'chain'
  | 'engine'
  | 'brokers'
  | 'storage formats'
  | 'storage'
  | 'messages'
  | 'worker'
  | 'content'
  | 'ui'
  | 'background'
  | 'cli'
  | 'layers'
  | 'positions'
  | 'documents'
  | 'entrypoints';

export interface Layer {
  name: LayerName;
  /** Repo-relative globs (`*` within a folder, `**` across folders). A file belongs to the first layer that matches. */
  files: readonly string[];
  /** What lives there, for the README. */
  what: string;
  /** Layers it may import at run time (its own included when allowed). */
  imports: readonly LayerName[];
  /** Layers it may also import types from. */
  types?: readonly LayerName[];
  /** Layers whose files it may reference with `new URL('…', import.meta.url)`. */
  urls?: readonly LayerName[];
  /** Packages it may import; `[]` none (pure code), `'*'` any. */
  packages: readonly string[] | '*';
  /** May read and write `browser.storage.local` itself (only src/storage). */
  storageArea?: true;
}

/** Browser and UI packages: never in the pure layers (their `packages` is `[]`, so these are refused there too). */
export const BROWSER_PACKAGES = ['wxt', '@wxt-dev/storage', 'webextension-polyfill', 'preact', 'comlink'] as const;

export const LAYERS: readonly Layer[] = [
  {
    name: 'shared',
    files: ['src/shared/**', 'src/sites.ts'],
    what: 'plain shapes and helpers below everything: the teach-profile fields, the JSON error text, the default sites',
    imports: ['shared'],
    packages: [],
  },
  {
    name: 'chain',
    files: ['src/chain/**'],
    what: 'the Chain model, the New York calendar and settlement rules, number/date/OCC parsing, the file importers',
    imports: ['shared', 'chain'],
    packages: [],
  },
  {
    name: 'engine',
    files: ['src/engine/**'],
    what: 'the math: pricing, IV, time to expiry, forwards, smiles, condor risk, scenarios, the ALVH plan',
    imports: ['shared', 'chain', 'positions', 'engine'],
    packages: [],
  },
  {
    name: 'brokers',
    files: ['src/brokers/**'],
    what: 'the page reader (DOM in, Chain out), site adapters, teach mode; `node.ts` reads a saved page in Node',
    imports: ['shared', 'chain', 'brokers'],
    packages: ['happy-dom'],
  },
  {
    name: 'storage formats',
    files: [
      'src/storage/json.ts',
      'src/storage/schema.ts',
      'src/storage/metrics.ts',
      'src/storage/snapshotExport.ts',
      'src/storage/allDataFormat.ts',
      'src/storage/snapshotPayload.ts',
      'src/storage/positionRecord.ts',
    ],
    what: 'the pure half of storage: snapshot schema and migrations, the snapshot payload, the export and all-data file formats',
    imports: ['shared', 'chain', 'positions', 'engine', 'storage formats'],
    types: ['storage'],
    packages: [],
  },
  {
    name: 'storage',
    files: ['src/storage/**'],
    what: 'everything in `browser.storage.local`: the stores, quota, locks, export/import into the store',
    imports: ['shared', 'chain', 'positions', 'engine', 'storage formats', 'storage'],
    packages: ['wxt/browser', '@wxt-dev/storage'],
    storageArea: true,
  },
  {
    name: 'messages',
    files: ['src/messages.ts'],
    what: 'the control messages between the extension’s contexts',
    imports: ['shared', 'chain'],
    types: ['engine'],
    packages: [],
  },
  {
    name: 'worker',
    files: ['src/worker/**'],
    what: 'the Web Worker: a comlink shell around the engine',
    imports: ['shared', 'chain', 'engine', 'storage formats', 'messages', 'worker'],
    types: ['storage'],
    packages: ['comlink'],
  },
  {
    name: 'content',
    files: ['src/content/**'],
    what: 'the content script: runs the reader, docks the overlay frame, marks rows, the handshake',
    imports: ['shared', 'chain', 'brokers', 'storage formats', 'storage', 'messages', 'content'],
    types: ['engine', 'worker'],
    packages: ['wxt', 'comlink'],
  },
  {
    name: 'ui',
    files: ['src/ui/**'],
    what: 'Preact components of the overlay frame, popup, options and snapshots pages; the frame starts the worker',
    imports: ['shared', 'chain', 'positions', 'engine', 'storage formats', 'storage', 'messages', 'documents', 'ui'],
    types: ['worker'],
    urls: ['worker'],
    packages: ['preact', 'comlink', 'wxt/browser'],
  },
  {
    name: 'background',
    files: ['src/background/**'],
    what: 'the background script: the handshake relay, saving taught profiles',
    imports: ['shared', 'storage formats', 'storage', 'messages', 'background'],
    packages: ['wxt/browser'],
  },
  {
    name: 'cli',
    files: ['src/cli/**'],
    what: 'the `hedgelens` command line (Node): arguments, files, one call into the engine',
    imports: ['shared', 'chain', 'engine', 'brokers', 'storage formats', 'positions', 'cli'],
    urls: ['brokers', 'cli'],
    packages: ['node:*'],
  },
  {
    name: 'positions',
    files: ['src/positions/**'],
    what: "the trader's positions: the model, and the broker statements and exports read into it",
    imports: ['shared', 'chain', 'positions'],
    packages: [],
  },
  {
    name: 'layers',
    files: ['src/layers.ts'],
    what: 'this table',
    imports: [],
    packages: [],
  },
  {
    name: 'documents',
    files: ['docs/**'],
    what: 'documents the extension shows as text (the privacy policy), bundled with `?raw`',
    imports: [],
    packages: [],
  },
  {
    name: 'entrypoints',
    files: ['entrypoints/**'],
    what: 'thin WXT entry points: content script, overlay frame, popup, options, snapshots page, background',
    imports: [
      'shared',
      'chain',
      'positions',
      'engine',
      'brokers',
      'storage formats',
      'storage',
      'messages',
      'worker',
      'content',
      'ui',
      'background',
    ],
    packages: '*',
  },
];

/**
 * Imports that break a rule today and are being removed (each names its issue). The check skips exactly these
 * (file and specifier, or a cycle's files), and tests/architecture.test.ts fails on an entry that no longer
 * matches anything, so each one is deleted by the change that fixes it.
 */
export const KNOWN_EXCEPTIONS: readonly {
  file: string;
  /** The import's specifier as written; for a cycle, `cycle:` and the other file. */
  specifier: string;
  issue: number;
  why: string;
}[] = [];

/* ------------------------------------------------------------------ matching */

function globRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*' && glob[i + 1] === '*') {
      re += '.*';
      i++;
    } else if (c === '*') re += '[^/]*';
    else re += c.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

const MATCHERS = LAYERS.map((l) => ({ layer: l, res: l.files.map(globRegExp) }));

/** The layer of a repo-relative file path (forward slashes), or null when it is in none. */
export function layerOf(file: string): Layer | null {
  for (const m of MATCHERS) if (m.res.some((r) => r.test(file))) return m.layer;
  return null;
}

/** `a/b/../c/./d` → `a/c/d`; null when it climbs above the repository. */
export function normalisePath(path: string): string | null {
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length === 0) return null;
      out.pop();
    } else out.push(part);
  }
  return out.join('/');
}

/** Where a relative specifier points, as a repo-relative file: extensions and folder indexes tried in turn. */
export function resolveSpecifier(fromFile: string, specifier: string): { path: string; layer: Layer | null } | null {
  const dir = fromFile.includes('/') ? fromFile.slice(0, fromFile.lastIndexOf('/')) : '';
  const base = normalisePath(`${dir}/${specifier.replace(/[?#].*$/, '')}`);
  if (base === null) return null;
  const candidates = /\.[a-z]+$/i.test(base)
    ? [base]
    : [`${base}.ts`, `${base}.tsx`, `${base}/index.ts`, `${base}/index.tsx`, base];
  for (const c of candidates) {
    const layer = layerOf(c);
    if (layer) return { path: c, layer };
  }
  return { path: base, layer: null };
}

function packageAllowed(allowed: readonly string[] | '*', specifier: string): boolean {
  if (allowed === '*') return true;
  return allowed.some((p) =>
    p.endsWith('*') ? specifier.startsWith(p.slice(0, -1)) : specifier === p || specifier.startsWith(`${p}/`),
  );
}

export type ReferenceKind = 'import' | 'type' | 'url' | 'storage';

export interface Reference {
  /** Repo-relative path of the importing file. */
  file: string;
  /** The specifier as written; for kind 'storage', the area reached (`browser.storage.local`). */
  specifier: string;
  kind: ReferenceKind;
}

export interface Violation extends Reference {
  /** Which rule, in a sentence. */
  rule: string;
}

function isKnownException(ref: Reference): boolean {
  return KNOWN_EXCEPTIONS.some((e) => e.file === ref.file && e.specifier === ref.specifier);
}

/** Checks one reference against the table; null when it is allowed (or a known exception). */
export function checkReference(ref: Reference): Violation | null {
  const from = layerOf(ref.file);
  if (!from) return { ...ref, rule: `${ref.file} is in no layer: add its folder to LAYERS in src/layers.ts` };
  if (isKnownException(ref)) return null;
  const refused = (rule: string): Violation => ({ ...ref, rule });

  if (ref.kind === 'storage') {
    if (from.storageArea) return null;
    return refused(`layer "${from.name}" may not use ${ref.specifier} itself: call a src/storage module`);
  }

  if (!ref.specifier.startsWith('.')) {
    if (ref.kind === 'url') return refused(`layer "${from.name}" may reference only its own files by URL`);
    if (packageAllowed(from.packages, ref.specifier)) return null;
    const allowed = from.packages === '*' ? 'any' : from.packages.length ? from.packages.join(', ') : 'none';
    const browser = isBrowser(ref.specifier) ? ' (a browser/UI package)' : '';
    return refused(`layer "${from.name}" may not import package "${ref.specifier}"${browser}; allowed: ${allowed}`);
  }

  const target = resolveSpecifier(ref.file, ref.specifier);
  if (!target) return refused('points above the repository');
  if (!target.layer) return refused(`points outside every layer (${target.path})`);
  const to = target.layer.name;
  const allowed: readonly LayerName[] =
    ref.kind === 'url'
      ? (from.urls ?? [])
      : ref.kind === 'type'
        ? [...from.imports, ...(from.types ?? [])]
        : from.imports;
  if (allowed.includes(to)) return null;
  const what = ref.kind === 'url' ? 'reference by URL' : ref.kind === 'type' ? 'import types from' : 'import';
  const list = allowed.length ? allowed.join(', ') : 'nothing';
  const typeNote = ref.kind === 'import' && from.types?.includes(to) ? ' (types only: use `import type`)' : '';
  return refused(
    `layer "${from.name}" may not ${what} layer "${to}" (${target.path}); it may ${what}: ${list}${typeNote}`,
  );
}

function isBrowser(specifier: string): boolean {
  return BROWSER_PACKAGES.some((p) => specifier === p || specifier.startsWith(`${p}/`));
}

/* ------------------------------------------------------------------ the README table */

/** The README's layer table ("How it is built"), generated from LAYERS. */
export function layersTable(): string {
  const code = (s: string) => `\`${s}\``;
  const rows = LAYERS.filter((l) => l.name !== 'layers').map((l) => {
    const own = (names: readonly LayerName[]) => names.filter((n) => n !== l.name);
    const imports = own(l.imports);
    const parts = [imports.length ? imports.join(', ') : 'nothing else'];
    if (l.types?.length) parts.push(`types from ${l.types.join(', ')}`);
    if (l.urls?.length) parts.push(`by URL: ${own(l.urls).length ? own(l.urls).join(', ') : 'itself'}`);
    const packages = l.packages === '*' ? 'any' : l.packages.length ? l.packages.map(code).join(', ') : 'none';
    return `| ${l.name} | ${l.files.map(code).join(', ')} | ${l.what} | ${parts.join('; ')} | ${packages} |`;
  });
  return ['| layer | files | what lives there | may import | packages |', '|---|---|---|---|---|', ...rows].join('\n');
}
