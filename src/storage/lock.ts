/**
 * Serialises read-modify-write of one small storage value (settings, the VIX sightings list).
 * Web Locks are shared by every context of the extension's origin (popup, options, overlay frame, background);
 * where they are missing (Node, tests) an in-process queue keeps the writes of this context in order.
 * Snapshots do not need this: each lives under its own key.
 */
const queues = new Map<string, Promise<unknown>>();

interface LockManagerLike {
  request<T>(name: string, cb: () => Promise<T>): Promise<T>;
}

function webLocks(): LockManagerLike | null {
  const nav = (globalThis as { navigator?: { locks?: LockManagerLike } }).navigator;
  return nav?.locks && typeof nav.locks.request === 'function' ? nav.locks : null;
}

export function withLock<T>(name: string, fn: () => Promise<T>): Promise<T> {
  const locks = webLocks();
  if (locks) return locks.request(`hedgelens:${name}`, fn);
  const prev = queues.get(name) ?? Promise.resolve();
  const run = prev.then(fn, fn);
  const tail = run.catch(() => undefined);
  queues.set(name, tail);
  void tail.then(() => {
    if (queues.get(name) === tail) queues.delete(name);
  });
  return run;
}
