/**
 * The authored ALVH scene the plan tests, the CLI's plan tests and the ALVH benchmark share (not market data):
 * an SPX chain on 16 Mar 2026 (spot 6600, five expiries, 26% at the money) and the VIX chain with three
 * futures in backwardation (27 / 25 / 23.5), both from tests/engine/alvh/synthetic.ts, and the authored VIX
 * spike history (tests/fixtures/vix/authored_spike.csv).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Chain } from '../../src/chain/types';
import { parseVixHistory, type VixBar } from '../../src/engine/alvh/vixSeries';
import { spxChain, vixChain } from '../engine/alvh/synthetic';
import { FIXTURES_DIR } from './shared';

/** When the scene's quotes were taken (11:00 New York). */
export const SCENE_AS_OF = '2026-03-16T15:00:00Z';

/** The scene's SPX chain: 161 strikes 10 points apart per expiry unless told otherwise (the bench: 500 × 5). */
export function sceneSpxChain(
  grid: { strikesPerExpiry: number; step: number } = { strikesPerExpiry: 161, step: 10 },
): Chain {
  return spxChain({
    spot: 6600,
    asOf: SCENE_AS_OF,
    expiries: ['2026-03-20', '2026-03-27', '2026-04-02', '2026-04-17', '2026-05-15'],
    strikesPerExpiry: grid.strikesPerExpiry,
    step: grid.step,
    atmVol: 0.26,
  });
}

/** The scene's VIX option chain (March, April and May 2026). */
export function sceneVixChain(): Chain {
  return vixChain({
    asOf: SCENE_AS_OF,
    months: [
      { year: 2026, month: 3, future: 27, atmVol: 1.1 },
      { year: 2026, month: 4, future: 25, atmVol: 0.95 },
      { year: 2026, month: 5, future: 23.5, atmVol: 0.85 },
    ],
  });
}

/** Every bar of the authored VIX spike history. */
export function authoredSpikeBars(): VixBar[] {
  return parseVixHistory({ text: readFileSync(resolve(FIXTURES_DIR, 'vix', 'authored_spike.csv'), 'utf8') }).bars;
}
