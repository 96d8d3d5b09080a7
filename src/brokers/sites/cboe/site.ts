import type { SiteAdapter } from '../types';

/** Authored from public descriptions: see provenance. */
export const cboe: SiteAdapter = {
  id: 'cboe',
  name: 'Cboe delayed quotes',
  urlPatterns: ['*://www.cboe.com/delayed_quotes/*', '*://cboe.com/delayed_quotes/*'],
  verified: 'authored',
  provenance:
    'Column set taken from the real delayed-quotes CSV download (../shared/data/real/cboe_spx_quotedata_2026-03-14.csv: Expiration Date, Calls, Last Sale, Net, Bid, Ask, Volume, IV, Delta, Gamma, Open Interest, Strike, Puts, …). The HTML page itself was NOT captured: its structure in the fixture is authored.',
  hints: {},
  fixtures: [
    {
      file: 'tests/fixtures/sites/cboe/spx-quote-table-2026-03-14.html',
      url: 'https://www.cboe.com/delayed_quotes/spx/quote_table',
      expect: {
        calls: 3,
        puts: 3,
        expiries: 2,
        symbol: 'SPX',
        price: 6632.19,
      },
    },
  ],
  headerAliases: {
    calls: 'symbol',
    puts: 'symbol',
  },
};
