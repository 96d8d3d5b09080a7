import { describe, expect, it } from 'vitest';
import { createCostMeter } from '../../src/content/cost';

describe('the content script cost meter', () => {
  it('an update is its reading plus the later parts (answer, marks), counted once the next update begins', () => {
    const m = createCostMeter();
    expect(m.summary()).toBeNull();
    m.add(5, 'answer'); // nothing begun: not counted anywhere
    m.begin(1);
    m.add(0.5, 'answer');
    m.add(0.25, 'marks');
    expect(m.summary()).toBeNull(); // the first update is not complete yet
    m.begin(2);
    m.begin(3);
    expect(m.summary()).toMatchObject({ updates: 2, p50Ms: 2, p95Ms: 2, maxMs: 2 });
    for (let i = 0; i < 10; i++) m.begin(0); // ten more: the summary is taken again
    expect(m.summary()).toMatchObject({ updates: 12, p50Ms: 0, p95Ms: 3, maxMs: 3 });
  });

  it('tells the parts apart: the send inside the reading task is not reading, later parts add to the total', () => {
    const m = createCostMeter();
    m.begin(1.5, { send: 0.5 }); // 1 ms reading, 0.5 ms sending, in one task
    m.add(0.2, 'answer');
    m.add(0.3, 'marks');
    m.add(0.4, 'send'); // a send made after the answer (a waiting reading)
    m.begin(2, { send: 5 }); // a part cannot be more than the task it was in
    m.begin(0);
    const s = m.summary()!;
    expect(s.updates).toBe(2);
    expect(s.maxMs).toBeCloseTo(2.4, 12);
    // Means over the two updates: (1 + 0) / 2 reading, (0.9 + 2) / 2 sending, 0.1 answer, 0.15 marks.
    expect(s.partsMs.read).toBeCloseTo(0.5, 12);
    expect(s.partsMs.send).toBeCloseTo(1.45, 12);
    expect(s.partsMs.answer).toBeCloseTo(0.1, 12);
    expect(s.partsMs.marks).toBeCloseTo(0.15, 12);
    // The slowest updates (at or above p95: here the first, 2.4 ms) by part: where a slow update's time went.
    expect(s.slowPartsMs!.read).toBeCloseTo(1, 12);
    expect(s.slowPartsMs!.send).toBeCloseTo(0.9, 12);
    expect(s.slowPartsMs!.answer).toBeCloseTo(0.2, 12);
    expect(s.slowPartsMs!.marks).toBeCloseTo(0.3, 12);
  });

  it('keeps the last `size` updates only', () => {
    const m = createCostMeter(10);
    for (let i = 0; i < 100; i++) m.begin(i);
    expect(m.summary()).toMatchObject({ updates: 10, maxMs: 98, p50Ms: 94 });
    m.begin(100);
    expect(m.summary()).toMatchObject({ maxMs: 98 }); // one more update: the same summary until ten more
  });
});
