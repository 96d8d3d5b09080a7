/**
 * What the page says around the chain: the underlying's symbol and price, the selected expiry, and any VIX
 * quote on show. Selector hints from a site adapter come first; the generic scan reads labels, not classes.
 */
import { cellText, priceOf } from './cellText';
import { findDate, findRoot } from './dates';
import type { PageContext, PageSources } from './read';
import { safeQuery } from './sites/match';
import { underlyingForRoot } from '../chain/importers/cboe';
import { parseTimestamp } from '../chain/dates';
import type { SiteAdapter } from './sites/types';

const PRICE_LABEL =
  /^(?:last|last price|last trade|underlying|underlying price|spot|spot price|price|index value|current price|share price|stock price)$/i;
const PRICE_INLINE =
  /^(?:last|last price|underlying(?: price)?|spot(?: price)?|index value|current price|share price|stock price)\s*[:=]?\s*\$?\s*([\d,]+\.\d+)$/i;
const VIX_INLINE = /(?:^|[\s(])(?:\^|\$|\.)?VIX(?:\.X|\s+Index)?\)?\s*[:=]?\s*(\d{1,3}\.\d{1,2})(?![\d.])/;
const VIX_LABEL = /^(?:\^|\$|\.)?VIX(?:\.X|\s+Index)?$|^Cboe Volatility Index(?:\s*\(?\^?VIX\)?)?$/i;

/** A ticker as the page writes it, mapped from an option root to its underlying (SPXW → SPX, VIXW → VIX). */
function cleanSymbol(s: string): string | null {
  const t = s
    .replace(/^[\^$.]/, '')
    .replace(/\.X$/, '')
    .trim()
    .toUpperCase();
  return /^[A-Z][A-Z0-9.]{0,9}$/.test(t) ? underlyingForRoot(t) : null;
}

const BARE_SYMBOL = /^[\^$.]?[A-Z]{1,5}$/;
const AS_OF = /\b(?:as of|updated|quotes? (?:as of|at)|delayed(?: quotes?)?(?: as of)?)\s*:?\s*(.{6,48})$/i;

/**
 * When the page says its quotes were taken (a `<time datetime>` beside "as of", or "as of 14 Mar 2026 07:34 ET"):
 * the analysis is valued at the quotes' time, not at the moment the page was read.
 */
function timeAttr(el: Element): string | null {
  const r = parseTimestamp(el.getAttribute('datetime'));
  return r.ok && r.instant ? r.instant : null;
}

function timeText(el: Element): string | null {
  const m = AS_OF.exec(cellText(el));
  if (!m) return null;
  const r = parseTimestamp(m[1]!.replace(/\s*\(.*$/, ''));
  return r.ok && r.instant ? r.instant : null;
}

/** A figure read from one element, and how to read it from that element again. */
interface Source<T> {
  el: Element;
  read: () => T | null;
}

function quotesTime(root: ParentNode, skip: readonly Element[] | undefined): Source<string> | null {
  for (const el of scan(root, 'time[datetime]', skip).slice(0, 20)) {
    const around = cellText(el.parentElement ?? el);
    if (!/as of|updated|delayed|quote/i.test(around)) continue;
    // The text around it may change (the "as of" label), the instant is the attribute's.
    if (timeAttr(el)) return { el: el.parentElement ?? el, read: () => timeAttr(el) };
  }
  for (const el of scan(root, 'span,p,div,small,time', skip).slice(0, 400)) {
    if (el.childElementCount > 2) continue;
    const t = cellText(el);
    if (t.length > 80 || el.closest('tr,[role="row"]')) continue;
    if (timeText(el)) return { el, read: () => timeText(el) };
  }
  return null;
}

/**
 * Elements under root matching a selector, in document order. With `skip` (the chain's own grids), those
 * subtrees are left out without being visited: on a 1,000-row chain they are nearly the whole document.
 */
function scan(root: ParentNode, selector: string, skip: readonly Element[] | undefined): Element[] {
  if (!skip?.length) return Array.from(root.querySelectorAll(selector));
  const out: Element[] = [];
  const leave = new Set<Element>(skip);
  const walk = (parent: ParentNode) => {
    for (let c = parent.firstElementChild; c; c = c.nextElementSibling) {
      if (leave.has(c)) continue;
      if (c.matches(selector)) out.push(c);
      walk(c);
    }
  };
  walk(root);
  return out;
}

function symbolFromUrl(url: string | undefined): string | null {
  if (!url) return null;
  try {
    const u = new URL(url);
    for (const k of ['s', 'symbol', 'sym', 'ticker', 'underlying', 'root', 'Symbol', 'q']) {
      const v = u.searchParams.get(k);
      if (v) {
        const s = cleanSymbol(v.split(/[\s,]/)[0] ?? '');
        if (s) return s;
      }
    }
    const m = /\/(?:quote|quotes|options?|chain|symbol)\/([\^$.]?[A-Za-z][A-Za-z0-9.]{0,9})(?:\/|$)/.exec(u.pathname);
    return m ? cleanSymbol(m[1]!) : null;
  } catch {
    return null;
  }
}

function dateFromUrl(url: string | undefined): string | null {
  if (!url) return null;
  try {
    const u = new URL(url);
    for (const k of ['date', 'expiration', 'expiry', 'exp']) {
      const v = u.searchParams.get(k);
      if (!v) continue;
      if (/^\d{9,10}$/.test(v)) return new Date(Number(v) * 1000).toISOString().slice(0, 10);
      const d = findDate(v);
      if (d) return d;
    }
  } catch {
    /* not a URL */
  }
  return null;
}

function fromHints(root: ParentNode, selectors: string[] | undefined): Element | null {
  for (const s of selectors ?? []) {
    const el = safeQuery(root, s);
    if (el && cellText(el) !== '') return el;
  }
  return null;
}

export function readPageContext(
  root: ParentNode,
  opts: {
    url?: string;
    title?: string;
    now?: Date;
    symbolHint?: string | null;
    /** The chain's own grids: their cells are quotes, not the page's labels (and scanning them is the cost). */
    skip?: readonly Element[];
  },
  adapter: SiteAdapter | null,
): PageContext {
  const ctx: PageContext = { symbol: null, price: null, date: null, root: null, vix: [], asOf: null };
  const doc = (root as Node).ownerDocument ?? (root as Document);
  const title = opts.title ?? (doc && 'title' in doc ? doc.title : '') ?? '';

  // Symbol: hints, then "(SYM)" in a heading or the title, then the URL.
  const symEl = fromHints(root, adapter?.hints.symbol);
  if (symEl) {
    const t = cellText(symEl);
    const m = /\(([\^$.]?[A-Z][A-Z0-9.]{0,9})\)/.exec(t);
    ctx.symbol = cleanSymbol(m ? m[1]! : (symEl.getAttribute('data-symbol') ?? t));
  }
  if (!ctx.symbol) {
    for (const h of scan(root, 'h1,h2,h3,[data-symbol]', opts.skip).slice(0, 30)) {
      const ds = h.getAttribute('data-symbol');
      if (ds) {
        ctx.symbol = cleanSymbol(ds);
        if (ctx.symbol) break;
      }
      const m = /\(([\^$.]?[A-Z][A-Z0-9.]{0,9})\)/.exec(cellText(h));
      if (m) {
        ctx.symbol = cleanSymbol(m[1]!);
        break;
      }
      // A heading that is just the ticker ("<h1>SPX</h1>").
      if (h.tagName === 'H1' && BARE_SYMBOL.test(cellText(h))) {
        ctx.symbol = cleanSymbol(cellText(h));
        if (ctx.symbol) break;
      }
    }
  }
  if (!ctx.symbol) {
    const m =
      /\(([\^$.]?[A-Z][A-Z0-9.]{0,9})\)/.exec(title) ??
      /\b([\^$]?[A-Z]{1,5})\s+(?:Options?|Option Chain)\b/.exec(title);
    if (m) ctx.symbol = cleanSymbol(m[1]!);
  }
  ctx.symbol ??= symbolFromUrl(opts.url) ?? opts.symbolHint ?? null;

  let priceFrom: Source<number> | null = null;
  /** Takes a price read from an element (positive and finite, as the first read requires). */
  const takePrice = (el: Element, read: () => number | null) => {
    const v = read();
    if (v === null || !(v > 0)) return;
    ctx.price = v;
    priceFrom = {
      el,
      read: () => {
        const again = read();
        return again !== null && again > 0 ? again : null;
      },
    };
  };
  const priceEl = fromHints(root, adapter?.hints.price);
  if (priceEl) {
    ctx.price = priceOf(cellText(priceEl));
    if (ctx.price !== null) priceFrom = { el: priceEl, read: () => priceOf(cellText(priceEl)) };
  }

  // Selected expiry: hints, then a selected option / tab / button with a date in it, then the URL.
  const expEl = fromHints(root, adapter?.hints.expiry);
  if (expEl) ctx.date = findDate(cellText(expEl), opts.now);
  if (!ctx.date) {
    const sel = root.querySelectorAll(
      'option[selected],[aria-selected="true"],[aria-current="true"],[aria-current="page"],[aria-pressed="true"]',
    );
    for (const el of Array.from(sel).slice(0, 20)) {
      const t = cellText(el);
      if (t.length > 60) continue;
      const d = findDate(t, opts.now);
      if (d) {
        ctx.date = d;
        break;
      }
    }
  }
  ctx.date ??= dateFromUrl(opts.url);
  ctx.root = findRoot(title);

  // One pass over short texts outside the chain rows: price labels and VIX quotes.
  const vixFrom: (Source<number> & { source: (v: number) => string })[] = [];
  const vixRange = (v: number | null) => (v !== null && v >= 5 && v <= 150 ? v : null);
  const vixEl = fromHints(root, adapter?.hints.vix);
  if (vixEl) {
    const read = () => vixRange(priceOf(cellText(vixEl)));
    const v = read();
    if (v !== null) {
      ctx.vix.push({ value: v, source: 'site hint' });
      vixFrom.push({ el: vixEl, read, source: () => 'site hint' });
    }
  }
  const seenVix = new Set<number>(ctx.vix.map((v) => v.value));
  const SCAN = 'span,div,p,td,th,li,strong,b,dd,dt,label,h1,h2,h3,h4,h5,h6,a';
  const all = scan(root, SCAN, opts.skip);
  for (const el of all) {
    if (el.childElementCount > 4) continue;
    const t = cellText(el);
    if (t.length === 0 || t.length > 60) continue;
    if (el.closest('tr,[role="row"]') && !/VIX/.test(t)) continue;
    if (ctx.price === null) {
      const short = () => {
        const text = cellText(el);
        return text.length > 0 && text.length <= 60 ? text : '';
      };
      const nextPrice = () => {
        const next = el.nextElementSibling;
        return next ? priceOf(cellText(next)) : null;
      };
      if (PRICE_INLINE.test(t))
        takePrice(el, () => {
          const m = PRICE_INLINE.exec(short());
          return m ? priceOf(m[1]!) : null;
        });
      else if (PRICE_LABEL.test(t)) takePrice(el.parentElement ?? el, nextPrice);
      else if (ctx.symbol && cleanSymbol(t) === ctx.symbol && BARE_SYMBOL.test(t))
        // "<h1>SPX</h1><span>6,632.19</span>": the price stands beside the bare ticker.
        takePrice(el.parentElement ?? el, nextPrice);
      else if (ctx.symbol) {
        const bySymbol = new RegExp(
          `^[\\^$.]?${ctx.symbol.replace(/[.]/g, '\\.')}\\s*[:=]?\\s*\\$?([\\d,]+\\.\\d+)(?:\\s|$)`,
        );
        if (bySymbol.test(t))
          takePrice(el, () => {
            const m = bySymbol.exec(short());
            return m ? priceOf(m[1]!) : null;
          });
      }
    }
    if (/VIX|Volatility Index/i.test(t)) {
      let read: (() => number | null) | null = null;
      let at = el;
      if (VIX_INLINE.test(t) && el.childElementCount === 0)
        read = () => {
          const m = VIX_INLINE.exec(cellText(el));
          return m ? vixRange(Number(m[1])) : null;
        };
      else if (VIX_LABEL.test(t)) {
        at = el.parentElement ?? el;
        read = () => {
          const next = el.nextElementSibling;
          const n = next ? cellText(next) : '';
          return /^\$?\d{1,3}\.\d{1,2}$/.test(n) ? vixRange(priceOf(n)) : null;
        };
      }
      const v = read?.() ?? null;
      if (read && v !== null && !seenVix.has(v)) {
        seenVix.add(v);
        ctx.vix.push({ value: v, source: t });
        vixFrom.push({ el: at, read, source: () => cellText(el) });
      }
    }
  }
  const asOf = quotesTime(root, opts.skip);
  ctx.asOf = asOf?.read() ?? null;
  if (ctx.symbol === 'VIX' && ctx.price !== null && !seenVix.has(ctx.price))
    ctx.vix.push({ value: ctx.price, source: 'underlying price' });
  const fromPrice = priceFrom as Source<number> | null;
  const sources: PageSources = {
    nodes: [...(fromPrice ? [fromPrice.el] : []), ...vixFrom.map((v) => v.el), ...(asOf ? [asOf.el] : [])],
    reread: (prev) => {
      const next: PageContext = { ...prev, vix: [] };
      if (fromPrice) {
        const p = fromPrice.read();
        if (p === null) return null;
        next.price = p;
      }
      const seen = new Set<number>();
      for (const f of vixFrom) {
        const v = f.read();
        if (v === null) return null;
        if (seen.has(v)) continue;
        seen.add(v);
        next.vix.push({ value: v, source: f.source(v) });
      }
      if (asOf) {
        const a = asOf.read();
        if (a === null) return null;
        next.asOf = a;
      }
      if (next.symbol === 'VIX' && next.price !== null && !seen.has(next.price))
        next.vix.push({ value: next.price, source: 'underlying price' });
      return withSources(next, sources);
    },
  };
  return withSources(ctx, sources);
}

/** Attaches the sources, not enumerable: a page context stays plain data to compare, copy or print. */
export function withSources(ctx: PageContext, sources: PageSources | undefined): PageContext {
  if (sources) Object.defineProperty(ctx, 'sources', { value: sources, enumerable: false, configurable: true });
  return ctx;
}
