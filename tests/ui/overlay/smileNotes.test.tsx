// @vitest-environment happy-dom
/**
 * The overlay says what the condor's smile rests on when it is not a fit to every quote: a real page (Yahoo
 * Finance, TSLA's week to 9 Oct 2020, tests/fixtures/yahoo2020, MIT) lists pre-split strikes whose vols no smile
 * can take and far quotes no smile passes through with the near ones. A clean chain shows no such note.
 */
import { readFileSync } from 'node:fs';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import type { Remote } from 'comlink';
import { afterEach, describe, expect, it } from 'vitest';
import { readChainFromHtml } from '../../../src/brokers/node';
import { createSession } from '../../../src/engine/session';
import { OverlayApp } from '../../../src/ui/OverlayApp';
import type { ChainMeta, EngineApi, EngineState } from '../../../src/worker/engine';
import { meta, syntheticChain } from '../../helpers/workerChain';

let host: HTMLElement | null = null;
afterEach(() => {
  if (host) render(null, host);
  host?.remove();
  host = null;
});

/** The overlay showing one state, as the engine publishes it. */
async function shown(state: EngineState): Promise<HTMLElement> {
  let listener: ((s: EngineState) => void) | null = null;
  const engine = {
    subscribe: async (l: (s: EngineState) => void) => {
      listener = l;
      return () => undefined;
    },
  } as unknown as Remote<EngineApi>;
  host = document.createElement('div');
  document.body.append(host);
  await act(async () => render(<OverlayApp engine={engine} problem={null} />, host!));
  for (let i = 0; i < 50 && !listener; i++) await act(async () => void (await Promise.resolve()));
  await act(async () => listener!(state));
  return host;
}

describe('the overlay’s note on the smile', () => {
  it('on the real TSLA page: the quotes left out, said beside the condor', async () => {
    const read = readChainFromHtml(
      readFileSync('tests/fixtures/yahoo2020/yahoo_options_TSLA_2020-10_yfs.html', 'utf8'),
    );
    if (!read.ok) throw new Error('the TSLA page was not read');
    const session = createSession<ChainMeta>();
    session.setChain(read.chain, meta);
    session.setNow(new Date('2020-10-02T20:00:00Z'));
    const state = session.recompute({ firstLook: true });
    if (state.status !== 'ready') throw new Error(`not ready: ${state.status}`);
    const el = await shown(state);
    const notes = [...el.querySelectorAll('[data-testid="smile-notes"] p')].map((p) => p.textContent);
    expect(notes).toEqual([
      '20 quote(s) of 2020-10-09 left out of its smile: implied vols beyond what any arbitrage-free smile allows (a stale price or a contract adjusted for a split, say).',
      'The smile of 2020-10-09 is fitted on the 88 quotes nearest the money: no smile passes through them and the 14 farther ones together.',
    ]);
    expect(el.querySelector('[data-testid="condor-legs"]')?.textContent).toMatch(/372\.5/);
  });

  it('on a clean chain: none', async () => {
    const session = createSession<ChainMeta>();
    session.setChain(syntheticChain(), meta);
    const state = session.recompute({ firstLook: true });
    const el = await shown(state);
    expect(el.querySelector('[data-testid="condor-legs"]')).not.toBeNull();
    expect(el.querySelector('[data-testid="smile-notes"]')).toBeNull();
  });
});
