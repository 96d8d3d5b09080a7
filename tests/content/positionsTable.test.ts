// @vitest-environment happy-dom
/**
 * The positions-table reader (src/content/positionsTable.ts) on authored pages shaped like five brokers' positions
 * screens (tests/fixtures/page-positions): the legs each gives are written here by hand from the page; the rows it
 * must not take are rejected with why; a page without one offers nothing, and reading writes nothing into the page.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  findPagePositions,
  isQuantityHeader,
  positionColumns,
  priceBasisOfHeader,
} from '../../src/content/positionsTable';
import type { PageLeg } from '../../src/shared/pageLegs';
import { buildChainPage } from './pageHelpers';

const DIR = join(import.meta.dirname, '../fixtures/page-positions');

function load(file: string): void {
  const html = readFileSync(join(DIR, file), 'utf8');
  const body = /<body>([\s\S]*)<\/body>/.exec(html)?.[1] ?? '';
  document.head.replaceChildren();
  document.body.innerHTML = body; // a test fixture of our own, parsed in the test's DOM
}

const leg = (
  root: string,
  expiry: string,
  kind: 'put' | 'call',
  strike: number,
  quantity: number,
  openPrice: number,
  row: number,
): PageLeg => ({ root, expiry, kind, strike, quantity, openPrice, row });
const OCT = '2025-10-24';
const NO_OPTION = 'names no option (a symbol or a description with root, expiry, strike, put/call)';

beforeEach(() => {
  document.body.replaceChildren();
});

describe('positions tables of different shapes', () => {
  it('thinkorswim-like: descriptions with the multiplier and series, a Unicode minus; the group and totals rows rejected', () => {
    load('thinkorswim-like.html');
    expect(findPagePositions(document)).toEqual({
      tables: 1,
      legs: [
        leg('SPX', OCT, 'put', 5700, 2, 3.1, 2),
        leg('SPX', OCT, 'put', 5800, -2, 5.4, 3),
        leg('SPX', OCT, 'call', 6900, -2, 2.8, 4),
        leg('SPX', OCT, 'call', 7000, 2, 1.05, 5),
        leg('SPX', '2025-11-21', 'put', 5600, 1, 12.6, 6),
      ],
      rejected: [
        { row: 1, text: 'SPX · 6,712.40 · $412.00', reason: NO_OPTION },
        { row: 7, text: 'Overall Totals · $235.00', reason: NO_OPTION },
      ],
    });
  });

  it('tastytrade-like ARIA grid: quantity first, padded OCC symbols, credits shown negative', () => {
    load('tastytrade-like.html');
    expect(findPagePositions(document)).toEqual({
      tables: 1,
      legs: [
        leg('SPXW', OCT, 'put', 5800, -1, 5.4, 1),
        leg('SPXW', OCT, 'put', 5700, 1, 3.1, 2),
        leg('SPXW', OCT, 'call', 6900, -1, 2.8, 3),
        leg('SPXW', OCT, 'call', 7000, 1, 1.05, 4),
        leg('SPXW', OCT, 'put', 5750, -1, 4.25, 5),
      ],
      rejected: [],
    });
  });

  it('IBKR-like: a td header row, "(3)" for −3, the OCC symbol inside the instrument; shares and a fractional position rejected', () => {
    load('ibkr-like.html');
    const found = findPagePositions(document)!;
    expect(found.legs).toEqual([
      leg('SPXW', OCT, 'put', 5700, 3, 3.0833, 2),
      leg('SPXW', OCT, 'put', 5800, -3, 5.3667, 3),
      leg('SPXW', OCT, 'call', 6900, -3, 2.7967, 4),
      leg('SPXW', OCT, 'call', 7000, 3, 1.0433, 5),
    ]);
    expect(found.rejected.map((r) => [r.row, r.reason])).toEqual([
      [1, NO_OPTION],
      [6, 'quantity "1.5" is not a whole number of contracts'],
    ]);
  });

  it('E*TRADE-like: unsigned Qty # signed by the Long/Short column, Price Paid $; a date without its year rejected', () => {
    load('etrade-like.html');
    const found = findPagePositions(document)!;
    expect(found.legs).toEqual([
      leg('SPXW', OCT, 'put', 5700, 4, 3.15, 1),
      leg('SPXW', OCT, 'put', 5800, -4, 5.45, 2),
      leg('SPXW', OCT, 'call', 6900, -4, 2.75, 3),
      leg('SPXW', OCT, 'call', 7000, 4, 1.1, 4),
      leg('QQQ', '2025-11-21', 'put', 560, 2, 5.2, 6),
    ]);
    expect(found.rejected).toEqual([
      {
        row: 5,
        text: 'SPXW Oct 24 $5,600 Put · 0.80 · 2 · Long · 1.65 · -4.00',
        reason:
          'reads like an option but not as one HedgeLens can take: root, expiry with its year, strike and put/call',
      },
    ]);
  });

  it('Fidelity-like: symbol and description in one cell, a total cost basis divided by |qty| × 100', () => {
    load('fidelity-like.html');
    const found = findPagePositions(document)!;
    // 310.65 / (1 × 100), 539.35 / 100, 279.35 / 100, 105.65 / 100.
    expect(found.legs).toEqual([
      leg('SPXW', OCT, 'put', 5700, 1, 3.1065, 1),
      leg('SPXW', OCT, 'put', 5800, -1, 5.3935, 2),
      leg('SPXW', OCT, 'call', 6900, -1, 2.7935, 3),
      leg('SPXW', OCT, 'call', 7000, 1, 1.0565, 4),
    ]);
    expect(found.rejected.map((r) => r.row)).toEqual([5]); // the money market line
  });
});

it('a grid with a pinned column: the two halves of each row, joined by aria-rowindex, make one leg', () => {
  load('pinned-grid.html');
  const found = findPagePositions(document)!;
  expect(found.legs).toEqual([
    leg('SPXW', OCT, 'put', 5700, 3, 3.0833, 1),
    leg('SPXW', OCT, 'put', 5800, -3, 5.3667, 2),
    leg('SPXW', OCT, 'call', 6900, -3, 2.7967, 3),
    leg('SPXW', OCT, 'call', 7000, 3, 1.0433, 4),
  ]);
  expect(found.rejected).toEqual([{ row: 5, text: 'Total · ($756.00) · $455.00', reason: NO_OPTION }]);
});

describe('nothing to offer', () => {
  it('a page with a chain and a holdings table of shares only', () => {
    load('no-options.html');
    expect(findPagePositions(document)).toBeNull();
  });

  it('a chain page alone: its table is passed over at its header (no quantity column)', () => {
    buildChainPage(document);
    expect(findPagePositions(document)).toBeNull();
  });

  it('a page without tables', () => {
    document.body.textContent = 'Welcome back. Your positions are loading…';
    expect(findPagePositions(document)).toBeNull();
  });

  it('a quantity and price header whose rows name no option is not a positions table of options', () => {
    document.body.innerHTML =
      '<table><tr><th>Symbol</th><th>Qty</th><th>Avg Price</th></tr><tr><td>SPY</td><td>10</td><td>600.00</td></tr></table>';
    expect(findPagePositions(document)).toBeNull();
  });
});

it('reading writes nothing into the page', () => {
  load('thinkorswim-like.html');
  const before = document.documentElement.outerHTML;
  expect(findPagePositions(document)!.legs).toHaveLength(5);
  expect(document.documentElement.outerHTML).toBe(before);
});

describe('header words', () => {
  it('quantity headers, and the columns that only look like one', () => {
    for (const h of ['Qty', 'Quantity', 'Qty #', 'Position', 'Pos', 'Net Pos', 'Contracts', 'QTY ▲', 'Qty (sortable)'])
      expect(isQuantityHeader(h)).toBe(true);
    for (const h of ['Volume', 'Open Int', 'Position Value', 'Qty Avg Price', 'Day Change', 'Symbol'])
      expect(isQuantityHeader(h)).toBe(false);
  });

  it('open prices per share, per contract and as a total; current prices are not open prices', () => {
    const basis = (h: string) => priceBasisOfHeader(h);
    for (const h of [
      'Trade Price',
      'Avg Price',
      'Average Price',
      'Avg Open Price',
      'Open Price',
      'Price Paid $',
      'Cost/Share',
      'Average Cost Basis',
      'Cost Basis Per Share',
    ])
      expect(basis(h), h).toBe('share');
    expect(basis('Cost Basis per Contract')).toBe('contract');
    expect(basis('Cost Basis Total')).toBe('total');
    expect(basis('Cost Basis')).toBe('total');
    for (const h of ['Price', 'Mark', 'Last', 'Last Price $', 'Market Value', 'P/L Open', "Day's Gain $", 'Bid'])
      expect(basis(h), h).toBeNull();
  });

  it('a header needs both a quantity and an open price', () => {
    const cols = (names: string[]) => positionColumns(names.map((text, col) => ({ text, col })));
    expect(cols(['Symbol', 'Qty', 'Trade Price', 'Mark'])).toEqual({
      quantity: 1,
      price: 2,
      basis: 'share',
      side: null,
    });
    expect(cols(['Symbol', 'Side', 'Qty', 'Cost Basis'])).toEqual({ quantity: 2, price: 3, basis: 'total', side: 1 });
    expect(cols(['Symbol', 'Qty', 'Mark'])).toBeNull();
    expect(cols(['Bid', 'Ask', 'Strike', 'Bid', 'Ask'])).toBeNull();
  });
});
