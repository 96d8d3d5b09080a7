/**
 * One front door for chain files: sniff the format, import, or say clearly why not.
 * Formats: Cboe quotedata CSV (current) and .dat (legacy), Yahoo optionChain JSON, Schwab / TD Ameritrade and
 * Tradier chain JSON (broker APIs), a Chain JSON (version 1), and a snapshot JSON holding a Chain in its
 * `chain` field.
 */
import { jsonSyntaxReason } from '../../shared/jsonError';
import { importCboe, looksLikeCboe } from './cboe.ts';
import type { ImportResult } from './result.ts';
import { importSchwabJson, looksLikeSchwabJson } from './schwab.ts';
import { importTradierJson, looksLikeTradierJson } from './tradier.ts';
import { importYahooJson, looksLikeYahooJson } from './yahooJson.ts';
import { validateChain } from './validate.ts';

export type { ImportResult } from './result.ts';
export { importCboe } from './cboe.ts';
export { importYahooJson } from './yahooJson.ts';
export { importSchwabJson } from './schwab.ts';
export { importTradierJson } from './tradier.ts';
export { validateChain } from './validate.ts';

/** Import a chain from the text of a file. Never throws. */
export function importChainText({ text, fileName }: { text: string; fileName?: string }): ImportResult {
  if (typeof text !== 'string') return { ok: false, reason: 'no text to read' };
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const head = body.trimStart();
  if (head === '') return { ok: false, reason: 'the file is empty' };
  const named = fileName ? ` (${fileName.replace(/^.*[\\/]/, '')})` : '';

  if (head.startsWith('{') || head.startsWith('[')) {
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch (e) {
      return { ok: false, reason: `not valid JSON${named}: ${jsonSyntaxReason(e)}` };
    }
    if (looksLikeYahooJson(json)) return importYahooJson({ json, fileName });
    if (looksLikeSchwabJson(json)) return importSchwabJson({ json, fileName });
    if (looksLikeTradierJson(json)) return importTradierJson({ json, fileName });
    if (typeof json === 'object' && json !== null && !Array.isArray(json)) {
      const o = json as Record<string, unknown>;
      if ('chain' in o) {
        const v = validateChain(o.chain);
        return v.ok ? v : { ok: false, reason: `snapshot${named}: its chain is not valid: ${v.reason}` };
      }
      if ('version' in o || 'expiries' in o) {
        const v = validateChain(o);
        return v.ok ? v : { ok: false, reason: `not a valid Chain JSON${named}: ${v.reason}` };
      }
    }
    return {
      ok: false,
      reason: `unrecognised JSON${named}: expected a Chain (version 1), a snapshot with a "chain" field, a Yahoo optionChain, a Schwab/TD Ameritrade chain (callExpDateMap) or a Tradier chain (options.option)`,
    };
  }
  if (head.startsWith('<')) {
    return {
      ok: false,
      reason: `an HTML page${named}: saved pages are read by the page adapters, not as a chain file`,
    };
  }
  if (looksLikeCboe(body)) return importCboe({ text: body, fileName });
  return {
    ok: false,
    reason: `unrecognised file${named}: not a Cboe quote download (no "Expiration Date,Calls,…,Strike,Puts" heading) and not JSON`,
  };
}
