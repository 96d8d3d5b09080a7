import type { SiteAdapter } from '../types';

/** Authored from public descriptions: see provenance. */
export const fidelity: SiteAdapter = {
  id: 'fidelity',
  name: 'Fidelity',
  urlPatterns: [
    '*://digital.fidelity.com/ftgw/digital/options-research/*',
    '*://researchtools.fidelity.com/ftgw/mloptions/*',
  ],
  verified: 'authored',
  provenance:
    'Authored from public descriptions (collapsible expiration sections, Calls | Strike | Puts). NOT verified against a real page.',
  hints: {},
  fixtures: [
    {
      file: 'tests/fixtures/sites/fidelity/spy-chain-2026-03-14.html',
      url: 'https://digital.fidelity.com/ftgw/digital/options-research/option-chain?symbol=SPY',
      expect: {
        calls: 3,
        puts: 3,
        expiries: 2,
        symbol: 'SPY',
        price: 658.05,
      },
    },
  ],
};
