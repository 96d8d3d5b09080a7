/**
 * Keeps the overlay's position in storage (src/storage/positions.ts): restores it when the page's chain is first
 * read (same underlying, the condor's expiry on the chain) and saves it whenever the trader changes it — the condor
 * entered, a hedge added, closed or removed — and at most once a minute for fresh marks (the portfolio view values
 * the legs with them away from the page). The session stays the one holder of the position; this only copies it.
 */
import type { Remote } from 'comlink';
import type { EngineApi, FrameState } from '../worker/engine';
import { createPositionStore, type PositionStore } from '../storage/positions';

/** How old the stored marks may get while the page is open before they are saved again. */
const MARKS_EVERY_MS = 60_000;

export interface PositionSync {
  onState(state: FrameState): void;
  /** A new engine (worker restart): restore from storage again on its first state. */
  reset(engine: Remote<EngineApi>): void;
}

export function createPositionSync(
  first: Remote<EngineApi>,
  /** A sentence for the trader when the position could not be kept (quota, a refused write), or null when fine. */
  onProblem: (problem: string | null) => void,
  store: PositionStore = createPositionStore(),
  now: () => number = () => Date.now(),
): PositionSync {
  let engine = first;
  let restoredFor: string | null = null;
  let restoring = false;
  let lastKey: string | null = null;
  let lastSavedAt = 0;
  let createdAt: string | null = null;
  /** The stored record this page's position is kept under (restored or saved), if any. */
  let savedId: string | null = null;
  let saving = false;
  let pending: FrameState | null = null;

  const keyOf = (s: FrameState & { status: 'ready' }) =>
    JSON.stringify([s.position, s.analysis?.condor?.strikes ?? null, s.expiry, s.hedges, s.journal]);

  async function restore(s: FrameState & { status: 'ready' }) {
    restoring = true;
    try {
      const expiries = s.analysis?.expiries.map((e) => e.date) ?? [];
      const found = await store.findOverlayPosition(s.summary.symbol, expiries).catch(() => null);
      const risk = s.analysis?.condor ?? null;
      const untouched =
        s.hedges.length === 0 &&
        s.journal.length === 0 &&
        (s.position.kind === 'suggested' ||
          (found?.condor && risk && found.condor.strikes.every((k, i) => k === risk.strikes[i])));
      if (found?.condor && untouched) {
        createdAt = found.createdAt;
        savedId = found.id;
        await engine.restorePosition({
          position: {
            kind: 'strikes',
            strikes: found.condor.strikes,
            quantity: found.condor.quantity,
            credit: found.condor.credit,
            allowUnlisted: true,
          },
          expiry: found.condor.expiry,
          hedges: found.hedges,
          journal: found.journal,
          over: s.position,
        });
      }
    } finally {
      restoring = false;
    }
  }

  async function save(s: FrameState & { status: 'ready' }) {
    const key = keyOf(s);
    if (key === lastKey && now() - lastSavedAt < MARKS_EVERY_MS) return;
    if (s.positionError) return; // the analysis fell back to the suggested condor: not the trader's
    saving = true;
    try {
      const record = await engine.positionRecord(now());
      if (!record) {
        // Back to the suggested condor with no adjustment: nothing of the trader's is left to restore.
        if (savedId !== null) await store.deletePosition(savedId);
        savedId = null;
        lastKey = key;
        lastSavedAt = now();
        return;
      }
      if (savedId !== null && savedId !== record.id) createdAt = null; // another expiry: another position
      createdAt = createdAt ?? record.createdAt;
      const r = await store.savePosition({ ...record, createdAt });
      if (r.ok) savedId = record.id;
      lastKey = key;
      lastSavedAt = now();
      onProblem(r.ok ? r.warning : r.message);
    } catch (err) {
      onProblem(`Position not saved: ${err instanceof Error ? err.message : String(err)}.`);
    } finally {
      saving = false;
      const next = pending;
      pending = null;
      if (next) void step(next);
    }
  }

  async function step(s: FrameState) {
    if (s.status !== 'ready') return;
    if (restoredFor !== s.summary.symbol) {
      restoredFor = s.summary.symbol;
      lastKey = null;
      createdAt = null;
      savedId = null;
      await restore(s);
      return; // the restored state comes next
    }
    if (restoring) return;
    if (saving) {
      pending = s;
      return;
    }
    await save(s);
  }

  return {
    onState(s) {
      void step(s);
    },
    reset(next) {
      engine = next;
      restoredFor = null;
    },
  };
}
