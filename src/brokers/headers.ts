/**
 * Column headers by meaning. Each field lists the spellings seen on quote and broker pages; a header is
 * normalised (lower case, punctuation and sort glyphs dropped, "Filter"/"sort" noise removed) and matched whole,
 * after an optional call/put prefix ("Call Bid", "P Delta", "Puts OI").
 */
import type { Field } from '../shared/teachProfile';

export type Side = 'call' | 'put';

export interface HeaderMeaning {
  field: Field;
  side: Side | null;
  /** The header said the values are percents ("IV %", "Impl Vol (%)"). */
  percent: boolean;
}

const ALIASES: [Field, string[]][] = [
  ['strike', ['strike', 'strikes', 'strike price', 'str', 'k', 'exercise price', 'strike px']],
  ['bidAsk', ['bid x ask', 'bid ask', 'bid / ask', 'bid/ask', 'bid × ask', 'bid & ask', 'bid and ask']],
  ['bid', ['bid', 'bid price', 'bid px', 'b']],
  ['ask', ['ask', 'ask price', 'ask px', 'offer', 'a']],
  ['last', ['last', 'last price', 'last px', 'last trade', 'last sale', 'lst', 'ltp', 'trade']],
  ['mark', ['mark', 'mid', 'mid price', 'midpoint', 'mark price', 'mid px', 'mkt', 'mkt price']],
  ['volume', ['volume', 'vol', 'volume today', 'vol today', 'total volume', 'day volume', 'day vol', 'vlm']],
  ['openInterest', ['open interest', 'open int', 'openint', 'oi', 'open intrst', 'op int']],
  [
    'iv',
    [
      'iv',
      'impl vol',
      'implied vol',
      'implied volatility',
      'imp vol',
      'ivol',
      'iv %',
      'impl volatility',
      'volatility',
      'iv mid',
      'mid iv',
      'vol %',
      'imp volatility',
    ],
  ],
  ['delta', ['delta', 'δ', 'Δ', 'dlt', 'delta δ']],
  ['type', ['type', 'call/put', 'c/p', 'put/call', 'p/c', 'option type', 'right', 'side', 'cp']],
  ['expiry', ['exp', 'expiry', 'expiration', 'exp date', 'expiration date', 'expires', 'expiry date', 'exp.']],
  ['symbol', ['symbol', 'contract', 'contract name', 'option symbol', 'option', 'description', 'contract symbol']],
  [
    'known',
    [
      'change',
      'chg',
      'net chg',
      'net change',
      '% change',
      '%change',
      '% chg',
      'chg %',
      'change %',
      'pct chg',
      'gamma',
      'theta',
      'vega',
      'rho',
      'γ',
      'θ',
      'ν',
      'theo',
      'theo price',
      'theoretical',
      'bid size',
      'ask size',
      'bid sz',
      'ask sz',
      'size',
      'bid qty',
      'ask qty',
      'bid exch',
      'ask exch',
      'itm',
      'itm %',
      'prob itm',
      'prob otm',
      'probability itm',
      'prob of profit',
      'pop',
      'intrinsic',
      'extrinsic',
      'time value',
      'last trade date',
      'high',
      'low',
      'open',
      'close',
      'prev close',
      'trade',
      'actions',
      'action',
      'break even',
      'breakeven',
      'chance of profit',
    ],
  ],
];

const LOOKUP = new Map<string, Field>();
for (const [field, names] of ALIASES) for (const n of names) if (!LOOKUP.has(n)) LOOKUP.set(n, field);

const NOISE = /\b(filter|sort(ed)?|ascending|descending|sortable|click to sort|press to sort)\b/g;

export function normaliseHeader(text: string): string {
  return text
    .toLowerCase()
    .replace(/[\u00a0\u202f\s]+/g, ' ')
    .replace(/[▲▼△▽↑↓⇅⬆⬇∵•·*:()[\]{}"'.,]/g, ' ')
    .replace(/[\ue000-\uf8ff]/g, ' ') // icon-font glyphs
    .replace(NOISE, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

function exact(s: string): Field | null {
  const hit = LOOKUP.get(s) ?? LOOKUP.get(s.replace(/\s*\/\s*/g, '/')) ?? LOOKUP.get(s.replace(/\s+/g, ''));
  return hit ?? null;
}

/** What a header cell means, or null when it is not a chain column we recognise. */
export function classifyHeader(raw: string): HeaderMeaning | null {
  let s = normaliseHeader(raw);
  if (s === '') return null;
  const percent = /%/.test(s);
  let field = exact(s);
  if (field) return { field, side: null, percent };
  let side: Side | null = null;
  const pre = /^(calls?|puts?|c|p)\s+(.+)$/.exec(s) ?? null;
  const post = pre ? null : /^(.+?)\s+(calls?|puts?)$/.exec(s);
  if (pre) {
    side = pre[1]!.startsWith('c') ? 'call' : 'put';
    s = pre[2]!;
  } else if (post) {
    side = post[2]!.startsWith('c') ? 'call' : 'put';
    s = post[1]!;
  }
  field = exact(s) ?? exact(s.replace(/\s*%$/, ''));
  if (field && side && (field === 'strike' || field === 'type')) side = null;
  // One-letter aliases ("B", "A", "K") only stand alone, never after a side prefix that is itself one letter.
  if (field && pre && pre[1]!.length === 1 && s.length === 1) return null;
  return field ? { field, side, percent } : null;
}

/** "Calls", "CALLS", "Call options" — a group label over a block of columns or above a table. */
export function sideLabel(raw: string): Side | null {
  const s = normaliseHeader(raw);
  if (/^(calls?|call options|call side)$/.test(s)) return 'call';
  if (/^(puts?|put options|put side)$/.test(s)) return 'put';
  return null;
}

/**
 * One side named in a short label that says more than the side: "2022-05-11 - Puts", "Chain Type: Puts",
 * "Calls only", "AAPL Calls". Null when both sides are named ("Calls & Puts", "Put/Call ratio") or none.
 */
export function sideWord(raw: string): Side | null {
  const s = normaliseHeader(raw);
  if (s.length === 0 || s.length > 60) return null;
  const exact = sideLabel(raw);
  if (exact) return exact;
  const calls = /\bcalls?\b/.test(s);
  const puts = /\bputs?\b/.test(s);
  if (calls === puts) return null;
  // The side word must stand as the label's value: at the end, or first, not inside a sentence.
  const ok = /(?:^|[-–—:|/]\s*|\s)(calls?|puts?)(?:\s+only)?$/.test(s) || /^(calls?|puts?)\b/.test(s);
  if (!ok) return null;
  return calls ? 'call' : 'put';
}
