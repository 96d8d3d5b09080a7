/**
 * Pure helpers of the snapshots page: what a saved analysis can still draw, list filters as a store query,
 * and labels. No browser API here (tests call these directly).
 */
import { modelFor } from '../../engine/analyze';
import { defaultPriceGrid, pnlCurve } from '../../engine/scenarios';
import type { CondorRisk, ExpectedMove, ExpiryAnalysis, PnlCurve, ScenarioGrid } from '../../engine/types';
import type { ListQuery, Snapshot, SnapshotSummary } from '../../storage/snapshots';

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isNumArray = (v: unknown): v is number[] => Array.isArray(v) && v.every(isNum);

/** What the read-only view can draw from a snapshot. Each panel is null with a reason when its data is missing. */
export interface SavedPanels {
  risk: CondorRisk | null;
  suggested: boolean;
  expectedMove: ExpectedMove | null;
  spot: number | null;
  curves: { at: PnlCurve; expiry: PnlCurve } | null;
  grid: ScenarioGrid | null;
  /** Sentences for the trader: why a panel is missing. */
  notes: string[];
}

/** The condor risk as the overlay needs it, or why the saved one cannot be shown. */
function riskOf(a: Record<string, unknown>): { risk: CondorRisk | null; note: string | null } {
  const c = a.condor;
  if (c === null || c === undefined) {
    const why = typeof a.condorReason === 'string' ? a.condorReason : 'none was analysed';
    return { risk: null, note: `No condor in this snapshot: ${why}.` };
  }
  if (!isObj(c)) return { risk: null, note: 'The saved condor risk is malformed.' };
  const strikes = c.strikes;
  const ok =
    isNumArray(strikes) &&
    strikes.length === 4 &&
    isObj(c.probability) &&
    isObj(c.greeks) &&
    isNum(c.quantity) &&
    isNum(c.multiplier) &&
    isNum(c.creditUsed) &&
    isNum(c.daysToExpiry) &&
    typeof c.expiry === 'string';
  if (!ok) return { risk: null, note: 'The saved condor risk lacks strikes, probabilities or greeks.' };
  return { risk: c as unknown as CondorRisk, note: null };
}

function gridOf(v: unknown): ScenarioGrid | null {
  if (!isObj(v)) return null;
  if (!isNumArray(v.moves) || !isNumArray(v.volShiftsPoints) || !Array.isArray(v.pnlDollars)) return null;
  if (v.moves.length === 0 || v.volShiftsPoints.length === 0) return null;
  if (v.pnlDollars.length !== v.volShiftsPoints.length) return null;
  if (!v.pnlDollars.every((row) => isNumArray(row) && row.length === (v.moves as number[]).length)) return null;
  if (!isNum(v.volShiftScale)) return null;
  return v as unknown as ScenarioGrid;
}

/** The saved chosen expiry (snapshots keep only that one), if it has what modelFor needs. */
function chosenExpiryOf(a: Record<string, unknown>): ExpiryAnalysis | null {
  const list = a.expiries;
  const i = a.chosenExpiry;
  if (!Array.isArray(list) || !Number.isInteger(i)) return null;
  const e: unknown = list[i as number];
  if (!isObj(e) || !isObj(e.forward) || !isNum(e.years) || !isObj(e.expectedMove)) return null;
  return e as unknown as ExpiryAnalysis;
}

/**
 * Rebuilds the overlay's panels from a snapshot's saved ChainAnalysis: the summary and the scenario grid as
 * saved, the P/L curves (now and at expiry) recomputed from the saved smile and forward — the same functions
 * the live overlay's worker uses, so a snapshot draws what the overlay drew.
 */
export function savedPanels(s: Snapshot): SavedPanels {
  const out: SavedPanels = {
    risk: null,
    suggested: false,
    expectedMove: null,
    spot: null,
    curves: null,
    grid: null,
    notes: [],
  };
  const a = s.analysis;
  if (!isObj(a)) {
    out.notes.push('This snapshot was saved without an analysis: only the chain and the condor were kept.');
    return out;
  }
  out.spot = isNum(a.spot) ? a.spot : null;
  out.suggested = a.condorSuggested === true;
  const { risk, note } = riskOf(a);
  out.risk = risk;
  if (note) out.notes.push(note);
  const chosen = chosenExpiryOf(a);
  out.expectedMove = chosen ? chosen.expectedMove : null;
  if (risk && chosen) {
    const model = modelFor(chosen, out.spot);
    if (model) {
      const legs = {
        strikes: risk.strikes,
        quantity: risk.quantity,
        multiplier: risk.multiplier,
        credit: risk.creditUsed,
      };
      const prices = defaultPriceGrid({ model, strikes: risk.strikes });
      out.curves = {
        at: pnlCurve({ model, legs, prices, daysForward: 0 }),
        expiry: pnlCurve({ model, legs, prices, daysForward: risk.daysToExpiry }),
      };
    } else {
      out.notes.push(`No P/L curve: the saved expiry ${chosen.date} has no smile or forward.`);
    }
  } else if (risk) {
    out.notes.push('No P/L curve: the saved analysis has no expiry model.');
  }
  out.grid = gridOf(a.grid);
  if (risk && !out.grid) out.notes.push('No scenario grid in this snapshot.');
  return out;
}

/** "Sep 25, 2025, 3:58 PM" in the trader's time zone. */
export function fmtSavedAt(iso: string, timeZone?: string): string {
  const t = Date.parse(iso);
  if (!Number.isFinite(t)) return iso;
  return new Date(t).toLocaleString('en-US', { dateStyle: 'medium', timeStyle: 'short', timeZone });
}

/** "SPY 2025-10-24 · 640/645/670/675 x1" */
export function summaryLabel(s: SnapshotSummary): string {
  return `${s.underlying}${s.expiry ? ` ${s.expiry}` : ''}${s.condor ? ` · ${s.condor}` : ''}`;
}

export interface Filters {
  text: string;
  underlying: string;
  expiry: string;
  /** YYYY-MM-DD (local day), '' for open. */
  from: string;
  to: string;
}

export const NO_FILTERS: Filters = { text: '', underlying: '', expiry: '', from: '', to: '' };

export function hasFilters(f: Filters): boolean {
  return f.text.trim() !== '' || f.underlying !== '' || f.expiry !== '' || f.from !== '' || f.to !== '';
}

/** Local midnight of a YYYY-MM-DD day (the date inputs speak the trader's calendar), or null. */
function localDay(day: string, endOfDay: boolean): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return null;
  const d = endOfDay
    ? new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]), 23, 59, 59, 999)
    : new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]), 0, 0, 0, 0);
  return Number.isFinite(d.getTime()) ? d : null;
}

/** The store query for the page's filters: both ends of the date range are inclusive days. */
export function toListQuery(f: Filters): ListQuery {
  const q: ListQuery = {};
  if (f.text.trim() !== '') q.query = f.text.trim();
  if (f.underlying !== '') q.underlying = f.underlying;
  if (f.expiry !== '') q.expiry = f.expiry;
  const from = f.from ? localDay(f.from, false) : null;
  const to = f.to ? localDay(f.to, true) : null;
  if (from) q.from = from;
  if (to) q.to = to;
  return q;
}

/** Choices for the filter menus, from every stored snapshot. */
export function filterChoices(items: SnapshotSummary[]): { underlyings: string[]; expiries: string[] } {
  const u = new Set<string>();
  const e = new Set<string>();
  for (const s of items) {
    u.add(s.underlying.toUpperCase());
    if (s.expiry) e.add(s.expiry);
    for (const x of s.expiries) e.add(x);
  }
  return { underlyings: [...u].sort(), expiries: [...e].sort() };
}

/** "hedgelens-snapshots-2026-03-14.json" (local date). */
export function exportFileName(ext: 'json' | 'csv', now: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `hedgelens-snapshots-${now.getFullYear()}-${p(now.getMonth() + 1)}-${p(now.getDate())}.${ext}`;
}
