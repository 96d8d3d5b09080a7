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
import { nyWallClock } from '../chain/calendar';
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
const AS_OF =
  /\b(?:as of|updated|quotes? (?:as of|at)|delayed(?: quotes?)?(?: as of)?|at close|after hours|before hours|pre-?market|after-?market|last updated)\s*:?\s*(.{6,48})$/i;
/** A time of day with its zone and no date ("4:00PM EDT", "16:00 ET"): the quote header of a closed market. */
const TIME_ONLY = /^\d{1,2}:\d{2}(?::\d{2})?\s*(?:[ap]\.?m\.?)?\s*(?:[A-Z]{2,4}|GMT[+-]\d{1,2})?$/i;

/**
 * When the page says its quotes were taken (a `<time datetime>` beside "as of", or "as of 14 Mar 2026 07:34 ET"):
 * the analysis is valued at the quotes' time, not at the moment the page was read.
 */
function timeAttr(el: Element): string | null {
  const r = parseTimestamp(el.getAttribute('datetime'));
  return r.ok && r.instant ? r.instant : null;
}

/**
 * The quote time an element states. A time with no date ("At close: 4:00PM EDT") takes `day`: the latest trade
 * date in the chain, or the reading day. Null when the element states no time.
 */
function timeText(el: Element, day: string | null): string | null {
  const m = AS_OF.exec(cellText(el));
  if (!m) return null;
  const said = m[1]!
    .replace(/\s*\(.*$/, '')
    .replace(/\.\s*market\b.*$/i, '')
    .trim();
  const r = parseTimestamp(said);
  if (r.ok && r.instant) return r.instant;
  if (!day || !TIME_ONLY.test(said)) return null;
  const d = parseTimestamp(`${day} ${said}`);
  return d.ok && d.instant ? d.instant : null;
}

/** A figure read from one element, and how to read it from that element again. */
interface Source<T> {
  el: Element;
  read: () => T | null;
}

function quotesTime(
  root: ParentNode,
  skip: readonly Element[] | undefined,
  day: string | null,
  near: Element | null,
): (Source<string> & { text: string }) | null {
  // The quote header's own time first (next to the price it dates), then the first one on the page.
  if (near) {
    let box: Element | null = near;
    for (let up = 0; up < 3 && box; up++, box = box.parentElement) {
      for (const el of Array.from(box.querySelectorAll('span,p,div,small,time')).slice(0, 60)) {
        if (el.childElementCount > 2 || cellText(el).length > 80) continue;
        if (timeText(el, day)) return { el, read: () => timeText(el, day), text: cellText(el) };
      }
    }
  }
  for (const el of scan(root, 'time[datetime]', skip).slice(0, 20)) {
    const around = cellText(el.parentElement ?? el);
    if (!/as of|updated|delayed|quote/i.test(around)) continue;
    // The text around it may change (the "as of" label), the instant is the attribute's.
    if (timeAttr(el)) return { el: el.parentElement ?? el, read: () => timeAttr(el), text: around };
  }
  for (const el of scan(root, 'span,p,div,small,time', skip).slice(0, 400)) {
    if (el.childElementCount > 2) continue;
    const t = cellText(el);
    if (t.length > 80 || el.closest('tr,[role="row"]')) continue;
    if (timeText(el, day)) return { el, read: () => timeText(el, day), text: t };
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

interface SymbolHeading {
  el: Element;
  symbol: string;
  /** 0 h1, 1 h2, 2 h3, 3 a bare data-symbol attribute. */
  rank: number;
}

/** Headings that name a ticker ("Apple Inc. (AAPL)", "<h1>SPX</h1>") and elements carrying data-symbol. */
function symbolHeadings(root: ParentNode, skip: readonly Element[] | undefined): SymbolHeading[] {
  const out: SymbolHeading[] = [];
  for (const h of scan(root, 'h1,h2,h3,[data-symbol]', skip).slice(0, 60)) {
    const tag = h.tagName.toLowerCase();
    const rank = tag === 'h1' ? 0 : tag === 'h2' ? 1 : tag === 'h3' ? 2 : 3;
    const t = cellText(h);
    const m = rank < 3 ? /\(([\^$.]?[A-Z][A-Z0-9.]{0,9})\)/.exec(t) : null;
    let symbol = m ? cleanSymbol(m[1]!) : null;
    // "SPY Option Quotes", "AAPL Options Chain".
    const named = !symbol && rank < 3 ? /^\$?([A-Z]{1,5})\s+(?:options?|option chain|option quotes)\b/i.exec(t) : null;
    if (named && /^[A-Z]+$/.test(named[1]!)) symbol = cleanSymbol(named[1]!);
    // A heading that is just the ticker ("<h1>SPX</h1>").
    if (!symbol && rank === 0 && BARE_SYMBOL.test(t)) symbol = cleanSymbol(t);
    if (!symbol) {
      const ds = h.getAttribute('data-symbol');
      symbol = ds ? cleanSymbol(ds) : null;
      if (symbol) out.push({ el: h, symbol, rank: 3 });
      continue;
    }
    out.push({ el: h, symbol, rank });
  }
  return out;
}

/** The underlying most of the chain's option symbols name (four in five at least), or null. */
function sharedUnderlying(roots: readonly string[] | undefined): string | null {
  if (!roots || roots.length === 0) return null;
  const count = new Map<string, number>();
  for (const r of roots) {
    const u = underlyingForRoot(r);
    count.set(u, (count.get(u) ?? 0) + 1);
  }
  let best: string | null = null;
  let n = 0;
  for (const [u, k] of count)
    if (k > n) {
      best = u;
      n = k;
    }
  return best && n >= roots.length * 0.8 ? cleanSymbol(best) : null;
}

/** A quote header's price: a bare decimal, "$1,234.56" at most. */
function plainPrice(text: string): number | null {
  if (!/^\$?\d{1,3}(?:,?\d{3})*\.\d{1,4}$/.test(text)) return null;
  const v = priceOf(text);
  return v !== null && v > 0 ? v : null;
}

const CHANGE = /^[+\-−]\s*\$?[\d,]*\.?\d+\s*\(?\s*[+\-−]?[\d,]*\.?\d+\s*%\s*\)?$/;

/**
 * The price in a quote header: after the heading that names the symbol, within a few levels of it, the first
 * element whose whole text is a price and that a change ("-3.77 (-3.23%)") follows; failing that, the first
 * price right after the heading's block. A chain grid ends the search.
 */
function quoteHeaderPrice(heading: Element, skip: readonly Element[] | undefined): Element | null {
  const leave = new Set<Element>(skip ?? []);
  let box: Element | null = heading.parentElement;
  for (let up = 0; up < 5 && box; up++, box = box.parentElement) {
    let fallback: Element | null = null;
    let seen = 0;
    let found: Element | null = null;
    // Document order after the heading, the chain's grids left out unvisited (a 1,000-row chain is most of it).
    const walk = (parent: Element): boolean => {
      for (let c = parent.firstElementChild; c; c = c.nextElementSibling) {
        if (leave.has(c)) continue;
        if (++seen > 400) return true;
        if (c.childElementCount > 0) {
          if (walk(c)) return true;
          continue;
        }
        if (!(heading.compareDocumentPosition(c) & 4) || plainPrice(cellText(c)) === null) continue;
        const next = c.nextElementSibling;
        if (next && CHANGE.test(cellText(next))) {
          found = c;
          return true;
        }
        fallback ??= c;
      }
      return false;
    };
    walk(box);
    if (found) return found;
    if (fallback) return fallback;
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
    /** Option roots the chain's rows name (OCC symbols): the underlying they share is the page's symbol. */
    roots?: readonly string[];
    /** The latest trade date in the chain's rows: dates a quote time said without a date. */
    tradeDate?: string | null;
  },
  adapter: SiteAdapter | null,
): PageContext {
  const ctx: PageContext = { symbol: null, price: null, date: null, root: null, vix: [], asOf: null };
  const doc = (root as Node).ownerDocument ?? (root as Document);
  const title = opts.title ?? (doc && 'title' in doc ? doc.title : '') ?? '';

  const notes: string[] = [];
  // Symbol: the underlying the chain's own option symbols share; then hints; then the heading that names a
  // ticker nearest above the chain (an h1 before an h2, a heading before a bare data-symbol: a market strip
  // of index quotes above the quote header is not the chain's underlying); then the title and the URL.
  const shared = sharedUnderlying(opts.roots);
  let symHeading: Element | null = null;
  // Scanned only when needed (a re-read of the page runs this about once a second on a live chain).
  let scanned: SymbolHeading[] | null = null;
  const headings = () => (scanned ??= symbolHeadings(root, opts.skip));
  if (shared) {
    ctx.symbol = shared;
    notes.push(`symbol ${shared} from the option symbols in the chain's rows`);
  }
  const symEl = ctx.symbol ? null : fromHints(root, adapter?.hints.symbol);
  if (symEl) {
    const t = cellText(symEl);
    const m = /\(([\^$.]?[A-Z][A-Z0-9.]{0,9})\)/.exec(t);
    ctx.symbol = cleanSymbol(m ? m[1]! : (symEl.getAttribute('data-symbol') ?? t));
    if (ctx.symbol) symHeading = symEl;
  }
  if (!ctx.symbol) {
    const first = opts.skip?.[0] ?? null;
    // compareDocumentPosition's 4: the chain follows the element.
    const before = (el: Element) => !first || (el.compareDocumentPosition(first) & 4) !== 0;
    let best: SymbolHeading | null = null;
    for (const h of headings()) {
      if (!best || h.rank < best.rank) best = h;
      // Same kind: the last one above the chain is the nearest.
      else if (h.rank === best.rank && before(h.el)) best = h;
    }
    if (best) {
      ctx.symbol = best.symbol;
      symHeading = best.el;
      if (best.rank > 0) notes.push(`symbol ${best.symbol} from ${JSON.stringify(cellText(best.el).slice(0, 40))}`);
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
  // The quote header: the first bare price after the heading that names the symbol, in the same block.
  if (ctx.price === null && shared && !symHeading) symHeading = headings().find((h) => h.symbol === shared)?.el ?? null;
  const quoteEl = ctx.price === null && symHeading ? quoteHeaderPrice(symHeading, opts.skip) : null;
  if (quoteEl) {
    takePrice(quoteEl, () => plainPrice(cellText(quoteEl)));
    if (ctx.price !== null)
      notes.push(
        `price ${ctx.price} from the quote header beside ${JSON.stringify(cellText(symHeading).slice(0, 40))}`,
      );
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
  const day = opts.tradeDate ?? (opts.now ? nyWallClock(opts.now).date : null);
  const asOf = quotesTime(root, opts.skip, day, quoteEl ?? symHeading);
  ctx.asOf = asOf?.read() ?? null;
  if (asOf && ctx.asOf && !parseTimestamp(AS_OF.exec(asOf.text)?.[1] ?? '').ok)
    notes.push(
      `quote time ${JSON.stringify(asOf.text.slice(0, 40))} dated ${ctx.asOf.slice(0, 10)} by ${opts.tradeDate ? 'the latest trade date in the chain' : 'the reading day'}`,
    );
  if (notes.length > 0) ctx.notes = notes;
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
