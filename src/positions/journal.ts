/**
 * The adjustment journal of a position: every add, roll, close and conversion with its fills, and the P/L that
 * follows from them. Pure.
 *
 * Conventions:
 * - A fill is a leg (types.ts) whose `quantity` is the trade's (+ bought, − sold) and whose `openPrice` is the
 *   price per share the trade was done at.
 * - Lots are matched first in, first out per contract (the OCC symbol; shares and futures by symbol). A trade
 *   against an open lot closes it (realised P/L); what is left opens a new lot.
 * - P/L of a lot = signed quantity × (exit or mark − fill) × multiplier. A short lot closed lower is a gain.
 * - P/L per adjustment belongs to the entry that opened the lot: what that adjustment has made so far, realised
 *   when closed, unrealised at the mark while open.
 * - A share or futures leg without a stated multiplier counts 1 per point (said in `notes`).
 */
import type { Leg } from './types';

export type JournalAction = 'open' | 'add' | 'roll' | 'close' | 'convert';

/**
 * What taking a plan ticket into the position is, in the journal's words: a time-shift roll (its legs close the
 * tested side and open it again elsewhere) is a roll, a butterfly or broken-wing conversion a conversion, anything
 * else a hedge added.
 */
export function actionOfStructure(structure: string): 'add' | 'roll' | 'convert' {
  if (structure.startsWith('roll-')) return 'roll';
  if (structure.endsWith('-conversion')) return 'convert';
  return 'add';
}

export interface JournalEntry {
  id: string;
  /** ISO 8601 UTC. */
  at: string;
  action: JournalAction;
  /** What was done, for the trader ("Put debit spread × 2"). */
  label: string;
  /** The trades, each a leg: quantity + bought / − sold, openPrice the fill per share. */
  fills: Leg[];
  /** The hedge of the overlay's position this entry opened or closed, when it came from one. */
  hedgeId?: string;
}

/** A fresh entry id for the journal: `j` and one more than the highest number used. */
export function journalId(journal: readonly JournalEntry[]): string {
  let n = 0;
  for (const e of journal) {
    const m = /^j(\d+)$/.exec(e.id);
    if (m) n = Math.max(n, Number(m[1]));
  }
  return `j${n + 1}`;
}

/** The identity of a contract: its OCC symbol, or the asset and symbol of shares and futures. */
export function contractKey(leg: Leg): string {
  return leg.asset === 'option' ? leg.occ : `${leg.asset}:${leg.symbol.toUpperCase()}`;
}

const multiplierOf = (leg: Leg): number => leg.multiplier ?? 1;

interface Lot {
  entryId: string;
  leg: Leg;
  /** Signed contracts still open. */
  quantity: number;
  price: number;
}

export interface LotBook {
  /** The lots still open, oldest first. */
  open: Lot[];
  /** Realised P/L by the entry that opened the lot, dollars. */
  realisedByEntry: Map<string, number>;
  notes: string[];
}

/** Replays the journal (in order) into open lots and realised P/L, first in first out per contract. */
export function replayJournal(journal: readonly JournalEntry[]): LotBook {
  const open: Lot[] = [];
  const realisedByEntry = new Map<string, number>();
  const notes = new Set<string>();
  for (const e of journal) {
    if (!realisedByEntry.has(e.id)) realisedByEntry.set(e.id, 0);
    for (const fill of e.fills) {
      if (fill.asset !== 'option' && fill.multiplier === null)
        notes.add(`${fill.symbol}: no multiplier stated, counted 1 per point`);
      const key = contractKey(fill);
      let left = fill.quantity;
      for (const lot of open) {
        if (left === 0) break;
        if (contractKey(lot.leg) !== key || Math.sign(lot.quantity) === Math.sign(left)) continue;
        // The trade closes (part of) this lot: as much as both have.
        const closed = Math.sign(lot.quantity) * Math.min(Math.abs(lot.quantity), Math.abs(left));
        const pnl = closed * (fill.openPrice - lot.price) * multiplierOf(lot.leg);
        realisedByEntry.set(lot.entryId, (realisedByEntry.get(lot.entryId) ?? 0) + pnl);
        lot.quantity -= closed;
        left += closed;
      }
      for (let i = open.length - 1; i >= 0; i--) if (open[i]!.quantity === 0) open.splice(i, 1);
      if (left !== 0) open.push({ entryId: e.id, leg: fill, quantity: left, price: fill.openPrice });
    }
  }
  return { open, realisedByEntry, notes: [...notes] };
}

/** The legs held after the journal: one per contract, net quantity, open price the average of its open lots. */
export function holdings(journal: readonly JournalEntry[]): Leg[] {
  const byKey = new Map<string, { leg: Leg; qty: number; cost: number }>();
  for (const lot of replayJournal(journal).open) {
    const key = contractKey(lot.leg);
    const h = byKey.get(key) ?? { leg: lot.leg, qty: 0, cost: 0 };
    h.qty += lot.quantity;
    h.cost += lot.quantity * lot.price;
    byKey.set(key, h);
  }
  return [...byKey.values()].map((h) => ({
    ...h.leg,
    quantity: h.qty,
    openPrice: Math.round((h.cost / h.qty) * 10_000) / 10_000,
  }));
}

export interface EntryPnl {
  id: string;
  realisedDollars: number;
  /** At the marks; null when a lot it holds has no mark. */
  unrealisedDollars: number | null;
}

export interface JournalPnl {
  realisedDollars: number;
  /** At the marks of the open lots; null when any open contract has no mark (listed in `unmarked`). */
  unrealisedDollars: number | null;
  entries: EntryPnl[];
  /** Open contracts without a mark. */
  unmarked: string[];
  notes: string[];
}

/**
 * Realised and unrealised P/L of a journal, per entry and in total. `markOf` gives a contract's price per share now
 * (null: not known).
 */
export function journalPnl(journal: readonly JournalEntry[], markOf: (leg: Leg) => number | null): JournalPnl {
  const book = replayJournal(journal);
  const unrealised = new Map<string, number | null>();
  const unmarked = new Set<string>();
  for (const lot of book.open) {
    const mark = markOf(lot.leg);
    const prev = unrealised.has(lot.entryId) ? unrealised.get(lot.entryId)! : 0;
    if (mark === null || !Number.isFinite(mark)) {
      unmarked.add(contractKey(lot.leg));
      unrealised.set(lot.entryId, null);
    } else if (prev !== null) {
      unrealised.set(lot.entryId, prev + lot.quantity * (mark - lot.price) * multiplierOf(lot.leg));
    }
  }
  const entries = journal.map((e) => ({
    id: e.id,
    realisedDollars: book.realisedByEntry.get(e.id) ?? 0,
    unrealisedDollars: unrealised.has(e.id) ? unrealised.get(e.id)! : 0,
  }));
  let realised = 0;
  let open: number | null = 0;
  for (const e of entries) {
    realised += e.realisedDollars;
    open = open === null || e.unrealisedDollars === null ? null : open + e.unrealisedDollars;
  }
  return { realisedDollars: realised, unrealisedDollars: open, entries, unmarked: [...unmarked], notes: book.notes };
}

/** What a trade of these fills cost, dollars: positive paid (debit), negative received (credit). */
export function fillsDollars(fills: readonly Leg[]): number {
  let sum = 0;
  for (const f of fills) sum += f.quantity * f.openPrice * multiplierOf(f);
  return sum;
}

/**
 * The fills moved so the trade's net price per unit is `netPerUnit` (positive debit, negative credit), `units`
 * being how many of the spread were traded. Every leg moves by the same amount per share in the direction of its
 * trade (a bought leg up, a sold leg down): c = (net·units − Σ q·p) / Σ|q|, so Σ q·(p + c·sign q) = net·units.
 * An error when that would put a leg's price below zero.
 */
export function withNetFill<L extends Leg>(
  fills: readonly L[],
  netPerUnit: number,
  units: number,
): { ok: true; fills: L[] } | { ok: false; reason: string } {
  if (!Number.isFinite(netPerUnit)) return { ok: false, reason: 'the fill is not a number' };
  if (!(units > 0)) return { ok: false, reason: 'the quantity must be positive' };
  let gross = 0;
  let now = 0;
  for (const f of fills) {
    gross += Math.abs(f.quantity);
    now += f.quantity * f.openPrice;
  }
  if (gross === 0) return { ok: false, reason: 'no legs to fill' };
  const c = (netPerUnit * units - now) / gross;
  const out = fills.map((f) => ({
    ...f,
    openPrice: Math.round((f.openPrice + c * Math.sign(f.quantity)) * 1e6) / 1e6,
  }));
  const bad = out.find((f) => f.openPrice < 0);
  if (bad)
    return {
      ok: false,
      reason: `a fill of ${netPerUnit.toFixed(2)} would price the ${bad.asset === 'option' ? `${bad.strike} ${bad.kind}` : bad.symbol} below zero`,
    };
  return { ok: true, fills: out };
}

/** The fills' net price per unit (positive debit, negative credit), per share. */
export function netPerUnit(fills: readonly Leg[], units: number): number {
  let now = 0;
  for (const f of fills) now += f.quantity * f.openPrice;
  return units > 0 ? now / units : 0;
}
