/**
 * "Report this page": a page the reader could not read (or read wrong) turned into an HTML file a trader can
 * attach to a bug report. Pure: takes the page's root, returns the file's text; nothing on the page changes.
 *
 * What is kept: the element structure (tables, rows, cells, ARIA roles, spans, the attributes that say layout:
 * colspan, role, aria-selected, hidden…), the header cells of chain-like grids word for word, and the words
 * a chain is read by (Calls, Puts, Strike, month names, "At close"…). What is replaced: every number, through
 * one random order-preserving map (so strikes stay sorted and unique, a bid stays below its ask, a strike
 * written at both ends of a row stays equal, an option symbol's strike stays its row's strike); every date,
 * shifted by one random whole number of weeks; every other word, by x's of the same length and case. What is
 * dropped: scripts, styles, images, frames, form values, comments, URLs (a link keeps only an option symbol
 * it named, as "#SYMBOL"), ids and classes holding long digit runs, every data- attribute.
 */
import { findOccSymbol } from './cellText';
import { findGrids } from './grid';
import { classifyHeader } from './headers';

export interface PageReport {
  /** The anonymised page, a complete HTML document. */
  html: string;
  /** What was replaced, for the trader to see before saving. */
  counts: { numbers: number; words: number; dates: number; links: number; dropped: number };
}

export interface ReportOptions {
  /** A source of uniform numbers in [0, 1): Math.random by default; tests pass a seeded one. */
  random?: () => number;
}

const DROP = new Set([
  'script',
  'style',
  'noscript',
  'template',
  'iframe',
  'frame',
  'object',
  'embed',
  'link',
  'meta',
  'base',
  'img',
  'picture',
  'video',
  'audio',
  'source',
  'canvas',
  'svg',
  'math',
]);
const VOID = new Set(['br', 'hr', 'input', 'col', 'wbr', 'area', 'track', 'param']);
/** Attributes that say layout or state, never data. Text-bearing ones (aria-label, title) are rewritten. */
const KEEP_ATTRS = new Set([
  'colspan',
  'rowspan',
  'role',
  'scope',
  'hidden',
  'selected',
  'checked',
  'type',
  'aria-colindex',
  'aria-rowindex',
  'aria-colspan',
  'aria-rowspan',
  'aria-selected',
  'aria-pressed',
  'aria-current',
  'aria-checked',
  'aria-hidden',
  'aria-expanded',
  'aria-level',
  'aria-sort',
]);
const TEXT_ATTRS = new Set(['aria-label', 'title', 'alt', 'placeholder']);

/** Words a chain is read by, kept as they are (lower case). */
export const KEEP_WORDS: ReadonlySet<string> = new Set(
  (
    'call calls put puts strike strikes bid ask last price mark mid volume vol open interest int oi iv implied ' +
    'volatility impl delta gamma theta vega rho change chg net expiry expiration expirations expires exp date ' +
    'type symbol contract name options option chain quotes quote at close as of after before hours market ' +
    'weekly weeklys monthly standard am pm et edt est ct cdt cst gmt utc days day dte itm otm underlying spot ' +
    'index settlement show all both only side view currency usd in the and or to x ' +
    'jan january feb february mar march apr april may jun june jul july aug august sep sept september oct ' +
    'october nov november dec december mon monday tue tues tuesday wed wednesday thu thur thurs thursday fri ' +
    'friday sat saturday sun sunday'
  ).split(' '),
);

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const FULL_MONTHS = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];
const MONTH_RE =
  '(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)';

/**
 * One token pattern, alternatives in priority order: an option symbol, an ISO date, a US date, a month-name
 * date, a day-first date, a time of day (kept), a number, a word.
 */
const TOKEN = new RegExp(
  [
    '(?<occ>\\.?[A-Z]{1,6}\\s?\\d{6}[CP](?:\\d{8}|\\d+(?:\\.\\d+)?))(?![0-9])',
    '(?<iso>\\b\\d{4}-\\d{2}-\\d{2}\\b)',
    '(?<us>\\b\\d{1,2}/\\d{1,2}/(?:\\d{4}|\\d{2})\\b)',
    `(?<md>\\b${MONTH_RE}\\.?\\s+\\d{1,2}(?!\\d)(?:st|nd|rd|th)?(?:,?\\s+'?(?:\\d{4}|\\d{2})\\b(?![:.]\\d))?)`,
    `(?<dm>\\b\\d{1,2}[\\s-]+${MONTH_RE}(?![a-z])(?:[\\s,-]+'?(?:\\d{4}|\\d{2})\\b)?)`,
    '(?<time>\\b\\d{1,2}:\\d{2}(?::\\d{2})?)',
    '(?<num>\\d[\\d,]*(?:\\.\\d+)?|\\.\\d+)',
    "(?<word>[A-Za-z\\u00c0-\\u024f][A-Za-z\\u00c0-\\u024f'’]*)",
  ].join('|'),
  'gi',
);

/** Marsaglia's xorshift32 ("Xorshift RNGs", 2003): a seeded source for reproducible reports in tests. */
export function seededRandom(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 4294967296;
  };
}

const decimalsOf = (t: string) => (t.includes('.') ? t.length - t.indexOf('.') - 1 : 0);
const valueOf = (t: string) => Number(t.replace(/,/g, ''));

/** The order-preserving random map of every number on the page (see the file comment). */
function numberMap(tokens: string[], random: () => number): Map<number, number> {
  // Each value rounds at its coarsest spelling ("1" and "1.00" are one value: it must change in both).
  const coarsest = new Map<number, number>();
  for (const t of tokens) {
    const v = valueOf(t);
    if (!Number.isFinite(v) || v === 0) continue;
    coarsest.set(v, Math.min(coarsest.get(v) ?? 99, decimalsOf(t)));
  }
  const values = [...coarsest.keys()].sort((a, b) => a - b);
  const out = new Map<number, number>();
  let prev = 0;
  let cur = 0;
  for (const v of values) {
    // Gaps grow by 1–2×: rounded at the original precision, distinct values stay distinct and in order.
    cur += (v - prev) * (1 + random());
    const unit = 10 ** -coarsest.get(v)!;
    let rounded = Math.round(cur / unit) * unit;
    if (Math.abs(rounded - v) < unit / 2) rounded += unit; // never the original figure
    cur = Math.max(cur, rounded);
    out.set(v, rounded);
    prev = v;
  }
  return out;
}

function formatLike(original: string, value: number): string {
  const d = decimalsOf(original);
  const fixed = value.toFixed(d);
  if (!original.includes(',')) return fixed;
  const [int, frac] = fixed.split('.');
  const grouped = int!.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return frac === undefined ? grouped : `${grouped}.${frac}`;
}

function monthIndex(word: string): number {
  return MONTHS.indexOf(word.slice(0, 3).toLowerCase());
}

function caseLike(original: string, word: string): string {
  if (original === original.toUpperCase()) return word.toUpperCase();
  if (original[0] === original[0]!.toUpperCase()) return word[0]!.toUpperCase() + word.slice(1);
  return word;
}

/** Replaces text: dates shifted by whole weeks, numbers through the map, other words x'ed out. */
class Rewriter {
  readonly counts = { numbers: 0, words: 0, dates: 0, links: 0, dropped: 0 };
  private map = new Map<number, number>();
  constructor(
    private readonly shiftDays: number,
    private readonly keep: Set<string>,
  ) {}

  /** Every number token in a text, for the map (dates, times and option symbols' strikes counted apart). */
  static numbers(text: string, into: string[]): void {
    for (const m of text.matchAll(TOKEN)) {
      const g = m.groups!;
      if (g.num) into.push(g.num);
      else if (g.occ) {
        const o = findOccSymbol(g.occ);
        if (o) into.push(String(o.strike));
      }
    }
  }

  setMap(map: Map<number, number>): void {
    this.map = map;
  }

  private num(t: string): string {
    const v = valueOf(t);
    if (v === 0) return t;
    const to = this.map.get(v);
    if (to === undefined) return t.replace(/\d/g, '0');
    this.counts.numbers++;
    return formatLike(t, to);
  }

  private shift(y: number, m: number, d: number): Date {
    return new Date(Date.UTC(y, m - 1, d) + this.shiftDays * 86_400_000);
  }

  private date(g: Record<string, string | undefined>, text: string): string {
    this.counts.dates++;
    if (g.iso) {
      const [y, m, d] = g.iso.split('-').map(Number) as [number, number, number];
      return this.shift(y, m, d).toISOString().slice(0, 10);
    }
    if (g.us) {
      const [m, d, y] = g.us.split('/');
      const year = y!.length === 2 ? 2000 + Number(y) : Number(y);
      const s = this.shift(year, Number(m), Number(d));
      const pad = (n: number, like: string) => (like.length === 2 ? String(n).padStart(2, '0') : String(n));
      const yy = y!.length === 2 ? String(s.getUTCFullYear() % 100).padStart(2, '0') : String(s.getUTCFullYear());
      return `${pad(s.getUTCMonth() + 1, m!)}/${pad(s.getUTCDate(), d!)}/${yy}`;
    }
    // Month-name dates: shift, then write the new month and day in the old spelling; the year only if there was one.
    const word = (g.md ? /^[A-Za-z]+/.exec(text) : /[A-Za-z]+/.exec(text))![0];
    const mi = monthIndex(word);
    const day = Number((g.md ? /\s(\d{1,2})/.exec(text) : /^(\d{1,2})/.exec(text))![1]);
    const ym = /(?:,?\s+|[\s,-]+)'?(\d{4}|\d{2})$/.exec(text);
    const year = ym ? (ym[1]!.length === 2 ? 2000 + Number(ym[1]) : Number(ym[1])) : 2001;
    const s = this.shift(year, mi + 1, day);
    const full = word.length > 3 && FULL_MONTHS.includes(word.toLowerCase());
    const name = caseLike(word, full ? FULL_MONTHS[s.getUTCMonth()]! : MONTHS[s.getUTCMonth()]!);
    const y = ym
      ? text
          .slice(ym.index)
          .replace(
            ym[1]!,
            ym[1]!.length === 2 ? String(s.getUTCFullYear() % 100).padStart(2, '0') : String(s.getUTCFullYear()),
          )
      : '';
    const dot = g.md && /^[A-Za-z]+\./.test(text) ? '.' : '';
    return g.md ? `${name}${dot} ${s.getUTCDate()}${y}` : `${s.getUTCDate()} ${name}${y}`;
  }

  /** An option symbol: root kept, date shifted, strike through the map (so it stays its row's strike). */
  occ(text: string): string {
    const o = findOccSymbol(text);
    if (!o) return text.replace(/\d/g, '0');
    const [y, m, d] = o.date.split('-').map(Number) as [number, number, number];
    const s = this.shift(y, m, d);
    const ymd = s.toISOString().slice(2, 10).replace(/-/g, '');
    const k = this.map.get(o.strike) ?? o.strike;
    const eight = /[CP]\d{8}$/.test(text);
    const strike = eight ? String(Math.round(k * 1000)).padStart(8, '0') : String(k);
    const lead = /^\.?[A-Z]{1,6}\s?/.exec(text)![0];
    return `${lead}${ymd}${o.side === 'call' ? 'C' : 'P'}${strike}`;
  }

  text(text: string): string {
    return text.replace(TOKEN, (all, ...rest) => {
      const g = rest[rest.length - 1] as Record<string, string | undefined>;
      if (g.occ) return this.occ(all);
      if (g.iso || g.us || g.md || g.dm) return this.date(g, all);
      if (g.time) return all;
      if (g.num) return this.num(all);
      const w = all.toLowerCase();
      if (all.length === 1 || KEEP_WORDS.has(w) || this.keep.has(all)) return all;
      this.counts.words++;
      return all
        .replace(/[a-z\u00df-\u00ff]/g, 'x')
        .replace(/[A-Z\u00c0-\u00de]/g, 'X')
        .replace(/['’]/g, '');
    });
  }
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const escAttr = (s: string) => esc(s).replace(/"/g, '&quot;');

/** Header cells of grids that look like chains (two or more recognised column names): kept word for word. */
function headerCells(root: ParentNode): Set<Element> {
  const out = new Set<Element>();
  for (const g of findGrids(root)) {
    let best = 0;
    for (const hr of g.headerRows) best = Math.max(best, hr.filter((c) => classifyHeader(c.text)).length);
    if (best < 2) continue;
    for (const hr of g.headerRows) for (const c of hr) out.add(c.el);
  }
  return out;
}

/** Anonymise a page for a bug report. */
export function reportPage(root: Document | Element, opts: ReportOptions = {}): PageReport {
  const random = opts.random ?? Math.random;
  const top: Element | null = 'documentElement' in root ? root.documentElement : root;
  if (!top) return { html: '', counts: { numbers: 0, words: 0, dates: 0, links: 0, dropped: 0 } };
  const headers = headerCells(root);

  // First pass: every number outside the header cells, and the option roots (tickers are kept).
  const numbers: string[] = [];
  const roots = new Set<string>();
  const visit = (el: Element, header: boolean) => {
    const tag = el.tagName.toLowerCase();
    if (DROP.has(tag)) return;
    const h = header || headers.has(el);
    for (const a of TEXT_ATTRS) {
      const v = el.getAttribute(a);
      if (v && !h) Rewriter.numbers(v, numbers);
    }
    const href = el.getAttribute('href');
    const linked = href ? occOfHref(href) : null;
    if (linked) {
      Rewriter.numbers(linked, numbers);
      const o = findOccSymbol(linked);
      if (o) roots.add(o.root);
    }
    for (let c = el.firstChild; c; c = c.nextSibling) {
      if (c.nodeType === 1) visit(c as Element, h);
      else if (c.nodeType === 3 && !h) {
        const t = c.nodeValue ?? '';
        Rewriter.numbers(t, numbers);
        for (const m of t.matchAll(/\.?([A-Z]{1,6})\s?\d{6}[CP]\d/g)) roots.add(m[1]!);
      }
    }
  };
  visit(top, false);
  const rw = new Rewriter(7 * (20 + Math.floor(random() * 400)), roots);
  rw.setMap(numberMap(numbers, random));

  // Second pass: write the document.
  const parts: string[] = [
    '<!doctype html>\n<!-- Anonymised by HedgeLens "Report this page": numbers, dates and words outside the chain\'s headers replaced; scripts, styles, links and data attributes removed. -->\n',
  ];
  const write = (el: Element, header: boolean) => {
    const tag = el.tagName.toLowerCase();
    if (DROP.has(tag)) {
      rw.counts.dropped++;
      return;
    }
    const h = header || headers.has(el);
    let attrs = '';
    for (const a of Array.from(el.attributes)) {
      const name = a.name.toLowerCase();
      if (KEEP_ATTRS.has(name)) attrs += ` ${name}="${escAttr(a.value)}"`;
      else if (TEXT_ATTRS.has(name)) attrs += ` ${name}="${escAttr(h ? a.value : rw.text(a.value))}"`;
      else if (name === 'class') {
        const kept = a.value.split(/\s+/).filter((c) => /^[A-Za-z_-][\w-]{0,40}$/.test(c) && !/\d{3}/.test(c));
        if (kept.length) attrs += ` class="${escAttr(kept.join(' '))}"`;
      } else if (name === 'id') {
        if (/^[A-Za-z][\w-]{0,40}$/.test(a.value) && !/\d{3}/.test(a.value)) attrs += ` id="${escAttr(a.value)}"`;
      } else if (name === 'aria-labelledby' || name === 'aria-controls' || name === 'for') {
        attrs += ` ${name}="${escAttr(a.value)}"`;
      } else if (name === 'style') {
        // Only what says visibility or a row's position (virtualised lists read rows by their offset).
        const keep = (
          a.value.match(
            /(?:display\s*:\s*none|visibility\s*:\s*hidden|(?:^|;)\s*top\s*:\s*-?[\d.]+px|transform\s*:\s*translate[^;]*)/gi,
          ) ?? []
        ).join(';');
        if (keep) attrs += ` style="${escAttr(keep)}"`;
      } else if (name === 'href') {
        const occ = occOfHref(a.value);
        rw.counts.links++;
        if (occ) attrs += ` href="#${escAttr(rw.occ(occ))}"`;
      }
    }
    parts.push(`<${tag}${attrs}>`);
    if (VOID.has(tag)) return;
    for (let c = el.firstChild; c; c = c.nextSibling) {
      if (c.nodeType === 1) write(c as Element, h);
      else if (c.nodeType === 3) {
        const t = c.nodeValue ?? '';
        parts.push(esc(h ? t : rw.text(t)));
      }
    }
    parts.push(`</${tag}>`);
  };
  write(top, false);
  return { html: parts.join(''), counts: rw.counts };
}

/** An option symbol named in a link's target (decoded), or null. */
function occOfHref(href: string): string | null {
  let t = href.replace(/\+/g, ' ');
  try {
    t = decodeURIComponent(t);
  } catch {
    /* as written */
  }
  const m = /\.?[A-Z]{1,6}\s?\d{6}[CP](?:\d{8}|\d+(?:\.\d+)?)(?![0-9])/.exec(t);
  return m && findOccSymbol(m[0]) ? m[0] : null;
}
