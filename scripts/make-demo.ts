/**
 * Generates the demo broker pages from the real Cboe downloads (tests/fixtures/cboe, MIT), laid out as a broker's
 * straddle view: SPX in the March 2020 crash (the demo's default: a full strike ladder, VIX at 66.04 on the page),
 * SPX of 14 Mar 2026 (the download lists 18 near-the-money strikes per expiry) and SPY (a full strike ladder). Also writes the figures the tests check, computed here straight
 * from the CSV's rows (not through the page reader or the engine).
 * Run: node --import tsx scripts/make-demo.ts
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { importCboe } from '../src/chain/importers/cboe';
import type { Quote } from '../src/chain/types';

const REPO = resolve(import.meta.dirname, '..');
const OUT = join(REPO, 'tests/fixtures/demo');

interface DemoSpec {
  source: string;
  out: string;
  expiry: string;
  root: string;
  index: string;
  asOfText: string;
  /** The broker's stylesheet (a dark variant shows the overlay following the page's theme). */
  stylesheet?: string;
  /** A VIX quote the page shows beside the underlying, as brokers do (a real close: value and its date). */
  vix?: { value: number; asOfText: string };
}

const DEMOS: DemoSpec[] = [
  {
    // VIX closed at 66.04 on Fri 20 Mar 2020 (Cboe VIX_History.csv); the download is of Sunday 22 Mar, so its
    // quotes are the 20 Mar close.
    source: 'cboe_spx_quotedata_2020-03-22_legacy.dat',
    out: 'spx-2020-03-20',
    expiry: '2020-04-17',
    root: 'SPXW',
    index: 'S&amp;P 500 Index',
    asOfText: '22 Mar 2020 18:24 ET',
    vix: { value: 66.04, asOfText: 'close 20 Mar 2020' },
  },
  {
    source: 'cboe_spx_quotedata_2026-03-14.csv',
    out: 'spx-2026-03-14',
    expiry: '2026-03-27',
    root: 'SPXW',
    index: 'S&amp;P 500 Index',
    asOfText: '14 Mar 2026 07:34 ET',
  },
  {
    source: 'cboe_spy_quotedata_2025-09-25.csv',
    out: 'spy-2025-09-25',
    expiry: '2025-10-24',
    root: 'SPY',
    index: 'SPDR S&amp;P 500 ETF Trust',
    asOfText: '25 Sep 2025 21:05 ET',
  },
  {
    source: 'cboe_spy_quotedata_2025-09-25.csv',
    out: 'spy-2025-09-25-dark',
    expiry: '2025-10-24',
    root: 'SPY',
    index: 'SPDR S&amp;P 500 ETF Trust',
    asOfText: '25 Sep 2025 21:05 ET',
    stylesheet: 'broker-dark.css',
  },
];

function makeDemo({
  source,
  out,
  expiry: EXPIRY,
  root,
  index,
  asOfText,
  stylesheet = 'broker.css',
  vix,
}: DemoSpec): void {
  const SOURCE = join(REPO, 'tests/fixtures/cboe', source);

  const result = importCboe({ text: readFileSync(SOURCE, 'utf8'), fileName: source });
  if (!result.ok) throw new Error(result.reason);
  const chain = result.chain;
  const expiry = chain.expiries.find((e) => e.date === EXPIRY && e.root === root);
  if (!expiry) throw new Error(`no ${root} ${EXPIRY} expiry in ${SOURCE}`);
  const spot = chain.underlying.price;
  if (spot === null) throw new Error('the download has no spot price');

  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const money = (v: number | null) =>
    v === null ? '—' : v.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  const int = (v: number | null) => (v === null ? '—' : v.toLocaleString('en-US'));
  const pct = (v: number | null) => (v === null || v === 0 ? '—' : `${(v * 100).toFixed(2)}%`);
  const dlt = (v: number | null) => (v === null ? '—' : v.toFixed(3));
  const side = (q: Quote | null, cls: string) =>
    [q?.bid ?? null, q?.ask ?? null, q?.last ?? null].map((v) => `<td class="${cls}">${money(v)}</td>`).join('') +
    `<td class="${cls}">${int(q?.volume ?? null)}</td><td class="${cls}">${int(q?.openInterest ?? null)}</td>` +
    `<td class="${cls}">${pct(q?.iv ?? null)}</td><td class="${cls}">${dlt(q?.delta ?? null)}</td>`;

  const rows = expiry.rows
    .map((r) => {
      const cls = [r.strike < spot ? 'itm-call' : '', r.strike > spot ? 'itm-put' : ''].join(' ').trim();
      const callCells = side(r.call, 'c');
      const putCells = side(r.put, 'p');
      return `<tr${cls ? ` class="${cls}"` : ''}>${callCells}<td class="strike">${int(r.strike)}</td>${putCells}</tr>`;
    })
    .join('\n');
  const head = ['Bid', 'Ask', 'Last', 'Volume', 'Open Int', 'IV', 'Delta'];
  const otherDates = [...new Set(chain.expiries.map((e) => e.date))].slice(0, 8);
  if (!otherDates.includes(EXPIRY)) otherDates.push(EXPIRY);

  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${chain.underlying.symbol} Option Chain — Demo Broker</title>
<link rel="stylesheet" href="${stylesheet}">
</head>
<body>
<header class="topbar"><span class="brand">DemoBroker</span><nav><a href="#">Trade</a><a href="#">Positions</a><a href="#">Option Chain</a><a href="#">Research</a></nav></header>
<section class="quote" aria-label="Quote">
  <h1 class="sym">${chain.underlying.symbol}</h1><span class="px">${money(spot)}</span><span class="meta">${index} · delayed quotes as of <time datetime="${chain.asOf}">${asOfText}</time> (Cboe)</span>${vix ? `<span class="vix">VIX ${vix.value.toFixed(2)}</span><span class="meta">Cboe Volatility Index, ${vix.asOfText}</span>` : ''}
</section>
<nav class="expiries" aria-label="Expirations">
${otherDates.map((d) => `  <button type="button"${d === EXPIRY ? ' class="on" aria-pressed="true"' : ''}>${esc(d)}</button>`).join('\n')}
</nav>
<div class="wrap">
<h2>Expiration ${EXPIRY} · ${root} · PM-settled</h2>
<table class="chain">
<thead>
<tr><th class="side" colspan="7">Calls</th><th></th><th class="side" colspan="7">Puts</th></tr>
<tr>${head.map((h) => `<th>${h}</th>`).join('')}<th>Strike</th>${head.map((h) => `<th>${h}</th>`).join('')}</tr>
</thead>
<tbody>
${rows}
</tbody>
</table>
</div>
<p class="note">Demo page generated from Cboe's delayed-quote download (${source}; see tests/fixtures/cboe/README.md for its origin and MIT licence). Not a real broker.</p>
</body>
</html>
`;

  // The figures the tests check, from the CSV rows directly: ATM = the strike whose call and put mids are closest.
  let best: { strike: number; straddleMid: number; gap: number } | null = null;
  let twoSided = 0;
  for (const r of expiry.rows) {
    const c = r.call;
    const p = r.put;
    if (!c || !p || c.bid === null || c.ask === null || p.bid === null || p.ask === null) continue;
    if (c.bid > c.ask || p.bid > p.ask || c.ask <= 0 || p.ask <= 0) continue;
    twoSided++;
    const cm = (c.bid + c.ask) / 2;
    const pm = (p.bid + p.ask) / 2;
    if (!best || Math.abs(cm - pm) < best.gap)
      best = { strike: r.strike, straddleMid: cm + pm, gap: Math.abs(cm - pm) };
  }
  writeFileSync(join(OUT, `${out}.html`), html);
  const expected = {
    source: `tests/fixtures/cboe/${source}`,
    symbol: chain.underlying.symbol,
    asOf: chain.asOf,
    spot,
    expiry: EXPIRY,
    root,
    strikes: expiry.rows.length,
    twoSidedStrikes: twoSided,
    atmStrike: best?.strike ?? null,
    straddleMid: best ? Math.round(best.straddleMid * 100) / 100 : null,
  };
  writeFileSync(join(OUT, `${out}.expected.json`), JSON.stringify(expected, null, 2) + '\n');
  console.log(expected);
}

for (const demo of DEMOS) makeDemo(demo);
