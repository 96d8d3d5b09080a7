import type { SiteAdapter } from '../types';

/** Authored from public descriptions: see provenance. */
export const etrade: SiteAdapter = {
  id: 'etrade',
  name: 'E*TRADE',
  urlPatterns: ['*://us.etrade.com/etx/mkt/options*', '*://us.etrade.com/*/options*'],
  verified: 'authored',
  provenance:
    'Authored from public descriptions (Calls | Strike | Puts table, expiration select). NOT verified against a real page.',
  hints: {},
  fixtures: [
    {
      file: 'tests/fixtures/sites/etrade/spy-chain-2026-03-14.html',
      url: 'https://us.etrade.com/etx/mkt/options?symbol=SPY',
      expect: {
        calls: 3,
        puts: 3,
        expiries: 1,
        symbol: 'SPY',
        price: 658.05,
      },
    },
  ],
};
