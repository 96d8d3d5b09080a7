/**
 * The overlay's dock on the broker page: a custom element with a closed shadow root holding one iframe of
 * our extension page and a drag handle above it. Only this empty shell lives in the page's DOM; every number is
 * inside the cross-origin frame, out of the page scripts' reach. The handle moves the dock (pointer or arrow keys)
 * and its place is kept per site (src/storage/dockPlace.ts).
 */
import { dockPlaceStore, type DockPlace, type DockPlaceStore } from '../storage/dockPlace';

export interface Dock {
  host: HTMLElement;
  iframe: HTMLIFrameElement;
  setVisible(visible: boolean): void;
  /** Collapsed: only the frame's header row shows. */
  setCollapsed(collapsed: boolean): void;
  isVisible(): boolean;
  /** Where the dock is: pixels from the viewport's right and bottom edges. */
  place(): DockPlace;
  remove(): void;
}

export const DEFAULT_PLACE: DockPlace = { right: 16, bottom: 16 };
/** Arrow keys move the dock this far (Shift: the larger step). */
export const KEY_STEP = 10;
export const KEY_STEP_LARGE = 50;
const HANDLE_PX = 14;

/** Keeps the whole dock on screen: 0 ≤ right ≤ viewport width − dock width, the same for bottom. */
export function clampPlace(
  p: DockPlace,
  viewport: { width: number; height: number },
  size: { width: number; height: number },
): DockPlace {
  const clamp = (x: number, max: number) => Math.round(Math.min(Math.max(x, 0), Math.max(max, 0)));
  return { right: clamp(p.right, viewport.width - size.width), bottom: clamp(p.bottom, viewport.height - size.height) };
}

/** 'dark' when the page's own background is dark (so the overlay matches the broker's theme), else 'light'. */
export function pageTheme(doc: Document): 'dark' | 'light' {
  const view = doc.defaultView;
  if (!view) return 'light';
  for (const el of [doc.body, doc.documentElement]) {
    if (!el) continue;
    const m = /rgba?\((\d+),\s*(\d+),\s*(\d+)(?:,\s*([\d.]+))?\)/.exec(view.getComputedStyle(el).backgroundColor);
    if (!m || (m[4] !== undefined && Number(m[4]) < 0.5)) continue; // transparent: look further out
    // Relative luminance (WCAG 2.x, sRGB).
    const lin = (c: number) => ((c /= 255) <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
    const L = 0.2126 * lin(Number(m[1])) + 0.7152 * lin(Number(m[2])) + 0.0722 * lin(Number(m[3]));
    return L < 0.2 ? 'dark' : 'light';
  }
  return 'light';
}

export function createDock(doc: Document, src: string, store: DockPlaceStore = dockPlaceStore): Dock {
  const view = doc.defaultView;
  const site = view?.location.host || 'local';
  const host = doc.createElement('hedgelens-dock');
  host.setAttribute('data-hedgelens', 'dock');
  const shadow = host.attachShadow({ mode: 'closed' });
  const style = doc.createElement('style');
  style.textContent = `
    :host { all: initial; position: fixed; z-index: 2147483646; right: 16px; bottom: 16px;
            width: 380px; height: min(${820 + HANDLE_PX}px, calc(100vh - 32px)); display: flex;
            flex-direction: column; }
    :host([hidden]) { display: none; }
    :host([data-collapsed]) { height: ${42 + HANDLE_PX}px; }
    .handle { all: unset; box-sizing: border-box; flex: 0 0 ${HANDLE_PX}px; width: 100%; cursor: grab;
              touch-action: none; display: flex; align-items: center; justify-content: center; }
    .handle::before { content: ''; width: 44px; height: 4px; border-radius: 2px; background: rgba(120,120,120,.6); }
    .handle:hover::before { background: rgba(120,120,120,.9); }
    .handle:focus-visible { outline: 2px solid #2f6fed; outline-offset: -2px; border-radius: 6px; }
    :host([data-dragging]) .handle { cursor: grabbing; }
    iframe { flex: 1 1 auto; min-height: 0; width: 100%; border: 0; border-radius: 10px; color-scheme: normal;
             box-shadow: 0 8px 28px rgba(0,0,0,.28), 0 0 0 1px rgba(0,0,0,.08); background: transparent; }
    :host([data-dragging]) iframe { pointer-events: none; }
  `;
  const handle = doc.createElement('button');
  handle.type = 'button';
  handle.className = 'handle';
  handle.setAttribute('aria-label', 'Move the HedgeLens overlay');
  handle.title = 'Drag to move · arrow keys move it too';
  const iframe = doc.createElement('iframe');
  iframe.src = src;
  iframe.title = 'HedgeLens';
  iframe.setAttribute('allowtransparency', 'true');
  shadow.append(style, handle, iframe);
  (doc.body ?? doc.documentElement).append(host);

  let place: DockPlace = { ...DEFAULT_PLACE };
  let moved = false; // the trader moved it before the stored place arrived: theirs wins
  const fit = (p: DockPlace): DockPlace => {
    const r = host.getBoundingClientRect();
    const width = r.width || 380;
    const height = r.height || 42 + HANDLE_PX;
    return clampPlace(p, { width: view?.innerWidth ?? width, height: view?.innerHeight ?? height }, { width, height });
  };
  // `wanted` is where the trader put it; `place` where it is shown (pulled on screen when the window shrinks or
  // the dock expands near an edge, without forgetting the wanted place).
  let wanted: DockPlace = place;
  const apply = (p: DockPlace, remember = true) => {
    place = fit(p);
    if (remember) wanted = place;
    host.style.setProperty('right', `${place.right}px`);
    host.style.setProperty('bottom', `${place.bottom}px`);
  };
  const save = () => {
    void store.set(site, place).catch(() => undefined);
  };

  void store
    .get(site)
    .then((stored) => {
      if (stored && !moved) apply(stored);
    })
    .catch(() => undefined);

  let drag: { id: number; x: number; y: number; from: DockPlace } | null = null;
  handle.addEventListener('pointerdown', (e: PointerEvent) => {
    if (e.button !== 0) return;
    e.preventDefault();
    handle.focus();
    drag = { id: e.pointerId, x: e.clientX, y: e.clientY, from: place };
    try {
      handle.setPointerCapture(e.pointerId);
    } catch {
      /* a synthetic pointer cannot be captured: moves still arrive while over the handle */
    }
    host.setAttribute('data-dragging', '');
  });
  handle.addEventListener('pointermove', (e: PointerEvent) => {
    if (!drag || e.pointerId !== drag.id) return;
    moved = true;
    apply({ right: drag.from.right - (e.clientX - drag.x), bottom: drag.from.bottom - (e.clientY - drag.y) });
  });
  const end = (e: PointerEvent) => {
    if (!drag || e.pointerId !== drag.id) return;
    drag = null;
    host.removeAttribute('data-dragging');
    save();
  };
  handle.addEventListener('pointerup', end);
  handle.addEventListener('pointercancel', end);
  handle.addEventListener('keydown', (e: KeyboardEvent) => {
    const step = e.shiftKey ? KEY_STEP_LARGE : KEY_STEP;
    const d: Record<string, [number, number]> = {
      ArrowLeft: [step, 0],
      ArrowRight: [-step, 0],
      ArrowUp: [0, step],
      ArrowDown: [0, -step],
    };
    const by = d[e.key];
    if (!by) return;
    e.preventDefault();
    e.stopPropagation();
    moved = true;
    apply({ right: place.right + by[0], bottom: place.bottom + by[1] });
    save();
  });
  const onResize = () => apply(wanted, false);
  view?.addEventListener('resize', onResize);

  return {
    host,
    iframe,
    setVisible(visible) {
      host.hidden = !visible;
      if (visible) apply(wanted, false);
    },
    setCollapsed(collapsed) {
      host.toggleAttribute('data-collapsed', collapsed);
      apply(wanted, false); // expanding near the top edge: pull it back on screen
    },
    isVisible() {
      return !host.hidden;
    },
    place() {
      return { ...place };
    },
    remove() {
      view?.removeEventListener('resize', onResize);
      host.remove();
    },
  };
}
