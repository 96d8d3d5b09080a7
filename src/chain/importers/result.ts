import type { Chain } from '../types.ts';

/** What every importer returns: a Chain, or one clear reason why the text is not one. */
export type ImportResult = { ok: true; chain: Chain } | { ok: false; reason: string };
