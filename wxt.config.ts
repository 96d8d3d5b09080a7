import { defineConfig } from 'wxt';
import preact from '@preact/preset-vite';

// Sites where the content script runs by default. Anything else: the user grants it on demand
// (activeTab from the popup, or an optional host permission) — never <all_urls> by default.
export const DEFAULT_MATCHES = [
  'https://*.schwab.com/*',
  'https://*.thinkorswim.com/*',
  'https://*.tastytrade.com/*',
  'https://*.interactivebrokers.com/*',
  'https://*.etrade.com/*',
  'https://*.fidelity.com/*',
  'https://*.webull.com/*',
  'https://*.robinhood.com/*',
  'https://*.tradestation.com/*',
  'https://finance.yahoo.com/*',
  'https://*.cboe.com/*',
  'http://127.0.0.1/*',
  'http://localhost/*',
];

export default defineConfig({
  srcDir: '.',
  entrypointsDir: 'entrypoints',
  outDir: '.output',
  modules: ['@wxt-dev/webextension-polyfill'],
  vite: () => ({
    plugins: [preact()],
    build: { target: 'es2022' },
    worker: { format: 'es' },
  }),
  manifest: ({ browser }) => ({
    name: 'HedgeLens',
    description: 'Iron-condor risk and layered VIX hedges on your broker’s option chain. Computed locally; nothing leaves the browser.',
    permissions: ['storage', 'activeTab', 'scripting'],
    optional_host_permissions: ['https://*/*'],
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
