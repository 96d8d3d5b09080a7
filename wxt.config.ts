import { defineConfig } from 'wxt';
import preact from '@preact/preset-vite';

import { DEFAULT_MATCHES, LOOPBACK_MATCHES } from './src/sites';
import { nativeBrowserExport } from './scripts/nativeBrowserExport';
import { reproducibleZip } from './scripts/reproducibleZip';

// HEDGELENS_LOOPBACK=1: the demo and test builds, which serve their pages on 127.0.0.1, also run the content script
// (and expose the overlay frame) on loopback. Release builds and `npm run zip` never do: a user's local development
// servers are not broker pages ("Read this page" still works anywhere through activeTab).
const LOOPBACK = process.env.HEDGELENS_LOOPBACK === '1';
const MATCHES = LOOPBACK ? [...DEFAULT_MATCHES, ...LOOPBACK_MATCHES] : DEFAULT_MATCHES;
// The toolbar icon (drawn in public/icon.svg, rendered by scripts/icons.mjs); WXT finds public/icon/<size>.png
// for the manifest's `icons` itself.
const TOOLBAR_ICON = { 16: 'icon/16.png', 32: 'icon/32.png', 48: 'icon/48.png', 128: 'icon/128.png' };

export default defineConfig({
  srcDir: '.',
  entrypointsDir: 'entrypoints',
  // Overridable so parallel builds (e.g. several e2e runs) do not overwrite each other.
  outDir: process.env.HEDGELENS_OUT_DIR ?? '.output',
  modules: ['@wxt-dev/webextension-polyfill'],
  vite: () => ({
    plugins: [preact(), nativeBrowserExport()],
    // No modulepreload polyfill: every supported browser has it, and it would ship a dead fetch().
    // HEDGELENS_MINIFY=0 keeps function names (for reading CPU profiles: `npm run bench -- page` with HEDGELENS_PROFILE_TOP).
    build: {
      target: 'es2022',
      modulePreload: { polyfill: false },
      ...(process.env.HEDGELENS_MINIFY === '0' ? { minify: false } : {}),
    },
    worker: { format: 'es' },
  }),
  hooks: {
    // The content script's matches come from entrypoints/content.ts (the release set); loopback is added here.
    'build:manifestGenerated': (_wxt, manifest) => {
      if (!LOOPBACK) return;
      for (const cs of manifest.content_scripts ?? [])
        cs.matches = [...new Set([...(cs.matches ?? []), ...LOOPBACK_MATCHES])];
    },
    // WXT's archives stamp every entry with the time of zipping: rewritten with a fixed time and a sorted order,
    // the same sources give the same bytes (checked by zipping twice; see scripts/reproducibleZip.mjs).
    'zip:extension:done': (_wxt, zipPath) => reproducibleZip(zipPath),
    'zip:sources:done': (_wxt, zipPath) => reproducibleZip(zipPath),
  },
  zip: {
    // The sources archive Mozilla asks for: what builds the add-on, and how (README.md "Set up"). Tests, benches,
    // fixtures, the CLI and screenshots are not part of it.
    excludeSources: [
      'tests/**',
      'bench/**',
      'bin/**',
      'docs/*.png',
      'test-results/**',
      '*.log',
      'scripts/prove-busy.mjs',
      'vitest*.config.ts',
    ],
  },
  manifest: ({ browser, manifestVersion, command }) => ({
    name: 'HedgeLens',
    description:
      'Iron-condor risk and layered VIX hedges on your broker’s option chain. Computed locally; nothing leaves the browser.',
    permissions: ['storage', 'activeTab', 'scripting'],
    ...(manifestVersion === 3
      ? { action: { default_icon: TOOLBAR_ICON } }
      : { browser_action: { default_icon: TOOLBAR_ICON } }),
    optional_host_permissions: ['https://*/*'],
    // Asked for only when the trader turns on a notification in Options: a stage change or a short strike's delta
    // (src/background/badge.ts, src/ui/options/notifications.ts).
    optional_permissions: ['notifications'],
    // Defence in depth for "no network requests": extension pages may not connect anywhere (production builds;
    // the dev server needs its websocket).
    ...(command === 'build'
      ? {
          content_security_policy:
            manifestVersion === 3
              ? { extension_pages: "script-src 'self'; object-src 'self'; connect-src 'none'" }
              : "script-src 'self'; object-src 'self'; connect-src 'none'",
        }
      : {}),
    web_accessible_resources: [
      {
        resources: ['overlay.html'],
        matches: MATCHES,
      },
    ],
    commands: {
      'toggle-overlay': {
        suggested_key: { default: 'Alt+Shift+H' },
        description: 'Show or hide the HedgeLens overlay',
      },
      'save-snapshot': {
        suggested_key: { default: 'Alt+Shift+S' },
        description: 'Save a HedgeLens snapshot',
      },
    },
    ...(browser === 'firefox'
      ? {
          browser_specific_settings: {
            gecko: {
              id: 'hedgelens@hedgelens.app',
              // 140: the first Firefox (ESR 140) that reads data_collection_permissions; 142 on Android.
              strict_min_version: '140.0',
              // Firefox's data-collection consent: HedgeLens collects and transmits nothing (docs/PRIVACY.md).
              data_collection_permissions: { required: ['none'] },
            },
            gecko_android: { strict_min_version: '142.0' },
          },
        }
      : {}),
  }),
});
