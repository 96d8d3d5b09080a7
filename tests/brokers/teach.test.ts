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
    expect(t.preview.reason).toBe('the two cells are in different rows: click a strike, then the Bid of that same row');
  });

  it('a straddle row without a header: one click on a call bid teaches both sides (same order across the strike)', () => {
    const { document, close } = parseHtml(STRADDLE('<i>{cb}</i><i>{ca}</i><b>{k}</b><i>{pb}</i><i>{pa}</i>'));
    expect(readChain(document).ok).toBe(false);
    const row = document.querySelectorAll('#q > p')[2]!;
    const t = inferFromClicks(document, { strikeCell: row.children[2]!, bidCell: row.children[0]! }, 'q.example');
    expect(t.ok).toBe(true);
    expect(t.profile.columns).toEqual([
      { index: 2, field: 'strike', side: null },
      { index: 0, field: 'bid', side: 'call' },
      { index: 1, field: 'ask', side: 'call' },
      { index: 3, field: 'bid', side: 'put' },
      { index: 4, field: 'ask', side: 'put' },
    ]);
    expect(t.profile.side).toBeNull();
    const r = readChain(document, { profile: t.profile });
    close();
    if (!r.ok) throw new Error(r.reason);
    expect(r.chain.expiries[0]!.rows.map((x) => [x.strike, x.call?.bid, x.call?.ask, x.put?.bid, x.put?.ask])).toEqual(
      QUOTES.map((q) => [q.k, q.cb, q.ca, q.pb, q.pa]),
    );
  });

  it('a mirrored straddle row (Ask Bid | Strike | Bid Ask): the put side is found from a put bid click', () => {
    const { document, close } = parseHtml(STRADDLE('<i>{ca}</i><i>{cb}</i><b>{k}</b><i>{pb}</i><i>{pa}</i>'));
    const row = document.querySelectorAll('#q > p')[1]!;
    const t = inferFromClicks(document, { strikeCell: row.children[2]!, bidCell: row.children[3]! }, 'q.example');
    close();
    expect(t.ok).toBe(true);
    expect(t.profile.columns).toEqual([
      { index: 2, field: 'strike', side: null },
      { index: 3, field: 'bid', side: 'put' },
      { index: 4, field: 'ask', side: 'put' },
      { index: 1, field: 'bid', side: 'call' },
      { index: 0, field: 'ask', side: 'call' },
    ]);
  });

  it('a one-sided table with a header but no Calls/Puts label: asks which side, then reads it with the answer', () => {
    const page = `<html><body><h3>XYZ · Apr 17, 2026</h3><table id="t"><thead><tr><th>Bid</th><th>Ask</th><th>Strike</th></tr></thead>
      <tbody><tr><td>1.00</td><td>1.10</td><td>100</td></tr><tr><td>2.00</td><td>2.10</td><td>105</td></tr>
      <tr><td>3.00</td><td>3.20</td><td>110</td></tr></tbody></table></body></html>`;
    const { document, close } = parseHtml(page);
    expect(readChain(document).ok).toBe(false);
    const row = document.querySelectorAll('tbody tr')[1]!;
    const clicks = { strikeCell: row.children[2]!, bidCell: row.children[0]! };
    const unsure = inferFromClicks(document, clicks, 'x.example');
    expect(unsure.ok).toBe(false);
    expect(unsure.preview.needsSide).toBe(true);
    expect(unsure.preview.reason).toMatch(/calls or puts/);
    const t = inferFromClicks(document, clicks, 'x.example', { side: 'put' });
    close();
    expect(t.ok).toBe(true);
    // The header's Ask is taken once, on the side the trader named (no cell mapped twice).
    expect(t.profile.columns).toEqual([
      { index: 2, field: 'strike', side: null },
      { index: 1, field: 'ask', side: 'put' },
      { index: 0, field: 'bid', side: 'put' },
    ]);
    expect(t.preview.rows[2]).toEqual({ strike: 110, bid: 3, ask: 3.2 });
  });
});

const QUOTES = [
  { k: 95, cb: 6.1, ca: 6.3, pb: 0.4, pa: 0.5 },
  { k: 100, cb: 2.9, ca: 3.05, pb: 2.2, pa: 2.35 },
  { k: 105, cb: 0.8, ca: 0.9, pb: 5.1, pa: 5.3 },
  { k: 110, cb: 0.15, ca: 0.2, pb: 9.4, pa: 9.7 },
];
/** A headerless straddle list: one <p> per strike, cells in the order the template gives. */
function STRADDLE(cells: string): string {
  const rows = QUOTES.map(
    (q) => `<p class="r">${cells.replace(/\{(\w+)\}/g, (_, f: string) => q[f as keyof typeof q].toFixed(2))}</p>`,
  ).join('');
  return `<html><body><h2>QQQ options, expiring May 15, 2026</h2><div id="q">${rows}</div></body></html>`;
}

describe('a taught profile on a page of the site it was not taught on', () => {
  const profile = {
    version: 1 as const,
    host: 'desk.example',
    rowSelector: '#blotter > div.ln',
    columns: [
      { index: 1, field: 'strike' as const, side: null },
      { index: 2, field: 'bid' as const, side: 'put' as const },
    ],
    side: 'put' as const,
  };
  it('reads the chain with the detector instead, and says the profile read nothing here', () => {
    const { document, close } = parseHtml(`<html><body><h2>SPXW Mar 20, 2026</h2><table>
      <thead><tr><th>Bid</th><th>Ask</th><th>Strike</th><th>Bid</th><th>Ask</th></tr></thead>
      <tbody><tr><td>10.10</td><td>10.40</td><td>5000</td><td>3.10</td><td>3.30</td></tr>
      <tr><td>8.10</td><td>8.40</td><td>5005</td><td>4.10</td><td>4.30</td></tr></tbody></table></body></html>`);
    const r = readChain(document, { profile, now: new Date('2026-03-13T15:00:00Z') });
    close();
    if (!r.ok) throw new Error(r.reason);
    expect(r.report.adapter).toBe('generic-table');
    expect(r.chain.expiries[0]!.rows.map((x) => x.strike)).toEqual([5000, 5005]);
    expect(r.report.notes.join(' ')).toMatch(/profile taught for desk\.example reads nothing here/);
  });
  it('on a page with no chain at all, the reason names the profile', () => {
    const { document, close } = parseHtml('<html><body><p>Account summary</p></body></html>');
    const r = readChain(document, { profile });
    close();
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(/taught profile/);
  });
});
