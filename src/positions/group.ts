/**
 * Legs into positions as a trader holds them: options on one underlying and one expiry (in one account) are one
 * position — an iron condor's four legs, a vertical's two — and shares or futures of one symbol are another.
 * The name says what the legs make: "SPX 2026-04-17 iron condor". A calendar's two expiries show as two
 * positions; nothing here guesses which legs were traded together.
 */
import type { ImportedLeg, OptionLeg, Position, Structure } from './types.ts';

type Opt = OptionLeg & { line: number; account?: string };

/** Net quantity per contract (a file may list one contract on two lines). */
function netByContract(legs: Opt[]): { strike: number; kind: 'put' | 'call'; quantity: number }[] {
  const m = new Map<string, { strike: number; kind: 'put' | 'call'; quantity: number }>();
  for (const l of legs) {
    const k = `${l.kind} ${l.strike}`;
    const e = m.get(k);
    if (e) e.quantity += l.quantity;
    else m.set(k, { strike: l.strike, kind: l.kind, quantity: l.quantity });
  }
  return [...m.values()].filter((c) => c.quantity !== 0).sort((a, b) => a.strike - b.strike);
}

/** The structure of option legs on one expiry. */
export function classify(legs: Opt[]): Structure {
  const c = netByContract(legs);
  const puts = c.filter((x) => x.kind === 'put');
  const calls = c.filter((x) => x.kind === 'call');
  if (c.length === 1) {
    const x = c[0]!;
    return `${x.quantity > 0 ? 'long' : 'short'} ${x.kind}` as Structure;
  }
  const vertical = (pair: typeof c): boolean => pair.length === 2 && pair[0]!.quantity === -pair[1]!.quantity;
  if (c.length === 2 && puts.length === 2 && vertical(puts)) return 'put vertical';
  if (c.length === 2 && calls.length === 2 && vertical(calls)) return 'call vertical';
  if (
    c.length === 2 &&
    puts.length === 1 &&
    calls.length === 1 &&
    Math.sign(puts[0]!.quantity) === Math.sign(calls[0]!.quantity)
  ) {
    return puts[0]!.strike === calls[0]!.strike ? 'straddle' : 'strangle';
  }
  if (c.length === 3 && (puts.length === 3 || calls.length === 3)) {
    const [a, b, d] = c as [(typeof c)[0], (typeof c)[0], (typeof c)[0]];
    if (a.quantity === d.quantity && b.quantity === -2 * a.quantity && b.strike - a.strike === d.strike - b.strike) {
      return `${a.kind} butterfly` as Structure;
    }
  }
  if (c.length === 4 && puts.length === 2 && calls.length === 2 && vertical(puts) && vertical(calls)) {
    const [lp, sp] = puts as [(typeof c)[0], (typeof c)[0]];
    const [sc, lc] = calls as [(typeof c)[0], (typeof c)[0]];
    // Short the inner strikes, long the wings, the same size on both sides: the condor sold for a credit.
    const shortInside =
      sp.quantity < 0 && sp.quantity === sc.quantity && lp.quantity === -sp.quantity && lc.quantity === -sc.quantity;
    if (shortInside && sp.strike <= sc.strike) return sp.strike === sc.strike ? 'iron butterfly' : 'iron condor';
  }
  return 'custom';
}

export function groupPositions(legs: ImportedLeg[]): Position[] {
  const groups = new Map<string, ImportedLeg[]>();
  for (const l of legs) {
    const acct = l.account ?? '';
    const k = l.asset === 'option' ? `${acct}|${l.underlying}|${l.expiry}` : `${acct}|${l.symbol}|${l.asset}`;
    const g = groups.get(k);
    if (g) g.push(l);
    else groups.set(k, [l]);
  }
  const positions: Position[] = [];
  for (const group of groups.values()) {
    const first = group[0]!;
    let p: Position;
    if (first.asset === 'option') {
      const opts = group as Opt[];
      const structure = classify(opts);
      const label = structure === 'custom' ? `${opts.length} legs` : structure;
      p = {
        name: `${first.underlying} ${first.expiry} ${label}`,
        underlying: first.underlying,
        expiries: [first.expiry],
        structure,
        legs: [...opts].sort((a, b) => a.strike - b.strike || a.kind.localeCompare(b.kind)),
      };
    } else {
      const qty = group.reduce((s, l) => s + l.quantity, 0);
      const structure: Structure = first.asset === 'future' ? 'future' : 'shares';
      p = {
        name: `${first.symbol} ${qty} ${first.asset === 'future' ? 'futures' : 'shares'}`,
        underlying: first.symbol,
        expiries: [],
        structure,
        legs: group,
      };
    }
    if (first.account !== undefined) p.account = first.account;
    positions.push(p);
  }
  return positions.sort(
    (a, b) =>
      (a.account ?? '').localeCompare(b.account ?? '') ||
      a.underlying.localeCompare(b.underlying) ||
      (a.expiries[0] ?? '').localeCompare(b.expiries[0] ?? ''),
  );
}
