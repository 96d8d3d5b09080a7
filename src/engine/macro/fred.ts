/**
 * FRED series as the trader downloads them (the extension never fetches anything): `observation_date,SERIES` with
 * blank cells for missing days (FRED's current layout), `DATE,SERIES` with "." for missing days (its older layout),
 * and re-exports with quoted headers (`"Date","SERIES"`). Strict: a header it does not know, a date that is not
 * YYYY-MM-DD, a value that is not a number, dates out of order or repeated, and observations whose spacing mixes
 * frequencies are refused with the line named. Missing values stay missing (null): nothing is interpolated.
 */

export type Frequency = 'daily' | 'weekly' | 'monthly' | 'quarterly';

export interface Observation {
  /** YYYY-MM-DD, as FRED dates it (monthly series: the 1st of the month the value is for). */
  date: string;
  /** null: FRED's "." or a blank cell (a holiday, or a value never published). */
  value: number | null;
}

export interface FredSeries {
  id: string;
  frequency: Frequency;
  observations: Observation[];
  /** How many observations are missing ("." or blank). */
  missing: number;
}

export type FredResult = { ok: true; series: FredSeries } | { ok: false; reason: string };

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

function unquote(cell: string): string {
  const t = cell.trim();
  return t.length >= 2 && t.startsWith('"') && t.endsWith('"') ? t.slice(1, -1).trim() : t;
}

function validDate(text: string): boolean {
  const m = DATE_RE.exec(text);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === text;
}

const dayNumber = (date: string) => Date.parse(`${date}T00:00:00Z`) / DAY_MS;

function monthsBetween(a: string, b: string): number | null {
  if (!a.endsWith('-01') || !b.endsWith('-01')) return null;
  return (Number(b.slice(0, 4)) - Number(a.slice(0, 4))) * 12 + (Number(b.slice(5, 7)) - Number(a.slice(5, 7)));
}

/** Whether one step between two dates fits a frequency (daily: 1–10 days, so a closure such as Sept. 2001 fits). */
function fits(f: Frequency, a: string, b: string): boolean {
  const days = dayNumber(b) - dayNumber(a);
  if (f === 'monthly') return monthsBetween(a, b) === 1;
  if (f === 'quarterly') return monthsBetween(a, b) === 3;
  if (f === 'weekly') return days === 7;
  return days >= 1 && days <= 10;
}

/**
 * The frequency the dates say: the one most of the steps fit, the coarser on a tie (monthly and quarterly series are dated the 1st, a month
 * or a quarter apart; weekly ones 7 days apart; daily ones 1–10 days). A step that does not fit it is refused, named:
 * the file mixes frequencies or skips a stretch.
 */
function frequencyOf(obs: readonly Observation[], lineOf: (i: number) => number): Frequency | string {
  if (obs.length < 2) return 'daily';
  const order: Frequency[] = ['monthly', 'quarterly', 'weekly', 'daily'];
  const counts = new Map<Frequency, number>(order.map((f) => [f, 0]));
  for (let i = 1; i < obs.length; i++)
    for (const k of order) if (fits(k, obs[i - 1]!.date, obs[i]!.date)) counts.set(k, counts.get(k)! + 1);
  const freq = order.reduce((best, f) => (counts.get(f)! > counts.get(best)! ? f : best), order[0]!);
  for (let i = 1; i < obs.length; i++)
    if (!fits(freq, obs[i - 1]!.date, obs[i]!.date))
      return `line ${lineOf(i)}: ${obs[i]!.date} after ${obs[i - 1]!.date} is not a ${freq} step: the file mixes frequencies or skips a stretch (one series per file, at one frequency)`;
  return freq;
}

/** Reads one FRED CSV. `name` is used in the messages (the file's name). */
export function parseFredCsv(text: string, name: string): FredResult {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  let h = 0;
  while (h < lines.length && lines[h]!.trim() === '') h++;
  if (h >= lines.length) return { ok: false, reason: `${name} is empty` };
  const head = lines[h]!.split(',').map(unquote);
  if (head.length !== 2 || !/^(observation_date|date)$/i.test(head[0]!) || !/^[A-Za-z0-9_.-]{1,40}$/.test(head[1]!))
    return {
      ok: false,
      reason: `${name} line ${h + 1}: expected a FRED header "observation_date,SERIES" or "DATE,SERIES", got "${lines[h]!.trim().slice(0, 60)}"`,
    };
  const id = head[1]!.toUpperCase();
  const observations: Observation[] = [];
  const lineNumbers: number[] = [];
  let missing = 0;
  for (let i = h + 1; i < lines.length; i++) {
    const raw = lines[i]!;
    if (raw.trim() === '') continue;
    const cells = raw.split(',').map(unquote);
    const at = `${name} line ${i + 1}`;
    if (cells.length !== 2) return { ok: false, reason: `${at}: expected date,value, got ${cells.length} cells` };
    const [date, cell] = cells as [string, string];
    if (!validDate(date)) return { ok: false, reason: `${at}: "${date.slice(0, 20)}" is not a date YYYY-MM-DD` };
    let value: number | null = null;
    if (cell === '.' || cell === '') missing++;
    else {
      value = Number(cell);
      if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(cell) || !Number.isFinite(value))
        return {
          ok: false,
          reason: `${at}: "${cell.slice(0, 20)}" is not a number (FRED writes "." for a missing value)`,
        };
    }
    const prev = observations[observations.length - 1];
    if (prev && date <= prev.date)
      return {
        ok: false,
        reason: `${at}: ${date} ${date === prev.date ? 'repeats' : 'comes before'} ${prev.date}: the dates must be in increasing order`,
      };
    observations.push({ date, value });
    lineNumbers.push(i + 1);
  }
  if (observations.length === 0) return { ok: false, reason: `${name} has a header and no observation` };
  if (missing === observations.length) return { ok: false, reason: `${name}: every value is missing` };
  const frequency = frequencyOf(observations, (k) => lineNumbers[k]!);
  if (!['daily', 'weekly', 'monthly', 'quarterly'].includes(frequency))
    return { ok: false, reason: `${name} ${frequency}` };
  return { ok: true, series: { id, frequency: frequency as Frequency, observations, missing } };
}
