/**
 * Real-data check (issue 3 item 8): our IVs and deltas against Cboe's own columns on the 2026-03-14 SPX download.
 *   node --import tsx scripts/cboe-check.ts [path/to/cboe_spx_quotedata.csv] [--now 2026-03-13T20:00:00Z]
 * For every strike and side where Cboe shows an IV (> 0), compares:
 *   - IV (same side): our Let's Be Rational IV of that side's mid, with our parity forward and discount;
 *   - IV (engine): the volatility the engine actually uses at that strike (out-of-the-money side, i.e. the
 *     per-strike IV of the analysis), against Cboe's IV of the same side;
 *   - delta: our BSM delta per point of the spot at the smile vol (r and q implied by our parity forward),
 *     against Cboe's Delta column.
 * and prints median and p5/p95 of (ours − Cboe) per expiry bucket. Then it re-runs the same-side IV with
 * alternative assumptions to attribute the systematic part (see docs/cboe-check.md).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { importCboe } from '../src/chain/importers/cboe';
import type { Chain, Quote } from '../src/chain/types';
import { analyzeChain, modelFor } from '../src/engine/analyze';
import { legGreeksPerShare } from '../src/engine/leg';
import { impliedVolatility } from '../src/engine/pricing/iv';
import { volAt } from '../src/engine/smile';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const nowFlag = args.indexOf('--now');
const nowArg = nowFlag >= 0 ? args.splice(nowFlag, 2)[1] : undefined;
const path = args[0] ?? resolve(here, '../../shared/data/real/cboe_spx_quotedata_2026-03-14.csv');
if (!existsSync(path)) {
  console.error(`no such file: ${path}`);
  process.exit(2);
}
const r = importCboe({ text: readFileSync(path, 'utf8'), fileName: path });
if (!r.ok) {
  console.error(r.reason);
  process.exit(2);
}
const chain: Chain = r.chain;
// Default: the file's own time stamp. --now ISO overrides it (e.g. the last close before the download).
const now = new Date(nowArg ?? chain.asOf!);
if (!Number.isFinite(now.getTime())) {
  console.error(`bad --now: ${nowArg}`);
  process.exit(2);
}
const spot = chain.underlying.price!;
const a = analyzeChain({ chain, now });

const BUCKETS: [string, number, number][] = [
  ['0–7 d', 0, 7],
  ['8–30 d', 7, 30],
  ['31–90 d', 30, 90],
  ['91–365 d', 90, 365],
  ['> 1 y', 365, 1e9],
];
type Series = Map<string, number[]>;
function push(s: Series, bucket: string, v: number): void {
  if (!Number.isFinite(v)) return;
  const arr = s.get(bucket) ?? [];
  arr.push(v);
  s.set(bucket, arr);
  const all = s.get('all') ?? [];
  all.push(v);
  s.set('all', all);
}
function q(arr: number[], p: number): number {
  const s = arr.slice().sort((x, y) => x - y);
  return s[Math.min(s.length - 1, Math.max(0, Math.round(p * (s.length - 1))))]!;
}
function table(title: string, s: Series, scale: number, unit: string): void {
  console.log(`\n${title} (ours − Cboe, ${unit})`);
  console.log('bucket      n      median     p5        p95      median|d|');
  for (const name of [...BUCKETS.map((b) => b[0]), 'all']) {
    const v = s.get(name);
    if (!v || v.length === 0) continue;
    const abs = v.map(Math.abs);
    const f = (x: number) => (x * scale).toFixed(3).padStart(9);
    console.log(
      `${name.padEnd(10)} ${String(v.length).padStart(4)} ${f(q(v, 0.5))} ${f(q(v, 0.05))} ${f(q(v, 0.95))} ${f(q(abs, 0.5))}`,
    );
  }
}
function mid(qt: Quote | null): number | null {
  if (!qt || qt.bid === null || qt.ask === null || !(qt.bid > 0) || qt.bid > qt.ask) return null;
  return 0.5 * (qt.bid + qt.ask);
}

const ivSame: Series = new Map();
const ivEngine: Series = new Map();
const deltaDiff: Series = new Map();
// Attribution variants of the same-side IV.
const ivSpotR0: Series = new Map(); // forward = spot, discount = 1 (no rate, no dividend)
const ivSpotRate: Series = new Map(); // forward = spot·e^{rT}, our rate, no dividend
const ivPlus: Record<string, Series> = { '−1 h': new Map(), '+1 d': new Map() };
const ivCboeVsCboe: Series = new Map(); // call IV − put IV as printed by Cboe (same strike)
const ivOursCallPut: Series = new Map(); // our call IV − put IV (same strike)

a.expiries.forEach((e, i) => {
  const ex = chain.expiries[i]!;
  const F = e.forward.forward,
    D = e.forward.discount;
  if (F === null || D === null || !(e.years > 0)) return;
  const days = e.daysToExpiry;
  const bucket = BUCKETS.find(([, lo, hi]) => days > lo && days <= hi)![0];
  const model = modelFor(e, spot);
  for (const row of ex.rows) {
    const K = row.strike;
    const sv = e.strikes.find((s) => s.strike === K);
    const ours: { call: number | null; put: number | null } = { call: null, put: null };
    for (const kind of ['call', 'put'] as const) {
      const qt = kind === 'call' ? row.call : row.put;
      const m = mid(qt);
      if (!qt || !qt.iv || m === null) continue;
      const iv = impliedVolatility({ kind, price: m, forward: F, strike: K, years: e.years, discount: D });
      if (iv.ok) {
        ours[kind] = iv.vol;
        push(ivSame, bucket, iv.vol - qt.iv);
      }
      if (sv?.vol != null) push(ivEngine, bucket, sv.vol - qt.iv);
      const r0 = impliedVolatility({ kind, price: m, forward: spot, strike: K, years: e.years, discount: 1 });
      if (r0.ok) push(ivSpotR0, bucket, r0.vol - qt.iv);
      const rate = e.forward.rate ?? 0.04;
      const r1 = impliedVolatility({
        kind,
        price: m,
        forward: spot * Math.exp(rate * e.years),
        strike: K,
        years: e.years,
        discount: Math.exp(-rate * e.years),
      });
      if (r1.ok) push(ivSpotRate, bucket, r1.vol - qt.iv);
      for (const [label, dtDays] of [
        ['−1 h', -1 / 24],
        ['+1 d', 1],
      ] as const) {
        const T = e.years + dtDays / 365;
        if (T <= 0) continue;
        const rr = impliedVolatility({ kind, price: m, forward: F, strike: K, years: T, discount: D });
        if (rr.ok) push(ivPlus[label]!, bucket, rr.vol - qt.iv);
      }
      if (model && qt.delta !== null && qt.delta !== 0) {
        const g = legGreeksPerShare({ model, kind, strike: K, vol: volAt(model.smile, K) });
        if (g) push(deltaDiff, bucket, g.delta - qt.delta);
      }
    }
    if (row.call?.iv && row.put?.iv) push(ivCboeVsCboe, bucket, row.call.iv - row.put.iv);
    if (ours.call !== null && ours.put !== null) push(ivOursCallPut, bucket, ours.call - ours.put);
  }
});

console.log(
  `Cboe SPX ${chain.asOf} (valued at ${now.toISOString()}) spot ${spot}: ${a.expiries.length} expiries, ${chain.expiries.reduce((n, e) => n + e.rows.length, 0)} rows`,
);
const methods = new Map<string, number>();
for (const e of a.expiries) methods.set(e.forward.method, (methods.get(e.forward.method) ?? 0) + 1);
console.log(
  `forward methods: ${[...methods].map(([k, v]) => `${k} ${v}`).join(', ')}; short-end rate borrowed ${(a.rateAssumed * 100).toFixed(2)}%`,
);
const par = a.expiries.filter((e) => e.forward.method === 'parity').map((e) => e.forward.rate!);
console.log(
  `parity-implied rates: median ${(q(par, 0.5) * 100).toFixed(2)}%, range ${(Math.min(...par) * 100).toFixed(2)}–${(Math.max(...par) * 100).toFixed(2)}% over ${par.length} expiries`,
);
const carry = a.expiries
  .filter((e) => e.forward.method === 'parity' && e.years > 0.25)
  .map((e) => (e.forward.rate! - Math.log(e.forward.forward! / spot) / e.years) * 100);
console.log(`implied dividend yield (r − ln(F/S)/T), expiries > 3 months: median ${q(carry, 0.5).toFixed(2)}%`);

table('IV, same side as Cboe, our parity forward', ivSame, 100, 'vol points');
table('IV, the engine’s (OTM side / smile input) vs Cboe’s same-side IV', ivEngine, 100, 'vol points');
table('Delta, ours (smile vol, BSM per point of spot) vs Cboe', deltaDiff, 1, 'delta');
console.log('\n— attribution —');
table('IV if the forward were the spot (no carry, D = 1)', ivSpotR0, 100, 'vol points');
table('IV if the forward were spot·e^{rT} (our rate, no dividend)', ivSpotRate, 100, 'vol points');
table('IV with one hour less to expiry', ivPlus['−1 h']!, 100, 'vol points');
table('IV with one day more to expiry', ivPlus['+1 d']!, 100, 'vol points');
table('Cboe call IV − Cboe put IV, same strike', ivCboeVsCboe, 100, 'vol points');
table('our call IV − our put IV, same strike', ivOursCallPut, 100, 'vol points');
