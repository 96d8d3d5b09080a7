/**
 * The backtest's chart as an SVG document: each strategy's account on a log scale (top) and its drawdown from its
 * running peak (bottom), on one date axis. Pure: numbers in, a string out; the CLI writes it to a file and the
 * Options page can show it (as an <img> from a Blob URL, or parsed as SVG). Every text in it is escaped; the only
 * texts are the strategies' labels, years and figures.
 */
import type { BacktestReport } from './run';

export interface ChartOptions {
  width?: number;
  height?: number;
  /** Points per curve at most (the curves are thinned to this; the extremes of each bucket are kept). */
  maxPoints?: number;
}

/** Distinct colours for up to eight strategies (Okabe–Ito, readable by most colour-blind readers). */
const COLOURS = ['#000000', '#E69F00', '#56B4E9', '#009E73', '#D55E00', '#0072B2', '#CC79A7', '#999999'];

export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}

const f1 = (v: number) => (Math.round(v * 10) / 10).toString();

/** Indices to draw: every bucket's first, min and max, so a thinned curve keeps its drawdowns. */
function thin(values: readonly number[], maxPoints: number): number[] {
  const n = values.length;
  if (n <= maxPoints) return values.map((_, i) => i);
  const bucket = Math.ceil((3 * n) / maxPoints);
  const out = new Set<number>();
  for (let s = 0; s < n; s += bucket) {
    let lo = s;
    let hi = s;
    for (let i = s; i < Math.min(n, s + bucket); i++) {
      if (values[i]! < values[lo]!) lo = i;
      if (values[i]! > values[hi]!) hi = i;
    }
    out.add(s).add(lo).add(hi);
  }
  out.add(n - 1);
  return [...out].sort((a, b) => a - b);
}

export function backtestChartSvg(report: BacktestReport, opts: ChartOptions = {}): string {
  const W = opts.width ?? 960;
  const H = opts.height ?? 560;
  const maxPoints = opts.maxPoints ?? 1200;
  const left = 64;
  const right = 250;
  const top = 28;
  const gap = 36;
  const plotW = W - left - right;
  const eqH = Math.round((H - top - gap - 28) * 0.68);
  const ddH = H - top - gap - 28 - eqH;
  const ddTop = top + eqH + gap;
  const n = report.dates.length;
  const x = (i: number) => left + (n > 1 ? (i / (n - 1)) * plotW : 0);

  let lo = Infinity;
  let hi = -Infinity;
  let worstDd = 0;
  const dds = report.strategies.map((s) => {
    let peak = -Infinity;
    return s.equity.map((v) => {
      if (v > 0) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
      peak = Math.max(peak, v);
      const dd = peak > 0 ? Math.max(0, 1 - v / peak) : 0;
      worstDd = Math.max(worstDd, dd);
      return dd;
    });
  });
  if (!(lo > 0) || !(hi > lo)) {
    lo = 1;
    hi = 10;
  }
  const l0 = Math.log10(lo);
  const l1 = Math.log10(hi);
  const yEq = (v: number) => top + eqH - ((Math.log10(Math.max(v, lo)) - l0) / (l1 - l0)) * eqH;
  const ddMax = Math.max(0.05, Math.ceil(worstDd * 20) / 20);

  const yDd = (d: number) => ddTop + (d / ddMax) * ddH;

  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" font-family="system-ui, sans-serif" font-size="11">`,
  );
  out.push(`<rect width="${W}" height="${H}" fill="#ffffff"/>`);
  out.push(
    `<text x="${left}" y="16" font-size="13" font-weight="600">${escapeXml(`Account (log scale) and drawdown, ${report.from} … ${report.to}`)}</text>`,
  );
  // Axes: round account values on the log scale, round percentages of drawdown, years along the bottom.
  for (const v of accountTicks(lo, hi)) {
    const y = f1(yEq(v));
    out.push(`<line x1="${left}" x2="${left + plotW}" y1="${y}" y2="${y}" stroke="#e5e5e5"/>`);
    out.push(
      `<text x="${left - 6}" y="${y}" text-anchor="end" dominant-baseline="middle">${escapeXml(money(v))}</text>`,
    );
  }
  for (const d of drawdownTicks(ddMax)) {
    const y = f1(yDd(d));
    out.push(`<line x1="${left}" x2="${left + plotW}" y1="${y}" y2="${y}" stroke="#e5e5e5"/>`);
    out.push(
      `<text x="${left - 6}" y="${y}" text-anchor="end" dominant-baseline="middle">${d > 0 ? '−' : ''}${Math.round(d * 100)} %</text>`,
    );
  }
  const firstYear = Number(report.from.slice(0, 4));
  const lastYear = Number(report.to.slice(0, 4));
  const every = lastYear - firstYear > 20 ? 5 : lastYear - firstYear > 8 ? 2 : 1;
  for (let i = 0; i < n; i++) {
    const d = report.dates[i]!;
    if (i > 0 && d.slice(0, 4) === report.dates[i - 1]!.slice(0, 4)) continue;
    const y = Number(d.slice(0, 4));
    if (y % every !== 0) continue;
    const xx = f1(x(i));
    out.push(`<line x1="${xx}" x2="${xx}" y1="${top}" y2="${ddTop + ddH}" stroke="#f0f0f0"/>`);
    out.push(`<text x="${xx}" y="${ddTop + ddH + 14}" text-anchor="middle">${y}</text>`);
  }
  out.push(`<text x="${left}" y="${ddTop - 8}" fill="#555">Drawdown from the running peak</text>`);
  // Curves.
  report.strategies.forEach((s, k) => {
    const colour = COLOURS[k % COLOURS.length]!;
    const eqIdx = thin(s.equity, maxPoints);
    const eqPath = eqIdx.map((i, j) => `${j ? 'L' : 'M'}${f1(x(i))} ${f1(yEq(s.equity[i]!))}`).join('');
    out.push(`<path d="${eqPath}" fill="none" stroke="${colour}" stroke-width="1.2"/>`);
    const dd = dds[k]!;
    const ddIdx = thin(
      dd.map((v) => -v),
      maxPoints,
    );
    const ddPath = ddIdx.map((i, j) => `${j ? 'L' : 'M'}${f1(x(i))} ${f1(yDd(dd[i]!))}`).join('');
    out.push(`<path d="${ddPath}" fill="none" stroke="${colour}" stroke-width="1"/>`);
    const ly = top + 8 + k * 30;
    out.push(
      `<line x1="${W - right + 12}" x2="${W - right + 32}" y1="${ly}" y2="${ly}" stroke="${colour}" stroke-width="3"/>`,
    );
    out.push(`<text x="${W - right + 38}" y="${ly}" dominant-baseline="middle">${escapeXml(s.label)}</text>`);
    out.push(
      `<text x="${W - right + 38}" y="${ly + 13}" dominant-baseline="middle" fill="#555">${escapeXml(`CAGR ${pct(s.cagr)}, max DD ${pct(-s.maxDrawdown.depth)}`)}</text>`,
    );
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

/**
 * Round account values for the log axis, between lo and hi: the 1-2-5 values of each decade when at least three
 * fall in the range (a long run: $50k, $100k, $200k, $500k…); over a narrower range (a few years, where the
 * accounts stay within a factor of two or three) evenly spaced round values, so the axis still reads in dollars.
 */
export function accountTicks(lo: number, hi: number): number[] {
  if (!(lo > 0) || !(hi > lo)) return [];
  const decades: number[] = [];
  for (let p = Math.floor(Math.log10(lo)); p <= Math.ceil(Math.log10(hi)); p++)
    for (const m of [1, 2, 5]) {
      const v = m * 10 ** p;
      if (v >= lo && v <= hi) decades.push(v);
    }
  if (decades.length >= 3) return decades;
  const step = niceStep((hi - lo) / 4);
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi; v += step) out.push(Number(v.toPrecision(12)));
  return out;
}

/** Drawdown gridlines from 0 to ddMax (a fraction): round percentages (5, 10, 20…) at most six lines. */
export function drawdownTicks(ddMax: number): number[] {
  const step = [0.01, 0.02, 0.05, 0.1, 0.2, 0.25, 0.5].find((s) => ddMax / s <= 5) ?? 0.5;
  const out: number[] = [];
  for (let k = 0; k * step <= ddMax + 1e-9; k++) out.push(Number((k * step).toFixed(4)));
  return out;
}

/** 1, 2, 2.5 or 5 × a power of ten, the nearest at or above x. */
function niceStep(x: number): number {
  const p = 10 ** Math.floor(Math.log10(x));
  const m = x / p;
  return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 2.5 ? 2.5 : m <= 5 ? 5 : 10) * p;
}

function pct(v: number): string {
  return `${(v * 100).toFixed(1)} %`;
}

function money(v: number): string {
  if (v >= 1e9) return `$${f1(v / 1e9)}B`;
  if (v >= 1e6) return `$${f1(v / 1e6)}M`;
  if (v >= 1e3) return `$${f1(v / 1e3)}k`;
  return `$${Math.round(v)}`;
}

/**
 * Each strategy's account at every close as CSV: a date column, then one column per strategy (its id), dollars to
 * the cent. For a spreadsheet; the same numbers as the report's `strategies[].equity`.
 */
export function equityCsv(report: BacktestReport): string {
  const ids = report.strategies.map((s) => s.id);
  const lines = [['date', ...ids].join(',')];
  for (let i = 0; i < report.dates.length; i++)
    lines.push([report.dates[i]!, ...report.strategies.map((s) => (s.equity[i] ?? NaN).toFixed(2))].join(','));
  return `${lines.join('\n')}\n`;
}
