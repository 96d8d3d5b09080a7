/**
 * Market breadth for ALVH Layer One sizing (DESIGN.md §3: "scaled by the signal strength (VIX RSI(14),
 * advance–decline divergence)").
 *
 *  - The advance–decline series: a simple CSV `date,advances,declines[,close]` (one row per trading day; `close` is
 *    the index close that day, optional). Header optional; dates YYYY-MM-DD; advances and declines whole numbers ≥ 0.
 *    Bad lines are counted and skipped with their reason; duplicates keep the last row.
 *  - The A–D line: the running sum of (advances − declines) (the standard definition: Colby, "The Encyclopedia of
 *    Technical Market Indicators", "Advance-Decline Line").
 *  - Breadth divergence (bearish): over the last layerOneBreadthLookbackDays rows, the index's last close is within
 *    layerOneBreadthNearHighPct % of the window's highest close AND the A–D line ends below where the window began.
 *    Without index closes the first half cannot be judged and the divergence is skipped (never guessed).
 *  - The Layer One size share: strength = clamp((RSI − layerOneRsiLongWeak) / (layerOneRsiLongFull −
 *    layerOneRsiLongWeak), 0, 1) + layerOneBreadthDivergenceBoost when the divergence fires, capped at 1;
 *    share = layerOneMinSizeShare + (1 − layerOneMinSizeShare) × strength. No RSI (too little history): share 1 —
 *    the sizing never shrinks a hedge on a signal it cannot read.
 *
 * Pure: no I/O.
 */
import type { Thresholds } from './rulebook';
import type { RuleCheck } from './stages';

export interface AdvanceDeclineRow {
  date: string;
  advances: number;
  declines: number;
  /** Index close that day, if the file gives it. */
  close: number | null;
}

export interface AdvanceDeclineParse {
  rows: AdvanceDeclineRow[];
  badLines: { line: number; reason: string }[];
  /** True when at least one row has an index close. */
  hasClose: boolean;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function validDate(s: string): boolean {
  if (!DATE.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/**
 * Parse `date,advances,declines[,close]` text. Never throws: unusable lines are reported in badLines. A file read in
 * slices (the options page's import) passes each later slice with `firstLine` (its first line's number in the file)
 * and `header: false` (a header is only at the top of a file).
 */
export function parseAdvanceDecline(params: {
  text: string;
  firstLine?: number;
  header?: boolean;
}): AdvanceDeclineParse {
  const badLines: AdvanceDeclineParse['badLines'] = [];
  const byDate = new Map<string, AdvanceDeclineRow>();
  const lines = params.text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const base = (params.firstLine ?? 1) - 1;
  lines.forEach((raw, k) => {
    const i = base + k;
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const cells = line.split(',').map((c) => c.trim());
    if (params.header !== false && (k === 0 || (byDate.size === 0 && badLines.length === 0))) {
      if (/^date$/i.test(cells[0] ?? '')) return; // header
    }
    if (cells.length < 3 || cells.length > 4) {
      badLines.push({ line: i + 1, reason: `expected date,advances,declines[,close] (got ${cells.length} fields)` });
      return;
    }
    const [date, a, d, c] = cells as [string, string, string, string | undefined];
    if (!validDate(date)) {
      badLines.push({ line: i + 1, reason: `not a date YYYY-MM-DD: ${JSON.stringify(date)}` });
      return;
    }
    const adv = Number(a);
    const dec = Number(d);
    if (!/^\d+$/.test(a) || !/^\d+$/.test(d) || !Number.isFinite(adv) || !Number.isFinite(dec)) {
      badLines.push({ line: i + 1, reason: `advances and declines must be whole numbers ≥ 0 (got ${a}, ${d})` });
      return;
    }
    let close: number | null = null;
    if (c !== undefined && c !== '') {
      close = Number(c);
      if (!Number.isFinite(close) || close <= 0) {
        badLines.push({ line: i + 1, reason: `close must be a positive number (got ${JSON.stringify(c)})` });
        return;
      }
    }
    byDate.set(date, { date, advances: adv, declines: dec, close });
  });
  const rows = [...byDate.values()].sort((x, y) => x.date.localeCompare(y.date));
  return { rows, badLines, hasClose: rows.some((r) => r.close !== null) };
}

/** The A–D line: running sum of advances − declines, one value per row. */
export function advanceDeclineLine(rows: readonly AdvanceDeclineRow[]): number[] {
  let s = 0;
  return rows.map((r) => (s += r.advances - r.declines));
}

export interface BreadthDivergence {
  /** True when both halves fired. */
  fired: boolean;
  /** False when it could not be judged (too few rows, no index closes). */
  judged: boolean;
  window: { from: string; to: string } | null;
  adChange: number | null;
  closeFromHighPct: number | null;
  checks: RuleCheck[];
}

function fmt(x: number, d = 2): string {
  return Number(x.toFixed(d)).toString();
}

/** Judge the breadth divergence on the last layerOneBreadthLookbackDays rows (rows up to `asOf`, YYYY-MM-DD, if given). */
export function breadthDivergence(params: {
  rows: readonly AdvanceDeclineRow[];
  thresholds: Thresholds;
  asOf?: string;
}): BreadthDivergence {
  const t = params.thresholds;
  const rows = params.asOf ? params.rows.filter((r) => r.date <= params.asOf!) : params.rows.slice();
  const n = t.layerOneBreadthLookbackDays;
  const skip = (why: string): BreadthDivergence => ({
    fired: false,
    judged: false,
    window: null,
    adChange: null,
    closeFromHighPct: null,
    checks: [
      {
        id: 'breadth.divergence',
        rule: 'layerOneBreadthLookbackDays',
        input: 'Advance–decline divergence',
        value: null,
        comparator: '>=',
        threshold: n,
        fired: false,
        skipped: true,
        sentence: `Advance–decline divergence: skipped — ${why}.`,
      },
    ],
  });
  if (rows.length < n + 1)
    return skip(
      `${rows.length} row(s) of advance–decline data, ${n + 1} needed (layerOneBreadthLookbackDays ${n} + 1)`,
    );
  const line = advanceDeclineLine(rows);
  const w = rows.slice(-(n + 1));
  const lw = line.slice(-(n + 1));
  const adChange = (lw[lw.length - 1] as number) - (lw[0] as number);
  const closes = w.map((r) => r.close);
  const lastClose = closes[closes.length - 1];
  const window = { from: w[0]!.date, to: w[w.length - 1]!.date };
  if (lastClose === null || lastClose === undefined)
    return skip(`no index close on ${window.to} (give a 4th column, close, to judge "the index near its high")`);
  const high = Math.max(...closes.filter((c): c is number => c !== null));
  const fromHigh = ((high - lastClose) / high) * 100;
  const nearHigh: RuleCheck = {
    id: 'breadth.nearHigh',
    rule: 'layerOneBreadthNearHighPct',
    input: `Index close ${fmt(lastClose)} below its ${n}-day high ${fmt(high)}`,
    value: fromHigh,
    comparator: '<=',
    threshold: t.layerOneBreadthNearHighPct,
    fired: fromHigh <= t.layerOneBreadthNearHighPct,
    skipped: false,
    sentence: `Index close ${fmt(lastClose)} is ${fmt(fromHigh)}% below its ${n}-day high ${fmt(high)} ≤ ${fmt(t.layerOneBreadthNearHighPct)}% (layerOneBreadthNearHighPct): ${fromHigh <= t.layerOneBreadthNearHighPct ? 'fired' : 'not met'}.`,
  };
  const falling: RuleCheck = {
    id: 'breadth.adFalling',
    rule: 'layerOneBreadthLookbackDays',
    input: `A–D line change over ${n} days`,
    value: adChange,
    comparator: '<',
    threshold: 0,
    fired: adChange < 0,
    skipped: false,
    sentence: `A–D line change over ${n} days (layerOneBreadthLookbackDays, ${window.from} → ${window.to}) ${adChange} < 0: ${adChange < 0 ? 'fired' : 'not met'}.`,
  };
  return {
    fired: nearHigh.fired && falling.fired,
    judged: true,
    window,
    adChange,
    closeFromHighPct: fromHigh,
    checks: [nearHigh, falling],
  };
}

export interface SignalStrength {
  /** RSI(rsiLongPeriod) of VIX on the last bar (null: not enough history). */
  rsiLong: number | null;
  /** 0–1 from the RSI alone (null when no RSI). */
  rsiScore: number | null;
  breadth: BreadthDivergence | null;
  /** 0–1 (null when no RSI: no scaling). */
  strength: number | null;
  /** Share of the full Layer One quantity to take, in [layerOneMinSizeShare, 1]. */
  share: number;
  checks: RuleCheck[];
  sentence: string;
}

/** The Layer One size share from the signal strength (see the file header for the formula). */
export function layerOneSignalStrength(params: {
  rsiLong: number | null;
  breadth: BreadthDivergence | null;
  /** The macro gauges in stress that raise Layer One (credit, curve); null: no macro series brought. */
  macroStress?: readonly string[] | null;
  thresholds: Thresholds;
}): SignalStrength {
  const { rsiLong, breadth, thresholds: t } = params;
  const macroStress = params.macroStress ?? null;
  const lo = t.layerOneRsiLongWeak;
  const hi = t.layerOneRsiLongFull;
  const minShare = t.layerOneMinSizeShare;
  const rsiCheck: RuleCheck = {
    id: 'sizing.rsiLong',
    rule: 'layerOneRsiLongFull',
    input: `RSI(${t.rsiLongPeriod}) of VIX`,
    value: rsiLong !== null && Number.isFinite(rsiLong) ? rsiLong : null,
    comparator: '>=',
    threshold: hi,
    fired: rsiLong !== null && rsiLong >= hi,
    skipped: rsiLong === null || !Number.isFinite(rsiLong),
    sentence: '',
  };
  const checks: RuleCheck[] = [rsiCheck, ...(breadth?.checks ?? [])];
  const macroBoost = macroStress && macroStress.length > 0 ? t.layerOneMacroStressBoost : 0;
  const breadthBoost = breadth?.fired ? t.layerOneBreadthDivergenceBoost : 0;
  const boost = breadthBoost + macroBoost;
  const breadthText = !breadth
    ? 'no advance–decline series given'
    : breadth.fired
      ? `breadth divergence fired → +${fmt(breadthBoost)} (layerOneBreadthDivergenceBoost)`
      : breadth.judged
        ? 'no breadth divergence'
        : 'breadth divergence not judged';
  const macroText =
    macroStress === null
      ? ''
      : macroStress.length > 0
        ? `; macro stress (${macroStress.join(', ')}) → +${fmt(macroBoost)} (layerOneMacroStressBoost)`
        : '; no credit or curve stress';
  if (rsiCheck.skipped) {
    rsiCheck.sentence = `RSI(${t.rsiLongPeriod}) of VIX: skipped — not enough history; Layer One is not scaled down.`;
    return {
      rsiLong: null,
      rsiScore: null,
      breadth,
      strength: null,
      share: 1,
      checks,
      sentence: `Signal strength: RSI(${t.rsiLongPeriod}) of VIX not available (too little history) → the full size, share 1 (${breadthText}${macroText}).`,
    };
  }
  const r = rsiLong as number;
  const rsiScore = Math.min(1, Math.max(0, (r - lo) / (hi - lo)));
  const strength = Math.min(1, rsiScore + boost);
  const share = minShare + (1 - minShare) * strength;
  rsiCheck.sentence = `RSI(${t.rsiLongPeriod}) of VIX ${fmt(r)} on the scale layerOneRsiLongWeak ${fmt(lo)} → layerOneRsiLongFull ${fmt(hi)}: ${fmt(rsiScore)}.`;
  return {
    rsiLong: r,
    rsiScore,
    breadth,
    strength,
    share,
    checks,
    sentence: `Signal strength: RSI(${t.rsiLongPeriod}) of VIX ${fmt(r)} on the scale from layerOneRsiLongWeak ${fmt(lo)} to layerOneRsiLongFull ${fmt(hi)} → ${fmt(rsiScore)}; ${breadthText}${macroText}; strength ${fmt(strength)} → ${fmt(share)} of the full size (layerOneMinSizeShare ${fmt(minShare)} + (1 − ${fmt(minShare)}) × ${fmt(strength)}).`,
  };
}

/** Scaled quantity: ceil(share × full), at least 1 (ceil: a partial hedge errs toward protection). */
export function scaledQuantity(full: number, share: number): number {
  return Math.max(1, Math.min(full, Math.ceil(share * full - 1e-9)));
}
