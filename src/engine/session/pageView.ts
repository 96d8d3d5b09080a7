/**
 * The page view: what the content script on the broker's page needs of each state, and the key that says when it
 * changed in what the page uses.
 */
import type { Chain } from '../../chain/types';
import { deltaHundredths, type ShortDelta } from '../../shared/shortDelta';
import { defaultRulebook } from '../alvh/rulebook';
import type { Stage } from '../alvh/stages';
import type { CondorRisk } from '../types';
import type { ChainSummary } from '../summary';
import type { SessionState } from './state';

/**
 * How close the market is to the condor's short strikes: `tested` when the underlying is at or beyond a short
 * strike, `threatened` when a short strike's |delta| reaches the rulebook's threatShortDeltaAbs (the stage machine's
 * own test), else `low`.
 */
export type Threat = 'low' | 'threatened' | 'tested';

/** The position at a glance, for the popup, the toolbar badge and the page's marks. */
export interface PositionSummary {
  legs: string;
  suggested: boolean;
  maxProfitDollars: number;
  maxLossDollars: number;
  probabilityOfProfit: number;
  stage: Stage | null;
  threat: Threat;
  /** The plan's warnings (e.g. the VIX disagreeing with the chain's own 30-day index); empty without a plan, absent from older views. */
  warnings?: string[];
  /**
   * The short strike with the largest |delta| per contract (0–1), for the trader's delta notification; null when
   * no short has a delta (a leg at or past expiry), absent from older views.
   */
  shortDelta?: ShortDelta | null;
}

/** The threat level of a condor at `spot`, with the |delta| a short strike counts as threatened at. */
export function threatOf(c: CondorRisk, spot: number | null, threatDeltaAbs: number): Threat {
  const shorts = c.legs.filter((l) => l.side === -1);
  if (spot !== null && shorts.some((l) => (l.kind === 'put' ? spot <= l.strike : spot >= l.strike))) return 'tested';
  return shorts.some((l) => Math.abs(l.delta) >= threatDeltaAbs) ? 'threatened' : 'low';
}

/** The condor's short with the largest |delta| (the put on a tie): the leg's own delta, as src/engine/condor.ts gives it. */
export function shortDeltaOf(c: CondorRisk): ShortDelta | null {
  let best: ShortDelta | null = null;
  for (const l of c.legs) {
    if (l.side !== -1 || !Number.isFinite(l.delta) || l.delta === 0) continue;
    const deltaAbs = Math.abs(l.delta);
    if (!best || deltaAbs > best.deltaAbs) best = { kind: l.kind, strike: l.strike, deltaAbs };
  }
  return best;
}

/**
 * What the content script on the broker's page needs of each update — kept small because it is cloned onto the
 * page's main thread on every tick: the chain line for the popup, the condor at a glance, and the numbers the row
 * marks need. (The full state, with every strike's IV, the grid and the plan, goes only to the overlay frame.)
 */
export interface PageView {
  seq: number;
  status: SessionState['status'];
  message: string | null;
  summary: ChainSummary | null;
  position: PositionSummary | null;
  marks: { expiry: string; legs: number[]; breakevens: [number, number]; expectedMove: [number, number] | null } | null;
}
export type PageViewListener = (view: PageView) => void;

/** The value of the lowest strike ≥ x, or of the highest ≤ x (`below`), in any order of rows; NaN: none. */
function edgeStrike(rows: readonly { strike: number }[], x: number, below: boolean): number {
  let best = NaN;
  for (const { strike: k } of rows) if (below ? k <= x && !(k <= best) : k >= x && !(k >= best)) best = k;
  return best;
}

/**
 * What of a page view the page uses on every update: the status, the chain line's expiry and strikes (what a click
 * on the chain can pick), and the row marks taken to the strikes they fall on — the position's legs and breakeven
 * rows only where the trader has the page mark them (`positionRows`), and the short-strike |delta| in whole
 * hundredths only where the trader watches it (`shortDelta`: a crossing of a two-decimal threshold is always a new
 * hundredth, so it is never missed, and a view goes a few times per SPX 10-point move, not on each tick). The figures that move on every tick (the
 * price, the straddle, the condor's dollars) are left out: a view whose key is unchanged changes nothing on the
 * page, and the popup asks for the current view when it opens.
 */
export function pageViewKey(view: PageView, chain: Chain | null, positionRows = true, shortDelta = false): string {
  const s = view.summary;
  const m = view.marks;
  let marks = '';
  if (m) {
    const rows = chain?.expiries.find((e) => e.date === m.expiry)?.rows ?? [];
    const [lo, hi] = m.breakevens;
    const em = m.expectedMove;
    marks = [
      m.expiry,
      positionRows ? `${m.legs.join(',')}|${edgeStrike(rows, lo, true)}|${edgeStrike(rows, hi, false)}` : '',
      em ? `${edgeStrike(rows, em[0], false)}-${edgeStrike(rows, em[1], true)}` : '',
    ].join('|');
  }
  const p = view.position;
  return JSON.stringify([
    view.status,
    view.message,
    s && [s.symbol, s.expiry, s.root, s.expiries, s.strikes],
    marks,
    p && [p.stage, p.threat],
    shortDelta && p?.shortDelta
      ? [p.shortDelta.kind, p.shortDelta.strike, deltaHundredths(p.shortDelta.deltaAbs)]
      : null,
  ]);
}

/** The rulebook's threatShortDeltaAbs as the plan judged it (the trader's rulebook), else the default's. */
function threatDeltaAbs(state: SessionState): number {
  const check = state.status === 'ready' ? state.plan?.checks.find((c) => c.rule === 'threatShortDeltaAbs') : null;
  const t = check && typeof check.threshold === 'number' ? check.threshold : null;
  fallbackThreat ??= defaultRulebook().thresholds.threatShortDeltaAbs;
  return t ?? fallbackThreat;
}
let fallbackThreat: number | null = null;

export function pageViewOf(state: SessionState): PageView {
  if (state.status !== 'ready')
    return {
      seq: state.seq,
      status: state.status,
      message: state.status === 'error' ? state.message : null,
      summary: null,
      position: null,
      marks: null,
    };
  const a = state.analysis;
  const c = a?.condor ?? null;
  const chosen = a && a.chosenExpiry !== null ? (a.expiries[a.chosenExpiry] ?? null) : null;
  const em = chosen?.expectedMove.fromAtmVol ?? null;
  const spot = a?.spot ?? null;
  return {
    seq: state.seq,
    status: 'ready',
    message: null,
    summary: state.summary,
    position: c
      ? {
          legs: `${c.quantity > 1 ? `${c.quantity} × ` : ''}${c.strikes.join('/')} ${c.expiry}`,
          suggested: a!.condorSuggested,
          maxProfitDollars: c.maxProfitDollars,
          maxLossDollars: c.maxLossDollars,
          probabilityOfProfit: c.probability.profitSkewAware,
          stage: state.plan?.stage ?? null,
          threat: threatOf(c, spot, threatDeltaAbs(state)),
          warnings: state.plan?.warnings ?? [],
          shortDelta: shortDeltaOf(c),
        }
      : null,
    marks:
      c && chosen
        ? {
            expiry: chosen.date,
            legs: [...c.strikes],
            breakevens: [c.breakevenLower, c.breakevenUpper],
            expectedMove: em !== null && spot !== null ? [spot - em, spot + em] : null,
          }
        : null,
  };
}
