// @vitest-environment happy-dom
/**
 * The overlay's Save button while a save is in flight: it says so, a second press does nothing, and the status line
 * tells the trader the snapshot is being written (the frame joins saves from the popup and the shortcut to it).
 */
import { render } from 'preact';
import { act } from 'preact/test-utils';
import type { Remote } from 'comlink';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { OverlayApp } from '../../../src/ui/OverlayApp';
import type { SaveReply } from '../../../src/messages';
import type { EngineApi } from '../../../src/worker/engine';
import { spyEngine } from '../snapshots/fixtures';

let engine: EngineApi;
beforeAll(async () => {
  engine = await spyEngine();
});

let host: HTMLElement | null = null;
afterEach(() => {
  if (host) render(null, host);
  host?.remove();
  host = null;
});

async function mount(saving: { busy: boolean; saved: SaveReply | null; presses: string[] }): Promise<HTMLElement> {
  host = document.createElement('div');
  document.body.append(host);
  await act(async () => {
    render(
      <OverlayApp
        engine={engine as unknown as Remote<EngineApi>}
        problem={null}
        saving={{ onSave: () => saving.presses.push('save'), saved: saving.saved, busy: saving.busy }}
      />,
      host!,
    );
  });
  // The engine's first state arrives through subscribe (a promise): wait for the Save button it brings.
  for (let i = 0; i < 50 && !host.querySelector('button[aria-label="Save snapshot"]'); i++) {
    await act(async () => {
      await Promise.resolve();
    });
  }
  return host;
}

const saveButton = (el: HTMLElement) => el.querySelector<HTMLButtonElement>('button[aria-label="Save snapshot"]')!;

describe('the overlay Save button', () => {
  it('in flight: reads Saving…, is marked disabled, ignores a second press, and the status line says so', async () => {
    const presses: string[] = [];
    const el = await mount({ busy: true, saved: { ok: true, id: 'x', label: 'SPY old', warning: null }, presses });
    const button = saveButton(el);
    expect(button.textContent).toBe('Saving…');
    expect(button.getAttribute('aria-disabled')).toBe('true');
    await act(async () => button.click());
    expect(presses).toEqual([]);
    expect(el.querySelector('[data-testid="save-busy"]')?.textContent).toBe('Saving the snapshot…');
    // The previous result is not shown while the new save runs.
    expect(el.querySelector('[data-testid="save-result"]')).toBeNull();
  });

  it('idle: reads Save, a press saves, and the last result is shown', async () => {
    const presses: string[] = [];
    const el = await mount({
      busy: false,
      saved: { ok: true, id: 'x', label: 'SPY 2025-10-24', warning: null },
      presses,
    });
    const button = saveButton(el);
    expect(button.textContent).toBe('Save');
    expect(button.hasAttribute('aria-disabled')).toBe(false);
    await act(async () => button.click());
    expect(presses).toEqual(['save']);
    expect(el.querySelector('[data-testid="save-result"]')?.textContent).toBe('Saved snapshot: SPY 2025-10-24.');
    expect(el.querySelector('[data-testid="save-busy"]')).toBeNull();
  });
});
