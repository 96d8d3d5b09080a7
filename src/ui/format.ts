/** Numbers as traders read them. Nothing non-finite ever reaches the screen: it shows as an em dash. */
export const DASH = '—';
const MINUS = '−'; // U+2212, the typographic minus

const finite = (v: number | null | undefined): v is number => v !== null && v !== undefined && Number.isFinite(v);

/**
 * One en-US formatter per number of decimals, made once. `Number#toLocaleString` with options builds a new
 * Intl.NumberFormat on every call: in a CPU profile of the overlay re-rendering a ticking 1,000-row chain, the two
 * formatters below were half of the frame's script time. The strings are the same (same locale, same options).
 */
const fixedFormats = new Map<number, Intl.NumberFormat>();
function fixed(digits: number): Intl.NumberFormat {
  let f = fixedFormats.get(digits);
  if (!f) {
    f = new Intl.NumberFormat('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
    fixedFormats.set(digits, f);
  }
  return f;
}
const integers = new Intl.NumberFormat('en-US');

export function fmtNumber(value: number | null | undefined, digits = 2): string {
  if (!finite(value)) return DASH;
  const s = fixed(digits).format(Math.abs(value));
  return value < 0 && s !== (0).toFixed(digits) ? `${MINUS}${s}` : s;
}

export function fmtStrike(value: number | null | undefined): string {
  if (!finite(value)) return DASH;
  return Number.isInteger(value) ? integers.format(value) : fmtNumber(value, 2);
}

/** Dollars with sign and thousands separators: "+$410", "−$9,180", "$0". */
export function fmtDollars(value: number | null | undefined, opts: { sign?: boolean; cents?: boolean } = {}): string {
  if (!finite(value)) return DASH;
  const digits = opts.cents ? 2 : 0;
  const abs = fixed(digits).format(Math.abs(value));
  const zero = Number(abs.replace(/,/g, '')) === 0;
  if (zero) return `$${abs}`;
  if (value < 0) return `${MINUS}$${abs}`;
  return opts.sign ? `+$${abs}` : `$${abs}`;
}

/** A probability or fraction as a percent: 0.6834 → "68.3%". */
export function fmtPercent(value: number | null | undefined, digits = 1): string {
  if (!finite(value)) return DASH;
  return `${fmtNumber(value * 100, digits)}%`;
}

/** A volatility fraction in vol points: 0.1432 → "14.3". */
export function fmtVol(value: number | null | undefined, digits = 1): string {
  if (!finite(value)) return DASH;
  return fmtNumber(value * 100, digits);
}

export function fmtSigned(value: number | null | undefined, digits = 2): string {
  if (!finite(value)) return DASH;
  const s = fmtNumber(value, digits);
  return value > 0 ? `+${s}` : s;
}

export function fmtMs(value: number | null | undefined): string {
  if (!finite(value)) return DASH;
  return value < 1 ? `${value.toFixed(2)} ms` : `${value.toFixed(1)} ms`;
}

export function fmtDays(value: number | null | undefined): string {
  if (!finite(value)) return DASH;
  if (value < 1) return `${Math.max(0, Math.round(value * 24))}h`;
  return `${value < 10 ? value.toFixed(1) : Math.round(value)}d`;
}

/**
 * Date and time formats made once (see `fixed`: `Date#toLocaleString` with options builds a formatter on every
 * call, and the overlay's reading report and header were re-formatting on each chain tick). Same strings.
 */
const mediumDateShortTime = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeStyle: 'short' });
const shortDateShortTime = new Intl.DateTimeFormat('en-US', { dateStyle: 'short', timeStyle: 'short' });
/** What `Date#toLocaleTimeString()` shows, in the browser's own locale. */
const localTime = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: 'numeric', second: 'numeric' });

/** "Sep 25, 2025, 4:00 PM" (local time). */
export const fmtDateTime = (iso: string | number | Date): string => mediumDateShortTime.format(new Date(iso));
/** "9/25/25, 4:00 PM" (local time). */
export const fmtShortDateTime = (iso: string | number | Date): string => shortDateShortTime.format(new Date(iso));
/** "7:33:24 PM" in the browser's locale (what `toLocaleTimeString()` gives). */
export const fmtClock = (iso: string | number | Date): string => localTime.format(new Date(iso));
