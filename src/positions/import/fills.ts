/**
 * Positions from a file of fills (thinkorswim's trade history, tastytrade's transactions): the quantities of each
 * contract are summed; what is left open is a leg whose open price is the quantity-weighted average of the
 * opening fills on its side. A contract closed more than the file opens it is an error: the opening trade is
 * older than the file and its price cannot be known.
 */
import { fail, roundPrice } from './common.ts';
import type { ImportedLeg, SkippedLine } from '../types.ts';

export interface Fill {
  line: number;
  /** The contract: the OCC symbol, or the share symbol. */
  key: string;
  /** Signed: + bought, − sold. */
  quantity: number;
  /** Price per share, or null when the file gives none ("~"). */
  price: number | null;
  opening: boolean;
  /** The leg this contract makes once quantity and open price are known. */
  make: (quantity: number, openPrice: number, line: number) => ImportedLeg;
}

export function netFills(fills: Fill[]): { legs: ImportedLeg[]; closed: SkippedLine[] } {
  const byKey = new Map<string, Fill[]>();
  for (const f of fills) {
    const list = byKey.get(f.key);
    if (list) list.push(f);
    else byKey.set(f.key, [f]);
  }
  const legs: ImportedLeg[] = [];
  const closed: SkippedLine[] = [];
  for (const [key, list] of byKey) {
    // Integer contract counts: the sum is exact.
    const net = list.reduce((s, f) => s + f.quantity, 0);
    if (net === 0) {
      for (const f of list) closed.push({ line: f.line, reason: `fill of ${key}, closed again within the file` });
      continue;
    }
    const opens = list.filter((f) => f.opening && Math.sign(f.quantity) === Math.sign(net));
    // The line to name: the first fill on the side left open (a close without its opening, or the last fill).
    const last = list.find((f) => Math.sign(f.quantity) === Math.sign(net) && !f.opening) ?? list[list.length - 1]!;
    if (opens.length === 0) {
      fail(
        last.line,
        `${key}: the file leaves ${net} open but holds no opening fill for it (the opening trade is older than the file)`,
      );
    }
    const opened = opens.reduce((s, f) => s + Math.abs(f.quantity), 0);
    if (opened < Math.abs(net)) {
      fail(
        last.line,
        `${key}: the file leaves ${net} open but opens only ${opened} (part was opened before the file starts)`,
      );
    }
    let value = 0;
    for (const f of opens) {
      if (f.price === null) fail(f.line, `${key}: an opening fill without a price`);
      value += Math.abs(f.quantity) * f.price;
    }
    legs.push(list[0]!.make(net, roundPrice(value / opened), opens[0]!.line));
    for (const f of list)
      if (!opens.includes(f)) closed.push({ line: f.line, reason: `fill of ${key} netted into the open leg` });
  }
  return { legs, closed };
}
