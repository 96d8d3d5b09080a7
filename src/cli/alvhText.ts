/**
 * The ALVH hedge plan (src/engine/alvh/plan.ts) as text for `hedgelens analyze … --vix X`: the stage with the rules
 * that decided it (which inputs, against which thresholds), what could not be judged, then each ticket — legs with OCC
 * symbols, quantity, mid and natural price, greeks and stress P/L before → after, the constraints and WHY.
 *
 * Every number goes through src/cli/format.ts: nothing non-finite is ever printed.
 */
import type { HedgeLeg, HedgePlan, HedgeTicket, Layer, Structure } from '../engine/alvh/plan.ts';
import type { Rulebook } from '../engine/alvh/rulebook.ts';
import type { RuleCheck, Stage } from '../engine/alvh/stages.ts';
import type { ChainVix } from '../engine/session/vixCheck.ts';
import type { PositionGreeks } from '../engine/types.ts';
import { fmtDollars, fmtNumber, fmtPercent, fmtStrike, table } from './format.ts';

export const STAGE_NAMES: Record<Stage, string> = {
  calm: 'Calm',
  'layer-one': 'Layer One',
  'second-engine': 'Second Engine',
  'time-shift': 'Time-shift',
  unwind: 'Unwind',
};

export const LAYER_NAMES: Record<Layer, string> = {
  'layer-one': 'Layer One',
  'second-engine': 'Second Engine',
  'time-shift': 'Time-shift',
  unwind: 'Unwind',
};

export const STRUCTURE_NAMES: Record<Structure, string> = {
  'put-debit-spread': 'put debit spread',
  'put-backspread-1x2': '1×2 put backspread',
  'call-credit-spread': 'call credit spread',
  'call-debit-spread': 'call debit spread',
  'call-backspread-1x2': '1×2 call backspread',
  'put-credit-spread': 'put credit spread',
  'vix-call': 'VIX call',
  'vix-call-spread': 'VIX call spread',
  'synthetic-long-vix': 'synthetic long VIX (long call + short put)',
  'spx-long-put': 'long put',
  'roll-out': 'roll out in time',
  'roll-down-and-out': 'roll down and out (lower strikes, later expiry)',
  'roll-up-and-out': 'roll up and out (higher strikes, later expiry)',
  'roll-untested-in': 'roll the untested side in (for a credit)',
  'roll-wing-in': 'roll the outer wing in (a narrower spread)',
  'butterfly-conversion': 'butterfly conversion',
  'broken-wing-conversion': 'broken-wing butterfly conversion',
  unwind: 'close held hedges',
};

/** What the command knows about the plan's inputs (where the VIX came from, the history used, the account). */
export interface AlvhContext {
  rulebook: Rulebook;
  /** e.g. "--vix 28 (live, 2025-09-25)" or "last close of the history (2025-09-24)". */
  vixSource: string;
  history: {
    file: string | null;
    bars: number;
    first: string | null;
    last: string | null;
    /** Bars on or after the valuation date that were left out (today's value is the live one). */
    droppedAfter: number;
    badLines: number;
  };
  account: { sizeDollars: number; buyingPowerDollars: number; assumed: boolean };
  vixChain: string | null;
  /** `--vix3m FILE`, when given: how many history days it gave a VIX3M close. */
  vix3m?: { file: string; days: number } | null;
  /** The chain's own 30-day VIX-style index (S&P 500 chains); absent or null otherwise. */
  chainVix?: ChainVix | null;
  /** Things the plan could not judge from its inputs, in plain words. */
  unjudged: string[];
  /** `--advance-decline FILE`, when given. */
  advanceDecline?: {
    file: string;
    rows: number;
    first: string;
    last: string;
    badLines: number;
    hasClose: boolean;
  } | null;
  /** `--held FILE`, when given: how many held legs it lists. */
  held?: { file: string; legs: number } | null;
}

function checkMark(c: RuleCheck): string {
  return c.skipped ? '?' : c.fired ? '✓' : '·';
}

function find(plan: HedgePlan, id: string): RuleCheck | undefined {
  return plan.checks.find((c) => c.id === id);
}

/** The signal line: VIX level and change, RSI(short), RSI(long), MACD histogram direction. */
export function signalsLine(plan: HedgePlan, rulebook: Rulebook): string {
  const t = rulebook.thresholds;
  const pct = find(plan, 'spike.pct');
  const pts = find(plan, 'spike.points');
  const rs = find(plan, 'spike.rsiShort');
  const rl = find(plan, 'momentum.rsiLong');
  const hist = find(plan, 'momentum.macdAboveSignal');
  const rising = find(plan, 'momentum.histogramRising');
  const falling = find(plan, 'unwind.histogramFalling');
  const parts: string[] = [];
  const change =
    pts?.value == null
      ? 'no prior close'
      : `${fmtNumber(pts.value, { sign: true })} pts, ${fmtNumber(pct?.value ?? null, { sign: true })}% on the prior close`;
  parts.push(`VIX ${fmtNumber(plan.vix.spot)} (${change})`);
  parts.push(`RSI(${t.rsiShortPeriod}) ${rs?.value == null ? 'n/a' : fmtNumber(rs.value)}`);
  parts.push(`RSI(${t.rsiLongPeriod}) ${rl?.value == null ? 'n/a' : fmtNumber(rl.value)}`);
  if (hist?.value == null) parts.push('MACD histogram n/a');
  else {
    const r = rising?.value ?? 0;
    const f = falling?.value ?? 0;
    const dir =
      r > 0 ? `rising ${r} bar${r === 1 ? '' : 's'}` : f > 0 ? `falling ${f} bar${f === 1 ? '' : 's'}` : 'flat';
    parts.push(`MACD histogram ${fmtNumber(hist.value, { sign: true })} (${dir})`);
  }
  // The Second Engine's macro condition, beside the MACD it completes.
  const dollar = find(plan, 'secondEngine.dollar');
  if (dollar && t.secondEngineMacroGate > 0)
    parts.push(
      dollar.value == null
        ? 'dollar gauge not judged (the Second Engine does not wait for it)'
        : `dollar ${fmtNumber(dollar.value, { sign: true })} sd (Second Engine needs ≥ ${fmtNumber(t.macroDollarStressZ)}: ${dollar.fired ? 'stress' : 'calm'})`,
    );
  return parts.join(' · ');
}

/** The threat line: short-strike delta and distances in expected moves (null when no position). */
export function threatLine(plan: HedgePlan): string | null {
  const d = find(plan, 'threat.delta');
  const be = find(plan, 'threat.breakeven');
  const br = find(plan, 'timeShift.breach');
  if (!d && !be) return null;
  const parts: string[] = [];
  if (d) parts.push(`largest short-strike |delta| ${d.value == null ? 'n/a' : fmtNumber(d.value)}`);
  if (be) parts.push(`nearest breakeven ${be.value == null ? 'n/a' : fmtNumber(be.value)} expected moves away`);
  if (br) parts.push(`nearer short strike ${br.value == null ? 'n/a' : fmtNumber(br.value)} expected moves away`);
  return parts.join(' · ');
}

function indent(text: string, pad = '    '): string {
  return text
    .split('\n')
    .map((l) => `${pad}${l}`)
    .join('\n');
}

function priceWord(perUnit: number): string {
  return perUnit > 0 ? 'debit' : perUnit < 0 ? 'credit' : 'even';
}

function legLine(l: HedgeLeg, quantity: number): string[] {
  const n = l.ratio * quantity;
  return [
    `${n > 0 ? 'buy' : 'sell'} ${Math.abs(n)}`,
    l.occ,
    `${l.underlying} ${fmtStrike(l.strike)} ${l.kind} ${l.expiry}`,
    fmtNumber(l.bid),
    fmtNumber(l.ask),
    fmtNumber(l.mid),
    l.underlying === 'VIX'
      ? `${fmtPercent(l.vol, { digits: 0 })} (F ${fmtNumber(l.future)})`
      : fmtPercent(l.vol, { digits: 1 }),
  ];
}

function greeksTable(before: PositionGreeks, after: PositionGreeks): string {
  const row = (name: string, g: PositionGreeks): string[] => [
    name,
    fmtDollars(g.deltaDollarsPerPoint, { digits: 2, sign: true }),
    fmtDollars(g.gammaDollarsPerPoint, { digits: 2, sign: true }),
    fmtDollars(g.vegaDollarsPerVolPoint, { digits: 2, sign: true }),
    fmtDollars(g.thetaDollarsPerDay, { digits: 2, sign: true }),
  ];
  return table({
    headers: ['greeks', 'delta $/pt', 'gamma $/pt²', 'vega $/vol pt', 'theta $/day'],
    left: [0],
    rows: [row('before', before), row('after', after)],
  });
}

/** Up to `n` stress cells evenly spread over the path, always with the cell of the worst unhedged loss. */
export function sampleCells<T extends { beforeDollars: number }>(cells: readonly T[], n = 6): T[] {
  if (cells.length <= n) return cells.slice();
  const worst = cells.reduce((w, c, i) => (c.beforeDollars < (cells[w] as T).beforeDollars ? i : w), 0);
  const idx = new Set<number>([worst]);
  for (let j = 0; j < n - 1; j++) idx.add(Math.round((j * (cells.length - 1)) / (n - 2)));
  return [...idx].sort((a, b) => a - b).map((i) => cells[i] as T);
}

function stressTable(tk: HedgeTicket): string {
  return table({
    headers: ['SPX move', 'VIX shift', 'P/L before', 'P/L after'],
    rows: sampleCells(tk.stress.cells).map((c) => [
      `${fmtNumber(c.move * 100, { digits: 1, sign: true })}%`,
      `${fmtNumber(c.vixShiftPoints, { digits: 1, sign: true })} pts`,
      fmtDollars(c.beforeDollars, { sign: true }),
      fmtDollars(c.afterDollars, { sign: true }),
    ]),
  });
}

/** The constraint lines of a ticket: liquidity ratio, cost ≤ kσ, the VXTH cap. */
export function constraintLines(tk: HedgeTicket, rulebook: Rulebook): string[] {
  const c = tk.constraints;
  const mark = (ok: boolean): string => (ok ? '[ok]  ' : '[FAIL]');
  const L: string[] = [];
  const liq = c.liquidity;
  L.push(
    !liq.judged
      ? `[not judged] quick ratio: no account figures given (give --account-size and --buying-power)`
      : liq.marginNeededDollars > 0
        ? `${mark(liq.ok)} liquidity: buying power left ${fmtDollars(liq.buyingPowerLeftDollars)} ÷ margin needed ${fmtDollars(liq.marginNeededDollars)} = ${fmtNumber(liq.ratio)} ${liq.ok ? '≥' : '<'} ${fmtNumber(liq.min, { digits: 1 })} (liquidityRatioMin)`
        : `${mark(liq.ok)} liquidity: no margin needed; buying power left ${fmtDollars(liq.buyingPowerLeftDollars)}`,
  );
  for (const l of c.legs.legs)
    L.push(
      `${mark(l.ok)} leg ${l.occ.replace(/\s+/g, ' ')}: open interest ${l.openInterest ?? 'n/a'}, volume ${l.volume ?? 'n/a'}, spread ${l.spreadPctOfMid === null ? 'n/a' : `${fmtNumber(l.spreadPctOfMid, { digits: 0 })}% of the mid`}${l.reason ? ` — ${l.reason.replace(/^[^:]*: /, '')}` : ''}`,
    );
  L.push(
    `${mark(c.cost.ok)} cost: ${fmtDollars(c.cost.costDollars)} paid at the assumed fill ${c.cost.ok ? '≤' : '>'} ${fmtDollars(c.cost.maxDollars)} = the smaller of costMaxStdDevs ${fmtNumber(rulebook.thresholds.costMaxStdDevs, { digits: 2 })} × σ ${fmtDollars(c.cost.sigmaDollars)} of the unhedged condor's P/L at expiry and its remaining profit ${fmtDollars(c.cost.remainingProfitDollars)}`,
  );
  if (c.vxth) {
    const v = c.vxth;
    if (!v.judged) L.push(`[not judged] VXTH cap: ${fmtNumber(v.accountPct, { digits: 1 })}% of an account not given`);
    else
      L.push(
        `${mark(v.ok)} VXTH cap: ${fmtDollars(v.allocationDollars)} committed ${v.ok ? '≤' : '>'} ${fmtDollars(v.capDollars)} = ${fmtNumber(v.accountPct, { digits: 1 })}% of the account at ${v.vixFuture === null ? 'no VIX future (no VIX chain)' : `VIX future ${fmtNumber(v.vixFuture)}`}`,
      );
  } else L.push(`[n/a] VXTH cap: applies to Second Engine tickets only`);
  return L;
}

export function ticketText(tk: HedgeTicket, n: number, rulebook: Rulebook): string {
  const L: string[] = [];
  L.push(
    tk.unwind
      ? `#${n} Unwind step ${tk.unwind.order}: close the ${LAYER_NAMES[tk.unwind.layer]} hedges × ${tk.quantity} · ACTIVE: the stage calls for it · P/L on the hedge ${fmtDollars(tk.unwind.pnlMidDollars, { sign: true })} at the mid, ${fmtDollars(tk.unwind.pnlNaturalDollars, { sign: true })} at the natural price`
      : `#${n} ${LAYER_NAMES[tk.layer]} · ${STRUCTURE_NAMES[tk.structure]} × ${tk.quantity} · ${tk.active ? 'ACTIVE: the stage calls for it' : 'for reference: what it would be, priced now'}`,
  );
  if (tk.sizing)
    L.push(
      `    sized on the position: target ${fmtDollars(tk.sizing.targetDollars ?? 0)} off the worst loss, ${tk.quantity} unit${tk.quantity === 1 ? '' : 's'} (the full target takes ${tk.sizing.fullQuantity}; signal share ${fmtNumber(tk.sizing.share)}; see why)`,
    );
  L.push(
    indent(
      table({
        headers: ['', 'OCC symbol', 'option', 'bid', 'ask', 'mid', 'IV'],
        left: [0, 1, 2],
        rows: tk.legs.map((l) => legLine(l, tk.quantity)),
      }),
    ),
  );
  L.push(
    `    price: mid ${fmtNumber(Math.abs(tk.midPerUnit))} ${priceWord(tk.midPerUnit)} (${fmtDollars(Math.abs(tk.midDollars))} for ${tk.quantity}), natural ${fmtNumber(Math.abs(tk.naturalPerUnit))} ${priceWord(tk.naturalPerUnit)} (${fmtDollars(Math.abs(tk.naturalDollars))}), assumed fill ${fmtNumber(Math.abs(tk.fillPerUnit))} ${priceWord(tk.fillPerUnit)} (${fmtDollars(Math.abs(tk.fillDollars))} with ${fmtDollars(tk.commissionDollars)} commissions) · margin ${fmtDollars(tk.marginDollars)}${tk.expiryVsCondorDays !== undefined && tk.layer !== 'unwind' ? ` · expires ${tk.expiryVsCondorDays === 0 ? 'with the condor' : `${Math.abs(tk.expiryVsCondorDays)} days ${tk.expiryVsCondorDays < 0 ? 'before' : 'after'} the condor`}` : ''}`,
  );
  L.push(indent(greeksTable(tk.greeksBefore, tk.greeksAfter)));
  L.push(
    `    ${tk.stress.side} (the threatened side): worst loss ${fmtDollars(tk.stress.sideWorstBefore)} → ${fmtDollars(tk.stress.sideWorstAfter)}`,
  );
  L.push(
    `    stress grid: worst loss ${fmtDollars(tk.stress.worstBefore)} → ${fmtDollars(tk.stress.worstAfter)}, tail loss ${fmtDollars(tk.stress.tailBefore)} → ${fmtDollars(tk.stress.tailAfter)} (${tk.stress.cells.length} cells; --json for all)`,
  );
  L.push(indent(stressTable(tk), '      '));
  L.push('    constraints:');
  for (const c of constraintLines(tk, rulebook)) L.push(`      ${c}`);
  L.push('    why:');
  for (const s of tk.why.sentences) L.push(`      - ${s}`);
  L.push(`    score ${fmtNumber(tk.score, { digits: 3 })} (worst + tail loss reduction per dollar committed)`);
  return L.join('\n');
}

/** The whole ALVH section of `analyze`. */
export function alvhText(plan: HedgePlan, ctx: AlvhContext): string {
  const rb = ctx.rulebook;
  const L: string[] = [];
  L.push(`ALVH stage: ${STAGE_NAMES[plan.stage].toUpperCase()}`);
  const h = ctx.history;
  L.push(
    `  VIX: ${ctx.vixSource} · history: ${
      h.file === null ? 'none' : `${h.file}, ${h.bars} closes ${h.first ?? '—'} … ${h.last ?? '—'}`
    }${h.droppedAfter > 0 ? ` (${h.droppedAfter} later closes left out: the plan is as of the chain's date)` : ''}${
      h.badLines > 0 ? ` (${h.badLines} bad line${h.badLines === 1 ? '' : 's'} skipped)` : ''
    }`,
  );
  if (ctx.vix3m) L.push(`  term structure: VIX3M from ${ctx.vix3m.file}, on ${ctx.vix3m.days} days of the history`);
  const ci = ctx.chainVix?.index;
  if (ci)
    L.push(
      ci.ok
        ? `  chain's own VIX: ${ci.label}${ctx.chainVix!.usable ? '' : ' — not used as the VIX'}`
        : `  chain's own VIX: none (${ci.reason})`,
    );
  L.push(`  rulebook "${rb.name}" v${rb.version} · VIX chain: ${ctx.vixChain ?? 'none'}`);
  const ad = ctx.advanceDecline;
  if (ad)
    L.push(
      `  advance–decline: ${ad.file}, ${ad.rows} rows ${ad.first} … ${ad.last}${ad.hasClose ? ' with index closes' : ' (no index closes)'}${ad.badLines > 0 ? ` (${ad.badLines} bad line${ad.badLines === 1 ? '' : 's'} skipped)` : ''}`,
    );
  if (ctx.held) L.push(`  held hedges: ${ctx.held.file}, ${ctx.held.legs} leg${ctx.held.legs === 1 ? '' : 's'}`);
  L.push(`  signals: ${signalsLine(plan, rb)}`);
  const threat = threatLine(plan);
  if (threat) L.push(`  threat: ${threat}`);
  if (plan.vix.future)
    L.push(
      `  VIX future ${plan.vix.future.expiry}: ${fmtNumber(plan.vix.future.future)} (${plan.vix.future.method === 'term-model' ? 'term-model: no VIX chain; the fitted VIX term structure from spot VIX' : plan.vix.future.method === 'quoted-model' ? 'quoted-model: the future the model chain was priced on' : `${plan.vix.future.method}, from the VIX chain by put-call parity`})`,
    );
  if (plan.signalStrength) L.push(`  Layer One sizing: ${plan.signalStrength.sentence}`);
  if (plan.urgency.level === 'raised') L.push(`  urgency raised: ${plan.urgency.reasons.join('; ')}`);

  L.push('');
  L.push(plan.transitions.length > 0 ? 'Why (transitions on the last bar):' : 'Why: no transition on the last bar');
  for (const t of plan.transitions) L.push(`  ${t.date} ${t.sentence}`);
  L.push('Rules checked (✓ fired, · not met, ? could not judge):');
  for (const c of plan.checks) L.push(`  ${checkMark(c)} ${c.sentence}`);

  const unjudged = [...ctx.unjudged];
  if (unjudged.length > 0) {
    L.push('Could not judge:');
    for (const u of unjudged) L.push(`  - ${u}`);
  }

  L.push('');
  const b = plan.baseline;
  L.push(
    `Unhedged condor on the stress grid: worst loss ${fmtDollars(b.worstLossDollars)}, tail loss ${fmtDollars(b.tailLossDollars)} · σ of P/L at expiry ${fmtDollars(b.sigmaDollars)} · remaining profit ${fmtDollars(b.remainingProfitDollars)}`,
  );
  if (plan.horizonsDays)
    L.push(
      `Stress grid: underlying moves both ways × horizons ${plan.horizonsDays.map((d) => `${Math.round(d)}`).join(', ')} days × VIX following the move (and VIX reverting while the index holds)`,
    );
  const cb = plan.combined;
  if (cb.steps.length > 0)
    L.push(
      `The plan, applied in order: ${cb.steps.map((x) => `${STRUCTURE_NAMES[x.structure]} (worst loss → ${fmtDollars(x.worstLossDollars)})`).join(' → ')}; combined worst loss ${fmtDollars(b.worstLossDollars)} → ${fmtDollars(cb.worstLossDollars)}, tail ${fmtDollars(b.tailLossDollars)} → ${fmtDollars(cb.tailLossDollars)}, for ${fmtDollars(cb.costDollars)}`,
    );
  for (const w of plan.warnings) L.push(`WARNING: ${w}`);
  L.push(
    ctx.account.assumed
      ? 'Account: not given — the quick ratio and the VXTH cap are not judged (give --account-size and --buying-power)'
      : `Account ${fmtDollars(ctx.account.sizeDollars)}, buying power ${fmtDollars(ctx.account.buyingPowerDollars)}`,
  );
  for (const n of plan.notes) L.push(`Note: ${n}`);

  L.push('');
  const active = plan.tickets.filter((t) => t.active).length;
  L.push(
    plan.tickets.length === 0
      ? 'Hedge tickets: none'
      : `Hedge tickets: ${plan.tickets.length} (${active} active for the stage, ${plan.tickets.length - active} for reference)`,
  );
  plan.tickets.forEach((tk, i) => {
    L.push('');
    L.push(ticketText(tk, i + 1, rb));
  });
  if (plan.rejected.length > 0) {
    L.push('');
    L.push('Not offered:');
    for (const r of plan.rejected) L.push(`  ${LAYER_NAMES[r.layer]} ${STRUCTURE_NAMES[r.structure]}: ${r.reason}`);
  }
  return `${L.join('\n')}\n`;
}
