import { formatOcc } from '../../src/chain/occ';
import type { OptionLeg } from '../../src/positions/types';

/** An SPXW option leg of the positions model (src/positions/types.ts), ×100, for tests and benches. */
export function spxwLeg(
  expiry: string,
  kind: 'put' | 'call',
  strike: number,
  quantity: number,
  openPrice: number,
): OptionLeg {
  return {
    asset: 'option',
    occ: formatOcc({ root: 'SPXW', expiry, kind, strike }),
    underlying: 'SPX',
    root: 'SPXW',
    expiry,
    strike,
    kind,
    quantity,
    openPrice,
    multiplier: 100,
  };
}
