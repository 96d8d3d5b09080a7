import type { SiteAdapter } from '../types';

export const yahoo: SiteAdapter = {
  id: 'yahoo',
  name: 'Yahoo Finance options',
  urlPatterns: [
    '*://finance.yahoo.com/q/op*',
    '*://finance.yahoo.com/quote/*/options*',
    '*://*.finance.yahoo.com/quote/*/options*',
  ],
  detect: [
    '#optionsCallsTable',
    '[data-sec="options-calls-table"]',
    'section[data-yaft-module="tdv2-applet-OptionContracts"]',
    'section[data-testid="options-list-table"]',
  ],
  verified: 'real-page',
  provenance:
    '2014–2015 layout checked against three real saved pages (pandas-datareader test data); the 2020 React layout against four (yfs test data, tests/fixtures/yahoo2020). The later layout (section[data-testid=options-list-table]) is NOT verified: selectors from public descriptions only.',
  hints: {
    chain: [
      '#quote-table', // 2014–2015 (verified)
      'section[data-yaft-module="tdv2-applet-OptionContracts"]', // 2020 (verified, yfs pages)
      'section[data-testid="options-list-table"]', // 2020s (not verified)
    ],
    symbol: ['h2.symbol-name', 'h1'],
    price: [
      '.time_rtq_ticker [data-sq$=":value"]', // 2014–2015 (verified)
      'fin-streamer[data-field="regularMarketPrice"]', // 2020s (not verified)
    ],
    expiry: ['#options_menu .SelectBox-Text', 'select option[selected]'],
  },
  fixtures: [
    {
      file: 'tests/fixtures/yahoo/yahoo_options_AAPL_2014-10_pdr1.html',
      expect: { calls: 42, puts: 38, expiries: 1, symbol: 'AAPL', price: 104.83 },
    },
    {
      file: 'tests/fixtures/yahoo/yahoo_options_AAPL_2014-11_pdr2.html',
      expect: { calls: 39, puts: 36, expiries: 1, symbol: 'AAPL', price: 108.86 },
    },
    {
      file: 'tests/fixtures/yahoo/yahoo_options_SPWR_2015_empty_puts_pdr3.html',
      expect: { calls: 3, puts: 0, expiries: 1, symbol: 'SPWR', price: 33.05 },
    },
  ],
};
