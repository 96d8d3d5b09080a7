import { describe, expect, it } from 'vitest';
import { run } from '../../src/cli/commands/price';
import type { CliIo } from '../../src/cli/io';

function fakeIo(files: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    readFile: async (p) => {
      if (p in files) return files[p]!;
      throw new Error(`ENOENT: ${p}`);
    },
    now: () => new Date('2026-03-14T12:00:00Z'),
  };
  return { io, out, err };
}

describe('hedgelens price', () => {
  it('--batch: greeks in the reference units, IVs, reasons, in order', async () => {
    const lines = [
      { id: 'a', model: 'bsm', type: 'call', S: 100, K: 100, T: 1, r: 0, q: 0, sigma: 0.2 },
      { id: 'b', model: 'b76', type: 'put', F: 20, K: 25, T: 0.1, r: 0.04, sigma: 1.1 },
      { id: 'c', model: 'bsm', type: 'call', S: 100, K: 100, T: 1, r: 0, q: 0, price: 7.965567455405804 },
      { id: 'd', model: 'bsm', type: 'call', S: 100, K: 95, T: 0.1, r: 0, q: 0, price: 4.1 },
    ];
    const { io, out } = fakeIo({ 'in.jsonl': `${lines.map((l) => JSON.stringify(l)).join('\n')}\n\n` });
    expect(await run(['--batch', 'in.jsonl'], io)).toBe(0);
    const rows = out
      .join('')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(rows.map((r) => r['id'])).toEqual(['a', 'b', 'c', 'd']);
    // ATM, r = q = 0, σ = 0.2, T = 1: price = 2Φ(0.1) − 1, vega = φ(0.1)·100
    expect(rows[0]!['price']).toBeCloseTo(7.965567455405804, 12);
    expect(rows[0]!['vega']).toBeCloseTo(39.69525474770118, 11);
    expect(rows[0]!['vega_1pct']).toBeCloseTo(0.3969525474770118, 13);
    expect(rows[0]!['theta_day']).toBeCloseTo((rows[0]!['theta'] as number) / 365, 15);
    for (const k of [
      'price',
      'delta',
      'gamma',
      'vega',
      'theta',
      'rho',
      'itm_prob',
      'vega_1pct',
      'theta_day',
      'rho_1pct',
    ]) {
      expect(typeof rows[1]![k]).toBe('number');
    }
    expect(rows[1]!['rho']).toBeCloseTo(-0.1 * (rows[1]!['price'] as number), 14);
    expect(rows[2]!['iv']).toBeCloseTo(0.2, 14);
    expect(rows[3]).toMatchObject({ iv: null, reason: 'below-intrinsic' });
    expect(String(rows[3]!['message'])).toContain('below the discounted intrinsic value 5');
  });

  it('a malformed line stops with a UsageError naming the line', async () => {
    const { io } = fakeIo({
      'bad.jsonl':
        '{"model":"bsm","type":"call","S":100,"K":100,"T":1,"r":0,"sigma":0.2}\n{"model":"bsm","type":"call","S":100}\n',
    });
    await expect(run(['--batch', 'bad.jsonl'], io)).rejects.toMatchObject({
      name: 'UsageError',
      message: expect.stringMatching(/line 2: missing K/),
    });
    const { io: io2 } = fakeIo({ 'x.jsonl': 'not json\n' });
    await expect(run(['--batch', 'x.jsonl'], io2)).rejects.toMatchObject({
      name: 'UsageError',
      message: 'x.jsonl line 1: not a JSON object',
    });
    const { io: io3 } = fakeIo({ 'y.jsonl': '{"type":"straddle","S":1,"K":1,"T":1,"r":0,"sigma":1}\n' });
    await expect(run(['--batch', 'y.jsonl'], io3)).rejects.toMatchObject({
      name: 'UsageError',
      message: expect.stringMatching(/line 1: type must be/),
    });
    await expect(run(['--batch', 'missing.jsonl'], io3)).rejects.toMatchObject({ name: 'UsageError' });
  });

  it('single option: table and --json', async () => {
    const args = [
      '--model',
      'bsm',
      '--type',
      'call',
      '--S',
      '6600',
      '--K',
      '6650',
      '--T',
      '0.05',
      '--r',
      '0.04',
      '--q',
      '0.01',
      '--sigma',
      '0.2',
    ];
    const t = fakeIo();
    expect(await run(args, t.io)).toBe(0);
    const text = t.out.join('');
    expect(text).toMatch(/Black-Scholes-Merton call/);
    expect(text).toMatch(/theta \(per calendar day\)/);
    const j = fakeIo();
    expect(await run([...args, '--json'], j.io)).toBe(0);
    const o = JSON.parse(j.out.join('')) as Record<string, number>;
    expect(o['price']).toBeGreaterThan(0);
    const back = fakeIo();
    await run([...args.slice(0, -2), '--price', String(o['price']), '--json'], back.io);
    expect((JSON.parse(back.out.join('')) as Record<string, number>)['iv']).toBeCloseTo(0.2, 13);
  });

  it('bad flags are usage errors', async () => {
    await expect(run([], fakeIo().io)).rejects.toMatchObject({ name: 'UsageError' });
    await expect(run(['--bogus', '1'], fakeIo().io)).rejects.toMatchObject({ name: 'UsageError' });
    await expect(
      run(['--type', 'call', '--S', 'abc', '--K', '1', '--T', '1', '--r', '0', '--sigma', '1'], fakeIo().io),
    ).rejects.toMatchObject({ name: 'UsageError', message: expect.stringMatching(/S must be a finite number/) });
  });
});
