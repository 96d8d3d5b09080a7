/**
 * What a trader is told of the smile a condor is priced on (analyze.ts adds it to the analysis' warnings; the
 * overlay shows it beside the condor). A module of its own, with nothing but the Smile type, so the overlay's bundle
 * does not take the engine in with it.
 */
import type { Smile } from './types';

/**
 * What a trader should know of the smile the condor is priced on: quotes it left out, and a fit that fell back to
 * one vol for every strike (its skew then not in any figure). The fit's own reasons stay in Smile.reason.
 */
export function smileWarnings(date: string, smile: Smile): string[] {
  const out: string[] = [];
  const gone = smile.quotesLeftOut;
  if (gone?.beyondLee)
    out.push(
      `${gone.beyondLee} quote(s) of ${date} left out of its smile: implied vols beyond what any arbitrage-free smile allows (a stale price or a contract adjusted for a split, say)`,
    );
  if (gone?.farFromMoney)
    out.push(
      `the smile of ${date} is fitted on the ${smile.pointsUsed} quotes nearest the money: no smile passes through them and the ${gone.farFromMoney} farther ones together`,
    );
  if (smile.method === 'flat')
    out.push(
      `the smile of ${date} could not be fitted to its quotes: one vol (${(smile.atmVol * 100).toFixed(2)}%) is used at every strike, so its skew is not in these figures`,
    );
  return out;
}
