/**
 * The overlay's dock on the broker page: a custom element with a closed shadow root holding one iframe of
 * our extension page. Only this empty shell lives in the page's DOM; every number is inside the
 * cross-origin frame, out of the page scripts' reach.
 */
export interface Dock {
  host: HTMLElement;
  iframe: HTMLIFrameElement;
  setVisible(visible: boolean): void;
  /** Collapsed: only the frame's header row shows. */
  setCollapsed(collapsed: boolean): void;
  isVisible(): boolean;
  remove(): void;
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

export function createDock(doc: Document, src: string): Dock {
  const host = doc.createElement('hedgelens-dock');
  host.setAttribute('data-hedgelens', 'dock');
  const shadow = host.attachShadow({ mode: 'closed' });
  const style = doc.createElement('style');
  style.textContent = `
    :host { all: initial; position: fixed; z-index: 2147483646; right: 16px; bottom: 16px;
            width: 380px; height: min(820px, calc(100vh - 32px)); display: block; }
    :host([hidden]) { display: none; }
    :host([data-collapsed]) { height: 42px; }
    iframe { width: 100%; height: 100%; border: 0; border-radius: 10px; color-scheme: normal;
             box-shadow: 0 8px 28px rgba(0,0,0,.28), 0 0 0 1px rgba(0,0,0,.08); background: transparent; }
  `;
  const iframe = doc.createElement('iframe');
  iframe.src = src;
  iframe.title = 'HedgeLens';
  iframe.setAttribute('allowtransparency', 'true');
  shadow.append(style, iframe);
  (doc.body ?? doc.documentElement).append(host);
  return {
    host,
    iframe,
    setVisible(visible) {
      host.hidden = !visible;
    },
    setCollapsed(collapsed) {
      host.toggleAttribute('data-collapsed', collapsed);
    },
    isVisible() {
      return !host.hidden;
    },
    remove() {
      host.remove();
    },
  };
}
