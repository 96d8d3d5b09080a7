/**
 * A position as the trader holds it (positions/group.ts) turned into what the session analyses: its iron condor is
 * the condor (its open credit the credit), and every other option leg is held beside it as one hedge, valued by the
 * same leg valuation as a hedge added in the overlay, with its open price as its entry. Shares and futures are
 * listed and left out of the option risk, said so. One home for the CLI's `analyze --position FILE` and the overlay's
 * "Use as my position" on a broker page.
 */
import { splitCondor, type CondorCore } from '../../positions/condorCore';
import type { Leg, Position } from '../../positions/types';
import type { PositionHedge } from './hedges';

/** "^SPX", "$SPX.X", "SPXW" → "SPX": the name a chain and a position file may each give the same underlying. */
export function underlyingKey(symbol: string): string {
  const s = symbol
    .toUpperCase()
    .replace(/^[\^$.]/, '')
    .replace(/\.X$/, '');
  return s === 'SPXW' ? 'SPX' : s === 'NDXP' ? 'NDX' : s === 'RUTW' ? 'RUT' : s;
}

export type PositionPick =
  | { ok: true; main: Position; beside: Position[] }
  | {
      ok: false;
      reason: string;
      /** Set when several positions hold a condor: the trader chooses. */ condors?: Position[];
    };

/**
 * The position to analyse: the one named, or else every option position on the chain's underlying — the one holding
 * an iron condor gives the condor, the others are held beside it (a Layer One spread of another expiry is its own
 * position, and still part of what the trader holds).
 */
export function pickPosition(positions: Position[], chainSymbol: string, name?: string): PositionPick {
  const names = positions.map((p) => `"${p.name}"`).join(', ');
  if (name !== undefined) {
    const hit = positions.find((p) => p.name === name);
    return hit
      ? { ok: true, main: hit, beside: [] }
      : { ok: false, reason: `no position named "${name}"; it holds ${names}` };
  }
  const here = underlyingKey(chainSymbol);
  const mine = positions.filter(
    (p) => underlyingKey(p.underlying) === here && p.legs.some((l) => l.asset === 'option'),
  );
  if (mine.length === 0)
    return { ok: false, reason: `no option position on ${here} (the chain's underlying); it holds ${names}` };
  const condors = mine.filter((p) => splitCondor(p).ok);
  if (condors.length > 1)
    return {
      ok: false,
      reason: `${condors.length} iron condors on ${here} (${condors.map((p) => `"${p.name}"`).join(', ')})`,
      condors,
    };
  const main = condors[0] ?? mine[0]!;
  return { ok: true, main, beside: mine.filter((p) => p !== main) };
}

export interface HeldPosition {
  core: Omit<CondorCore, 'legs'>;
  /** Legs beside the condor: options valued with it, shares/futures listed only. */
  extraLegs: Leg[];
  notes: string[];
  /** What the session gets: the condor, and the other option legs as one held group. */
  condor: { strikes: [number, number, number, number]; quantity: number; credit: number | null };
  hedges: PositionHedge[];
}

/**
 * The condor of `main` with everything else held beside it. `source` names where the legs came from (a file's name,
 * "this page") and `besideFrom` the same in the note that lists the positions beside it, with `besideHint` after;
 * `addedAt` stamps the held legs (ISO).
 */
export function heldPosition(
  main: Position,
  beside: Position[],
  {
    source,
    besideFrom,
    besideHint,
    addedAt,
  }: { source: string; besideFrom: string; besideHint?: string; addedAt: string },
): ({ ok: true } & HeldPosition) | { ok: false; reason: string } {
  const split = splitCondor(main);
  if (!split.ok) return { ok: false, reason: split.reason };
  const { expiry, strikes, quantity, openCredit } = split.core;
  const core = { expiry, strikes, quantity, openCredit };
  const notes = [...split.notes];
  const extra = [...split.extra, ...beside.flatMap((p) => p.legs)];
  if (beside.length > 0)
    notes.push(
      `held beside it, from ${besideFrom}: ${beside.map((p) => p.name).join('; ')}${besideHint ? ` (${besideHint})` : ''}`,
    );
  const options = extra.filter((l) => l.asset === 'option');
  for (const l of extra)
    if (l.asset !== 'option')
      notes.push(
        `${l.symbol} ${l.asset} ${l.quantity > 0 ? '+' : ''}${l.quantity} left out: the risk here is options only`,
      );
  const hedges: PositionHedge[] =
    options.length === 0
      ? []
      : [
          {
            id: 'held',
            ticketId: 'position-file',
            structure: `legs held beside the condor (${source})`,
            quantity: 1,
            addedAt,
            legs: options.map((l) => ({
              underlying: l.underlying,
              root: l.root,
              kind: l.kind,
              strike: l.strike,
              expiry: l.expiry,
              quantity: l.quantity,
              entryPrice: l.openPrice,
            })),
          },
        ];
  return {
    ok: true,
    core,
    extraLegs: extra,
    notes,
    condor: { strikes, quantity, credit: openCredit >= 0 ? openCredit : null },
    hedges,
  };
}
