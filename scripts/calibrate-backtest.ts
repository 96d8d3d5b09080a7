/**
 * Calibrates the backtest's pricing models (#15) on ../shared and prints the fit figures of docs/BACKTEST_MODEL.md.
 *   node --import tsx scripts/calibrate-backtest.ts [--shared DIR]
 * It fits, prints the parameters and the errors; the parameters are then written by hand as the constants in
 * src/engine/backtest/model/ (the product never reads ../shared). Deterministic: no randomness, fixed starts.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseVixHistory } from '../src/engine/alvh/vixSeries';
import { defaultRulebook } from '../src/engine/alvh/rulebook';
import { vixFutureByTerm } from '../src/engine/alvh/plan/stress';
import { VIX_FUTURE, vixFutureOf, type VixFutureParams } from '../src/engine/backtest/model/vixFutures';
import { VIX_OPTION, vvixFromVix } from '../src/engine/backtest/model/vixOptions';
import {
  chainDay,
  chainErrors,
  FILTER,
  FUTURE_TERM_BUCKETS,
  readVxFutures,
  type FutureRow,
  modelVolAt,
  quantile,
  REAL_CHAINS,
  type ChainDay,
  type IndexMode,
  type VolPoint,
} from '../src/engine/backtest/model/realData';
import { SPX_SMILE, type SpxSmileParams } from '../src/engine/backtest/model/spxSmile';
import {
  termVariance,
  type VarianceTermParams,
  VARIANCE_TERM,
  YEARS_93D,
  YEARS_9D,
} from '../src/engine/backtest/model/varianceTerm';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const sharedFlag = args.indexOf('--shared');
const SHARED = sharedFlag >= 0 ? resolve(args[sharedFlag + 1]!) : resolve(here, '../../shared');
if (!existsSync(resolve(SHARED, 'data/vix/VIX_History.csv'))) {
  console.error(`no ../shared data at ${SHARED} (pass --shared DIR)`);
  process.exit(2);
}

// ─── small helpers ───────────────────────────────────────────────────────────────────────────────────────────
/** n-dimensional Nelder–Mead (J. A. Nelder & R. Mead, Computer Journal 1965), standard coefficients. */
export function nelderMead(f: (x: number[]) => number, start: number[], step: number[], iterations = 4000): number[] {
  const n = start.length;
  let simplex = [start, ...start.map((_, i) => start.map((v, j) => (j === i ? v + step[i]! : v)))];
  let values = simplex.map(f);
  for (let it = 0; it < iterations; it++) {
    const order = values.map((v, i) => i).sort((a, b) => values[a]! - values[b]!);
    simplex = order.map((i) => simplex[i]!);
    values = order.map((i) => values[i]!);
    if (Math.abs(values[n]! - values[0]!) < 1e-12 * (1 + Math.abs(values[0]!))) break;
    const centroid = start.map((_, j) => simplex.slice(0, n).reduce((s, p) => s + p[j]!, 0) / n);
    const along = (t: number) => centroid.map((c, j) => c + t * (simplex[n]![j]! - c));
    const xr = along(-1);
    const fr = f(xr);
    if (fr < values[0]!) {
      const xe = along(-2);
      const fe = f(xe);
      [simplex[n], values[n]] = fe < fr ? [xe, fe] : [xr, fr];
    } else if (fr < values[n - 1]!) {
      [simplex[n], values[n]] = [xr, fr];
    } else {
      const xc = fr < values[n]! ? along(-0.5) : along(0.5);
      const fc = f(xc);
      if (fc < Math.min(fr, values[n]!)) [simplex[n], values[n]] = [xc, fc];
      else {
        simplex = simplex.map((p) => p.map((v, j) => simplex[0]![j]! + 0.5 * (v - simplex[0]![j]!)));
        values = simplex.map(f);
      }
    }
  }
  const best = values.indexOf(Math.min(...values));
  return simplex[best]!;
}

const fmt = (x: number, d = 2) => (Number.isFinite(x) ? x.toFixed(d) : '—');
function errLine(label: string, errs: readonly number[], unit: string): string {
  const a = errs.map(Math.abs);
  return `${label.padEnd(34)} n ${String(errs.length).padStart(5)}  median |err| ${fmt(quantile(a, 0.5))} ${unit}  p90 ${fmt(quantile(a, 0.9))} ${unit}  mean err ${fmt(errs.reduce((s, e) => s + e, 0) / (errs.length || 1))}`;
}

// ─── the histories ───────────────────────────────────────────────────────────────────────────────────────────
function history(rel: string, column?: string): Map<string, number> {
  let text = readFileSync(resolve(SHARED, rel), 'utf8');
  if (column) text = text.replace(new RegExp(`^DATE,${column}`), 'DATE,CLOSE');
  const h = parseVixHistory({ text });
  const out = new Map<string, number>();
  for (const b of h.bars) out.set(b.date, b.close);
  return out;
}
const VIX = history('data/vix/VIX_History.csv');
const VIX9D = history('data/vix/term/VIX9D_History.csv');
const VIX3M = history('data/vix/term/VIX3M_History.csv');
const VVIX = history('data/vix/term/VVIX_History.csv', 'VVIX');
VVIX.delete('2006-03-15'); // ../shared/data/README.md: a bad row
const SKEW = history('data/vix/term/SKEW_History.csv', 'SKEW');

// ─── 1. the variance term structure: VIX9D and VIX3M from VIX alone ──────────────────────────────────────────
console.log('\n1. Variance term structure (varianceTerm.ts): VIX9D and VIX3M predicted from VIX alone');
const termDays = [...VIX.keys()].filter((d) => VIX9D.has(d) && VIX3M.has(d));
function termErrors(p: VarianceTermParams, days: readonly string[]): { e9: number[]; e3: number[] } {
  const e9: number[] = [];
  const e3: number[] = [];
  for (const d of days) {
    const alone = { vix: VIX.get(d)!, vix9d: null, vix3m: null };
    e9.push(100 * Math.sqrt(termVariance(p, alone, YEARS_9D)) - VIX9D.get(d)!);
    e3.push(100 * Math.sqrt(termVariance(p, alone, YEARS_93D)) - VIX3M.get(d)!);
  }
  return { e9, e3 };
}
const termLoss = (x: number[]) => {
  if (!(x[0]! > 0.01) || !(x[2]! > 0)) return 1e12;
  const { e9, e3 } = termErrors({ kappa: x[0]!, kappaVixExponent: x[1]!, theta: x[2]! }, termDays);
  return [...e9, ...e3].reduce((s, e) => s + e * e, 0);
};
const termFit = nelderMead(termLoss, [1.5, 0, 0.08], [0.5, 0.3, 0.01]);
const termP: VarianceTermParams = { kappa: termFit[0]!, kappaVixExponent: termFit[1]!, theta: termFit[2]! };
console.log(
  `fit on ${termDays.length} days (${termDays[0]} – ${termDays.at(-1)}): kappa ${fmt(termP.kappa, 3)}/year at VIX 20, kappaVixExponent ${fmt(termP.kappaVixExponent, 3)}, theta ${fmt(termP.theta, 4)} (a vol of ${fmt(100 * Math.sqrt(termP.theta))}); committed: ${JSON.stringify(VARIANCE_TERM)}`,
);
{
  const f = termErrors(termP, termDays);
  console.log(errLine('VIX9D from VIX (this fit)', f.e9, 'pt'));
  console.log(errLine('VIX3M from VIX (this fit)', f.e3, 'pt'));
  const c = termErrors(VARIANCE_TERM, termDays);
  console.log(errLine('VIX9D from VIX (committed)', c.e9, 'pt'));
  console.log(errLine('VIX3M from VIX (committed)', c.e3, 'pt'));
  const hi = termDays.filter((d) => VIX.get(d)! > 30);
  const h = termErrors(VARIANCE_TERM, hi);
  console.log(errLine('VIX9D, days with VIX > 30', h.e9, 'pt'));
  console.log(errLine('VIX3M, days with VIX > 30', h.e3, 'pt'));
  const flat9 = termDays.map((d) => VIX.get(d)! - VIX9D.get(d)!);
  const flat3 = termDays.map((d) => VIX.get(d)! - VIX3M.get(d)!);
  console.log(errLine('VIX9D = VIX (flat)', flat9, 'pt'));
  console.log(errLine('VIX3M = VIX (flat)', flat3, 'pt'));
}

// ─── 2. the SPX smile on the four real chains ────────────────────────────────────────────────────────────────
const chainDays: ChainDay[] = REAL_CHAINS.map((c) =>
  chainDay({
    ...c,
    text: readFileSync(resolve(SHARED, 'data/real', c.file), 'utf8'),
    vix: VIX.get(c.date)!,
    vix9d: VIX9D.get(c.date) ?? null,
    vix3m: VIX3M.get(c.date) ?? null,
    term: VARIANCE_TERM,
  }),
);
const smileKeys = ['c0', 'c1', 'c2', 'rho0', 'rho1', 'eta', 'gamma'] as const;
const toSmile = (x: number[]): SpxSmileParams =>
  Object.fromEntries(smileKeys.map((key, i) => [key, x[i]!])) as unknown as SpxSmileParams;
/** Weighted least squares in vol points: each chain the same weight, each expiry the same within its chain. */
function smileLoss(x: number[], mode: IndexMode): number {
  const p = toSmile(x);
  if (!(p.eta > 0) || p.gamma < 0 || p.gamma > 1) return 1e12;
  let s = 0;
  for (const d of chainDays)
    for (const pt of d.points) {
      const e = 100 * (modelVolAt(p, VARIANCE_TERM, d, pt, mode) - pt.vol);
      s += pt.weight * e * e;
    }
  return Number.isFinite(s) ? s : 1e12;
}
console.log(
  `\n2. SPX smile (spxSmile.ts) on the real chains; filter: OTM mid with a bid, ${FILTER.minDays} < days ≤ ${FILTER.maxDays}, x in [${FILTER.xMin}, ${FILTER.xMax}]`,
);
for (const d of chainDays)
  console.log(
    `${d.label}: VIX ${d.vix}, VIX9D ${d.vix9d}, VIX3M ${d.vix3m}, SKEW ${SKEW.get(REAL_CHAINS[chainDays.indexOf(d)]!.date) ?? '—'} (not used); ${d.points.length} points, ${d.points.filter((p) => p.days >= 7 && p.days <= 60).length} of 7–60 days`,
  );
const smileStart = smileKeys.map((k) => SPX_SMILE[k]);
let smileFit = nelderMead((x) => smileLoss(x, 'indexes'), smileStart, [0.05, 0.02, 0.02, 0.1, 0.05, 0.3, 0.1]);
smileFit = nelderMead((x) => smileLoss(x, 'indexes'), smileFit, [0.02, 0.01, 0.01, 0.05, 0.02, 0.1, 0.05]);
const fitted = toSmile(smileFit);
console.log(`fit: ${smileKeys.map((k) => `${k} ${fmt(fitted[k], 4)}`).join(', ')}`);
console.log(`committed: ${smileKeys.map((k) => `${k} ${SPX_SMILE[k]}`).join(', ')}`);
{
  // Gatheral–Jacquier's sufficient no-butterfly conditions: θφ(1+|ρ|) < 4 and θφ²(1+|ρ|) ≤ 4.
  const p = SPX_SMILE;
  let limit = NaN;
  for (let theta = 0.001; theta < 3; theta += 0.001) {
    const phi = p.eta * Math.pow(theta, -p.gamma);
    const worstRho = Math.min(0.99, Math.abs(p.rho0) + Math.abs(p.rho1) * Math.log(4));
    if (theta * phi * (1 + worstRho) >= 4 || theta * phi * phi * (1 + worstRho) > 4) {
      limit = theta;
      break;
    }
  }
  console.log(
    `no-butterfly conditions hold for at-the-money total variance below ${fmt(limit, 3)} (|rho| up to VIX 80)`,
  );
}
function smileReport(label: string, vol: (d: ChainDay, pt: VolPoint) => number): void {
  console.log(`  ${label}`);
  for (const d of chainDays)
    for (const range of ['all', '7-60'] as const) {
      const f = chainErrors(d, (pt) => vol(d, pt), range);
      console.log(
        `  ${`${d.label} ${range === 'all' ? '≤ 1 y' : '7–60 d'}`.padEnd(26)} n ${String(f.n).padStart(5)}  median |err| ${fmt(f.median)} vol pt  p90 ${fmt(f.p90)} vol pt`,
      );
    }
}
smileReport('committed, with the day’s VIX9D/VIX3M', (d, pt) => modelVolAt(SPX_SMILE, VARIANCE_TERM, d, pt, 'indexes'));
smileReport('committed, VIX only', (d, pt) => modelVolAt(SPX_SMILE, VARIANCE_TERM, d, pt, 'vix-only'));
smileReport('flat VIX/100 (the first cut)', (d) => d.vix / 100);

// ─── 3. VIX futures ──────────────────────────────────────────────────────────────────────────────────────────
const { rows: futures, left: futuresDropped } = readVxFutures(
  readFileSync(resolve(SHARED, 'data/vix/term/VX_futures_2013-2026.csv'), 'utf8'),
  VIX,
);
const futureKeys = ['theta', 'kappa', 'power', 'kappaVixExponent'] as const;
const toFuture = (x: number[]): VixFutureParams =>
  Object.fromEntries(futureKeys.map((key, i) => [key, x[i]!])) as unknown as VixFutureParams;
function futureLoss(rows: readonly FutureRow[]) {
  return (x: number[]): number => {
    const p = toFuture(x);
    if (!(p.kappa > 0) || !(p.power > 0)) return 1e15;
    let s = 0;
    for (const r of rows) {
      const e = vixFutureOf(p, r.vix, r.days / 365) - r.price;
      s += e * e;
    }
    return Number.isFinite(s) ? s : 1e15;
  };
}
console.log(
  `\n3. VIX futures (vixFutures.ts): ${futures.length} contract-days ${futures[0]!.date} – ${futures.at(-1)!.date}, ${futuresDropped} rows left out`,
);
const futureFit = toFuture(nelderMead(futureLoss(futures), [23, 1.3, 0.65, 0], [2, 0.3, 0.1, 0.3]));
console.log(`fit: ${futureKeys.map((k) => `${k} ${fmt(futureFit[k], 4)}`).join(', ')}`);
console.log(`committed: ${futureKeys.map((k) => `${k} ${VIX_FUTURE[k]}`).join(', ')}`);
function futureReport(label: string, model: (r: FutureRow) => number, rows: readonly FutureRow[] = futures): void {
  console.log(`  ${label}`);
  console.log(
    '  ' +
      errLine(
        'all terms',
        rows.map((r) => model(r) - r.price),
        'pt',
      ),
  );
  for (const [lo, hi] of FUTURE_TERM_BUCKETS) {
    const e = rows.filter((r) => r.days >= lo && r.days < hi).map((r) => model(r) - r.price);
    console.log('  ' + errLine(`${lo}–${hi} days`, e, 'pt'));
  }
  for (const [lo, hi] of [
    [0, 20],
    [20, 30],
    [30, 100],
  ] as const) {
    const e = rows.filter((r) => r.vix >= lo && r.vix < hi).map((r) => model(r) - r.price);
    console.log('  ' + errLine(`VIX ${lo}–${hi}`, e, 'pt'));
  }
}
const rulebook = defaultRulebook().thresholds;
futureReport('committed', (r) => vixFutureOf(VIX_FUTURE, r.vix, r.days / 365));
futureReport("the plan's term model (plan/stress.ts vixFutureByTerm, default rulebook)", (r) =>
  vixFutureByTerm(rulebook, r.vix, r.days),
);
futureReport('spot VIX (the first cut)', (r) => r.vix);
{
  const train = futures.filter((r) => r.date < '2020-01-01');
  const test = futures.filter((r) => r.date >= '2020-01-01');
  const held = toFuture(nelderMead(futureLoss(train), [23, 1.3, 0.65, 0], [2, 0.3, 0.1, 0.3]));
  console.log(
    `held out: fit on 2013–2019 (${futureKeys.map((k) => `${k} ${fmt(held[k], 3)}`).join(', ')}), errors on 2020–2026`,
  );
  console.log(
    '  ' +
      errLine(
        '2020–2026, fitted to 2013–2019',
        test.map((r) => vixFutureOf(held, r.vix, r.days / 365) - r.price),
        'pt',
      ),
  );
  console.log(
    '  ' +
      errLine(
        "2020–2026, the plan's term model",
        test.map((r) => vixFutureByTerm(rulebook, r.vix, r.days) - r.price),
        'pt',
      ),
  );
  console.log(
    '  ' +
      errLine(
        '2020–2026, fitted to all',
        test.map((r) => vixFutureOf(VIX_FUTURE, r.vix, r.days / 365) - r.price),
        'pt',
      ),
  );
  // The simpler forms, special cases of the same formula, held out the same way: is the miss the model's or θ's?
  const simpler: [string, (x: number[]) => VixFutureParams, number[], number[]][] = [
    [
      'plain exponential (p = 1, a = 0)',
      (x) => ({ theta: x[0]!, kappa: x[1]!, power: 1, kappaVixExponent: 0 }),
      [23, 2],
      [2, 1],
    ],
    [
      'stretched, a = 0',
      (x) => ({ theta: x[0]!, kappa: x[1]!, power: x[2]!, kappaVixExponent: 0 }),
      [23, 1.3, 0.65],
      [2, 0.3, 0.1],
    ],
  ];
  for (const [name, params, start, step] of simpler) {
    const loss = futureLoss(train);
    const p = params(nelderMead((x) => loss(futureKeys.map((k) => params(x)[k])), start, step));
    console.log(
      '  ' +
        errLine(
          `2020–2026, ${name}, fitted to 2013–2019 (theta ${fmt(p.theta, 1)})`,
          test.map((r) => vixFutureOf(p, r.vix, r.days / 365) - r.price),
          'pt',
        ),
    );
  }
}

// ─── 4. VIX options: VVIX from VIX, and the term decay of a VIX future's vol ─────────────────────────────────
console.log('\n4. VIX option vol (vixOptions.ts)');
{
  const xs: number[] = [];
  const ys: number[] = [];
  for (const [d, v] of VVIX) {
    const x = VIX.get(d);
    if (x === undefined) continue;
    xs.push(Math.log(x));
    ys.push(Math.log(v));
  }
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (xs[i]! - mx) * (ys[i]! - my);
    sxx += (xs[i]! - mx) ** 2;
  }
  const b1 = sxy / sxx;
  const b0 = my - b1 * mx;
  console.log(
    `ln VVIX = ${fmt(b0, 4)} + ${fmt(b1, 4)} ln VIX on ${n} days; committed ${VIX_OPTION.vvixLogIntercept} + ${VIX_OPTION.vvixLogSlope}`,
  );
  console.log(
    errLine(
      'VVIX from VIX (committed)',
      xs.map((x, i) => vvixFromVix(VIX_OPTION, Math.exp(x)) - Math.exp(ys[i]!)),
      'pt',
    ),
  );
  for (const v of [12, 20, 30, 45, 65]) console.log(`  VIX ${v}: VVIX ${fmt(vvixFromVix(VIX_OPTION, v), 1)}`);
}
{
  // Realised vol of each future's daily log change (consecutive trading days, ≤ 4 calendar days apart) by days left.
  const buckets: [number, number][] = [
    [1, 10],
    [10, 20],
    [20, 40],
    [40, 60],
    [60, 90],
    [90, 130],
    [130, 200],
    [200, 300],
  ];
  const sums = buckets.map(() => ({ s: 0, n: 0, days: 0 }));
  const byExpiry = new Map<string, FutureRow[]>();
  for (const r of futures) {
    const list = byExpiry.get(r.expiry) ?? [];
    list.push(r);
    byExpiry.set(r.expiry, list);
  }
  for (const list of byExpiry.values()) {
    list.sort((a, b) => (a.date < b.date ? -1 : 1));
    for (let i = 1; i < list.length; i++) {
      const a = list[i - 1]!;
      const b = list[i]!;
      if (a.days - b.days > 4) continue;
      const j = buckets.findIndex(([lo, hi]) => a.days >= lo && a.days < hi);
      if (j < 0) continue;
      const r = Math.log(b.price / a.price);
      sums[j]!.s += r * r;
      sums[j]!.n++;
      sums[j]!.days += a.days;
    }
  }
  const ref = Math.sqrt(sums[2]!.s / sums[2]!.n);
  // Least squares of ln(vol ratio) on ln(days/30), weighted by count, over the buckets from 10 days.
  let sw = 0;
  let sxy = 0;
  let sxx = 0;
  for (let j = 0; j < buckets.length; j++) {
    const b = sums[j]!;
    const vol = Math.sqrt((b.s / b.n) * 252);
    const mid = b.days / b.n;
    console.log(
      `  ${buckets[j]![0]}–${buckets[j]![1]} days (mean ${fmt(mid, 0)}): n ${b.n}, realised vol ${fmt(100 * vol, 1)}%, ratio to 20–40 days ${fmt(Math.sqrt(b.s / b.n) / ref, 3)}, model ${fmt(Math.pow(Math.max(mid, VIX_OPTION.termFloorDays) / 30, -VIX_OPTION.termPower), 3)}`,
    );
    if (buckets[j]![0] < 10) continue;
    const x = Math.log(mid / 30);
    const y = Math.log(Math.sqrt(b.s / b.n) / ref);
    sw += b.n;
    sxy += b.n * x * y;
    sxx += b.n * x * x;
  }
  console.log(
    `term power (vol ∝ (days/30)^−β through 30 days): β ${fmt(-sxy / sxx, 3)}; committed ${VIX_OPTION.termPower}`,
  );
  void sw;
}
