import type { ChainSummary } from '../engine/summary';
import { fmtNumber, fmtStrike } from './format';

/** "N strikes read for SPX 2026-03-20" and the worker's ATM straddle: shared by overlay and popup. */
export function ChainStatus({ summary, compact = false }: { summary: ChainSummary; compact?: boolean }) {
  const root = summary.root && summary.root !== summary.symbol ? ` (${summary.root})` : '';
  if (compact) {
    return (
      <p class="hl-status-line hl-num">
        <span data-testid="strikes-read">
          {summary.strikes} strikes read for {summary.symbol} {summary.expiry ?? 'unknown expiry'}
          {root}
        </span>
        {' · '}ATM straddle{summary.atmStrike !== null ? ` @ ${fmtStrike(summary.atmStrike)}` : ''}{' '}
        <b data-testid="straddle-mid">{fmtNumber(summary.straddleMid)}</b>
        <span hidden data-testid="underlying-price">
          {fmtNumber(summary.underlyingPrice)}
        </span>
      </p>
    );
  }
  return (
    <div>
      <p class="hl-title" data-testid="strikes-read">
        {summary.strikes} strikes read for {summary.symbol} {summary.expiry ?? 'unknown expiry'}
        {root}
      </p>
      <div class="hl-kpis">
        <div class="hl-kpi">
          <div class="hl-kpi-label">Underlying</div>
          <div class="hl-kpi-value hl-num" data-testid="underlying-price">
            {fmtNumber(summary.underlyingPrice)}
          </div>
        </div>
        <div class="hl-kpi">
          <div class="hl-kpi-label">
            ATM straddle {summary.atmStrike !== null ? `@ ${fmtStrike(summary.atmStrike)}` : ''}
          </div>
          <div class="hl-kpi-value hl-num" data-testid="straddle-mid">
            {fmtNumber(summary.straddleMid)}
          </div>
        </div>
      </div>
    </div>
  );
}
