/**
 * The VIX series: Cboe's VIX_History.csv (DATE,OPEN,HIGH,LOW,CLOSE with MM/DD/YYYY dates, daily since 1990; the one
 * reader of every daily index history, the S&P 500's too, in the layouts other sites export as well: parseVixHistory)
 * plus the time-stamped VIX sightings the page reader collects. Indicators run on the closes with today's live value
 * appended.
 *
 * Bad lines are counted and reported, never fatal: a user's file is not ours.
 */
import { nyWallClock } from '../../chain/calendar';
import { monthOf, validDate } from '../../chain/dates';
import { keptBy } from '../keptBy';

export interface VixBar {
  /** YYYY-MM-DD. */
  date: string;
  open: number | null;
  high: number | null;
  low: number | null;
  close: number;
  /** The 3-month VIX (VIX3M) close of the same day, when a VIX3M series was given (attachVix3m). */
  vix3m?: number;
}

export interface LineError {
  /** 1-based line number in the file. */
  line: number;
  reason: string;
}

export interface VixHistory {
  bars: VixBar[];
  errors: LineError[];
  /**
   * The first line whose date comes before the line above it (the bars are returned sorted all the same); null when
   * the file is in date order. A reader that must not guess (the backtest) refuses such a file.
   */
  outOfOrder?: LineError | null;
  /** Its dates are MM/DD/YY: the years were placed in TWO_DIGIT_YEARS (absent: four-digit years). */
  twoDigitYears?: boolean;
  /** The file lists its dates newest first throughout (Nasdaq's and Investing.com's exports); bars are sorted. */
  newestFirst?: boolean;
  /**
   * Rows whose every value says "no observation" ("." in FRED's files, "null" in Yahoo's, empty in pandas'): the day
   * has no close, and the row is neither a bar nor a bad line. Counted here (absent: none).
   */
  noData?: number;
}

export interface VixSighting {
  /** ISO 8601 instant the value was seen. */
  at: string;
  value: number;
  /** Where it was seen: an adapter name, 'manual', … */
  source: string;
}

/** One point of the series the indicators run on. */
export interface VixPoint {
  date: string;
  close: number;
  /** 'history' for a file close, 'live' for the latest sighting of a day the history does not cover yet. */
  kind: 'history' | 'live';
  /** For live points: the sighting's instant and source. */
  at?: string;
  source?: string;
  /** The VIX3M close of that day (history points with a VIX3M series only). */
  vix3m?: number;
}

const MAX_ERRORS_KEPT = 200;

/**
 * How a history file writes its dates: Cboe's MM/DD/YYYY (also Nasdaq's, MarketWatch's and Investing.com's exports),
 * ISO YYYY-MM-DD (Yahoo's, yfinance's, Stooq's, FRED's, the finance-vix dataset's; also written YYYY/MM/DD, YYYY.MM.DD
 * or YYYYMMDD, year first, which no one writes day before month), or the month by name ("Jan 02,
 * 2024", "2-Jan-2024": Investing.com's older exports, spreadsheets). All three are unambiguous; DD/MM/YYYY is not read
 * (it cannot be told from MM/DD/YYYY on 12 days a month). MM/DD/YY (the Wall Street Journal's export) is read with its
 * years in TWO_DIGIT_YEARS, as spreadsheets place them, and the history says so (VixHistory.twoDigitYears): a file
 * crossing the window's edge comes out of date order, which is refused, never silently misread. A time after the date (yfinance writes
 * "2024-01-02 00:00:00-05:00", a spreadsheet "1/2/2024 16:00:00") is the day's stamp: the date is read as written. A
 * file keeps to one format: the first data line decides, and a line written another way is reported, not read.
 */
export type HistoryDates = 'us' | 'iso' | 'named' | 'us-short';

/** The century window of a two-digit year: 50–99 are 1950–1999, 00–49 are 2000–2049. */
export const TWO_DIGIT_YEARS = { from: 1950, to: 2049 } as const;

const US_DATE = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/;
const US_SHORT_DATE = /^(\d{1,2})\/(\d{1,2})\/(\d{2})$/;
const ISO_DATE = /^(\d{4})(?:-(\d{2})-(\d{2})|([/.])(\d{1,2})\4(\d{1,2})|(\d{2})(\d{2}))$/;
const NAMED_DATE = /^(?:([A-Za-z]{3,9})\.? (\d{1,2}),? (\d{4})|(\d{1,2})[- ]([A-Za-z]{3,9})\.?[- ](\d{4}))$/;
const TIME_AFTER = /[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?: ?(?:Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?))?$/i;
/** A cell's text without its quotes and the spaces around them. */
const cellText = (s: string): string => s.trim().replace(/^"|"$/g, '').trim();

/** Year, month and day of a date cell written in `dates`, or null (not checked as a calendar date yet). */
function dateParts(text: string, dates: HistoryDates): [number, number, number] | null {
  if (dates === 'us') {
    const m = US_DATE.exec(text);
    return m ? [Number(m[3]), Number(m[1]), Number(m[2])] : null;
  }
  if (dates === 'us-short') {
    const m = US_SHORT_DATE.exec(text);
    if (!m) return null;
    const yy = Number(m[3]);
    return [yy >= TWO_DIGIT_YEARS.from % 100 ? 1900 + yy : 2000 + yy, Number(m[1]), Number(m[2])];
  }
  if (dates === 'iso') {
    const m = ISO_DATE.exec(text);
    return m ? [Number(m[1]), Number(m[2] ?? m[5] ?? m[7]), Number(m[3] ?? m[6] ?? m[8])] : null;
  }
  const m = NAMED_DATE.exec(text);
  if (!m) return null;
  const month = monthOf(m[1] ?? m[5]!);
  return month === null ? null : [Number(m[3] ?? m[6]), month, Number(m[2] ?? m[4])];
}

/** YYYY-MM-DD of a date cell in the given format, or null when it is not a real date written that way. */
export function historyDate(cell: string, dates: HistoryDates): string | null {
  // Cboe's own cells ("01/02/1990"): nothing to trim or strip, the date read straight from the cell.
  if (dates === 'us') {
    const m = US_DATE.exec(cell);
    if (m) return validDate(Number(m[3]), Number(m[1]), Number(m[2]));
  }
  const text = cellText(cell).replace(TIME_AFTER, '');
  const parts = dateParts(text, dates);
  if (!parts) return null;
  return validDate(parts[0], parts[1], parts[2]);
}

/** The format of a date cell, if it is written in one the reader knows. */
function datesOf(cell: string): HistoryDates | null {
  if (historyDate(cell, 'us') !== null) return 'us';
  if (historyDate(cell, 'iso') !== null) return 'iso';
  if (historyDate(cell, 'named') !== null) return 'named';
  if (historyDate(cell, 'us-short') !== null) return 'us-short';
  return null;
}

/**
 * The cells of one CSV line. Quoted cells may hold commas (Investing.com writes "4,783.83"); a doubled quote inside
 * one is a quote. Lines without a quote take the fast path.
 */
export function csvCells(line: string): string[] {
  if (!line.includes('"')) return line.split(',');
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

/** A number written with a decimal comma (European spreadsheets): "14,04", "4.725,07" (dots group thousands). */
const DECIMAL_COMMA = /^[-+]?(?:\d{1,3}(?:\.\d{3})+|\d+),\d+$/;
/** In such a file, a whole number with dots grouping its thousands ("4.725"). */
const DOTTED_THOUSANDS = /^[-+]?\d{1,3}(?:\.\d{3})+$/;

/** A cell for a comma-separated line: quoted when it holds a comma or a quote. */
const csvCell = (cell: string): string => (/[",]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell);

/**
 * The lines of a history file, as comma-separated lines. A file separated by tabs (a table copied from a web page)
 * or by semicolons (a spreadsheet saved where the comma is the decimal mark) is told by its header, the first of the
 * first lines that names a date and a close when split that way; its lines are rewritten with commas, and when its
 * numbers are written with decimal commas ("14,04", "4.725,07") they are rewritten with points. A comma-separated
 * file comes back as its lines.
 */
export function historyLines(text: string): string[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  let sep: string | null = null;
  for (let i = 0, seen = 0; i < lines.length && seen < HEADER_SEARCH_LINES && sep === null; i++) {
    const l = lines[i]!.trim();
    if (l === '') continue;
    seen++;
    if (columnsOf(l)) break;
    for (const d of ['\t', ';'])
      if (l.includes(d) && columnsOf(l.split(d).map(csvCell).join(','))) {
        sep = d;
        break;
      }
  }
  if (sep === null) return lines;
  const split = (l: string) => l.split(sep!).map((c) => cellText(c));
  // Decimal commas: any number so written in the first data lines makes them the file's decimal mark.
  const decimalComma = lines.slice(0, 60).some((l) => split(l).some((c) => DECIMAL_COMMA.test(c)));
  return lines.map((l) =>
    l.trim() === ''
      ? l
      : split(l)
          .map((c) =>
            csvCell(
              decimalComma && (DECIMAL_COMMA.test(c) || DOTTED_THOUSANDS.test(c))
                ? c.replace(/\./g, '').replace(',', '.')
                : c,
            ),
          )
          .join(','),
  );
}

/** A cell that says "no value": empty, FRED's ".", Yahoo's "null", "N/A", "NaN", a dash. */
const NO_VALUE = /^(|\.|-|--|n\/?a|null|nan)$/i;

function parseField(s: string | undefined): number | null {
  if (s === undefined) return null;
  // A bare decimal ("359.69", the cells of nearly every history file): read as it is.
  const plain = decimalAt(s, 0, s.length);
  if (plain === plain) return plain;
  let t = cellText(s);
  if (NO_VALUE.test(t)) return null;
  // A dollar sign (Nasdaq's exports) and thousands separators (Investing.com's) are a layout, not a value.
  if (t.startsWith('$')) t = t.slice(1);
  if (/^\d{1,3}(,\d{3})+(\.\d*)?$/.test(t)) t = t.replace(/,/g, '');
  const v = Number(t);
  return Number.isFinite(v) ? v : null;
}

/**
 * One data line of a history: its bar; a string saying why it is a bad line; or null for a row that gives no value
 * at all (a day without data). (A function of its own: the file's loop stays small for the compiler.)
 */
function lineBar(raw: string, col: Columns, dates: HistoryDates): VixBar | string | null {
  const cells = csvCells(raw);
  const date = historyDate(cells[col.date] ?? '', dates);
  if (date === null)
    return `unreadable date ${JSON.stringify(cells[col.date] ?? '')} (${dateHint(cells[col.date] ?? '', dates)})`;
  const close = parseField(cells[col.close]);
  if (close === null || close <= 0) {
    // (A close that is a number is not "no value": only a line without one can be a day without data.)
    if (cells.length > col.close && cells.every((c, k) => k === col.date || NO_VALUE.test(cellText(c)))) return null;
    return `missing or non-positive CLOSE ${JSON.stringify(cells[col.close] ?? '')}`;
  }
  return {
    date,
    open: positiveField(cells, col.open),
    high: positiveField(cells, col.high),
    low: positiveField(cells, col.low),
    close,
  };
}

/** Where each field of the line plainUsLineBar reads starts (reused). */
const fieldStart = new Int32Array(64);

/**
 * A line as Cboe writes it, its cells found by their commas: an MM/DD/YYYY date (historyDate) and bare decimals
 * (decimalAt) ("01/02/1990,17.24,…"), no quotes — nearly every line of a Cboe download. It gives the bar lineBar gives
 * for such a line; null for any other line (a quote, a space, a sign, an empty or odd cell, a bad date or close),
 * which lineBar then reads and explains.
 */
function plainUsLineBar(raw: string, col: Columns): VixBar | null {
  let fields = 1;
  fieldStart[0] = 0;
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c === 44 /* , */) {
      if (fields === fieldStart.length) return null;
      fieldStart[fields++] = i + 1;
    } else if (c === 34 /* " */) return null;
  }
  const end = (k: number) => (k + 1 < fields ? fieldStart[k + 1]! - 1 : raw.length);
  if (col.date >= fields || col.close >= fields) return null;
  const date = historyDate(raw.slice(fieldStart[col.date]!, end(col.date)), 'us');
  if (date === null) return null;
  const close = decimalAt(raw, fieldStart[col.close]!, end(col.close));
  if (!(close > 0)) return null;
  let open: number | null = null,
    high: number | null = null,
    low: number | null = null;
  if (col.open >= 0 && col.open < fields) {
    const v = decimalAt(raw, fieldStart[col.open]!, end(col.open));
    if (v !== v) return null;
    open = v > 0 ? v : null;
  }
  if (col.high >= 0 && col.high < fields) {
    const v = decimalAt(raw, fieldStart[col.high]!, end(col.high));
    if (v !== v) return null;
    high = v > 0 ? v : null;
  }
  if (col.low >= 0 && col.low < fields) {
    const v = decimalAt(raw, fieldStart[col.low]!, end(col.low));
    if (v !== v) return null;
    low = v > 0 ? v : null;
  }
  return { date, open, high, low, close };
}

const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

/**
 * A bare decimal in s[from, to) (digits, then a point and digits); NaN for anything else. Of at most 15 digits:
 * its digits as an integer divided by a power of ten: both exact in a double, so the one rounding of the division
 * gives the correctly rounded value, the number Number() reads (W. D. Clinger, "How to read floating point numbers
 * accurately", PLDI 1990: the exact fast path).
 */
function decimalAt(s: string, from: number, to: number): number {
  let v = 0;
  let n = 0;
  let point = -1;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c === 46 /* . */ && point < 0 && n > 0) {
      point = n;
      continue;
    }
    const dgt = c - 48;
    if (dgt < 0 || dgt > 9) return NaN;
    v = v * 10 + dgt;
    n++;
  }
  if (n === 0 || point === n) return NaN;
  // More digits than a double holds exactly (Cboe's SPX file writes 17.65999984741211): Number reads it.
  if (n > 15) return Number(s.slice(from, to));
  return point < 0 ? v : v / POW10[n - point]!;
}

/** Cell `c` of a line as a positive number; null when the column is absent (c < 0) or holds none. */
function positiveField(cells: readonly string[], c: number): number | null {
  const v = c < 0 ? null : parseField(cells[c]);
  return v !== null && v > 0 ? v : null;
}

export type Columns = Record<'date' | 'open' | 'high' | 'low' | 'close', number>;

/**
 * The headings a date column goes by, in the order preferred: FRED writes observation_date, Barchart "Time"; a
 * heading ending in " Date" comes after the first two (columnsOf).
 */
const DATE_HEADS = ['DATE', 'OBSERVATION_DATE', 'TIME', 'TIMESTAMP'];
/** The close's other names: Nasdaq's "Close/Last", Investing.com's "Price", Barchart's "Last", Bloomberg's PX_LAST. */
const CLOSE_HEADS = ['CLOSE/LAST', 'PRICE', 'LAST', 'PX_LAST'];

const headsOf = (line: string): string[] =>
  // Yahoo's web table marks its headings with asterisks ("Close*", "Adj Close**").
  csvCells(line).map((h) => cellText(h).toUpperCase().replace(/\s+/g, ' ').replace(/\*+$/, ''));

/**
 * The columns a header line names, or null when it is not a history header. Cboe writes DATE,OPEN,HIGH,LOW,CLOSE;
 * its older files "VIX Close" and the like; Nasdaq "Close/Last"; Investing.com "Price". A file of one value beside
 * the date (FRED's DATE,VIXCLS or observation_date,SP500; Cboe's DATE,VVIX) has that value as its close. An adjusted
 * close is never read as the close, nor a volume.
 */
function columnsOf(line: string): Columns | null {
  const heads = headsOf(line);
  // A "Date" column wins over a "Time" one beside it (an intraday layout's clock times are not dates), and so does a
  // heading naming a date ("Exchange Date" in Refinitiv's exports, "Trade Date").
  const date =
    [heads.indexOf('DATE'), heads.indexOf('OBSERVATION_DATE'), heads.findIndex((h) => / DATE$/.test(h))]
      .concat(DATE_HEADS.slice(2).map((h) => heads.indexOf(h)))
      .find((i) => i >= 0) ?? -1;
  if (date < 0) return null;
  const named = (what: string): number => {
    const exact = heads.indexOf(what);
    return exact >= 0 ? exact : heads.findIndex((h) => h.endsWith(` ${what}`) && !/^ADJ/.test(h));
  };
  let close = named('CLOSE');
  for (const other of CLOSE_HEADS) if (close < 0) close = heads.indexOf(other);
  if (close < 0) {
    const values = heads.flatMap((h, i) => (i !== date && h !== '' ? [i] : []));
    const only = values.length === 1 ? heads[values[0]!]! : '';
    if (only !== '' && !/^ADJ|VOL/.test(only) && !['OPEN', 'HIGH', 'LOW'].includes(only)) close = values[0]!;
  }
  if (close < 0) return null;
  return { date, open: named('OPEN'), high: named('HIGH'), low: named('LOW'), close };
}

/**
 * yfinance's CSV (a pandas frame with a two-level column index): "Price,Close,High,Low,Open,Volume", then
 * "Ticker,^VIX,^VIX,…", then "Date,,,,," before the data. The first row names the columns; the header ends at the row
 * naming the date column alone. Null when lines[i] does not start such a header.
 */
function pandasHeader(lines: readonly string[], i: number): { line: number; columns: Columns } | null {
  const heads = headsOf(lines[i] as string);
  if (heads[0] !== 'PRICE' || !heads.includes('CLOSE')) return null;
  for (let j = i + 1, seen = 0; j < lines.length && seen < 3; j++) {
    const l = (lines[j] as string).trim();
    if (l === '') continue;
    seen++;
    const cells = headsOf(l);
    if (DATE_HEADS.includes(cells[0]!) && cells.slice(1).every((c) => c === '')) {
      const columns = columnsOf(['DATE', ...heads.slice(1)].join(','));
      return columns ? { line: j, columns } : null;
    }
  }
  return null;
}

/**
 * A header line naming `columns` as columnsOf reads them: what a caller parsing a file in slices puts in front of
 * each slice (the file's own header may span rows, as yfinance's does).
 */
export function headerLineOf(columns: Columns): string {
  const cells = Array.from({ length: Math.max(...Object.values(columns)) + 1 }, () => '');
  for (const [name, i] of Object.entries(columns)) if (i >= 0) cells[i] = name.toUpperCase();
  return cells.join(',');
}

/** Lines looked at for the header: a download may start with a title or a disclaimer (Cboe's older VIX files do). */
const HEADER_SEARCH_LINES = 10;

/** Where a history file's header is and what it names; an error saying what was expected when there is none. */
export function historyHeader(
  lines: readonly string[],
): { line: number; columns: Columns } | { line: number; error: string } {
  let seen = 0;
  let first = -1;
  for (let i = 0; i < lines.length && seen < HEADER_SEARCH_LINES; i++) {
    const l = (lines[i] as string).trim();
    if (l === '') continue;
    if (first < 0) first = i;
    seen++;
    const columns = columnsOf(l);
    if (columns) return { line: i, columns };
    const pandas = pandasHeader(lines, i);
    if (pandas) return pandas;
    // Data before any header: the file has none.
    if (datesOf(csvCells(l)[0] ?? '') !== null) break;
  }
  // Named at the line where the header was expected: the first that is not blank.
  return {
    line: Math.max(first, 0),
    error: 'no header naming DATE and CLOSE (expected DATE,OPEN,HIGH,LOW,CLOSE)',
  };
}

/** The date format of the first data line after the header (null: none is readable). */
export function historyDatesAfter(lines: readonly string[], header: number, dateCol: number): HistoryDates | null {
  for (let i = header + 1; i < lines.length; i++) {
    const l = lines[i] as string;
    if (l.trim() === '') continue;
    const f = datesOf(csvCells(l)[dateCol] ?? '');
    if (f) return f;
  }
  return null;
}

const DATES_EXPECTED: Record<HistoryDates, string> = {
  us: 'MM/DD/YYYY',
  iso: 'YYYY-MM-DD',
  named: 'Mon DD, YYYY',
  'us-short': 'MM/DD/YY',
};

/** What was expected of an unreadable date cell, and what it seems to be written as when that is known. */
function dateHint(cell: string, dates: HistoryDates): string {
  const text = cellText(cell).replace(TIME_AFTER, '');
  const expected = `expected ${DATES_EXPECTED[dates]}`;
  if (dates !== 'us-short' && /^\d{1,2}[/.-]\d{1,2}[/.-]\d{2}$/.test(text))
    return `${expected}: a two-digit year where the file's first date has four (or a day-first short date); export the file with four-digit years`;
  if (/^\d{1,2}\.\d{1,2}\.\d{4}$/.test(text))
    return `${expected}: a date with dots is written day first (DD.MM.YYYY), which cannot be told from MM/DD/YYYY; export with US or ISO dates`;
  const dm = /^(\d{1,2})[/.](\d{1,2})[/.]\d{4}$/.exec(text);
  if (dm && Number(dm[1]) > 12 && Number(dm[2]) <= 12)
    return `${expected}: this looks day-first (DD/MM/YYYY), which cannot be told from MM/DD/YYYY; export with US or ISO dates`;
  return expected;
}

/**
 * Parse a daily index history: Cboe's VIX_History.csv and SPX_History.csv (DATE,OPEN,HIGH,LOW,CLOSE, MM/DD/YYYY), and
 * the same closes as other sites export them (ISO dates, dates with a time, month names, "VIX Close", "Close/Last",
 * "Price" or "Last" headings, FRED's DATE,VIXCLS, yfinance's header rows, quoted numbers with thousands separators, a
 * title line above the header, newest first). The header must name a date and a close (OPEN/HIGH/LOW optional, any
 * order). A row with no value at all (".", "null", empty) is a day without a close: counted in noData. Rows with an
 * unreadable date or a missing/non-positive close are skipped and reported with their line number. Rows are returned in date order; a repeated date keeps the later line and reports
 * the earlier one. `dates` fixes the date format (a caller reading the file in slices); otherwise the first data line
 * decides it.
 */
export function parseVixHistory(params: { text: string; dates?: HistoryDates }): VixHistory {
  const lines = historyLines(params.text);
  const errors: LineError[] = [];
  let errorCount = 0;
  const report = (line: number, reason: string): void => {
    errorCount++;
    if (errors.length < MAX_ERRORS_KEPT) errors.push({ line, reason });
  };
  const header = historyHeader(lines);
  if ('error' in header) return { bars: [], errors: [{ line: header.line + 1, reason: header.error }] };
  const col = header.columns;
  const dates = params.dates ?? historyDatesAfter(lines, header.line, col.date) ?? 'us';
  // The bars in file order while each date is later than the one before (a file in date order: no date can repeat);
  // from the first that is not, by date (a repeated date keeps the later line).
  const ordered: VixBar[] = [];
  const orderedLines: number[] = [];
  let byDate: Map<string, { bar: VixBar; line: number }> | null = null;
  let noData = 0;
  let prevDate = '';
  // The order of the lines: rising, falling (a newest-first export), or neither (refused by strict readers).
  let rising = true;
  let falling = true;
  const firstBreak: { rise: LineError | null; fall: LineError | null } = { rise: null, fall: null };
  for (let i = header.line + 1; i < lines.length; i++) {
    const raw = lines[i] as string;
    if (raw.trim() === '') continue;
    const lineNo = i + 1;
    const bar = (dates === 'us' ? plainUsLineBar(raw, col) : null) ?? lineBar(raw, col, dates);
    if (bar === null) {
      noData++;
      continue;
    }
    if (typeof bar === 'string') {
      report(lineNo, bar);
      continue;
    }
    const date = bar.date;
    if (prevDate !== '') {
      if (rising && date < prevDate) {
        rising = false;
        firstBreak.rise = {
          line: lineNo,
          reason: `date ${date} is earlier than ${prevDate} on the line above (the file is not in date order)`,
        };
      }
      if (falling && date > prevDate) {
        falling = false;
        firstBreak.fall = {
          line: lineNo,
          reason: `date ${date} is later than ${prevDate} on the line above (the file is not in date order, newest first)`,
        };
      }
    }
    const inOrder = byDate === null && (prevDate === '' || date > prevDate);
    prevDate = date;
    if (inOrder) {
      ordered.push(bar);
      orderedLines.push(lineNo);
      continue;
    }
    if (byDate === null) byDate = new Map(ordered.map((b, k) => [b.date, { bar: b, line: orderedLines[k]! }]));
    const prev = byDate.get(date);
    if (prev) report(prev.line, `date ${date} repeated on line ${lineNo}; the later line is kept`);
    byDate.set(date, { bar, line: lineNo });
  }
  const bars =
    byDate === null
      ? ordered
      : [...byDate.values()].map((v) => v.bar).sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  if (errorCount > errors.length) {
    errors.push({ line: 0, reason: `${errorCount - errors.length} more bad lines not listed` });
  }
  // A file all in one direction is in order; with a break in both, the break in the direction it started in is named.
  const outOfOrder =
    rising || falling ? null : firstBreak.rise!.line > firstBreak.fall!.line ? firstBreak.rise : firstBreak.fall;
  return {
    bars,
    errors,
    outOfOrder,
    ...(falling && !rising ? { newestFirst: true } : {}),
    ...(noData > 0 ? { noData } : {}),
    ...(dates === 'us-short' ? { twoDigitYears: true } : {}),
  };
}

const nyDate = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'America/New_York',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/**
 * The dates Intl has formatted, by instant (Intl's format is costly, and a session asks it a few times for the
 * same instants: its valuation time, the VIX chain's session). An invalid instant (NaN) throws, as before.
 */
const nyDateOf = keptBy(32, (ms: number) => nyDate.format(ms));

/**
 * The New York calendar date (YYYY-MM-DD) of an instant: VIX trades on Cboe, its sessions are NY dates. From 1987
 * (the daylight-time rules chain/calendar.ts writes out, checked against the time-zone database in
 * tests/engine/alvh/vixSeries.test.ts) by arithmetic; before that, and for an invalid instant, from Intl.
 */
export function newYorkDate(at: Date): string {
  const ms = at.getTime();
  return ms >= SINCE_1987 ? nyWallClock(at).date : nyDateOf(ms);
}

const SINCE_1987 = Date.UTC(1987, 0, 1, 5);

export interface MergedSeries {
  points: VixPoint[];
  /** Sightings ignored: unreadable, non-positive, or on a date the history already closes (the close is final). */
  ignored: { sighting: VixSighting; reason: string }[];
}

/**
 * Merge sightings into the daily history: for each New York date after the history's last date, the latest sighting
 * of that date becomes that day's point (kind 'live'); the last of them is "today's live value". Sightings on dates the
 * history covers are ignored (the official close wins) and listed.
 */
export function mergeSightings(params: { bars: readonly VixBar[]; sightings: readonly VixSighting[] }): MergedSeries {
  const { bars, sightings } = params;
  const points: VixPoint[] = bars.map((b) =>
    b.vix3m !== undefined
      ? { date: b.date, close: b.close, kind: 'history', vix3m: b.vix3m }
      : { date: b.date, close: b.close, kind: 'history' },
  );
  const lastDate = bars.length > 0 ? (bars[bars.length - 1] as VixBar).date : '';
  const { live, ignored } = liveSightings(lastDate, sightings);
  for (const p of live) points.push(p);
  return { points, ignored };
}

/**
 * The sightings that add a day to a history ending on `lastDate` ('' for none): the latest readable one of each
 * later New York date, as live points in date order; the others with why they were left out.
 */
export function liveSightings(
  lastDate: string,
  sightings: readonly VixSighting[],
): { live: VixPoint[]; ignored: MergedSeries['ignored'] } {
  const ignored: MergedSeries['ignored'] = [];
  const latestByDate = new Map<string, { s: VixSighting; t: number }>();
  for (const s of sightings) {
    const t = Date.parse(s.at);
    if (!Number.isFinite(t)) {
      ignored.push({ sighting: s, reason: `unreadable time ${JSON.stringify(s.at)}` });
      continue;
    }
    if (typeof s.value !== 'number' || !Number.isFinite(s.value) || s.value <= 0) {
      ignored.push({ sighting: s, reason: `not a positive VIX value: ${String(s.value)}` });
      continue;
    }
    const date = newYorkDate(new Date(t));
    if (date <= lastDate) {
      ignored.push({ sighting: s, reason: `the history already has the close of ${date}` });
      continue;
    }
    const cur = latestByDate.get(date);
    if (!cur || t >= cur.t) latestByDate.set(date, { s, t });
  }
  const live: VixPoint[] = [...latestByDate.entries()]
    .sort((a, b) => (a[0] < b[0] ? -1 : 1))
    .map(([date, { s }]) => ({
      date,
      close: s.value,
      kind: 'live',
      at: new Date(Date.parse(s.at)).toISOString(),
      source: s.source,
    }));
  return { live, ignored };
}

/**
 * The VIX bars with the VIX3M close of the same day (Cboe's VIX3M_History.csv, the same DATE,OPEN,HIGH,LOW,CLOSE
 * layout, read with parseVixHistory). Days without a VIX3M close keep none: the term-structure rule is not judged
 * on them. Returns how many bars got one.
 */
export function attachVix3m(params: { bars: readonly VixBar[]; vix3m: readonly VixBar[] }): {
  bars: VixBar[];
  matched: number;
} {
  const byDate = new Map(params.vix3m.map((b) => [b.date, b.close]));
  let matched = 0;
  const bars = params.bars.map((b) => {
    const v = byDate.get(b.date);
    if (v === undefined || !(v > 0)) {
      const { vix3m: _drop, ...rest } = b;
      return rest;
    }
    matched++;
    return { ...b, vix3m: v };
  });
  return { bars, matched };
}
