/** How the plan writes money, moves and horizons in its sentences. */

export function money(x: number): string {
  return `$${Math.round(x).toLocaleString('en-US')}`;
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
