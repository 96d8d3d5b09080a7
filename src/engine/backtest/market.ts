/**
 * The backtest's market: the trader's history files (Cboe's SPX_History.csv and VIX_History.csv, optionally VIX3M,
 * VIX9D, VVIX and SKEW in the same DATE,OPEN,HIGH,LOW,CLOSE layout, and FRED's TB3MS for the T-bill rate) turned into
 * one `MarketDay` per session where both the SPX and the VIX closed.
 *
 * Strict, because a backtest on a silently repaired file is a backtest of something else: a bad line, a file out of
 * date order, a gap of more than MAX_GAP_DAYS calendar days inside the run, or fewer than MIN_DAYS common sessions is
 * refused with the file and the line (or dates) named. The files are read with the one Cboe history reader
 * (alvh/vixSeries.ts parseVixHistory); the rates with the one FRED reader (macro/fred.ts).
 */
import { daysApart } from '../../chain/calendar';
import type { FredSeries } from '../macro/fred';
import { parseVixHistory, TWO_DIGIT_YEARS, type VixBar } from '../alvh/vixSeries';
import { parseFredCsv } from '../macro/fred';
import { indexStepProblem, sameCloses, volIndexProblem, volLevelsProblem, type VolIndex } from '../historyChecks';
import type { MarketDay } from './model';

/** A gap longer than this between two sessions of a file inside the run is refused (Sept. 2001 closed 6 days). */
export const MAX_GAP_DAYS = 10;
/** Fewer common sessions than this (about a year) is too short to backtest monthly condors on. */
export const MIN_DAYS = 250;
/** The T-bill rate used without a rates file: 3 % a year (about the 1990–2026 mean of TB3MS, 2.7 %). */
export const DEFAULT_RATE = 0.03;

export class BacktestInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BacktestInputError';
  }
}

/** One history file as the trader gave it: a name for the messages and its text. */
export interface HistoryFile {
  name: string;
  text: string;
}

/**
 * A history already read (e.g. the closes the Options page imported and keeps in storage, read by the same reader):
 * date-sorted, one bar a date.
 */
export interface ParsedHistory {
  name: string;
  bars: readonly VixBar[];
}

export type HistorySource = HistoryFile | ParsedHistory;

export interface MarketInputs {
  spx: HistorySource;
  vix: HistorySource;
  /** Optional term indexes (Cboe layout). */
  vix3m?: HistorySource | null;
  vix9d?: HistorySource | null;
  vvix?: HistorySource | null;
  skew?: HistorySource | null;
  /** FRED TB3MS (monthly, percent); absent: DEFAULT_RATE. */
  rates?: HistoryFile | null;
  /** YYYY-MM-DD bounds of the run, inclusive (default: the whole overlap). */
  from?: string | null;
  to?: string | null;
  /** FRED series for the macro gauges (#21): with a dollar series the run adds ALVH with the macro gate. */
  macroSeries?: readonly FredSeries[] | null;
}

export interface Market {
  days: MarketDay[];
  /**
   * Every VIX bar up to the run's end (with VIX3M where known), from the file's first: the session's VIX history is
   * cut from it day by day, so the signals are warm on the run's first day.
   */
  vixBars: VixBar[];
  /** What the run had to leave out or assume, in words (sessions in one file only, the rate source). */
  notes: string[];
  rateSource: string;
  /** The macro series given (none: []). */
  macroSeries: readonly FredSeries[];
}

/**
 * A history file, strictly: any bad line refuses it. (Cboe's VVIX and SKEW files name their one value column after
 * the index, DATE,VVIX: the reader takes a lone value column as the close.)
 */
export function readCboe(file: HistorySource, what: string, notes?: string[]): readonly VixBar[] {
  if ('bars' in file) {
    for (let i = 1; i < file.bars.length; i++)
      if (!(file.bars[i]!.date > file.bars[i - 1]!.date))
        throw new BacktestInputError(
          `${what} ${file.name}: ${file.bars[i]!.date} is not after ${file.bars[i - 1]!.date}`,
        );
    if (file.bars.length === 0) throw new BacktestInputError(`${what} ${file.name}: no closes`);
    return file.bars;
  }
  const h = parseVixHistory({ text: file.text });
  const first = h.errors[0];
  if (first) {
    const where = first.line > 0 ? `line ${first.line}` : 'file';
    throw new BacktestInputError(
      `${what} ${file.name}, ${where}: ${first.reason}${h.errors.length > 1 ? ` (and ${h.errors.length - 1} more)` : ''}; expected Cboe's DATE,OPEN,HIGH,LOW,CLOSE layout or a date and a close as Yahoo, FRED or Nasdaq export them (MM/DD/YYYY, YYYY-MM-DD, "Jan 02, 2024" or MM/DD/YY dates)`,
    );
  }
  if (h.outOfOrder)
    throw new BacktestInputError(`${what} ${file.name}, line ${h.outOfOrder.line}: ${h.outOfOrder.reason}`);
  if (h.bars.length === 0) throw new BacktestInputError(`${what} ${file.name}: no closes in the file`);
  if (h.twoDigitYears && notes)
    notes.push(
      `${what} ${file.name}: its years have two digits (MM/DD/YY); they were read as ${TWO_DIGIT_YEARS.from}–${TWO_DIGIT_YEARS.to} (${h.bars[0]!.date} … ${h.bars[h.bars.length - 1]!.date})`,
    );
  if (h.noData && notes)
    notes.push(
      `${what} ${file.name}: ${h.noData} row(s) give no close ("." or "null", as FRED and Yahoo mark a day without one) and were skipped`,
    );
  return h.bars;
}

function checkGaps(bars: readonly VixBar[], from: string, to: string, what: string, name: string): void {
  let prev: string | null = null;
  for (const b of bars) {
    if (b.date < from) continue;
    if (b.date > to) break;
    const gap = prev === null ? 0 : daysApart(prev, b.date);
    if (gap > MAX_GAP_DAYS)
      throw new BacktestInputError(
        `${what} ${name}: no close from ${prev} to ${b.date} (${gap} days, more than ${MAX_GAP_DAYS}); the file has a hole in the run ${from} … ${to}`,
      );
    prev = b.date;
  }
}

/** TB3MS (percent, discount basis, monthly average) → a continuously compounded rate per calendar month. */
function monthlyRates(file: HistoryFile): Map<string, number> {
  const r = parseFredCsv(file.text, file.name);
  if (!r.ok) throw new BacktestInputError(`rates ${file.name}: ${r.reason}`);
  if (r.series.frequency !== 'monthly')
    throw new BacktestInputError(`rates ${file.name}: a ${r.series.frequency} series; expected FRED's monthly TB3MS`);
  const out = new Map<string, number>();
  for (const o of r.series.observations)
    if (o.value !== null && Number.isFinite(o.value)) out.set(o.date.slice(0, 7), Math.log(1 + o.value / 100));
  return out;
}

/** The month before a YYYY-MM-DD date, as YYYY-MM. */
function priorMonth(date: string): string {
  let y = Number(date.slice(0, 4));
  let m = Number(date.slice(5, 7)) - 1;
  if (m === 0) {
    m = 12;
    y -= 1;
  }
  return `${y}-${String(m).padStart(2, '0')}`;
}

/** The run's days: the sessions both the SPX and the VIX files close, inside [from, to]. Throws BacktestInputError. */
export function buildMarket(input: MarketInputs): Market {
  const notes: string[] = [];
  const spx = readCboe(input.spx, 'SPX history', notes);
  const vix = readCboe(input.vix, 'VIX history', notes);
  // Each file must be the series it is given as (historyChecks.ts): a swap or a file given twice is refused.
  if (sameCloses(spx, vix))
    throw new BacktestInputError(
      `the SPX history ${input.spx.name} and the VIX history ${input.vix.name} hold the same closes: the same file given twice?`,
    );
  const vixProblem = volIndexProblem(vix, 'VIX');
  if (vixProblem)
    throw new BacktestInputError(
      volIndexProblem(spx, 'VIX') === null
        ? `the two files look swapped: the VIX history ${input.vix.name} holds index levels and the SPX history ${input.spx.name} VIX levels. In the VIX history, ${vixProblem}`
        : `VIX history ${input.vix.name}: ${vixProblem}`,
    );
  const term = (f: HistorySource | null | undefined, id: VolIndex): Map<string, number> | null => {
    if (!f) return null;
    const bars = readCboe(f, `${id} history`, notes);
    const problem = volIndexProblem(bars, id);
    if (problem) throw new BacktestInputError(`${id} history ${f.name}: ${problem}`);
    return new Map(bars.map((b) => [b.date, b.close]));
  };
  const v3 = term(input.vix3m, 'VIX3M');
  const v9 = term(input.vix9d, 'VIX9D');
  const vv = term(input.vvix, 'VVIX');
  const sk = term(input.skew, 'SKEW');
  const overlapFrom = spx[0]!.date > vix[0]!.date ? spx[0]!.date : vix[0]!.date;
  const overlapTo =
    spx[spx.length - 1]!.date < vix[vix.length - 1]!.date ? spx[spx.length - 1]!.date : vix[vix.length - 1]!.date;
  const from = input.from && input.from > overlapFrom ? input.from : overlapFrom;
  const to = input.to && input.to < overlapTo ? input.to : overlapTo;
  if (from > to)
    throw new BacktestInputError(
      `the SPX history (${spx[0]!.date} … ${spx[spx.length - 1]!.date}) and the VIX history (${vix[0]!.date} … ${vix[vix.length - 1]!.date}) share no dates in ${input.from ?? 'the start'} … ${input.to ?? 'the end'}`,
    );
  checkGaps(spx, from, to, 'SPX history', input.spx.name);
  const step = volLevelsProblem(spx, from, to) ?? indexStepProblem(spx, from, to);
  if (step) throw new BacktestInputError(`SPX history ${input.spx.name}: ${step}`);
  checkGaps(vix, from, to, 'VIX history', input.vix.name);

  let rates: Map<string, number> | null = null;
  let rateSource = `no rates file: a constant ${(DEFAULT_RATE * 100).toFixed(1)} % a year`;
  if (input.rates) {
    rates = monthlyRates(input.rates);
    rateSource = `${input.rates.name}: the prior month's average (a monthly figure is known only after its month), continuously compounded`;
  }

  const spxInRun = spx.filter((b) => b.date >= from && b.date <= to);
  const spxBy = new Map(spxInRun.map((b) => [b.date, b.close]));
  const days: MarketDay[] = [];
  const vixBars: VixBar[] = [];
  let vixOnly = 0;
  let lastRate = DEFAULT_RATE;
  for (const b of vix) {
    if (b.date < from || b.date > to) continue;
    const s = spxBy.get(b.date);
    if (s === undefined) {
      vixOnly++;
      continue;
    }
    let rate = DEFAULT_RATE;
    if (rates) {
      const r = rates.get(priorMonth(b.date));
      if (r === undefined && days.length === 0)
        throw new BacktestInputError(
          `rates ${input.rates!.name}: no value for ${priorMonth(b.date)}, the month before the run starts`,
        );
      rate = r ?? lastRate; // a month not yet published: the last one known, said in the notes below
      lastRate = rate;
    }
    const v3c = v3?.get(b.date);
    days.push({
      date: b.date,
      spx: s,
      vix: b.close,
      vix9d: v9?.get(b.date) ?? null,
      vix3m: v3c ?? null,
      vvix: vv?.get(b.date) ?? null,
      skew: sk?.get(b.date) ?? null,
      rate,
    });
  }
  for (const b of vix) {
    if (b.date > to) break;
    const v3c = v3?.get(b.date);
    vixBars.push(v3c !== undefined ? { ...b, vix3m: v3c } : b);
  }
  const spxOnly = spxInRun.length - days.length;
  if (days.length < MIN_DAYS)
    throw new BacktestInputError(
      `only ${days.length} sessions with both an SPX and a VIX close in ${from} … ${to}; the backtest needs at least ${MIN_DAYS}`,
    );
  if (spxOnly > 0 || vixOnly > 0)
    notes.push(
      `${spxOnly} session(s) with an SPX close but no VIX close and ${vixOnly} with a VIX close but no SPX close were left out`,
    );
  if (rates) {
    const lastKnown = [...rates.keys()].sort().pop();
    if (lastKnown && priorMonth(to) > lastKnown)
      notes.push(`rates known to ${lastKnown}: later months use that last value`);
  }
  return { days, vixBars, notes, rateSource, macroSeries: input.macroSeries ?? [] };
}
