/**
 * A stored position as a format: its shape (versioned), the check every record passes on the way in and out, the
 * migration hook, and the record the overlay saves built from the session's state. Pure: no browser API.
 *
 * History
 *   v1 (current): name, underlying, expiries, legs held (src/positions/types Leg), the overlay's condor and hedges
 *   (to restore the session), the adjustment journal, and the marks last seen for each leg (so the portfolio can be
 *   valued away from the broker's page).
 * Adding v2: bump POSITION_VERSION, lift v1 in `migratePosition`, keep a v1 fixture in tests/storage/positions.test.ts.
 */
import { formatOcc } from '../chain/occ';
import type { Chain } from '../chain/types';
import { modelFor } from '../engine/analyze';
import { volAt } from '../engine/smile';
import { chainMid, type PositionHedge, type ReadyState, type SessionMeta } from '../engine/session';
import { holdings, withNetFill, type JournalEntry } from '../positions/journal';
import type { Leg, OptionLeg } from '../positions/types';
import { isRecord } from './json';
import type { SnapshotCondor } from './schema';

export const POSITION_VERSION = 1 as const;

/** The market a leg was last seen at: enough for leg.ts to value it away from the page. */
export interface LegMark {
  /** contractKey of the leg (positions/journal.ts). */
  contract: string;
  /** Mid per share when seen; null without a two-sided quote. */
  mark: number | null;
  /** Smile vol at the strike (fraction). */
  vol: number;
  /** Years to its expiry when seen. */
  years: number;
  rate: number;
  carry: number;
}

export interface PositionMarket {
  /** When the marks were seen (the chain's valuation instant), ISO 8601. */
  asOf: string;
  spot: number;
  multiplier: number;
  legs: LegMark[];
}

export interface StoredPosition {
  version: typeof POSITION_VERSION;
  id: string;
  name: string;
  underlying: string;
  /** Expiries of the option legs, sorted. */
  expiries: string[];
  /** 'overlay': kept from the overlay's session; 'import': read from a broker's file. */
  source: 'overlay' | 'import';
  /** The condor as the overlay held it (restored into the session); null for other positions. */
  condor: SnapshotCondor | null;
  /** The hedges added from tickets (the session's shape), restored with the condor. */
  hedges: PositionHedge[];
  journal: JournalEntry[];
  /** Every leg held now: the condor's and what the journal left open. */
  legs: Leg[];
  market: PositionMarket | null;
  createdAt: string;
  updatedAt: string;
}

export const POSITION_ID = /^[A-Za-z0-9_.-]{1,100}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const num = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const str = (v: unknown): v is string => typeof v === 'string';
const instant = (v: unknown): v is string => str(v) && /^\d{4}-\d{2}-\d{2}T/.test(v) && !Number.isNaN(Date.parse(v));

function legProblem(l: unknown, p: string): string | null {
  if (!isRecord(l)) return `${p}: not an object`;
  if (!num(l.quantity)) return `${p}.quantity: not a number`;
  if (!num(l.openPrice) || l.openPrice < 0) return `${p}.openPrice: not a price ≥ 0`;
  if (l.asset === 'option') {
    if (!str(l.occ) || !str(l.underlying) || !str(l.root)) return `${p}: occ, underlying and root must be text`;
    if (!str(l.expiry) || !DATE.test(l.expiry)) return `${p}.expiry: not YYYY-MM-DD`;
    if (!num(l.strike) || l.strike <= 0) return `${p}.strike: not a positive number`;
    if (l.kind !== 'call' && l.kind !== 'put') return `${p}.kind: not call or put`;
    if (!num(l.multiplier) || l.multiplier <= 0) return `${p}.multiplier: not a positive number`;
    return null;
  }
  if (l.asset === 'shares' || l.asset === 'future') {
    if (!str(l.symbol) || l.symbol === '') return `${p}.symbol: missing`;
    if (l.multiplier !== null && (!num(l.multiplier) || l.multiplier <= 0)) return `${p}.multiplier: not positive`;
    return null;
  }
  return `${p}.asset: not option, shares or future`;
}

function hedgeProblem(h: unknown, p: string): string | null {
  if (!isRecord(h)) return `${p}: not an object`;
  if (!str(h.id) || !str(h.ticketId) || !str(h.structure) || !num(h.quantity) || !instant(h.addedAt))
    return `${p}: id, ticketId, structure, quantity and addedAt are required`;
  if (!Array.isArray(h.legs) || h.legs.length === 0) return `${p}.legs: none`;
  for (const [i, l] of h.legs.entries()) {
    const q = `${p}.legs[${i}]`;
    if (!isRecord(l)) return `${q}: not an object`;
    if (!str(l.underlying) || !str(l.root) || (l.kind !== 'call' && l.kind !== 'put')) return `${q}: bad contract`;
    if (!num(l.strike) || !str(l.expiry) || !DATE.test(l.expiry)) return `${q}: bad strike or expiry`;
    if (!num(l.quantity) || l.quantity === 0 || !num(l.entryPrice) || l.entryPrice < 0)
      return `${q}: bad quantity or entry price`;
  }
  return null;
}

/** The first problem of a current-version record, as "path: reason", or null. */
export function positionProblem(v: unknown): string | null {
  if (!isRecord(v)) return 'not an object';
  if (v.version !== POSITION_VERSION) return `version: expected ${POSITION_VERSION}`;
  if (!str(v.id) || !POSITION_ID.test(v.id)) return 'id: not a position id';
  if (!str(v.name) || !str(v.underlying) || v.underlying === '') return 'name and underlying must be text';
  if (!Array.isArray(v.expiries) || !v.expiries.every((d) => str(d) && DATE.test(d))) return 'expiries: not dates';
  if (v.source !== 'overlay' && v.source !== 'import') return 'source: not overlay or import';
  if (v.condor !== null) {
    const c = v.condor;
    if (!isRecord(c) || !str(c.expiry) || !DATE.test(c.expiry)) return 'condor.expiry: not YYYY-MM-DD';
    if (!Array.isArray(c.strikes) || c.strikes.length !== 4 || !c.strikes.every(num)) return 'condor.strikes: not 4';
    const [a, b, d, e] = c.strikes as number[];
    if (!(a! < b! && b! <= d! && d! < e!)) return 'condor.strikes: not K1 < K2 ≤ K3 < K4';
    if (!num(c.quantity) || c.quantity <= 0) return 'condor.quantity: not positive';
    if (c.credit !== null && !num(c.credit)) return 'condor.credit: not a number';
  }
  if (!Array.isArray(v.hedges)) return 'hedges: not a list';
  for (const [i, h] of v.hedges.entries()) {
    const p = hedgeProblem(h, `hedges[${i}]`);
    if (p) return p;
  }
  if (!Array.isArray(v.journal)) return 'journal: not a list';
  for (const [i, e] of v.journal.entries()) {
    const p = `journal[${i}]`;
    if (!isRecord(e) || !str(e.id) || !instant(e.at) || !str(e.label)) return `${p}: id, at and label are required`;
    if (!['open', 'add', 'roll', 'close', 'convert'].includes(e.action as string)) return `${p}.action: unknown`;
    if (e.hedgeId !== undefined && !str(e.hedgeId)) return `${p}.hedgeId: not text`;
    if (!Array.isArray(e.fills)) return `${p}.fills: not a list`;
    for (const [j, f] of e.fills.entries()) {
      const q = legProblem(f, `${p}.fills[${j}]`);
      if (q) return q;
    }
  }
  if (!Array.isArray(v.legs)) return 'legs: not a list';
  for (const [i, l] of v.legs.entries()) {
    const q = legProblem(l, `legs[${i}]`);
    if (q) return q;
  }
  if (v.market !== null) {
    const m = v.market;
    if (!isRecord(m) || !instant(m.asOf) || !num(m.spot) || !num(m.multiplier) || !Array.isArray(m.legs))
      return 'market: asOf, spot, multiplier and legs are required';
    for (const [i, l] of m.legs.entries()) {
      if (!isRecord(l) || !str(l.contract) || !(l.mark === null || num(l.mark)))
        return `market.legs[${i}]: contract and mark are required`;
      if (!num(l.vol) || !num(l.years) || !num(l.rate) || !num(l.carry)) return `market.legs[${i}]: bad model`;
    }
  }
  if (!instant(v.createdAt) || !instant(v.updatedAt)) return 'createdAt and updatedAt must be ISO instants';
  return null;
}

export type MigrateResult = { ok: true; record: StoredPosition } | { ok: false; reason: string; newer: boolean };

/** Any stored version lifted to the current one and checked. There is one version so far. */
export function migratePosition(raw: unknown): MigrateResult {
  if (isRecord(raw) && num(raw.version) && raw.version > POSITION_VERSION)
    return { ok: false, reason: `written by a newer HedgeLens (version ${raw.version})`, newer: true };
  const p = positionProblem(raw);
  return p ? { ok: false, reason: p, newer: false } : { ok: true, record: raw as unknown as StoredPosition };
}

/** The id of the overlay's position for one underlying and the condor's expiry: one per pair. */
export function overlayPositionId(underlying: string, expiry: string): string {
  return `overlay-${underlying.toUpperCase().replace(/[^A-Z0-9]/g, '_')}-${expiry}`;
}

function occOf(root: string, expiry: string, kind: 'call' | 'put', strike: number): string {
  try {
    return formatOcc({ root, expiry, kind, strike });
  } catch {
    return `${root} ${expiry} ${strike} ${kind}`;
  }
}

/**
 * What the overlay keeps of its session: the condor the trader entered (or the suggested one once a hedge was added
 * to it), the hedges, the journal, every leg held and its marks now. Null when there is nothing of the trader's to
 * keep (the suggested condor and no adjustment) or no condor.
 */
export function overlayPosition(state: ReadyState<SessionMeta>, chain: Chain, at: Date): StoredPosition | null {
  const a = state.analysis;
  const risk = a?.condor ?? null;
  if (!a || !risk) return null;
  if (state.position.kind === 'suggested' && state.hedges.length === 0 && state.journal.length === 0) return null;
  const exp = a.expiries.find((e) => e.date === risk.expiry);
  const root = exp?.root ?? a.symbol;
  const mult = a.multiplier;
  // The condor's legs at the credit used: each leg's mid moved by one amount so the net is the credit (journal.ts).
  const condorLegs: OptionLeg[] = risk.legs.map((l) => ({
    asset: 'option',
    occ: occOf(root, risk.expiry, l.kind, l.strike),
    underlying: a.symbol,
    root,
    expiry: risk.expiry,
    strike: l.strike,
    kind: l.kind,
    quantity: l.side * risk.quantity,
    openPrice: Math.max(l.mid ?? 0, 0),
    multiplier: mult,
  }));
  const atCredit = withNetFill(condorLegs, -risk.creditUsed, risk.quantity);
  const legs: Leg[] = [...(atCredit.ok ? atCredit.fills : condorLegs), ...holdings(state.journal)];
  const marks: LegMark[] = [];
  for (const l of legs) {
    if (l.asset !== 'option' || l.underlying !== a.symbol) continue;
    const e = a.expiries.find((x) => x.date === l.expiry && (x.root ?? l.root) === l.root);
    const m = e ? modelFor(e, a.spot) : null;
    if (!m) continue;
    marks.push({
      contract: l.occ,
      mark: chainMid(chain, l),
      vol: volAt(m.smile, l.strike),
      years: m.years,
      rate: m.rate,
      carry: m.carry,
    });
  }
  const expiries = [...new Set(legs.flatMap((l) => (l.asset === 'option' ? [l.expiry] : [])))].sort();
  const now = state.valuedAt;
  return {
    version: POSITION_VERSION,
    id: overlayPositionId(a.symbol, risk.expiry),
    name: `${a.symbol} ${risk.expiry} iron condor${state.hedges.length > 0 ? ` + ${state.hedges.length} hedge${state.hedges.length === 1 ? '' : 's'}` : ''}`,
    underlying: a.symbol,
    expiries,
    source: 'overlay',
    condor: { expiry: risk.expiry, strikes: risk.strikes, quantity: risk.quantity, credit: risk.creditUsed },
    hedges: state.hedges,
    journal: state.journal,
    legs,
    market: a.spot === null ? null : { asOf: now, spot: a.spot, multiplier: mult, legs: marks },
    createdAt: at.toISOString(),
    updatedAt: at.toISOString(),
  };
}

/** What of a record the trader changed (the condor, hedges, journal): saved again only when this differs. */
export function positionContentKey(p: StoredPosition): string {
  return JSON.stringify([p.condor, p.hedges, p.journal]);
}
