/**
 * Number parsing for real-world option-chain cells (HTML tables, CSV downloads).
 *
 * Rules: never throw, never invent a number. Anything that is not clearly a number is `null`
 * ("—", "N/A", "--", "", "1.2.3", "abc"). Missing is null, never 0.
 */

/** Cell texts that mean "no value". Compared after trimming and lower-casing. */
const MISSING = new Set([
  '',
  '-',
  '--',
  '---',
  '—',
  '–',
  '−',
  'n/a',
  'na',
  'n.a.',
  'nan',
  'none',
  'null',
  'undefined',
  '∞',
  '-∞',
  'inf',
  '-inf',
]);

/** Spaces of every kind (NBSP, thin, narrow NBSP, figure space, …) used as thousands separators. */
const SPACES = /[\s\u00a0\u2000-\u200b\u202f\u205f\u3000\ufeff]/g;
/** Dashes used as a minus sign: U+2212 minus, hyphen-minus, U+2012 figure dash, en dash (some locales). */
const MINUS = /^[-\u2212\u2012\u2013\ufe63\uff0d]/;
/** A plain unsigned decimal with optional comma thousands grouping: 1,035.25 or 1035.25 or .5 */
const GROUPED = /^(\d{1,3}(,\d{3})+|\d+)?(\.\d+)?$/;
/** A bare unsigned decimal, no grouping: parsed as Number() would. */
const PLAIN = /^\d{1,15}(\.\d{1,15})?$/;

/** A bare unsigned decimal ("12.35", "6500") as parseNumber reads it, or undefined for anything else. */
export function plainNumber(text: string): number | undefined {
  return PLAIN.test(text) ? Number(text) : undefined;
}

/**
 * Parse a number from a cell: "$1,035.50" → 1035.5, "(2.10)" → −2.1, "−0.35" → −0.35, "+1.2" → 1.2,
 * "1 035" (NBSP/thin space grouping) → 1035, "1.2e3" → 1200. Junk or "missing" markers → null.
 * A trailing "%" is NOT accepted here (use parsePercent); a currency sign ($ € £ ¥) is dropped.
 */
export function parseNumber(text: string | null | undefined): number | null {
  if (typeof text !== 'string') return null;
  // The common case on a ticking page ("12.35", "6500"): what the rules below give, without them.
  if (PLAIN.test(text)) return Number(text);
  let s = text.trim();
  if (MISSING.has(s.toLowerCase())) return null;
  s = s.replace(SPACES, '');
  if (s === '') return null;

  let negative = false;
  // Accounting negatives: (2.10), ($2.10)
  if (s.startsWith('(') && s.endsWith(')')) {
    negative = true;
    s = s.slice(1, -1);
  }
  // Sign before or after a currency symbol: -$2.10, $-2.10, +$1
  const stripCurrency = (v: string): string => v.replace(/^(US\$|\$|€|£|¥|USD)/i, '');
  s = stripCurrency(s);
  if (MINUS.test(s)) {
    if (negative) return null; // "(-2)" is ambiguous junk
    negative = true;
    s = s.slice(1);
  } else if (s.startsWith('+')) {
    if (negative) return null;
    s = s.slice(1);
  }
  s = stripCurrency(s);
  if (s === '') return null;

  let value: number;
  const exp = /^(\d+(\.\d*)?|\.\d+)[eE][+-]?\d+$/.exec(s);
  if (exp) {
    value = Number(s);
  } else {
    if (!GROUPED.test(s) || s === '' || s === '.') return null;
    value = Number(s.replace(/,/g, ''));
  }
  if (!Number.isFinite(value)) return null;
  const out = negative ? -value : value;
  return Object.is(out, -0) ? 0 : out;
}

/**
 * A percentage cell as a FRACTION: "14.32%" → 0.1432, "568.75%" → 5.6875, "-1.5 %" → −0.015.
 * Text without a % sign is read as a percentage number too ("14.32" → 0.1432) — callers that know the
 * column may hold fractions should use parseIv.
 */
export function parsePercent(text: string | null | undefined): number | null {
  if (typeof text !== 'string') return null;
  const s = text.trim().replace(/[%\uff05]\s*$/, '');
  const n = parseNumber(s);
  return n === null ? null : roundFraction(n / 100);
}

/** Dividing by 100 gives 14.32/100 = 0.14320000000000002; round to 12 significant decimals. */
function roundFraction(x: number): number {
  return Number(x.toPrecision(12));
}

export interface ParseIvOptions {
  /**
   * true: a bare number is a percentage ("14.32" → 0.1432). false: a bare number is a fraction
   * ("0.1432" → 0.1432). undefined (default): a "%" decides; a bare number is a fraction when < 3 (300%),
   * a percentage otherwise — good for most pages, but pass the flag when the column is known.
   */
  assumePercent?: boolean;
}

/**
 * An implied-volatility cell as a fraction. "14.32%" → 0.1432 always. Zero or negative → null
 * (an IV of 0 means "not computed", as in Cboe's expired rows).
 */
export function parseIv(text: string | null | undefined, options: ParseIvOptions = {}): number | null {
  if (typeof text !== 'string') return null;
  const trimmed = text.trim();
  let iv: number | null;
  if (/[%\uff05]\s*$/.test(trimmed)) {
    iv = parsePercent(trimmed);
  } else {
    const n = parseNumber(trimmed);
    if (n === null) return null;
    const percent = options.assumePercent ?? n >= 3;
    iv = percent ? roundFraction(n / 100) : n;
  }
  if (iv === null || !(iv > 0)) return null;
  return iv;
}

/**
 * A combined bid/ask cell: "52.10 × 53.40", "52.10 x 53.40", "52.10/53.40", "52.10 - 53.40" →
 * { bid, ask }; each side null if unreadable. A cell that does not split into two parts gives both null.
 */
export function splitBidAsk(text: string | null | undefined): { bid: number | null; ask: number | null } {
  const none = { bid: null, ask: null };
  if (typeof text !== 'string') return none;
  const s = text.trim();
  // Separators in order of preference; the first that splits the cell into exactly two parts wins,
  // so "N/A x 53.40" splits at the x, not inside "N/A". A bare dash would be a minus sign: only a spaced one.
  const separators: RegExp[] = [
    /\s*×\s*/,
    /\s+[xX]\s+/,
    /(?<=\d)[xX](?=[\d$.])/,
    /\s*\|\s*/,
    /\s*\/\s*/,
    /\s+[-–—]\s+/,
  ];
  for (const sep of separators) {
    const parts = s.split(sep);
    if (parts.length === 2) return { bid: parseNumber(parts[0] ?? ''), ask: parseNumber(parts[1] ?? '') };
  }
  return none;
}

/** An integer count cell (volume, open interest): "1,035" → 1035; fractions or negatives → null. */
export function parseCount(text: string | null | undefined): number | null {
  const n = parseNumber(text);
  if (n === null || n < 0 || !Number.isInteger(n)) return null;
  return n;
}
