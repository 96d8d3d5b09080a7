/** Small DOM helpers for rendering the snapshots page into happy-dom. */
import { h, render, type ComponentChild } from 'preact';

export function mount(node: ComponentChild): { root: HTMLElement; unmount: () => void } {
  const root = document.createElement('div');
  document.body.append(root);
  render(node, root);
  return {
    root,
    unmount: () => {
      render(null, root);
      root.remove();
    },
  };
}

export { h };

/** Polls until `fn` returns a truthy value (or throws its last error after `timeoutMs`). */
export async function waitFor<T>(fn: () => T | null | undefined | false, timeoutMs = 3000): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: unknown = null;
  for (;;) {
    try {
      const v = fn();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > end) throw last instanceof Error ? last : new Error('waitFor: timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

export const $ = <E extends Element = HTMLElement>(root: ParentNode, sel: string): E | null =>
  root.querySelector<E>(sel);
export const $$ = <E extends Element = HTMLElement>(root: ParentNode, sel: string): E[] => [
  ...root.querySelectorAll<E>(sel),
];

/** The button whose accessible name (aria-label, else text) matches. */
export function button(root: ParentNode, name: string | RegExp): HTMLButtonElement | null {
  return (
    $$<HTMLButtonElement>(root, 'button').find((b) => {
      const n = (b.getAttribute('aria-label') ?? b.textContent ?? '').trim();
      return typeof name === 'string' ? n === name : name.test(n);
    }) ?? null
  );
}

export function setValue(el: HTMLInputElement | HTMLSelectElement, value: string, event: 'input' | 'change'): void {
  el.value = value;
  el.dispatchEvent(new Event(event, { bubbles: true }));
}

export const rowIds = (root: ParentNode): string[] =>
  $$(root, '[data-testid="snapshot-row"]').map((r) => r.getAttribute('data-id') ?? '');
