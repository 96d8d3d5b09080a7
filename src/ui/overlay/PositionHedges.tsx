import { useState } from 'preact/hooks';
import type { Structure } from '../../engine/alvh/plan';
import type { JournalEntry, JournalPnl, PositionHedge, PositionRisk } from '../../engine/session';
import { fillsDollars } from '../../positions/journal';
import { STRUCTURE_LABEL } from '../alvh/view';
import { fmtDollars, fmtNumber, fmtShortDateTime, fmtStrike } from '../format';
import { FillInput, readFill } from './FillInput';

export function hedgeLabel(h: PositionHedge): string {
  return `${STRUCTURE_LABEL[h.structure as Structure] ?? h.structure} × ${h.quantity}`;
}

const ACTION: Record<JournalEntry['action'], string> = {
  open: 'Opened',
  add: 'Added',
  roll: 'Rolled',
  close: 'Closed',
  convert: 'Converted',
};

function entryLabel(e: JournalEntry): string {
  const text = e.label.replace(/^Closed /, '');
  const [structure, times] = text.split(' × ');
  return `${ACTION[e.action]} ${STRUCTURE_LABEL[structure as Structure] ?? structure}${times ? ` × ${times}` : ''}`;
}

function HedgeItem({
  hedge: h,
  onRemove,
  onClose,
}: {
  hedge: PositionHedge;
  onRemove: (id: string) => void;
  onClose?: (id: string, fillPerUnit: number | null) => void;
}) {
  const [fill, setFill] = useState('');
  const label = hedgeLabel(h);
  return (
    <li class="hl-position-item" data-testid="position-hedge">
      <div class="hl-position-head">
        <span class="hl-position-title">{label}</span>
        <span class="hl-position-actions">
          {onClose && (
            <>
              <FillInput
                label={`Close ${label} at, net per unit received (empty: natural)`}
                placeholder="natural"
                title="Net per unit you received closing it (− if you paid); empty: the natural price on the page"
                value={fill}
                onChange={setFill}
              />
              <button
                type="button"
                class="hl-btn hl-btn-small"
                aria-label={`Close ${label}`}
                title="Close it: recorded in the journal, its P/L realised"
                onClick={() => {
                  onClose(h.id, readFill(fill));
                }}
              >
                Close
              </button>
            </>
          )}
          <button
            type="button"
            class="hl-btn hl-btn-small"
            aria-label={`Remove ${label} from position`}
            title="Added by mistake: take it out with its journal entry"
            onClick={() => onRemove(h.id)}
          >
            Remove
          </button>
        </span>
      </div>
      <ul class="hl-position-legs hl-num">
        {h.legs.map((l, i) => (
          <li key={i}>
            {l.quantity > 0 ? 'Long' : 'Short'} {Math.abs(l.quantity)} {l.underlying} {fmtStrike(l.strike)} {l.kind}{' '}
            {l.expiry} @ {fmtNumber(l.entryPrice)}
          </li>
        ))}
      </ul>
    </li>
  );
}

/** The adjustment journal: each add and close with its net fill, and the P/L it has made. */
function Journal({ journal, pnl }: { journal: readonly JournalEntry[]; pnl: JournalPnl | null }) {
  if (journal.length === 0) return null;
  const byId = new Map(pnl?.entries.map((e) => [e.id, e]) ?? []);
  return (
    <div data-testid="position-journal">
      <h4 class="hl-h3">Adjustment journal</h4>
      <ol class="hl-position-list hl-num">
        {journal.map((e) => {
          const p = byId.get(e.id);
          const cash = fillsDollars(e.fills);
          return (
            <li key={e.id} data-testid="journal-entry" data-action={e.action}>
              {fmtShortDateTime(e.at)} · {entryLabel(e)} ·{' '}
              {cash >= 0 ? `paid ${fmtDollars(cash)}` : `received ${fmtDollars(-cash)}`}
              {p && (p.realisedDollars !== 0 || (p.unrealisedDollars ?? 0) !== 0) && (
                <>
                  {' · '}P/L {fmtDollars(p.realisedDollars, { sign: true })} realised
                  {p.unrealisedDollars === null
                    ? ', open legs without a quote'
                    : p.unrealisedDollars !== 0
                      ? `, ${fmtDollars(p.unrealisedDollars, { sign: true })} open`
                      : ''}
                </>
              )}
            </li>
          );
        })}
      </ol>
      {pnl && (
        <p class="hl-hint hl-muted hl-num" data-testid="journal-pnl">
          Adjustments: {fmtDollars(pnl.realisedDollars, { sign: true })} realised ·{' '}
          {pnl.unrealisedDollars === null
            ? `open P/L unknown (${pnl.unmarked.length} without a quote)`
            : `${fmtDollars(pnl.unrealisedDollars, { sign: true })} open at the mids`}
        </p>
      )}
    </div>
  );
}

/**
 * The hedges the trader added to the position: their legs at the entry price, a close (at a fill) and a remove
 * button each, and the adjustment journal with its P/L.
 */
export function PositionHedges({
  hedges,
  risk,
  journal = [],
  pnl = null,
  error = null,
  onRemove,
  onClose,
}: {
  hedges: readonly PositionHedge[];
  risk: PositionRisk | null;
  journal?: readonly JournalEntry[];
  pnl?: JournalPnl | null;
  /** Why the last add or close was refused. */
  error?: string | null;
  onRemove: (id: string) => void;
  onClose?: (id: string, fillPerUnit: number | null) => void;
}) {
  if (hedges.length === 0 && journal.length === 0 && !error) return null;
  return (
    <section class="hl-section hl-position" aria-label="Position" data-testid="position-hedges">
      <h3 class="hl-h3">Position: the condor and {hedges.length === 1 ? '1 hedge' : `${hedges.length} hedges`}</h3>
      {error && (
        <p class="hl-error" role="alert" data-testid="adjustment-error">
          {error}
        </p>
      )}
      <ul class="hl-position-list">
        {hedges.map((h) => (
          <HedgeItem key={h.id} hedge={h} onRemove={onRemove} onClose={onClose} />
        ))}
      </ul>
      {risk && (
        <p class="hl-hint hl-muted hl-num" data-testid="position-hedge-value">
          Hedges on {risk.notes.length > 0 ? 'the index' : 'the chain'}: cost {fmtDollars(risk.hedgeEntryDollars)} at
          entry · worth {fmtDollars(risk.hedgeValueDollars)} now on the model
        </p>
      )}
      {risk?.notes.map((n) => (
        <p class="hl-hint hl-muted" key={n} data-testid="position-note">
          Note: {n}.
        </p>
      ))}
      <Journal journal={journal} pnl={pnl} />
    </section>
  );
}
