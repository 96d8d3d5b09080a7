/**
 * The whole chain analysis: per expiry the time to settlement, forward and discount (put-call parity), per-strike
 * IVs (out-of-the-money mids), the smile and the expected move; then, on the chosen expiry, the condor's risk,
 * P/L curves and the scenario grid (or a suggested condor when none is given).
 *
 * Choices (documented for the UI):
 * - Rate: the given `rate`, else per expiry the parity-implied rate where the strikes pin it; expiries whose
 *   strikes span too little borrow it by linear interpolation in years between the expiries that do (flat beyond);
 *   with none at all, DEFAULT_RATE, said in `warnings`.
 * - Expiry: the given date, else the expiry nearest to 30 calendar days among those with at least 7 days left and
 *   a usable smile (the usual iron-condor horizon, past the gamma of the last week); if none has 7 days, the
 *   longest usable one.
 * - Suggested condor: 16-delta shorts (from the smile), wings at 0.75% of the forward rounded to 1, 2.5 or 5×10ⁿ (50 points on SPX
 *   near 6,600), snapped to listed strikes. When the chosen expiry cannot hold it (too few strikes listed), the
 *   nearest other usable expiry to 30 days that can becomes the chosen one, and both reasons say so.
 * - P/L curves: today (T+0), halfway, and at expiry, no vol shift. Grid: 41 moves −15%…+10% × 21 vol shifts
 *   −5…+30 points, term-scaled (see scenarios.ts), instantaneous.
 */
import type { Chain, Expiry } from '../chain/types';
import { condorFromStrikes, condorFromTargets, type BuildResult } from './builders';
import { condorRisk, expectedMove } from './condor';
import { fitForward, quotedForward } from './forward';
import { defaultPriceGrid, pnlCurve, scenarioGrid, type GridOptions, type PositionLegs } from './scenarios';
import { onFrozenRows } from './rowsMemo';
import { fitSmile, smileWeight, strikeVols, type SmilePoint } from './smile';
import { smileWarnings } from './smileNotes';
import { yearsToExpiry } from './time';
import type {
  ChainAnalysis,
  CondorRisk,
  CondorSpec,
  ExpiryAnalysis,
  ExpiryModel,
  PnlCurve,
  ScenarioGrid,
  Smile,
} from './types';

export const DEFAULT_RATE = 0.04;
export const DEFAULT_SHORT_DELTA = 0.16;
export const DEFAULT_WING_FRACTION = 0.0075;

export interface AnalyzeInput {
  chain: Chain;
  now: Date;
  /** YYYY-MM-DD; default: see the file header. */
  expiry?: string;
  condor?: { strikes: [number, number, number, number]; quantity: number; credit?: number | null };
  /**
   * The trader's condor, resolved once the expiry is chosen (its rows and model are known only then: typed text
   * checked against the listed strikes, delta targets found on the smile). Not ok: the suggested condor is shown;
   * the caller keeps the error. Ignored when `condor` is given.
   */
  resolveCondor?: (on: { expiry: Expiry; model: ExpiryModel }) => BuildResult;
  /** Continuously compounded rate; default: from parity (see the file header). */
  rate?: number;
  /** Dollars per point per contract (100 for SPX). */
  multiplier?: number;
  grid?: GridOptions;
  /** Days from now of the P/L curves before expiry (default [0, half the time left]); expiry is always added. */
  curveDays?: number[];
  /** Vol shift of the P/L curves, nominal points (default 0). */
  curveVolShiftPoints?: number;
  /**
   * Only what the hedge plan reads (the backtest's question, asked thousands of times): the P/L curves and the
   * scenario grid are left out (empty and null); the expiries, the smiles and the condor's risk are the same.
   */
  planOnly?: boolean;
  /**
   * The short strikes suggested last on an expiry (a live session's previous update): the suggestion keeps them
   * while no strike is clearly nearer the target (builders.ts SHORTS_KEPT_WITHIN_DELTA).
   */
  keepSuggested?: { expiry: string; shorts: readonly [number, number] } | null;
}

interface Work {
  expiry: Expiry;
  analysis: ExpiryAnalysis;
}

function interpRate(points: { years: number; rate: number }[], years: number): number | null {
  if (points.length === 0) return null;
  if (years <= points[0]!.years) return points[0]!.rate;
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1]!,
      b = points[i]!;
    if (years <= b.years) return a.rate + ((b.rate - a.rate) * (years - a.years)) / (b.years - a.years);
  }
  return points[points.length - 1]!.rate;
}

/** Rounds a width to 1, 2.5 or 5 × 10ⁿ (49.8 → 50, 4.9 → 5). */
export function niceWidth(x: number): number {
  if (!(x > 0) || !Number.isFinite(x)) return 1;
  const p = 10 ** Math.floor(Math.log10(x));
  const m = x / p;
  const nice = m < 1.75 ? 1 : m < 3.75 ? 2.5 : m < 7.5 ? 5 : 10;
  return nice * p;
}

export function modelFor(a: ExpiryAnalysis, spot: number | null): ExpiryModel | null {
  const f = a.forward;
  if (!a.smile || f.forward === null || f.discount === null || !(a.years > 0)) return null;
  const underlying = spot !== null && spot > 0 ? spot : f.forward;
  // The same smile with the same figures gives the same model object (a kept fit is asked for its model by every
  // plan of a backtest day): what is derived from a model can then be kept with it (plan/value.ts).
  const last = lastModel.get(a.smile);
  if (
    last &&
    last.underlying === underlying &&
    last.forward === f.forward &&
    last.discount === f.discount &&
    last.years === a.years
  )
    return last;
  const rate = -Math.log(f.discount) / a.years;
  const carry = Math.log(f.forward / underlying) / a.years;
  if (!Number.isFinite(rate) || !Number.isFinite(carry)) return null;
  const model = Object.freeze({
    underlying,
    forward: f.forward,
    discount: f.discount,
    years: a.years,
    rate,
    carry,
    smile: a.smile,
  });
  lastModel.set(a.smile, model);
  return model;
}

/** The last model made on each smile (modelFor). */
const lastModel = new WeakMap<Smile, ExpiryModel>();

/** The default suggestion (16-delta shorts, wings at DEFAULT_WING_FRACTION of the forward) on one expiry. */
function suggestOn(
  w: Work,
  model: ExpiryModel,
  keep: AnalyzeInput['keepSuggested'] = null,
): { ok: true; spec: CondorSpec; width: number } | { ok: false; error: string } {
  const width = niceWidth(model.forward * DEFAULT_WING_FRACTION);
  const r = condorFromTargets({
    targets: { shortDelta: DEFAULT_SHORT_DELTA, width },
    model,
    rows: w.expiry.rows,
    keepShorts: keep && keep.expiry === w.expiry.date ? keep.shorts : null,
    widenToListed: true,
  });
  return r.ok ? { ok: true, spec: r.spec, width: r.width ?? width } : { ok: false, error: r.error };
}

const suggestion = (width: number) =>
  `${DEFAULT_SHORT_DELTA * 100}-delta shorts, wings ${width} points, on listed strikes`;

export function analyzeChain(input: AnalyzeInput): ChainAnalysis {
  const { chain, now, condor: c } = input;
  // A plan-only question on a chain whose expiries are frozen (the backtest's model chains, where several strategies
  // ask about the same day and condor): the analysis is kept with the chain, for every input it reads. A condor
  // resolved by the caller's function cannot be keyed, so that is analysed each time.
  if (input.planOnly && !input.resolveCondor && Object.isFrozen(chain.expiries)) {
    const key = `analysis ${chain.underlying.symbol} ${chain.underlying.price} ${now.getTime()} ${input.expiry ?? '-'} ${input.rate ?? '-'} ${input.multiplier ?? '-'} ${c ? `${c.strikes.join(',')} ${c.quantity} ${c.credit ?? '-'}` : '-'}`;
    return onFrozenRows(chain.expiries, key, () => analyzeOnce(input));
  }
  return analyzeOnce(input);
}

function analyzeOnce(input: AnalyzeInput): ChainAnalysis {
  const { chain, now } = input;
  const multiplier = input.multiplier ?? 100;
  const warnings: string[] = [];
  const spotRaw = chain.underlying.price;
  const spot = spotRaw !== null && spotRaw > 0 && Number.isFinite(spotRaw) ? spotRaw : null;
  const givenRate = input.rate !== undefined && Number.isFinite(input.rate) ? input.rate : null;
  const firstRate = givenRate ?? DEFAULT_RATE;

  // Pass 1: time and forward per expiry.
  const work: Work[] = [];
  for (const expiry of chain.expiries) {
    let years = 0;
    let reason: string | null = null;
    try {
      years = yearsToExpiry({
        now,
        expiry: { date: expiry.date, settlement: expiry.settlement, root: expiry.root ?? undefined },
      });
    } catch (e) {
      reason = `bad expiry date: ${(e as Error).message}`;
    }
    if (!Number.isFinite(years)) years = 0;
    if (reason === null && !(years > 0)) reason = 'expired (settlement instant has passed)';
    // A model's chain states its forward (Expiry.quotedFrom); a page's is fitted from its quotes.
    const forward =
      quotedForward(expiry.quotedFrom, years) ?? fitForward({ rows: expiry.rows, years, spot, rate: firstRate });
    work.push({
      expiry,
      analysis: {
        date: expiry.date,
        root: expiry.root,
        settlement: expiry.settlement,
        years,
        daysToExpiry: years * 365,
        forward,
        atmVol: null,
        strikes: [],
        smile: null,
        expectedMove: { fromAtmVol: null, fromStraddle: null, straddleStrike: null },
        reason,
      },
    });
  }

  // Pass 2: expiries whose strikes cannot pin D borrow the parity rate term structure.
  let rateAssumed = firstRate;
  if (givenRate === null) {
    const curve = work
      .filter(
        (w) =>
          w.analysis.reason === null &&
          (w.analysis.forward.method === 'parity' || w.analysis.forward.method === 'quoted-model') &&
          w.analysis.forward.rate !== null,
      )
      .map((w) => ({ years: w.analysis.years, rate: w.analysis.forward.rate! }))
      .sort((a, b) => a.years - b.years);
    if (curve.length === 0)
      warnings.push(`no expiry pins the rate by parity: assumed ${(DEFAULT_RATE * 100).toFixed(2)}%`);
    else rateAssumed = curve[0]!.rate;
    for (const w of work) {
      const a = w.analysis;
      if (a.reason !== null || a.forward.method === 'parity' || a.forward.method === 'quoted-model') continue;
      const r = interpRate(curve, a.years);
      if (r !== null) a.forward = fitForward({ rows: w.expiry.rows, years: a.years, spot, rate: r });
    }
  }

  // Pass 3: IVs and smiles.
  for (const w of work) {
    const a = w.analysis;
    if (a.reason !== null) continue;
    const F = a.forward.forward,
      D = a.forward.discount;
    if (F === null || D === null) {
      a.reason = a.forward.reason ?? 'no forward';
      continue;
    }
    // The quotes' own model smile, when a model priced them on this forward (Expiry.quotedFrom): taken as the fit.
    const quoted = a.forward.method === 'quoted-model' ? (w.expiry.quotedFrom?.svi ?? null) : null;
    const fitted = onFrozenRows(w.expiry.rows, `smile ${F} ${D} ${a.years} ${quoted ? 'quoted' : ''}`, () => {
      const strikes = strikeVols({
        rows: w.expiry.rows,
        forward: F,
        discount: D,
        years: a.years,
        statedVols: quoted !== null,
      });
      const pts: SmilePoint[] = [];
      for (const s of strikes) {
        if (s.vol === null) continue;
        pts.push({
          k: s.logMoneyness,
          vol: s.vol,
          weight: smileWeight({
            vol: s.vol,
            spread: s.spread,
            forward: F,
            strike: s.strike,
            years: a.years,
            discount: D,
          }),
        });
      }
      const smile = fitSmile({ points: pts, forward: F, years: a.years, given: quoted });
      const atmVol = smile ? smile.atmVol : null;
      return {
        strikes,
        smile,
        expectedMove: expectedMove({ rows: w.expiry.rows, forward: F, years: a.years, atmVol }),
      };
    });
    a.strikes = fitted.strikes;
    a.smile = fitted.smile;
    if (!a.smile) a.reason = 'no strike with a usable out-of-the-money mid';
    a.atmVol = a.smile ? a.smile.atmVol : null;
    a.expectedMove = fitted.expectedMove;
  }

  // The expiry for the condor.
  let chosen: number | null = null;
  let chosenReason = '';
  const usable = (i: number) => work[i]!.analysis.smile !== null && work[i]!.analysis.reason === null;
  if (input.expiry) {
    let bestRows = -1;
    work.forEach((w, i) => {
      if (w.expiry.date === input.expiry && usable(i) && w.expiry.rows.length > bestRows) {
        bestRows = w.expiry.rows.length;
        chosen = i;
      }
    });
    chosenReason = chosen === null ? `expiry ${input.expiry} is not on the chain or has no usable quotes` : 'requested';
  } else {
    let best = Infinity;
    work.forEach((w, i) => {
      if (!usable(i) || w.analysis.daysToExpiry < 7) return;
      const gap = Math.abs(w.analysis.daysToExpiry - 30);
      if (gap < best) {
        best = gap;
        chosen = i;
      }
    });
    if (chosen !== null) chosenReason = 'nearest to 30 calendar days with at least 7 days left';
    else {
      work.forEach((w, i) => {
        if (usable(i) && (chosen === null || w.analysis.years > work[chosen]!.analysis.years)) chosen = i;
      });
      chosenReason =
        chosen === null ? 'no expiry has a usable smile' : 'no expiry has 7 days left: the longest usable one';
    }
  }

  let condor: CondorRisk | null = null;
  let condorSuggested = false;
  let condorReason: string | null = null;
  let suggestionMovedFrom: string | null = null;
  const pnlCurves: PnlCurve[] = [];
  let grid: ScenarioGrid | null = null;
  if (chosen !== null) {
    let w = work[chosen]!;
    let model = modelFor(w.analysis, spot);
    if (!model) condorReason = 'the chosen expiry has no forward or smile';
    else {
      let spec = null;
      if (input.condor) {
        const r = condorFromStrikes({
          strikes: input.condor.strikes,
          quantity: input.condor.quantity,
          credit: input.condor.credit ?? null,
        });
        if (r.ok) {
          spec = r.spec;
          const missing = r.spec.strikes.filter((k) => !w.expiry.rows.some((row) => row.strike === k));
          if (missing.length > 0)
            warnings.push(`strike(s) ${missing.join(', ')} not listed on ${w.expiry.date}: priced from the smile`);
        } else condorReason = r.error;
      }
      const given = input.condor ? null : (input.resolveCondor?.({ expiry: w.expiry, model }) ?? null);
      if (given?.ok) spec = given.spec;
      else if (!input.condor) {
        const first = suggestOn(w, model, input.keepSuggested);
        if (first.ok) {
          spec = first.spec;
          condorSuggested = true;
          condorReason = `suggested: ${suggestion(first.width)}`;
        } else if (!input.resolveCondor) {
          // The chosen expiry cannot hold the suggested condor (a page listing a few strikes near the money, say):
          // rather than show nothing, the nearest other usable expiry to 30 days that can, said in both reasons.
          // Not when the trader entered a condor: theirs failed, and a suggestion on another expiry would hide it.
          const others = work
            .map((o, i) => ({ i, gap: Math.abs(o.analysis.daysToExpiry - 30) }))
            .filter(({ i }) => i !== chosen && usable(i))
            .sort((a, b) => a.gap - b.gap);
          for (const { i } of others) {
            const m = modelFor(work[i]!.analysis, spot);
            if (!m) continue;
            const r = suggestOn(work[i]!, m, input.keepSuggested);
            if (!r.ok) continue;
            const was = w.expiry.date;
            suggestionMovedFrom = was;
            chosen = i;
            w = work[i]!;
            model = m;
            spec = r.spec;
            condorSuggested = true;
            chosenReason = `the nearest to 30 calendar days that can hold the suggested condor; ${was} (${chosenReason}) cannot: ${first.error}`;
            condorReason = `suggested on ${w.expiry.date}, not ${was}: ${suggestion(r.width)}`;
            break;
          }
          if (!spec)
            condorReason = `no condor suggested: ${first.error}${others.length ? '; no other usable expiry can hold it either' : ''}`;
        } else condorReason = `no condor suggested: ${first.error}`;
      }
      if (spec) condor = condorRisk({ spec, expiry: w.expiry, model, multiplier });
      if (spec && condor && !input.planOnly) {
        const legs: PositionLegs = {
          strikes: condor.strikes,
          quantity: condor.quantity,
          multiplier,
          credit: condor.creditUsed,
        };
        const prices = defaultPriceGrid({ model, strikes: condor.strikes });
        const shift = input.curveVolShiftPoints ?? 0;
        const days = input.curveDays ?? [0, 0.5 * model.years * 365];
        for (const d of days) {
          if (d >= 0 && d < model.years * 365)
            pnlCurves.push(pnlCurve({ model, legs, prices, daysForward: d, volShiftPoints: shift }));
        }
        pnlCurves.push(pnlCurve({ model, legs, prices, daysForward: model.years * 365, volShiftPoints: shift }));
        grid = scenarioGrid({ model, legs, options: input.grid });
      }
    }
  }

  // What the condor's figures rest on: said when its expiry's smile is not a fit to every quote.
  const smile = chosen !== null ? work[chosen]!.analysis.smile : null;
  if (smile) warnings.push(...smileWarnings(work[chosen!]!.expiry.date, smile));

  return {
    symbol: chain.underlying.symbol,
    spot,
    now: Number.isFinite(now.getTime()) ? now.toISOString() : 'invalid date',
    rateAssumed,
    multiplier,
    expiries: work.map((w) => w.analysis),
    chosenExpiry: chosen,
    chosenReason,
    condor,
    condorSuggested,
    condorReason,
    ...(suggestionMovedFrom !== null ? { suggestionMovedFrom } : {}),
    pnlCurves,
    grid,
    warnings,
  };
}
