import { describe, expect, it } from 'vitest';
import { formatOcc } from '../../src/chain/occ';
import { spxwLeg } from '../helpers/positionLegs';
import {
  fillsDollars,
  holdings,
  journalPnl,
  netPerUnit,
  replayJournal,
  withNetFill,
  type JournalEntry,
} from '../../src/positions/journal';
import type { Leg, OptionLeg } from '../../src/positions/types';

const opt = (kind: 'put' | 'call', strike: number, quantity: number, price: number): OptionLeg =>
  spxwLeg('2026-04-17', kind, strike, quantity, price);

const entry = (id: string, action: JournalEntry['action'], fills: Leg[]): JournalEntry => ({
  id,
  at: '2026-04-01T15:00:00.000Z',
  action,
  label: id,
  fills,
});

describe('the adjustment journal', () => {
  // A put debit spread bought twice at 3.00 net (long 6300 at 5.00, short 6200 at 2.00), then half closed at
  // 4.50 net (6300 sold at 7.00, 6200 bought at 2.50).
  const add = entry('a', 'add', [opt('put', 6300, 2, 5), opt('put', 6200, -2, 2)]);
  const close = entry('c', 'close', [opt('put', 6300, -1, 7), opt('put', 6200, 1, 2.5)]);

  it('realises P/L first in, first out, on the entry that opened the lot', () => {
    const book = replayJournal([add, close]);
    // Long 6300: 1 × (7 − 5) × 100 = +200; short 6200: −1 × (2.5 − 2) × 100 = −50. Net +150 = (4.50 − 3.00) × 100.
    expect(book.realisedByEntry.get('a')).toBeCloseTo(150, 9);
    expect(book.realisedByEntry.get('c')).toBe(0);
    expect(book.open.map((l) => [l.leg.asset === 'option' ? l.leg.strike : null, l.quantity])).toEqual([
      [6300, 1],
      [6200, -1],
    ]);
  });

  it('holds what is left at its open price, and values it at the marks', () => {
    expect(holdings([add, close]).map((l) => [l.quantity, l.openPrice])).toEqual([
      [1, 5],
      [-1, 2],
    ]);
    const marks: Record<number, number> = { 6300: 6, 6200: 1 };
    const pnl = journalPnl([add, close], (l) => (l.asset === 'option' ? (marks[l.strike] ?? null) : null));
    expect(pnl.realisedDollars).toBeCloseTo(150, 9);
    // Open: +1 × (6 − 5) × 100 + (−1) × (1 − 2) × 100 = 200.
    expect(pnl.unrealisedDollars).toBeCloseTo(200, 9);
    expect(pnl.entries.find((e) => e.id === 'a')).toEqual({ id: 'a', realisedDollars: 150, unrealisedDollars: 200 });
  });

  it('says which contracts have no mark instead of guessing', () => {
    const pnl = journalPnl([add], (l) => (l.asset === 'option' && l.strike === 6300 ? 6 : null));
    expect(pnl.unrealisedDollars).toBeNull();
    expect(pnl.unmarked).toEqual([formatOcc({ root: 'SPXW', expiry: '2026-04-17', kind: 'put', strike: 6200 })]);
  });

  it('a roll closes one lot and opens another in one entry; averaging lots of one contract', () => {
    const roll = entry('r', 'roll', [opt('put', 6300, -2, 4), opt('put', 6250, 2, 3)]);
    const again = entry('b', 'add', [opt('put', 6250, 2, 1)]);
    const book = replayJournal([add, roll, again]);
    expect(book.realisedByEntry.get('a')).toBeCloseTo(2 * (4 - 5) * 100, 9);
    const held = holdings([add, roll, again]);
    const p6250 = held.find((l) => l.asset === 'option' && l.strike === 6250)!;
    expect(p6250.quantity).toBe(4);
    expect(p6250.openPrice).toBe(2); // (2 × 3 + 2 × 1) / 4
    expect(held.some((l) => l.asset === 'option' && l.strike === 6300)).toBe(false);
  });

  it('a trade larger than the lot closes it and opens the rest the other way', () => {
    const flip = entry('f', 'close', [opt('put', 6300, -3, 6)]);
    const book = replayJournal([entry('a', 'add', [opt('put', 6300, 2, 5)]), flip]);
    expect(book.realisedByEntry.get('a')).toBeCloseTo(200, 9);
    expect(book.open).toHaveLength(1);
    expect(book.open[0]).toMatchObject({ entryId: 'f', quantity: -1, price: 6 });
  });

  it('moves every leg by one amount to meet the net fill the trader entered', () => {
    const legs = [opt('put', 6300, 2, 5), opt('put', 6200, -2, 2)];
    expect(netPerUnit(legs, 2)).toBeCloseTo(3, 12);
    const r = withNetFill(legs, 3.4, 2);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    // c = (3.4 × 2 − 6) / 4 = 0.2: the bought leg 5.20, the sold one 1.80.
    expect(r.fills.map((f) => f.openPrice)).toEqual([5.2, 1.8]);
    expect(netPerUnit(r.fills, 2)).toBeCloseTo(3.4, 12);
    expect(fillsDollars(r.fills)).toBeCloseTo(680, 9);
    const bad = withNetFill(legs, 8, 2);
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.reason).toMatch(/6200 put below zero/);
    expect(withNetFill(legs, Number.NaN, 2).ok).toBe(false);
  });

  it('shares without a stated multiplier count 1 per point, and say so', () => {
    const sh: Leg = { asset: 'future', symbol: 'ES', quantity: 1, openPrice: 6000, multiplier: null };
    const pnl = journalPnl([entry('s', 'add', [sh])], () => 6010);
    expect(pnl.unrealisedDollars).toBe(10);
    expect(pnl.notes[0]).toMatch(/ES: no multiplier/);
  });
});
