/**
 * Time-shift rolls in the P/L backtest: ALVH takes the plan's Time-shift step when a short strike is breached (at most
 * once per condor trade), the other strategies never roll; the roll's legs are held beside the shared condor book, so
 * the strategy's account is the book plus the roll's legs, and the spread the roll closed contributes nothing at the
 * old expiry. On authored histories (always run) and on the real 2019–2020 histories of ../shared (skipped with a
 * message without them).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defaultRulebook } from '../../src/engine/alvh/rulebook';
import {
  ALVH_HEDGES_ONLY,
  buildMarket,
  PRESETS,
  runPnlBacktest,
  STRATEGIES,
  type BacktestReport,
  type StrategySpec,
} from '../../src/engine/backtest';
import { condorLegs, condorQuantity, DEFAULT_ACCOUNT, runCondorBook } from '../../src/engine/backtest/book';
import { optionValue, yearsTo } from '../../src/engine/backtest/pricing';
import { sharedFile } from '../helpers/shared';
import { authoredDays, authoredFiles } from './fixture';

const rulebook = defaultRulebook();
const costs = {
  fillFraction: rulebook.thresholds.fillSpreadFraction,
  commissionPerContract: rulebook.thresholds.commissionPerContractDollars,
};
/** ALVH without rolls: the same plan, the same Layer One and Second Engine picks, no Time-shift. */
const noRoll: StrategySpec = ALVH_HEDGES_ONLY;
const rollsOf = (r: BacktestReport, id: string) =>
  r.strategies.find((s) => s.id === id)!.tickets.filter((t) => t.layer === 'time-shift');

describe('time-shift rolls on authored histories', () => {
  const market = buildMarket(authoredFiles(authoredDays('2019-06-03', 400)));
  const r = runPnlBacktest({
    market,
    rulebook,
    book: PRESETS.cndr,
    strategies: [...STRATEGIES.map((s) => s.id), noRoll.id],
  });
  const book = runCondorBook(market.days, PRESETS.cndr, costs);
  const dates = market.days.map((d) => d.date);

  it('ALVH rolls, at most once per condor trade; the other strategies never do', () => {
    const rolls = rollsOf(r, 'alvh');
    expect(rolls.length).toBeGreaterThan(0);
    for (const t of rolls) expect(t.legs!.length).toBeGreaterThan(0);
    const trades = rolls.map((t) => book.openAt[dates.indexOf(t.date)]!);
    expect(trades.every((k) => k >= 0)).toBe(true);
    expect(new Set(trades).size).toBe(trades.length);
    for (const s of r.strategies.filter((x) => x.id !== 'alvh')) expect(rollsOf(r, s.id)).toHaveLength(0);
  });

  it('ALVH without its rolls runs only when named', () => {
    expect(r.strategies.map((s) => s.id)).toContain(noRoll.id);
    const byDefault = runPnlBacktest({ market, rulebook, book: PRESETS.cndr, strategies: undefined });
    expect(byDefault.strategies.map((s) => s.id)).not.toContain(noRoll.id);
    expect(byDefault.strategies.map((s) => s.id)).toEqual(STRATEGIES.map((s) => s.id));
  });

  it('equity is the book plus the roll legs; the closed legs cancel the condor at the old expiry', () => {
    const withRoll = r.strategies.find((s) => s.id === 'alvh')!;
    const without = r.strategies.find((s) => s.id === noRoll.id)!;
    const hedgeTickets = (s: typeof withRoll, to: string) =>
      JSON.stringify(s.tickets.filter((t) => t.layer !== 'time-shift' && t.date <= to));
    const rolls = rollsOf(r, 'alvh');
    let checked = 0;
    let closed = 0;
    for (const [n, roll] of rolls.entries()) {
      const start = dates.indexOf(roll.date);
      const k = book.openAt[start]!;
      const trade = book.trades[k]!;
      const end = dates.findIndex((d) => d >= trade.expiry);
      // The legs the roll closes are the condor's own legs on that trade, opposite in sign, the whole quantity: at
      // the old expiry they settle against the condor's and leave nothing.
      const unit = condorLegs(trade.strikes, trade.expiry, 1);
      const closing = roll.legs!.filter((l) =>
        unit.some((u) => u.expiry === l.expiry && u.kind === l.kind && u.strike === l.strike && u.qty * l.qty < 0),
      );
      for (const l of closing) expect(Math.abs(l.qty)).toBeCloseTo(roll.quantity, 2);
      closed += closing.length;
      // The account identity, where the two accounts hold the same hedges up to the old expiry and no earlier roll
      // leg is still held: from the close before the roll the difference moves by the roll's net cost, its legs'
      // value (intrinsic at expiry), the interest on the difference, and the condors' marks times the difference
      // in their number (each account sizes its condors on itself).
      if (end < 0 || hedgeTickets(withRoll, dates[end]!) !== hedgeTickets(without, dates[end]!)) continue;
      if (rolls.slice(0, n).some((x) => x.legs!.some((l) => l.expiry >= dates[start - 1]!))) continue;
      const size = (j: number, s: typeof withRoll) =>
        condorQuantity(book.trades[j]!, s.equity[dates.indexOf(book.trades[j]!.opened) - 1]!, DEFAULT_ACCOUNT);
      const diff = (j: number) => withRoll.equity[j]! - without.equity[j]!;
      const sizeDiff = (j: number) => size(j, withRoll) - size(j, without);
      const condors = (i: number) => {
        // The condors' part of the difference at close i, measured from the close before the roll.
        let v = book.openAt[i] === k ? sizeDiff(k) * book.mark[i]! : 0;
        if (book.closedAt[i] === k) v += sizeDiff(k) * book.closeFlow[i]!;
        const o = book.openedAt[i]!;
        if (o >= 0 && o !== k) v += sizeDiff(o) * (book.openFlow[i]! + book.mark[i]!);
        return v - sizeDiff(k) * book.mark[start - 1]!;
      };
      let interest = 0;
      for (let i = start; i <= end; i++) {
        const day = market.days[i]!;
        interest += diff(i - 1) * (Math.exp(day.rate * yearsTo(dates[i - 1]!, day.date)) - 1);
        let legs = 0;
        for (const l of roll.legs!) legs += l.qty * optionValue(day, 'SPX', l.kind, l.strike, l.expiry) * 100;
        expect(diff(i) - diff(start - 1)).toBeCloseTo(-roll.costDollars + legs + interest + condors(i), 0);
      }
      checked++;
    }
    expect(checked).toBeGreaterThan(1);
    expect(closed).toBeGreaterThan(0);
  });

  it('gives the same rolls, byte for byte, for the same inputs', () => {
    const again = runPnlBacktest({ market, rulebook, book: PRESETS.cndr, strategies: ['alvh'] });
    expect(JSON.stringify(rollsOf(again, 'alvh'))).toBe(JSON.stringify(rollsOf(r, 'alvh')));
    expect(again.strategies[0]!.equity).toEqual(r.strategies.find((s) => s.id === 'alvh')!.equity);
  });

  it('a trader-preset trade closed early leaves no roll leg on the old expiry: only the later legs move the account', () => {
    const t = runPnlBacktest({
      market,
      rulebook,
      book: PRESETS.trader,
      strategies: ['alvh', noRoll.id],
    });
    const tb = runCondorBook(market.days, PRESETS.trader, costs);
    const [withRoll, without] = t.strategies;
    const roll = rollsOf(t, 'alvh')[0]!;
    const start = dates.indexOf(roll.date);
    expect(withRoll!.equity.slice(0, start)).toEqual(without!.equity.slice(0, start));
    const trade = tb.trades[tb.openAt[start]!]!;
    // The authored crash makes the trader's book close this trade early (21 days left or the profit take).
    expect(trade.why).not.toBe('expiry');
    const c = dates.indexOf(trade.closed!);
    const oldEnd = dates.findIndex((d) => d >= trade.expiry);
    const later = roll.legs!.filter((l) => l.expiry > trade.expiry);
    const diff = (j: number) => withRoll!.equity[j]! - without!.equity[j]!;
    // The next trade, opened at the close on both accounts, sized on each: its mark moves the difference too.
    const next = tb.openedAt[c]!;
    const sizes =
      next >= 0
        ? condorQuantity(tb.trades[next]!, withRoll!.equity[c - 1]!, DEFAULT_ACCOUNT) -
          condorQuantity(tb.trades[next]!, without!.equity[c - 1]!, DEFAULT_ACCOUNT)
        : 0;
    const value = (i: number) =>
      later.reduce((v, l) => v + l.qty * optionValue(market.days[i]!, 'SPX', l.kind, l.strike, l.expiry) * 100, 0) +
      (next >= 0 && tb.openAt[i] === next ? sizes * tb.mark[i]! : 0);
    let interest = 0;
    let checked = 0;
    for (let i = c + 1; i <= oldEnd; i++) {
      const day = market.days[i]!;
      if ([withRoll!, without!].some((s) => s.tickets.some((x) => x.date > dates[c]! && x.date <= day.date))) break;
      if (tb.openAt[i] !== next) break;
      interest += diff(i - 1) * (Math.exp(day.rate * yearsTo(dates[i - 1]!, day.date)) - 1);
      expect(diff(i) - diff(c)).toBeCloseTo(value(i) - value(c) + interest, 0);
      checked++;
    }
    expect(checked).toBeGreaterThan(0);
  });
});

const spxPath = sharedFile('data/spx/SPX_History.csv');
const vixPath = sharedFile('data/vix/VIX_History.csv');
describe.skipIf(spxPath === null || vixPath === null)('time-shift rolls on the real 2020 crash (../shared)', () => {
  it('ALVH rolls a breached condor in Feb–Mar 2020; SPX puts only does not; the same bytes twice', () => {
    const market = () =>
      buildMarket({
        spx: { name: 'SPX_History.csv', text: readFileSync(spxPath!, 'utf8') },
        vix: { name: 'VIX_History.csv', text: readFileSync(vixPath!, 'utf8') },
        from: '2019-06-01',
        to: '2020-06-30',
      });
    const run = () =>
      runPnlBacktest({ market: market(), rulebook, book: PRESETS.cndr, strategies: ['alvh', 'spx-puts'] });
    const a = run();
    const rolls = rollsOf(a, 'alvh');
    expect(rolls.some((t) => t.date >= '2020-02-20' && t.date <= '2020-03-31')).toBe(true);
    expect(rollsOf(a, 'spx-puts')).toHaveLength(0);
    expect(JSON.stringify(run())).toBe(JSON.stringify(a));
  }, 300_000);
});
