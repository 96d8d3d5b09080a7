import type { SiteAdapter } from '../types';

/** Authored from public descriptions: see provenance. */
export const tradestation: SiteAdapter = {
  id: 'tradestation',
  name: 'TradeStation',
  urlPatterns: ['*://web.tradestation.com/*', '*://app.tradestation.com/*'],
  verified: 'authored',
  provenance:
    'Authored from public descriptions (expiries as band rows inside one grid, Calls | Strike | Puts). NOT verified against a real page.',
  hints: {},
  fixtures: [
    {
      file: 'tests/fixtures/sites/tradestation/spx-chain-2026-03-14.html',
      url: 'https://web.tradestation.com/trade/options',
      expect: {
        calls: 3,
        puts: 3,
        expiries: 2,
        symbol: 'SPX',
        price: 6632.19,
      },
    },
  ],
};
