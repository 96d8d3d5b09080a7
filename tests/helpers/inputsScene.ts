/**
 * The scene of #19's "every ALVH input in the UI" checks, shared by the e2e (tests/e2e/inputs.e2e.test.ts: entered
 * in Options, read on the overlay) and the CLI (tests/cli/analyze.test.ts: the same files through
 * `hedgelens analyze`). The SPY demo page of 25 Sep 2025 (valued at that day's close) with a 10-lot condor whose
 * short put is threatened (Layer One), on an authored calm VIX history whose RSI(14), 53.67, is low on the sizing
 * scale (layerOneRsiLongWeak 50 … layerOneRsiLongFull 70): the breadth divergence's +0.25 lifts Layer One's share
 * from 0.59 to 0.72, 4 → 5 put debit spreads; a PCE release the next day is within macroEventWindowDays (2).
 */
export const SCENE = {
  page: 'demo/spy-2025-09-25.html',
  condor: '645/650/680/685',
  quantity: 10,
  vixHistory: 'vix/authored_calm_2025.csv',
  advanceDecline: 'vix/authored_advance_decline_2025-09.csv',
  macroFile: 'vix/authored_macro_2025.csv',
  /** Typed in Options (kind FOMC, one date per line); --macro on the command line. */
  macroTyped: ['2025-09-17', '2025-10-29'],
} as const;

/** Layer One's sizing sentence (breadth.ts's layerOneSignalStrength) without and with the advance–decline series. */
export const SIZING_WITHOUT_BREADTH =
  'Signal strength: RSI(14) of VIX 53.67 on the scale from layerOneRsiLongWeak 50 to layerOneRsiLongFull 70 → 0.18; no advance–decline series given; strength 0.18 → 0.59 of the full size (layerOneMinSizeShare 0.5 + (1 − 0.5) × 0.18).';
export const SIZING_WITH_BREADTH =
  'Signal strength: RSI(14) of VIX 53.67 on the scale from layerOneRsiLongWeak 50 to layerOneRsiLongFull 70 → 0.18; breadth divergence fired → +0.25 (layerOneBreadthDivergenceBoost); strength 0.43 → 0.72 of the full size (layerOneMinSizeShare 0.5 + (1 − 0.5) × 0.43).';
/** The urgency reason (stages.ts) the PCE date of the macro file causes. */
export const MACRO_URGENCY = 'PCE on 2025-09-26, 1 day(s) away (within macroEventWindowDays = 2)';
