import type { PageOffer } from '../../engine/session';
import { fmtNumber, fmtStrike } from '../format';

/** "24 Oct" from an ISO date (the day as written, no time zone shift). */
function dayMonth(iso: string): string {
  return new Date(`${iso}T12:00:00Z`).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' });
}

const plural = (n: number, word: string) =>
  `${n} ${n === 1 ? word : word.endsWith('y') ? `${word.slice(0, -1)}ies` : `${word}s`}`;

/**
 * The positions the broker's page lists, offered as the position: what was found, what it would be, and a button to
 * use it. Legs that cannot be used and rows that were not read are named, never dropped silently. All text here is
 * rendered by Preact as text.
 */
export function PageOfferNotice({ offer, onUse }: { offer: PageOffer | null | undefined; onUse: () => void }) {
  if (!offer) return null;
  const notUsed = offer.notUsed.length > 0 && (
    <div class="hl-hint" data-testid="page-offer-not-used">
      Not used ({offer.notUsed.length}):
      <ul class="hl-page-offer-list">
        {offer.notUsed.map((n) => (
          <li key={n}>{n}</li>
        ))}
      </ul>
    </div>
  );
  if (offer.inUse)
    return (
      <section class="hl-section hl-hint hl-muted" data-testid="page-offer-in-use">
        <p class="hl-hint" role="status">
          The position is the one this page lists ({plural(offer.legs, 'leg')}).
        </p>
        {notUsed}
      </section>
    );
  const c = offer.condor;
  const found = c
    ? `${offer.underlying} ${dayMonth(c.expiry)} ${c.strikes.map(fmtStrike).join('/')} ×${c.quantity}${
        c.credit !== null ? ` @ ${fmtNumber(c.credit)}` : ''
      }${offer.besideLegs > 0 ? ` + ${plural(offer.besideLegs, 'leg')} beside it` : ''}`
    : offer.positions.join('; ') || `nothing on ${offer.underlying}`;
  return (
    <section class="hl-section hl-page-offer" aria-label="Positions on this page" data-testid="page-offer">
      <p class="hl-status-line">
        <b>Positions found on this page:</b> <span data-testid="page-offer-found">{found}</span> (
        {plural(offer.legs, 'leg')}, {plural(offer.condors, 'condor')}).
      </p>
      {c && (
        <button
          class="hl-btn hl-btn-small"
          type="button"
          data-testid="use-page-position"
          title="The condor with its open credit, the other legs held beside it; replaces the condor and hedges shown"
          onClick={onUse}
        >
          Use as my position
        </button>
      )}
      {c && (offer.replaces.hedges > 0 || offer.replaces.journal > 0) && (
        <p class="hl-hint" data-testid="page-offer-replaces">
          Using it replaces the overlay's {plural(offer.replaces.hedges, 'hedge')} and its journal (
          {plural(offer.replaces.journal, 'entry')}).
        </p>
      )}
      {offer.reason && <p class="hl-hint">Cannot be the position: {offer.reason}.</p>}
      {offer.notes.map((n) => (
        <p class="hl-hint hl-muted" key={n}>
          {n}
        </p>
      ))}
      {notUsed}
      {offer.rejected.length > 0 && (
        <details class="hl-hint" data-testid="page-offer-rejected">
          <summary>{plural(offer.rejected.length, 'row')} of the page not read</summary>
          <ul class="hl-page-offer-list">
            {offer.rejected.map((r) => (
              <li key={`${r.row}|${r.text}`}>
                row {r.row} “{r.text}”: {r.reason}
              </li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}
