import type { SiteAdapter } from '../types';

/** Authored from public descriptions: see provenance. */
export const webull: SiteAdapter = {
  id: 'webull',
  name: 'Webull',
  urlPatterns: ['*://app.webull.com/*', '*://www.webull.com/quote/*'],
  verified: 'authored',
  provenance:
    'Authored from public descriptions (Calls/Puts toggle, virtualised div rows positioned with transforms). NOT verified against a real page.',
  hints: {},
  fixtures: [
    {
      file: 'tests/fixtures/sites/webull/spy-chain-2026-03-14.html',
      url: 'https://app.webull.com/options/SPY',
      expect: {
        calls: 3,
        puts: 0,
        expiries: 1,
        symbol: 'SPY',
        price: 658.05,
      },
    },
  ],
};
