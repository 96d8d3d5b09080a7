/**
 * Dates as option-chain files and pages write them.
 *
 * Expiry columns: "Fri Mar 20 2026" (Cboe CSV), "03/20/2020" (Cboe legacy .dat, US month-first),
 * "2026-03-20". Header time stamps are written in the downloader's browser locale:
 * "14 March 2026 at 07:34 GMT-4", "March 14, 2026 at 7:34 AM EDT", "September 25, 2025 at 9:05 PM EDT",
 * "Mar 22 2020 @ 18:24 ET", "14/03/2026, 07:34", "14 марта 2026 г. в 07:34 GMT-4",
 * "14. März 2026 um 07:34 GMT-4", "14 mars 2026 à 07:34 UTC−4", Spanish and Italian month names too.
 *
 * Nothing here guesses silently: what cannot be read gives `{ ok: false, reason }`.
 */
import { daysInMonth, nyWallClockToInstant } from './calendar.ts';

export type DateResult = { ok: true; date: string } | { ok: false; reason: string };

export type TimestampResult =
  | {
      ok: true;
      /** Calendar date as written (local to the writer), YYYY-MM-DD. */
      date: string;
      /** The instant, ISO 8601 UTC; null when the text has no time of day. */
      instant: string | null;
      /** The zone as written ("GMT-4", "EDT", "ET"), or the assumed one. */
      zone: string | null;
      /** True when the text named no zone and `defaultZone` was used. */
      zoneAssumed: boolean;
    }
  | { ok: false; reason: string };

export interface DateOptions {
  /**
   * How to read an ambiguous numeric date such as 03/04/2026: true → 3 April (day-first), false → 4 March
   * (US month-first). Default false (Cboe's expiry column is US). A first number over 12 is always a day,
   * and a dotted date (14.03.2026) is always day-first.
   */
  dayFirst?: boolean;
}

export interface TimestampOptions extends DateOptions {
  /** Zone to use when the text names none. Default 'America/New_York' (US market data). */
  defaultZone?: 'America/New_York' | 'UTC';
}

const MONTHS: Record<string, number> = {};
function addMonths(names: string[][]): void {
  names.forEach((forms, i) => {
    for (const f of forms) MONTHS[f] = i + 1;
  });
}
// English
addMonths([
  ['january', 'jan'],
  ['february', 'feb'],
  ['march', 'mar'],
  ['april', 'apr'],
  ['may'],
  ['june', 'jun'],
  ['july', 'jul'],
  ['august', 'aug'],
  ['september', 'sep', 'sept'],
  ['october', 'oct'],
  ['november', 'nov'],
  ['december', 'dec'],
]);
// German
addMonths([
  ['januar', 'jänner', 'jän'],
  ['februar'],
  ['märz', 'maerz', 'mär', 'mrz'],
  [],
  ['mai'],
  ['juni'],
  ['juli'],
  [],
  [],
  ['oktober', 'okt'],
  [],
  ['dezember', 'dez'],
]);
// French
addMonths([
  ['janvier', 'janv'],
  ['février', 'fevrier', 'févr', 'fevr', 'fév', 'fev'],
  ['mars'],
  ['avril', 'avr'],
  [],
  ['juin'],
  ['juillet', 'juil'],
  ['août', 'aout', 'aoû'],
  ['septembre'],
  ['octobre'],
  ['novembre'],
  ['décembre', 'decembre', 'déc'],
]);
// Russian (genitive as in "14 марта", nominative, and abbreviations)
addMonths([
  ['января', 'январь', 'янв'],
  ['февраля', 'февраль', 'фев', 'февр'],
  ['марта', 'март', 'мар'],
  ['апреля', 'апрель', 'апр'],
  ['мая', 'май'],
  ['июня', 'июнь', 'июн'],
  ['июля', 'июль', 'июл'],
  ['августа', 'август', 'авг'],
  ['сентября', 'сентябрь', 'сен', 'сент'],
  ['октября', 'октябрь', 'окт'],
  ['ноября', 'ноябрь', 'ноя', 'нояб'],
  ['декабря', 'декабрь', 'дек'],
]);
// Spanish and Italian
addMonths([
  ['enero', 'ene', 'gennaio', 'gen'],
  ['febrero', 'febbraio'],
  ['marzo'],
  ['abril', 'abr', 'aprile'],
  ['mayo', 'maggio', 'mag'],
  ['junio', 'giugno', 'giu'],
  ['julio', 'luglio', 'lug'],
  ['agosto', 'ago'],
  ['septiembre', 'setiembre', 'settembre', 'set'],
  ['octubre', 'ottobre', 'ott'],
  ['noviembre'],
  ['diciembre', 'dic', 'dicembre'],
]);

/** Words that may surround a date and carry no information: weekdays, "of", "г." (year), "de", … */
const IGNORABLE = new Set([
  // weekdays en/de/fr/ru/es/it, full and short
  ...'monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs fri sat sun'.split(' '),
  ...'montag dienstag mittwoch donnerstag freitag samstag sonntag mo di mi do fr sa so'.split(' '),
  ...'lundi mardi mercredi jeudi vendredi samedi dimanche lun mer jeu ven sam dim'.split(' '),
  ...'понедельник вторник среда четверг пятница суббота воскресенье пн вт ср чт пт сб вс'.split(' '),
  ...'lunes martes miércoles miercoles jueves viernes sábado sabado domingo'.split(' '),
  ...'lunedì lunedi martedì martedi mercoledì mercoledi giovedì giovedi venerdì venerdi sabato domenica'.split(' '),
  // connectors and markers
  ...'the of on at am um le de del el à a las alle г года в date expiration expiry'.split(' '),
]);

/** Zone abbreviations with fixed offsets (minutes east of UTC). "ET" is handled by the New York rules. */
const ZONES: Record<string, number> = {
  UTC: 0,
  GMT: 0,
  Z: 0,
  EST: -300,
  EDT: -240,
  CST: -360,
  CDT: -300,
  MST: -420,
  MDT: -360,
  PST: -480,
  PDT: -420,
  BST: 60,
  CET: 60,
  CEST: 120,
  MEZ: 60,
  MESZ: 120,
  MSK: 180,
  МСК: 180,
};

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

/** The month a name or abbreviation stands for (any language this module reads, any case), 1–12; null if none. */
export function monthOf(name: string): number | null {
  return MONTHS[name.toLowerCase()] ?? null;
}

/** YYYY-MM-DD when the year (1900–2199), month and day make a real date; null otherwise. */
export function validDate(year: number, month: number, day: number): string | null {
  if (!Number.isInteger(year) || year < 1900 || year > 2199) return null;
  if (month < 1 || month > 12 || day < 1 || day > 31) return null;
  if (Number.isInteger(month) && Number.isInteger(day)) {
    // The days of the month by the Gregorian rule, as Date.UTC counts them (a history file has 25,000 dates).
    if (day > daysInMonth(year, month)) return null;
  } else {
    const d = new Date(Date.UTC(year, month - 1, day));
    if (d.getUTCMonth() !== month - 1) return null;
  }
  return `${year}-${pad2(month)}-${pad2(day)}`;
}

function fail(reason: string): { ok: false; reason: string } {
  return { ok: false, reason };
}

/** Parse a calendar date (no time of day) into YYYY-MM-DD. */
export function parseDate(text: string | null | undefined, options: DateOptions = {}): DateResult {
  if (typeof text !== 'string' || text.trim() === '') return fail('empty date');
  const s = text.trim().replace(/\s+/g, ' ');

  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(s);
  if (iso) {
    const d = validDate(Number(iso[1]), Number(iso[2]), Number(iso[3]));
    return d ? { ok: true, date: d } : fail(`no such date: ${s}`);
  }

  const num = /^(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2})\.?$/.exec(s);
  if (num) {
    const a = Number(num[1]);
    const b = Number(num[3]);
    let year = Number(num[4]);
    if (num[4]!.length === 2) year += 2000;
    let dayFirst = num[2] === '.' ? true : (options.dayFirst ?? false);
    if (a > 12 && b <= 12) dayFirst = true;
    else if (b > 12 && a <= 12) dayFirst = false;
    const d = dayFirst ? validDate(year, b, a) : validDate(year, a, b);
    return d ? { ok: true, date: d } : fail(`no such date: ${s}`);
  }

  // Word forms: exactly one year, one month name and one day number, in any order, among ignorable words.
  const tokens = s
    .toLowerCase()
    .split(/[\s,.\u00a0/-]+/)
    .filter((t) => t !== '');
  let year: number | null = null;
  let month: number | null = null;
  let day: number | null = null;
  for (const t of tokens) {
    if (/^\d{4}$/.test(t)) {
      if (year !== null) return fail(`two years in "${s}"`);
      year = Number(t);
    } else if (/^\d{1,2}(st|nd|rd|th|er|e)?$/.test(t)) {
      if (day !== null) return fail(`two day numbers in "${s}"`);
      day = parseInt(t, 10);
    } else if (MONTHS[t] !== undefined) {
      if (month !== null) return fail(`two month names in "${s}"`);
      month = MONTHS[t]!;
    } else if (!IGNORABLE.has(t)) {
      return fail(`unrecognised word "${t}" in date "${s}"`);
    }
  }
  if (month === null) return fail(`no month in "${s}"`);
  if (year === null) return fail(`no year in "${s}"`);
  if (day === null) return fail(`no day in "${s}"`);
  const d = validDate(year, month, day);
  return d ? { ok: true, date: d } : fail(`no such date: ${s}`);
}

/** Convenience: YYYY-MM-DD or null. */
export function toIsoDate(text: string | null | undefined, options: DateOptions = {}): string | null {
  const r = parseDate(text, options);
  return r.ok ? r.date : null;
}

const ZONE_OFFSET = /(?:^|[\s(])(GMT|UTC)\s*([+\-\u2212\u2013])\s*(\d{1,2})(?::?(\d{2}))?\)?\s*$/i;
const ZONE_NAME = /(?:^|[\s(])([A-Za-zА-Яа-я]{1,5})\)?\s*$/;
const TIME = /(\d{1,2})[:h](\d{2})(?::(\d{2}))?\s*(a\.?\s?m\.?|p\.?\s?m\.?)?(?=$|[\s,)])/i;

/**
 * Parse a date with an optional time of day and zone (a file header's "as of"), e.g.
 * "14 March 2026 at 07:34 GMT-4" → instant 2026-03-14T11:34:00Z.
 * A leading "Date:" label is allowed. Without a zone, `defaultZone` is used and `zoneAssumed` is true.
 */
export function parseTimestamp(text: string | null | undefined, options: TimestampOptions = {}): TimestampResult {
  if (typeof text !== 'string' || text.trim() === '') return fail('empty timestamp');
  let s = text
    .replace(/[\u00a0\u202f\u2009]/g, ' ')
    .trim()
    .replace(/^(date|datum|дата|fecha|data)\s*:\s*/i, '');

  // An ISO 8601 instant with an explicit zone (a Chain's own asOf): take it as it is.
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(s)) {
    const ms = Date.parse(s);
    if (!Number.isFinite(ms)) return fail(`no such instant: ${s}`);
    const date = parseDate(s.slice(0, 10));
    if (!date.ok) return date;
    return {
      ok: true,
      date: date.date,
      instant: new Date(ms).toISOString(),
      zone: s.endsWith('Z') ? 'UTC' : s.slice(-6),
      zoneAssumed: false,
    };
  }

  // Zone at the end: "GMT-4", "UTC+05:30", "GMT−4", "EDT", "ET", "(EST)".
  let offsetMinutes: number | null = null;
  let zone: string | null = null;
  let newYork = false;
  const zo = ZONE_OFFSET.exec(s);
  if (zo) {
    const sign = zo[2] === '+' ? 1 : -1;
    const h = Number(zo[3]);
    const m = zo[4] ? Number(zo[4]) : 0;
    if (h > 14 || m > 59) return fail(`bad UTC offset in "${s}"`);
    offsetMinutes = sign * (h * 60 + m);
    zone = `${zo[1]!.toUpperCase()}${zo[2] === '+' ? '+' : '-'}${zo[3]}${zo[4] ? `:${zo[4]}` : ''}`;
    s = s.slice(0, zo.index).trim();
  } else {
    const zn = ZONE_NAME.exec(s);
    if (zn) {
      const name = zn[1]!.toUpperCase();
      if (name === 'ET' || name === 'EST5EDT') {
        newYork = true;
        zone = name;
        s = s.slice(0, zn.index).trim();
      } else if (ZONES[name] !== undefined) {
        offsetMinutes = ZONES[name]!;
        zone = name;
        s = s.slice(0, zn.index).trim();
      }
    }
  }

  // Time of day, with AM/PM.
  let hour: number | null = null;
  let minute = 0;
  let second = 0;
  const tm = TIME.exec(s);
  if (tm) {
    hour = Number(tm[1]);
    minute = Number(tm[2]);
    second = tm[3] ? Number(tm[3]) : 0;
    const ampm = tm[4]?.toLowerCase().replace(/[.\s]/g, '');
    if (ampm) {
      if (hour < 1 || hour > 12) return fail(`bad 12-hour time in "${text.trim()}"`);
      if (ampm === 'pm' && hour !== 12) hour += 12;
      if (ampm === 'am' && hour === 12) hour = 0;
    }
    if (hour > 23 || minute > 59 || second > 59) return fail(`bad time of day in "${text.trim()}"`);
    s = (s.slice(0, tm.index) + ' ' + s.slice(tm.index + tm[0].length)).trim();
  }
  // Connectors between date and time: "at", "@", "à", "um", "в", "a las", "alle", trailing commas.
  s = s
    .replace(/\s*@\s*/g, ' ')
    .replace(/[\s,]+$/, '')
    .trim();

  const d = parseDate(s, options);
  if (!d.ok) return d;
  if (hour === null) {
    if (zone !== null) return fail(`a zone but no time of day in "${text.trim()}"`);
    return { ok: true, date: d.date, instant: null, zone: null, zoneAssumed: false };
  }

  let zoneAssumed = false;
  if (offsetMinutes === null && !newYork) {
    zoneAssumed = true;
    if ((options.defaultZone ?? 'America/New_York') === 'UTC') {
      offsetMinutes = 0;
      zone = 'UTC';
    } else {
      newYork = true;
      zone = 'America/New_York';
    }
  }
  let ms: number;
  if (newYork) {
    ms = nyWallClockToInstant({ date: d.date, hour, minute }).getTime() + second * 1000;
  } else {
    const [y, mo, da] = d.date.split('-').map(Number) as [number, number, number];
    ms = Date.UTC(y, mo - 1, da, hour, minute, second) - offsetMinutes! * 60_000;
  }
  return { ok: true, date: d.date, instant: new Date(ms).toISOString(), zone, zoneAssumed };
}
