/** Numbers as traders read them. Nothing non-finite ever reaches the screen: it shows as an em dash. */
export const DASH = '—';
const MINUS = '−'; // U+2212, the typographic minus

const finite = (v: number | null | undefined): v is number => v !== null && v !== undefined && Number.isFinite(v);

export function fmtNumber(value: number | null | undefined, digits = 2): string {
  if (!finite(value)) return DASH;
  const s = Math.abs(value).toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
  return value < 0 && s !== (0).toFixed(digits) ? `${MINUS}${s}` : s;
}

export function fmtStrike(value: number | null | undefined): string {
  if (!finite(value)) return DASH;
  return Number.isInteger(value) ? value.toLocaleString('en-US') : fmtNumber(value, 2);
}

/** Dollars with sign and thousands separators: "+$410", "−$9,180", "$0". */
export function fmtDollars(value: number | null | undefined, opts: { sign?: boolean; cents?: boolean } = {}): string {
  if (!finite(value)) return DASH;
  const digits = opts.cents ? 2 : 0;
  const abs = Math.abs(value).toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
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
