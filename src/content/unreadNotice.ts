/**
 * "Never silent": a page that clearly holds a chain-like table the reader could not read (ReadResult.chainLike)
 * gets one quiet line at the bottom of the viewport, with two actions: *Teach this page* (teach mode) and
 * *Report this page* (an anonymised copy of the page, src/brokers/report.ts, shown to the trader before it is
 * saved as a download). A closed shadow root holds it; page text reaches it only as textContent, and the report
 * is shown as text in a <pre>, never parsed as HTML here. No network: the file is saved from a blob URL.
 */
import { reportPage, type PageReport } from '../brokers/report';

export interface UnreadNoticeOptions {
  doc: Document;
  /** The reader's one-line reason ("no option chain found: …"). */
  reason: string;
  /** Starts teach mode (main.ts's teach()). */
  onTeach: () => void;
  /** Ends the notice with its owner (the content script's context). */
  signal?: AbortSignal;
  /** Builds the report; reportPage(doc) by default (tests inject a seeded one). */
  buildReport?: () => PageReport;
  /** Saves the file; a download from a blob URL by default. */
  save?: (html: string, fileName: string) => void;
  /** Opens the report's preview at once (the trader asked for it from the popup). */
  openReport?: boolean;
}

const CSS = `
:host { all: initial; }
.line { position: fixed; left: 12px; bottom: 12px; z-index: 2147483646; max-width: min(640px, calc(100vw - 24px));
  font: 13px/1.4 system-ui, sans-serif; color: #1d2430; background: #f4f6f9; border: 1px solid #c8d0db;
  border-radius: 6px; padding: 6px 8px; display: flex; gap: 8px; align-items: center; box-shadow: 0 1px 4px #0002; }
.line span { flex: 1; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
button { font: inherit; border: 1px solid #9aa7b8; background: #fff; border-radius: 4px; padding: 2px 8px; cursor: pointer; }
button:focus-visible { outline: 2px solid #2563eb; }
.preview { position: fixed; inset: 8vh 8vw; z-index: 2147483647; background: #fff; border: 1px solid #9aa7b8;
  border-radius: 6px; display: flex; flex-direction: column; font: 13px/1.4 system-ui, sans-serif; color: #1d2430; }
.preview p { margin: 8px 12px; }
.preview pre { flex: 1; margin: 0 12px; overflow: auto; background: #f4f6f9; padding: 8px; font: 11px/1.35 ui-monospace, monospace;
  white-space: pre-wrap; word-break: break-all; }
.preview .actions { display: flex; gap: 8px; justify-content: flex-end; padding: 8px 12px; }
`;

function downloadFile(doc: Document, html: string, fileName: string, parent: ShadowRoot): void {
  const view = doc.defaultView;
  if (!view) return;
  const url = view.URL.createObjectURL(new view.Blob([html], { type: 'text/html' }));
  const a = doc.createElement('a');
  a.href = url;
  a.download = fileName;
  parent.appendChild(a);
  a.click();
  a.remove();
  // The download has its own copy once started; the URL is not needed after this task.
  view.setTimeout(() => view.URL.revokeObjectURL(url), 0);
}

function reportName(doc: Document): string {
  const host = (doc.location?.hostname ?? 'page').replace(/[^a-z0-9.-]/gi, '_') || 'page';
  const day = new Date().toISOString().slice(0, 10);
  return `hedgelens-report-${host}-${day}.html`;
}

/** Shows the notice; returns its teardown (also run when `signal` aborts). */
export function initUnreadNotice(opts: UnreadNoticeOptions): () => void {
  const { doc } = opts;
  const host = doc.createElement('hedgelens-notice');
  const shadow = host.attachShadow({ mode: 'closed' });
  const style = doc.createElement('style');
  style.textContent = CSS;
  shadow.appendChild(style);

  const el = <K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, parent: Node = shadow) => {
    const e = doc.createElement(tag);
    if (text !== undefined) e.textContent = text;
    parent.appendChild(e);
    return e;
  };
  const line = el('div');
  line.className = 'line';
  line.setAttribute('role', 'status');
  const msg = el('span', 'HedgeLens sees an option chain it could not read.', line);
  msg.title = opts.reason;
  const teachBtn = el('button', 'Teach this page', line);
  const reportBtn = el('button', 'Report this page', line);
  const closeBtn = el('button', '×', line);
  closeBtn.setAttribute('aria-label', 'Dismiss');

  let preview: HTMLElement | null = null;
  const closePreview = () => {
    preview?.remove();
    preview = null;
  };
  const teardown = () => {
    closePreview();
    host.remove();
  };

  teachBtn.addEventListener('click', () => {
    teardown();
    opts.onTeach();
  });
  closeBtn.addEventListener('click', teardown);
  const showReport = () => {
    if (preview) return;
    // Built when asked for, from the page as it is now.
    const report = (opts.buildReport ?? (() => reportPage(doc)))();
    preview = el('div');
    preview.className = 'preview';
    preview.setAttribute('role', 'dialog');
    preview.setAttribute('aria-label', 'Report this page');
    const c = report.counts;
    el(
      'p',
      `This file is the page's structure with its content replaced: ${c.numbers} numbers, ${c.dates} dates and ` +
        `${c.words} words changed, ${c.links} links emptied, ${c.dropped} scripts, styles and images removed. ` +
        'Column headers are kept. Read it below before saving.',
      preview,
    );
    el('pre', report.html, preview);
    const actions = el('div', undefined, preview);
    actions.className = 'actions';
    const cancel = el('button', 'Cancel', actions);
    const save = el('button', 'Save report', actions);
    cancel.addEventListener('click', closePreview);
    save.addEventListener('click', () => {
      const name = reportName(doc);
      if (opts.save) opts.save(report.html, name);
      else downloadFile(doc, report.html, name, shadow);
      closePreview();
    });
    save.focus();
  };
  reportBtn.addEventListener('click', showReport);

  (doc.body ?? doc.documentElement).appendChild(host);
  if (opts.openReport) showReport();
  opts.signal?.addEventListener('abort', teardown, { once: true });
  return teardown;
}
