/**
 * HedgeLens's own main-thread time on the broker's page, per chain update: the reading, sending it to the worker,
 * taking the answer, the row marks. Measured by the content script itself (performance.now, coarse to 0.1 ms in a
 * page, fine for a median of many), shown in the overlay's reading report and read by `npm run bench -- page`.
 */
export interface CostSummary {
  /** Updates measured (the last `size` at most). */
  updates: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
}

export interface CostMeter {
  /** A new update began, with the time of its first part (the previous update is complete). */
  begin(ms: number): void;
  /** More time for the current update (the worker's answer, the marks). */
  add(ms: number): void;
  /** Over the completed updates, or null before one completed (sorted again every tenth update, not on each). */
  summary(): CostSummary | null;
}

export function createCostMeter(size = 200): CostMeter {
  const done: number[] = [];
  let current: number | null = null;
  let cached: CostSummary | null = null;
  let sinceSort = 0;
  return {
    begin(ms) {
      if (current !== null) {
        done.push(current);
        if (done.length > size) done.shift();
        sinceSort++;
      }
      current = ms;
    },
    add(ms) {
      if (current !== null) current += ms;
    },
    summary() {
      if (done.length === 0) return null;
      if (cached && sinceSort < 10) return cached;
      sinceSort = 0;
      const s = [...done].sort((a, b) => a - b);
      const at = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
      cached = { updates: s.length, p50Ms: at(0.5), p95Ms: at(0.95), maxMs: s[s.length - 1]! };
      return cached;
    },
  };
}
