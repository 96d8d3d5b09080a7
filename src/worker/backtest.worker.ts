/// <reference lib="webworker" />
/**
 * The P/L backtest's worker (#15): started by the Options page, so a 36-year run of six strategies never blocks the
 * page, and kept between its runs (the next finds the code compiled). Messages, one job at a time: the job in;
 * `progress` (at most every whole percent), then `done` or `error` out.
 */
import { runBacktestJob, type BacktestJob } from './backtestJob';

self.addEventListener('message', (ev: MessageEvent) => {
  let shown = -1;
  try {
    const result = runBacktestJob(ev.data as BacktestJob, (fraction) => {
      const pct = Math.floor(100 * fraction);
      if (pct === shown) return;
      shown = pct;
      self.postMessage({ kind: 'progress', fraction });
    });
    self.postMessage({ kind: 'done', result });
  } catch (err) {
    self.postMessage({ kind: 'error', message: err instanceof Error ? err.message : String(err) });
  }
});
