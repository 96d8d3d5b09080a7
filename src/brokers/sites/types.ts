import type { Field } from '../../shared/teachProfile';

/**
 * A known site, as data. Nothing here is code: URL patterns, selector hints (each an array of variants,
 * newest first, the old ones with a dated note), extra header spellings, and what a saved fixture must give.
 */
export interface SiteAdapter {
  id: string;
  name: string;
  /** Match patterns, WebExtension style: "*://finance.yahoo.com/quote/*". */
  urlPatterns: string[];
  /** Selectors any of which, present on a page, identify the site when there is no URL (saved pages). */
  detect?: string[];
  /** 'real-page': checked against a captured page; 'authored': fixture written from public descriptions only. */
  verified: 'real-page' | 'authored';
  /** What the fixture was built from and what is known to be unverified. */
  provenance: string;
  hints: {
    /** The chain's container(s); reading is limited to them when they match. */
    chain?: string[];
    symbol?: string[];
    price?: string[];
    expiry?: string[];
    vix?: string[];
  };
  /** Site-specific header spellings (normalised lower case) → field. */
  headerAliases?: Record<string, Field>;
  fixtures: {
    file: string;
    /** The URL the page would have (selects the adapter in tests). */
    url?: string;
    expect: { calls: number; puts: number; expiries: number; symbol: string | null; price: number | null };
  }[];
}
