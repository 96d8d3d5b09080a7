import type { SiteAdapter } from '../types';

/** Authored from public descriptions: see provenance. */
export const tastytrade: SiteAdapter = {
  id: 'tastytrade',
  name: 'tastytrade',
  urlPatterns: ['*://my.tastytrade.com/*', '*://trade.tastytrade.com/*'],
  verified: 'authored',
  provenance:
    'Authored from public descriptions (expiry rows "Mar 20 6d", DELTA/BID/ASK | STRIKE | BID/ASK/DELTA, div layout). NOT verified against a real page.',
  hints: {},
  fixtures: [
    {
      file: 'tests/fixtures/sites/tastytrade/spx-chain-2026-03-14.html',
      url: 'https://my.tastytrade.com/app.html#/trading/chain/SPX',
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
