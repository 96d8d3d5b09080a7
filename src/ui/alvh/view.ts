/**
 * Plain-data views of an ALVH PlanView for the overlay components: stage names and tones, the signals the banner
 * shows (read from the plan's rule checks, so the banner shows exactly what the stage machine judged), and names of
 * structures. Pure: no DOM.
 */
import type { Layer, Structure } from '../../engine/alvh/plan';
import type { PlanView, TicketView } from '../../worker/engine';
import type { RuleCheck, Stage } from '../../engine/alvh/stages';

export const STAGE_LABEL: Record<Stage, string> = {
  calm: 'Calm',
  'layer-one': 'Layer One',
  'second-engine': 'Second Engine',
  'time-shift': 'Time-shift',
  unwind: 'Unwind',
};

/** What each stage asks of the trader, in a few words. */
export const STAGE_ACTION: Record<Stage, string> = {
  calm: 'Nothing to do',
  'layer-one': 'Layer short-dated hedges',
  'second-engine': 'Add volatility exposure',
  'time-shift': 'Shift the threatened side in time',
  unwind: 'Take profit on hedges, layer by layer',
};

export const LAYER_LABEL: Record<Layer, string> = {
  'layer-one': 'Layer One',
  'second-engine': 'Second Engine',
  'time-shift': 'Time-shift',
  unwind: 'Unwind',
};

export const STRUCTURE_LABEL: Record<Structure, string> = {
  'put-debit-spread': 'Put debit spread',
  'put-backspread-1x2': '1×2 put backspread',
  'call-credit-spread': 'Call credit spread',
  'call-debit-spread': 'Call debit spread',
  'call-backspread-1x2': '1×2 call backspread',
  'put-credit-spread': 'Put credit spread',
  'vix-call': 'VIX call',
  'vix-call-spread': 'VIX call spread',
  'synthetic-long-vix': 'Synthetic long VIX',
  'spx-long-put': 'Long put',
  'roll-out': 'Roll out in time',
  'roll-down-and-out': 'Roll down and out',
  'roll-up-and-out': 'Roll up and out',
  'roll-untested-in': 'Roll the untested side in',
  'roll-wing-in': 'Roll the outer wing in',
  'butterfly-conversion': 'Butterfly conversion',
  'broken-wing-conversion': 'Broken-wing conversion',
  unwind: 'Unwind',
};

export interface Signal {
  label: string;
  value: number | null;
  /** The rule's sentence (input, value, threshold, fired or not), for a tooltip / screen readers. */
  detail: string | null;
  fired: boolean;
}

export interface BannerSignals {
  vix: number | null;
  changePoints: number | null;
  changePct: number | null;
  rsiShort: Signal;
  rsiLong: Signal;
  macd: { histogram: number | null; direction: 'rising' | 'falling' | 'flat' | null; bars: number };
  /** The Second Engine's dollar condition (standard deviations), beside MACD; null when the rule is off. */
  dollar: Signal | null;
  /** Position threat measures (absent when the plan had no position). */
  threat: { shortDelta: Signal; breakevenMoves: Signal; shortStrikeMoves: Signal | null } | null;
}

function byId(plan: PlanView, id: string): RuleCheck | undefined {
  return plan.checks.find((c) => c.id === id);
}

function signal(c: RuleCheck | undefined, fallback: string): Signal {
  return {
    label: c ? c.input.replace(/ of VIX$/, '') : fallback,
    value: c?.value ?? null,
    detail: c?.sentence ?? null,
    fired: c?.fired ?? false,
  };
}

/** The dollar check as the banner shows it (null when the rule is off: its check says so and nothing is shown). */
function dollarSignal(c: RuleCheck | undefined): Signal | null {
  if (!c || (c.skipped && /rule is off/.test(c.sentence))) return null;
  return { label: 'Dollar', value: c.value, detail: c.sentence, fired: c.fired };
}

export function bannerSignals(plan: PlanView): BannerSignals {
  const hist = byId(plan, 'momentum.macdAboveSignal');
  const rising = byId(plan, 'momentum.histogramRising')?.value ?? 0;
  const falling = byId(plan, 'unwind.histogramFalling')?.value ?? 0;
  const d = byId(plan, 'threat.delta');
  const be = byId(plan, 'threat.breakeven');
  const br = byId(plan, 'timeShift.breach');
  return {
    vix: plan.vix.spot,
    changePoints: byId(plan, 'spike.points')?.value ?? null,
    changePct: byId(plan, 'spike.pct')?.value ?? null,
    rsiShort: signal(byId(plan, 'spike.rsiShort'), 'RSI short'),
    rsiLong: signal(byId(plan, 'momentum.rsiLong'), 'RSI long'),
    dollar: dollarSignal(byId(plan, 'secondEngine.dollar')),
    macd:
      hist?.value == null
        ? { histogram: null, direction: null, bars: 0 }
        : {
            histogram: hist.value,
            direction: rising > 0 ? 'rising' : falling > 0 ? 'falling' : 'flat',
            bars: rising > 0 ? rising : falling,
          },
    threat:
      d && be
        ? {
            shortDelta: signal(d, 'short-strike |delta|'),
            breakevenMoves: signal(be, 'to breakeven'),
            shortStrikeMoves: br ? signal(br, 'to short strike') : null,
          }
        : null,
  };
}

/** In a line or two: why the plan is at this stage (the rules, inputs and thresholds of today's transitions). */
export function stageWhy(plan: PlanView): string {
  // Today's transitions (a spike can go Calm → Layer One → Second Engine on one bar: both are said).
  if (plan.transitions.length > 0) return plan.transitions.map((t) => t.sentence).join(' ');
  const fired = plan.checks.filter(
    (c) => c.fired && c.rule !== 'spikeMinVixLevel' && c.rule !== 'timeShiftMinDaysLeft',
  );
  const skipped = plan.checks.filter((c) => c.skipped).length;
  const base =
    plan.stage === 'calm'
      ? 'Calm: no spike and no threat on the last bar.'
      : `${STAGE_LABEL[plan.stage]} since an earlier bar; no transition on the last one.`;
  const firing =
    fired.length > 0 && plan.stage !== 'calm' ? ` Still firing: ${fired.map((c) => c.input).join(', ')}.` : '';
  const missing = skipped > 0 ? ` ${skipped} rule${skipped === 1 ? '' : 's'} could not be judged.` : '';
  return `${base}${firing}${missing}`;
}

/** Checks that could not be judged (missing history, no position…), as sentences. */
export function unjudged(plan: PlanView): string[] {
  return plan.checks.filter((c) => c.skipped).map((c) => c.sentence);
}

/** Tickets the stage calls for, then those shown for reference. */
export function splitTickets(plan: PlanView): { active: TicketView[]; reference: TicketView[] } {
  return {
    active: plan.tickets.filter((t) => t.active),
    reference: plan.tickets.filter((t) => !t.active),
  };
}

/** "debit" / "credit" / "even" for a signed price (positive = you pay). */
export function priceWord(perUnit: number): 'debit' | 'credit' | 'even' {
  return perUnit > 0 ? 'debit' : perUnit < 0 ? 'credit' : 'even';
}

/**
 * A ticket's place in a list across updates: its layer, structure and legs, not its quantity. The plan re-sizes a
 * ticket as the quotes tick, and its id names the quantity: keyed by id, each re-size made the card anew (its DOM,
 * and the fill the trader was typing into it). Legs that change make a new card, and clear that fill, as they should.
 */
export function ticketKey(t: TicketView): string {
  return `${t.layer}:${t.structure}:${t.legs.map((l) => `${l.ratio}${l.occ}`).join(',')}`;
}
