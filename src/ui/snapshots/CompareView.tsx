import { useEffect, useRef } from 'preact/hooks';
import type { NumberMove, SnapshotComparison } from '../../storage/snapshots';
import { DASH, fmtNumber, fmtPercent, fmtSigned } from '../format';
import { fmtSavedAt } from './model';

interface Row {
  label: string;
  move: NumberMove;
  /** Shows a level. */
  level: (v: number | null) => string;
  /** Shows a change, signed. */
  change: (v: number | null) => string;
  /** Also show the relative change. */
  relative?: boolean;
}

const points = (digits: number) => (v: number | null) => (v === null ? DASH : `${fmtSigned(v * 100, digits)} pts`);

function rows(c: SnapshotComparison): Row[] {
  return [
    { label: 'Price', move: c.price, level: (v) => fmtNumber(v), change: (v) => fmtSigned(v), relative: true },
    { label: 'ATM vol', move: c.atmVol, level: (v) => fmtNumber(v === null ? null : v * 100, 1), change: points(1) },
    {
      label: 'Δ $/pt',
      move: c.greeks.delta,
      level: (v) => fmtNumber(v, 0),
      change: (v) => fmtSigned(v, 0),
    },
    {
      label: 'Γ $/pt²',
      move: c.greeks.gamma,
      level: (v) => fmtNumber(v, 2),
      change: (v) => fmtSigned(v, 2),
    },
    {
      label: 'Vega $/vol pt',
      move: c.greeks.vega,
      level: (v) => fmtNumber(v, 0),
      change: (v) => fmtSigned(v, 0),
    },
    {
      label: 'Θ $/day',
      move: c.greeks.theta,
      level: (v) => fmtNumber(v, 0),
      change: (v) => fmtSigned(v, 0),
    },
    { label: 'Prob. of profit', move: c.pop, level: (v) => fmtPercent(v), change: points(1) },
  ];
}

/** 'up' / 'down' / 'flat' / 'unknown': drives the arrow and the colour. */
export function direction(change: number | null): 'up' | 'down' | 'flat' | 'unknown' {
  if (change === null || !Number.isFinite(change)) return 'unknown';
  return change > 0 ? 'up' : change < 0 ? 'down' : 'flat';
}

const ARROW = { up: '▲', down: '▼', flat: '', unknown: '' } as const;

function elapsed(ms: number): string {
  const a = Math.abs(ms);
  const mins = Math.round(a / 60_000);
  if (mins < 60) return `${mins} min`;
  const hours = a / 3_600_000;
  if (hours < 48) return `${fmtNumber(hours, 1)} h`;
  return `${fmtNumber(hours / 24, 1)} days`;
}

/** Two snapshots side by side: how price, vol, greeks, POP and the stage moved from the older to the newer. */
export function CompareView({
  comparison: c,
  labels,
  onClose,
}: {
  comparison: SnapshotComparison;
  labels: { from: string; to: string };
  onClose: () => void;
}) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [c.from.id, c.to.id]);
  const fromHead = fmtSavedAt(c.from.savedAt);
  const toHead = fmtSavedAt(c.to.savedAt);
  return (
    <section class="hl-snap-compare" aria-label="Comparison of two snapshots" data-testid="compare-view">
      <header class="hl-snap-view-head">
        <h2 class="hl-snap-title" tabIndex={-1} ref={heading}>
          Compare: {fromHead} → {toHead}
        </h2>
        <button class="hl-btn" type="button" onClick={onClose}>
          Close comparison
        </button>
      </header>
      <p class="hl-muted hl-hint">
        {elapsed(c.elapsedMs)} apart.
        {!c.sameUnderlying ? ' Different underlyings: the moves compare two different markets.' : ''}
        {c.sameUnderlying && !c.sameCondor
          ? ' Different condors (strikes, expiry or size): greeks and POP describe two positions.'
          : ''}
      </p>
      <table class="hl-snap-table hl-num">
        <thead>
          <tr>
            <th scope="col">Metric</th>
            <th scope="col" title={labels.from}>
              {fromHead}
              <div class="hl-muted hl-hint">{labels.from}</div>
            </th>
            <th scope="col" title={labels.to}>
              {toHead}
              <div class="hl-muted hl-hint">{labels.to}</div>
            </th>
            <th scope="col">Change</th>
          </tr>
        </thead>
        <tbody>
          {rows(c).map((r) => {
            const dir = direction(r.move.change);
            return (
              <tr key={r.label} data-metric={r.label}>
                <th scope="row">{r.label}</th>
                <td>{r.level(r.move.from)}</td>
                <td>{r.level(r.move.to)}</td>
                <td class={`hl-move hl-move-${dir}`} data-direction={dir}>
                  {ARROW[dir] ? <span aria-hidden="true">{ARROW[dir]} </span> : null}
                  {r.change(r.move.change)}
                  {r.relative && r.move.relative !== null ? ` (${fmtSigned(r.move.relative * 100, 2)}%)` : ''}
                </td>
              </tr>
            );
          })}
          <tr data-metric="Stage">
            <th scope="row">Stage</th>
            <td>{c.stage.from ?? DASH}</td>
            <td>{c.stage.to ?? DASH}</td>
            <td
              class={c.stage.changed ? 'hl-move hl-move-changed' : 'hl-move'}
              data-direction={c.stage.changed ? 'changed' : 'flat'}
            >
              {c.stage.changed ? `${c.stage.from ?? DASH} → ${c.stage.to ?? DASH}` : 'unchanged'}
            </td>
          </tr>
        </tbody>
      </table>
    </section>
  );
}
