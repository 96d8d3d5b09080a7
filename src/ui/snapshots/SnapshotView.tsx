import { useEffect, useRef } from 'preact/hooks';
import type { Snapshot } from '../../storage/snapshots';
import { readMetrics } from '../../storage/snapshots';
import { CondorSummary } from '../overlay/CondorSummary';
import { PayoffChart } from '../overlay/PayoffChart';
import { ScenarioHeatmap } from '../overlay/ScenarioHeatmap';
import { fmtDollars, fmtNumber, fmtVol } from '../format';
import { fmtSavedAt, savedPanels } from './model';

/** One snapshot, read-only, with the live overlay's panels rebuilt from what was saved. */
export function SnapshotView({ snapshot, onClose }: { snapshot: Snapshot; onClose: () => void }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [snapshot.id]);
  const p = savedPanels(snapshot);
  const m = readMetrics(snapshot);
  const title = `Snapshot of ${fmtSavedAt(snapshot.savedAt)} — read-only`;
  const spotPnl = (() => {
    if (!p.curves || p.spot === null) return null;
    const { prices, pnlDollars } = p.curves.at;
    let best = 0;
    for (let i = 1; i < prices.length; i++)
      if (Math.abs(prices[i]! - p.spot) < Math.abs(prices[best]! - p.spot)) best = i;
    return pnlDollars[best] ?? null;
  })();
  return (
    <section class="hl-snap-view" aria-label={title} data-testid="snapshot-view">
      <header class="hl-snap-view-head">
        <h2 class="hl-snap-title" tabIndex={-1} ref={heading} data-testid="snapshot-title">
          {title}
        </h2>
        <button class="hl-btn" type="button" onClick={onClose}>
          Close snapshot
        </button>
      </header>
      <p class="hl-muted hl-num">
        {snapshot.chain.underlying.symbol} {fmtNumber(m.price.value)}
        {m.atmVol.value !== null ? ` · ATM vol ${fmtVol(m.atmVol.value)}` : ''}
        {m.stage.value ? ` · stage ${m.stage.value}` : ''} · {snapshot.site || 'from a file'}
        {snapshot.pageTitle ? ` · ${snapshot.pageTitle}` : ''}
        {snapshot.rulebookVersion !== null ? ` · rulebook ${String(snapshot.rulebookVersion)}` : ''}
      </p>
      {snapshot.note && <p class="hl-snap-note">{snapshot.note}</p>}
      {p.notes.map((n) => (
        <p class="hl-muted hl-hint" key={n}>
          {n}
        </p>
      ))}
      {p.risk && p.expectedMove && (
        <CondorSummary risk={p.risk} suggested={p.suggested} expectedMove={p.expectedMove} />
      )}
      {p.risk && p.curves && (
        <section class="hl-section" aria-label="Profit and loss">
          <PayoffChart
            at={p.curves.at}
            expiry={p.curves.expiry}
            spot={p.spot}
            breakevens={[p.risk.breakevenLower, p.risk.breakevenUpper]}
            expectedMove={p.expectedMove?.fromAtmVol ?? null}
            width={520}
            height={220}
          />
          <p class="hl-legend hl-muted">
            <span class="hl-key hl-key-expiry" /> at expiry <span class="hl-key hl-key-at" /> when saved:{' '}
            <b data-testid="snapshot-pnl-at-spot">{fmtDollars(spotPnl, { sign: true })}</b> at the price then
          </p>
        </section>
      )}
      {p.grid && (
        <section class="hl-section" aria-label="Scenarios">
          <h3 class="hl-h3">
            Scenario P/L in $, when saved · vol shocks ×{fmtNumber(p.grid.volShiftScale, 2)} for the term
          </h3>
          <ScenarioHeatmap grid={p.grid} />
        </section>
      )}
      {snapshot.hedges.length > 0 && (
        <section class="hl-section" aria-label="Hedges">
          <h3 class="hl-h3">Hedges</h3>
          <ul class="hl-snap-legs hl-num">
            {snapshot.hedges.map((h, i) => (
              <li key={i}>
                {h.quantity > 0 ? '+' : '−'}
                {Math.abs(h.quantity)} {h.root ?? h.underlying} {h.expiry} {fmtNumber(h.strike, 0)} {h.kind}
                {h.price !== null ? ` @ ${fmtNumber(h.price)}` : ''}
              </li>
            ))}
          </ul>
        </section>
      )}
    </section>
  );
}
