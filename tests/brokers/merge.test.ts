import { describe, expect, it } from 'vitest';
import { createChainMerger } from '../../src/brokers/index';
import { readChainFromHtml } from '../../src/brokers/node';

const page = (rows: [number, number, number][]) =>
  `<html><head><title>SPX Option Chain</title></head><body><h2>SPXW Mar 20, 2026</h2><div class="v"><div class="h"><div class="r"><div>Call Bid</div><div>Call Ask</div><div>Strike</div></div></div><div class="b">${rows
    .map(
      ([k, b, a], i) =>
        `<div class="r" style="position:absolute;transform:translateY(${(rows.length - i) * 30}px)"><div>${b}</div><div>${a}</div><div>${k}</div></div>`,
    )
    .join('')}</div></div></body></html>`;

describe('merging virtualised windows by strike', () => {
  it('keeps every strike seen while scrolling; the newest quote wins', () => {
    const m = createChainMerger();
    m.add(
      readChainFromHtml(
        page([
          [6500, 150, 152],
          [6550, 110, 112],
        ]),
      ),
    );
    m.add(
      readChainFromHtml(
        page([
          [6550, 111, 113],
          [6600, 75, 77],
        ]),
      ),
    );
    const c = m.current()!;
    expect(c.expiries[0]!.rows.map((r) => [r.strike, r.call?.bid])).toEqual([
      [6500, 150],
      [6550, 111],
      [6600, 75],
    ]);
    m.add({
      ok: false,
      reason: 'x',
      report: { adapter: 'x', rowsRead: 0, rowsDropped: 0, dropped: [], flagged: [], confidence: 0, notes: [] },
    });
    expect(m.current()!.expiries[0]!.rows).toHaveLength(3);
    m.reset();
    expect(m.current()).toBeNull();
  });
});
