import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/cli/commands/scrape';
import { UsageError, type CliIo } from '../../src/cli/io';
import { FIXTURES_DIR } from '../helpers/shared';
import { parseHtml } from '../../src/brokers/node';
import { reportPage, seededRandom } from '../../src/brokers/report';

function fakeIo(files: Record<string, string>) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    stdout: (t) => void out.push(t),
    stderr: (t) => void err.push(t),
    readFile: async (p) => {
      if (!(p in files)) throw new Error(`ENOENT: ${p}`);
      return files[p]!;
    },
    now: () => new Date('2026-03-14T11:34:00Z'),
  };
  return { io, out, err };
}

const yahoo = readFileSync(resolve(FIXTURES_DIR, 'yahoo/yahoo_options_AAPL_2014-10_pdr1.html'), 'utf8');

describe('hedgelens scrape', () => {
  it('--json prints the Chain JSON and the report', async () => {
    const { io, out, err } = fakeIo({ 'aapl.html': yahoo });
    expect(await run(['aapl.html', '--json'], io)).toBe(0);
    const parsed = JSON.parse(out.join(''));
    expect(parsed.chain.version).toBe(1);
    expect(parsed.chain.underlying).toEqual({ symbol: 'AAPL', price: 104.83 });
    expect(parsed.chain.source).toEqual({ kind: 'html', adapter: 'yahoo', name: 'aapl.html' });
    expect(parsed.chain.expiries[0].date).toBe('2014-10-24');
    expect(parsed.chain.expiries[0].rows).toHaveLength(45);
    expect(parsed.report.rowsRead).toBe(80);
    expect(err).toEqual([]);
  });

  it('prints a readable summary by default', async () => {
    const { io, out } = fakeIo({ 'aapl.html': yahoo });
    expect(await run(['aapl.html'], io)).toBe(0);
    const text = out.join('');
    expect(text).toMatch(/AAPL \(104\.83\) via yahoo/);
    expect(text).toMatch(/2014-10-24 AAPL PM: 45 strikes 55–130, 42 calls, 38 puts/);
    expect(text).toMatch(/80 rows read, 0 dropped/);
  });

  it('a page with no chain exits 2 with one line on stderr', async () => {
    const { io, err } = fakeIo({
      'news.html':
        '<html><body><h1>Markets</h1><table><tr><th>Name</th><th>Price</th></tr><tr><td>Gold</td><td>2,400.10</td></tr></table></body></html>',
    });
    expect(await run(['news.html'], io)).toBe(2);
    expect(err).toHaveLength(1);
    expect(err[0]).toMatch(/no option chain in news\.html: .*Strike/);
  });

  it('reads a broker API chain JSON (Schwab/TD Ameritrade, Tradier) like a page', async () => {
    const td = readFileSync(resolve(FIXTURES_DIR, 'broker-api/tdameritrade_api_chain_F_2020-12-09.jsonc'), 'utf8');
    const tradier = readFileSync(resolve(FIXTURES_DIR, 'broker-api/tradier_chain_SPY_authored.json'), 'utf8');
    const { io, out } = fakeIo({ 'f.jsonc': td, 't.json': tradier });
    expect(await run(['f.jsonc'], io)).toBe(0);
    expect(out.join('')).toMatch(/^f\.jsonc: F \(9\.425\) via schwab-json\n {2}2020-12-11 F PM: 27 strikes 0\.5–14\.5/);
    out.length = 0;
    expect(await run(['t.json', '--json'], io)).toBe(0);
    const parsed = JSON.parse(out.join(''));
    expect(parsed.chain.source).toEqual({ kind: 'json', adapter: 'tradier-json', name: 't.json' });
    expect(parsed.chain.expiries).toHaveLength(2);
  });

  it("a JSON file that is no chain exits 2 with the importer's reason", async () => {
    const { io, err } = fakeIo({ 'x.json': '{"options": null}' });
    expect(await run(['x.json'], io)).toBe(2);
    expect(err).toEqual(['no option chain in x.json: the Tradier chain is empty ("options" holds no option)\n']);
  });

  it('reads a "Report this page" file like the page it came from', async () => {
    const { document, close } = parseHtml(yahoo);
    const report = reportPage(document, { random: seededRandom(3) }).html;
    close();
    const { io, out } = fakeIo({ 'report.html': report });
    expect(await run(['report.html'], io)).toBe(0);
    expect(out.join('')).toMatch(/AAPL PM: 45 strikes [\d.]+–[\d.]+, 42 calls, 38 puts/);
    expect(out.join('')).toMatch(/80 rows read, 0 dropped/);
  });

  it('bad usage is a UsageError (exit 2)', async () => {
    const { io } = fakeIo({});
    await expect(run([], io)).rejects.toBeInstanceOf(UsageError);
    await expect(run(['a.html', '--bogus'], io)).rejects.toBeInstanceOf(UsageError);
    await expect(run(['missing.html'], io)).rejects.toThrow(/cannot read missing\.html/);
  });
});
