/**
 * Headline numbers read out of a snapshot for the list, the CSV and the comparison.
 *
 * The analysis and the plan are opaque JSON to the store (their types belong to src/engine and may
 * change), so each metric is read from a list of candidate paths, first hit wins, and only a finite
 * number (or a non-empty string for the stage) counts. A metric that is found nowhere is `null`,
 * never 0 and never NaN. The path that answered is returned with the value, so a UI or a test can see
 * where a number came from. Paths are relative to the snapshot (`chain.…`, `analysis.…`, `plan.…`).
 */
import { isRecord, readPath } from './json';
import type { Snapshot } from './schema';

export const METRIC_PATHS = {
  price: [
    'chain.underlying.price',
    'analysis.underlying.price',
    'analysis.underlyingPrice',
    'analysis.spot',
    'analysis.chain.underlying.price',
  ],
  /** Tried after the engine's own: analysis.expiries[analysis.chosenExpiry].atmVol (ChainAnalysis). */
  atmVol: [
    'analysis.condorRisk.atmIv',
    'analysis.condor.atmIv',
    'analysis.risk.atmIv',
    'analysis.atmIv',
    'analysis.atmVol',
    'analysis.expiry.atmIv',
    'analysis.smile.atmIv',
    'analysis.expectedMove.atmIv',
  ],
  delta: greekPaths(['deltaDollarsPerPoint', 'delta', 'deltaPerPoint']),
  gamma: greekPaths(['gammaDollarsPerPoint', 'gamma', 'gammaPerPoint']),
  vega: greekPaths(['vegaDollarsPerVolPoint', 'vega', 'vegaPerVolPoint']),
  theta: greekPaths(['thetaDollarsPerDay', 'theta', 'thetaPerDay']),
  pop: [
    'analysis.condor.probability.profitSkewAware',
    'analysis.condor.probability.profitLognormal',
    'analysis.condorRisk.pop',
    'analysis.condorRisk.probabilityOfProfit',
    'analysis.condor.pop',
    'analysis.condor.probabilityOfProfit',
    'analysis.risk.pop',
    'analysis.risk.probabilityOfProfit',
    'analysis.pop',
    'analysis.probabilityOfProfit',
  ],
  stage: ['plan.stage', 'plan.stage.name', 'analysis.stage', 'analysis.alvh.stage', 'analysis.plan.stage'],
} as const;

function greekPaths(names: string[]): string[] {
  const roots = [
    'analysis.condor.greeks',
    'analysis.condorRisk.greeks',
    'analysis.risk.greeks',
    'analysis.greeks',
    'analysis.positionGreeks',
  ];
  return roots.flatMap((r) => names.map((n) => `${r}.${n}`));
}

/**
 * A probability of profit may be a number or an object of methods; prefer the skew-aware one
 * (DESIGN §3), then the lognormal one.
 */
const POP_KEYS = ['skewAware', 'skew', 'smile', 'lognormal', 'value'];

export interface Found<T> {
  value: T | null;
  /** The path that answered; null when none did. */
  path: string | null;
}

function readNumber(s: Snapshot, paths: readonly string[], objectKeys: string[] = []): Found<number> {
  for (const p of paths) {
    const v = readPath(s, p);
    if (typeof v === 'number' && Number.isFinite(v)) return { value: v, path: p };
    if (isRecord(v)) {
      for (const k of objectKeys) {
        const inner = v[k];
        if (typeof inner === 'number' && Number.isFinite(inner)) return { value: inner, path: `${p}.${k}` };
      }
    }
  }
  return { value: null, path: null };
}

function readStage(s: Snapshot): Found<string> {
  for (const p of METRIC_PATHS.stage) {
    const v = readPath(s, p);
    if (typeof v === 'string' && v.trim() !== '') return { value: v, path: p };
  }
  return { value: null, path: null };
}

export interface SnapshotMetrics {
  price: Found<number>;
  atmVol: Found<number>;
  delta: Found<number>;
  gamma: Found<number>;
  vega: Found<number>;
  theta: Found<number>;
  pop: Found<number>;
  stage: Found<string>;
}

/**
 * ChainAnalysis keeps the ATM vol per expiry: take the chosen expiry's, else the one matching the condor's expiry.
 */
function readEngineAtmVol(s: Snapshot): Found<number> {
  const expiries = readPath(s, 'analysis.expiries');
  if (!Array.isArray(expiries)) return { value: null, path: null };
  const chosen = readPath(s, 'analysis.chosenExpiry');
  const candidates: number[] = [];
  if (typeof chosen === 'number' && Number.isInteger(chosen)) candidates.push(chosen);
  const byDate = expiries.findIndex((e) => isRecord(e) && e.date === s.condor?.expiry);
  if (byDate >= 0) candidates.push(byDate);
  for (const i of candidates) {
    const e: unknown = expiries[i];
    if (isRecord(e) && typeof e.atmVol === 'number' && Number.isFinite(e.atmVol)) {
      return { value: e.atmVol, path: `analysis.expiries[${i}].atmVol` };
    }
  }
  return { value: null, path: null };
}

export function readMetrics(s: Snapshot): SnapshotMetrics {
  const engineAtm = readEngineAtmVol(s);
  return {
    price: readNumber(s, METRIC_PATHS.price),
    atmVol: engineAtm.value !== null ? engineAtm : readNumber(s, METRIC_PATHS.atmVol),
    delta: readNumber(s, METRIC_PATHS.delta),
    gamma: readNumber(s, METRIC_PATHS.gamma),
    vega: readNumber(s, METRIC_PATHS.vega),
    theta: readNumber(s, METRIC_PATHS.theta),
    pop: readNumber(s, METRIC_PATHS.pop, POP_KEYS),
    stage: readStage(s),
  };
}

export interface NumberMove {
  from: number | null;
  to: number | null;
  /** to − from; null unless both are known. */
  change: number | null;
  /** change / |from|; null unless both are known and from ≠ 0. */
  relative: number | null;
  fromPath: string | null;
  toPath: string | null;
}

export interface SnapshotComparison {
  from: { id: string; savedAt: string };
  to: { id: string; savedAt: string };
  /** Milliseconds between the two saves (to − from). */
  elapsedMs: number;
  sameUnderlying: boolean;
  /** Both have the same condor (strikes, expiry, quantity) — the moves then describe one position. */
  sameCondor: boolean;
  price: NumberMove;
  atmVol: NumberMove;
  greeks: { delta: NumberMove; gamma: NumberMove; vega: NumberMove; theta: NumberMove };
  pop: NumberMove;
  stage: { from: string | null; to: string | null; changed: boolean };
}

function move(a: Found<number>, b: Found<number>): NumberMove {
  const change = a.value !== null && b.value !== null ? b.value - a.value : null;
  const relative = change !== null && a.value !== null && a.value !== 0 ? change / Math.abs(a.value) : null;
  return { from: a.value, to: b.value, change, relative, fromPath: a.path, toPath: b.path };
}

function sameCondor(a: Snapshot, b: Snapshot): boolean {
  const x = a.condor;
  const y = b.condor;
  if (!x || !y) return false;
  return x.expiry === y.expiry && x.strikes.every((k, i) => k === y.strikes[i]) && x.quantity === y.quantity;
}

/** How price, ATM vol, greeks, POP and the ALVH stage moved from snapshot `a` to snapshot `b`. */
export function compareSnapshots(a: Snapshot, b: Snapshot): SnapshotComparison {
  const ma = readMetrics(a);
  const mb = readMetrics(b);
  return {
    from: { id: a.id, savedAt: a.savedAt },
    to: { id: b.id, savedAt: b.savedAt },
    elapsedMs: Date.parse(b.savedAt) - Date.parse(a.savedAt),
    sameUnderlying: a.chain.underlying.symbol.toUpperCase() === b.chain.underlying.symbol.toUpperCase(),
    sameCondor: sameCondor(a, b),
    price: move(ma.price, mb.price),
    atmVol: move(ma.atmVol, mb.atmVol),
    greeks: {
      delta: move(ma.delta, mb.delta),
      gamma: move(ma.gamma, mb.gamma),
      vega: move(ma.vega, mb.vega),
      theta: move(ma.theta, mb.theta),
    },
    pop: move(ma.pop, mb.pop),
    stage: { from: ma.stage.value, to: mb.stage.value, changed: ma.stage.value !== mb.stage.value },
  };
}
