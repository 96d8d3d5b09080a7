/**
 * Click-to-build: while picking, a click on a row of the broker's chain picks that row's strike (the click does not
 * reach the broker's own handlers, so no order ticket opens). Four picks make the condor; Escape cancels.
 */
import { MARK_ATTR, clearMarks, ensureMarkStyle } from './marks';
import { rowOf, strikeOfRow } from './rows';

export interface Picker {
  start(): void;
  stop(): void;
  readonly active: boolean;
}

export function createPicker(opts: {
  doc: Document;
  strikes: () => ReadonlySet<number>;
  onProgress: (picked: number[]) => void;
  onDone: (strikes: [number, number, number, number]) => void;
  signal: AbortSignal;
}): Picker {
  const { doc } = opts;
  let picked: number[] = [];
  let active = false;

  const onClick = (event: MouseEvent) => {
    if (!active || !(event.target instanceof Element)) return;
    if (event.target.closest('hedgelens-dock')) return;
    const row = rowOf(event.target);
    const strike = row ? strikeOfRow(row, opts.strikes()) : null;
    if (strike === null || !row) return;
    event.preventDefault();
    event.stopPropagation();
    if (picked.includes(strike)) {
      picked = picked.filter((k) => k !== strike);
      const left = (row.getAttribute(MARK_ATTR) ?? '').split(' ').filter((t) => t && t !== 'pick');
      if (left.length) row.setAttribute(MARK_ATTR, left.join(' '));
      else row.removeAttribute(MARK_ATTR);
    } else {
      picked = [...picked, strike].sort((a, b) => a - b);
      row.setAttribute(MARK_ATTR, `${row.getAttribute(MARK_ATTR) ?? ''} pick`.trim());
    }
    opts.onProgress(picked);
    if (picked.length === 4) {
      const done = picked as [number, number, number, number];
      api.stop();
      opts.onDone(done);
    }
  };
  const onKey = (event: KeyboardEvent) => {
    if (active && event.key === 'Escape') api.stop();
  };

  const api: Picker = {
    start() {
      if (active) return;
      active = true;
      picked = [];
      ensureMarkStyle(doc);
      doc.documentElement.classList.add('hedgelens-picking');
      doc.addEventListener('click', onClick, { capture: true, signal: opts.signal });
      doc.addEventListener('keydown', onKey, { capture: true, signal: opts.signal });
      opts.onProgress(picked);
    },
    stop() {
      if (!active) return;
      active = false;
      doc.documentElement.classList.remove('hedgelens-picking');
      doc.removeEventListener('click', onClick, { capture: true });
      doc.removeEventListener('keydown', onKey, { capture: true });
      clearMarks(doc, ['pick']);
      if (picked.length < 4) opts.onProgress([]);
    },
    get active() {
      return active;
    },
  };
  opts.signal.addEventListener('abort', () => api.stop());
  return api;
}
