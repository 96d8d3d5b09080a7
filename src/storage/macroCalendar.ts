/**
 * The macro calendar the trader typed or imported in the options page (FOMC, CPI, PPI… dates; the parser is
 * src/engine/alvh/macroCalendar.ts), kept in storage.local. Read by the overlay frame and handed to the worker as
 * the plan's macro events; written by the options page.
 */
import { storage } from '@wxt-dev/storage';
import type { MacroEvent } from '../engine/alvh/stages';
import { parseMacroItem, sortMacroEvents } from '../engine/alvh/macroCalendar';

export const MACRO_CALENDAR_KEY = 'local:macroCalendar' as const;

interface StoredCalendar {
  version: 1;
  events: MacroEvent[];
}

export interface LoadedMacroCalendar {
  events: MacroEvent[];
  /** Why (part of) the stored calendar could not be used (left in place, never deleted), or null. */
  problem: string | null;
}

export type CalendarStoreResult = { ok: true; events: MacroEvent[] } | { ok: false; message: string };

/** The well-formed events of a list (the stored one, an all-data file's part), each checked by the parser. */
export function macroEventsOf(list: readonly unknown[]): MacroEvent[] {
  const good: MacroEvent[] = [];
  for (const e of list) {
    const x = e as Partial<MacroEvent> | null;
    if (typeof x?.kind !== 'string' || typeof x.date !== 'string') continue;
    const p = parseMacroItem(`${x.kind},${x.date}`);
    if (!('reason' in p)) good.push(p);
  }
  return good;
}

export async function loadMacroCalendar(): Promise<LoadedMacroCalendar> {
  const raw = await storage.getItem<unknown>(MACRO_CALENDAR_KEY).catch(() => null);
  if (raw === null || raw === undefined) return { events: [], problem: null };
  const r = raw as Partial<StoredCalendar>;
  if (r.version !== 1 || !Array.isArray(r.events))
    return { events: [], problem: 'the stored macro calendar is unreadable: enter the dates again' };
  const good = macroEventsOf(r.events);
  const bad = r.events.length - good.length;
  return {
    events: sortMacroEvents(good),
    problem: bad > 0 ? `${bad} stored macro date(s) unreadable and left out: enter them again` : null,
  };
}

async function write(events: readonly MacroEvent[], what: string): Promise<CalendarStoreResult> {
  const next: StoredCalendar = { version: 1, events: sortMacroEvents(events) };
  try {
    await storage.setItem(MACRO_CALENDAR_KEY, next);
    return { ok: true, events: next.events };
  } catch (err) {
    return { ok: false, message: `${what} not saved: ${err instanceof Error ? err.message : String(err)}` };
  }
}

/** Adds the events to those stored (a date already there is kept once). Nothing is written when the write fails. */
export async function addMacroEvents(events: readonly MacroEvent[]): Promise<CalendarStoreResult> {
  const { events: stored } = await loadMacroCalendar();
  return write([...stored, ...events], 'The dates were');
}

export async function removeMacroEvent(event: MacroEvent): Promise<CalendarStoreResult> {
  const { events: stored } = await loadMacroCalendar();
  return write(
    stored.filter((e) => !(e.kind === event.kind && e.date === event.date)),
    `${event.kind} ${event.date} was`,
  );
}
