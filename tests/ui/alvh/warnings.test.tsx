// @vitest-environment happy-dom
/**
 * The plan's warnings are shown where the plan is drawn (overlay panel) and reach the popup's glance (page view):
 * the VIX typed against the chain's own 30-day index, on the real SPY 25 Sep 2025 chain. Plain text, never markup.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { importChainText } from '../../../src/chain/importers/index';
import type { HedgePlan } from '../../../src/engine/alvh/plan';
import { defaultRulebook } from '../../../src/engine/alvh/rulebook';
import { computeSession } from '../../../src/engine/session/compute';
import { pageViewOf } from '../../../src/engine/session/pageView';
import { DEFAULT_CURVE, defaultAlvhInputs, type ReadyState } from '../../../src/engine/session/state';
import { AlvhPanel } from '../../../src/ui/alvh/AlvhPanel';
import { FIXTURES_DIR } from '../../helpers/shared';

function spyState(vix: number): ReadyState {
  const r = importChainText({
    text: readFileSync(resolve(FIXTURES_DIR, 'cboe/cboe_spy_quotedata_2025-09-25.csv'), 'utf8'),
    fileName: 'spy.csv',
  });
  if (!r.ok) throw new Error(r.reason);
  const s = computeSession(
    {
      chain: r.chain,
      meta: {},
      position: { kind: 'suggested' },
      expiry: null,
      hedges: [],
      alvh: defaultAlvhInputs(defaultRulebook()),
      manualVix: { level: vix, priorClose: null },
      curve: DEFAULT_CURVE,
      now: null,
    },
    1,
  );
  if (s.status !== 'ready' || !s.plan) throw new Error('no plan');
  return s;
}

let host: HTMLElement | null = null;
function show(plan: HedgePlan): HTMLElement {
  host = document.createElement('div');
  document.body.appendChild(host);
  act(() => render(<AlvhPanel plan={plan} />, host!));
  return host;
}
afterEach(() => {
  if (host) {
    render(null, host);
    host.remove();
    host = null;
  }
});

describe('plan warnings in the plan section', () => {
  it('VIX 28 on a chain whose own index is 16.4: a visible warning line naming both', () => {
    const s = spyState(28);
    expect(s.plan!.warnings).toHaveLength(1);
    const el = show(s.plan!);
    const box = el.querySelector('[data-testid=alvh-warnings]');
    expect(box?.getAttribute('role')).toBe('alert');
    expect(box?.textContent).toMatch(
      /^Warning: VIX 28\.00 \(typed\) disagrees with this chain's own 30-day index 16\.4 \(two expiries, 29 and 36 days\)/,
    );
    // The popup's glance carries the same warnings.
    expect(pageViewOf(s).position?.warnings).toEqual(s.plan!.warnings);
  });

  it('no warning line when the VIX agrees', () => {
    const s = spyState(16.74);
    expect(s.plan!.warnings).toEqual([]);
    expect(show(s.plan!).querySelector('[data-testid=alvh-warnings]')).toBeNull();
    expect(pageViewOf(s).position?.warnings).toEqual([]);
  });

  it('a warning is text, never markup', () => {
    const plan = { ...spyState(16.74).plan!, warnings: ['<img src=x onerror="alert(1)"><b>bold</b>'] };
    const el = show(plan);
    const box = el.querySelector('[data-testid=alvh-warnings]')!;
    expect(box.querySelector('img, b')).toBeNull();
    expect(box.textContent).toBe('Warning: <img src=x onerror="alert(1)"><b>bold</b>');
  });
});
