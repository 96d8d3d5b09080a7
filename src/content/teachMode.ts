/**
 * Teach mode on the broker's page (issue #4, item 3). When nothing was detected, or the trader says the reading is
 * wrong, they click a strike cell and then the bid cell of the same row; the pure inference (src/brokers/teach.ts)
 * turns the two cells into a profile of the rows and columns, the bar shows what that profile reads, and Save
 * stores it for this site.
 *
 * In the page: one custom element with a closed shadow root (the bar), one stylesheet and a data attribute on the
 * hovered/chosen cells and the rows read (market data, never the position). Clicks on the page are captured before
 * the page's own handlers see them, so no order ticket opens. Every trace goes when the session ends, is cancelled
 * (Escape, Cancel) or the content script's context is invalidated. Page text reaches the bar only as textContent.
 */
import { browser } from 'wxt/browser';
import { readChain } from '../brokers';
import { cellText, priceOf } from '../brokers/cellText';
import type { Side } from '../brokers/headers';
import { inferFromClicks, profileGrid, type TeachResult } from '../brokers/teach';
import type { ReadResult } from '../brokers/types';
import type { TeachProfile } from '../shared/teachProfile';
import type { ToBackground } from '../messages';
import type { ProfileWrite } from '../storage/profiles';
import { pageTheme } from './dock';

/** Marks on the page's cells and rows while teaching: hover, strike, bid, row (space-separated tokens). */
export const TEACH_ATTR = 'data-hedgelens-teach';
export const TEACH_STYLE_ID = 'hedgelens-teach-style';
/** On <html> while teaching (crosshair cursor). */
export const TEACHING_ATTR = 'data-hedgelens-teaching';
export const TEACH_TAG = 'hedgelens-teach';
/** Rows of the preview marked on the page at most (a one-off, but a 20,000-row page need not be touched whole). */
const MAX_ROW_MARKS = 2000;
const SAMPLE_ROWS = 3;

const PAGE_CSS = `
[${TEACH_ATTR}~="hover"] { outline: 2px dashed rgba(31,111,235,.9) !important; outline-offset: -2px !important; }
[${TEACH_ATTR}~="strike"] { outline: 2px solid rgba(31,111,235,.95) !important; outline-offset: -2px !important; }
[${TEACH_ATTR}~="bid"] { outline: 2px solid rgba(26,127,55,.95) !important; outline-offset: -2px !important; }
[${TEACH_ATTR}~="row"] > * { background-image: linear-gradient(rgba(26,127,55,.13), rgba(26,127,55,.13)) !important; }
html[${TEACHING_ATTR}], html[${TEACHING_ATTR}] * { cursor: crosshair !important; }
`;

const BAR_CSS = `
:host { all: initial; position: fixed; z-index: 2147483647; top: 12px; left: 50%; transform: translateX(-50%);
        width: min(560px, calc(100vw - 24px)); display: block; }
.bar { box-sizing: border-box; cursor: default; font: 13px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif;
       background: #fff; color: #1f2328; border: 1px solid rgba(31,35,40,.18); border-radius: 10px;
       box-shadow: 0 8px 28px rgba(0,0,0,.28); padding: 10px 14px 12px; }
:host([data-theme="dark"]) .bar { background: #1c2128; color: #e6edf3; border-color: rgba(240,246,252,.18); }
.brand { font-weight: 600; font-size: 12px; opacity: .75; margin: 0; }
.step { font-weight: 600; margin: 2px 0 0; }
.detail p { margin: 6px 0 0; }
.detail ul { margin: 6px 0 0; padding-left: 18px; font-variant-numeric: tabular-nums; }
.ok { color: #1a7f37; }
.warn { color: #9a6700; }
.error { color: #cf222e; }
:host([data-theme="dark"]) .ok { color: #3fb950; }
:host([data-theme="dark"]) .warn { color: #d29922; }
:host([data-theme="dark"]) .error { color: #f85149; }
.actions { display: flex; flex-wrap: wrap; gap: 8px; margin-top: 10px; }
button { font: inherit; cursor: pointer; padding: 4px 12px; border-radius: 6px; color: inherit;
         background: rgba(127,127,127,.12); border: 1px solid rgba(127,127,127,.45); }
button.primary { background: #1f6feb; border-color: #1f6feb; color: #fff; }
button:disabled { opacity: .6; cursor: default; }
button:focus-visible { outline: 2px solid #2f6fed; outline-offset: 2px; }
`;

export interface TeachOptions {
  doc: Document;
  /** The content script's context: aborting it ends the session and removes everything. */
  signal: AbortSignal;
  /** The site the profile is for (`location.host`). */
  host: string;
  /** For the confirmation read (symbol, expiry from the page). */
  url?: string;
  title?: string;
  now?: () => Date;
  /** Stores a confirmed profile (default: the background stores it, see saveViaBackground). */
  save?: (profile: TeachProfile) => Promise<ProfileWrite>;
  onSaved: (profile: TeachProfile) => void;
  onCancel: () => void;
}

export interface TeachSession {
  readonly active: boolean;
  /** Ends the session without saving (as Escape or Cancel do). */
  cancel(): void;
  /** The bar's closed shadow root, for the content script's own code and its tests; never given to the page. */
  readonly ui: ShadowRoot;
}

/** The default store: the background saves it under the extension's own lock, for this tab's host only. */
export async function saveViaBackground(profile: TeachProfile): Promise<ProfileWrite> {
  const msg: ToBackground = { type: 'hedgelens:save-profile', profile };
  try {
    const reply = (await browser.runtime.sendMessage(msg)) as ProfileWrite | undefined;
    return reply ?? { ok: false, message: 'Not saved: HedgeLens did not answer. Reload the page and teach it again.' };
  } catch (err) {
    return {
      ok: false,
      message: `Not saved: HedgeLens could not be reached (${err instanceof Error ? err.message : String(err)}). Reload the page and teach it again.`,
    };
  }
}

type Step =
  | { kind: 'strike'; note?: string }
  | { kind: 'bid'; strikeCell: Element; note?: string }
  | { kind: 'side'; strikeCell: Element; bidCell: Element; reason: string }
  | { kind: 'failed'; reason: string }
  | { kind: 'preview'; result: TeachResult; full: ReadResult; taught: number | null; saving: boolean; error?: string };

/** The cell under a click: the clicked element, or the wrapper whose only content it is (`<td><span>215</span>`). */
function cellOf(target: Element, stop: Element): Element {
  let el = target;
  for (let p = el.parentElement; p && p !== stop && p.children.length === 1; p = el.parentElement) {
    if (cellText(p) !== cellText(el)) break;
    el = p;
  }
  return el;
}

const short = (s: string) => (s.length > 40 ? `${s.slice(0, 39)}…` : s);
const fmtStrike = (k: number) => (Number.isInteger(k) ? String(k) : k.toFixed(2));
const fmtQuote = (v: number | null | undefined) => (v === null || v === undefined ? '—' : v.toFixed(2));

export function startTeachMode(opts: TeachOptions): TeachSession {
  const { doc } = opts;
  const win = doc.defaultView;
  const body = doc.body ?? doc.documentElement;
  const now = opts.now ?? (() => new Date());
  const save = opts.save ?? saveViaBackground;

  // One bar per page: one left by an earlier instance of the content script (extension reloaded) goes first.
  for (const stale of Array.from(doc.querySelectorAll(TEACH_TAG))) stale.remove();
  const host = doc.createElement(TEACH_TAG);
  host.setAttribute('data-hedgelens', 'teach');
  host.setAttribute('data-theme', pageTheme(doc));
  const ui = host.attachShadow({ mode: 'closed' });
  const make = <K extends keyof HTMLElementTagNameMap>(tag: K, cls?: string, text?: string) => {
    const el = doc.createElement(tag);
    if (cls) el.className = cls;
    if (text !== undefined) el.textContent = text;
    return el;
  };
  const style = make('style');
  style.textContent = BAR_CSS;
  const bar = make('div', 'bar');
  bar.setAttribute('role', 'dialog');
  bar.setAttribute('aria-label', 'HedgeLens: teach this page');
  const brand = make('p', 'brand', `HedgeLens · teach ${opts.host || 'this page'}`);
  const stepLine = make('p', 'step');
  stepLine.setAttribute('aria-live', 'polite');
  stepLine.setAttribute('data-part', 'step');
  const detail = make('div', 'detail');
  detail.setAttribute('data-part', 'detail');
  detail.setAttribute('aria-live', 'polite');
  const actions = make('div', 'actions');
  actions.setAttribute('data-part', 'actions');
  bar.append(brand, stepLine, detail, actions);
  ui.append(style, bar);

  let active = true;
  let step: Step = { kind: 'strike' };
  const marked = new Set<Element>();
  const listeners = new AbortController();
  const focusedBefore = doc.activeElement;

  const mark = (el: Element, token: string) => {
    const tokens = new Set((el.getAttribute(TEACH_ATTR) ?? '').split(' ').filter(Boolean));
    tokens.add(token);
    el.setAttribute(TEACH_ATTR, [...tokens].join(' '));
    marked.add(el);
  };
  const unmark = (token: string) => {
    for (const el of Array.from(marked)) {
      const left = (el.getAttribute(TEACH_ATTR) ?? '').split(' ').filter((t) => t && t !== token);
      if (left.length) el.setAttribute(TEACH_ATTR, left.join(' '));
      else {
        el.removeAttribute(TEACH_ATTR);
        marked.delete(el);
      }
    }
  };

  const button = (label: string, onClick: () => void, primary = false) => {
    const b = make('button', primary ? 'primary' : undefined, label);
    b.type = 'button';
    b.addEventListener('click', onClick);
    return b;
  };
  const para = (text: string, cls?: string) => make('p', cls, text);

  const restart = () => {
    unmark('strike');
    unmark('bid');
    unmark('row');
    setStep({ kind: 'strike' });
  };

  /** Draws the bar for the current step; focus goes to the step's first action (Escape always cancels). */
  const draw = () => {
    const parts: Node[] = [];
    const buttons: HTMLButtonElement[] = [];
    const cancelButton = button('Cancel', () => finish('cancel'));
    let focus: HTMLButtonElement = cancelButton;
    switch (step.kind) {
      case 'strike':
        stepLine.textContent = 'Click a strike cell in any row of the chain (1/2)';
        if (step.note) parts.push(para(step.note, 'warn'));
        parts.push(para('Clicks on the page go to HedgeLens until you save or cancel (Escape).'));
        buttons.push(cancelButton);
        break;
      case 'bid': {
        stepLine.textContent = 'Now click the Bid of the same row (2/2)';
        parts.push(para(`Strike cell: ${short(cellText(step.strikeCell))}.`));
        if (step.note) parts.push(para(step.note, 'warn'));
        buttons.push(button('Start over', restart), cancelButton);
        break;
      }
      case 'side': {
        const { strikeCell, bidCell } = step;
        stepLine.textContent = 'Are these rows calls or puts?';
        parts.push(para(`The ${step.reason}. Say which, and HedgeLens reads the rows as that side.`));
        const calls = button('Calls', () => preview(strikeCell, bidCell, 'call'), true);
        buttons.push(
          calls,
          button('Puts', () => preview(strikeCell, bidCell, 'put')),
          button('Try again', restart),
        );
        buttons.push(cancelButton);
        focus = calls;
        break;
      }
      case 'failed': {
        stepLine.textContent = 'HedgeLens could not read a chain from those two cells';
        parts.push(para(`Why: ${step.reason}.`, 'error'));
        parts.push(para('Try again: click a strike cell, then the Bid of the same row.'));
        const again = button('Try again', restart, true);
        buttons.push(again, cancelButton);
        focus = again;
        break;
      }
      case 'preview': {
        const { result, full } = step;
        stepLine.textContent = 'Is this the chain? Check what HedgeLens reads, then save.';
        parts.push(...describe(result, full, step.taught));
        if (step.error) parts.push(para(step.error, 'error'));
        const saveButton = button(`Save for ${opts.host}`, () => void onSave(), true);
        saveButton.disabled = step.saving;
        if (step.saving) parts.push(para('Saving…'));
        buttons.push(saveButton, button('Try again', restart), cancelButton);
        focus = saveButton;
        break;
      }
    }
    detail.replaceChildren(...parts);
    actions.replaceChildren(...buttons);
    if (!focus.disabled) focus.focus({ preventScroll: true });
  };
  const setStep = (s: Step) => {
    step = s;
    draw();
  };

  /**
   * What the profile reads: rows, strikes, sides, the taught row and its neighbours (to compare with the page where
   * the trader just clicked), and whether the whole chain reads.
   */
  const describe = (result: TeachResult, full: ReadResult, taught: number | null): Node[] => {
    const out: Node[] = [];
    const p = result.profile;
    const strikeCol = p.columns.find((c) => c.field === 'strike')?.index ?? -1;
    const strikes: number[] = [];
    const plan = profileGrid(body, p);
    if ('plan' in plan)
      for (const r of plan.plan.grid.rows) {
        const k = priceOf(r.cells[strikeCol]?.text ?? '');
        if (k !== null) strikes.push(k);
      }
    // The sides the whole reading found (a taught table's sides may come row by row), else the taught columns'.
    const sides = full.ok
      ? new Set(
          full.chain.expiries.flatMap((e) =>
            e.rows.flatMap((r) => [...(r.call ? ['call'] : []), ...(r.put ? ['put'] : [])]),
          ),
        )
      : new Set(p.columns.filter((c) => c.field !== 'strike').map((c) => c.side ?? p.side));
    const sideText = sides.has('call') && sides.has('put') ? 'calls and puts' : sides.has('call') ? 'calls' : 'puts';
    const range = strikes.length
      ? ` · strikes ${fmtStrike(Math.min(...strikes))}–${fmtStrike(Math.max(...strikes))}`
      : '';
    const count = make('p', undefined, `Reads ${result.preview.rowCount} rows${range} · ${sideText}`);
    count.setAttribute('data-part', 'count');
    out.push(count);
    const list = make('ul');
    if (full.ok) {
      const rows = full.chain.expiries.find((e) => e.rows.some((r) => r.strike === taught))?.rows ?? [];
      const at = rows.findIndex((r) => r.strike === taught);
      const from = Math.max(0, Math.min(at - 1, rows.length - SAMPLE_ROWS));
      for (const row of rows.slice(from, from + SAMPLE_ROWS)) {
        const q = (side: Side) => {
          const x = row[side];
          return x ? ` · ${side} ${fmtQuote(x.bid)} / ${fmtQuote(x.ask)}` : '';
        };
        list.append(make('li', undefined, `${fmtStrike(row.strike)}${q('call')}${q('put')}`));
      }
    } else {
      for (const row of result.preview.rows.slice(0, SAMPLE_ROWS))
        list.append(
          make('li', undefined, `${fmtStrike(row.strike)} · bid ${fmtQuote(row.bid)} · ask ${fmtQuote(row.ask)}`),
        );
    }
    if (list.childElementCount > 0) out.push(list);
    if (full.ok) {
      const e = full.chain.expiries;
      const line = para(
        `The whole chain reads: ${full.chain.underlying.symbol}, ${e.length === 1 ? `expiry ${e[0]!.date}` : `${e.length} expiries from ${e[0]!.date}`}, ${full.report.rowsRead} rows.`,
        'ok',
      );
      line.setAttribute('data-part', 'full-read');
      out.push(line);
    } else {
      const line = para(`The whole chain does not read yet: ${full.reason}.`, 'warn');
      line.setAttribute('data-part', 'full-read');
      out.push(line);
      out.push(
        para(
          'You can still save this layout; HedgeLens shows the chain once the page has what is missing (for example an expiry date near the rows).',
        ),
      );
    }
    if (sides.size === 1)
      out.push(
        para(
          `Only ${sideText} are read: an iron condor needs calls and puts. If the page shows both in one row, try again and click the Bid on the other side.`,
          'warn',
        ),
      );
    return out;
  };

  const preview = (strikeCell: Element, bidCell: Element, side?: Side) => {
    mark(bidCell, 'bid');
    const result = inferFromClicks(body, { strikeCell, bidCell }, opts.host, side ? { side } : {});
    if (!result.ok && result.preview.needsSide && !side)
      return setStep({ kind: 'side', strikeCell, bidCell, reason: result.preview.reason ?? 'side is not said' });
    if (!result.ok) return setStep({ kind: 'failed', reason: result.preview.reason ?? 'no rows read' });
    const full = readChain(body, { url: opts.url, title: opts.title, now: now(), profile: result.profile });
    const plan = profileGrid(body, result.profile);
    if ('plan' in plan) for (const r of plan.plan.grid.rows.slice(0, MAX_ROW_MARKS)) mark(r.el, 'row');
    setStep({ kind: 'preview', result, full, taught: priceOf(cellText(strikeCell)), saving: false });
  };

  const onSave = async () => {
    if (step.kind !== 'preview' || step.saving) return;
    const saving: Step = { ...step, saving: true, error: undefined };
    setStep(saving);
    const write = await save({ ...saving.result.profile, createdAt: now().toISOString() });
    // Cancelled, started over or the context went while saving: this bar no longer shows that preview.
    if (!active || step !== saving) return;
    if (write.ok) finish('saved', write.profile);
    else setStep({ ...saving, saving: false, error: write.message });
  };

  const isOurs = (t: EventTarget | null) =>
    t instanceof (win?.Element ?? Element) && (t as Element).closest(`${TEACH_TAG}, hedgelens-dock`) !== null;

  const onPick = (event: MouseEvent) => {
    if (!active || isOurs(event.target) || !(event.target instanceof (win?.Element ?? Element))) return;
    event.preventDefault();
    event.stopPropagation();
    event.stopImmediatePropagation();
    if (event.type !== 'click' || event.button !== 0) return;
    const cell = cellOf(event.target, body);
    const text = cellText(cell);
    if (step.kind === 'strike') {
      if (priceOf(text) === null)
        return setStep({
          kind: 'strike',
          note: text
            ? `That cell shows "${short(text)}", not a strike price: click a cell with the strike (a number).`
            : 'That was not a cell with a number: click the strike of a row.',
        });
      mark(cell, 'strike');
      return setStep({ kind: 'bid', strikeCell: cell });
    }
    if (step.kind === 'bid') {
      const strikeCell = step.strikeCell;
      if (cell === strikeCell || cell.contains(strikeCell) || strikeCell.contains(cell))
        return setStep({ kind: 'bid', strikeCell, note: 'That is the strike cell: now click the Bid of its row.' });
      if (priceOf(text) === null)
        return setStep({
          kind: 'bid',
          strikeCell,
          note: text
            ? `That cell shows "${short(text)}", not a price: click the Bid of the same row.`
            : 'That was not a cell with a price: click the Bid of the same row.',
        });
      return preview(strikeCell, cell);
    }
  };
  /** Hover outline on the cell under the pointer, while a cell is wanted. */
  let hovered: Element | null = null;
  const onOver = (event: MouseEvent) => {
    const t = event.target;
    const wanted = step.kind === 'strike' || step.kind === 'bid';
    const cell = wanted && !isOurs(t) && t instanceof (win?.Element ?? Element) ? cellOf(t, body) : null;
    if (cell === hovered) return;
    if (hovered) unmark('hover');
    hovered = cell && cell !== body && cell !== doc.documentElement ? cell : null;
    if (hovered) mark(hovered, 'hover');
  };
  const onKey = (event: KeyboardEvent) => {
    if (!active || event.key !== 'Escape') return;
    event.preventDefault();
    event.stopPropagation();
    finish('cancel');
  };

  const finish = (how: 'cancel' | 'saved' | 'aborted', profile?: TeachProfile) => {
    if (!active) return;
    active = false;
    listeners.abort();
    host.remove();
    for (const el of Array.from(marked)) el.removeAttribute(TEACH_ATTR);
    marked.clear();
    for (const el of Array.from(doc.querySelectorAll(`[${TEACH_ATTR}]`))) el.removeAttribute(TEACH_ATTR);
    doc.getElementById(TEACH_STYLE_ID)?.remove();
    doc.documentElement.removeAttribute(TEACHING_ATTR);
    if (how === 'aborted') return;
    if (focusedBefore instanceof (win?.HTMLElement ?? HTMLElement) && focusedBefore.isConnected)
      focusedBefore.focus({ preventScroll: true });
    if (how === 'saved' && profile) opts.onSaved(profile);
    else opts.onCancel();
  };

  const session: TeachSession = {
    get active() {
      return active;
    },
    cancel: () => finish('cancel'),
    ui,
  };
  if (opts.signal.aborted) {
    active = false;
    return session;
  }

  if (!doc.getElementById(TEACH_STYLE_ID)) {
    const pageStyle = doc.createElement('style');
    pageStyle.id = TEACH_STYLE_ID;
    pageStyle.textContent = PAGE_CSS;
    (doc.head ?? doc.documentElement).append(pageStyle);
  }
  doc.documentElement.setAttribute(TEACHING_ATTR, '');
  body.append(host);
  // Before the page's own listeners (window, capture phase): the broker's page does not act on these clicks.
  const target: EventTarget = win ?? doc;
  const o = { capture: true, signal: listeners.signal };
  for (const type of ['pointerdown', 'pointerup', 'mousedown', 'mouseup', 'click', 'dblclick', 'auxclick'])
    target.addEventListener(type, onPick as EventListener, o);
  target.addEventListener('mouseover', onOver as EventListener, o);
  target.addEventListener('keydown', onKey as EventListener, o);
  // What happens in the bar stays in the bar: the page's bubbling handlers (click-outside, shortcuts) do not see it.
  for (const type of ['click', 'mousedown', 'mouseup', 'pointerdown', 'pointerup', 'keydown', 'keyup'])
    host.addEventListener(type, (e) => e.stopPropagation(), { signal: listeners.signal });
  opts.signal.addEventListener('abort', () => finish('aborted'), { once: true, signal: listeners.signal });
  draw();
  return session;
}
