/** Every known site, as data (one folder per site), sorted by id. */
import type { SiteAdapter } from './types';
import { cboe } from './cboe/site';
import { etrade } from './etrade/site';
import { fidelity } from './fidelity/site';
import { ibkr } from './ibkr/site';
import { robinhood } from './robinhood/site';
import { schwab } from './schwab/site';
import { tastytrade } from './tastytrade/site';
import { thinkorswim } from './thinkorswim/site';
import { tradestation } from './tradestation/site';
import { webull } from './webull/site';
import { yahoo } from './yahoo/site';

export const SITES: readonly SiteAdapter[] = [
  cboe,
  etrade,
  fidelity,
  ibkr,
  robinhood,
  schwab,
  tastytrade,
  thinkorswim,
  tradestation,
  webull,
  yahoo,
];
