/** Rendering Preact into happy-dom for the options-page tests: mount, wait for text, type, pick a file. */
import { render, type ComponentChild } from 'preact';
import { act } from 'preact/test-utils';

export function mount(vnode: ComponentChild): { root: HTMLElement; unmount: () => void } {
  const root = document.createElement('div');
  document.body.append(root);
  act(() => render(vnode, root));
  return {
    root,
    unmount: () => {
      act(() => render(null, root));
      root.remove();
    },
  };
}

/** Polls until `check` stops throwing (storage and file reads are asynchronous). */
export async function waitFor<T>(check: () => T, timeoutMs = 3000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      return check();
    } catch (err) {
      if (Date.now() > until) throw err;
      await act(() => new Promise((ok) => setTimeout(ok, 5)));
    }
  }
}

export function byId<T extends HTMLElement = HTMLElement>(root: ParentNode, id: string): T {
  const el = root.querySelector<T>(`#${id}`);
  if (!el) throw new Error(`#${id} not found`);
  return el;
}

export function byTestId(root: ParentNode, id: string): HTMLElement {
  const el = root.querySelector<HTMLElement>(`[data-testid="${id}"]`);
  if (!el) throw new Error(`[data-testid=${id}] not found`);
  return el;
}

/** The button whose accessible name (aria-label, else text) is `name`. */
export function button(root: ParentNode, name: string | RegExp): HTMLButtonElement {
  const all = Array.from(root.querySelectorAll('button'));
  const b = all.find((x) => {
    const n = (x.getAttribute('aria-label') ?? x.textContent ?? '').trim();
    return typeof name === 'string' ? n === name : name.test(n);
  });
  if (!b) throw new Error(`no button named ${String(name)} among: ${all.map((x) => x.textContent).join(' | ')}`);
  return b;
}

export async function type(el: HTMLInputElement | HTMLTextAreaElement, value: string): Promise<void> {
  await act(() => {
    el.value = value;
    el.dispatchEvent(new Event('input', { bubbles: true }));
  });
}

export async function click(el: HTMLElement): Promise<void> {
  await act(() => el.click());
}

export async function submit(form: HTMLFormElement): Promise<void> {
  await act(() => {
    form.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
  });
}

export async function pickFile(input: HTMLInputElement, file: File): Promise<void> {
  Object.defineProperty(input, 'files', { value: [file], configurable: true });
  await act(() => {
    input.dispatchEvent(new Event('change', { bubbles: true }));
  });
}

/** Every form control has a label (label[for], aria-label or aria-labelledby) and every button a name. */
export function unlabelled(root: ParentNode): string[] {
  const bad: string[] = [];
  for (const el of Array.from(root.querySelectorAll('input, textarea, select, progress'))) {
    const id = el.getAttribute('id');
    const labelled =
      (el.getAttribute('aria-label') ?? '').trim() !== '' ||
      (el.getAttribute('aria-labelledby') ?? '')
        .split(/\s+/)
        .filter(Boolean)
        .some((ref) => (root.querySelector(`#${ref}`)?.textContent ?? '').trim() !== '') ||
      (id !== null && root.querySelector(`label[for="${id}"]`) !== null) ||
      el.closest('label') !== null;
    if (!labelled) bad.push(`${el.tagName.toLowerCase()}#${id ?? '?'}`);
  }
  for (const b of Array.from(root.querySelectorAll('button'))) {
    if ((b.getAttribute('aria-label') ?? b.textContent ?? '').trim() === '')
      bad.push(`button#${b.id || '?'} (no name)`);
  }
  return bad;
}
