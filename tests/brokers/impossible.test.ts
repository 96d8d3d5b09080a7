import { describe, expect, test } from 'vitest';
import { readChainFromHtml } from '../../src/brokers/node';

const page = (rows: string) => `<!doctype html><html><head><title>SPX options</title></head><body>
<h1>SPX <span>6,500.00</span></h1><h2>Expiration: Jun 18, 2027 (SPXW)</h2>
<table><thead><tr><th>Bid</th><th>Ask</th><th>Strike</th><th>Bid</th><th>Ask</th></tr></thead><tbody>${rows}</tbody></table></body></html>`;
const row = (cb: string, ca: string, k: string, pb: string, pa: string) =>
  `<tr><td>${cb}</td><td>${ca}</td><td>${k}</td><td>${pb}</td><td>${pa}</td></tr>`;

describe('impossible values on a page', () => {
  test('a strike beyond any listed one is dropped with its reason; an impossible price is left out and flagged', () => {
    const r = readChainFromHtml(
      page(
        row('66.40', '67.20', '6,500', '66.10', '66.90') +
          row('9e15', '9e15', '1e308', '9e15', '9e15') +
          row('1e308', '52.30', '6,525', '77.00', '77.80') +
          row('30.10', '30.90', '6,600', '104.50', '105.30'),
      ),
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const rows = r.chain.expiries[0]!.rows;
    expect(rows.map((x) => x.strike)).toEqual([6500, 6525, 6600]);
    expect(r.report.dropped.some((d) => /strike 1e\+308 is impossible/.test(d.reason))).toBe(true);
    expect(rows[1]!.call).toMatchObject({ bid: null, ask: 52.3 });
    expect(r.report.flagged.some((f) => /impossible call bid/.test(f.reason))).toBe(true);
  });
});
