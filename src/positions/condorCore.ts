/**
 * The iron condor inside a position as the trader holds it. HedgeLens's risk and its hedge plan are built around a
 * condor; a real position is often a condor and more (a Layer One spread added, a wing rolled, an extra short put,
 * legs of another expiry). This finds the condor core and hands back everything else as extra legs, so the
 * analysis can value the core as the condor and the rest as legs held beside it — nothing dropped.
 *
 * The core, on one expiry: a short put with a long put below it and a short call (at or above the short put) with a
 * long call above it. Among candidates the largest quantity wins (the position's main body), then the strikes
 * nearest the shorts (the tightest wings); its size is the smallest of the four legs' sizes, and what is left of
 * each of those legs stays an extra leg. On several expiries, the expiry whose core is largest wins (then the
 * earliest).
 */
import type { Leg, OptionLeg, Position } from './types.ts';

export interface CondorCore {
  expiry: string;
  /** Long put, short put, short call, long call. */
  strikes: [number, number, number, number];
  /** Condors (each leg's size in the core). */
  quantity: number;
  /**
   * Credit received per condor when opened, per share: the short legs' open prices less the long legs'. Negative
   * when the legs were opened for a debit in total (then said in the notes).
   */
  openCredit: number;
  /** The four legs of the core as they were held (their open prices). */
  legs: [OptionLeg, OptionLeg, OptionLeg, OptionLeg];
}

export type CondorSplit = { ok: true; core: CondorCore; extra: Leg[]; notes: string[] } | { ok: false; reason: string };

const round = (x: number) => Math.round(x * 1e6) / 1e6;

function coreOn(legs: OptionLeg[]): CondorCore | null {
  const puts = legs.filter((l) => l.kind === 'put');
  const calls = legs.filter((l) => l.kind === 'call');
  let best: CondorCore | null = null;
  let bestScore = -Infinity;
  for (const sp of puts.filter((l) => l.quantity < 0))
    for (const lp of puts.filter((l) => l.quantity > 0 && l.strike < sp.strike))
      for (const sc of calls.filter((l) => l.quantity < 0 && l.strike >= sp.strike))
        for (const lc of calls.filter((l) => l.quantity > 0 && l.strike > sc.strike)) {
          const q = Math.min(-sp.quantity, lp.quantity, -sc.quantity, lc.quantity);
          // Largest size first; then the narrowest wings (the legs that belong together).
          const score = q * 1e9 - (sp.strike - lp.strike) - (lc.strike - sc.strike);
          if (score <= bestScore) continue;
          bestScore = score;
          best = {
            expiry: sp.expiry,
            strikes: [lp.strike, sp.strike, sc.strike, lc.strike],
            quantity: q,
            openCredit: round(sp.openPrice + sc.openPrice - lp.openPrice - lc.openPrice),
            legs: [lp, sp, sc, lc],
          };
        }
  return best;
}

/** The condor core of one position and the legs beside it; a reason when the position holds no condor. */
export function splitCondor(position: Position): CondorSplit {
  const options = position.legs.filter((l): l is OptionLeg & { line: number } => l.asset === 'option');
  const expiries = [...new Set(options.map((l) => l.expiry))].sort();
  let core: CondorCore | null = null;
  for (const e of expiries) {
    const c = coreOn(options.filter((l) => l.expiry === e));
    if (c && (!core || c.quantity > core.quantity)) core = c;
  }
  if (!core)
    return {
      ok: false,
      reason:
        `${position.name} holds no iron condor (a short put with a long put below it and a short call with a long ` +
        `call above it, on one expiry)`,
    };
  const found = core;
  const extra: Leg[] = [];
  for (const l of position.legs) {
    const inCore = l.asset === 'option' && found.legs.includes(l);
    if (!inCore) {
      extra.push(l);
      continue;
    }
    const left = l.quantity - Math.sign(l.quantity) * found.quantity;
    if (left !== 0) extra.push({ ...l, quantity: left });
  }
  const notes: string[] = [];
  if (found.openCredit < 0)
    notes.push(
      `the condor's legs were opened for a debit of ${(-found.openCredit).toFixed(2)} in total (their open prices)`,
    );
  if (extra.length > 0)
    notes.push(
      `${extra.length} more ${position.underlying} leg${extra.length === 1 ? '' : 's'} beside the condor (from “${position.name}”), valued with it`,
    );
  return { ok: true, core: found, extra, notes };
}
