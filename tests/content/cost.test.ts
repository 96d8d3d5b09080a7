import { describe, expect, it } from 'vitest';
import { createCostMeter } from '../../src/content/cost';

describe('the content script cost meter', () => {
  it('an update is its reading plus the later parts (answer, marks), counted once the next update begins', () => {
    const m = createCostMeter();
    expect(m.summary()).toBeNull();
    m.add(5); // nothing begun: not counted anywhere
    m.begin(1);
    m.add(0.5);
    m.add(0.25);
    expect(m.summary()).toBeNull(); // the first update is not complete yet
    m.begin(2);
    m.begin(3);
    expect(m.summary()).toEqual({ updates: 2, p50Ms: 2, p95Ms: 2, maxMs: 2 });
    for (let i = 0; i < 10; i++) m.begin(0); // ten more: the summary is taken again
    expect(m.summary()).toEqual({ updates: 12, p50Ms: 0, p95Ms: 3, maxMs: 3 });
  });

  it('keeps the last `size` updates only', () => {
    const m = createCostMeter(10);
    for (let i = 0; i < 100; i++) m.begin(i);
    expect(m.summary()).toMatchObject({ updates: 10, maxMs: 98, p50Ms: 94 });
    m.begin(100);
    expect(m.summary()).toMatchObject({ maxMs: 98 }); // one more update: the same summary until ten more
  });
});
