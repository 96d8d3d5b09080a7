/** How the plan writes money, moves and horizons in its sentences. */

/** Made once: `Number#toLocaleString` builds a formatter on each call (the same strings either way). */
const wholeDollars = new Intl.NumberFormat('en-US');

export function money(x: number): string {
  return `$${wholeDollars.format(Math.round(x))}`;
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
