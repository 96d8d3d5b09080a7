/**
 * The ALVH rulebook (DESIGN.md §3): every number the hedge engine uses to decide, with its default, its unit,
 * its bounds and where the default comes from. It is the trader's own document: versioned, validated, editable
 * through `applyEdit` (which records an audit-trail entry) and exported/imported as JSON.
 *
 * Pure data + pure functions: no browser API, no I/O.
 */

import { jsonSyntaxReason } from '../../shared/jsonError';

/**
 * Schema history: 1 — the first rulebook; 2 — adds the Layer One signal-strength sizing keys (V2_KEYS); 3 — adds the
 * two-sided stress grid through time, the fill, per-leg liquidity and position-sized layers (V3_KEYS); 4 — adds the
 * time-shift rolls, the fitted VIX term and vol-of-vol models, the VIX checked against the chain's own 30-day
 * index and the VIX term structure in the stages (V4_KEYS); 5 — adds the macro gauges' thresholds, the Second
 * Engine's dollar condition and Layer One's macro boost (V5_KEYS). A stored
 * older document still validates: `validateRulebook` migrates it (the new keys take their defaults, every other
 * value is kept, `migratedFrom` records the version it was read in).
 */
export const RULEBOOK_SCHEMA_VERSION = 5 as const;

/** Sources cited by the defaults. */
const SRC = {
  method: 'ALVH method (Adaptive Layered VIX Hedge) stated default: docs/alvh-method.md §2–§6 (the stages)',
  wilder: 'J. Welles Wilder Jr., "New Concepts in Technical Trading Systems" (1978): RSI with 14-period smoothing',
  connors: 'Connors & Alvarez, "Short Term Trading Strategies That Work" (2009): 2-period RSI, extremes above 90',
  appel: 'Gerald Appel, MACD (late 1970s): 12/26-period EMAs, 9-period signal line',
  vxth: 'Cboe VIX Tail Hedge Index (VXTH) methodology: 30-delta one-month VIX calls, weight by VIX future level',
  liquidity: 'ALVH method "quick ratio": buying power left after the hedge ÷ margin needed (docs/alvh-method.md §8)',
  cost: 'ALVH method "within one standard deviation of the original path" (docs/alvh-method.md §8)',
  beta: 'ALVH method scenario links: VIX ≈ −4.9 × SPX % move on a typical day, stronger in crashes (docs/alvh-method.md §9)',
  hedgelens: 'HedgeLens default (not published by the method); reasoning in docs/backtest.md',
  wilderLevels:
    'J. Welles Wilder Jr., "New Concepts in Technical Trading Systems" (1978): RSI 70 = overbought (momentum stretched up)',
  breadth:
    'Advance–decline line (cumulative advances − declines) divergence: the index near its high while the A–D line falls (classic breadth divergence, e.g. Colby, "The Encyclopedia of Technical Market Indicators", 2nd ed. 2003, "Advance-Decline Line"); window and levels: HedgeLens default, reasoning in docs/alvh-cli.md',
  vixHistory:
    'Cboe’s VIX daily history, 1990–2026 (the VIX_History download of Cboe’s VIX historical data page): mean close 19.4, lowest close 9.14 (3 Nov 2017), highest close 82.69 (16 Mar 2020), highest intraday 89.53 (24 Oct 2008)',
  vixTerm:
    'VIX futures converge to spot VIX at expiry and move less than spot the longer their term (Cboe, "VIX futures" product pages; DESIGN.md §3: a one-month future moves about half as much as spot)',
  fill: 'HedgeLens default: a limit order between the mid and the natural price (docs/alvh-cli.md "Fill")',
  rolls:
    'HedgeLens default for the time-shift rolls (the method names the rolls, not their strikes); reasoning in docs/alvh-method.md §5',
  vxFit:
    'Fitted on Cboe CFE VIX futures settlements against spot VIX, 2 Jan 2013 – 17 Apr 2026 (29,295 contract-days; docs/alvh-method.md §9)',
  vvixFit:
    'Fitted on Cboe VVIX against VIX daily closes, Mar 2006 – Jul 2026 (5,052 days): log VVIX = 3.95 + 0.197 × log VIX (docs/alvh-method.md §9)',
  vixChain:
    "HedgeLens default: the chain's own 30-day index (Cboe Volatility Index White Paper method, src/engine/vixIndex.ts) matched the VIX close within 0.5 points on three real days (SPX 20 Mar 2020 66.30 vs 66.04, SPY 25 Sep 2025 16.36 vs 16.74, SPX 4 Feb 2022 22.78 vs 23.22: tests/engine/vixIndex.test.ts); 3 points leaves room for delayed quotes",
  vixTerm3m:
    "VIX term structure: the 30-day VIX usually sits below the 3-month VIX3M (contango); VIX above VIX3M (backwardation) marks acute stress (Cboe VIX3M index, ex-VXV; on Cboe's daily closes VIX closed above VIX3M on 7.7% of days, 324 of 4,222 from Sep 2009 to Jul 2026, and on each day the five big spikes of docs/backtest.md reached the Second Engine, at 1.10–1.33); 1.0 = the backwardation line",
  macroMethod:
    'ALVH method: the Second Engine only when "the MACD on the VIX confirms sustained momentum and the Real Effective Exchange Rate begins signaling broader macro stress"; CPI/PPI prints, credit and rate differentials are monitored before layering (docs/alvh-method.md)',
  dollarRisk:
    'Avdjiev, Bruno, Koch & Shin (2019), "The Dollar Exchange Rate as a Global Risk Factor", IMF Economic Review 67: a stronger dollar goes with tighter global financial conditions; 1.5 sd of its own 1-month changes is about the top 7% of months (HedgeLens default)',
  hyRisk:
    'Gilchrist & Zakrajšek (2012), "Credit Spreads and Business Cycle Fluctuations", American Economic Review 102(4): widening credit spreads lead financial stress; 1 point in 20 sessions is a HedgeLens default (the ICE BofA US HY OAS widened 1 point or more in 20 sessions in 1998, 2000–02, 2008, 2011, 2015–16, 2020, 2022)',
  curveRisk:
    'Estrella & Mishkin (1998), "Predicting U.S. Recessions: Financial Variables as Leading Indicators", Review of Economics and Statistics 80(1); a fast bull steepening marks markets pricing emergency cuts; 0.5 points in 20 sessions is a HedgeLens default',
  inflationRisk:
    'ALVH method: CPI and PPI prints judged against expectations; with no expectation typed the trailing 12-month trend stands for it; 2 sd is a HedgeLens default (about the top 2–3% of months)',
} as const;

/** A number the engine decides with. */
export interface RuleSpec {
  description: string;
  unit: string;
  default: number;
  min: number;
  max: number;
  integer?: boolean;
  source: string;
}

/**
 * The catalogue of thresholds. Keys are stable identifiers (they appear in explanations and in the audit trail).
 * Units are in the names where the name would otherwise be ambiguous.
 */
export const RULE_SPECS = {
  // --- Layer One: the VIX spike -------------------------------------------------------------------------------
  spikePctOnPriorClose: {
    description: 'VIX spike: close (or live value) up at least this % on the prior close',
    unit: '%',
    default: 15,
    min: 0.1,
    max: 500,
    source: SRC.method,
  },
  spikePointsOnPriorClose: {
    description: 'VIX spike: up at least this many VIX points on the prior close',
    unit: 'VIX points',
    default: 3,
    min: 0.01,
    max: 100,
    source: SRC.method,
  },
  spikeRsiShortAbove: {
    description: 'VIX spike: short-period RSI of VIX above this level',
    unit: 'RSI 0–100',
    default: 90,
    min: 50,
    max: 100,
    source: `${SRC.method}; ${SRC.connors}`,
  },
  spikeMinVixLevel: {
    description:
      'RSI-only spikes count only when VIX is at or above this level (about its long-run mean; 0 disables the filter; the % and point rules are unaffected)',
    unit: 'VIX points',
    default: 20,
    min: 0,
    max: 100,
    source: SRC.hedgelens,
  },
  rsiShortPeriod: {
    description: 'Period of the short RSI used for spikes',
    unit: 'bars',
    default: 2,
    min: 2,
    max: 50,
    integer: true,
    source: SRC.connors,
  },
  rsiLongPeriod: {
    description: 'Period of the long RSI used for momentum (Second Engine, Unwind)',
    unit: 'bars',
    default: 14,
    min: 2,
    max: 100,
    integer: true,
    source: SRC.wilder,
  },
  // --- Layer One: the position threat -------------------------------------------------------------------------
  threatShortDeltaAbs: {
    description: "Condor threatened: a short strike's |delta| at or above this",
    unit: 'delta',
    default: 0.3,
    min: 0.01,
    max: 1,
    source: SRC.method,
  },
  threatBreakevenExpectedMoves: {
    description: 'Condor threatened: underlying within this many expected moves of a breakeven',
    unit: 'expected moves (1σ to expiry)',
    default: 0.5,
    min: 0,
    max: 5,
    source: SRC.method,
  },
  layerOneCalmDaysToExpire: {
    description: 'Layer One stands down to Calm after this many consecutive days with no spike and no threat',
    unit: 'trading days',
    default: 5,
    min: 1,
    max: 250,
    integer: true,
    source: SRC.hedgelens,
  },
  // --- Second Engine ------------------------------------------------------------------------------------------
  macdFastPeriod: {
    description: 'MACD fast EMA period',
    unit: 'bars',
    default: 12,
    min: 2,
    max: 100,
    integer: true,
    source: SRC.appel,
  },
  macdSlowPeriod: {
    description: 'MACD slow EMA period',
    unit: 'bars',
    default: 26,
    min: 3,
    max: 200,
    integer: true,
    source: SRC.appel,
  },
  macdSignalPeriod: {
    description: 'MACD signal EMA period',
    unit: 'bars',
    default: 9,
    min: 2,
    max: 100,
    integer: true,
    source: SRC.appel,
  },
  secondEngineRsiLongMin: {
    description: 'Second Engine: long RSI of VIX at or above this',
    unit: 'RSI 0–100',
    default: 60,
    min: 0,
    max: 100,
    source: SRC.method,
  },
  secondEngineHistogramRisingBars: {
    description: 'Second Engine: MACD histogram rising for this many consecutive bars',
    unit: 'bars',
    default: 1,
    min: 1,
    max: 20,
    integer: true,
    source: SRC.method,
  },
  secondEngineStressLossPerRemainingProfit: {
    description:
      "Second Engine: the hedge-adjusted position's worst stress loss ÷ the condor's credit (max profit) at or above this (the method's cost-of-capital drift, on the loss side)",
    unit: 'ratio',
    default: 1.5,
    min: 0,
    max: 100,
    source: SRC.hedgelens,
  },
  // --- Time-shift ---------------------------------------------------------------------------------------------
  timeShiftBreachExpectedMoves: {
    description:
      'Time-shift: a short strike counts as "about to be breached" when the underlying is within this many expected moves of it',
    unit: 'expected moves (1σ to expiry)',
    default: 0.15,
    min: 0,
    max: 2,
    source: SRC.hedgelens,
  },
  timeShiftMinDaysLeft: {
    description: 'Time-shift needs at least this many calendar days to expiry (otherwise there is no time to shift)',
    unit: 'calendar days',
    default: 5,
    min: 0,
    max: 365,
    source: SRC.hedgelens,
  },
  // --- Unwind -------------------------------------------------------------------------------------------------
  unwindHistogramFallingBars: {
    description: 'Unwind: MACD histogram falling for this many consecutive bars',
    unit: 'bars',
    default: 2,
    min: 1,
    max: 20,
    integer: true,
    source: SRC.method,
  },
  unwindRsiLongBelow: {
    description: 'Unwind: long RSI of VIX below this, with VIX falling on the day',
    unit: 'RSI 0–100',
    default: 50,
    min: 0,
    max: 100,
    source: SRC.method,
  },
  unwindHoldDays: {
    description: 'Unwind lasts this many trading days (hedges are taken off layer by layer), then Calm',
    unit: 'trading days',
    default: 2,
    min: 1,
    max: 60,
    integer: true,
    source: SRC.hedgelens,
  },
  // --- Urgency ------------------------------------------------------------------------------------------------
  macroEventWindowDays: {
    description: 'A flagged macro event (CPI, PPI, FOMC) within this many calendar days raises urgency',
    unit: 'calendar days',
    default: 2,
    min: 0,
    max: 30,
    source: SRC.hedgelens,
  },
  // --- Constraints --------------------------------------------------------------------------------------------
  liquidityRatioMin: {
    description: 'Buying power left after the hedge ÷ margin needed must be at least this',
    unit: 'ratio',
    default: 1.2,
    min: 0,
    max: 100,
    source: SRC.liquidity,
  },
  costMaxStdDevs: {
    description:
      "A hedge's cost must not exceed this many standard deviations of the unhedged condor's P/L at the horizon",
    unit: 'standard deviations',
    default: 1,
    min: 0,
    max: 10,
    source: SRC.cost,
  },
  // --- Sizing and candidates ----------------------------------------------------------------------------------
  layerOneDeltaBandPerContract: {
    description: 'Layer One sizes hedges to bring |position delta| within this many deltas per condor contract',
    unit: 'delta per condor',
    default: 0.1,
    min: 0,
    max: 1,
    source: SRC.hedgelens,
  },
  secondEngineStressCoverShare: {
    description: "Second Engine sizes VIX hedges to cover this share of the condor's stress loss",
    unit: 'fraction',
    default: 0.5,
    min: 0,
    max: 2,
    source: SRC.hedgelens,
  },
  vixCallTargetDelta: {
    description: 'Second Engine VIX calls: target delta',
    unit: 'delta',
    default: 0.3,
    min: 0.01,
    max: 0.99,
    source: SRC.vxth,
  },
  vixCallTargetDays: {
    description: 'Second Engine VIX calls: target calendar days to expiry',
    unit: 'calendar days',
    default: 30,
    min: 1,
    max: 365,
    source: SRC.vxth,
  },
  layerOneMaxDays: {
    description: 'Layer One SPX structures: expiry no later than this many calendar days out ("short-dated")',
    unit: 'calendar days',
    default: 21,
    min: 0,
    max: 365,
    source: SRC.hedgelens,
  },
  hedgeMaxQuantityPerCondor: {
    description: 'Hedge quantities tried go up to this many ticket units per condor contract',
    unit: 'units per condor',
    default: 4,
    min: 1,
    max: 50,
    source: SRC.hedgelens,
  },
  timeShiftRollMinExtraDays: {
    description: 'Time-shift rolls go to an expiry at least this many calendar days after the condor expiry',
    unit: 'calendar days',
    default: 7,
    min: 1,
    max: 365,
    source: SRC.hedgelens,
  },
  // --- Layer One sizing by signal strength (schema 2) -----------------------------------------------------------
  layerOneRsiLongWeak: {
    description:
      'Layer One sizing: RSI(rsiLongPeriod) of VIX at or below this is no momentum — the hedge is layerOneMinSizeShare of its full size',
    unit: 'RSI 0–100',
    default: 50,
    min: 0,
    max: 100,
    source: `${SRC.method}: 50 is the momentum line of the Unwind rule`,
  },
  layerOneRsiLongFull: {
    description:
      'Layer One sizing: RSI(rsiLongPeriod) of VIX at or above this is full momentum — the hedge is its full size',
    unit: 'RSI 0–100',
    default: 70,
    min: 0,
    max: 100,
    source: SRC.wilderLevels,
  },
  layerOneMinSizeShare: {
    description: 'Layer One sizing: the share of the full hedge quantity taken on the weakest signal',
    unit: 'fraction',
    default: 0.5,
    min: 0.05,
    max: 1,
    source: SRC.hedgelens,
  },
  layerOneBreadthLookbackDays: {
    description: 'Breadth divergence: the window (rows of the advance–decline series) over which it is judged',
    unit: 'trading days',
    default: 10,
    min: 2,
    max: 250,
    integer: true,
    source: SRC.breadth,
  },
  layerOneBreadthNearHighPct: {
    description: "Breadth divergence: the index counts as near its high within this % of the window's highest close",
    unit: '%',
    default: 2,
    min: 0,
    max: 50,
    source: SRC.breadth,
  },
  layerOneBreadthDivergenceBoost: {
    description:
      'Breadth divergence (index near its high, A–D line falling over the window) adds this to the signal strength (0–1)',
    unit: 'strength 0–1',
    default: 0.25,
    min: 0,
    max: 1,
    source: SRC.breadth,
  },
  // --- Scenario links -----------------------------------------------------------------------------------------
  vixBetaPerSpxPct: {
    description: 'VIX % move per +1% SPX move on a typical day',
    unit: '% per %',
    default: -4.9,
    min: -50,
    max: 0,
    source: SRC.beta,
  },
  vixCrashBetaMultiplier: {
    description:
      'Multiplier the VIX beta steepens to on SPX down-moves, reached at the crash threshold (stronger in crashes)',
    unit: 'ratio',
    default: 1.5,
    min: 1,
    max: 10,
    source: `${SRC.beta}; multiplier: ${SRC.hedgelens}`,
  },
  vixCrashThresholdPct: {
    description:
      'SPX down-move (in %) by which the VIX beta reaches its full crash multiplier; it steepens smoothly from no move (no jump)',
    unit: '%',
    default: 5,
    min: 0,
    max: 50,
    source: SRC.hedgelens,
  },
  vixFutureToSpotRatio: {
    description:
      'A one-month (30-day) VIX future moves this share of a spot VIX move; a future with d days left moves ratio^((d/30)^vixFutureTermExponent) of it (all of it at expiry)',
    unit: 'ratio',
    default: 0.5,
    min: 0,
    max: 2,
    source: SRC.beta,
  },
  // --- Schema 3: the stress grid through time -------------------------------------------------------------------
  stressMoveDownPct: {
    description: 'Stress grid: the largest underlying fall tried (index crash side)',
    unit: '%',
    default: 20,
    min: 1,
    max: 60,
    source: `${SRC.beta}; −20%: HedgeLens default (19 Oct 1987 −20.5%, 16 Mar 2020 −12%)`,
  },
  stressMoveUpPct: {
    description: 'Stress grid: the largest underlying rise tried',
    unit: '%',
    default: 10,
    min: 1,
    max: 60,
    source: SRC.hedgelens,
  },
  stressMoveStepPct: {
    description: 'Stress grid: the step between underlying moves',
    unit: '%',
    default: 1,
    min: 0.1,
    max: 10,
    source: SRC.hedgelens,
  },
  stressShortHorizonDays: {
    description:
      'Stress grid: the "few sessions" horizon (calendar days forward); the others are today, the hedge expiry and the condor expiry',
    unit: 'calendar days',
    default: 3,
    min: 0,
    max: 60,
    source: SRC.hedgelens,
  },
  vixStressCap: {
    description: 'Stress grid: spot VIX approaches this level smoothly however far the index falls (never beyond it)',
    unit: 'VIX points',
    default: 90,
    min: 20,
    max: 300,
    source: SRC.vixHistory,
  },
  vixStressFloor: {
    description: 'Stress grid: spot VIX never falls below this level',
    unit: 'VIX points',
    default: 9,
    min: 1,
    max: 30,
    source: SRC.vixHistory,
  },
  vixRevertLevel: {
    description:
      'The scenario that hurts a hedge: spot VIX mean-reverts to this level while the index holds (the cost of a transitory spike)',
    unit: 'VIX points',
    default: 19.5,
    min: 5,
    max: 80,
    source: SRC.vixHistory,
  },
  // --- Schema 3: fill, liquidity, sizing -------------------------------------------------------------------------
  fillSpreadFraction: {
    description:
      'Assumed fill: 0 = the mid, 1 = the natural price (ask to buy, bid to sell), between = a limit that far from the mid; used for stress, cost and constraints',
    unit: 'fraction of the half-spread',
    default: 0.5,
    min: 0,
    max: 1,
    source: SRC.fill,
  },
  commissionPerContractDollars: {
    description: 'Commissions and fees per option contract traded (charged on every hedge leg)',
    unit: '$ per contract',
    default: 0.65,
    min: 0,
    max: 50,
    source: SRC.fill,
  },
  liquidityMinOpenInterest: {
    description: 'Per-leg liquidity: a hedge leg needs at least this open interest (0 disables; unknown passes, said)',
    unit: 'contracts',
    default: 1,
    min: 0,
    max: 1_000_000,
    integer: true,
    source: SRC.hedgelens,
  },
  liquidityMinVolume: {
    description: "Per-leg liquidity: a hedge leg needs at least this day's volume (0 disables)",
    unit: 'contracts',
    default: 0,
    min: 0,
    max: 1_000_000,
    integer: true,
    source: SRC.hedgelens,
  },
  liquidityMaxSpreadPctOfMid: {
    description: "Per-leg liquidity: a hedge leg's bid–ask spread must be at most this % of its mid",
    unit: '%',
    default: 60,
    min: 1,
    max: 1000,
    source: SRC.hedgelens,
  },
  layerOneLossCoverShare: {
    description:
      "Layer One is sized to take this share of the condor's downside stress loss beyond its credit (before the signal-strength scaling)",
    unit: 'fraction',
    default: 0.75,
    min: 0.01,
    max: 2,
    source: SRC.method,
  },
  stageHoldVixLevel: {
    description:
      'Layer One does not stand down to Calm while VIX closes at or above this level (the VIX level is an input)',
    unit: 'VIX points',
    default: 30,
    min: 0,
    max: 200,
    source: SRC.hedgelens,
  },
  secondEngineMinVixLevel: {
    description:
      'Second Engine: VIX at or above this level (about its long-run mean: below it a spike is not a tail event)',
    unit: 'VIX points',
    default: 22,
    min: 0,
    max: 200,
    source: SRC.vixHistory,
  },
  secondEngineMinDaysAfterLayerOne: {
    description:
      'Second Engine: Layer One must have been on for at least this many bars first (MACD confirmation after the spike bar)',
    unit: 'bars',
    default: 1,
    min: 1,
    max: 60,
    integer: true,
    source: SRC.method,
  },
  // --- Schema 4: time-shift rolls, the VIX term and vol-of-vol ----------------------------------------------------
  timeShiftRollTargetDelta: {
    description:
      'Roll down and out: the new short strike (a later expiry, further from the money than the old one) is the listed strike whose |delta| is nearest this',
    unit: '|delta|',
    default: 0.16,
    min: 0.01,
    max: 0.5,
    source: SRC.rolls,
  },
  timeShiftRollMaxDebitPerCredit: {
    description:
      "Roll down and out: the most it may cost per spread at the assumed fill, as a share of the condor's credit per unit (0 = only for a credit)",
    unit: 'share of the credit',
    default: 0.5,
    min: 0,
    max: 5,
    source: SRC.rolls,
  },
  timeShiftRollExpiriesTried: {
    description:
      'Roll down and out: the later expiries tried, nearest first (the first whose roll is liquid, affordable and lowers the threatened loss is offered)',
    unit: 'expiries',
    default: 3,
    min: 1,
    max: 12,
    integer: true,
    source: SRC.rolls,
  },
  timeShiftRollInTargetDelta: {
    description:
      'Roll the untested side in: its new short strike (same expiry, nearer the money) is the listed strike whose |delta| is nearest this; only for a credit',
    unit: '|delta|',
    default: 0.3,
    min: 0.05,
    max: 0.5,
    source: SRC.rolls,
  },
  timeShiftWingRollShare: {
    description:
      "Roll the threatened side's outer wing in: the long strike moves this share of the spread's width toward the short strike (a narrower spread, a smaller max loss, for a debit)",
    unit: 'share of the width',
    default: 0.5,
    min: 0.1,
    max: 0.9,
    source: SRC.rolls,
  },
  vixFutureTermExponent: {
    description:
      'A VIX future with d days left moves vixFutureToSpotRatio^((d/30)^p) of a spot VIX move, p this exponent (1 = plain exponential decay in the term)',
    unit: 'exponent',
    default: 0.5,
    min: 0.1,
    max: 2,
    source: `${SRC.vxFit}: the daily change of a future per point of spot VIX is 0.67 at 0–10 days, 0.49 at 25–40, 0.32 at 60–90, 0.17 at 150–250; 0.5^((d/30)^0.5) gives 0.75, 0.5, 0.33, 0.17`,
  },
  vixFutureLongRunLevel: {
    description:
      'Without a VIX chain, the VIX future of a term of d days is this level + (spot VIX − it) × the term share above (the futures curve leans toward it)',
    unit: 'VIX points',
    default: 21.2,
    min: 5,
    max: 80,
    source: `${SRC.vxFit}: least squares gives 21.2 with the term share above (rms error 3.0 points; 5.6 with VIX above 40)`,
  },
  vixOptionVolElasticity: {
    description:
      'VIX option vols in stress scale by (VIX after ÷ VIX now)^this: vol-of-vol rises far less than VIX, so per VIX point it falls as VIX rises',
    unit: 'elasticity',
    default: 0.2,
    min: -1,
    max: 1,
    source: SRC.vvixFit,
  },
  // --- Schema 4: VIX checked against the chain; the term structure ------------------------------------------------
  vixChainTolerancePoints: {
    description:
      "A VIX level (typed, seen on a page, or the day's close) that differs from the chain's own 30-day index by more than this gets a warning naming both",
    unit: 'VIX points',
    default: 3,
    min: 0.1,
    max: 50,
    source: SRC.vixChain,
  },
  secondEngineMinVixToVix3m: {
    description:
      'Second Engine: VIX ÷ VIX3M at or above this (the term structure in backwardation: the 30-day above the 3-month); not judged without a VIX3M series; 0 disables',
    unit: 'ratio',
    default: 1,
    min: 0,
    max: 3,
    source: SRC.vixTerm3m,
  },
  // --- Schema 5: the macro gauges (src/engine/macro/gauges.ts) ----------------------------------------------------
  secondEngineMacroGate: {
    description:
      'Second Engine: also requires the dollar gauge (real effective exchange rate, or the broad dollar index) to read stress; not judged (and not blocking) when no such series was brought; 0 disables',
    unit: 'switch (1 on, 0 off)',
    default: 1,
    min: 0,
    max: 1,
    integer: true,
    source: SRC.macroMethod,
  },
  macroDollarStressZ: {
    description:
      "The dollar gauge reads stress when the dollar's latest 1-month change is at least this many standard deviations of its own 1-month changes",
    unit: 'standard deviations',
    default: 1.5,
    min: 0,
    max: 10,
    source: SRC.dollarRisk,
  },
  macroHySpreadWideningPoints: {
    description: 'The credit gauge reads stress when the high-yield spread widened at least this much over 20 sessions',
    unit: 'percentage points',
    default: 1,
    min: 0.05,
    max: 20,
    source: SRC.hyRisk,
  },
  macroCurveSteepeningPoints: {
    description: 'The curve gauge reads stress when the 10y–2y spread steepened at least this much over 20 sessions',
    unit: 'percentage points',
    default: 0.5,
    min: 0.05,
    max: 5,
    source: SRC.curveRisk,
  },
  macroInflationSurpriseZ: {
    description:
      "The CPI and PPI gauges read stress when the month's change is at least this many standard deviations above its trailing 12-month mean; either in stress raises the plan's urgency",
    unit: 'standard deviations',
    default: 2,
    min: 0,
    max: 10,
    source: SRC.inflationRisk,
  },
  layerOneMacroStressBoost: {
    description:
      "Layer One's signal strength (0–1) gains this when the credit or the curve gauge reads stress (broader stress behind the VIX spike); 0 disables",
    unit: 'strength 0–1',
    default: 0.25,
    min: 0,
    max: 1,
    source: SRC.macroMethod,
  },
} as const satisfies Record<string, RuleSpec>;

export type RuleKey = keyof typeof RULE_SPECS;
export type Thresholds = Record<RuleKey, number>;

/** One band of the VXTH allocation schedule: applies when the VIX future is ≤ `upToVixFuture` (and above the previous band). */
export interface AllocationBand {
  /** Upper bound of the band on the VIX future, inclusive; null for "and above". */
  upToVixFuture: number | null;
  /** Share of the account, in percent, that may go to Second Engine VIX hedges. */
  accountPct: number;
}

export const DEFAULT_VXTH_SCHEDULE: readonly AllocationBand[] = [
  { upToVixFuture: 15, accountPct: 0 },
  { upToVixFuture: 30, accountPct: 1 },
  { upToVixFuture: 50, accountPct: 0.5 },
  { upToVixFuture: null, accountPct: 0 },
];

export interface AuditEntry {
  /** ISO 8601 instant of the edit. */
  at: string;
  /** The version this edit produced. */
  version: number;
  note: string;
  changes: { key: string; from: unknown; to: unknown }[];
}

export interface Rulebook {
  schemaVersion: typeof RULEBOOK_SCHEMA_VERSION;
  /** Edit counter: 1 for the defaults, +1 per applied edit. */
  version: number;
  name: string;
  thresholds: Thresholds;
  vxthSchedule: AllocationBand[];
  vxthScheduleSource: string;
  /** Each threshold's source note (kept in the document so an export is self-explaining). */
  sources: Record<RuleKey, string>;
  audit: AuditEntry[];
  /** Set when the document was read in an older schema and migrated (e.g. 1); absent otherwise. */
  migratedFrom?: number;
}

export const RULE_KEYS = Object.keys(RULE_SPECS) as RuleKey[];

/** Keys added by schema 2 (absent from a version-1 document; the migration gives them their defaults). */
export const V2_KEYS: readonly RuleKey[] = [
  'layerOneRsiLongWeak',
  'layerOneRsiLongFull',
  'layerOneMinSizeShare',
  'layerOneBreadthLookbackDays',
  'layerOneBreadthNearHighPct',
  'layerOneBreadthDivergenceBoost',
];

/** Keys added by schema 3 (the stress grid through time, the fill, per-leg liquidity, position sizing, stages). */
export const V3_KEYS: readonly RuleKey[] = [
  'stressMoveDownPct',
  'stressMoveUpPct',
  'stressMoveStepPct',
  'stressShortHorizonDays',
  'vixStressCap',
  'vixStressFloor',
  'vixRevertLevel',
  'fillSpreadFraction',
  'commissionPerContractDollars',
  'liquidityMinOpenInterest',
  'liquidityMinVolume',
  'liquidityMaxSpreadPctOfMid',
  'layerOneLossCoverShare',
  'stageHoldVixLevel',
  'secondEngineMinVixLevel',
  'secondEngineMinDaysAfterLayerOne',
];

/**
 * Keys added by schema 4: the time-shift rolls, the VIX term model and the VIX option vol response; the VIX checked
 * against the chain's own index and the VIX term structure in the stages.
 */
export const V4_KEYS: readonly RuleKey[] = [
  'timeShiftRollTargetDelta',
  'timeShiftRollMaxDebitPerCredit',
  'timeShiftRollExpiriesTried',
  'timeShiftRollInTargetDelta',
  'timeShiftWingRollShare',
  'vixFutureTermExponent',
  'vixFutureLongRunLevel',
  'vixOptionVolElasticity',
  'vixChainTolerancePoints',
  'secondEngineMinVixToVix3m',
];

/** Keys added by schema 5: the macro gauges' thresholds, the Second Engine's dollar condition, Layer One's macro boost. */
export const V5_KEYS: readonly RuleKey[] = [
  'secondEngineMacroGate',
  'macroDollarStressZ',
  'macroHySpreadWideningPoints',
  'macroCurveSteepeningPoints',
  'macroInflationSurpriseZ',
  'layerOneMacroStressBoost',
];

/** The keys each schema added, by the version that added them. */
const ADDED_IN: Record<number, readonly RuleKey[]> = { 2: V2_KEYS, 3: V3_KEYS, 4: V4_KEYS, 5: V5_KEYS };

/**
 * Migrate an older document to the current schema (pure; the input is not modified). Each version up to the current
 * adds its keys (1 → 2 the V2_KEYS, 2 → 3 the V3_KEYS, 3 → 4 the V4_KEYS, 4 → 5 the V5_KEYS) at their defaults (a value already there
 * is kept), with their sources. Anything else is returned as is (validation reports it).
 */
export function migrateRulebook(json: unknown): { json: unknown; migratedFrom: number | null } {
  const v = isRecord(json) ? json.schemaVersion : null;
  if (!isRecord(json) || typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v >= RULEBOOK_SCHEMA_VERSION)
    return { json, migratedFrom: null };
  const from = v;
  const next = JSON.parse(JSON.stringify(json)) as Record<string, unknown>;
  const add: RuleKey[] = [];
  for (let s = from + 1; s <= RULEBOOK_SCHEMA_VERSION; s++) add.push(...(ADDED_IN[s] ?? []));
  if (isRecord(next.thresholds)) {
    for (const k of add) if (!(k in next.thresholds)) next.thresholds[k] = RULE_SPECS[k].default;
  }
  if (isRecord(next.sources)) {
    for (const k of add) if (typeof next.sources[k] !== 'string') next.sources[k] = RULE_SPECS[k].source;
  }
  next.schemaVersion = RULEBOOK_SCHEMA_VERSION;
  return { json: next, migratedFrom: from };
}

export function defaultRulebook(): Rulebook {
  const thresholds = {} as Thresholds;
  const sources = {} as Record<RuleKey, string>;
  for (const k of RULE_KEYS) {
    thresholds[k] = RULE_SPECS[k].default;
    sources[k] = RULE_SPECS[k].source;
  }
  return {
    schemaVersion: RULEBOOK_SCHEMA_VERSION,
    version: 1,
    name: 'ALVH defaults',
    thresholds,
    vxthSchedule: DEFAULT_VXTH_SCHEDULE.map((b) => ({ ...b })),
    vxthScheduleSource: SRC.vxth,
    sources,
    audit: [],
  };
}

export type ValidationResult = { ok: true; rulebook: Rulebook } | { ok: false; errors: string[] };

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function validateThreshold(key: RuleKey, v: unknown, errors: string[]): void {
  const spec: RuleSpec = RULE_SPECS[key];
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    errors.push(`thresholds.${key}: expected a finite number, got ${JSON.stringify(v)}`);
    return;
  }
  if (v < spec.min || v > spec.max) {
    errors.push(`thresholds.${key}: ${v} is outside [${spec.min}, ${spec.max}] (${spec.unit})`);
  }
  if (spec.integer && !Number.isInteger(v)) errors.push(`thresholds.${key}: ${v} must be a whole number`);
}

function validateSchedule(s: unknown, errors: string[]): AllocationBand[] {
  if (!Array.isArray(s) || s.length === 0) {
    errors.push('vxthSchedule: expected a non-empty array of bands');
    return [];
  }
  const out: AllocationBand[] = [];
  let prev = -Infinity;
  s.forEach((b: unknown, i) => {
    if (!isRecord(b)) {
      errors.push(`vxthSchedule[${i}]: expected an object`);
      return;
    }
    const up = b.upToVixFuture;
    const pct = b.accountPct;
    const last = i === s.length - 1;
    if (up === null) {
      if (!last) errors.push(`vxthSchedule[${i}]: only the last band may be open-ended (upToVixFuture null)`);
    } else if (typeof up !== 'number' || !Number.isFinite(up) || up <= 0) {
      errors.push(`vxthSchedule[${i}].upToVixFuture: expected a positive number or null`);
    } else if (up <= prev) {
      errors.push(`vxthSchedule[${i}].upToVixFuture: bands must be increasing (${up} ≤ ${prev})`);
    } else prev = up;
    if (last && up !== null) errors.push(`vxthSchedule: the last band must be open-ended (upToVixFuture null)`);
    if (typeof pct !== 'number' || !Number.isFinite(pct) || pct < 0 || pct > 100) {
      errors.push(`vxthSchedule[${i}].accountPct: expected a number in [0, 100]`);
    }
    out.push({ upToVixFuture: (up as number | null) ?? null, accountPct: pct as number });
  });
  return out;
}

function crossChecks(t: Thresholds, errors: string[]): void {
  if (t.layerOneRsiLongWeak >= t.layerOneRsiLongFull) {
    errors.push(
      `thresholds.layerOneRsiLongWeak (${t.layerOneRsiLongWeak}) must be below layerOneRsiLongFull (${t.layerOneRsiLongFull})`,
    );
  }
  if (t.macdFastPeriod >= t.macdSlowPeriod) {
    errors.push(`thresholds.macdFastPeriod (${t.macdFastPeriod}) must be below macdSlowPeriod (${t.macdSlowPeriod})`);
  }
}

/** Validate an untrusted document (e.g. an imported file). Unknown threshold keys are errors, so typos are caught. */
export function validateRulebook(input: unknown): ValidationResult {
  const errors: string[] = [];
  const { json, migratedFrom } = migrateRulebook(input);
  if (!isRecord(json)) return { ok: false, errors: ['rulebook: expected a JSON object'] };
  if (json.schemaVersion !== RULEBOOK_SCHEMA_VERSION) {
    errors.push(`schemaVersion: expected ${RULEBOOK_SCHEMA_VERSION}, got ${JSON.stringify(json.schemaVersion)}`);
  }
  const version = json.version;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    errors.push('version: expected a whole number ≥ 1');
  }
  const name = typeof json.name === 'string' ? json.name : '';
  if (typeof json.name !== 'string') errors.push('name: expected a string');
  const thresholds = {} as Thresholds;
  if (!isRecord(json.thresholds)) errors.push('thresholds: expected an object');
  else {
    for (const k of RULE_KEYS) {
      if (!(k in json.thresholds)) {
        errors.push(`thresholds.${k}: missing`);
        continue;
      }
      validateThreshold(k, json.thresholds[k], errors);
      thresholds[k] = json.thresholds[k] as number;
    }
    for (const k of Object.keys(json.thresholds)) {
      if (!(k in RULE_SPECS)) errors.push(`thresholds.${k}: unknown rule`);
    }
  }
  const vxthSchedule = validateSchedule(json.vxthSchedule, errors);
  const sources = {} as Record<RuleKey, string>;
  const srcIn = isRecord(json.sources) ? json.sources : {};
  for (const k of RULE_KEYS) sources[k] = typeof srcIn[k] === 'string' ? (srcIn[k] as string) : RULE_SPECS[k].source;
  const audit: AuditEntry[] = [];
  if (json.audit !== undefined) {
    if (!Array.isArray(json.audit)) errors.push('audit: expected an array');
    else {
      json.audit.forEach((e: unknown, i) => {
        if (!isRecord(e) || typeof e.at !== 'string' || typeof e.version !== 'number' || !Array.isArray(e.changes)) {
          errors.push(`audit[${i}]: expected { at, version, note, changes[] }`);
          return;
        }
        audit.push({
          at: e.at,
          version: e.version,
          note: typeof e.note === 'string' ? e.note : '',
          changes: (e.changes as unknown[]).filter(isRecord).map((c) => ({
            key: String(c.key),
            from: c.from,
            to: c.to,
          })),
        });
      });
    }
  }
  if (errors.length === 0) crossChecks(thresholds, errors);
  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    rulebook: {
      schemaVersion: RULEBOOK_SCHEMA_VERSION,
      version: version as number,
      name,
      thresholds,
      vxthSchedule,
      vxthScheduleSource: typeof json.vxthScheduleSource === 'string' ? json.vxthScheduleSource : SRC.vxth,
      sources,
      audit,
      ...(migratedFrom !== null ? { migratedFrom } : {}),
    },
  };
}

export interface RulebookPatch {
  name?: string;
  thresholds?: Partial<Thresholds>;
  vxthSchedule?: AllocationBand[];
}

export type EditResult = { ok: true; rulebook: Rulebook } | { ok: false; errors: string[] };

/**
 * Apply an edit. Returns a NEW rulebook (the input is not modified) with version + 1 and an audit entry listing
 * every value that changed, from → to. A patch that would make the rulebook invalid is refused with the errors
 * (the input stays as it was).
 */
export function applyEdit(rulebook: Rulebook, patch: RulebookPatch, meta: { at: string; note: string }): EditResult {
  const { at, note } = meta;
  if (Number.isNaN(Date.parse(at))) return { ok: false, errors: [`at: not an ISO date-time: ${JSON.stringify(at)}`] };
  const changes: AuditEntry['changes'] = [];
  const next: Rulebook = JSON.parse(JSON.stringify(rulebook)) as Rulebook;
  if (patch.name !== undefined && patch.name !== rulebook.name) {
    changes.push({ key: 'name', from: rulebook.name, to: patch.name });
    next.name = patch.name;
  }
  for (const [k, v] of Object.entries(patch.thresholds ?? {})) {
    const from = (rulebook.thresholds as Record<string, number>)[k];
    if (from !== v) {
      changes.push({ key: `thresholds.${k}`, from: from ?? null, to: v });
      (next.thresholds as Record<string, unknown>)[k] = v;
    }
  }
  if (
    patch.vxthSchedule !== undefined &&
    JSON.stringify(patch.vxthSchedule) !== JSON.stringify(rulebook.vxthSchedule)
  ) {
    changes.push({ key: 'vxthSchedule', from: rulebook.vxthSchedule, to: patch.vxthSchedule });
    next.vxthSchedule = patch.vxthSchedule.map((b) => ({ ...b }));
  }
  next.version = rulebook.version + 1;
  next.audit = [...rulebook.audit, { at, version: next.version, note, changes }];
  const checked = validateRulebook(next);
  if (!checked.ok) return checked;
  return { ok: true, rulebook: checked.rulebook };
}

export function exportRulebook(rulebook: Rulebook): string {
  return JSON.stringify(rulebook, null, 2);
}

/** Parse and validate a rulebook file's text. */
export function importRulebook(text: string): ValidationResult {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return { ok: false, errors: [`rulebook: not valid JSON (${jsonSyntaxReason(e)})`] };
  }
  return validateRulebook(json);
}

/** The VXTH allocation (percent of account) for a given VIX future level. */
export function vxthAllocationPct(params: { schedule: readonly AllocationBand[]; vixFuture: number }): number {
  const { schedule, vixFuture } = params;
  if (!Number.isFinite(vixFuture)) return 0;
  for (const b of schedule) {
    if (b.upToVixFuture === null || vixFuture <= b.upToVixFuture) return b.accountPct;
  }
  return 0;
}
