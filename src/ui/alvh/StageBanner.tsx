import type { PlanView } from '../../worker/engine';
import type { MacroEvent } from '../../engine/alvh/stages';
import { fmtDollars, fmtNumber, fmtSigned } from '../format';
import {
  STAGE_ACTION,
  STAGE_LABEL,
  STRUCTURE_LABEL,
  bannerSignals,
  priceWord,
  stageWhy,
  ticketKey,
  type Signal,
} from './view';

function Sig({ label, value, detail, tone }: { label: string; value: string; detail?: string | null; tone?: string }) {
  return (
    <div class="hl-alvh-sig" title={detail ?? undefined}>
      <dt>{label}</dt>
      <dd class={`hl-num${tone ? ` ${tone}` : ''}`}>{value}</dd>
    </div>
  );
}

const firedTone = (s: Signal): string | undefined => (s.fired ? 'hl-alvh-fired' : undefined);

/**
 * The ALVH stage with its colour, the VIX signals (level and change, RSI short and long, MACD histogram direction),
 * the condor's threat measures and a one-line why. In Calm it lists the hedges it would use and their price now.
 * An aria-live region: a stage change is announced.
 */
export function StageBanner({
  plan,
  upcomingMacro = [],
}: {
  plan: PlanView;
  upcomingMacro?: readonly (MacroEvent & { daysAway: number })[];
}) {
  const s = bannerSignals(plan);
  const change =
    s.changePoints === null ? 'no prior close' : `${fmtSigned(s.changePoints)} (${fmtSigned(s.changePct, 1)}%)`;
  const macd =
    s.macd.histogram === null
      ? '—'
      : `${fmtSigned(s.macd.histogram)} ${s.macd.direction === 'rising' ? '▲' : s.macd.direction === 'falling' ? '▼' : '–'}`;
  const macdWord =
    s.macd.direction === null
      ? 'MACD histogram not available'
      : s.macd.direction === 'flat'
        ? 'MACD histogram flat'
        : `MACD histogram ${s.macd.direction} ${s.macd.bars} bar${s.macd.bars === 1 ? '' : 's'}`;
  const reference = plan.stage === 'calm' ? plan.tickets.filter((t) => !t.active).slice(0, 4) : [];
  return (
    <section
      class="hl-section hl-alvh-banner"
      data-stage={plan.stage}
      role="status"
      aria-live="polite"
      aria-label="ALVH hedge stage"
    >
      <div class="hl-alvh-stage-row">
        <span class="hl-alvh-stage" data-testid="alvh-stage">
          {STAGE_LABEL[plan.stage]}
        </span>
        <span class="hl-alvh-action">{STAGE_ACTION[plan.stage]}</span>
        {plan.urgency.level === 'raised' && (
          <span class="hl-alvh-urgent" title={plan.urgency.reasons.join('; ')}>
            Urgency raised
          </span>
        )}
      </div>
      <dl class="hl-alvh-sigs" aria-label="VIX signals">
        <Sig label="VIX" value={fmtNumber(s.vix)} />
        <Sig label="Change" value={change} />
        <Sig
          label={s.rsiShort.label}
          value={fmtNumber(s.rsiShort.value, 1)}
          detail={s.rsiShort.detail}
          tone={firedTone(s.rsiShort)}
        />
        <Sig
          label={s.rsiLong.label}
          value={fmtNumber(s.rsiLong.value, 1)}
          detail={s.rsiLong.detail}
          tone={firedTone(s.rsiLong)}
        />
        <Sig label="MACD hist" value={macd} detail={macdWord} />
        {s.dollar && (
          <Sig
            label="Dollar"
            value={s.dollar.value === null ? 'not judged' : `${fmtSigned(s.dollar.value)} sd`}
            detail={s.dollar.detail}
            tone={firedTone(s.dollar)}
          />
        )}
      </dl>
      {s.threat && (
        <dl class="hl-alvh-sigs" aria-label="Condor threat">
          <Sig
            label="Short |Δ|"
            value={fmtNumber(s.threat.shortDelta.value)}
            detail={s.threat.shortDelta.detail}
            tone={firedTone(s.threat.shortDelta)}
          />
          <Sig
            label="To breakeven"
            value={s.threat.breakevenMoves.value === null ? '—' : `${fmtNumber(s.threat.breakevenMoves.value)} EM`}
            detail={s.threat.breakevenMoves.detail}
            tone={firedTone(s.threat.breakevenMoves)}
          />
          {s.threat.shortStrikeMoves && (
            <Sig
              label="To short strike"
              value={
                s.threat.shortStrikeMoves.value === null ? '—' : `${fmtNumber(s.threat.shortStrikeMoves.value)} EM`
              }
              detail={s.threat.shortStrikeMoves.detail}
              tone={firedTone(s.threat.shortStrikeMoves)}
            />
          )}
        </dl>
      )}
      <p class="hl-alvh-why" data-testid="alvh-why">
        {stageWhy(plan)}
      </p>
      {plan.urgency.level === 'raised' && (
        <p class="hl-alvh-why" data-testid="alvh-urgency">
          Urgency raised: {plan.urgency.reasons.join('; ')}.
        </p>
      )}
      {upcomingMacro.length > 0 && (
        <p class="hl-hint hl-muted" data-testid="alvh-macro-next">
          Macro dates ahead:{' '}
          {upcomingMacro
            .map(
              (e) =>
                `${e.kind} ${e.date} (${e.daysAway === 0 ? 'today' : `${e.daysAway} day${e.daysAway === 1 ? '' : 's'}`})`,
            )
            .join(', ')}
          .
        </p>
      )}
      {reference.length > 0 && (
        <div class="hl-alvh-would">
          <p class="hl-h3">Would use, priced now</p>
          <ul>
            {reference.map((t) => (
              <li key={ticketKey(t)} class="hl-num">
                {STRUCTURE_LABEL[t.structure]} ×{t.quantity}: {fmtDollars(Math.abs(t.naturalDollars))}{' '}
                {priceWord(t.naturalPerUnit)} (natural), {fmtDollars(Math.abs(t.midDollars))} at mid
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
