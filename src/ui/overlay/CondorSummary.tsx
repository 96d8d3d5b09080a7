import type { CondorRisk, ExpectedMove } from '../../engine/types';
import type { PositionRisk } from '../../engine/session';
import type { ManagementMarks } from '../../engine/management';
import { fmtDays, fmtDollars, fmtNumber, fmtPercent, fmtStrike } from '../format';

function Kpi({
  label,
  value,
  sub,
  testId,
  tone,
}: {
  label: string;
  value: string;
  sub?: string;
  testId?: string;
  tone?: 'good' | 'bad';
}) {
  return (
    <div class="hl-kpi">
      <div class="hl-kpi-label">{label}</div>
      <div class={`hl-kpi-value hl-num${tone ? ` hl-${tone}` : ''}`} data-testid={testId}>
        {value}
      </div>
      {sub && <div class="hl-kpi-sub hl-num">{sub}</div>}
    </div>
  );
}

/** The one-look answer: how much can I lose, where, how likely. */
export function CondorSummary({
  risk,
  suggested,
  expectedMove,
  position = null,
  management = null,
  managementPending = false,
}: {
  risk: CondorRisk;
  suggested: boolean;
  expectedMove: ExpectedMove;
  /** The condor with the hedges the trader added: max profit/loss and greeks then count them. */
  position?: PositionRisk | null;
  /** P50, expected values, the 50%-of-max-profit and 21-DTE marks (the condor's). */
  management?: ManagementMarks | null;
  /** The marks are being computed (the engine's first look): their place is kept, so nothing moves when they come. */
  managementPending?: boolean;
}) {
  const [k1, k2, k3, k4] = risk.strikes;
  const p = risk.probability;
  const g = position ? position.greeks : risk.greeks;
  const hedged = position !== null;
  return (
    <section class="hl-section" aria-label="Condor risk">
      <p class="hl-legs hl-num" data-testid="condor-legs">
        {suggested ? 'Suggested: ' : ''}
        {risk.quantity > 1 ? `${risk.quantity} × ` : ''}
        {fmtStrike(k1)} / {fmtStrike(k2)} / {fmtStrike(k3)} / {fmtStrike(k4)} · {risk.expiry} ·{' '}
        {fmtDays(risk.daysToExpiry)}
      </p>
      <div class="hl-kpis hl-kpis-3">
        <Kpi
          label="Credit"
          value={fmtNumber(risk.creditUsed)}
          sub={`mid ${fmtNumber(risk.creditMid)} · nat ${fmtNumber(risk.creditNatural)}`}
          testId="credit"
        />
        <Kpi
          label={hedged ? 'Max profit · hedged' : 'Max profit'}
          value={fmtDollars(hedged ? position.maxProfitDollars : risk.maxProfitDollars)}
          sub={hedged ? `condor ${fmtDollars(risk.maxProfitDollars)}` : undefined}
          tone="good"
          testId="max-profit"
        />
        <Kpi
          label={hedged ? 'Max loss · hedged' : 'Max loss'}
          value={fmtDollars(-(hedged ? position.maxLossDollars : risk.maxLossDollars))}
          sub={hedged ? `condor ${fmtDollars(-risk.maxLossDollars)}` : undefined}
          tone="bad"
          testId="max-loss"
        />
        <Kpi
          label="Breakevens"
          value={`${fmtStrike(Math.round(risk.breakevenLower * 100) / 100)} – ${fmtStrike(Math.round(risk.breakevenUpper * 100) / 100)}`}
          testId="breakevens"
        />
        <Kpi
          label="Prob. of profit"
          value={fmtPercent(p.profitSkewAware)}
          sub={`lognormal ${fmtPercent(p.profitLognormal)}`}
          testId="pop"
        />
        {management ? (
          <Kpi
            label="P50 (50% of max)"
            value={fmtPercent(management.p50)}
            sub={`EV ${fmtDollars(management.expectedValueDollars, { sign: true })} held`}
            testId="p50"
          />
        ) : (
          managementPending && <Kpi label="P50 (50% of max)" value="…" sub="computing" testId="p50-pending" />
        )}
        <Kpi
          label="Expected move"
          value={`±${fmtNumber(expectedMove.fromAtmVol, 0)}`}
          sub={`straddle ±${fmtNumber(expectedMove.fromStraddle, 0)}`}
          testId="expected-move"
        />
      </div>
      <dl
        class="hl-greeks hl-num"
        aria-label={hedged ? 'Position greeks in dollars, hedges included' : 'Position greeks in dollars'}
        data-testid="greeks"
      >
        <div>
          <dt>Δ $/pt</dt>
          <dd data-testid="delta">{fmtNumber(g.deltaDollarsPerPoint, 0)}</dd>
        </div>
        <div>
          <dt>Γ $/pt²</dt>
          <dd>{fmtNumber(g.gammaDollarsPerPoint, 2)}</dd>
        </div>
        <div>
          <dt>Vega $/vol pt</dt>
          <dd data-testid="vega">{fmtNumber(g.vegaDollarsPerVolPoint, 0)}</dd>
        </div>
        <div>
          <dt>Θ $/day</dt>
          <dd data-testid="theta">{fmtNumber(g.thetaDollarsPerDay, 0)}</dd>
        </div>
      </dl>
      {hedged && (
        <p class="hl-hint hl-muted" data-testid="greeks-note">
          Max profit/loss at the condor's expiry and greeks include the {position.hedgeCount === 1 ? 'hedge' : 'hedges'}{' '}
          you added
          {position.notes.some((n) => n.startsWith('VIX')) ? ' (VIX legs left out: they follow the VIX future)' : ''};
          breakevens and probabilities are the condor's.
        </p>
      )}
      {management && (
        <p class="hl-hint hl-muted hl-num" data-testid="management-marks" title={management.method}>
          Take profit at {fmtDollars(management.takeProfitDollars, { sign: true })} (50% of max) · 21 DTE{' '}
          {management.daysTo21Dte > 0
            ? `on ${management.dte21Date} (in ${Math.ceil(management.daysTo21Dte)} days)`
            : `passed (${management.dte21Date}): time to manage`}{' '}
          · EV {fmtDollars(management.expectedValueManagedDollars, { sign: true })} if closed at 50% · P50 and EV from{' '}
          {management.method.toLowerCase()}
        </p>
      )}
      <p class="hl-hint hl-muted hl-num">
        Touch: short put {fmtPercent(p.touchShortPut)} · short call {fmtPercent(p.touchShortCall)} · return on risk{' '}
        {fmtPercent(risk.returnOnRisk)} · probabilities on calendar days
      </p>
    </section>
  );
}
