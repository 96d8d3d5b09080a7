/**
 * Text formatting for the CLI: numbers that never print NaN, money, percentages, and aligned tables.
 */

const DASH = '—';

/** Fixed-decimal number with thousands separators; null, NaN and ±Infinity print as "—". */
export function fmtNumber(
  x: number | null | undefined,
  { digits = 2, sign = false }: { digits?: number; sign?: boolean } = {},
): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return DASH;
  const v = Object.is(Math.round(x * 10 ** digits), -0) ? 0 : x;
  const s = Math.abs(v).toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
  const negative = v < 0 && s !== (0).toFixed(digits);
  return `${negative ? '-' : sign ? '+' : ''}${s}`;
}

/** Dollars: "$1,234", "-$56.70". */
export function fmtDollars(
  x: number | null | undefined,
  { digits = 0, sign = false }: { digits?: number; sign?: boolean } = {},
): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return DASH;
  const body = fmtNumber(Math.abs(x), { digits });
  const negative = x < 0 && body !== (0).toFixed(digits);
  return `${negative ? '-' : sign ? '+' : ''}$${body}`;
}

/** A fraction as a percentage: 0.1432 → "14.32%". */
export function fmtPercent(fraction: number | null | undefined, { digits = 2 }: { digits?: number } = {}): string {
  if (fraction === null || fraction === undefined || !Number.isFinite(fraction)) return DASH;
  return `${fmtNumber(fraction * 100, { digits })}%`;
}

/** A strike or price without needless decimals: 6600 → "6600", 657.5 → "657.5". */
export function fmtStrike(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return DASH;
  return String(Number(x.toFixed(4)));
}

/** An aligned text table. Columns are right-aligned unless listed in `left`. */
export function table({ headers, rows, left = [] }: { headers: string[]; rows: string[][]; left?: number[] }): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => (left.includes(i) ? c.padEnd(widths[i]!) : c.padStart(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(headers), line(widths.map((w) => '─'.repeat(w))), ...rows.map(line)].join('\n');
}
