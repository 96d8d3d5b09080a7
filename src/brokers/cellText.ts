/**
 * Page-only text quirks (numbers themselves are parsed by src/chain/numbers.ts).
 * Cells on broker pages carry glyphs, screen-reader labels and abbreviations that a CSV never has.
 */
import { parseCount, parseIv, parseNumber, plainNumber, splitBidAsk } from '../chain/numbers';

const SPACE_CLASS = '[\\s\\u00a0\\u2000-\\u200b\\u202f\\u205f\\u3000\\ufeff]';
const SPACES = new RegExp(`${SPACE_CLASS}+`, 'g');
/** Any character SPACES would touch (not global: a test has no state). */
const HAS_SPACE = new RegExp(SPACE_CLASS);

/** Visible-ish text of a cell: textContent with every kind of space collapsed to one ASCII space. */
export function cellText(el: Element | null | undefined): string {
  if (!el) return '';
  const t = el.textContent ?? '';
  // Most cells of a ticking chain are a bare number: nothing to collapse or trim (trim removes only what \s holds).
  return HAS_SPACE.test(t) ? t.replace(SPACES, ' ').trim() : t;
}

/**
 * Strip what pages put around a number: a trailing sort/trend glyph (▲▼↑↓), a leading "+" badge,
 * a footnote asterisk. The rest goes to parseNumber unchanged, so junk stays junk (null).
 */
export function stripDecorations(text: string): string {
  return text
    .replace(/[▲▼△▽↑↓⬆⬇★*]+/g, '')
    .replace(SPACES, ' ')
    .trim();
}

/** A price-like cell ("$52.10", "(2.10)", "−0.35", "52.10 ▲") → number or null. */
export function priceOf(text: string): number | null {
  // A bare decimal has no decorations to strip (the common cell of a ticking chain).
  return plainNumber(text) ?? parseNumber(stripDecorations(text));
}

/** A count cell; accepts "1.2K"/"3M" abbreviations that broker grids use for volume and open interest. */
export function countOf(text: string): number | null {
  const s = stripDecorations(text);
  const m = /^([\d.,]+)\s*([kKmM])$/.exec(s);
  if (m) {
    const base = parseNumber(m[1]);
    if (base === null || base < 0) return null;
    const scaled = base * (m[2]!.toLowerCase() === 'k' ? 1e3 : 1e6);
    return Math.round(scaled);
  }
  return parseCount(s);
}

/** IV cell as a fraction; `percentColumn` when the header said "%" or the column's values are clearly percents. */
export function ivOf(text: string, percentColumn?: boolean): number | null {
  return parseIv(stripDecorations(text), percentColumn === undefined ? {} : { assumePercent: percentColumn });
}

export function bidAskOf(text: string): { bid: number | null; ask: number | null } {
  return splitBidAsk(stripDecorations(text));
}

/** True when a cell holds a "missing" marker rather than unreadable junk (so a row is not dropped for it). */
export function isMissingMarker(text: string): boolean {
  return /^(|-|--|---|—|–|n\/?a|none)$/i.test(stripDecorations(text));
}

/** Call/put from a type cell or label: "C", "Call", "CALLS", "P", "Put". */
export function sideOf(text: string): 'call' | 'put' | null {
  const s = text.trim().toLowerCase();
  if (/^(c|call|calls)$/.test(s)) return 'call';
  if (/^(p|put|puts)$/.test(s)) return 'put';
  return null;
}

export interface OccSymbol {
  root: string;
  date: string;
  side: 'call' | 'put';
  strike: number;
}

/** An OCC option symbol anywhere in a text: "AAPL141024C00055000", "SPXW 260320P06600000", ".SPXW260320C6600". */
export function findOccSymbol(text: string): OccSymbol | null {
  const m = /(?:^|[^A-Z0-9])\.?([A-Z]{1,6})\s*(\d{2})(\d{2})(\d{2})([CP])(\d{8}|\d+(?:\.\d+)?)(?![0-9])/.exec(text);
  if (!m) return null;
  const [, root, yy, mm, dd, cp, k] = m as unknown as [string, string, string, string, string, string, string];
  const month = Number(mm);
  const day = Number(dd);
  if (month < 1 || month > 12 || day < 1 || day > 31) return null;
  const strike = k.length === 8 && !k.includes('.') ? Number(k) / 1000 : Number(k);
  if (!Number.isFinite(strike) || strike <= 0) return null;
  return { root, date: `20${yy}-${mm}-${dd}`, side: cp === 'C' ? 'call' : 'put', strike };
}
