/**
 * Layer One declined (PlanInput.layerOneDeclined): a trader or a backtest strategy that goes to VIX calls or the
 * Second Engine first. Layer One's tickets stay listed for reference and none is placed; the Second Engine is sized
 * on the condor alone, not on what a Layer One hedge nobody holds would leave.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { importChainText } from '../../src/chain/importers/index';
import { FIXTURES_DIR } from '../helpers/shared';
import { createEngine } from '../../src/worker/engine';
import { meta, ready, syntheticChain } from '../helpers/workerChain';

async function planAt28(declined: boolean) {
  const engine = createEngine(undefined, () => new Date('2026-03-18T19:00:00Z'));
  await engine.setChain(syntheticChain({ weekly: true }), meta);
  await engine.setPosition({ kind: 'text', text: '6400/6450/6800/6850 @ 4.10' });
  if (declined) await engine.setAlvhInputs({ layerOneDeclined: true });
  return ready(await engine.setManualVix(28, 16.18)).plan!;
}

describe('Layer One declined', () => {
  test('its tickets stay listed but none is placed; the plan has no Layer One step', async () => {
    const taken = await planAt28(false);
    const declined = await planAt28(true);
    expect(taken.stage).toBe('layer-one');
    expect(declined.stage).toBe('layer-one');
    const l1 = (p: typeof taken) => p.tickets.filter((t) => t.layer === 'layer-one');
    expect(l1(taken).some((t) => t.active)).toBe(true);
    expect(taken.combined.steps.some((s) => s.layer === 'layer-one')).toBe(true);
    // The same structures are offered either way, for reference.
    expect(l1(declined).map((t) => t.structure)).toEqual(l1(taken).map((t) => t.structure));
    expect(l1(declined).every((t) => !t.active)).toBe(true);
    for (const t of l1(declined))
      expect(t.why.sentences).toContain(
        'Not placed: Layer One is declined; the Second Engine is sized on the condor alone.',
      );
    expect(declined.combined.steps.some((s) => s.layer === 'layer-one')).toBe(false);
  });

  test('the Second Engine is sized on the unhedged condor, not on what Layer One would leave (20 Mar 2020)', async () => {
    const taken = await crashPlan(false);
    const declined = await crashPlan(true);
    const se = (p: typeof taken) => p.tickets.filter((t) => t.layer === 'second-engine');
    expect(se(declined).length).toBeGreaterThan(0);
    expect(se(taken).length).toBeGreaterThan(0);
    const condorWorst = declined.tickets.find((x) => x.layer === 'layer-one')!.stress.sideWorstBefore;
    for (const t of se(declined)) {
      expect(t.why.sentences.join(' ')).toMatch(/of the unhedged condor/);
      expect(t.stress.sideWorstBefore).toBeCloseTo(condorWorst, 6);
    }
    for (const t of se(taken)) {
      expect(t.why.sentences.join(' ')).toMatch(/left after Layer One/);
      expect(t.stress.sideWorstBefore).toBeLessThan(condorWorst);
    }
  });
});

async function crashPlan(declined: boolean) {
  const read = (rel: string) => {
    const r = importChainText({ text: readFileSync(resolve(FIXTURES_DIR, rel), 'utf8'), fileName: rel });
    if (!r.ok) throw new Error(r.reason);
    return r.chain;
  };
  const spx = read('cboe/cboe_spx_quotedata_2020-03-22_legacy.dat');
  const engine = createEngine(undefined, () => new Date(spx.asOf!));
  await engine.setChain(spx, meta);
  await engine.setExpiry('2020-04-17');
  await engine.setPosition({ kind: 'text', text: '1850/1900/2650/2700 x4' });
  await engine.setAlvhInputs({
    vixChain: read('cboe/vix_quotedata_2020-03-13_authored.dat'),
    ...(declined ? { layerOneDeclined: true } : {}),
  });
  return ready(await engine.setManualVix(66.04, 57.83)).plan!;
}
