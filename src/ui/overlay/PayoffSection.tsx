import { useEffect, useRef, useState } from 'preact/hooks';
import type { Remote } from 'comlink';
import type { CurveRequest, EngineApi } from '../../worker/engine';
import type { SessionCurves } from '../../engine/session';
import type { CondorRisk, ExpectedMove } from '../../engine/types';
import { PayoffChart } from './PayoffChart';
import { fmtDollars, fmtNumber } from '../format';

/**
 * The payoff chart with its date and volatility-shift sliders. The curves come with the engine's state (the
 * session computes them for the sliders' positions); moving a slider asks the engine for curves at the new
 * position, and the next state carries them.
 */
export function PayoffSection({
  engine,
  risk,
  spot,
  expectedMove,
  curves,
}: {
  engine: Remote<EngineApi>;
  risk: CondorRisk;
  spot: number | null;
  expectedMove: ExpectedMove;
  /** The state's curves (at the sliders' last position the engine took). */
  curves: SessionCurves | null;
}) {
  const maxDays = Math.max(0, Math.floor(risk.daysToExpiry * 4) / 4);
  const [days, setDays] = useState(0);
  const [volShift, setVolShift] = useState(0);
  // One request in flight; the newest slider position wins (no queue of stale work).
  const inflight = useRef(false);
  const wanted = useRef<CurveRequest | null>(null);

  const request = (req: CurveRequest) => {
    wanted.current = req;
    if (inflight.current) return;
    inflight.current = true;
    void (async () => {
      while (wanted.current) {
        const next = wanted.current;
        wanted.current = null;
        await engine.setCurve(next).catch(() => null);
      }
      inflight.current = false;
    })();
  };

  const daysForward = Math.min(days, maxDays);
  const asked = curves?.request;
  useEffect(() => {
    // Only when the sliders differ from what the engine holds (a new position keeps the sliders' place).
    if (asked && asked.daysForward === daysForward && asked.volShiftPoints === volShift) return;
    request({ daysForward, volShiftPoints: volShift });
  }, [daysForward, volShift, asked?.daysForward, asked?.volShiftPoints]);

  const spotPnl = (() => {
    if (!curves || spot === null) return null;
    const { prices, pnlDollars } = curves.at;
    let best = 0;
    for (let i = 1; i < prices.length; i++) if (Math.abs(prices[i]! - spot) < Math.abs(prices[best]! - spot)) best = i;
    return pnlDollars[best] ?? null;
  })();

  return (
    <section class="hl-section" aria-label="Profit and loss">
      {curves ? (
        <PayoffChart
          at={curves.at}
          expiry={curves.expiry}
          spot={spot}
          breakevens={[risk.breakevenLower, risk.breakevenUpper]}
          expectedMove={expectedMove.fromAtmVol}
        />
      ) : (
        <div class="hl-chart-placeholder hl-muted">Drawing the P/L…</div>
      )}
      <p class="hl-legend hl-muted">
        <span class="hl-key hl-key-expiry" /> at expiry <span class="hl-key hl-key-at" />{' '}
        {days === 0 ? 'today' : `in ${days} days`}
        {volShift !== 0 ? `, vol ${volShift > 0 ? '+' : ''}${volShift} pts` : ''}:{' '}
        <b data-testid="pnl-at-spot">{fmtDollars(spotPnl, { sign: true })}</b> at the current price
      </p>
      <div class="hl-sliders">
        <label>
          <span class="hl-label">
            Date:{' '}
            <output data-testid="date-value">{days === 0 ? 'today' : `+${fmtNumber(days, days % 1 ? 2 : 0)}d`}</output>
          </span>
          <input
            type="range"
            min={0}
            max={maxDays}
            step={0.25}
            value={days}
            aria-label="Days from now"
            data-testid="date-slider"
            onInput={(e) => setDays(Number((e.target as HTMLInputElement).value))}
          />
        </label>
        <label>
          <span class="hl-label">
            Vol shift: <output data-testid="vol-value">{`${volShift > 0 ? '+' : ''}${volShift} pts`}</output>
          </span>
          <input
            type="range"
            min={-5}
            max={30}
            step={1}
            value={volShift}
            aria-label="Volatility shift in vol points"
            data-testid="vol-slider"
            onInput={(e) => setVolShift(Number((e.target as HTMLInputElement).value))}
          />
        </label>
      </div>
    </section>
  );
}
