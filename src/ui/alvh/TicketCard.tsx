import { useState } from 'preact/hooks';
import type { TicketView } from '../../worker/engine';
import type { PositionGreeks } from '../../engine/types';
import { fmtDollars, fmtNumber, fmtStrike, fmtVol } from '../format';
import { LAYER_LABEL, STRUCTURE_LABEL, priceWord } from './view';
import { FillInput, readFill } from '../overlay/FillInput';
import { actionOfStructure } from '../../positions/journal';

/** The ticket's button: a hedge is added to the position, a roll or a conversion is recorded as one. */
const TAKE: Record<ReturnType<typeof actionOfStructure>, { verb: string; title: string }> = {
  add: { verb: 'Add to position', title: 'Count this hedge in the position at your fill, or at its natural price now' },
  roll: {
    verb: 'Roll',
    title: 'Record this roll in the position (and its journal) at your fill, or at its natural price now',
  },
  convert: {
    verb: 'Convert',
    title: 'Record this conversion in the position (and its journal) at your fill, or at its natural price now',
  },
};

const GREEKS: { key: keyof PositionGreeks; label: string; unit: string }[] = [
  { key: 'deltaDollarsPerPoint', label: 'Delta', unit: '/pt' },
  { key: 'gammaDollarsPerPoint', label: 'Gamma', unit: '/pt²' },
  { key: 'vegaDollarsPerVolPoint', label: 'Vega', unit: '/vol pt' },
  { key: 'thetaDollarsPerDay', label: 'Theta', unit: '/day' },
];

function Chip({ ok, label, detail }: { ok: boolean | null; label: string; detail: string }) {
  const state = ok === null ? 'na' : ok ? 'pass' : 'fail';
  return (
    <li class="hl-alvh-chip" data-state={state} title={detail}>
      <span aria-hidden="true">{ok === null ? '–' : ok ? '✓' : '✗'}</span> {label}
      <span class="hl-alvh-sr">
        {' '}
        {ok === null ? 'not applicable' : ok ? 'passes' : 'fails'}: {detail}
      </span>
    </li>
  );
}

/** One hedge suggestion: the ticket, its effect (greeks, stress P/L), the constraints and the reasons. */
export function TicketCard({
  ticket: tk,
  onAdd,
}: {
  ticket: TicketView;
  /** `fillPerUnit`: the net the trader entered (positive debit); null: the natural price. */
  onAdd?: (ticket: TicketView, fillPerUnit: number | null) => void;
}) {
  const [fill, setFill] = useState('');
  const c = tk.constraints;
  const liq = c.liquidity;
  const title = `${STRUCTURE_LABEL[tk.structure]} × ${tk.quantity}`;
  const take = TAKE[actionOfStructure(tk.structure)];
  return (
    <article class="hl-section hl-alvh-ticket" data-layer={tk.layer} data-active={String(tk.active)} aria-label={title}>
      <header class="hl-alvh-ticket-head">
        <span class="hl-alvh-ticket-title">{title}</span>
        <span class="hl-alvh-layer">{LAYER_LABEL[tk.layer]}</span>
        <span class="hl-alvh-badge">{tk.active ? 'Stage calls for it' : 'For reference'}</span>
        {onAdd && (
          <span class="hl-alvh-add">
            <FillInput
              label={`Fill of ${title}, net per unit, positive for a debit (empty: natural)`}
              placeholder={fmtNumber(tk.naturalPerUnit)}
              title="Your fill, net per unit (+ debit, − credit); empty: the natural price"
              value={fill}
              onChange={setFill}
            />
            <button
              type="button"
              class="hl-btn hl-btn-small"
              aria-label={`${take.verb}: ${STRUCTURE_LABEL[tk.structure]}`}
              title={take.title}
              onClick={() => {
                onAdd(tk, readFill(fill));
                setFill('');
              }}
            >
              {take.verb}
            </button>
          </span>
        )}
      </header>
      <table class="hl-alvh-legs">
        <caption class="hl-alvh-sr">Legs of {title}</caption>
        <thead>
          <tr>
            <th scope="col">Action</th>
            <th scope="col">Option · OCC symbol</th>
            <th scope="col">Bid</th>
            <th scope="col">Ask</th>
            <th scope="col">Mid</th>
            <th scope="col">IV</th>
          </tr>
        </thead>
        <tbody>
          {tk.legs.map((l) => {
            const n = l.ratio * tk.quantity;
            return (
              <tr key={l.occ}>
                <td>
                  {n > 0 ? 'Buy' : 'Sell'} {Math.abs(n)}
                </td>
                <td>
                  <span class="hl-alvh-option">
                    {fmtStrike(l.strike)} {l.kind} {l.expiry}
                  </span>
                  <span class="hl-alvh-occ">{l.occ}</span>
                </td>
                <td class="hl-num">{fmtNumber(l.bid)}</td>
                <td class="hl-num">{fmtNumber(l.ask)}</td>
                <td class="hl-num">{fmtNumber(l.mid)}</td>
                <td class="hl-num">{fmtVol(l.vol, 0)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <p class="hl-alvh-price hl-num" data-testid="ticket-price">
        Mid {fmtNumber(Math.abs(tk.midPerUnit))} {priceWord(tk.midPerUnit)} ({fmtDollars(Math.abs(tk.midDollars))}) ·
        natural {fmtNumber(Math.abs(tk.naturalPerUnit))} {priceWord(tk.naturalPerUnit)} (
        {fmtDollars(Math.abs(tk.naturalDollars))}) · margin {fmtDollars(tk.marginDollars)}
      </p>
      <table class="hl-alvh-effect">
        <caption class="hl-alvh-sr">Effect of {title}</caption>
        <thead>
          <tr>
            <th scope="col" />
            <th scope="col">Before</th>
            <th scope="col">After</th>
          </tr>
        </thead>
        <tbody>
          {GREEKS.map((g) => (
            <tr key={g.key}>
              <th scope="row">
                {g.label} <span class="hl-muted">{g.unit}</span>
              </th>
              <td class="hl-num">{fmtDollars(tk.greeksBefore[g.key], { sign: true, cents: true })}</td>
              <td class="hl-num">{fmtDollars(tk.greeksAfter[g.key], { sign: true, cents: true })}</td>
            </tr>
          ))}
          {/* The side the hedge is for: a downside hedge is judged on the downside (the other side's worst loss,
              which a one-sided hedge's cost can only raise, is the next row). */}
          <tr data-testid="stress-worst">
            <th scope="row">Worst stress loss, {tk.stress.side}</th>
            <td class="hl-num hl-bad">{fmtDollars(-tk.stress.sideWorstBefore)}</td>
            <td class={`hl-num ${tk.stress.sideWorstAfter < tk.stress.sideWorstBefore ? 'hl-good' : 'hl-bad'}`}>
              {fmtDollars(-tk.stress.sideWorstAfter)}
            </td>
          </tr>
          <tr data-testid="stress-worst-both">
            <th scope="row">Worst stress loss, both sides</th>
            <td class="hl-num">{fmtDollars(-tk.stress.worstBefore)}</td>
            <td class="hl-num">{fmtDollars(-tk.stress.worstAfter)}</td>
          </tr>
          <tr data-testid="stress-tail">
            <th scope="row">Tail stress loss</th>
            <td class="hl-num">{fmtDollars(-tk.stress.tailBefore)}</td>
            <td class="hl-num">{fmtDollars(-tk.stress.tailAfter)}</td>
          </tr>
        </tbody>
      </table>
      <ul class="hl-alvh-chips" aria-label="Constraints">
        {liq.judged === false ? (
          <Chip ok={null} label="Quick ratio not judged" detail="no account figures: set them in Options" />
        ) : (
          <Chip
            ok={liq.ok}
            label={
              liq.marginNeededDollars > 0
                ? `Liquidity ${fmtNumber(liq.ratio)} ≥ ${fmtNumber(liq.min, 1)}`
                : 'Liquidity: no margin'
            }
            detail={`buying power left ${fmtDollars(liq.buyingPowerLeftDollars)} ÷ margin needed ${fmtDollars(liq.marginNeededDollars)}`}
          />
        )}
        {c.legs && (
          <Chip
            ok={c.legs.ok}
            label={c.legs.ok ? 'Legs liquid' : 'A leg is illiquid'}
            detail={c.legs.legs.map((l) => l.reason ?? `${l.occ}: ok`).join('; ')}
          />
        )}
        <Chip
          ok={c.cost.ok}
          label={`Cost ${fmtDollars(c.cost.costDollars)} ≤ ${fmtDollars(c.cost.maxDollars)}`}
          detail={`cost at most ${fmtDollars(c.cost.maxDollars)}: σ of the unhedged condor's P/L is ${fmtDollars(c.cost.sigmaDollars)}`}
        />
        {c.vxth ? (
          <Chip
            ok={c.vxth.ok}
            label={`VXTH ${fmtDollars(c.vxth.allocationDollars)} ≤ ${fmtDollars(c.vxth.capDollars)}`}
            detail={`${fmtNumber(c.vxth.accountPct, 1)}% of the account at ${c.vxth.vixFuture === null ? 'no VIX future' : `VIX future ${fmtNumber(c.vxth.vixFuture)}`}`}
          />
        ) : (
          <Chip ok={null} label="VXTH n/a" detail="the VXTH cap applies to Second Engine tickets" />
        )}
      </ul>
      <details class="hl-alvh-reasons">
        <summary>Why</summary>
        <ul>
          {tk.why.sentences.map((s, i) => (
            <li key={i}>{s}</li>
          ))}
        </ul>
      </details>
    </article>
  );
}
