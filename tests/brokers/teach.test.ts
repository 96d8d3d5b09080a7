import { describe, expect, it } from 'vitest';
import { readChain } from '../../src/brokers/index';
import { parseHtml } from '../../src/brokers/node';
import { inferFromClicks } from '../../src/brokers/teach';

// No header words at all: the generic detector cannot read this; one click on a strike and one on a bid can.
const PAGE = `<html><head><title>Desk</title></head><body>
<h3>Puts · Apr 17, 2026</h3>
<div id="blotter">
  <div class="ln q-8fa1 odd"><span>IWM 260417P210</span><b>210</b><i>2.31</i><i>2.35</i><em>1,204</em></div>
  <div class="ln q-8fa1 even"><span>IWM 260417P215</span><b>215</b><i>3.60</i><i>3.66</i><em>880</em></div>
  <div class="ln q-8fa1 odd"><span>IWM 260417P220</span><b>220</b><i>5.48</i><i>5.55</i><em>75</em></div>
</div></body></html>`;

describe('teach mode (pure part)', () => {
  it('the generic detector reads nothing here, and says why', () => {
    const { document, close } = parseHtml(PAGE);
    const r = readChain(document);
    close();
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(/Strike/);
  });

  it('infers rows and columns from one strike click and one bid click; the profile (plain JSON) reads the page', () => {
    const { document, close } = parseHtml(PAGE);
    const row = document.querySelectorAll('#blotter > div')[1]!;
    const t = inferFromClicks(document, { strikeCell: row.children[1]!, bidCell: row.children[2]! }, 'desk.example');
    expect(t.ok).toBe(true);
    expect(t.profile.rowSelector).toBe('#blotter > div.ln.q-8fa1');
    expect(t.profile.columns).toEqual([
      { index: 1, field: 'strike', side: null },
      { index: 2, field: 'bid', side: 'put' },
      { index: 3, field: 'ask', side: 'put' },
    ]);
    expect(t.preview).toMatchObject({ rowCount: 3, side: 'put' });
    expect(t.preview.rows[0]).toEqual({ strike: 210, bid: 2.31, ask: 2.35 });

    const profile = JSON.parse(JSON.stringify(t.profile));
    const r = readChain(document, { profile });
    close();
    if (!r.ok) throw new Error(r.reason);
    expect(r.report.adapter).toBe('teach:desk.example');
    expect(r.chain.expiries).toHaveLength(1);
    expect(r.chain.expiries[0]!.date).toBe('2026-04-17');
    expect(r.chain.expiries[0]!.rows.map((x) => [x.strike, x.put?.bid, x.put?.ask, x.call])).toEqual([
      [210, 2.31, 2.35, null],
      [215, 3.6, 3.66, null],
      [220, 5.48, 5.55, null],
    ]);
  });

  it('a stale profile (page changed) fails loudly', () => {
    const { document, close } = parseHtml('<html><body><table><tr><td>x</td></tr></table></body></html>');
    const r = readChain(document, {
      profile: {
        version: 1,
        host: 'desk.example',
        rowSelector: '#blotter > div.ln',
        columns: [
          { index: 1, field: 'strike', side: null },
          { index: 2, field: 'bid', side: 'put' },
        ],
        side: 'put',
      },
    });
    close();
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(/no rows match/);
  });

  it('clicks in two different rows are refused', () => {
    const { document, close } = parseHtml(PAGE);
    const rows = document.querySelectorAll('#blotter > div');
    const t = inferFromClicks(document, { strikeCell: rows[0]!.children[1]!, bidCell: rows[1]!.children[2]! });
    close();
    expect(t.ok).toBe(false);
  });
});
