/**
 * The positions a broker page lists (read by the content script, src/content/positionsTable.ts), offered as the
 * trader's position on the page's chain: the legs on the chain's underlying and expiries are grouped as the file
 * importers group them (positions/group.ts), and the position holding an iron condor becomes the condor with the rest
 * held beside it (heldPosition.ts, as `analyze --position` does). Legs on another underlying or on an expiry the chain
 * does not list are named, not used; rows the page gave no leg for are passed on as they came.
 */
import { underlyingForRoot } from '../../chain/importers/cboe';
import { formatOcc } from '../../chain/occ';
import type { Chain } from '../../chain/types';
import { splitCondor } from '../../positions/condorCore';
import { groupPositions } from '../../positions/group';
import type { ImportedLeg } from '../../positions/types';
import type { PageLeg, PageLegRejected, PageLegs } from '../../shared/pageLegs';
import type { PositionHedge } from './hedges';
import { heldPosition, pickPosition, underlyingKey } from './heldPosition';

export type { PageLeg, PageLegRejected, PageLegs };

/** What the overlay shows of the page's positions, and whether they can be used. */
export interface PageOffer {
  /** The chain's underlying the offer is for. */
  underlying: string;
  /** Positions on the chain's underlying and expiries, by name ("SPX 2025-10-24 iron condor"). */
  positions: string[];
  /** Legs on this chain, and how many of the positions hold an iron condor. */
  legs: number;
  condors: number;
  /** The condor the position would be, with its open credit (null: opened for a debit). */
  condor: { expiry: string; strikes: [number, number, number, number]; quantity: number; credit: number | null } | null;
  /** Option legs held beside the condor. */
  besideLegs: number;
  /** Why the legs cannot be the position (no condor among them), or null. */
  reason: string | null;
  notes: string[];
  /** Legs not used, each named with why (another underlying, an expiry this chain does not list). */
  notUsed: string[];
  /** Rows of the page that named no leg, as the content script reported them. */
  rejected: PageLegRejected[];
  /** The session's position is already this one (its condor, quantity and expiry). */
  inUse: boolean;
  /** What using it replaces in the session: its hedges and journal entries (the trader is told before). */
  replaces: { hedges: number; journal: number };
}

/** What accepting the offer sets in the session (the position as state.ts's PositionInput of kind 'strikes'). */
export interface PageOfferApply {
  position: {
    kind: 'strikes';
    strikes: [number, number, number, number];
    quantity: number;
    credit: number | null;
    allowUnlisted: true;
  };
  expiry: string;
  hedges: PositionHedge[];
}

const legName = (l: PageLeg) =>
  `${underlyingForRoot(l.root)} ${l.expiry} ${l.strike} ${l.kind} ${l.quantity > 0 ? '+' : ''}${l.quantity}`;

/** The offer for the page's legs on this chain; null without legs. `addedAt` stamps the held legs. */
export function pageOfferOf(
  found: PageLegs | null,
  chain: Chain,
  /** The session's position now (state.ts's PositionInput: only a condor given as strikes can be this one). */
  current: {
    position: { kind: string; strikes?: readonly number[]; quantity?: number };
    expiry: string | null;
    /** How many hedges and journal entries the session holds now (using the offer replaces them). */
    hedges?: number;
    journal?: number;
  },
  addedAt: string,
): { offer: PageOffer; apply: PageOfferApply | null } | null {
  if (!found || found.legs.length === 0) return null;
  const here = underlyingKey(chain.underlying.symbol);
  const dates = new Set(chain.expiries.map((e) => e.date));
  const notUsed: string[] = [];
  const legs: ImportedLeg[] = [];
  for (const l of found.legs) {
    const underlying = underlyingForRoot(l.root);
    if (underlyingKey(underlying) !== here) {
      notUsed.push(`${legName(l)}: another underlying than ${here}`);
      continue;
    }
    if (!dates.has(l.expiry)) {
      notUsed.push(`${legName(l)}: ${l.expiry} is not an expiry of this page's chain`);
      continue;
    }
    let occ: string;
    try {
      occ = formatOcc({ root: l.root, expiry: l.expiry, kind: l.kind, strike: l.strike });
    } catch (e) {
      notUsed.push(`${legName(l)}: ${e instanceof Error ? e.message : String(e)}`);
      continue;
    }
    legs.push({
      asset: 'option',
      occ,
      underlying,
      root: l.root,
      expiry: l.expiry,
      strike: l.strike,
      kind: l.kind,
      quantity: l.quantity,
      openPrice: l.openPrice,
      multiplier: 100,
      line: l.row,
    });
  }
  const positions = groupPositions(legs);
  const offer: PageOffer = {
    underlying: here,
    positions: positions.map((p) => p.name),
    legs: legs.length,
    condors: positions.filter((p) => splitCondor(p).ok).length,
    condor: null,
    besideLegs: 0,
    reason: null,
    notes: [],
    notUsed,
    rejected: found.rejected,
    inUse: false,
    replaces: { hedges: current.hedges ?? 0, journal: current.journal ?? 0 },
  };
  if (positions.length === 0) {
    offer.reason = `none of the page's legs is on ${here}'s expiries shown here`;
    return { offer, apply: null };
  }
  let picked = pickPosition(positions, chain.underlying.symbol);
  if (!picked.ok && picked.condors) {
    // Several condors: the largest is the position (then the earliest), the others are held beside it, said so.
    const size = (p: (typeof positions)[number]) => {
      const s = splitCondor(p);
      return s.ok ? s.core.quantity : 0;
    };
    const main = [...picked.condors].sort(
      (a, b) => size(b) - size(a) || (a.expiries[0] ?? '').localeCompare(b.expiries[0] ?? ''),
    )[0]!;
    picked = { ok: true, main, beside: positions.filter((p) => p !== main) };
    offer.notes.push(
      `${offer.condors} iron condors on ${here}: ${main.name} is the condor, the others are held beside it`,
    );
  }
  if (!picked.ok) {
    offer.reason = picked.reason;
    return { offer, apply: null };
  }
  const held = heldPosition(picked.main, picked.beside, { source: 'this page', besideFrom: 'this page', addedAt });
  if (!held.ok) {
    offer.reason = `${held.reason}. HedgeLens analyses a position around its iron condor`;
    return { offer, apply: null };
  }
  offer.condor = { expiry: held.core.expiry, ...held.condor };
  offer.besideLegs = held.hedges.reduce((n, h) => n + h.legs.length, 0);
  offer.notes.push(...held.notes);
  const p = current.position;
  offer.inUse =
    p.kind === 'strikes' &&
    current.expiry === held.core.expiry &&
    p.quantity === held.condor.quantity &&
    p.strikes !== undefined &&
    p.strikes.every((k, i) => k === held.condor.strikes[i]);
  return {
    offer,
    apply: {
      position: { kind: 'strikes', ...held.condor, allowUnlisted: true },
      expiry: held.core.expiry,
      hedges: held.hedges,
    },
  };
}
