/**
 * The condor book (#15): the rules that open and close the condors, one shared run of them, and the legs a strategy
 * holds. Two presets:
 * - 'cndr' (index rules, like Cboe's CNDR): on each monthly expiry (the third Friday) open the next month's condor,
 *   short ≈0.20-delta put and call, long ≈0.05-delta wings, held to expiry.
 * - 'trader': when no condor is open, open the monthly expiry nearest 45 days, 16-delta shorts, 5-delta wings;
 *   close at 50 % of the credit taken in, or at 21 days left.
 * Sizing (stated): each trade sells riskFraction of the strategy's account at the condor's max loss, in fractional
 * condors (a fraction stands for the same share of a bigger account; the plan is shown the nearest whole number, at
 * least one). Every strategy holds the same condors; only their number and the hedges differ.
 */
import { monthlyExpiriesAfter } from './calendar';
import type { MarketDay } from './model';
import { halfSpread, MULTIPLIER, spxStrikeForDelta, spxValue, SPX_STRIKE_STEP, yearsTo, type Kind } from './pricing';

export type Preset = 'cndr' | 'trader';

export interface BookRules {
  preset: Preset;
  shortDelta: number;
  wingDelta: number;
  /** cndr: null (the next monthly after the entry day); trader: the target days to expiry. */
  targetDays: number | null;
  /** Close at this share of the credit kept (0.5), or null: hold to expiry. */
  profitTake: number | null;
  /** Close at this many calendar days left, or null. */
  exitDays: number | null;
}

export const PRESETS: Record<Preset, BookRules> = {
  cndr: { preset: 'cndr', shortDelta: 0.2, wingDelta: 0.05, targetDays: null, profitTake: null, exitDays: null },
  trader: { preset: 'trader', shortDelta: 0.16, wingDelta: 0.05, targetDays: 45, profitTake: 0.5, exitDays: 21 },
};

export interface Account {
  /** The stated account, dollars. */
  dollars: number;
  /** Share of the account a condor risks at its max loss. */
  riskFraction: number;
}

export const DEFAULT_ACCOUNT: Account = { dollars: 100_000, riskFraction: 0.1 };

/** Trading costs (from the rulebook: the plan's own fill assumption). */
export interface Costs {
  /** 0 = mid … 1 = natural. */
  fillFraction: number;
  commissionPerContract: number;
}

/** One option leg held: signed contracts, entry price per share. */
export interface BookLeg {
  under: 'SPX' | 'VIX';
  kind: Kind;
  strike: number;
  expiry: string;
  qty: number;
  entry: number;
}

export interface CondorTrade {
  opened: string;
  expiry: string;
  strikes: [number, number, number, number];
  /** Credit per condor at the fill less commissions, price units. */
  credit: number;
  /** Max loss per condor at expiry (the wider spread less the credit), dollars. */
  maxLossDollars: number;
  closed: string | null;
  /** Debit per condor paid to close, commissions included (0 at expiry worthless), price units. */
  exitDebit: number | null;
  why: string | null;
}

/** The fill of a trade of `qty` contracts (signed) at a mid: toward the natural price by the fill fraction. */
export function fillPrice(under: 'SPX' | 'VIX', mid: number, qty: number, costs: Costs): number {
  const h = halfSpread(under, mid);
  return Math.max(mid + Math.sign(qty) * costs.fillFraction * h, 0);
}

/**
 * Dollars received for closing a held leg at the day's close: at the fill toward the natural price, less commissions
 * (negative when closing costs money). Opening a leg of `qty` is closing one of −qty.
 */
export function legCloseFlow(day: MarketDay, l: BookLeg, costs: Costs): number {
  const q = -l.qty;
  const price = fillPrice('SPX', spxValue(day, l.kind, l.strike, l.expiry), q, costs);
  return -q * price * MULTIPLIER - Math.abs(q) * costs.commissionPerContract;
}

/** The condor's four legs, `q` condors (long put wing, short put, short call, long call wing). */
export function condorLegs(strikes: [number, number, number, number], expiry: string, q: number): BookLeg[] {
  const [lp, sp, sc, lc] = strikes;
  return [
    { under: 'SPX', kind: 'put', strike: lp, expiry, qty: q, entry: 0 },
    { under: 'SPX', kind: 'put', strike: sp, expiry, qty: -q, entry: 0 },
    { under: 'SPX', kind: 'call', strike: sc, expiry, qty: -q, entry: 0 },
    { under: 'SPX', kind: 'call', strike: lc, expiry, qty: q, entry: 0 },
  ];
}

/**
 * The shared run of the condor book, per condor (one unit): its trades and, per day, the cash flows of the trade
 * closed and the trade opened that day and the mark of the trade open at the close. A strategy scales each trade by
 * its own quantity (sized on its own account when the trade opens), so every strategy holds the same condors.
 */
export interface CondorBook {
  trades: CondorTrade[];
  /** Index of the trade closed (settled or managed) at this close, or −1; its cash flow per unit, dollars. */
  closedAt: Int32Array;
  closeFlow: Float64Array;
  /** Index of the trade opened at this close, or −1; its cash flow per unit (the credit less commissions), dollars. */
  openedAt: Int32Array;
  openFlow: Float64Array;
  /** The trade open at this close (after the day's closes and opens), or −1; its value per unit, dollars. */
  openAt: Int32Array;
  mark: Float64Array;
}

/** Condors a strategy sells on a trade: riskFraction of its account at the condor's max loss (fractional). */
export function condorQuantity(trade: CondorTrade, accountDollars: number, account: Account): number {
  return (Math.max(accountDollars, 0) * account.riskFraction) / Math.max(trade.maxLossDollars, 1);
}

/**
 * Run the condor rules over the days, one condor per trade. Decisions at a day's close use that close only (no
 * later bar): an expiry is settled at the close of the last session on or before it, at intrinsic.
 */
export function runCondorBook(days: readonly MarketDay[], rules: BookRules, costs: Costs): CondorBook {
  const n = days.length;
  const book: CondorBook = {
    trades: [],
    closedAt: new Int32Array(n).fill(-1),
    closeFlow: new Float64Array(n),
    openedAt: new Int32Array(n).fill(-1),
    openFlow: new Float64Array(n),
    openAt: new Int32Array(n).fill(-1),
    mark: new Float64Array(n),
  };
  const run: BookRun = { days, rules, costs, book, open: null };
  // (Each part of the day is a function of its own: the loop runs once, and a browser compiles small hot functions
  // once where it would compile the whole loop, twice, while it runs.)
  for (let i = 0; i < n; i++) {
    if (run.open) settleOrManage(run, i);
    if (!run.open) openCondor(run, i);
    if (run.open) markOpen(run, i);
  }
  return book;
}

interface BookRun {
  days: readonly MarketDay[];
  rules: BookRules;
  costs: Costs;
  book: CondorBook;
  /** The condor open after the day's closes and opens, with its legs (their entry prices). */
  open: { trade: CondorTrade; legs: BookLeg[] } | null;
}

const nextDate = (days: readonly MarketDay[], i: number): string | null =>
  i + 1 < days.length ? days[i + 1]!.date : null;

/** A leg's value per share when it settles at the day's close: its intrinsic value on the SPX or VIX close. */
export function settleValue(day: MarketDay, l: BookLeg): number {
  const s = l.under === 'SPX' ? day.spx : day.vix;
  return Math.max(l.kind === 'call' ? s - l.strike : l.strike - s, 0);
}

/** Opens (sign +1: the legs as held, their entry prices set) or closes (−1) the legs; the cash flow in dollars. */
function tradeLegs(day: MarketDay, legs: BookLeg[], sign: 1 | -1, costs: Costs): number {
  let flow = 0;
  for (const l of legs) {
    const closing = sign === 1 ? { ...l, qty: -l.qty } : l;
    flow += legCloseFlow(day, closing, costs);
    if (sign === 1) l.entry = fillPrice('SPX', spxValue(day, l.kind, l.strike, l.expiry), l.qty, costs);
  }
  return flow;
}

/** The open condor at day i's close: settled at its expiry, or closed by the rules (profit take, days left). */
function settleOrManage(run: BookRun, i: number): void {
  const { days, rules, book } = run;
  const open = run.open!;
  const day = days[i]!;
  const next = nextDate(days, i);
  const t = open.trade;
  const settles = t.expiry <= day.date || (next !== null && t.expiry < next);
  let flow: number | null = null;
  if (settles) {
    let value = 0;
    for (const l of open.legs) value += l.qty * settleValue(day, l);
    flow = value * MULTIPLIER;
    t.why = 'expiry';
  } else {
    let debit = 0; // to buy it back, at the mid
    for (const l of open.legs) debit -= l.qty * spxValue(day, l.kind, l.strike, l.expiry);
    const left = yearsTo(day.date, t.expiry) * 365;
    const take = rules.profitTake !== null && debit <= t.credit * (1 - rules.profitTake);
    const time = rules.exitDays !== null && left <= rules.exitDays;
    if (take || time) {
      flow = tradeLegs(day, open.legs, -1, run.costs);
      t.why = take ? `${Math.round(rules.profitTake! * 100)} % of the credit kept` : `${rules.exitDays} days left`;
    }
  }
  if (flow !== null) {
    t.closed = day.date;
    t.exitDebit = -flow / MULTIPLIER;
    book.closedAt[i] = book.trades.length - 1;
    book.closeFlow[i] = flow;
    run.open = null;
  }
}

/** A new condor at day i's close when the rules open one today. */
function openCondor(run: BookRun, i: number): void {
  const { days, rules, book } = run;
  const day = days[i]!;
  const next = nextDate(days, i);
  const expiry = entryExpiry(day.date, rules);
  if (expiry === null || (next !== null && expiry < next)) return;
  const sp = spxStrikeForDelta(day, 'put', rules.shortDelta, expiry);
  const sc = spxStrikeForDelta(day, 'call', rules.shortDelta, expiry);
  const lp = Math.min(spxStrikeForDelta(day, 'put', rules.wingDelta, expiry), sp - SPX_STRIKE_STEP);
  const lc = Math.max(spxStrikeForDelta(day, 'call', rules.wingDelta, expiry), sc + SPX_STRIKE_STEP);
  const strikes: [number, number, number, number] = [lp, sp, sc, lc];
  const legs = condorLegs(strikes, expiry, 1);
  const flow = tradeLegs(day, legs, 1, run.costs);
  const credit = flow / MULTIPLIER;
  const t: CondorTrade = {
    opened: day.date,
    expiry,
    strikes,
    credit,
    maxLossDollars: Math.max(sp - lp, lc - sc) * MULTIPLIER - flow,
    closed: null,
    exitDebit: null,
    why: null,
  };
  book.trades.push(t);
  book.openedAt[i] = book.trades.length - 1;
  book.openFlow[i] = flow;
  run.open = { trade: t, legs };
}

/** The open condor's value per unit at day i's close, at the mid. */
function markOpen(run: BookRun, i: number): void {
  const { days, book } = run;
  const day = days[i]!;
  let mark = 0;
  for (const l of run.open!.legs) mark += l.qty * spxValue(day, l.kind, l.strike, l.expiry);
  book.openAt[i] = book.trades.length - 1;
  book.mark[i] = mark * MULTIPLIER;
}

/** The expiry a condor opened today would have, or null when the rules open none today. */
function entryExpiry(date: string, rules: BookRules): string | null {
  const monthlies = monthlyExpiriesAfter(date, 3);
  if (rules.targetDays === null) {
    // Index rules: open on the monthly expiry day itself (or the first session after it), the next monthly.
    const prev = monthlyExpiriesAfter(addMonths(date, -1), 1)[0]!;
    const daysSince = (Date.parse(`${date}T00:00:00Z`) - Date.parse(`${prev}T00:00:00Z`)) / 86_400_000;
    return prev <= date && daysSince <= 4 ? monthlies[0]! : null;
  }
  const target = rules.targetDays;
  let best = monthlies[0]!;
  for (const m of monthlies)
    if (Math.abs(yearsTo(date, m) * 365 - target) < Math.abs(yearsTo(date, best) * 365 - target)) best = m;
  return yearsTo(date, best) * 365 > (rules.exitDays ?? 0) + 7 ? best : null;
}

function addMonths(date: string, k: number): string {
  let y = Number(date.slice(0, 4));
  let m = Number(date.slice(5, 7)) + k;
  while (m < 1) {
    m += 12;
    y -= 1;
  }
  while (m > 12) {
    m -= 12;
    y += 1;
  }
  return `${y}-${String(m).padStart(2, '0')}-${date.slice(8, 10)}`;
}
