/**
 * The engine's Web Worker, started by the overlay frame (the one place a worker can start under a strict page CSP:
 * DESIGN.md §1). One home for its URL: the frame's entry starts the first before the panel's code has loaded
 * (entrypoints/overlay/main.tsx), and the frame starts a fresh one when it restarts a crashed or hung engine.
 */
export function newEngineWorker(): Worker {
  return new Worker(new URL('../worker/engine.worker.ts', import.meta.url), { type: 'module' });
}
