// @vitest-environment happy-dom
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { importChainText } from '../../../src/chain/importers/index';
import { analyzeChain } from '../../../src/engine/analyze';
import { parseCondorText } from '../../../src/engine/builders';
import { valuationTime } from '../../../src/engine/time';
import type { ChainAnalysis } from '../../../src/engine/types';
import {
  condorExample,
  GENERIC_PLACEHOLDER,
  PositionEntry,
  type ExampleSource,
} from '../../../src/ui/overlay/PositionEntry';
import { FIXTURES_DIR } from '../../helpers/shared';

function analysed(rel: string): ChainAnalysis {
  const r = importChainText({ text: readFileSync(resolve(FIXTURES_DIR, rel), 'utf8'), fileName: rel });
  if (!r.ok) throw new Error(r.reason);
  return analyzeChain({ chain: r.chain, now: valuationTime(new Date(r.chain.asOf!)).at });
}

/** What the overlay hands the box (OverlayApp): the condor shown, the chosen expiry's strikes, the price. */
function sourceOf(a: ChainAnalysis, withCondor = true): ExampleSource {
  return {
    condor: withCondor ? a.condor : null,
    strikes: a.chosenExpiry === null ? [] : a.expiries[a.chosenExpiry]!.strikes.map((s) => s.strike),
    price: a.spot,
  };
}

let host: HTMLElement | null = null;
afterEach(() => {
  if (host) render(null, host);
  host?.remove();
  host = null;
});

function placeholderOn(example: ExampleSource | null): string {
  host = document.createElement('div');
  document.body.append(host);
  act(() => {
    render(
      <PositionEntry position={{ kind: 'suggested' }} error={null} example={example} onSubmit={() => undefined} />,
      host!,
    );
  });
  return host.querySelector<HTMLInputElement>('input[name="condor-text"]')!.placeholder;
}

describe('the condor box example fits the chain on screen', () => {
  const spy = analysed('cboe/cboe_spy_quotedata_2025-09-25.csv');

  it('on the SPY page: the suggested condor (SPY strikes near 658), not an SPX example', () => {
    const text = placeholderOn(sourceOf(spy));
    expect(text).not.toContain('6400');
    const [k1, k2, k3, k4] = spy.condor!.strikes;
    expect(text).toBe(`${k1}/${k2}/${k3}/${k4} x1 @ ${spy.condor!.creditUsed.toFixed(2)}`);
    // The example is itself a condor the box accepts on this chain.
    const rows = spy.condor!.strikes.map((strike) => ({ strike, call: null, put: null }));
    expect(parseCondorText({ text, rows }).ok).toBe(true);
  });

  it('without a condor: four listed strikes around the price, shorts either side of it', () => {
    const src = sourceOf(spy, false);
    const text = condorExample(src)!;
    const ks = text.replace(/ x1$/, '').split('/').map(Number);
    expect(ks).toHaveLength(4);
    for (const k of ks) expect(src.strikes).toContain(k);
    expect(ks[1]!).toBeLessThan(spy.spot!);
    expect(ks[2]!).toBeGreaterThan(spy.spot!);
    expect(ks[0]!).toBeLessThan(ks[1]!);
    expect(ks[3]!).toBeGreaterThan(ks[2]!);
    expect(parseCondorText({ text }).ok).toBe(true);
  });

  it('on the 2026 SPX page (18 strikes near 6,632, no condor fits): SPX strikes from that ladder', () => {
    const spx = analysed('cboe/cboe_spx_quotedata_2026-03-14.csv');
    const text = placeholderOn(sourceOf(spx, false));
    const ks = text.replace(/ x1$/, '').split('/').map(Number);
    for (const k of ks) expect(k).toBeGreaterThanOrEqual(6590);
    for (const k of ks) expect(k).toBeLessThanOrEqual(6675);
  });

  it('with nothing to draw from: the format, no numbers from another underlying', () => {
    expect(placeholderOn(null)).toBe(GENERIC_PLACEHOLDER);
    expect(condorExample({ condor: null, strikes: [100, 105], price: 102 })).toBeNull();
    expect(condorExample({ condor: null, strikes: [], price: null })).toBeNull();
  });
});

describe('Set takes what the box holds', () => {
  /** The box holding `value` set directly (no input event), Set pressed: what was submitted. */
  function submitWith(value: string): unknown[] {
    host = document.createElement('div');
    document.body.append(host);
    const submitted: unknown[] = [];
    act(() => {
      render(
        <PositionEntry position={{ kind: 'suggested' }} error={null} onSubmit={(p) => submitted.push(p)} />,
        host!,
      );
    });
    const box = host.querySelector<HTMLInputElement>('input[name="condor-text"]')!;
    box.value = value;
    act(() => {
      box.form!.requestSubmit();
    });
    return submitted;
  }

  it('a value the box got without an input event (autofill, a paste a render missed) is the one submitted', () => {
    expect(submitWith('6400/6450/6550/6600 x7 @ 7.77')).toEqual([
      { kind: 'text', text: '6400/6450/6550/6600 x7 @ 7.77' },
    ]);
  });

  it('an empty box submits nothing', () => {
    expect(submitWith('   ')).toEqual([]);
  });
});
