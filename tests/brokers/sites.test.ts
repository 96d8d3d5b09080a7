/** Site adapters are data: lint the data, then read every saved fixture and check its expected counts. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readChainFromHtml, parseHtml } from '../../src/brokers/node';
import { SITES } from '../../src/brokers/sites';
import { adapterForUrl, patternToRegExp } from '../../src/brokers/sites/match';
import { REPO_DIR } from '../helpers/shared';

const NOW = new Date('2026-03-14T15:00:00Z');

describe('site adapter data (lint)', () => {
  it('one folder per site, ids unique and sorted, each folder listed', () => {
    const ids = SITES.map((s) => s.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
    const folders = readdirSync(resolve(REPO_DIR, 'src/brokers/sites'), { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name);
    expect(folders.sort()).toEqual([...ids].sort());
  });

  it('URL patterns are valid match patterns and never duplicated across sites', () => {
    const all = SITES.flatMap((s) => s.urlPatterns);
    expect(new Set(all).size).toBe(all.length);
    for (const p of all) expect(patternToRegExp(p), p).not.toBeNull();
  });

  it('selector hints are valid CSS and unique per hint list', () => {
    const { document, close } = parseHtml('<html><body></body></html>');
    for (const s of SITES)
      for (const list of [...Object.values(s.hints), s.detect ?? []]) {
        expect(new Set(list).size).toBe(list.length);
        for (const sel of list) expect(() => document.querySelector(sel), `${s.id}: ${sel}`).not.toThrow();
      }
    close();
  });

  it('every site says what is verified; only real captured pages may claim it', () => {
    for (const s of SITES) {
      expect(s.provenance.length).toBeGreaterThan(20);
      if (s.verified === 'real-page')
        expect(s.fixtures.every((f) => f.file.startsWith('tests/fixtures/yahoo/'))).toBe(true);
    }
    expect(SITES.filter((s) => s.verified === 'authored').map((s) => s.id)).toEqual([
      'cboe',
      'etrade',
      'fidelity',
      'ibkr',
      'robinhood',
      'schwab',
      'tastytrade',
      'thinkorswim',
      'tradestation',
      'webull',
    ]);
  });

  it('each fixture URL selects its own adapter', () => {
    for (const s of SITES) for (const f of s.fixtures) if (f.url) expect(adapterForUrl(SITES, f.url)?.id).toBe(s.id);
  });
});

describe('site fixtures read to their expected counts', () => {
  for (const s of SITES)
    for (const f of s.fixtures) {
      it(`${s.id}: ${f.file.split('/').pop()}`, () => {
        const path = resolve(REPO_DIR, f.file);
        expect(existsSync(path)).toBe(true);
        const r = readChainFromHtml(readFileSync(path, 'utf8'), { url: f.url, now: NOW });
        if (!r.ok) throw new Error(`${s.id}: ${r.reason}`);
        const rows = r.chain.expiries.flatMap((e) => e.rows);
        expect({
          calls: rows.filter((x) => x.call).length,
          puts: rows.filter((x) => x.put).length,
          expiries: r.chain.expiries.length,
          symbol: r.chain.underlying.symbol,
          price: r.chain.underlying.price,
        }).toEqual(f.expect);
        expect(r.report.rowsDropped).toBe(0);
        expect(r.report.adapter).toBe(s.id);
        for (const e of r.chain.expiries)
          for (const x of e.rows)
            for (const q of [x.call, x.put]) if (q) expect(q.bid !== null || q.ask !== null).toBe(true);
      });
    }
});
