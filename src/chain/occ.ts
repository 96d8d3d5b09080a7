/**
 * OCC option symbols (OCC "Symbology Initiative", 2010): ROOT (1–6 chars, space-padded to 6) + YYMMDD +
 * C/P + strike × 1000 as 8 digits, e.g. "SPXW  260320P06600000" (21 characters).
 * Also read: the unpadded form Cboe downloads use ("SPXW260320P06600000"), the compact form brokers show
 * ("SPXW260320P6600", "SPY251001C657.5"), an optional leading "." or "-" (thinkorswim, some platforms) or
 * "O:" (market-data APIs), and an optional trailing exchange suffix ("-E").
 */
import type { OptionKind } from './types.ts';

export interface OccSymbol {
  root: string;
  /** ISO date YYYY-MM-DD. */
  expiry: string;
  kind: OptionKind;
  strike: number;
}

const PATTERN = /^(?:O:|[.-])?([A-Z][A-Z0-9.]{0,5}?)\s*(\d{2})(\d{2})(\d{2})([CP])(\d+(?:\.\d+)?)(?:-[A-Z])?$/;

/** Parse an OCC-style option symbol; null if it is not one (never throws). */
export function parseOcc(symbol: string | null | undefined): OccSymbol | null {
  if (typeof symbol !== 'string') return null;
  const m = PATTERN.exec(symbol.trim().toUpperCase());
  if (!m) return null;
  const [, root, yy, mm, dd, cp, strikeText] = m as unknown as [string, string, string, string, string, string, string];
  const year = 2000 + Number(yy);
  const month = Number(mm);
  const day = Number(dd);
  const d = new Date(Date.UTC(year, month - 1, day));
  if (month < 1 || month > 12 || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) return null;
  // Exactly 8 digits with no decimal point: OCC's strike × 1000. Anything else: the strike as written.
  const strike = /^\d{8}$/.test(strikeText) ? Number(strikeText) / 1000 : Number(strikeText);
  if (!Number.isFinite(strike) || strike <= 0) return null;
  return { root, expiry: `${year}-${mm}-${dd}`, kind: cp === 'C' ? 'call' : 'put', strike };
}

/**
 * Format an OCC symbol. `style: 'padded'` (default): the 21-character OCC form with the root padded to six.
 * 'cboe': the same without padding ("SPXW260320P06600000"). 'compact': strike as a plain decimal
 * ("SPXW260320P6600").
 */
export function formatOcc(
  { root, expiry, kind, strike }: OccSymbol,
  { style = 'padded' }: { style?: 'padded' | 'cboe' | 'compact' } = {},
): string {
  return occFormatter(root, expiry, style)(kind, strike);
}

/**
 * formatOcc for one root and expiry, checked and written once: the returned function writes the symbol of each kind
 * and strike (a chain's quotes share their root and expiry). Throws as formatOcc does.
 */
export function occFormatter(
  root: string,
  expiry: string,
  style: 'padded' | 'cboe' | 'compact' = 'padded',
): (kind: OptionKind, strike: number) => string {
  const r = root.trim().toUpperCase();
  if (!/^[A-Z][A-Z0-9.]{0,5}$/.test(r)) throw new RangeError(`not an option root: ${JSON.stringify(root)}`);
  const m = /^20(\d{2})-(\d{2})-(\d{2})$/.exec(expiry);
  if (!m) throw new RangeError(`expiry must be an ISO date in 2000–2099: ${JSON.stringify(expiry)}`);
  const head = `${style === 'padded' ? r.padEnd(6, ' ') : r}${m[1]}${m[2]}${m[3]}`;
  return (kind, strike) => {
    const thousandths = Math.round(strike * 1000);
    if (!(strike > 0) || thousandths >= 1e8 || Math.abs(thousandths - strike * 1000) > 1e-6 * Math.max(1, strike)) {
      throw new RangeError(`strike not representable in an OCC symbol: ${strike}`);
    }
    const cp = kind === 'call' ? 'C' : 'P';
    if (style === 'compact') return `${head}${cp}${String(thousandths / 1000)}`;
    return `${head}${cp}${String(thousandths).padStart(8, '0')}`;
  };
}

/**
 * The OCC symbol writer for one root and expiry (occFormatter), or for an expiry OCC cannot write (before 2000: the
 * backtest's model chains reach back to 1990, before OCC symbols existed) a writer of plain labels
 * "ROOT YYYY-MM-DD P6600". Never throws on the date.
 */
export function occOrLabelFormatter(root: string, expiry: string): (kind: OptionKind, strike: number) => string {
  if (expiry.startsWith('20')) return occFormatter(root, expiry);
  const head = `${root.trim().toUpperCase()} ${expiry} `;
  return (kind, strike) => `${head}${kind === 'call' ? 'C' : 'P'}${strike}`;
}
