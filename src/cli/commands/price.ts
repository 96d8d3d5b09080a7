/**
 * `hedgelens price` — a calculator over the pricing engine.
 *
 *   hedgelens price --batch cases.jsonl [--json]
 *     one JSON object per input line with the fields of ../shared/reference: model "bsm"|"b76", type "call"|"put",
 *     S (bsm) or F (b76), K, T (years), r, q (bsm, default 0), and sigma and/or price. One JSON object per line out,
 *     in order: with sigma the price and greeks in the reference's units (vega per 1.00, theta per year, rho per
 *     1.00, plus vega_1pct, theta_day, rho_1pct, itm_prob, phi for bsm); with price the implied volatility `iv`
 *     (a fraction), or `iv: null` with its `reason` and `message`. An `id` field is echoed.
 *     A malformed line stops the command with exit 2 and one line naming the line number.
 *   hedgelens price --model bsm --type call --S 6600 --K 6650 --T 0.05 --r 0.04 --q 0.01 --sigma 0.2 [--json]
 *     (or --price 41.5 instead of / besides --sigma): one option, as a table or a JSON object.
 */
import type { OptionKind } from '../../chain/types';
import { black76Greeks, bsmGreeks, type Greeks } from '../../engine/pricing/black';
import { impliedVolatilityBlack76, impliedVolatilityBsm, type IvResult } from '../../engine/pricing/iv';
import { UsageError, type CommandRun } from '../io';

const USAGE =
  'usage: hedgelens price --batch FILE.jsonl [--json] | hedgelens price --model bsm|b76 --type call|put (--S X | --F X) --K X --T YEARS --r RATE [--q YIELD] (--sigma VOL | --price P) [--json]';

const VALUE_FLAGS = new Set(['batch', 'model', 'type', 's', 'f', 'k', 't', 'r', 'q', 'sigma', 'price']);

interface Case {
  id?: unknown;
  model: 'bsm' | 'b76';
  kind: OptionKind;
  underlying: number;
  strike: number;
  years: number;
  rate: number;
  dividendYield: number;
  sigma: number | null;
  price: number | null;
}

type Row = Record<string, unknown>;

function num(
  v: unknown,
  name: string,
  where: string,
  { required = true, min }: { required?: boolean; min?: number } = {},
): number | null {
  if (v === undefined || v === null) {
    if (required) throw new UsageError(`${where}: missing ${name}`);
    return null;
  }
  const x = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : Number.NaN;
  if (!Number.isFinite(x)) throw new UsageError(`${where}: ${name} must be a finite number, got ${JSON.stringify(v)}`);
  if (min !== undefined && x < min) throw new UsageError(`${where}: ${name} must be ≥ ${min}, got ${x}`);
  return x;
}

function parseCase(o: Row, where: string): Case {
  const rawModel = o['model'] ?? (o['F'] !== undefined && o['S'] === undefined ? 'b76' : 'bsm');
  if (rawModel !== 'bsm' && rawModel !== 'b76')
    throw new UsageError(`${where}: model must be "bsm" or "b76", got ${JSON.stringify(rawModel)}`);
  const kind = o['type'] ?? o['kind'];
  if (kind !== 'call' && kind !== 'put')
    throw new UsageError(`${where}: type must be "call" or "put", got ${JSON.stringify(kind)}`);
  const underlyingName = rawModel === 'bsm' ? 'S' : 'F';
  const underlying = num(o[underlyingName], underlyingName, where)!;
  if (!(underlying > 0)) throw new UsageError(`${where}: ${underlyingName} must be positive, got ${underlying}`);
  const strike = num(o['K'], 'K', where)!;
  if (!(strike > 0)) throw new UsageError(`${where}: K must be positive, got ${strike}`);
  const years = num(o['T'], 'T (years)', where, { min: 0 })!;
  const rate = num(o['r'], 'r', where)!;
  const dividendYield = rawModel === 'bsm' ? (num(o['q'], 'q', where, { required: false }) ?? 0) : 0;
  const sigma = num(o['sigma'], 'sigma', where, { required: false, min: 0 });
  const price = num(o['price'], 'price', where, { required: false });
  if (sigma === null && price === null)
    throw new UsageError(`${where}: give sigma (to price) or price (for the implied volatility)`);
  return { id: o['id'], model: rawModel, kind, underlying, strike, years, rate, dividendYield, sigma, price };
}

function finiteOrNull(x: number | undefined): number | null {
  return x !== undefined && Number.isFinite(x) ? x : null;
}

function evaluate(c: Case, where: string): Row {
  const out: Row = {};
  if (c.id !== undefined) out['id'] = c.id;
  if (c.sigma !== null) {
    let g: Greeks;
    try {
      g =
        c.model === 'bsm'
          ? bsmGreeks({
              kind: c.kind,
              spot: c.underlying,
              strike: c.strike,
              years: c.years,
              vol: c.sigma,
              rate: c.rate,
              dividendYield: c.dividendYield,
            })
          : black76Greeks({
              kind: c.kind,
              forward: c.underlying,
              strike: c.strike,
              years: c.years,
              vol: c.sigma,
              rate: c.rate,
            });
    } catch (e) {
      throw new UsageError(`${where}: ${e instanceof Error ? e.message : String(e)}`);
    }
    out['price'] = finiteOrNull(g.price);
    out['delta'] = finiteOrNull(g.delta);
    out['gamma'] = finiteOrNull(g.gamma);
    out['vega'] = finiteOrNull(g.vega);
    out['theta'] = finiteOrNull(g.theta);
    out['rho'] = finiteOrNull(g.rho);
    out['itm_prob'] = finiteOrNull(g.itmProbability);
    if (c.model === 'bsm') out['phi'] = finiteOrNull(g.phi);
    out['vega_1pct'] = finiteOrNull(g.vegaPerVolPoint);
    out['theta_day'] = finiteOrNull(g.thetaPerDay);
    out['rho_1pct'] = finiteOrNull(g.rhoPerPoint);
  }
  if (c.price !== null) {
    const r: IvResult =
      c.model === 'bsm'
        ? impliedVolatilityBsm({
            kind: c.kind,
            price: c.price,
            spot: c.underlying,
            strike: c.strike,
            years: c.years,
            rate: c.rate,
            dividendYield: c.dividendYield,
          })
        : impliedVolatilityBlack76({
            kind: c.kind,
            price: c.price,
            forward: c.underlying,
            strike: c.strike,
            years: c.years,
            rate: c.rate,
          });
    if (r.ok) out['iv'] = r.vol;
    else {
      out['iv'] = null;
      out['reason'] = r.reason;
      out['message'] = r.message;
    }
  }
  return out;
}

function parseFlags(argv: string[]): { json: boolean; values: Map<string, string> } {
  const values = new Map<string, string>();
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--json') {
      json = true;
      continue;
    }
    if (a === '--help' || a === '-h') throw new UsageError(USAGE);
    const m = /^--([A-Za-z]+)(?:=(.*))?$/.exec(a);
    if (!m) throw new UsageError(`unexpected argument ${JSON.stringify(a)}; ${USAGE}`);
    const name = m[1]!.toLowerCase();
    if (!VALUE_FLAGS.has(name)) throw new UsageError(`unknown flag --${m[1]}; ${USAGE}`);
    let value = m[2];
    if (value === undefined) {
      value = argv[++i];
      if (value === undefined) throw new UsageError(`--${m[1]} needs a value`);
    }
    values.set(name, value);
  }
  return { json, values };
}

function fmt(x: unknown): string {
  if (x === null || x === undefined) return '—';
  if (typeof x !== 'number') return String(x);
  const a = Math.abs(x);
  return a !== 0 && (a < 1e-4 || a >= 1e9) ? x.toExponential(6) : String(Number(x.toPrecision(10)));
}

export const run: CommandRun = async (argv, io) => {
  const { json, values } = parseFlags(argv);
  const batch = values.get('batch');
  if (batch !== undefined) {
    if (values.size > 1) throw new UsageError(`--batch takes no other option flags than --json; ${USAGE}`);
    let text: string;
    try {
      text = await io.readFile(batch);
    } catch (e) {
      throw new UsageError(`cannot read ${batch}: ${e instanceof Error ? e.message : String(e)}`);
    }
    const lines = text.split(/\r?\n/);
    const outputs: string[] = [];
    for (let n = 0; n < lines.length; n++) {
      const line = lines[n]!.trim();
      if (line === '') continue;
      const where = `${batch} line ${n + 1}`;
      let o: unknown;
      try {
        o = JSON.parse(line);
      } catch {
        throw new UsageError(`${where}: not a JSON object`);
      }
      if (typeof o !== 'object' || o === null || Array.isArray(o)) throw new UsageError(`${where}: not a JSON object`);
      outputs.push(JSON.stringify(evaluate(parseCase(o as Row, where), where)));
    }
    io.stdout(outputs.length ? `${outputs.join('\n')}\n` : '');
    return 0;
  }
  if (values.size === 0) throw new UsageError(USAGE);
  const o: Row = {
    model: values.get('model'),
    type: values.get('type'),
    S: values.get('s'),
    F: values.get('f'),
    K: values.get('k'),
    T: values.get('t'),
    r: values.get('r'),
    q: values.get('q'),
    sigma: values.get('sigma'),
    price: values.get('price'),
  };
  for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k];
  const c = parseCase(o, 'arguments');
  const result = evaluate(c, 'arguments');
  if (json) {
    io.stdout(`${JSON.stringify(result)}\n`);
    return 0;
  }
  const head = `${c.model === 'bsm' ? 'Black-Scholes-Merton' : 'Black-76'} ${c.kind}: ${c.model === 'bsm' ? 'S' : 'F'} ${fmt(c.underlying)}, K ${fmt(c.strike)}, T ${fmt(c.years)} y, r ${fmt(c.rate)}${c.model === 'bsm' ? `, q ${fmt(c.dividendYield)}` : ''}`;
  const labels: [string, string][] = [
    ['price', 'price'],
    ['delta', 'delta'],
    ['gamma', 'gamma'],
    ['vega', 'vega (per 1.00 vol)'],
    ['vega_1pct', 'vega (per vol point)'],
    ['theta', 'theta (per year)'],
    ['theta_day', 'theta (per calendar day)'],
    ['rho', 'rho (per 1.00 rate)'],
    ['rho_1pct', 'rho (per 1% rate)'],
    ['phi', 'phi (per 1.00 dividend yield)'],
    ['itm_prob', 'P(finish in the money)'],
    ['iv', 'implied volatility'],
  ];
  const lines = [head];
  if (c.sigma !== null) lines.push(`  ${'volatility'.padEnd(30)}${fmt(c.sigma)}`);
  if (c.price !== null) lines.push(`  ${'market price'.padEnd(30)}${fmt(c.price)}`);
  for (const [k, label] of labels) {
    if (!(k in result)) continue;
    const v = result[k];
    lines.push(`  ${label.padEnd(30)}${k === 'iv' && v === null ? `none — ${String(result['message'])}` : fmt(v)}`);
  }
  io.stdout(`${lines.join('\n')}\n`);
  return 0;
};
