/** Every known site, as data (one folder per site). Order matters only for overlapping URL patterns. */
import type { SiteAdapter } from './types';
import { yahoo } from './yahoo/site';

export const SITES: readonly SiteAdapter[] = [yahoo];
