/** How the plan writes money, moves and horizons in its sentences. */

/** Made once: `Number#toLocaleString` builds a formatter on each call (the same strings either way). */
const wholeDollars = new Intl.NumberFormat('en-US');

export function money(x: number): string {
  return `$${wholeNumber(Math.round(x))}`;
}

/**
 * A whole number as en-US writes it (1,234,567; -0 for minus zero): Intl's own format, written here for the whole
 * numbers below 10¹⁵ the plan's sentences are made of (a plan question writes dozens; Intl's format was a tenth of
 * the plan's string time); Intl beyond them (and for NaN, ∞).
 */
function wholeNumber(n: number): string {
  if (!(Math.abs(n) < 1e15) || n !== Math.trunc(n)) return wholeDollars.format(n);
  const digits = String(Math.abs(n));
  let out = digits.length > 3 ? '' : digits;
  if (digits.length > 3) {
    const head = digits.length % 3 || 3;
    out = digits.slice(0, head);
    for (let i = head; i < digits.length; i += 3) out += `,${digits.slice(i, i + 3)}`;
  }
  return n < 0 || Object.is(n, -0) ? `-${out}` : out;
}

/** A signed amount of money: +$1,200 or −$300. */
export function signedMoney(x: number): string {
  return `${x >= 0 ? '+' : '−'}${money(Math.abs(x))}`;
}

export function signedPct(move: number): string {
  const x = 100 * move;
  return `${x > 0 ? '+' : x < 0 ? '−' : '±'}${Math.abs(x).toFixed(1)}%`;
}

export function fmtHorizon(days: number): string {
  return days <= 0 ? 'today' : `in ${Math.round(days)} day${Math.round(days) === 1 ? '' : 's'}`;
}
