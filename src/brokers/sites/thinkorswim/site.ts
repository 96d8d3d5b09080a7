import type { SiteAdapter } from '../types';

/** Authored from public descriptions: see provenance. */
export const thinkorswim: SiteAdapter = {
  id: 'thinkorswim',
  name: 'thinkorswim web',
  urlPatterns: ['*://trade.thinkorswim.com/*'],
  verified: 'authored',
  provenance:
    'Authored from public descriptions (expandable expiry rows "20 MAR 26 (6) 100 (Weeklys)", CALLS | Strike | PUTS, Open.Int). NOT verified against a real page.',
  hints: {},
  fixtures: [
    {
      file: 'tests/fixtures/sites/thinkorswim/spx-chain-2026-03-14.html',
      url: 'https://trade.thinkorswim.com/trade?symbol=SPX',
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
