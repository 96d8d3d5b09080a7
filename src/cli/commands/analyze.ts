/**
 * `hedgelens analyze <file> [--expiry YYYY-MM-DD] [--condor K1/K2/K3/K4] [--qty N] [--credit X]
 *  [--vix X] [--vix-history FILE] [--now ISO] [--json]`
 *
 * Reads a chain from a Cboe download (.csv / legacy .dat), a Chain or snapshot JSON, a Yahoo optionChain JSON,
 * or a saved HTML page (through the page adapters), then prints the analysis: forward, ATM IV, expected move and
 * the condor's risk (given, or the suggested one). A saved file is analysed as of its own time stamp (`asOf`)
 * unless --now says otherwise. Exit 0 on success, 2 on bad input.
 */
import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseTimestamp } from '../../chain/dates.ts';
import { importChainText } from '../../chain/importers/index.ts';
import type { Chain } from '../../chain/types.ts';
import { valuationTime } from '../../engine/time.ts';
import { analyzeChain } from '../../engine/analyze.ts';
import type { ChainAnalysis } from '../../engine/types.ts';
import { numberFlag, parseArgs } from '../args.ts';
import { fmtDollars, fmtNumber, fmtPercent, fmtStrike, table } from '../format.ts';
import { UsageError, type CliIo, type CommandRun } from '../io.ts';

const USAGE =
  'usage: hedgelens analyze <file.html|file.csv|file.dat|file.json> [--expiry YYYY-MM-DD] [--condor K1/K2/K3/K4] [--qty N] [--credit X] [--vix X] [--vix-history FILE] [--now ISO] [--json]';

const FLAGS = {
  expiry: { type: 'string' },
  condor: { type: 'string' },
  qty: { type: 'string' },
  credit: { type: 'string' },
  vix: { type: 'string' },
  'vix-history': { type: 'string' },
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
  const vix = str('vix');
  if (vix !== undefined) out.vix = numberFlag({ name: 'vix', value: vix, positive: true });
  const vixHistory = str('vix-history');
  if (vixHistory !== undefined) out.vixHistory = vixHistory;
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

async function readText(io: CliIo, path: string): Promise<string> {
  try {
    return await io.readFile(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (e as Error).message;
    throw new UsageError(`cannot read ${path}: ${why}`);
  }
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
  const text = await readText(io, file);
  const looksHtml = /\.x?html?$/i.test(file) || /^\s*<(!doctype|html|head|body|table|div)/i.test(text.slice(0, 2000));
  if (looksHtml) return chainFromHtml(text, file);
  const r = importChainText({ text, fileName: file });
  if (!r.ok) throw new UsageError(`${basename(file)}: ${r.reason}`);
  return r.chain;
}

function summaryText({
  chain,
  analysis,
  now,
  nowSource,
}: {
  chain: Chain;
  analysis: ChainAnalysis;
  now: Date;
  nowSource: string;
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
  L.push('');
  L.push('Trading aids, not advice.');
  return L.join('\n') + '\n';
}

export const run: CommandRun = async (argv, io) => {
  const args = parseAnalyzeArgs(argv);
  if (args === 'help') {
    io.stdout(`${USAGE}\n`);
    return 0;
  }
  const chain = await loadChain(io, args.file);

  // A saved file is analysed as of when it was saved; --now overrides; a file without a time stamp uses the clock.
  let now: Date;
  let nowSource: string;
  if (args.now) {
    now = args.now;
    nowSource = '--now';
  } else {
    // Quotes seen outside the regular session are the last close's: value them at that close (time.ts).
    const seen = chain.asOf ? new Date(chain.asOf) : io.now();
    const v = valuationTime(seen);
    now = v.at;
    nowSource = chain.asOf ? "the file's time stamp" : 'the clock: the file has no time stamp';
    if (v.adjusted) nowSource += `, ${v.reason}`;
  }

  if (args.expiry && !chain.expiries.some((e) => e.date === args.expiry)) {
    const dates = [...new Set(chain.expiries.map((e) => e.date))];
    throw new UsageError(
      `no expiry ${args.expiry} in ${basename(args.file)}; it has ${dates.slice(0, 8).join(', ')}${dates.length > 8 ? `, … (${dates.length})` : ''}`,
    );
  }

  const analysis = analyzeChain({
    chain,
    now,
    ...(args.expiry ? { expiry: args.expiry } : {}),
    ...(args.condor ? { condor: args.condor } : {}),
  });

  // ── ALVH (Adaptive Layered VIX Hedge) ───────────────────────────────────────────────────────────────
  // Place for the ALVH engineer: with args.vix (live VIX) and/or args.vixHistory (a Cboe VIX_History.csv
  // path, read with io.readFile), call planHedges from src/engine/alvh on `analysis` and add the stage and
  // suggestions to the text summary and to the JSON output (as an `alvh` field). The flags are parsed and
  // validated above; until then they are accepted and reported as not yet used.
  const alvhNote =
    args.vix !== undefined || args.vixHistory !== undefined
      ? 'ALVH stage and hedge suggestions are not computed yet: --vix/--vix-history were accepted but not used'
      : null;

  if (args.json) {
    io.stdout(
      JSON.stringify(alvhNote ? { ...analysis, warnings: [...analysis.warnings, alvhNote] } : analysis, null, 2) + '\n',
    );
  } else {
    io.stdout(summaryText({ chain, analysis, now, nowSource }));
    if (alvhNote) io.stdout(`${alvhNote}\n`);
  }
  return 0;
};
