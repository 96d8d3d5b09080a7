import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importPositionsText } from '../../src/positions/import/index';
import type { Position, PositionImportResult } from '../../src/positions/types';

const DIR = resolve(__dirname, '../fixtures/positions');
const fixture = (name: string): string => readFileSync(resolve(DIR, name), 'utf8');

function ok(r: PositionImportResult): {
  positions: Position[];
  report: Extract<PositionImportResult, { ok: true }>['report'];
} {
  if (!r.ok) throw new Error(`import failed: ${r.reason}`);
  return r;
}

/** The legs as [OCC or symbol, signed quantity, open price] for compact comparison. */
function legs(p: Position): [string, number, number][] {
  return p.legs.map((l) => [l.asset === 'option' ? l.occ : l.symbol, l.quantity, l.openPrice]);
}

/** Replace one line (1-based) of a fixture, keeping its line ending. */
function withLine(text: string, line: number, replacement: string): string {
  const lines = text.split(/(?<=\n)/);
  const eol = lines[line - 1]!.match(/\r?\n$/)?.[0] ?? '';
  lines[line - 1] = replacement + eol;
  return lines.join('');
}

function rejects(text: string, line: number | null, ...phrases: string[]): void {
  const r = importPositionsText(text);
  expect(r.ok).toBe(false);
  if (r.ok) return;
  expect(r.line).toBe(line);
  if (line !== null) expect(r.reason).toContain(`line ${line}:`);
  for (const p of phrases) expect(r.reason).toContain(p);
}

describe('thinkorswim account statement', () => {
  const text = fixture('thinkorswim-statement.csv');

  it('imports the iron condor of the Options section: legs, quantities, open prices (BOM, CRLF)', () => {
    expect(text.charCodeAt(0)).toBe(0xfeff);
    expect(text).toContain('\r\n');
    const { positions, report } = ok(importPositionsText(text));
    expect(report.format).toBe('thinkorswim-statement');
    expect(positions.map((p) => p.name)).toEqual(['SPX 2026-04-17 iron condor', 'SPY 100 shares']);
    const condor = positions[0]!;
    expect(condor.structure).toBe('iron condor');
    expect(condor.underlying).toBe('SPX');
    expect(condor.expiries).toEqual(['2026-04-17']);
    expect(legs(condor)).toEqual([
      ['SPXW  260417P06300000', 2, 1.2],
      ['SPXW  260417P06400000', -2, 2.35],
      ['SPXW  260417C06900000', -2, 1.85],
      ['SPXW  260417C07000000', 2, 0.65],
    ]);
    expect(condor.legs.map((l) => l.line)).toEqual([38, 39, 37, 36]);
    const first = condor.legs[0]!;
    expect(first).toMatchObject({ asset: 'option', root: 'SPXW', strike: 6300, kind: 'put', multiplier: 100 });
    // The credit of the condor: 2.35 − 1.20 + 1.85 − 0.65 = 2.35 a share.
    const credit = condor.legs.reduce((s, l) => s - Math.sign(l.quantity) * l.openPrice, 0);
    expect(credit).toBeCloseTo(2.35, 10);
    expect(legs(positions[1]!)).toEqual([['SPY', 100, 661.42]]);
  });

  it('reports every line it did not take, with its line number', () => {
    const { report } = ok(importPositionsText(text));
    const byLine = new Map(report.skipped.map((s) => [s.line, s.reason]));
    expect(byLine.get(40)).toBe('Options section total row');
    expect(byLine.get(7)).toBe('section "Cash Balance" (not a holding)');
    expect(byLine.get(24)).toContain('trade history fill');
    // Every non-blank line is either a leg or a skipped line.
    const nonBlank = text.split(/\r?\n/).filter((l) => l.replace(/^\ufeff/, '').trim() !== '').length;
    expect(report.skipped.length + report.legs).toBe(nonBlank);
  });

  it('nets the trade history when there is no Options section, and says how the roots were taken', () => {
    const { positions, report } = ok(importPositionsText(fixture('thinkorswim-trade-history-only.csv')));
    // The March vertical was opened and closed; the April one (3 lots, 4.10 and 2.65) is open.
    expect(positions.map((p) => p.name)).toEqual(['SPY 2026-04-17 put vertical']);
    expect(legs(positions[0]!)).toEqual([
      ['SPY   260417P00640000', 3, 2.65],
      ['SPY   260417P00650000', -3, 4.1],
    ]);
    expect(report.skipped.filter((s) => s.reason.includes('closed again')).map((s) => s.line)).toEqual([7, 8, 11, 12]);
    expect(report.notes.join(' ')).toContain('netted from 6 trade-history fills');
  });

  it('rejects a row the Options section cannot place: unknown option description', () => {
    rejects(withLine(text, 37, 'SPX,SPXW APR 17 6900,17 APR 26,6900,CALL,-2,1.85,1.40,($280.00)'), 37, 'Option Code');
  });

  it('rejects a bad number', () => {
    rejects(
      withLine(text, 36, 'SPX,SPXW260417C7000,17 APR 26,7000,CALL,+two,.65,.50,$100.00'),
      36,
      'column "Qty"',
      '"+two"',
    );
    rejects(
      withLine(text, 36, 'SPX,SPXW260417C7000,17 APR 26,7000,CALL,+2,0.6.5,.50,$100.00'),
      36,
      'column "Trade Price"',
    );
  });

  it('rejects a bad date, and an expiry that disagrees with the option code', () => {
    rejects(
      withLine(text, 36, 'SPX,SPXW260417C7000,31 APR 26,7000,CALL,+2,.65,.50,$100.00'),
      36,
      'column "Exp"',
      '31 APR 26',
    );
    rejects(
      withLine(text, 36, 'SPX,SPXW260417C7000,18 APR 26,7000,CALL,+2,.65,.50,$100.00'),
      36,
      '"Exp" says "2026-04-18"',
    );
    rejects(withLine(text, 25, ',,,SELL,-2,TO OPEN,SPX,17 APX 26,6900,CALL,1.85,CREDIT,'), 25, 'column "Exp"');
  });

  it('rejects an unknown section and a line outside any section', () => {
    const unknown = text.replace(
      '\r\nProfits and Losses\r\n',
      '\r\nCrypto Holdings\r\nSymbol,Qty,Trade Price\r\nBTC,1,60000\r\n\r\nProfits and Losses\r\n',
    );
    rejects(unknown, 42, 'unknown section "Crypto Holdings"');
    rejects(withLine(text, 1, 'Some other report,1,2'), 1, 'expected the statement preamble or a section title');
  });

  it('rejects a futures options row rather than leaving it out', () => {
    const fop = text.replace(
      '\r\nProfits and Losses\r\n',
      '\r\nFutures Options\r\nSymbol,Option Code,Exp,Strike,Type,Qty,Trade Price,Mark,Mark Value\r\n/ES,./EW3J26P6400,17 APR 26,6400,PUT,-1,20.00,18.00,"($900.00)"\r\n\r\nProfits and Losses\r\n',
    );
    rejects(fop, 44, 'futures options are not imported yet');
  });

  it('reads older and annotated expiry forms in the Options section: "MAR 15"-style and "(Weeklys)"', () => {
    const older = withLine(text, 36, 'SPX,SPXW260417C7000,APR 26,7000,CALL,+2,.65,.50,$100.00');
    expect(legs(ok(importPositionsText(older)).positions[0]!)[3]).toEqual(['SPXW  260417C07000000', 2, 0.65]);
    const weeklys = withLine(text, 36, 'SPX,SPXW260417C7000,17 APR 26 (Weeklys),7000,CALL,+2,.65,.50,$100.00');
    expect(ok(importPositionsText(weeklys)).positions[0]!.structure).toBe('iron condor');
    rejects(withLine(text, 36, 'SPX,SPXW260417C7000,MAY 26,7000,CALL,+2,.65,.50,$100.00'), 36, '"Exp" says "2026-05"');
  });

  it('skips a futures fill when the Options section gives the holding, and rejects it when fills must be netted', () => {
    const fut = ',3/4/26 11:00:00,SINGLE,BUY,+1,TO OPEN,/MESM26,JUN 26,,FUTURE,6700.25,6700.25,MKT';
    const withFuture = text.replace(
      ',,,SELL,-2,TO OPEN,SPX,17 APR 26,6400,PUT,2.35,,\r\n',
      `,,,SELL,-2,TO OPEN,SPX,17 APR 26,6400,PUT,2.35,,\r\n${fut}\r\n`,
    );
    const { report } = ok(importPositionsText(withFuture));
    expect(report.skipped.find((s) => s.line === 28)?.reason).toBe('futures fill in the trade history (not read)');
    const t = fixture('thinkorswim-trade-history-only.csv');
    rejects(withLine(t, 9, fut), 9, 'futures fills are not imported yet');
  });

  it('rejects trade-history fills that close more than the file opens', () => {
    const t = fixture('thinkorswim-trade-history-only.csv');
    rejects(
      withLine(t, 7, ',3/12/26 14:02:11,VERTICAL,BUY,+2,TO CLOSE,SPY,20 MAR 26,640,PUT,.30,.20,LMT'),
      7,
      'no opening fill',
    );
  });
});

describe('tastytrade', () => {
  it('positions CSV: a QQQ put vertical and 100 shares', () => {
    const { positions, report } = ok(importPositionsText(fixture('tastytrade-positions.csv')));
    expect(report.format).toBe('tastytrade-positions');
    expect(positions.map((p) => p.name)).toEqual(['QQQ 100 shares', 'QQQ 2026-05-15 put vertical']);
    expect(positions[1]!.account).toBe('5WT00001');
    expect(legs(positions[1]!)).toEqual([
      ['QQQ   260515P00470000', 2, 2.05],
      ['QQQ   260515P00480000', -2, 3.12],
    ]);
    expect(legs(positions[0]!)).toEqual([['QQQ', 100, 510]]);
  });

  it('positions CSV: rejects a strike that disagrees with the symbol and an option without an OCC symbol', () => {
    const text = fixture('tastytrade-positions.csv');
    rejects(
      withLine(
        text,
        2,
        '5WT00001,QQQ   260515P00480000,OPTION,-2,5/15/26,63,485,PUT,521.34,84.00,12.00,3.12,28.4,14.2',
      ),
      2,
      '"Strike Price" says 485',
    );
    rejects(
      withLine(text, 2, '5WT00001,QQQ May 15 480 P,OPTION,-2,5/15/26,63,480,PUT,521.34,84.00,12.00,3.12,28.4,14.2'),
      2,
      'expected an OCC option symbol',
    );
    rejects(
      withLine(text, 2, '5WT00001,QQQ   260515P00480000,OPTION,-2,5/15/26,63,480,PUT,521.34,84.00,12.00,n/a,28.4,14.2'),
      2,
      'column "Trade Price"',
    );
  });

  it('transactions CSV: the open iron condor, with the expired put and the deposit skipped', () => {
    const { positions, report } = ok(importPositionsText(fixture('tastytrade-transactions.csv')));
    expect(report.format).toBe('tastytrade-transactions');
    expect(positions.map((p) => p.name)).toEqual(['SPX 2026-04-17 iron condor']);
    expect(legs(positions[0]!)).toEqual([
      ['SPXW  260417P06300000', 1, 1.2],
      ['SPXW  260417P06400000', -1, 2.35],
      ['SPXW  260417C06900000', -1, 1.85],
      ['SPXW  260417C07000000', 1, 0.65],
    ]);
    expect(report.skipped.map((s) => s.line)).toEqual([1, 2, 7, 8]);
  });

  it('transactions CSV: rejects an unknown action, a bad date and an unknown row type', () => {
    const text = fixture('tastytrade-transactions.csv');
    const row = text.split('\n')[3]!;
    rejects(withLine(text, 4, row.replace('BUY_TO_OPEN', 'BUY')), 4, 'column "Action"');
    rejects(withLine(text, 4, row.replace(',4/17/26,', ',4/31/26,')), 4, 'column "Expiration Date"');
    rejects(withLine(text, 4, row.replace(',Trade,', ',Journal,')), 4, 'column "Type"');
  });
});

describe('Interactive Brokers activity statement', () => {
  const text = fixture('ibkr-activity.csv');

  it('reads the Open Positions Summary rows: a SPY call butterfly and 100 shares', () => {
    const { positions, report } = ok(importPositionsText(text));
    expect(report.format).toBe('ibkr-activity');
    expect(positions.map((p) => p.name)).toEqual(['SPY 100 shares', 'SPY 2026-05-15 call butterfly']);
    const fly = positions[1]!;
    expect(fly.legs.map((l) => [l.asset === 'option' ? l.occ : '', l.quantity])).toEqual([
      ['SPY   260515C00600000', 2],
      ['SPY   260515C00610000', -4],
      ['SPY   260515C00620000', 2],
    ]);
    // Cost Basis / (Quantity × Mult): 13,680.65 / 200, −24,080.65 / −400, 10,460.65 / 200.
    expect(fly.legs[0]!.openPrice).toBeCloseTo(68.40325, 3);
    expect(fly.legs[1]!.openPrice).toBeCloseTo(60.201625, 3);
    expect(fly.legs[2]!.openPrice).toBeCloseTo(52.30325, 3);
    expect(legs(positions[0]!)).toEqual([['SPY', 100, 661.42]]);
    const byLine = new Map(report.skipped.map((s) => [s.line, s.reason]));
    expect(byLine.get(15)).toContain('lot detail');
    expect(byLine.get(21)).toBe('Open Positions Total row');
    expect(byLine.get(24)).toContain('section "Trades"');
  });

  it('rejects an unknown row kind, an unknown option description and an unknown asset category', () => {
    rejects(
      withLine(
        text,
        18,
        'Open Positions,Datum,Summary,Equity and Index Options,USD,SPY 15MAY26 600 C,2,100,68.4,13680.65,70.1,14020,339.35,',
      ),
      18,
      'Header|Data',
    );
    rejects(
      withLine(
        text,
        18,
        'Open Positions,Data,Summary,Equity and Index Options,USD,SPY MAY26 600 C,2,100,68.4,13680.65,70.1,14020,339.35,',
      ),
      18,
      'expected an option like "SPX 17APR26 6400 P"',
    );
    rejects(
      withLine(
        text,
        18,
        'Open Positions,Data,Summary,Options On Futures,USD,ES 17APR26 6400 P,2,100,68.4,13680.65,70.1,14020,339.35,',
      ),
      18,
      'asset category "Options On Futures"',
    );
    rejects(
      withLine(
        text,
        18,
        'Open Positions,Data,Summary,Equity and Index Options,USD,SPY 31APR26 600 C,2,100,68.4,13680.65,70.1,14020,339.35,',
      ),
      18,
      'column "Symbol"',
    );
    rejects(
      withLine(
        text,
        18,
        'Open Positions,Data,Summary,Equity and Index Options,USD,SPY 15MAY26 600 C,2,100,68.4,--,70.1,14020,339.35,',
      ),
      18,
      'column "Cost Basis"',
    );
  });
});

describe('Schwab positions', () => {
  const text = fixture('schwab-positions.csv');

  it('reads a SPX put vertical and AAPL shares; cash and total rows are skipped', () => {
    const { positions, report } = ok(importPositionsText(text));
    expect(report.format).toBe('schwab-positions');
    expect(positions.map((p) => p.name)).toEqual(['AAPL 50 shares', 'SPX 2026-04-17 put vertical']);
    // Cost Basis / (|Qty| × 100): $370 / 200 = 1.85, $470 / 200 = 2.35; AAPL $10,512.50 / 50 = 210.25.
    expect(legs(positions[1]!)).toEqual([
      ['SPXW  260417P06350000', 2, 1.85],
      ['SPXW  260417P06400000', -2, 2.35],
    ]);
    expect(legs(positions[0]!)).toEqual([['AAPL', 50, 210.25]]);
    expect(positions[1]!.account).toBe('Individual ...321');
    expect(report.skipped).toEqual([
      { line: 1, reason: 'account title' },
      { line: 3, reason: 'header' },
      { line: 7, reason: 'summary row "Cash & Cash Investments"' },
      { line: 8, reason: 'summary row "Account Total"' },
    ]);
  });

  it('rejects an unknown option description, a bad date and a bad number', () => {
    const row = text.split('\r\n')[4]!;
    rejects(
      withLine(text, 5, row.replace('SPXW 04/17/2026 6400.00 P', 'SPXW APR 17 2026 6400 PUT')),
      5,
      'expected an option like "SPXW 04/17/2026 6400.00 P"',
    );
    rejects(
      withLine(text, 5, row.replace('SPXW 04/17/2026 6400.00 P', 'SPXW 02/30/2026 6400.00 P')),
      5,
      'column "Symbol": expected a date',
    );
    rejects(withLine(text, 5, row.replace('"-$470.00"', '"-$4 70.x"')), 5, 'column "Cost Basis"');
  });
});

describe('Fidelity positions', () => {
  const text = fixture('fidelity-positions.csv');

  it('reads a short SPX call vertical; money market, pending activity and the disclaimer are skipped', () => {
    const { positions, report } = ok(importPositionsText(text));
    expect(report.format).toBe('fidelity-positions');
    expect(positions.map((p) => p.name)).toEqual(['SPX 2026-04-17 call vertical']);
    // Cost Basis Total / (|Quantity| × 100): $555 / 300 = 1.85, $195 / 300 = 0.65.
    expect(legs(positions[0]!)).toEqual([
      ['SPXW  260417C06900000', -3, 1.85],
      ['SPXW  260417C07000000', 3, 0.65],
    ]);
    expect(report.skipped.map((s) => s.line)).toEqual([1, 2, 5, 7, 9, 11]);
  });

  it('rejects an unknown option description, a bad number and a data row after the disclaimer', () => {
    const row = text.split('\n')[2]!;
    rejects(
      withLine(text, 3, row.replace('-SPXW260417C6900', '-SPXW2604C6900')),
      3,
      'expected an option like "-SPXW260417P6400"',
    );
    rejects(withLine(text, 3, row.replace(',-3,', ',-3x,')), 3, 'column "Quantity"');
    rejects(withLine(text, 11, 'Z12345678,Individual,SPY,SPDR,10,$600.00'), 11, 'expected only disclaimer text');
  });
});

describe('format detection', () => {
  it('names an unknown file and an empty one', () => {
    rejects('Date,Amount\n2026-01-02,5\n', null, 'not a position file HedgeLens reads');
    rejects('\ufeff\r\n', null, 'the file is empty');
  });

  it('says which header identified each format', () => {
    const cases: [string, string][] = [
      ['thinkorswim-statement.csv', 'This document was exported from the thinkorswim platform.'],
      ['ibkr-activity.csv', 'Statement,Header,Field Name,Field Value'],
      ['schwab-positions.csv', 'Positions for account Individual ...321 as of 04:12 PM ET, 2026/03/13'],
    ];
    for (const [file, by] of cases) expect(ok(importPositionsText(fixture(file))).report.detectedBy).toBe(by);
  });
});
