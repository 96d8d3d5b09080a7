/**
 * Reading saved pages in Node (CLI, tests): happy-dom parses the HTML with scripts and resource loading off.
 * Kept apart from index.ts so happy-dom never enters the content-script bundle.
 */
import { Window } from 'happy-dom';
import { readChain } from './index';
import type { ReadOptions, ReadResult } from './types';

export function parseHtml(
  html: string,
  url = 'https://saved.page.invalid/',
): { document: Document; close: () => void } {
  const window = new Window({
    url,
    settings: {
      disableJavaScriptEvaluation: true,
      disableJavaScriptFileLoading: true,
      disableCSSFileLoading: true,
      disableIframePageLoading: true,
      disableComputedStyleRendering: true,
      navigation: {
        disableMainFrameNavigation: true,
        disableChildFrameNavigation: true,
        disableChildPageNavigation: true,
      },
    },
  });
  const document = window.document as unknown as Document;
  document.write(html);
  return {
    document,
    close: () => {
      void window.happyDOM.close();
    },
  };
}

export function readChainFromHtml(html: string, opts: ReadOptions = {}): ReadResult {
  const { document, close } = parseHtml(html, opts.url);
  try {
    return readChain(document, { ...opts, title: opts.title ?? document.title });
  } finally {
    close();
  }
}
