import type { Plugin } from 'vite';

/**
 * webextension-polyfill's CommonJS export is the browser's own `browser` object wherever the browser has one
 * (Firefox; Chromium since 148). The bundler's ES-module interop copies an export's properties onto a new object,
 * and reading the descriptor of each API namespace makes the browser build every binding at once: 1–10 ms at the
 * start of each page, frame and content script (the content script's largest share of a long task on load in
 * `npm run bench -- page`, 3 Dec: 6.7 ms in the `app` getter alone). So where the browser has its own `browser`, the
 * export is a proxy with no properties of its own that reads each namespace from it when asked: the interop copies
 * nothing, and a namespace is built when first used. Where the browser has none, the polyfill's wrapper is exported
 * as before.
 */
export function nativeBrowserExport(): Plugin {
  const FROM = 'module.exports = globalThis.browser;';
  return {
    name: 'hedgelens:native-browser-export',
    enforce: 'pre',
    transform(code, id) {
      if (!/webextension-polyfill[\\/]dist[\\/]browser-polyfill\.js$/.test(id.split('?')[0]!)) return null;
      if (!code.includes(FROM)) this.error(`webextension-polyfill has changed: "${FROM}" is not in ${id}`);
      const TO =
        'module.exports = new Proxy({}, { get: (_, k) => globalThis.browser[k], has: (_, k) => k in globalThis.browser });';
      return { code: code.replace(FROM, TO) };
    },
  };
}
