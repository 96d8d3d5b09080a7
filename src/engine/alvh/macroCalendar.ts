/**
 * The macro calendar the trader flags (FOMC, CPI, PPI… dates): the stage machine raises urgency when one falls
 * within macroEventWindowDays (stages.ts). One parser for every place a date is typed or imported: the CLI's
 * `--macro KIND:YYYY-MM-DD,…` and `--macro-file FILE`, and the options page's macro calendar.
 *
 * Lines: `KIND,YYYY-MM-DD` (a CSV, header `type,date` or `kind,date` allowed), `KIND:YYYY-MM-DD`, or a bare
 * `YYYY-MM-DD` when a kind is given for the whole text (one date per line). Blank lines and `#` comments are
 * skipped. Strict: one bad line refuses the whole text, with every bad line's number and what to write instead.
 *
 * Pure: no I/O.
 */
import { daysBetween, parseIsoDate } from '../../chain/calendar';
import type { MacroEvent } from './stages';

/** The kinds the method names; any other short name (e.g. PCE, NFP) is taken as the trader typed it. */
export const MACRO_KINDS = ['FOMC', 'CPI', 'PPI'] as const;

const KIND = /^[A-Za-z][\w-]{0,15}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

export interface MacroLineError {
  /** 1 = the first line of the text. */
  line: number;
  reason: string;
}

export type MacroCalendarParse = { ok: true; events: MacroEvent[] } | { ok: false; errors: MacroLineError[] };

function validDate(s: string): boolean {
  return DATE.test(s) && parseIsoDate(s) !== null;
}

/** One `KIND:YYYY-MM-DD` (or `KIND,YYYY-MM-DD`) item: the event, or why it is not one. */
export function parseMacroItem(item: string, defaultKind?: string): MacroEvent | { reason: string } {
  const s = item.trim();
  const m = /^([^,:]*)[,:](.*)$/.exec(s);
  const kind = (m ? m[1]! : (defaultKind ?? '')).trim();
  const date = (m ? m[2]! : s).trim().replace(/^"|"$/g, '');
  if (!m && defaultKind === undefined)
    return validDate(date)
      ? { reason: `"${s}" has no kind: write it as FOMC,${date} (or CPI, PPI…)` }
      : { reason: `expected KIND,YYYY-MM-DD such as FOMC,2025-10-29 (got "${s}")` };
  const k = kind.replace(/^"|"$/g, '');
  if (!KIND.test(k))
    return { reason: `"${k}" is not a kind: use a short name such as FOMC, CPI or PPI (letters first, up to 16)` };
  if (!DATE.test(date)) return { reason: `"${date}" is not a date: write it as YYYY-MM-DD, e.g. 2025-10-29` };
  if (!validDate(date)) return { reason: `${date} is not a calendar date` };
  return { kind: k.toUpperCase(), date };
}

/** Sorted by date then kind, each (kind, date) once. */
export function sortMacroEvents(events: readonly MacroEvent[]): MacroEvent[] {
  const seen = new Map<string, MacroEvent>();
  for (const e of events) seen.set(`${e.date} ${e.kind}`, { kind: e.kind, date: e.date });
  return [...seen.values()].sort((a, b) => a.date.localeCompare(b.date) || a.kind.localeCompare(b.kind));
}

/**
 * Parse a macro calendar text (see the file header). `kind`: the kind of bare dates (one date per line); without
 * it a bare date is an error that says how to write it.
 */
export function parseMacroCalendar(text: string, opts: { kind?: string } = {}): MacroCalendarParse {
  if (opts.kind !== undefined && !KIND.test(opts.kind))
    return { ok: false, errors: [{ line: 0, reason: `"${opts.kind}" is not a kind (FOMC, CPI, PPI…)` }] };
  const events: MacroEvent[] = [];
  const errors: MacroLineError[] = [];
  let seenData = false;
  text
    .replace(/^\uFEFF/, '')
    .split(/\r\n|\n|\r/)
    .forEach((raw, i) => {
      const line = raw.trim();
      if (line === '' || line.startsWith('#')) return;
      if (!seenData && /^"?(type|kind)"?\s*,\s*"?date"?$/i.test(line)) return; // the CSV header
      seenData = true;
      const r = parseMacroItem(line, opts.kind);
      if ('reason' in r) errors.push({ line: i + 1, reason: r.reason });
      else events.push(r);
    });
  if (errors.length > 0) return { ok: false, errors };
  if (events.length === 0)
    return { ok: false, errors: [{ line: 1, reason: 'no dates: write one date per line, e.g. FOMC,2025-10-29' }] };
  return { ok: true, events: sortMacroEvents(events) };
}

/** "line 3: … ; line 7: …" (the first `max` errors, and how many more). */
export function describeMacroErrors(errors: readonly MacroLineError[], max = 5): string {
  const shown = errors
    .slice(0, max)
    .map((e) => (e.line > 0 ? `line ${e.line}: ${e.reason}` : e.reason))
    .join('; ');
  return errors.length > max ? `${shown}; and ${errors.length - max} more` : shown;
}

/** The events on or after `asOf` (YYYY-MM-DD), soonest first, with the calendar days to each; at most `count`. */
export function upcomingMacroEvents(
  events: readonly MacroEvent[],
  asOf: string,
  count = 5,
): (MacroEvent & { daysAway: number })[] {
  return sortMacroEvents(events)
    .filter((e) => e.date >= asOf)
    .slice(0, count)
    .map((e) => ({ ...e, daysAway: daysBetween({ from: asOf, to: e.date }) }));
}
