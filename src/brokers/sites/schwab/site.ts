import type { SiteAdapter } from '../types';

/** Authored from public descriptions: see provenance. */
export const schwab: SiteAdapter = {
  id: 'schwab',
  name: 'Charles Schwab',
  urlPatterns: ['*://client.schwab.com/app/trade/*', '*://client.schwab.com/areas/trade/options/*'],
  verified: 'authored',
  provenance:
    'Authored from public descriptions (expiries as accordions, Calls | Strike | Puts). NOT verified against a real page.',
  hints: {},
  fixtures: [
    {
      file: 'tests/fixtures/sites/schwab/spx-chain-2026-03-14.html',
      url: 'https://client.schwab.com/app/trade/options/chains?symbol=SPX',
      expect: {
        calls: 2,
        puts: 2,
        expiries: 1,
        symbol: 'SPX',
        price: 6632.19,
      },
    },
  ],
};
