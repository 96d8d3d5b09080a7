import type { Structure } from '../../engine/alvh/plan';
import type { PositionHedge, PositionRisk } from '../../engine/session';
import { STRUCTURE_LABEL } from '../alvh/view';
import { fmtDollars, fmtNumber, fmtStrike } from '../format';

export function hedgeLabel(h: PositionHedge): string {
  return `${STRUCTURE_LABEL[h.structure as Structure] ?? h.structure} × ${h.quantity}`;
}

/** The hedges the trader added to the position: their legs at the entry price, and a remove button each. */
export function PositionHedges({
  hedges,
  risk,
  onRemove,
}: {
  hedges: readonly PositionHedge[];
  risk: PositionRisk | null;
  onRemove: (id: string) => void;
}) {
  if (hedges.length === 0) return null;
  return (
    <section class="hl-section hl-position" aria-label="Position" data-testid="position-hedges">
      <h3 class="hl-h3">Position: the condor and {hedges.length === 1 ? '1 hedge' : `${hedges.length} hedges`}</h3>
      <ul class="hl-position-list">
        {hedges.map((h) => (
          <li key={h.id} class="hl-position-item" data-testid="position-hedge">
            <div class="hl-position-head">
              <span class="hl-position-title">{hedgeLabel(h)}</span>
              <button
                type="button"
                class="hl-btn hl-btn-small"
                aria-label={`Remove ${hedgeLabel(h)} from position`}
                onClick={() => onRemove(h.id)}
              >
                Remove
              </button>
            </div>
            <ul class="hl-position-legs hl-num">
              {h.legs.map((l, i) => (
                <li key={i}>
                  {l.quantity > 0 ? 'Long' : 'Short'} {Math.abs(l.quantity)} {l.underlying} {fmtStrike(l.strike)}{' '}
                  {l.kind} {l.expiry} @ {fmtNumber(l.entryPrice)}
                </li>
              ))}
            </ul>
          </li>
        ))}
      </ul>
      {risk && (
        <p class="hl-hint hl-muted hl-num" data-testid="position-hedge-value">
          Hedges on {risk.notes.length > 0 ? 'the index' : 'the chain'}: cost {fmtDollars(risk.hedgeEntryDollars)} at
          entry (natural) · worth {fmtDollars(risk.hedgeValueDollars)} now on the model
        </p>
      )}
      {risk?.notes.map((n) => (
        <p class="hl-hint hl-muted" key={n} data-testid="position-note">
          Note: {n}.
        </p>
      ))}
    </section>
  );
}
