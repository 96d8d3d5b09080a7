/** Saving the overlay's current state as a snapshot (runs in the overlay frame, an extension page). */
import type { Remote } from 'comlink';
import type { EngineApi } from '../worker/engine';
import type { SaveReply } from '../messages';
import { createSnapshotStore } from '../storage/snapshots';

/**
 * `guard` wraps the one call to the engine: the frame passes one that ends the wait if the engine is restarted before
 * it answers (a terminated worker never answers, and a save must always end with a message).
 */
export async function saveCurrentSnapshot(
  engine: Remote<EngineApi>,
  guard: <T>(call: Promise<T>) => Promise<T> = (call) => call,
): Promise<SaveReply> {
  try {
    const input = await guard(engine.snapshotInput());
    if (!input) return { ok: false, message: 'Nothing to save yet: HedgeLens has not read a chain on this page.' };
    const result = await createSnapshotStore().saveSnapshot(input);
    if (!result.ok) return { ok: false, message: result.message };
    const s = result.summary;
    return {
      ok: true,
      id: result.id,
      label: `${s.underlying}${s.expiry ? ` ${s.expiry}` : ''}${s.condor ? ` · ${s.condor}` : ''}`,
      warning: result.usage.warning,
    };
  } catch (err) {
    return { ok: false, message: `The snapshot was not saved: ${err instanceof Error ? err.message : String(err)}` };
  }
}
