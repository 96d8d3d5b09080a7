/**
 * The VIX futures when no VIX chain gives them: the standard monthly VIX expiries after today, each future from the
 * term model (stress.ts vixFutureByTerm: vixFutureLongRunLevel + (spot − it) × the term share, fitted on Cboe VX
 * futures 2013–2026). Labelled `term-model`, never mistaken for a chain's parity future.
 */
import { daysBetween, nextVixExpiry, vixExpiryFor, addDays } from '../../../chain/calendar';
import type { Thresholds } from '../rulebook';
import type { VixFutureEstimate } from '../vixOptions';
import { vixFutureByTerm } from './stress';

/** The next `count` standard VIX expiries after `today`, with the term model's future for each. */
export function termModelVixFutures(t: Thresholds, spotVix: number, today: string, count = 6): VixFutureEstimate[] {
  const out: VixFutureEstimate[] = [];
  let date = nextVixExpiry(addDays(today, 1));
  for (let i = 0; i < count; i++) {
    const days = daysBetween({ from: today, to: date });
    const future = vixFutureByTerm(t, spotVix, days);
    out.push({
      expiry: date,
      root: null,
      years: days / 365,
      future,
      discount: 1,
      method: 'term-model',
      bounds: null,
      strikesUsed: [],
      reason: `no VIX chain: the term model ${t.vixFutureLongRunLevel} + (spot ${spotVix.toFixed(2)} − ${t.vixFutureLongRunLevel}) × ${t.vixFutureToSpotRatio}^((${Math.round(days)}/30)^${t.vixFutureTermExponent}) (vixFutureLongRunLevel, vixFutureToSpotRatio, vixFutureTermExponent; fitted on Cboe VX futures 2013–2026)`,
    });
    const [y, m] = date.split('-').map(Number) as [number, number];
    date = vixExpiryFor(m === 12 ? { year: y + 1, month: 1 } : { year: y, month: m + 1 });
  }
  return out;
}
