/**
 * Sites where the content script runs by default. Anything else: the user enables it on demand from the
 * popup (activeTab + scripting) — never <all_urls> by default.
 */
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
];

/**
 * Loopback, where the demo and the tests serve their pages: added to the content script's matches and the overlay's
 * web-accessible matches only by builds made with HEDGELENS_LOOPBACK=1 (wxt.config.ts), never by release builds.
 */
export const LOOPBACK_MATCHES = ['http://127.0.0.1/*', 'http://localhost/*'];
