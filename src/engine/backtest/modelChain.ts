/**
 * The chain a backtest day shows the session: quotes made from the pricing models (pricing.ts), in the project's
 * Chain shape (src/chain/types.ts), so the live session and plan code read it as they read a broker's page. Small on
 * purpose (the plan is asked on decision days only, and its cost grows with the rows): the expiries the plan can
 * use and, per expiry, strikes from about −4 to +2.5 standard deviations on a grid of about a sixth of a standard
 * deviation (5 points at the least: the SPX grid), plus every strike the book holds. Open interest and volume are
 * unknown (null: the plan's liquidity rules on them are then not judged, as for a page that does not show them).
 */
import { CHAIN_VERSION, type Chain, type ChainRow, type Expiry, type Quote } from '../../chain/types';
import { monthlyExpiriesAfter, vixExpiriesAfter, weeklyExpiriesAfter } from './calendar';
import { spxVolModel, vixModel, type MarketDay } from './model';
import {
  halfSpread,
  SPX_STRIKE_STEP,
  spxPricingForward,
  spxStrike,
  vixStrike,
  yearsTo,
  type Underlying,
} from './pricing';

/** The instant of a day's close, as the session's clock: 16:00 New York is 20:00 or 21:00 UTC, same date. */
export const closeInstant = (date: string): Date => new Date(`${date}T21:00:00Z`);

/** Cents. (A function of its own, not a closure in quote: the CLI runs under tsx, which names every closure made.) */
const cents = (v: number): number => Math.round(v * 100) / 100;

function quote(under: Underlying, mid: number, iv: number, delta: number): Quote {
  const h = halfSpread(under, mid);
  const bid = Math.max(mid - h, 0);
  return {
    bid: cents(bid),
    ask: cents(Math.max(mid + h, 0.01)),
    last: null,
    volume: null,
    openInterest: null,
    iv,
    delta,
  };
}

function niceStep(x: number, min: number): number {
  if (!(x > min)) return min;
  const p = 10 ** Math.floor(Math.log10(x));
  const m = x / p;
  const nice = m < 1.5 ? 1 : m < 3.5 ? 2.5 : m < 7.5 ? 5 : 10;
  return Math.max(min, Math.round((nice * p) / min) * min);
}

/**
 * The SPX expiries the plan may use on a day: weeklies within LAYER_ONE_DAYS (Layer One's short-dated expiries,
 * since 2005), the next three monthlies (the condor's, the index put's about a month out, a later one).
 */
export function spxExpiriesFor(date: string, must: readonly string[] = [], layerOneDays = 21): string[] {
  const set = new Set([
    ...weeklyExpiriesAfter(date, layerOneDays),
    ...monthlyExpiriesAfter(date, 3),
    ...must.filter((d) => d > date),
  ]);
  return [...set].sort();
}

/**
 * Rows of one day's model chains, by root, expiry and strike: a row is a pure function of the day, its expiry and
 * strike, so the strategies asking the plan on the same day share them (dayChains). Only for one day.
 */
export interface RowMemo {
  /** Rows by expiry key ("SPX 2020-03-20") and strike. */
  rows: Map<string, Map<number, ChainRow>>;
  /**
   * An expiry's whole (frozen) rows by the strikes listed beyond its own grid (`SPX 2020-03-20 3150,3300`): chains
   * listing the same strikes share them, and their fits.
   */
  lists: Map<string, ChainRow[]>;
  /** An SPX expiry's own strike grid and the forward and smile its quotes are priced from, by date. */
  spxExpiries: Map<string, SpxExpiryGrid | null>;
}

/** What an SPX expiry of a day lists and is priced from, whatever strikes are held. */
interface SpxExpiryGrid {
  years: number;
  /** The grid's strikes, ascending. */
  strikes: number[];
  quotedFrom: NonNullable<Expiry['quotedFrom']>;
}

export const rowMemo = (): RowMemo => ({ rows: new Map(), lists: new Map(), spxExpiries: new Map() });

/**
 * The frozen rows of an expiry listing `strikes` (ascending): the same array for the same strikes in one memo.
 * `extra`: what tells this list from the expiry's own grid (the strikes added to it), its key in the memo.
 * Frozen: the session's fits of these rows are kept for the other questions of the day (engine/rowsMemo.ts).
 */
function rowsOf(
  memo: RowMemo | null,
  key: string,
  extra: string,
  strikes: readonly number[],
  row: (k: number) => ChainRow,
): ChainRow[] {
  if (!memo) return Object.freeze(strikes.map(row)) as ChainRow[];
  const listKey = `${key} ${extra}`;
  let rows = memo.lists.get(listKey);
  if (rows) return rows;
  let byStrike = memo.rows.get(key);
  if (!byStrike) memo.rows.set(key, (byStrike = new Map()));
  const out: ChainRow[] = new Array(strikes.length);
  for (let i = 0; i < strikes.length; i++) {
    const k = strikes[i]!;
    let r = byStrike.get(k);
    if (!r) byStrike.set(k, (r = row(k)));
    out[i] = r;
  }
  rows = Object.freeze(out) as ChainRow[];
  memo.lists.set(listKey, rows);
  return rows;
}

/**
 * A grid's strikes with `extra` added (ascending, each once), and the key of the addition: the extra strikes not
 * on the grid, ascending ("" when none).
 */
function withStrikes(
  grid: readonly number[],
  extra: readonly number[] | undefined,
): { strikes: readonly number[]; key: string } {
  if (!extra || extra.length === 0) return { strikes: grid, key: '' };
  const on = new Set(grid);
  const added = [...new Set(extra)].filter((k) => !on.has(k)).sort((a, b) => a - b);
  if (added.length === 0) return { strikes: grid, key: '' };
  return { strikes: [...grid, ...added].sort((a, b) => a - b), key: added.join(',') };
}

/** An SPX expiry's own strike grid on the day (null: expired) and what its quotes are priced from. */
function spxExpiryGrid(day: MarketDay, date: string): SpxExpiryGrid | null {
  const T = yearsTo(day.date, date);
  if (!(T > 0)) return null;
  const sd = day.spx * spxVolModel.vol(day, day.spx, T) * Math.sqrt(T);
  const step = niceStep(sd / 6, SPX_STRIKE_STEP);
  const strikes: number[] = [];
  const lo = Math.max(step, Math.floor((day.spx - 4 * sd) / step) * step);
  for (let k = lo; k <= day.spx + 2.5 * sd; k += step) strikes.push(k);
  // The forward and smile the quotes are priced from, stated with them: the session reads them, as it would fit
  // them back from these quotes (within their cent rounding: tests/backtest/model.test.ts).
  const forward = spxPricingForward(day, T);
  const quotedFrom = {
    forward,
    discount: Math.exp(-day.rate * T),
    rate: day.rate,
    svi: spxVolModel.svi(day, T, forward),
  };
  return { years: T, strikes, quotedFrom };
}

/** An SPX chain of model quotes for the day. `strikesByExpiry`: strikes that must be listed (the book's). */
export function spxModelChain(
  day: MarketDay,
  expiries: readonly string[],
  strikesByExpiry: ReadonlyMap<string, readonly number[]> = new Map(),
  memo: RowMemo | null = null,
): Chain {
  const out: Expiry[] = [];
  for (const date of expiries) {
    let grid = memo ? memo.spxExpiries.get(date) : undefined;
    if (grid === undefined) {
      grid = spxExpiryGrid(day, date);
      memo?.spxExpiries.set(date, grid);
    }
    if (!grid) continue;
    const T = grid.years;
    const listed = withStrikes(grid.strikes, strikesByExpiry.get(date));
    const rows = rowsOf(memo, `SPX ${date}`, listed.key, listed.strikes, (k) => {
      const s = spxStrike(day, k, T);
      return {
        strike: k,
        call: quote('SPX', s.call, s.vol, s.callDelta),
        put: quote('SPX', s.put, s.vol, s.putDelta),
      };
    });
    out.push(Object.freeze({ date, root: 'SPX', settlement: 'PM' as const, rows, quotedFrom: grid.quotedFrom }));
  }
  return {
    version: CHAIN_VERSION,
    underlying: { symbol: 'SPX', price: day.spx },
    asOf: closeInstant(day.date).toISOString(),
    source: { kind: 'manual', adapter: 'backtest-model', name: `model chain ${day.date}` },
    expiries: Object.freeze(out) as Expiry[],
    warnings: [],
  };
}

/** A VIX option chain of model quotes: the next three VIX expiries, strikes about 0.6× to 3× the future. */
export function vixModelChain(
  day: MarketDay,
  strikesByExpiry: ReadonlyMap<string, readonly number[]> = new Map(),
  memo: RowMemo | null = null,
  expiries: readonly string[] = vixExpiriesAfter(day.date, 3),
): Chain {
  const out: Expiry[] = [];
  for (const date of expiries) {
    const T = yearsTo(day.date, date);
    if (!(T > 0)) continue;
    const f = vixModel.future(day, T);
    const must = [...(strikesByExpiry.get(date) ?? [])]; // as asked now, whenever the rows are made
    const grid = (): number[] => {
      const step = f < 30 ? 1 : f < 60 ? 2.5 : 5;
      const strikes: number[] = [];
      for (let k = Math.max(step, Math.floor((0.6 * f) / step) * step); k <= 3 * f; k += step) strikes.push(k);
      return strikes;
    };
    const row = (k: number): ChainRow => {
      const s = vixStrike(day, k, T);
      return {
        strike: k,
        call: quote('VIX', s.call, s.vol, s.callDelta),
        put: quote('VIX', s.put, s.vol, s.callDelta - 1),
      };
    };
    // The rows are made when first read: the plan reads the one-month expiry's and those of the hedges held (the
    // futures come from quotedFrom); in the 1990–2026 run, 622 of 3,168 expiries' rows were ever read.
    let rows: ChainRow[] | null = null;
    const quotedFrom = { forward: f, discount: Math.exp(-day.rate * T), rate: day.rate };
    out.push(
      Object.freeze({
        date,
        root: 'VIX',
        settlement: 'PM' as const,
        get rows(): ChainRow[] {
          if (rows) return rows;
          const listed = withStrikes(grid(), must);
          return (rows = rowsOf(memo, `VIX ${date}`, listed.key, listed.strikes, row));
        },
        quotedFrom,
      }),
    );
  }
  return {
    version: CHAIN_VERSION,
    underlying: { symbol: 'VIX', price: day.vix },
    asOf: closeInstant(day.date).toISOString(),
    source: { kind: 'manual', adapter: 'backtest-model', name: `model VIX chain ${day.date}` },
    expiries: Object.freeze(out) as Expiry[],
    warnings: [],
  };
}

/**
 * One day's model chains, for every question asked that day: the same expiries and strikes give the same chain
 * object (so what the session derives from it once can be reused), and rows are made once per day.
 */
export interface DayChains {
  day: MarketDay;
  spxExpiries(must: readonly string[], layerOneDays: number): string[];
  spx(expiries: readonly string[], strikesByExpiry: ReadonlyMap<string, readonly number[]>): Chain;
  vix(strikesByExpiry: ReadonlyMap<string, readonly number[]>): Chain;
  /** The next `count` VIX expiries after the day. */
  vixExpiries(count: number): string[];
}

const strikesKey = (m: ReadonlyMap<string, readonly number[]>): string =>
  [...m]
    .map(([e, ks]) => `${e}:${[...new Set(ks)].sort((a, b) => a - b).join(',')}`)
    .sort()
    .join(';');

export function dayChains(day: MarketDay): DayChains {
  const rows = rowMemo();
  const chains = new Map<string, Chain>();
  const lists = new Map<string, string[]>();
  const list = (key: string, make: () => string[]) => {
    let v = lists.get(key);
    if (!v) lists.set(key, (v = make()));
    return [...v];
  };
  const chain = (key: string, make: () => Chain) => {
    let c = chains.get(key);
    if (!c) chains.set(key, (c = make()));
    return c;
  };
  const vixExpiries = (count: number) => list(`vix ${count}`, () => vixExpiriesAfter(day.date, count));
  return {
    day,
    spxExpiries: (must, layerOneDays) =>
      list(`spx ${layerOneDays} ${must.join(',')}`, () => spxExpiriesFor(day.date, must, layerOneDays)),
    spx: (expiries, strikesByExpiry) =>
      chain(`spx ${expiries.join(',')} ${strikesKey(strikesByExpiry)}`, () =>
        spxModelChain(day, expiries, strikesByExpiry, rows),
      ),
    vix: (strikesByExpiry) =>
      chain(`vix ${strikesKey(strikesByExpiry)}`, () => vixModelChain(day, strikesByExpiry, rows, vixExpiries(3))),
    vixExpiries,
  };
}
