/**
 * Figures that travel: each bench records its main figures here besides printing them, and each is also shown as a
 * multiple of a calibration measured in the same run on the same machine, so a loaded laptop and a quiet desktop (or
 * two commits) can be compared.
 *
 * Two calibrations, each a fixed deterministic workload:
 * - `node`: the project's own implied-vol solver (src/engine/pricing/iv.ts) over a fixed set of 2,000 options
 *   priced from known vols (ms per pass, median of 41 passes after warm-up). Figures of Node benches divide by it.
 * - `chromium`: inside a page of the Chromium the bench drives, build a fixed 1,000-row × 8-cell table, lay it out,
 *   read every cell back and remove it (ms per pass, median of 9). Figures of the browser benches divide by it.
 * A time figure's calibrated value is ms ÷ calibration ms (how many calibrations it costs); a rate's is
 * rate × calibration ms (how much work it does in one calibration). Sizes (bundle KB) need none.
 */
import type { Page } from 'playwright-core';
import { blackPrice } from '../src/engine/pricing/black';
import { impliedVolatilityValue } from '../src/engine/pricing/iv';

export type CalibrationKind = 'node' | 'chromium';

export interface Figure {
  /** The bench that measured it (its file name without .bench.ts). */
  bench: string;
  /** Stable name: the key across runs and commits. */
  name: string;
  value: number;
  unit: string;
  /** The issue's target, if it has one. */
  target: number | null;
  lowerIsBetter: boolean;
  /** Which calibration it is compared with; null for figures that do not depend on the machine's speed. */
  calibration: CalibrationKind | null;
  /** The calibration in force when it was recorded (ms), or null. */
  calMs: number | null;
}

export interface CalibrationEntry {
  kind: CalibrationKind;
  /** The bench that measured it (a Chromium calibration is measured in each browser a bench drives). */
  bench: string;
  ms: number;
}

const recorded: Figure[] = [];
const calibrations: Partial<Record<CalibrationKind, number>> = {};
const calibrationLog: CalibrationEntry[] = [];
let currentBench = '';

/** run.ts: which bench the next figures belong to; and a fresh registry for each repetition. */
export function beginBench(name: string): void {
  currentBench = name;
}
export function resetFigures(): void {
  recorded.length = 0;
  calibrationLog.length = 0;
  for (const k of Object.keys(calibrations)) delete calibrations[k as CalibrationKind];
}
export function figures(): readonly Figure[] {
  return recorded;
}
export function calibrationsOf(): readonly CalibrationEntry[] {
  return calibrationLog;
}
function setCalibration(kind: CalibrationKind, ms: number): void {
  calibrations[kind] = ms;
  calibrationLog.push({ kind, bench: currentBench, ms });
}

/** A figure, recorded and printed with its calibrated value. Non-finite values (a bench that could not measure) are printed, not recorded. */
export function record(f: Omit<Figure, 'bench' | 'calMs'>): void {
  const cal = f.calibration ? (calibrations[f.calibration] ?? null) : null;
  const fig: Figure = { ...f, bench: currentBench, calMs: cal };
  const multiple = calibrated(fig, cal);
  const target =
    fig.target === null
      ? ''
      : ` (target ${fig.lowerIsBetter ? '≤' : '≥'} ${fmt(fig.target)} ${fig.unit}: ${meets(fig.value, fig) ? 'met' : 'not met'})`;
  console.log(
    `  [figure] ${fig.name}: ${fmt(fig.value)} ${fig.unit}${multiple === null ? '' : ` = ${fmt(multiple)} × ${fig.calibration} calibration`}${target}`,
  );
  if (Number.isFinite(fig.value)) recorded.push(fig);
}

export function meets(value: number, f: Pick<Figure, 'target' | 'lowerIsBetter'>): boolean | null {
  if (f.target === null) return null;
  return f.lowerIsBetter ? value <= f.target : value >= f.target;
}

/** The figure in calibration units: ms ÷ calibration for times (lower is better), rate × calibration for rates. */
export function calibrated(
  f: Pick<Figure, 'value' | 'lowerIsBetter' | 'calibration'>,
  calMs: number | null,
): number | null {
  if (!f.calibration || calMs === null || !(calMs > 0)) return null;
  return f.lowerIsBetter ? f.value / calMs : f.value * calMs;
}

export function fmt(x: number): string {
  const a = Math.abs(x);
  if (a >= 1e6) return `${(x / 1e6).toFixed(2)} M`;
  if (a >= 1e4) return `${(x / 1e3).toFixed(0)} k`;
  if (a >= 100) return x.toFixed(0);
  if (a >= 10) return x.toFixed(1);
  if (a >= 0.1) return x.toFixed(2);
  return x.toPrecision(2);
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  return n === 0 ? NaN : n % 2 ? s[(n - 1) / 2]! : (s[n / 2 - 1]! + s[n / 2]!) / 2;
}

/** The fixed option set of the Node calibration: 2,000 options (strikes × expiries × call/put), priced from known vols. */
function calibrationSet(): {
  call: boolean;
  price: number;
  forward: number;
  strike: number;
  years: number;
  discount: number;
}[] {
  const out: { call: boolean; price: number; forward: number; strike: number; years: number; discount: number }[] = [];
  const forward = 5000;
  for (const years of [7 / 365, 30 / 365, 91 / 365, 0.5, 1]) {
    for (let i = 0; i < 200; i++) {
      const strike = 3500 + i * 15; // 3,500 … 6,485
      const vol = 0.12 + 0.25 * Math.abs(Math.log(strike / forward)) + 0.02 * years;
      const discount = Math.exp(-0.04 * years);
      for (const call of [true, false]) {
        const price = blackPrice({ kind: call ? 'call' : 'put', forward, strike, years, vol, discount });
        out.push({ call, price, forward, strike, years, discount });
      }
    }
  }
  return out;
}

/** The Node calibration: ms per pass of the fixed IV solves, median of 41 passes after 5 warm-up passes. */
export function measureNodeCalibration(): number {
  const set = calibrationSet();
  let sink = 0;
  const pass = () => {
    for (let k = 0; k < set.length; k++) {
      const o = set[k]!;
      const v = impliedVolatilityValue(o.call ? 'call' : 'put', o.price, o.forward, o.strike, o.years, o.discount);
      if (v >= 0) sink += v;
    }
  };
  for (let i = 0; i < 5; i++) pass();
  const times: number[] = [];
  for (let i = 0; i < 41; i++) {
    const t = performance.now();
    pass();
    times.push(performance.now() - t);
  }
  if (sink === 42) console.log('');
  const ms = median(times);
  setCalibration('node', ms);
  console.log(
    `  [calibration] node: ${set.length} implied-vol solves (src/engine/pricing/iv.ts) ${ms.toFixed(3)} ms per pass (median of 41; min ${Math.min(...times).toFixed(3)}, max ${Math.max(...times).toFixed(3)})`,
  );
  return ms;
}

/** The Chromium workload: 11 passes, the first two dropped (warm-up); ms per pass. */
const CHROMIUM_WORKLOAD = `(() => {
  const pass = () => {
    const table = document.createElement('table');
    const body = document.createElement('tbody');
    for (let r = 0; r < 1000; r++) {
      const tr = document.createElement('tr');
      for (let c = 0; c < 8; c++) {
        const td = document.createElement('td');
        td.textContent = ((r * 8 + c) * 0.37).toFixed(2);
        tr.appendChild(td);
      }
      body.appendChild(tr);
    }
    table.appendChild(body);
    document.body.appendChild(table);
    let sum = table.offsetHeight; // forces style and layout
    for (const td of table.querySelectorAll('td')) sum += Number(td.textContent);
    table.remove();
    return sum;
  };
  const out = [];
  for (let i = 0; i < 11; i++) {
    const t = performance.now();
    pass();
    out.push(performance.now() - t);
  }
  return out.slice(2);
})()`;

/** The Chromium calibration, in `page` (any page of the browser under test): ms per pass, median of 9 after 2. */
export async function measureChromiumCalibration(page: Page): Promise<number> {
  // A string, not a function: tsx's transform would add helpers (__name) the page does not have.
  const times = (await page.evaluate(CHROMIUM_WORKLOAD)) as number[];
  const ms = median(times);
  setCalibration('chromium', ms);
  console.log(
    `  [calibration] chromium: build, lay out and read a 1,000 × 8 table ${ms.toFixed(2)} ms per pass (median of 9; min ${Math.min(...times).toFixed(2)}, max ${Math.max(...times).toFixed(2)})`,
  );
  return ms;
}
