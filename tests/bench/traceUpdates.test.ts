/**
 * perUpdateFromTrace (tests/fixtures/live/measure.ts): the page bench's thread time per update, from Chromium's
 * FunctionCall events. A made-up trace with two ticks' worth of callbacks, a nested call, another thread and
 * another extension.
 */
import { describe, expect, it } from 'vitest';
import { perUpdateFromTrace } from '../fixtures/live/measure';

const ID = 'abcdefghijklmnop';
const call = (ts: number, dur: number, tdur: number, url: string, tid = 1) => ({
  name: 'FunctionCall',
  ph: 'X',
  pid: 7,
  tid,
  ts,
  dur,
  tdur,
  args: { data: { url } },
});
const ours = `chrome-extension://${ID}/content-scripts/content.js`;
const tick = 'http://127.0.0.1:1/live/ticker.js';

describe('perUpdateFromTrace', () => {
  it('sums HedgeLens callbacks on the main thread from one tick to the next, nested calls once', () => {
    const events = [
      call(1_000, 500, 480, tick),
      call(2_000, 2_000, 1_500, ours), // the update: 2 ms wall, 1.5 ms on a core
      call(2_100, 300, 300, ours), // nested in the one above: not counted again
      call(5_000, 400, 400, ours), // the answer, same interval
      call(3_000, 9_000, 9_000, `chrome-extension://${'x'.repeat(16)}/content.js`), // another extension
      call(3_000, 7_000, 7_000, ours, 2), // another thread (the worker's): not the page's main thread
      ...[10_000, 20_000, 30_000, 40_000, 50_000, 60_000].map((t) => call(t, 100, 100, ours, 3)), // the frame's, busier
      call(101_000, 500, 480, tick),
      call(102_000, 1_000, 1_000, ours),
      call(201_000, 500, 480, tick),
      call(202_000, 1_000, 1_000, ours), // after the last tick: left out
    ];
    const r = perUpdateFromTrace(events, ID, '/live/ticker.js');
    expect(r.wall).toEqual([2.4, 1]);
    expect(r.thread).toEqual([1.9, 1]);
  });

  it('gives nothing when the trace holds none of its callbacks', () => {
    expect(perUpdateFromTrace([call(1_000, 500, 480, tick)], ID, '/live/ticker.js')).toEqual({ wall: [], thread: [] });
  });
});
