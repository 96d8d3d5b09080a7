/**
 * What is wrong with a two-sided quote, if anything: one judgement for every reader's warnings (pages, Cboe's files,
 * Yahoo's JSON, broker APIs) and for the smile. An ask of 0 under a positive bid is nobody offering (Cboe's files and
 * some pages write a missing ask as 0: a deep in-the-money option nobody sells), not a crossed market.
 */
export type MarketProblem = 'no-offer' | 'crossed' | 'zero';

export function marketProblem(bid: number, ask: number): MarketProblem | null {
  if (ask === 0 && bid > 0) return 'no-offer';
  if (bid > ask) return 'crossed';
  if (bid === 0 && ask === 0) return 'zero';
  return null;
}

/** The importers' warning for a quote's problem (no side named: the caller adds which contract), or null. */
export function marketWarning(bid: number | null, ask: number | null): string | null {
  if (bid === null || ask === null) return null;
  switch (marketProblem(bid, ask)) {
    case 'no-offer':
      return `no offer: bid ${bid}, ask 0`;
    case 'crossed':
      return `crossed market: bid ${bid} > ask ${ask}`;
    case 'zero':
      return 'zero market: bid 0, ask 0';
    default:
      return null;
  }
}
