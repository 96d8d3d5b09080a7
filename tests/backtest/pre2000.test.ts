/**
 * The backtest reaches back to 1990, before OCC symbols (2010) and before the two-digit years OCC writes could mean
 * 19xx: the plan on a 1995 model chain gives its tickets with plain labels instead of failing on the symbol
 * (src/chain/occ.ts occOrLabelFormatter); dates from 2000 keep their OCC symbols.
 */
import { describe, expect, it } from 'vitest';
import { formatOcc, occOrLabelFormatter } from '../../src/chain/occ';
import { defaultRulebook } from '../../src/engine/alvh/rulebook';
import { buildMarket, PRESETS, runPnlBacktest } from '../../src/engine/backtest';
import { authoredDays, authoredFiles } from './fixture';

describe('before 2000', () => {
  it('labels an option OCC cannot write, and keeps OCC symbols from 2000 on', () => {
    expect(occOrLabelFormatter('SPX', '1995-06-16')('put', 515)).toBe('SPX 1995-06-16 P515');
    const later = { root: 'SPX', expiry: '2025-06-20', kind: 'put' as const, strike: 5000 };
    expect(occOrLabelFormatter(later.root, later.expiry)(later.kind, later.strike)).toBe(formatOcc(later));
  });

  it('runs the plan strategies on 1995–1996 histories with a spike, taking tickets', () => {
    const days = authoredDays('1995-01-02', 320).map((d, i) => ({
      ...d,
      vix: i >= 200 && i < 215 ? 14 + (i - 199) * 3 : d.vix,
    }));
    const r = runPnlBacktest({
      market: buildMarket(authoredFiles(days)),
      rulebook: defaultRulebook(),
      book: PRESETS.trader,
      strategies: ['alvh', 'vix-first'],
    });
    const tickets = r.strategies.flatMap((s) => s.tickets);
    expect(r.strategies.every((s) => s.decisions > 0)).toBe(true);
    expect(tickets.length).toBeGreaterThan(0);
    expect(tickets.every((t) => t.date < '2000-01-01')).toBe(true);
  });
});
