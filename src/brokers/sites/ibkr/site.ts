import type { SiteAdapter } from '../types';

/** Authored from public descriptions: see provenance. */
export const ibkr: SiteAdapter = {
  id: 'ibkr',
  name: 'Interactive Brokers Client Portal',
  urlPatterns: ['*://*.interactivebrokers.com/portal/*'],
  verified: 'authored',
  provenance:
    'Authored from public descriptions (month tabs, CALLS | STRIKE | PUTS, bid x ask in one cell, Impl Vol). NOT verified against a real page.',
  hints: {},
  fixtures: [
    {
      file: 'tests/fixtures/sites/ibkr/spx-chain-2026-03-14.html',
      url: 'https://www.interactivebrokers.com/portal/#/quote/416904/option/option.chain',
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
