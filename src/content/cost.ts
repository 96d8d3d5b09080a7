/**
 * HedgeLens's own main-thread time on the broker's page, per chain update: the reading, sending it to the worker,
 * taking the answer, the row marks. Measured by the content script itself (performance.now, coarse to 0.1 ms in a
 * page, fine for a median of many), shown in the overlay's reading report and read by `npm run bench -- page`.
 */
import { COST_PARTS, type CostPart, type CostSummary } from '../messages';

export type { CostPart, CostSummary };
export { COST_PARTS };

export interface CostMeter {
  /**
   * A new update began, with the time of its first task (the previous update is complete): the reading, and the
   * parts of `ms` that were spent on something else (the send, made from within the reading's task).
   */
  begin(ms: number, within?: Partial<Record<CostPart, number>>): void;
  /** More time for the current update (the worker's answer, the marks, a send made later). */
  add(ms: number, part: CostPart): void;
  /** Over the completed updates, or null before one completed (sorted again every tenth update, not on each). */
  summary(): CostSummary | null;
}

interface Update {
  total: number;
  parts: Record<CostPart, number>;
}

export function createCostMeter(size = 200): CostMeter {
  const done: Update[] = [];
  let current: Update | null = null;
  let cached: CostSummary | null = null;
  let sinceSort = 0;
  return {
    begin(ms, within = {}) {
      if (current !== null) {
        done.push(current);
        if (done.length > size) done.shift();
        sinceSort++;
      }
      const parts = { read: 0, send: 0, answer: 0, marks: 0 };
      let rest = ms;
      for (const k of COST_PARTS) {
        const v = Math.min(rest, within[k] ?? 0);
        parts[k] = v;
        rest -= v;
      }
      // What was not said to be another part is the reading.
      parts.read += rest;
      current = { total: ms, parts };
    },
    add(ms, part) {
      if (current === null) return;
      current.total += ms;
      current.parts[part] += ms;
    },
    summary() {
      if (done.length === 0) return null;
      if (cached && sinceSort < 10) return cached;
      sinceSort = 0;
      const s = done.map((u) => u.total).sort((a, b) => a - b);
      const at = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
      const partsMs = { read: 0, send: 0, answer: 0, marks: 0 };
      for (const u of done) for (const k of COST_PARTS) partsMs[k] += u.parts[k] / done.length;
      const p95 = at(0.95);
      const slow = done.filter((u) => u.total >= p95);
      const slowPartsMs = { read: 0, send: 0, answer: 0, marks: 0 };
      for (const u of slow) for (const k of COST_PARTS) slowPartsMs[k] += u.parts[k] / slow.length;
      cached = { updates: s.length, p50Ms: at(0.5), p95Ms: p95, maxMs: s[s.length - 1]!, partsMs, slowPartsMs };
      return cached;
    },
  };
}

/**
 * The content script's meter: the reader's updates, with the time spent sending a reading to the worker told apart
 * from the reading itself. A send inside the reader's task (see readTask) is part of the time that task reports
 * (onFlush) and is only told apart from the reading; a later one (after the worker's answer, or a connect) is time
 * of its own. The first reading is not an update: its time is the load's (measured by the bench as such).
 */
export interface PageCost {
  /** The reader's task begins (`update`: an update, else the first reading) or ends (null). */
  readTask(kind: 'update' | 'first' | null): void;
  /** The reader finished an update that took `ms` in all (its onFlush). */
  flushed(ms: number): void;
  /** A reading was sent to the worker in `ms`. */
  sent(ms: number): void;
  /** More time for the current update (the worker's answer, the marks). */
  add(ms: number, part: CostPart): void;
  summary(): CostSummary | null;
}

export function createPageCost(meter: CostMeter = createCostMeter()): PageCost {
  let inReadTask: 'update' | 'first' | null = null;
  let sendInReadTask = 0;
  return {
    readTask(kind) {
      inReadTask = kind;
    },
    flushed(ms) {
      meter.begin(ms, { send: sendInReadTask });
      sendInReadTask = 0;
    },
    sent(ms) {
      if (inReadTask === 'update') sendInReadTask += ms;
      else if (inReadTask === null) meter.add(ms, 'send');
    },
    add: (ms, part) => meter.add(ms, part),
    summary: () => meter.summary(),
  };
}
