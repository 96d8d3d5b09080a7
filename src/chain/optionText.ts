/**
 * An option named in a line of text, as brokers' position screens write it: an OCC symbol in any form occ.ts reads
 * (also inside other text when it has OCC's eight-digit strike, "SPX OCT2025 5800 P [SPXW  251024P05800000 100]"),
 * or a description — root, expiry, strike, put/call in that order:
 *   "SPX 24 Oct 25 5800 Put", "SPX 24OCT25 5800 P", "SPXW Oct 24 '25 5800 P", "SPXW Oct 24, 2025 $5,800 Call",
 *   "SPXW 10/24/2025 5800.00 P" (US month first), "-1 SPX 100 (Weeklys) 24 OCT 25 5800 PUT" (thinkorswim: a
 *   signed quantity, the multiplier, a series note), "PUT (SPXW) S&P 500 INDEX OCT 24 25 $5800 (100 SHS)"
 *   (the kind first, the root in parentheses), "SPXW 10/24/25 P 5800" (the kind before the strike),
 *   "SPY $620 Put 10/24/2025" (the expiry last), "SPXW Oct24'25 5800 Put".
 * Strict: a date without a year, two strikes, words it does not know between the parts give null — a line that
 * is not clearly one option is not guessed at.
 */
import { monthOf, toIsoDate, validDate } from './dates.ts';
import { parseNumber } from './numbers.ts';
import { parseOcc, type OccSymbol } from './occ.ts';

export interface OptionText extends OccSymbol {
  /** A signed quantity written before the root ("-1 SPX 100 …"), when there is one. */
  quantity?: number;
}

const MON = '(JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC)[A-Z]*\\.?';
/** Day month year ("24 OCT 25", "24OCT25", "24-Oct-2025"). */
const DMY = new RegExp(`^(\\d{1,2})[\\s-]*${MON}[\\s-]*'?(\\d{4}|\\d{2})$`);
/** Month day year ("OCT 24 '25", "OCT 24, 2025", "OCT 24 25", "OCT24'25"). */
const MDY = new RegExp(`^${MON}\\s*(\\d{1,2})(?:ST|ND|RD|TH)?(?:,\\s*|\\s+|\\s*(?='))'?(\\d{4}|\\d{2})$`);
/** US numeric ("10/24/2025", "10/24/25") and ISO. */
const US = /^(\d{1,2})\/(\d{1,2})\/(\d{4}|\d{2})$/;
const ISO = /^(\d{4})-(\d{2})-(\d{2})$/;

const ROOT = '([A-Z][A-Z0-9.]{0,5})';
const KIND = '(PUTS?|CALLS?|P|C)';
const STRIKE = '\\$?(\\d{1,3}(?:,\\d{3})+(?:\\.\\d+)?|\\d+(?:\\.\\d+)?)';
/** Words a description may carry between the root and the date: the multiplier, the series, the settlement. */
const SERIES = '(?:\\s+(?:100|10|\\(?WEEKLYS?\\)?|\\(?QUARTERLYS?\\)?|\\[?AM\\]?|\\[?PM\\]?))*';
/** What may follow: bracketed or parenthesised notes ("[AM]", "(100 SHS)", "(Weeklys)"). */
const TAIL = '(?:\\s+(?:\\([^)]*\\)|\\[[^\\]]*\\]))*';
const DATE = '(.+?)';

/** "[qty] ROOT [100] [(Weeklys)] DATE STRIKE KIND [notes]". */
const ROOT_FIRST = new RegExp(`^(?:([+-]?\\d+)\\s+)?${ROOT}${SERIES}\\s+${DATE}\\s+${STRIKE}\\s+${KIND}${TAIL}$`);
/** "ROOT DATE KIND STRIKE" ("SPXW 10/24/25 P 5800", "SPX 24 OCT 25 P5800"). */
const KIND_BEFORE_STRIKE = new RegExp(`^${ROOT}${SERIES}\\s+${DATE}\\s+${KIND}\\s*${STRIKE}${TAIL}$`);
/** "ROOT STRIKE KIND DATE" ("SPY $620 Put 10/24/2025", "SPX 5800 P 24 Oct 25"). */
const DATE_LAST = new RegExp(`^${ROOT}\\s+${STRIKE}\\s+${KIND}\\s+${DATE}${TAIL}$`);
/** "KIND (ROOT) [words] DATE $STRIKE [notes]": the strike carries its "$" here, so the words cannot take it. */
const KIND_FIRST = new RegExp(
  `^${KIND}\\s+\\(${ROOT}\\)(?:\\s+[^$]*?)?\\s+(${MON.replace('(', '(?:')}\\s+\\d{1,2},?\\s+'?\\d{2,4})\\s+\\$(\\d[\\d,]*(?:\\.\\d+)?)${TAIL}$`,
);
/** An OCC symbol with the eight-digit strike anywhere in the text (unambiguous wherever it stands). */
const OCC_INSIDE = /(?:^|[\s[(.:-])([A-Z][A-Z0-9]{0,5}\s{0,5}\d{6}[CP]\d{8})(?=$|[\s\]),])/;

/** A compact description date: a two-digit year is this century's. */
function isoOf(y: number, month: string, d: number): string | null {
  const m = monthOf(month);
  return m === null ? null : validDate(y < 100 ? 2000 + y : y, m, d);
}

/**
 * An expiry as descriptions write it, with its year; null otherwise. The compact forms with a two-digit year
 * ("24OCT25", "OCT 24 '25") are read here; numeric and full dates go to the chain's date parser (US month-first).
 */
export function expiryOfText(text: string): string | null {
  const t = text.trim().toUpperCase();
  let m = DMY.exec(t);
  if (m) return isoOf(Number(m[3]), m[2]!, Number(m[1]));
  m = MDY.exec(t);
  if (m) return isoOf(Number(m[3]), m[1]!, Number(m[2]));
  return US.test(t) || ISO.test(t) ? toIsoDate(t) : null;
}

const kindOf = (k: string): 'put' | 'call' => (k.startsWith('P') ? 'put' : 'call');

/** An option from a description's parts, or null when one of them is not what it should be. */
function described(root: string, date: string, strikeText: string, kind: string): OptionText | null {
  if (monthOf(root) !== null) return null; // "OCT 24 …": no root
  const expiry = expiryOfText(date);
  const strike = parseNumber(strikeText);
  if (!expiry || strike === null || strike <= 0) return null;
  return { root, expiry, kind: kindOf(kind), strike };
}

/** The option a text names, or null when it names none clearly (never throws). */
export function parseOptionText(text: string | null | undefined): OptionText | null {
  if (typeof text !== 'string') return null;
  // Unicode minus and the spaces pages use between words; one space between tokens.
  const t = text
    .replace(/[\u2212\u2012\u2013]/g, '-')
    .replace(/[\u00a0\u2000-\u200b\u202f\u205f\u3000]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .toUpperCase();
  if (t === '' || t.length > 120) return null;
  const whole = parseOcc(t);
  if (whole) return whole;
  const inside = OCC_INSIDE.exec(t);
  if (inside) {
    const occ = parseOcc(inside[1]!);
    if (occ) return occ;
  }
  let m = ROOT_FIRST.exec(t);
  if (m) {
    const [, qty, root, date, strikeText, kind] = m as unknown as [
      string,
      string | undefined,
      string,
      string,
      string,
      string,
    ];
    const out = described(root, date, strikeText, kind);
    if (out && qty !== undefined) {
      const q = Number(qty);
      if (!Number.isInteger(q) || q === 0) return null;
      out.quantity = q;
    }
    if (out) return out;
  }
  m = KIND_BEFORE_STRIKE.exec(t);
  if (m) {
    const [, root, date, kind, strikeText] = m as unknown as [string, string, string, string, string];
    const o = described(root, date, strikeText, kind);
    if (o) return o;
  }
  m = DATE_LAST.exec(t);
  if (m) {
    const [, root, strikeText, kind, date] = m as unknown as [string, string, string, string, string];
    const o = described(root, date, strikeText, kind);
    if (o) return o;
  }
  m = KIND_FIRST.exec(t);
  if (m) {
    const [, kind, root, date, strikeText] = m as unknown as [string, string, string, string, string];
    return described(root, date, strikeText, kind);
  }
  return null;
}
