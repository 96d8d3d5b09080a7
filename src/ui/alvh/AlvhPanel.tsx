import type { PlanView, TicketView } from '../../worker/engine';
import type { MacroEvent } from '../../engine/alvh/stages';
import { STRUCTURE_LABEL, LAYER_LABEL, splitTickets, ticketKey, unjudged } from './view';
import { LazyDetails } from '../LazyDetails';
import { StageBanner } from './StageBanner';
import { TicketCard } from './TicketCard';
import { VixInput, type VixEntry } from './VixInput';

export interface AlvhPanelProps {
  /** The plan from planHedges, or null when there is none yet. */
  plan: PlanView | null;
  /** Why there is no plan (e.g. "computing…", an engine error). Without it, a null plan means "no VIX yet". */
  status?: { kind: 'computing' } | { kind: 'error'; message: string } | null;
  /** The VIX last typed, to prefill the form. */
  vix?: { vix: number | null; prevClose?: number | null };
  /** Given: the trader can type the VIX (the form is shown). */
  onVixSubmit?: (entry: VixEntry) => void;
  /** Given: each ticket has an "Add to position" button. */
  onAddHedge?: (ticket: TicketView, fillPerUnit: number | null) => void;
  /** The next macro dates the trader flagged (Options → Macro calendar), from the valuation date. */
  upcomingMacro?: readonly (MacroEvent & { daysAway: number })[];
}

/** The ALVH section of the overlay: stage banner, hedge tickets, what was not offered, and the VIX form. */
export function AlvhPanel({ plan, status = null, vix, onVixSubmit, onAddHedge, upcomingMacro = [] }: AlvhPanelProps) {
  if (!plan) {
    return (
      <section class="hl-alvh" aria-label="ALVH hedge plan">
        <div class="hl-section hl-alvh-empty" role="status" aria-live="polite">
          <p class="hl-h3">Hedge plan</p>
          {status?.kind === 'computing' ? (
            <p class="hl-muted">Working out the hedge plan…</p>
          ) : status?.kind === 'error' ? (
            <p class="hl-error">The hedge plan could not be computed: {status.message}</p>
          ) : (
            <>
              <p data-testid="alvh-empty">Give HedgeLens the VIX to see the hedge plan.</p>
              <p class="hl-hint hl-muted">
                The stage needs today's VIX; with a VIX history imported in the options page it also judges spikes, RSI
                and MACD.
              </p>
            </>
          )}
        </div>
        {onVixSubmit && <VixInput initial={vix} onSubmit={onVixSubmit} />}
      </section>
    );
  }
  const { active, reference } = splitTickets(plan);
  const missing = unjudged(plan);
  return (
    <section class="hl-alvh" aria-label="ALVH hedge plan">
      <StageBanner plan={plan} upcomingMacro={upcomingMacro} />
      {plan.warnings.length > 0 && (
        <div class="hl-section hl-alvh-warnings" role="alert" data-testid="alvh-warnings">
          {plan.warnings.map((w, i) => (
            <p key={`w${i}`}>Warning: {w}</p>
          ))}
        </div>
      )}
      {active.length > 0 ? (
        <div aria-label="Hedges the stage calls for" role="group">
          {active.map((t) => (
            <TicketCard key={ticketKey(t)} ticket={t} onAdd={onAddHedge} />
          ))}
        </div>
      ) : (
        plan.stage !== 'calm' && (
          <p class="hl-section hl-muted" data-testid="alvh-no-active">
            The stage calls for hedges, but none passed the constraints with the quotes on this page.
          </p>
        )
      )}
      {reference.length > 0 && (
        <LazyDetails
          class="hl-section hl-alvh-more"
          summary={`${plan.stage === 'calm' ? 'What each layer would use' : 'Other layers, for reference'} (${reference.length})`}
        >
          {() => reference.map((t) => <TicketCard key={ticketKey(t)} ticket={t} onAdd={onAddHedge} />)}
        </LazyDetails>
      )}
      {(plan.notes.length > 0 || missing.length > 0 || plan.rejected.length > 0) && (
        <LazyDetails class="hl-section hl-alvh-notes" summary="Notes, what could not be judged, what was not offered">
          {() => (
            <>
              {plan.notes.length > 0 && (
                <ul>
                  {plan.notes.map((n, i) => (
                    <li key={`n${i}`}>{n}</li>
                  ))}
                </ul>
              )}
              {missing.length > 0 && (
                <>
                  <p class="hl-h3">Could not judge</p>
                  <ul data-testid="alvh-unjudged">
                    {missing.map((m, i) => (
                      <li key={`m${i}`}>{m}</li>
                    ))}
                  </ul>
                </>
              )}
              {plan.rejected.length > 0 && (
                <>
                  <p class="hl-h3">Not offered</p>
                  <ul>
                    {plan.rejected.map((r, i) => (
                      <li key={`r${i}`}>
                        {LAYER_LABEL[r.layer]} · {STRUCTURE_LABEL[r.structure]}: {r.reason}
                      </li>
                    ))}
                  </ul>
                </>
              )}
            </>
          )}
        </LazyDetails>
      )}
      {onVixSubmit && <VixInput initial={vix} onSubmit={onVixSubmit} />}
    </section>
  );
}
