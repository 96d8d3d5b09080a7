/** Numbers as traders read them. Nothing non-finite ever reaches the screen: it shows as an em dash. */
const DASH = '—';

export function fmtNumber(value: number | null | undefined, digits = 2): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return DASH;
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

export function fmtStrike(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return DASH;
  return Number.isInteger(value) ? value.toLocaleString('en-US') : fmtNumber(value, 2);
}

export function fmtMs(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return DASH;
  return value < 1 ? `${value.toFixed(2)} ms` : `${value.toFixed(1)} ms`;
}
