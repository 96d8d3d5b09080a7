import { defineConfig } from 'wxt';
import preact from '@preact/preset-vite';

import { DEFAULT_MATCHES } from './src/sites';

export default defineConfig({
  srcDir: '.',
  entrypointsDir: 'entrypoints',
  // Overridable so parallel builds (e.g. several e2e runs) do not overwrite each other.
  outDir: process.env.HEDGELENS_OUT_DIR ?? '.output',
  modules: ['@wxt-dev/webextension-polyfill'],
  vite: () => ({
    plugins: [preact()],
    // No modulepreload polyfill: every supported browser has it, and it would ship a dead fetch().
    // HEDGELENS_MINIFY=0 keeps function names (for reading CPU profiles: `npm run bench -- page` with HEDGELENS_PROFILE_TOP).
    build: {
      target: 'es2022',
      modulePreload: { polyfill: false },
      ...(process.env.HEDGELENS_MINIFY === '0' ? { minify: false } : {}),
    },
    worker: { format: 'es' },
  }),
  manifest: ({ browser, manifestVersion, command }) => ({
    name: 'HedgeLens',
    description:
      'Iron-condor risk and layered VIX hedges on your broker’s option chain. Computed locally; nothing leaves the browser.',
    permissions: ['storage', 'activeTab', 'scripting'],
    optional_host_permissions: ['https://*/*'],
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
        matches: DEFAULT_MATCHES,
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
      ? { browser_specific_settings: { gecko: { id: 'hedgelens@hedgelens.app', strict_min_version: '128.0' } } }
      : {}),
  }),
});
