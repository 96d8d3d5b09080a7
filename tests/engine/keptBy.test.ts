/** keptBy: answers kept by key, at most `limit` of them, and nothing kept for a key whose answer throws. */
import { describe, expect, it } from 'vitest';
import { keptBy } from '../../src/engine/keptBy';

describe('keptBy', () => {
  it('makes each answer once while it is kept, and again once the kept answers were let go', () => {
    const made: number[] = [];
    const square = keptBy(3, (n: number) => {
      made.push(n);
      return n * n;
    });
    expect([square(2), square(3), square(2), square(4), square(3)]).toEqual([4, 9, 4, 16, 9]);
    expect(made).toEqual([2, 3, 4]);
    // A fourth key with three kept: they are let go, the new one kept.
    expect(square(5)).toBe(25);
    expect(square(5)).toBe(25);
    expect(square(2)).toBe(4);
    expect(made).toEqual([2, 3, 4, 5, 2]);
  });

  it('keeps an answer of null or undefined as an answer', () => {
    let calls = 0;
    const none = keptBy(4, (_k: string) => {
      calls++;
      return undefined;
    });
    none('a');
    none('a');
    expect(calls).toBe(1);
  });

  it('keeps nothing for a key whose answer throws: it throws again', () => {
    let calls = 0;
    const parse = keptBy(4, (s: string) => {
      calls++;
      if (s === 'bad') throw new Error('not a number');
      return Number(s);
    });
    expect(() => parse('bad')).toThrow('not a number');
    expect(() => parse('bad')).toThrow('not a number');
    expect(calls).toBe(2);
    expect(parse('7')).toBe(7);
  });
});
