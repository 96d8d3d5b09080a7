/**
 * `hedgelens analyze <file> [--expiry YYYY-MM-DD] [--condor K1/K2/K3/K4] [--qty N] [--credit X]
 *  [--vix X] [--vix-history FILE] [--vix3m FILE] [--vix-chain FILE] [--rulebook FILE] [--account-size N] [--buying-power N] [--fill mid|natural|F] [--commission X]
 *  [--advance-decline FILE] [--held FILE] [--position FILE [--position-name NAME]] [--macro KIND:YYYY-MM-DD,…] [--now ISO] [--json]`
 *
 * Reads a chain from a Cboe download (.csv / legacy .dat), a Chain or snapshot JSON, a Yahoo optionChain JSON,
 * or a saved HTML page (through the page adapters), then prints the analysis: forward, ATM IV, expected move and
 * the condor's risk (given, or the suggested one). A saved file is analysed as of its own time stamp (`asOf`)
 * unless --now says otherwise. Exit 0 on success, 2 on bad input.
 *
 * With --vix and/or --vix-history it adds the ALVH plan (src/engine/alvh/plan.ts): the stage, the rules that decided
 * it, and priced hedge tickets (src/cli/alvhText.ts prints them; --json puts the plan under `plan`).
 */
import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseTimestamp } from '../../chain/dates.ts';
import { importChainText } from '../../chain/importers/index.ts';
import { importSnapshotExport } from '../snapshotInput.ts';
import type { Chain } from '../../chain/types.ts';
import { valuationTime } from '../../engine/time.ts';
import type { MacroEvent } from '../../engine/alvh/stages.ts';
import {
  describeMacroErrors,
  parseMacroCalendar,
  parseMacroItem,
  sortMacroEvents,
} from '../../engine/alvh/macroCalendar.ts';
import type { ChainAnalysis } from '../../engine/types.ts';
import { defaultRulebook, importRulebook, type Rulebook } from '../../engine/alvh/rulebook.ts';
import {
  computeSession,
  DEFAULT_CURVE,
  defaultAlvhInputs,
  type AlvhInputs,
  type ReadyState,
  type SessionInputs,
  type SessionMeta,
} from '../../engine/session/index.ts';
import { attachVix3m, newYorkDate, parseVixHistory, type VixBar } from '../../engine/alvh/vixSeries.ts';
import { volIndexProblem } from '../../engine/historyChecks.ts';
import { parseAdvanceDecline, type AdvanceDeclineRow } from '../../engine/alvh/breadth.ts';
import type { GaugeReading } from '../../engine/macro/gauges.ts';
import type { ChainVix } from '../../engine/session/vixCheck.ts';
import type { HeldHedge } from '../../engine/alvh/plan.ts';
import { alvhText, type AlvhContext } from '../alvhText.ts';
import { positionText, readPosition, type ImportedPosition } from '../positionArg.ts';
import { numberFlag, parseArgs } from '../args.ts';
import { fmtDollars, fmtNumber, fmtPercent, fmtStrike, table } from '../format.ts';
import { readTextFile, UsageError, type CliIo, type CommandRun } from '../io.ts';
import { macroSeriesList, readMacroSeries } from '../macroSeries.ts';

const USAGE =
  'usage: hedgelens analyze <file.html|file.csv|file.dat|file.json> [--expiry YYYY-MM-DD] [--condor K1/K2/K3/K4] [--qty N] [--credit X] [--vix X] [--vix-history FILE] [--vix3m FILE] [--vix-chain FILE] [--rulebook FILE] [--account-size N] [--buying-power N] [--fill mid|natural|F] [--commission X] [--advance-decline FILE] [--held FILE] [--position FILE [--position-name NAME]] [--macro KIND:YYYY-MM-DD,…] [--macro-file FILE] [--macro-dir DIR] [--macro-series FILE[,FILE…]] [--now ISO] [--json]';

/** `--macro CPI:2025-10-15,FOMC:2025-10-29`: the macro events the trader flags (the engine's macroCalendar.ts parser). */
export function parseMacroEvents(text: string): MacroEvent[] {
  const out: MacroEvent[] = [];
  for (const part of text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const r = /:/.test(part) ? parseMacroItem(part) : { reason: 'no kind' };
    if ('reason' in r)
      throw new UsageError(`--macro takes KIND:YYYY-MM-DD[,…], e.g. CPI:2025-10-15,FOMC:2025-10-29 (got "${part}")`);
    out.push(r);
  }
  if (out.length === 0) throw new UsageError('--macro takes KIND:YYYY-MM-DD[,…], e.g. CPI:2025-10-15');
  return out;
}

/** A typed VIX outside this range is a typo, not a market (the highest close since 1990 is 82.69). */
export const VIX_MIN = 5;
export const VIX_MAX = 150;

const FLAGS = {
  expiry: { type: 'string' },
  condor: { type: 'string' },
  qty: { type: 'string' },
  credit: { type: 'string' },
  vix: { type: 'string' },
  'vix-history': { type: 'string' },
  'vix-chain': { type: 'string' },
  vix3m: { type: 'string' },
  rulebook: { type: 'string' },
  'account-size': { type: 'string' },
  'buying-power': { type: 'string' },
  fill: { type: 'string' },
  commission: { type: 'string' },
  'advance-decline': { type: 'string' },
  macro: { type: 'string' },
  'macro-file': { type: 'string' },
  'macro-dir': { type: 'string' },
  'macro-series': { type: 'string' },
  held: { type: 'string' },
  position: { type: 'string' },
  'position-name': { type: 'string' },
  now: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', alias: 'h' },
} as const;

export interface AnalyzeArgs {
  file: string;
  expiry?: string;
  condor?: { strikes: [number, number, number, number]; quantity: number; credit?: number };
  vix?: number;
  vixHistory?: string;
  vixChain?: string;
  /** Cboe's VIX3M_History.csv: the term structure the stage machine judges (secondEngineMinVixToVix3m). */
  vix3m?: string;
  rulebook?: string;
  accountSize?: number;
  buyingPower?: number;
  /** Assumed fill of hedge legs: 0 = mid … 1 = natural (from --fill mid|natural|FRACTION). */
  fillFraction?: number;
  /** Commissions and fees per option contract, dollars (--commission). */
  commission?: number;
  /** CSV date,advances,declines[,close]: breadth divergence scales Layer One. */
  advanceDecline?: string;
  /** Macro events the trader flags (CPI, PPI, FOMC…): raise the plan's urgency when near. */
  macroEvents?: MacroEvent[];
  /** A macro calendar file (lines KIND,YYYY-MM-DD; the options page's import format): added to --macro. */
  macroFile?: string;
  /** JSON array of held hedge legs: closed layer by layer in the Unwind stage. */
  held?: string;
  /** A broker position file (any format `hedgelens positions` reads): its condor, and the legs beside it. */
  position?: string;
  /** Which position of the file, by the name `hedgelens positions` prints. */
  positionName?: string;
  /** A folder of FRED CSVs (every *.csv in it), and single FRED CSV files: the macro gauges read them. */
  macroDir?: string;
  macroSeries?: string[];
  now?: Date;
  json: boolean;
}

/** "6400/6450/6800/6850" (also with commas or spaces) → four ascending strikes, K2 ≤ K3. */
export function parseCondorStrikes(text: string): [number, number, number, number] {
  const parts = text.split(/[/,\s]+/).filter((p) => p !== '');
  const ks = parts.map(Number);
  if (ks.length !== 4 || ks.some((k) => !Number.isFinite(k) || k <= 0)) {
    throw new UsageError(`--condor needs four strikes K1/K2/K3/K4 (got ${JSON.stringify(text)})`);
  }
  const [k1, k2, k3, k4] = ks as [number, number, number, number];
  if (!(k1 < k2 && k2 <= k3 && k3 < k4)) {
    throw new UsageError(`--condor strikes must satisfy K1 < K2 ≤ K3 < K4 (got ${text})`);
  }
  return [k1, k2, k3, k4];
}

export function parseAnalyzeArgs(argv: string[]): AnalyzeArgs | 'help' {
  const { positionals, values } = parseArgs({ argv, flags: FLAGS, usage: USAGE });
  if (values.help) return 'help';
  if (positionals.length === 0) throw new UsageError(`no file given; ${USAGE}`);
  if (positionals.length > 1) throw new UsageError(`one file at a time (got ${positionals.join(', ')}); ${USAGE}`);
  const out: AnalyzeArgs = { file: positionals[0]!, json: values.json === true };
  const str = (k: keyof typeof FLAGS): string | undefined =>
    typeof values[k] === 'string' ? (values[k] as string) : undefined;

  const expiry = str('expiry');
  if (expiry !== undefined) {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(expiry);
    const d = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : null;
    if (!d || d.toISOString().slice(0, 10) !== expiry)
      throw new UsageError(`--expiry must be a date YYYY-MM-DD (got ${JSON.stringify(expiry)})`);
    out.expiry = expiry;
  }
  const condor = str('condor');
  const qty = str('qty');
  const credit = str('credit');
  if (condor === undefined && (qty !== undefined || credit !== undefined)) {
    throw new UsageError('--qty and --credit describe a condor: give --condor K1/K2/K3/K4 too');
  }
  if (condor !== undefined) {
    out.condor = {
      strikes: parseCondorStrikes(condor),
      quantity: qty === undefined ? 1 : numberFlag({ name: 'qty', value: qty, positive: true, integer: true }),
    };
    if (credit !== undefined) {
      const c = numberFlag({ name: 'credit', value: credit });
      if (c < 0) throw new UsageError(`--credit is the credit received per condor, ≥ 0 (got ${credit})`);
      out.condor.credit = c;
    }
  }
  const position = str('position');
  const positionName = str('position-name');
  if (position !== undefined && condor !== undefined)
    throw new UsageError('--position and --condor both give the condor: use one of them');
  if (positionName !== undefined && position === undefined)
    throw new UsageError('--position-name chooses a position of the --position file: give --position FILE too');
  if (position !== undefined) out.position = position;
  if (positionName !== undefined) out.positionName = positionName;
  const vix = str('vix');
  if (vix !== undefined) {
    const v = numberFlag({ name: 'vix', value: vix, positive: true });
    if (v < VIX_MIN || v > VIX_MAX)
      throw new UsageError(`--vix must be a VIX level between ${VIX_MIN} and ${VIX_MAX} (got ${vix})`);
    out.vix = v;
  }
  const vixHistory = str('vix-history');
  if (vixHistory !== undefined) out.vixHistory = vixHistory;
  const vixChain = str('vix-chain');
  if (vixChain !== undefined) out.vixChain = vixChain;
  const vix3m = str('vix3m');
  if (vix3m !== undefined) {
    if (vixHistory === undefined)
      throw new UsageError('--vix3m is read beside the VIX history: give --vix-history VIX_History.csv too');
    out.vix3m = vix3m;
  }
  const rulebook = str('rulebook');
  if (rulebook !== undefined) out.rulebook = rulebook;
  const acct = str('account-size');
  if (acct !== undefined) out.accountSize = numberFlag({ name: 'account-size', value: acct, positive: true });
  const bp = str('buying-power');
  if (bp !== undefined) {
    const v = numberFlag({ name: 'buying-power', value: bp });
    if (v < 0) throw new UsageError(`--buying-power is dollars available, ≥ 0 (got ${bp})`);
    out.buyingPower = v;
  }
  const fill = str('fill');
  if (fill !== undefined) {
    const f = fill === 'mid' ? 0 : fill === 'natural' ? 1 : Number(fill);
    if (fill.trim() === '' || !Number.isFinite(f) || f < 0 || f > 1)
      throw new UsageError(
        `--fill is mid, natural or a fraction of the way from the mid to the natural price, 0–1 (got ${JSON.stringify(fill)})`,
      );
    out.fillFraction = f;
  }
  const commission = str('commission');
  if (commission !== undefined) {
    const v = numberFlag({ name: 'commission', value: commission });
    if (v < 0) throw new UsageError(`--commission is dollars per contract, ≥ 0 (got ${commission})`);
    out.commission = v;
  }
  const ad = str('advance-decline');
  if (ad !== undefined) out.advanceDecline = ad;
  const macro = str('macro');
  if (macro !== undefined) out.macroEvents = parseMacroEvents(macro);
  const macroFile = str('macro-file');
  if (macroFile !== undefined) out.macroFile = macroFile;
  const held = str('held');
  if (held !== undefined) out.held = held;
  const macroDir = str('macro-dir');
  if (macroDir !== undefined) out.macroDir = macroDir;
  const macroSeries = str('macro-series');
  if (macroSeries !== undefined) {
    out.macroSeries = macroSeriesList(macroSeries);
  }
  const alvhOnly = [
    ['vix-chain', vixChain],
    ['advance-decline', ad],
    ['macro', macro],
    ['macro-file', macroFile],
    ['held', held],
    ['macro-dir', macroDir],
    ['macro-series', macroSeries],
    ['rulebook', rulebook],
    ['account-size', acct],
    ['buying-power', bp],
    ['fill', fill],
    ['commission', commission],
  ].find(([, v]) => v !== undefined);
  if (alvhOnly && vix === undefined && vixHistory === undefined) {
    throw new UsageError(`--${alvhOnly[0]} is for the ALVH hedge plan: give --vix X and/or --vix-history FILE too`);
  }
  const now = str('now');
  if (now !== undefined) {
    const ts = parseTimestamp(now, { defaultZone: 'UTC' });
    if (!ts.ok || ts.instant === null) {
      throw new UsageError(
        `--now must be a time such as 2026-03-14T15:30:00Z (${ts.ok ? 'no time of day' : ts.reason})`,
      );
    }
    out.now = new Date(ts.instant);
  }
  return out;
}

/** Saved HTML pages go through the page adapters (src/brokers/node.ts) when that module is present. */
async function chainFromHtml(html: string, file: string): Promise<Chain> {
  const url = new URL('../../brokers/node.ts', import.meta.url);
  if (!existsSync(fileURLToPath(url))) throw new UsageError('HTML pages are not supported yet');
  const mod = (await import(url.href)) as {
    readChainFromHtml?: (html: string) => { ok: true; chain: Chain } | { ok: false; reason: string };
  };
  if (typeof mod.readChainFromHtml !== 'function') throw new UsageError('HTML pages are not supported yet');
  const r = mod.readChainFromHtml(html);
  if (!r.ok) throw new UsageError(`no option chain in ${basename(file)}: ${r.reason}`);
  return { ...r.chain, source: { ...r.chain.source, name: basename(file) } };
}

export async function loadChain(io: CliIo, file: string): Promise<Chain> {
  const text = await readTextFile(io, file);
  const looksHtml = /\.x?html?$/i.test(file) || /^\s*<(!doctype|html|head|body|table|div)/i.test(text.slice(0, 2000));
  if (looksHtml) return chainFromHtml(text, file);
  const r = importChainText({ text, fileName: file });
  if (r.ok) return r.chain;
  // A HedgeLens snapshot export (many snapshots): the newest, said in the chain's warnings.
  const fromExport = importSnapshotExport({ text, fileName: file });
  if (fromExport?.ok) return fromExport.chain;
  throw new UsageError(`${basename(file)}: ${fromExport && !fromExport.ok ? fromExport.reason : r.reason}`);
}

/** The chain's own VIX-style index as one line (null for another underlying). */
export function chainVixLine(c: ChainVix | null): string | null {
  if (!c) return null;
  if (!c.index.ok) return `VIX from this chain: none (${c.index.reason})`;
  return `VIX from this chain (Cboe's white-paper method): ${c.index.label}${c.usable ? '' : ' — not used as the VIX'}`;
}

function summaryText({
  chain,
  analysis,
  now,
  nowSource,
  extra = null,
  chainVix = null,
}: {
  chain: Chain;
  analysis: ChainAnalysis;
  now: Date;
  nowSource: string;
  /** A section printed before the closing disclaimer (the ALVH plan). */
  extra?: string | null;
  /** The chain's own 30-day VIX-style index (S&P 500 chains). */
  chainVix?: ChainVix | null;
}): string {
  const L: string[] = [];
  const rows = chain.expiries.reduce((s, e) => s + e.rows.length, 0);
  L.push(
    `${chain.underlying.symbol} ${fmtNumber(chain.underlying.price)} · ${chain.source.name ?? chain.source.adapter} (${chain.source.adapter}) · ${chain.expiries.length} expiries, ${rows} strikes`,
  );
  L.push(`as of ${now.toISOString().replace('.000Z', 'Z')} (${nowSource}) · rate ${fmtPercent(analysis.rateAssumed)}`);

  const chosen = analysis.chosenExpiry === null ? null : analysis.expiries[analysis.chosenExpiry]!;
  L.push('');
  if (!chosen) {
    L.push(`No usable expiry: ${analysis.chosenReason}`);
    if (nowSource.startsWith('the clock'))
      L.push('  the file has no time stamp: give --now <when it was saved> to analyse it as of then');
  } else {
    const f = chosen.forward;
    L.push(
      `Expiry ${chosen.date} ${chosen.root ?? ''} ${chosen.settlement} · ${fmtNumber(chosen.daysToExpiry, { digits: 2 })} days (${analysis.chosenReason})`,
    );
    L.push(
      `  forward ${fmtNumber(f.forward)} (${f.method}, ${f.strikesUsed.length} strikes) · discount ${fmtNumber(f.discount, { digits: 5 })}${f.reason ? ` · ${f.reason}` : ''}`,
    );
    const em = chosen.expectedMove;
    L.push(
      `  ATM IV ${fmtPercent(chosen.atmVol)} · expected move ±${fmtNumber(em.fromAtmVol)} (1σ ATM IV), ±${fmtNumber(em.fromStraddle)} (straddle at ${fmtStrike(em.straddleStrike)})`,
    );
  }

  const c = analysis.condor;
  L.push('');
  if (!c) {
    L.push(`Condor: none${analysis.condorReason ? ` (${analysis.condorReason})` : ''}`);
  } else {
    L.push(
      `Condor ${c.strikes.map(fmtStrike).join('/')} ×${c.quantity} on ${c.expiry}${analysis.condorSuggested ? ' (suggested: 16-delta shorts; give --condor for yours)' : ''}`,
    );
    L.push(
      table({
        headers: ['leg', 'strike', 'bid', 'ask', 'mid', 'IV', 'delta'],
        left: [0],
        rows: c.legs.map((g) => [
          `${g.side > 0 ? 'long' : 'short'} ${g.kind}`,
          fmtStrike(g.strike),
          fmtNumber(g.bid),
          fmtNumber(g.ask),
          fmtNumber(g.mid),
          fmtPercent(g.vol),
          fmtNumber(g.delta, { digits: 3 }),
        ]),
      })
        .split('\n')
        .map((x) => `  ${x}`)
        .join('\n'),
    );
    L.push(
      `  credit: mid ${fmtNumber(c.creditMid)}, natural ${fmtNumber(c.creditNatural)}, used ${fmtNumber(c.creditUsed)} (${c.creditSource}) · width ${fmtStrike(c.width)}`,
    );
    L.push(
      `  max profit ${fmtDollars(c.maxProfitDollars)} · max loss ${fmtDollars(c.maxLossDollars)} · breakevens ${fmtNumber(c.breakevenLower)} / ${fmtNumber(c.breakevenUpper)} · return on risk ${fmtPercent(c.returnOnRisk, { digits: 1 })}`,
    );
    const p = c.probability;
    L.push(
      `  P(profit) ${fmtPercent(p.profitLognormal, { digits: 1 })} lognormal, ${fmtPercent(p.profitSkewAware, { digits: 1 })} skew-aware (${p.dayCount}) · P(touch) put ${fmtPercent(p.touchShortPut, { digits: 1 })}, call ${fmtPercent(p.touchShortCall, { digits: 1 })}`,
    );
    const g = c.greeks;
    L.push(
      `  greeks: delta ${fmtDollars(g.deltaDollarsPerPoint, { digits: 2, sign: true })}/pt · gamma ${fmtDollars(g.gammaDollarsPerPoint, { digits: 2, sign: true })}/pt² · vega ${fmtDollars(g.vegaDollarsPerVolPoint, { digits: 2, sign: true })}/vol pt · theta ${fmtDollars(g.thetaDollarsPerDay, { digits: 2, sign: true })}/day`,
    );
  }

  const usable = analysis.expiries.filter((e) => e.reason === null);
  if (usable.length > 0) {
    L.push('');
    L.push(
      table({
        headers: ['expiry', 'root', 'set', 'days', 'forward', 'ATM IV', '±1σ'],
        left: [0, 1, 2],
        rows: usable
          .slice(0, 12)
          .map((e) => [
            e.date,
            e.root ?? '',
            e.settlement,
            fmtNumber(e.daysToExpiry, { digits: 1 }),
            fmtNumber(e.forward.forward),
            fmtPercent(e.atmVol),
            fmtNumber(e.expectedMove.fromAtmVol),
          ]),
      }),
    );
    if (usable.length > 12) L.push(`… ${usable.length - 12} more expiries (--json for all)`);
  }
  const vixLine = chainVixLine(chainVix);
  if (vixLine) {
    L.push('');
    L.push(vixLine);
  }
  const skipped = analysis.expiries.length - usable.length;
  if (skipped > 0)
    L.push(`${skipped} expiries not usable (e.g. ${analysis.expiries.find((e) => e.reason !== null)?.reason})`);

  const notes = [
    ...analysis.warnings,
    ...chain.warnings.map((w) => (w.row === null ? w.reason : `row ${w.row}: ${w.reason}`)),
  ];
  if (notes.length > 0) {
    L.push('');
    L.push(`Warnings (${notes.length}):`);
    for (const n of notes.slice(0, 8)) L.push(`  ${n}`);
    if (notes.length > 8) L.push(`  … ${notes.length - 8} more (--json for all)`);
  }
  if (extra) {
    L.push('');
    L.push(extra.trimEnd());
  }
  L.push('');
  L.push('Trading aids, not advice.');
  return L.join('\n') + '\n';
}

/** Read `--advance-decline FILE`: bad lines are counted (a warning), a file with no usable row is exit 2. */
async function readAdvanceDecline(
  io: CliIo,
  path: string,
): Promise<{ rows: AdvanceDeclineRow[]; info: NonNullable<AlvhContext['advanceDecline']> }> {
  const p = parseAdvanceDecline({ text: await readTextFile(io, path) });
  const first = p.badLines[0];
  if (p.rows.length === 0)
    throw new UsageError(
      `${basename(path)} has no usable advance–decline row (${p.badLines.length} bad line(s)${first ? `; first: line ${first.line}: ${first.reason}` : ''}); expected CSV lines date,advances,declines[,close] with dates YYYY-MM-DD`,
    );
  if (first)
    io.stderr(
      `warning: ${p.badLines.length} bad line(s) in ${path} skipped (first: line ${first.line}: ${first.reason})\n`,
    );
  return {
    rows: p.rows,
    info: {
      file: basename(path),
      rows: p.rows.length,
      first: p.rows[0]!.date,
      last: p.rows[p.rows.length - 1]!.date,
      badLines: p.badLines.length,
      hasClose: p.hasClose,
    },
  };
}

const HELD_KEYS = new Set(['underlying', 'root', 'expiry', 'kind', 'strike', 'quantity', 'entryPrice', 'layer']);

/** Read `--held FILE`: a JSON array of held legs; any malformed entry is exit 2 with its index and the field. */
export function parseHeld(text: string, name: string): HeldHedge[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`${name} is not JSON (${(e as Error).message}); --held needs a JSON array of legs`);
  }
  if (!Array.isArray(json) || json.length === 0)
    throw new UsageError(
      `${name}: --held needs a non-empty JSON array of legs {underlying, expiry, kind, strike, quantity, entryPrice[, root, layer]}`,
    );
  return json.map((x: unknown, i): HeldHedge => {
    const bad = (why: string): never => {
      throw new UsageError(`${name}[${i}]: ${why}`);
    };
    if (typeof x !== 'object' || x === null || Array.isArray(x)) return bad('expected an object');
    const o = x as Record<string, unknown>;
    for (const k of Object.keys(o)) if (!HELD_KEYS.has(k)) bad(`unknown field ${JSON.stringify(k)}`);
    if (typeof o.underlying !== 'string' || o.underlying === '')
      bad('underlying: expected a symbol such as "SPX" or "VIX"');
    if (typeof o.expiry !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(o.expiry)) bad('expiry: expected YYYY-MM-DD');
    if (o.kind !== 'call' && o.kind !== 'put') bad('kind: expected "call" or "put"');
    if (typeof o.strike !== 'number' || !(o.strike > 0)) bad('strike: expected a positive number');
    if (typeof o.quantity !== 'number' || !Number.isInteger(o.quantity) || o.quantity === 0)
      bad('quantity: expected a whole number ≠ 0 (+ long, − short)');
    if (typeof o.entryPrice !== 'number' || !Number.isFinite(o.entryPrice) || o.entryPrice < 0)
      bad('entryPrice: expected the price per contract paid or received, ≥ 0');
    if (o.root !== undefined && typeof o.root !== 'string') bad('root: expected a string');
    if (o.layer !== undefined && o.layer !== 'layer-one' && o.layer !== 'second-engine')
      bad('layer: expected "layer-one" or "second-engine"');
    return {
      underlying: (o.underlying as string).toUpperCase(),
      expiry: o.expiry as string,
      kind: o.kind as 'call' | 'put',
      strike: o.strike as number,
      quantity: o.quantity as number,
      entryPrice: o.entryPrice as number,
      ...(o.root !== undefined ? { root: o.root as string } : {}),
      ...(o.layer !== undefined ? { layer: o.layer as 'layer-one' | 'second-engine' } : {}),
    };
  });
}

const DAY_MS = 86_400_000;

/** What the CLI reads for the ALVH plan (files and flags), as session inputs plus what the output says of them. */
interface AlvhFiles {
  alvh: Partial<AlvhInputs>;
  history: AlvhContext['history'];
  vix3m: AlvhContext['vix3m'];
  advanceDecline: AlvhContext['advanceDecline'];
  held: AlvhContext['held'];
}

/** Reads the VIX history, VIX chain, breadth, held-legs and rulebook files; bad input is exit 2. */
async function readAlvhFiles(io: CliIo, args: AnalyzeArgs, now: Date): Promise<AlvhFiles> {
  let rulebook: Rulebook = defaultRulebook();
  if (args.rulebook !== undefined) {
    const r = importRulebook(await readTextFile(io, args.rulebook));
    if (!r.ok) throw new UsageError(`invalid rulebook ${args.rulebook}: ${r.errors.slice(0, 3).join('; ')}`);
    rulebook = r.rulebook;
  }
  const today = newYorkDate(now);
  let vixHistory: VixBar[] = [];
  let badLines = 0;
  let vix3mInfo: AlvhContext['vix3m'] = null;
  if (args.vixHistory !== undefined) {
    const h = parseVixHistory({ text: await readTextFile(io, args.vixHistory) });
    if (h.bars.length === 0) {
      const e = h.errors[0];
      throw new UsageError(
        `${basename(args.vixHistory)} is not a VIX history in Cboe's VIX_History.csv layout (DATE,OPEN,HIGH,LOW,CLOSE)${e ? `: line ${e.line}: ${e.reason}` : ': the file is empty'}`,
      );
    }
    const notVix = volIndexProblem(h.bars, 'VIX');
    if (notVix)
      throw new UsageError(`${basename(args.vixHistory)}: ${notVix} (--vix-history takes Cboe's VIX_History.csv)`);
    // The session keeps the closes before the valuation date (on it too without a live --vix).
    if (args.vix === undefined && !h.bars.some((b) => b.date <= today)) {
      throw new UsageError(
        `no VIX close on or before ${today} in ${basename(args.vixHistory)} (it starts ${h.bars[0]!.date}): give --vix X`,
      );
    }
    vixHistory = h.bars;
    badLines = h.errors.filter((e) => e.line > 0).length;
    if (args.vix3m !== undefined) {
      const v3 = parseVixHistory({ text: await readTextFile(io, args.vix3m) });
      const notVix3m = volIndexProblem(v3.bars, 'VIX3M');
      if (notVix3m)
        throw new UsageError(`${basename(args.vix3m)}: ${notVix3m} (--vix3m takes Cboe's VIX3M_History.csv)`);
      const a = attachVix3m({ bars: vixHistory, vix3m: v3.bars });
      if (a.matched === 0)
        throw new UsageError(
          `${basename(args.vix3m)} shares no date with ${basename(args.vixHistory)}: expected Cboe's VIX3M_History.csv (DATE,OPEN,HIGH,LOW,CLOSE)`,
        );
      vixHistory = a.bars;
      vix3mInfo = { file: basename(args.vix3m), days: a.matched };
    }
    if (badLines > 0) {
      const first = h.errors[0]!;
      io.stderr(
        `warning: ${badLines} bad line(s) in ${args.vixHistory} skipped (first: line ${first.line}: ${first.reason})\n`,
      );
    }
  }

  let vixChain: Chain | null = null;
  if (args.vixChain !== undefined) {
    vixChain = await loadChain(io, args.vixChain);
    const roots = new Set(vixChain.expiries.map((e) => (e.root ?? '').toUpperCase()));
    const isVix = /^\^?VIXW?$/i.test(vixChain.underlying.symbol) || roots.has('VIX') || roots.has('VIXW');
    if (!isVix)
      throw new UsageError(
        `${basename(args.vixChain)} is not a VIX option chain (its underlying is ${vixChain.underlying.symbol}); --vix-chain needs VIX/VIXW options`,
      );
  }

  const ad = args.advanceDecline !== undefined ? await readAdvanceDecline(io, args.advanceDecline) : null;
  const macroSeries = await readMacroSeries(io, args);
  const macroEvents = [...(args.macroEvents ?? [])];
  if (args.macroFile !== undefined) {
    const m = parseMacroCalendar(await readTextFile(io, args.macroFile));
    if (!m.ok)
      throw new UsageError(
        `${basename(args.macroFile)} is not a macro calendar (lines KIND,YYYY-MM-DD such as FOMC,2025-10-29): ${describeMacroErrors(m.errors)}`,
      );
    macroEvents.push(...m.events);
  }
  const heldHedges = args.held !== undefined ? parseHeld(await readTextFile(io, args.held), basename(args.held)) : [];
  return {
    alvh: {
      vixHistory,
      rulebook,
      vixChain,
      advanceDecline: ad?.rows ?? [],
      macroEvents: sortMacroEvents(macroEvents),
      heldHedges,
      macroSeries,
      ...(args.fillFraction !== undefined || args.commission !== undefined
        ? {
            fill: {
              ...(args.fillFraction !== undefined ? { spreadFraction: args.fillFraction } : {}),
              ...(args.commission !== undefined ? { commissionPerContractDollars: args.commission } : {}),
            },
          }
        : {}),
      account:
        args.accountSize === undefined && args.buyingPower === undefined
          ? null
          : { sizeDollars: args.accountSize ?? null, buyingPowerDollars: args.buyingPower ?? null },
    },
    history: { file: args.vixHistory ?? null, bars: 0, first: null, last: null, droppedAfter: 0, badLines },
    vix3m: vix3mInfo,
    advanceDecline: ad?.info ?? null,
    held: args.held === undefined ? null : { file: basename(args.held), legs: heldHedges.length },
  };
}

/** The macro gauges' lines for the text output. */
function macroText(readings: readonly GaugeReading[], asOf: string): string {
  const mark = (g: GaugeReading) => (g.state === 'stress' ? '✓' : g.state === 'calm' ? '·' : '?');
  return [
    `Macro gauges on ${asOf} (✓ stress · calm ? not judged):`,
    ...readings.map((g) => `  ${mark(g)} ${g.sentence}`),
  ].join('\n');
}

/** What the plan could not judge from the CLI's inputs, in plain words, and where its VIX came from. */
function alvhContext(args: AnalyzeArgs, files: AlvhFiles, state: ReadyState): AlvhContext {
  const plan = state.plan!;
  const rulebook = files.alvh.rulebook!;
  const today = newYorkDate(new Date(state.valuedAt));
  const history = { ...files.history, ...state.history };
  const fromChain = args.vix === undefined && state.vix.source?.startsWith("this chain's") === true;
  const vixSource =
    args.vix !== undefined
      ? `${args.vix} from --vix, today's live value (${today})`
      : fromChain
        ? `${fmtNumber(state.vix.level)} from ${state.vix.source}, today's value (${today}); no --vix`
        : `${state.vix.level} = the last close in the history (${history.last}); no live --vix`;
  const unjudged: string[] = [];
  if (args.vixHistory === undefined) {
    unjudged.push(
      `no --vix-history: one VIX value has no prior close, RSI or MACD, so the spike rules (change on the prior close, RSI(${rulebook.thresholds.rsiShortPeriod})), the Second Engine's momentum and Unwind cannot fire; the stage is decided by the condor-threat and Time-shift rules alone. Give --vix-history VIX_History.csv (Cboe's daily file) to judge them.`,
    );
  } else {
    if (args.vix === undefined && !fromChain)
      unjudged.push(
        `no --vix: the stage is as of the last close in the history (${history.last}), not today's market; give --vix X for the live value`,
      );
    const lastMs = history.last === null ? null : Date.parse(`${history.last}T00:00:00Z`);
    const gap = lastMs === null ? null : Math.round((Date.parse(`${today}T00:00:00Z`) - lastMs) / DAY_MS);
    if (gap !== null && (args.vix !== undefined || fromChain) && gap > 5)
      unjudged.push(
        `the history ends ${history.last}, ${gap} days before ${today}: the change on the prior close, RSI and MACD compare today's VIX with that old close`,
      );
    if (history.last === null) unjudged.push(`the history has no close before ${today}: the signals use --vix alone`);
    for (const c of plan.checks.filter((c) => c.skipped)) unjudged.push(c.sentence.replace(/\.$/, ''));
  }
  const breadth = plan.signalStrength?.breadth;
  if (files.advanceDecline && breadth && !breadth.judged)
    for (const c of breadth.checks) unjudged.push(c.sentence.replace(/\.$/, ''));
  return {
    rulebook,
    vixSource,
    history,
    account: state.account,
    vixChain: args.vixChain === undefined ? null : basename(args.vixChain),
    chainVix: state.chainVix,
    vix3m: files.vix3m,
    unjudged,
    advanceDecline: files.advanceDecline,
    held: files.held,
  };
}

/** The CLI's chain meta: a file carries no VIX sightings. */
type FileMeta = SessionMeta;

/** The session's inputs for these arguments: the chain, the condor as given, the ALVH files, the valuation time. */
export function sessionInputs(
  args: AnalyzeArgs,
  chain: Chain,
  alvh: Partial<AlvhInputs>,
  held: ImportedPosition | null = null,
): SessionInputs<FileMeta> {
  const condor = held ? held.condor : args.condor;
  return {
    chain,
    meta: {},
    position: condor
      ? {
          kind: 'strikes',
          strikes: condor.strikes,
          quantity: condor.quantity,
          credit: condor.credit ?? null,
          allowUnlisted: true,
        }
      : { kind: 'suggested' },
    expiry: held ? held.core.expiry : (args.expiry ?? null),
    hedges: held ? held.hedges : [],
    alvh: { ...defaultAlvhInputs(defaultRulebook()), ...alvh },
    manualVix: args.vix === undefined ? null : { level: args.vix, priorClose: null },
    curve: DEFAULT_CURVE,
    now: args.now ?? null,
  };
}

export const run: CommandRun = async (argv, io) => {
  const args = parseAnalyzeArgs(argv);
  if (args === 'help') {
    io.stdout(`${USAGE}\n`);
    return 0;
  }
  const chain = await loadChain(io, args.file);
  if (args.expiry && !chain.expiries.some((e) => e.date === args.expiry)) {
    const dates = [...new Set(chain.expiries.map((e) => e.date))];
    throw new UsageError(
      `no expiry ${args.expiry} in ${basename(args.file)}; it has ${dates.slice(0, 8).join(', ')}${dates.length > 8 ? `, … (${dates.length})` : ''}`,
    );
  }
  const held = args.position === undefined ? null : await readPosition(io, args.position, chain, args.positionName);
  if (held && args.expiry && args.expiry !== held.core.expiry)
    throw new UsageError(
      `--expiry ${args.expiry} is not the expiry of the position's condor (${held.core.expiry}); leave --expiry out`,
    );
  if (held && !chain.expiries.some((e) => e.date === held.core.expiry))
    throw new UsageError(
      `${held.file}: the condor of ${held.name} expires ${held.core.expiry}, which ${basename(args.file)} does not list`,
    );
  // A saved file is analysed as of when it was saved; --now overrides; a file without a time stamp uses the clock
  // (the session moves quotes seen outside the regular session back to that close).
  const planned = args.vix !== undefined || args.vixHistory !== undefined;
  const clockNow = valuationTime(chain.asOf ? new Date(chain.asOf) : io.now()).at;
  const files = planned ? await readAlvhFiles(io, args, args.now ?? clockNow) : null;
  const state = computeSession(sessionInputs(args, chain, files?.alvh ?? {}, held), 1, { wallClock: io.now });
  if (state.status !== 'ready') throw new Error(state.status === 'error' ? state.message : 'no state');
  if (!state.analysis) throw new UsageError(`${basename(args.file)}: ${state.analysisError ?? 'no analysis'}`);
  if (planned && !state.plan) throw new Error(`the hedge plan failed: ${state.planError ?? 'unknown error'}`);
  const now = new Date(state.valuedAt);
  let nowSource = args.now ? '--now' : chain.asOf ? "the file's time stamp" : 'the clock: the file has no time stamp';
  if (!args.now && state.valuationNote) nowSource += `, ${state.valuationNote}`;

  const analysis = state.analysis;
  const context = files ? alvhContext(args, files, state) : null;
  if (args.json) {
    const planInputs = context && {
      vix: {
        spot: args.vix ?? null,
        used: state.vix.level,
        source: context.vixSource,
      },
      history: context.history,
      vix3m: context.vix3m ?? null,
      vixChain: context.vixChain,
      rulebook: { name: context.rulebook.name, version: context.rulebook.version },
      account: context.account,
      advanceDecline: context.advanceDecline,
      held: context.held,
      unjudged: context.unjudged,
    };
    const position = held && {
      positionImport: {
        file: held.file,
        format: held.format,
        name: held.name,
        core: held.core,
        extraLegs: held.extraLegs,
        notes: held.notes,
      },
      positionRisk: state.positionRisk,
    };
    const body = { ...analysis, chainVix: state.chainVix, ...position };
    io.stdout(
      JSON.stringify(context ? { ...body, plan: state.plan, planInputs, macro: state.macro } : body, null, 2) + '\n',
    );
  } else {
    const macro = files?.alvh.macroSeries?.length ? macroText(state.macro, newYorkDate(now)) : null;
    const extra =
      [held && positionText(held, state.positionRisk), context && alvhText(state.plan!, context), macro]
        .filter(Boolean)
        .join('\n\n') || null;
    io.stdout(summaryText({ chain, analysis, now, nowSource, extra, chainVix: state.chainVix }));
  }
  return 0;
};
