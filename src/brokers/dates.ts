/**
 * Expiry dates as pages write them: "October 24, 2014", "Mar 20 '26", "20 Mar 2026", "2026-03-20",
 * "03/20/2026", "Fri, Mar 20", "MAR 20 26 (6d)". A date without a year takes the first one on or after `now`.
 */
const MONTHS: Record<string, number> = {
  jan: 1,
  feb: 2,
  mar: 3,
  apr: 4,
  may: 5,
  jun: 6,
  jul: 7,
  aug: 8,
  sep: 9,
  sept: 9,
  oct: 10,
  nov: 11,
  dec: 12,
};
const MONTH_WORD =
  '(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\\.?';

function iso(y: number, m: number, d: number): string | null {
  if (m < 1 || m > 12 || d < 1 || d > 31 || y < 1990 || y > 2100) return null;
  const dt = new Date(Date.UTC(y, m - 1, d));
  if (dt.getUTCMonth() !== m - 1) return null; // Feb 30
  return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

function year(text: string | undefined, m: number, d: number, now: Date | undefined): number | null {
  if (text !== undefined) {
    const y = Number(text.replace(/^'/, ''));
    return text.replace(/^'/, '').length <= 2 ? 2000 + y : y;
  }
  if (!now) return null;
  const y0 = now.getUTCFullYear();
  const today = Date.UTC(y0, now.getUTCMonth(), now.getUTCDate());
  return Date.UTC(y0, m - 1, d) >= today - 86_400_000 ? y0 : y0 + 1;
}

/** The first expiry-like date in a text, YYYY-MM-DD, or null. */
export function findDate(text: string, now?: Date): string | null {
  const t = text.replace(/[\u00a0\u202f]/g, ' ');
  let m = /\b(\d{4})-(\d{2})-(\d{2})\b/.exec(t);
  if (m) return iso(Number(m[1]), Number(m[2]), Number(m[3]));
  m = /\b(\d{1,2})\/(\d{1,2})\/(\d{4}|\d{2})\b/.exec(t);
  if (m) {
    const y = year(m[3], 0, 0, now);
    return y === null ? null : iso(y, Number(m[1]), Number(m[2]));
  }
  // Month-name first: "October 24, 2014", "Mar 20 '26", "MAR 20 26", "Mar 20"
  m = new RegExp(
    `\\b${MONTH_WORD}\\s+(\\d{1,2})(?!\\d)(?:st|nd|rd|th)?(?:,?\\s+('?\\d{4}\\b|'\\d{2}\\b|\\d{2}\\b(?![:.]\\d)))?`,
    'i',
  ).exec(t);
  if (m) {
    const mon = MONTHS[m[1]!.slice(0, 3).toLowerCase()]!;
    const d = Number(m[2]);
    const y = year(m[3], mon, d, now);
    if (y !== null) return iso(y, mon, d);
  }
  // Day first: "20 Mar 2026", "20 MAR 26", "20-Mar-2026"
  m = new RegExp(`\\b(\\d{1,2})[\\s-]+${MONTH_WORD}(?![a-z])(?:[\\s,-]+('?\\d{4}|'?\\d{2})\\b)?`, 'i').exec(t);
  if (m) {
    const mon = MONTHS[m[2]!.slice(0, 3).toLowerCase()]!;
    const d = Number(m[1]);
    const y = year(m[3], mon, d, now);
    if (y !== null) return iso(y, mon, d);
  }
  return null;
}

/**
 * Option roots a label may name next to its date ("SPXW Mar 20", "SPX (AM) 20 Mar 2026", "VIX Weeklys").
 * When a block names several ("SPX 6,500.00 SPXW Jun 18, 2027": the quote header above the expiry heading),
 * the one written right before a date wins.
 */
export function findRoot(text: string): string | null {
  const all = [...text.matchAll(/\b(SPXW|SPXPM|SPX|XSP|NDXP|NDX|RUTW|RUT|VIXW|VIX|MRUT|DJX)\b/g)];
  if (all.length <= 1) return all[0]?.[1] ?? null;
  const beforeDate = new RegExp(
    `^[\\s(),:·-]{0,4}(?:\\d{1,2}[\\s-]+)?${MONTH_WORD}|^[\\s(),:·-]{0,4}\\d{1,4}[-/]\\d`,
    'i',
  );
  const near = all.find((m) => beforeDate.test(text.slice(m.index + m[0].length, m.index + m[0].length + 24)));
  return (near ?? all[0]!)[1]!;
}
