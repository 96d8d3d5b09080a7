import type { PnlCurve } from '../../engine/types';
import { fmtDollars, fmtStrike } from '../format';

export interface PayoffChartProps {
  at: PnlCurve;
  expiry: PnlCurve;
  spot: number | null;
  breakevens: [number, number];
  /** One expected move (price units) around the spot, shaded. */
  expectedMove: number | null;
  width?: number;
  height?: number;
}

const PAD = { left: 44, right: 8, top: 8, bottom: 20 };

function path(
  xs: readonly number[],
  ys: readonly number[],
  x: (v: number) => number,
  y: (v: number) => number,
): string {
  let d = '';
  for (let i = 0; i < xs.length; i++) d += `${i === 0 ? 'M' : 'L'}${x(xs[i]!).toFixed(1)},${y(ys[i]!).toFixed(1)}`;
  return d;
}

/** P/L at expiry (solid) and at the chosen date and vol shift (dashed), with breakevens, ±1 expected move and spot. */
export function PayoffChart({
  at,
  expiry,
  spot,
  breakevens,
  expectedMove,
  width = 356,
  height = 168,
}: PayoffChartProps) {
  const prices = expiry.prices;
  const lo = prices[0] ?? 0;
  const hi = prices[prices.length - 1] ?? 1;
  const all = [...expiry.pnlDollars, ...at.pnlDollars].filter(Number.isFinite);
  let yMin = Math.min(0, ...all);
  let yMax = Math.max(0, ...all);
  if (yMax - yMin < 1) {
    yMin -= 1;
    yMax += 1;
  }
  const padY = (yMax - yMin) * 0.08;
  yMin -= padY;
  yMax += padY;
  const iw = width - PAD.left - PAD.right;
  const ih = height - PAD.top - PAD.bottom;
  const x = (p: number) => PAD.left + ((p - lo) / (hi - lo || 1)) * iw;
  const y = (v: number) => PAD.top + (1 - (v - yMin) / (yMax - yMin)) * ih;
  const inRange = (p: number | null): p is number => p !== null && Number.isFinite(p) && p >= lo && p <= hi;
  const zeroY = y(0);
  const ticks = [lo, (lo + hi) / 2, hi];
  const emLo = spot !== null && expectedMove !== null ? Math.max(lo, spot - expectedMove) : null;
  const emHi = spot !== null && expectedMove !== null ? Math.min(hi, spot + expectedMove) : null;

  return (
    <svg
      class="hl-chart"
      width={width}
      height={height}
      viewBox={`0 0 ${width} ${height}`}
      role="img"
      aria-label={`P/L chart: at expiry from ${fmtDollars(Math.min(...expiry.pnlDollars))} to ${fmtDollars(Math.max(...expiry.pnlDollars))}; breakevens ${fmtStrike(breakevens[0])} and ${fmtStrike(breakevens[1])}`}
    >
      {emLo !== null && emHi !== null && emHi > emLo && (
        <rect class="hl-em" x={x(emLo)} y={PAD.top} width={x(emHi) - x(emLo)} height={ih}>
          <title>±1 expected move</title>
        </rect>
      )}
      <line class="hl-axis" x1={PAD.left} x2={width - PAD.right} y1={zeroY} y2={zeroY} />
      {/* Keyed by place, not by value: the values move with every tick, the elements need not be made again. */}
      {[yMax - padY, yMin + padY].map((v, i) => (
        <text class="hl-tick" x={PAD.left - 4} y={y(v) + 3} text-anchor="end" key={i}>
          {fmtDollars(v)}
        </text>
      ))}
      {ticks.map((p, i) => (
        <text class="hl-tick" x={x(p)} y={height - 6} text-anchor="middle" key={i}>
          {fmtStrike(Math.round(p))}
        </text>
      ))}
      {breakevens.filter(inRange).map((b, i) => (
        <g key={i}>
          <line class="hl-be" x1={x(b)} x2={x(b)} y1={PAD.top} y2={PAD.top + ih} />
          <title>breakeven {fmtStrike(b)}</title>
        </g>
      ))}
      <path class="hl-curve-expiry" d={path(prices, expiry.pnlDollars, x, y)} />
      <path class="hl-curve-at" d={path(at.prices, at.pnlDollars, x, y)} />
      {inRange(spot) && (
        <g>
          <line class="hl-spot" x1={x(spot)} x2={x(spot)} y1={PAD.top} y2={PAD.top + ih} />
          <text class="hl-tick hl-spot-label" x={x(spot)} y={PAD.top + 9} text-anchor="middle">
            {fmtStrike(Math.round(spot * 100) / 100)}
          </text>
        </g>
      )}
    </svg>
  );
}
