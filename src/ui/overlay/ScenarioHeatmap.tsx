import type { ScenarioGrid } from '../../engine/types';
import { fmtDollars } from '../format';

/** Columns and rows worth a glance at the panel's width (the grid itself is 41 × 21). */
const MOVES = [-0.15, -0.1, -0.075, -0.05, -0.025, 0, 0.025, 0.05, 0.1];
const SHIFTS = [-5, 0, 4, 10, 16, 20, 30];

function nearestIndex(values: readonly number[], target: number): number {
  let best = 0;
  for (let i = 1; i < values.length; i++)
    if (Math.abs(values[i]! - target) < Math.abs(values[best]! - target)) best = i;
  return best;
}

/** Dollars without the $ (the caption says so): −384, +1.2k, −12k. */
function compact(v: number): string {
  const a = Math.abs(v);
  const sign = Math.round(a) === 0 ? '' : v < 0 ? '−' : '+';
  if (a >= 10_000) return `${sign}${(a / 1000).toFixed(0)}k`;
  if (a >= 1000) return `${sign}${(a / 1000).toFixed(1)}k`;
  return `${sign}${Math.round(a)}`;
}

/** Underlying move × volatility shift, P/L in dollars; colour by sign, depth by size against the worst cell. */
export function ScenarioHeatmap({ grid }: { grid: ScenarioGrid }) {
  const cols = [...new Set(MOVES.map((m) => nearestIndex(grid.moves, m)))];
  const rows = [...new Set(SHIFTS.map((s) => nearestIndex(grid.volShiftsPoints, s)))];
  let worst = 1;
  for (const r of rows) for (const c of cols) worst = Math.max(worst, Math.abs(grid.pnlDollars[r]?.[c] ?? 0));
  return (
    <table class="hl-heat" aria-label="Scenario P/L: underlying move by volatility shift">
      <thead>
        <tr>
          <th scope="col" class="hl-heat-corner" title="rows: volatility shift in vol points; columns: underlying move">
            vol╲mv
          </th>
          {cols.map((c) => (
            <th scope="col" key={c}>
              {`${grid.moves[c]! > 0 ? '+' : ''}${Number((grid.moves[c]! * 100).toFixed(1))}%`}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r}>
            <th scope="row">{`${grid.volShiftsPoints[r]! > 0 ? '+' : ''}${grid.volShiftsPoints[r]}`}</th>
            {cols.map((c) => {
              const v = grid.pnlDollars[r]?.[c] ?? 0;
              const depth = Math.min(1, Math.abs(v) / worst);
              return (
                <td
                  key={c}
                  class={v >= 0 ? 'hl-pos' : 'hl-neg'}
                  style={{ '--depth': depth.toFixed(2) } as Record<string, string>}
                  title={`${(grid.moves[c]! * 100).toFixed(1)}% move, ${grid.volShiftsPoints[r]} vol pts: ${fmtDollars(v, { sign: true })}`}
                >
                  {compact(v)}
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
