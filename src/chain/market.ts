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
