import type { SiteAdapter } from '../types';

/** Authored from public descriptions: see provenance. */
export const robinhood: SiteAdapter = {
  id: 'robinhood',
  name: 'Robinhood',
  urlPatterns: ['*://robinhood.com/options/chains/*', '*://robinhood.com/options/*'],
  verified: 'authored',
  provenance:
    'Authored from public descriptions (one side at a time with Call/Put and Buy/Sell toggles). The real list shows a mark price per row; Bid/Ask columns in the fixture are an assumption. NOT verified against a real page.',
  hints: {},
  fixtures: [
    {
      file: 'tests/fixtures/sites/robinhood/spy-chain-2026-03-14.html',
      url: 'https://robinhood.com/options/chains/SPY',
      expect: {
        calls: 0,
        puts: 2,
        expiries: 1,
        symbol: 'SPY',
        price: 658.05,
      },
    },
  ],
};
