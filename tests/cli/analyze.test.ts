import { spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAnalyzeArgs, parseCondorStrikes, run } from '../../src/cli/commands/analyze.ts';
import { UsageError } from '../../src/cli/io.ts';
import { main } from '../../src/cli/main.ts';
import type { ChainAnalysis } from '../../src/engine/types.ts';
import { importChainText } from '../../src/chain/importers/index.ts';
import { STAGE_NAMES } from '../../src/cli/alvhText.ts';
import { fmtDollars as cliDollars, fmtNumber as cliNumber } from '../../src/cli/format.ts';
import { planHedges, type HedgePlan } from '../../src/engine/alvh/plan.ts';
import { applyEdit, defaultRulebook, exportRulebook, type Rulebook } from '../../src/engine/alvh/rulebook.ts';
import { parseVixHistory } from '../../src/engine/alvh/vixSeries.ts';
import { analyzeChain } from '../../src/engine/analyze.ts';
import { valuationTime } from '../../src/engine/time.ts';
import { chainVix, withVixChecks } from '../../src/engine/session/vixCheck.ts';
import { FIXTURES_DIR, REPO_DIR, sharedFile } from '../helpers/shared.ts';
import { memoryIo } from '../helpers/cliIo.ts';
import { SCENE_AS_OF, sceneSpxChain, sceneVixChain } from '../helpers/alvhScene.ts';
import { MACRO_URGENCY, SCENE, SIZING_WITH_BREADTH, SIZING_WITHOUT_BREADTH } from '../helpers/inputsScene.ts';

const fakeIo = (files: Record<string, string> = {}) => memoryIo({ files, disk: REPO_DIR, now: '2030-01-01T00:00:00Z' });
const LEGACY = 'tests/fixtures/cboe/cboe_spx_quotedata_2020-03-22_legacy.dat';
const SPY = 'tests/fixtures/cboe/cboe_spy_quotedata_2025-09-25.csv';

describe('analyze arguments', () => {
  it('parses the condor and its options', () => {
    expect(parseCondorStrikes('6400/6450/6800/6850')).toEqual([6400, 6450, 6800, 6850]);
    expect(parseCondorStrikes('6400/6600/6600/6850')).toEqual([6400, 6600, 6600, 6850]);
    expect(
      parseAnalyzeArgs([
        'f.csv',
        '--condor',
        '1/2/3/4',
        '--qty',
        '3',
        '--credit',
        '0.4',
        '--now',
        '2026-03-14T15:30:00Z',
      ]),
    ).toEqual({
      file: 'f.csv',
      json: false,
      condor: { strikes: [1, 2, 3, 4], quantity: 3, credit: 0.4 },
      now: new Date('2026-03-14T15:30:00Z'),
    });
  });
  it.each([
    [[], 'no file given'],
    [['a', 'b'], 'one file at a time'],
    [['f', '--condor', '6450/6400/6800/6850'], 'K1 < K2 ≤ K3 < K4'],
    [['f', '--condor', '6400/6450/6800'], 'four strikes'],
    [['f', '--condor', '1/2/3/4', '--qty', '1.5'], '--qty must be a whole number'],
    [['f', '--condor', '1/2/3/4', '--qty', '0'], '--qty must be positive'],
    [['f', '--condor', '1/2/3/4', '--credit', '-1'], '--credit'],
    [['f', '--qty', '2'], 'give --condor'],
    [['f', '--expiry', '2026-02-30'], '--expiry must be a date'],
    [['f', '--vix', 'high'], '--vix must be a number'],
    [['f', '--vix', '-5'], '--vix must be positive'],
    [['f', '--vix', '400'], '--vix must be a VIX level between 5 and 150'],
    [['f', '--vix', '20', '--account-size', '0'], '--account-size must be positive'],
    [['f', '--vix', '20', '--buying-power', '-1'], '--buying-power is dollars available'],
    [['f', '--rulebook', 'rb.json'], '--rulebook is for the ALVH hedge plan: give --vix X'],
    [['f', '--now', 'yesterday'], '--now must be a time'],
    [['f', '--bogus'], 'unknown option --bogus'],
  ])('rejects %j', (argv, msg) => {
    expect(() => parseAnalyzeArgs(argv)).toThrow(UsageError);
    expect(() => parseAnalyzeArgs(argv)).toThrow(msg);
  });
});

describe('analyze through run()', () => {
  it('analyses the legacy SPX file with a given condor, at the close before the file time', async () => {
    const io = fakeIo();
    const code = await run(
      [LEGACY, '--expiry', '2020-04-17', '--condor', '1900/2000/2600/2700', '--qty', '2', '--credit', '30', '--json'],
      io,
    );
    expect(code).toBe(0);
    const a = JSON.parse(io.out) as ChainAnalysis;
    expect(a.symbol).toBe('SPX');
    expect(a.spot).toBe(2304.92);
    // Saved on Sunday 22 Mar 2020 18:24 EDT: its quotes are Friday's, valued at Friday 20 Mar 16:00 EDT (time.ts).
    expect(a.now).toBe('2020-03-20T20:00:00.000Z');
    expect(a.expiries[a.chosenExpiry!]!.date).toBe('2020-04-17');
    const c = a.condor!;
    expect(c.strikes).toEqual([1900, 2000, 2600, 2700]);
    // Given credit 30 on a 100-wide condor, ×2, $100 per point: by hand.
    expect(c.creditUsed).toBe(30);
    expect(c.maxProfitDollars).toBeCloseTo(6000, 6);
    expect(c.maxLossDollars).toBeCloseTo(14000, 6);
    expect(c.breakevenLower).toBeCloseTo(1970, 9);
    expect(c.breakevenUpper).toBeCloseTo(2630, 9);
    // The legs' quotes are the file's (SPX 17 Apr 2020 2000 put: bid 59.2, ask 62.5).
    expect(c.legs.find((l) => l.kind === 'put' && l.strike === 2000)).toMatchObject({ bid: 59.2, ask: 62.5 });
  });
  it('prints a readable summary without NaN', async () => {
    const io = fakeIo();
    expect(await run([SPY], io)).toBe(0);
    expect(io.out).toContain('SPY 658.05');
    // Saved Thu 25 Sep 2025 21:05 EDT, after the close: valued at that day's 16:00 close.
    expect(io.out).toContain(
      "as of 2025-09-25T20:00:00Z (the file's time stamp, seen outside the regular session: valued at the 2025-09-25 16:00 New York close)",
    );
    expect(io.out).toMatch(/Expiry 2025-\d\d-\d\d SPY PM/);
    expect(io.out).toContain('ATM IV');
    expect(io.out).toContain('Trading aids, not advice.');
    expect(io.out).not.toMatch(/NaN|Infinity|undefined/);
  });
  it('--now overrides the file time', async () => {
    const io = fakeIo();
    await run([SPY, '--now', '2025-09-30T14:00:00Z', '--json'], io);
    expect((JSON.parse(io.out) as ChainAnalysis).now).toBe('2025-09-30T14:00:00.000Z');
  });
  it('reads Chain JSON and snapshot JSON', async () => {
    const spyText = await readFile(resolve(FIXTURES_DIR, 'cboe/cboe_spy_quotedata_2025-09-25.csv'), 'utf8');
    const { importChainText } = await import('../../src/chain/importers/index.ts');
    const r = importChainText({ text: spyText });
    if (!r.ok) throw new Error(r.reason);
    const io = fakeIo({ 'snap.json': JSON.stringify({ chain: r.chain }), 'chain.json': JSON.stringify(r.chain) });
    expect(await run(['snap.json', '--json'], io)).toBe(0);
    const a1 = JSON.parse(io.out) as ChainAnalysis;
    const io2 = fakeIo({ 'chain.json': JSON.stringify(r.chain) });
    expect(await run(['chain.json', '--json'], io2)).toBe(0);
    expect(JSON.parse(io2.out)).toEqual(a1);
    expect(a1.symbol).toBe('SPY');
  });
  it.each([
    [['missing-file.csv'], 'cannot read missing-file.csv: no such file'],
    [['junk.txt'], 'junk.txt: unrecognised file'],
    [[SPY, '--expiry', '2025-12-25'], 'no expiry 2025-12-25 in cboe_spy_quotedata_2025-09-25.csv; it has 2025-10-01'],
  ])('bad input %j → exit 2 with one line', async (argv, msg) => {
    const io = fakeIo({ 'junk.txt': 'hello world\n' });
    expect(await main({ argv: ['analyze', ...argv], io })).toBe(2);
    expect(io.err).toContain(msg);
    expect(io.err.trimEnd().split('\n')).toHaveLength(1);
  });
});

describe('analyze as a real process', () => {
  const bin = resolve(REPO_DIR, 'bin/hedgelens.mjs');
  const exec = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { cwd: REPO_DIR, encoding: 'utf8' });
  it('exits 0 on the authored VIX chain (AM-settled, Wednesday expiry)', () => {
    const r = exec('analyze', 'tests/fixtures/cboe/vix_quotedata_2020-03-13_authored.dat', '--json');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const a = JSON.parse(r.stdout) as ChainAnalysis;
    expect(a.symbol).toBe('VIX');
    expect(a.expiries.map((e) => `${e.date} ${e.root} ${e.settlement}`)).toEqual([
      '2020-03-18 VIX AM',
      '2020-03-25 VIXW AM',
      '2020-04-15 VIX AM',
    ]);
  });
  it('exits 2 with one line on a bad condor', () => {
    const r = exec('analyze', SPY, '--condor', '700/650/600/550');
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('K1 < K2 ≤ K3 < K4');
  });
});

// ───────────────────────── ALVH: the hedge plan in analyze ─────────────────────────

const VIX_CHAIN = 'tests/fixtures/cboe/vix_quotedata_2020-03-13_authored.dat';
const AUTHORED_VIX = 'tests/fixtures/vix/authored_spike.csv';
const REAL_VIX = sharedFile('data/vix/VIX_History.csv');

/** The plan as `analyze` should build it, from the engine directly (same valuation time, same filtering). */
async function directPlan(o: {
  file: string;
  vix: number | null;
  historyText: string | null;
  vixChainFile?: string;
  condor?: { strikes: [number, number, number, number]; quantity: number; credit?: number };
  expiry?: string;
  account?: { sizeDollars: number; buyingPowerDollars: number };
  rulebook?: Rulebook;
}): Promise<HedgePlan> {
  const load = async (f: string) => {
    const r = importChainText({ text: await readFile(resolve(REPO_DIR, f), 'utf8'), fileName: f });
    if (!r.ok) throw new Error(r.reason);
    return r.chain;
  };
  const chain = await load(o.file);
  const now = valuationTime(new Date(chain.asOf!)).at;
  const analysis = analyzeChain({
    chain,
    now,
    ...(o.expiry ? { expiry: o.expiry } : {}),
    ...(o.condor ? { condor: o.condor } : {}),
  });
  const today = now.toISOString().slice(0, 10); // valuation at 16:00 New York: same date in UTC
  const bars = o.historyText
    ? parseVixHistory({ text: o.historyText }).bars.filter((b) => (o.vix !== null ? b.date < today : b.date <= today))
    : [];
  const vixChain = o.vixChainFile ? await load(o.vixChainFile) : null;
  const rulebook = o.rulebook ?? defaultRulebook();
  const plan = planHedges({
    analysis,
    chain,
    vix: { spot: o.vix, history: bars },
    vixChain,
    rulebook,
    // No account figures: the quick ratio and the VXTH cap are not judged (nothing is assumed).
    account: o.account ?? null,
    now,
  });
  // The session adds its VIX checks (the chain's own 30-day index, the VIX chain's session) to the plan.
  return withVixChecks(plan, {
    indexed: chainVix(chain, now, analysis.rateAssumed),
    fromChain: false,
    vix: { level: o.vix, source: 'manual' },
    manual: o.vix !== null,
    tolerancePoints: rulebook.thresholds.vixChainTolerancePoints,
    vixChain,
    now,
  });
}

const roundTrip = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

/** The text of every ticket shows the engine's numbers, formatted by src/cli/format.ts. */
function expectTicketsPrinted(out: string, plan: HedgePlan): void {
  for (const tk of plan.tickets) {
    for (const l of tk.legs) {
      expect(out).toContain(l.occ);
      expect(out).toContain(`${l.ratio * tk.quantity > 0 ? 'buy' : 'sell'} ${Math.abs(l.ratio * tk.quantity)}`);
    }
    expect(out).toContain(
      `price: mid ${cliNumber(Math.abs(tk.midPerUnit))} ${tk.midPerUnit > 0 ? 'debit' : tk.midPerUnit < 0 ? 'credit' : 'even'} (${cliDollars(Math.abs(tk.midDollars))} for ${tk.quantity}), natural ${cliNumber(Math.abs(tk.naturalPerUnit))}`,
    );
    expect(out).toContain(
      `worst loss ${cliDollars(tk.stress.worstBefore)} → ${cliDollars(tk.stress.worstAfter)}, tail loss ${cliDollars(tk.stress.tailBefore)} → ${cliDollars(tk.stress.tailAfter)}`,
    );
    const ga = tk.greeksAfter;
    expect(out).toMatch(
      new RegExp(
        `after +${esc(cliDollars(ga.deltaDollarsPerPoint, { digits: 2, sign: true }))} +${esc(cliDollars(ga.gammaDollarsPerPoint, { digits: 2, sign: true }))} +${esc(cliDollars(ga.vegaDollarsPerVolPoint, { digits: 2, sign: true }))} +${esc(cliDollars(ga.thetaDollarsPerDay, { digits: 2, sign: true }))}`,
      ),
    );
    const liq = tk.constraints.liquidity;
    if (liq.judged)
      expect(out).toContain(
        `[${liq.ok ? 'ok]  ' : 'FAIL]'} liquidity: buying power left ${cliDollars(liq.buyingPowerLeftDollars)} ÷ margin needed ${cliDollars(liq.marginNeededDollars)} = ${cliNumber(liq.ratio)}`,
      );
    else expect(out).toContain('[not judged] quick ratio: no account figures given');
    expect(out).toContain(`cost: ${cliDollars(tk.constraints.cost.costDollars)} paid`);
    for (const s of tk.why.sentences) expect(out).toContain(`- ${s}`);
  }
}
const esc = (s: string) => s.replace(/[$+.()]/g, (c) => `\\${c}`);

describe('analyze --vix: the ALVH plan', () => {
  it('SPY 2025-09-25 with VIX 28 and the authored history: the plan is planHedges, printed with its numbers', async () => {
    const io = fakeIo();
    expect(await run([SPY, '--vix', '28', '--vix-history', AUTHORED_VIX, '--json'], io)).toBe(0);
    const out = JSON.parse(io.out) as ChainAnalysis & { plan: HedgePlan; planInputs: { unjudged: string[] } };
    const historyText = await readFile(resolve(REPO_DIR, AUTHORED_VIX), 'utf8');
    const direct = await directPlan({ file: SPY, vix: 28, historyText });
    expect(out.plan).toEqual(roundTrip(direct));
    expect(out.plan.tickets.length).toBeGreaterThan(0);
    // The authored series ends on 3 Jun 2024: the output says the signals compare with that old close.
    expect(out.planInputs.unjudged.join(' ')).toContain('the history ends 2024-06-03, 479 days before 2025-09-25');

    const text = fakeIo();
    expect(await run([SPY, '--vix', '28', '--vix-history', AUTHORED_VIX], text)).toBe(0);
    expect(text.out).toContain(`ALVH stage: ${STAGE_NAMES[direct.stage].toUpperCase()}`);
    for (const t of direct.transitions) expect(text.out).toContain(t.sentence);
    for (const c of direct.checks) expect(text.out).toContain(c.sentence);
    expectTicketsPrinted(text.out, direct);
    expect(text.out).toContain(
      'Account: not given — the quick ratio and the VXTH cap are not judged (give --account-size and --buying-power)',
    );
    expect(text.out).not.toMatch(/NaN|Infinity|undefined/);
    // ALVH comes before the one disclaimer, which is printed once.
    expect(text.out.indexOf('ALVH stage')).toBeLessThan(text.out.indexOf('Trading aids, not advice.'));
    expect(text.out.match(/not advice/g)).toHaveLength(1);
  });

  it('--vix alone: the stage from VIX alone, and the output says what it could not judge', async () => {
    const io = fakeIo();
    expect(await run([SPY, '--vix', '28'], io)).toBe(0);
    const direct = await directPlan({ file: SPY, vix: 28, historyText: null });
    // No prior close, no RSI, no MACD: no spike can fire; the SPY condor is not threatened → Calm.
    expect(direct.stage).toBe('calm');
    expect(io.out).toContain('ALVH stage: CALM');
    expect(io.out).toContain('? VIX change on the prior close: skipped — no prior close.');
    expect(io.out).toContain('? RSI(14) of VIX: skipped — fewer than 15 closes.');
    expect(io.out).toContain('Could not judge:');
    expect(io.out).toContain('no --vix-history: one VIX value has no prior close, RSI or MACD');
    expect(io.out).toContain('signals: VIX 28.00 (no prior close) · RSI(2) n/a · RSI(14) n/a · MACD histogram n/a');
    // In Calm, the tickets are shown for reference, priced now.
    expect(io.out).toContain(`Hedge tickets: ${direct.tickets.length} (0 active for the stage`);
    expectTicketsPrinted(io.out, direct);
    expect(io.out).not.toMatch(/NaN|Infinity|undefined/);
  });

  it('the rulebook decides: a stricter spike rule keeps VIX 28 Calm', async () => {
    const strict = applyEdit(
      defaultRulebook(),
      {
        name: 'strict',
        thresholds: { spikePctOnPriorClose: 400, spikePointsOnPriorClose: 50, spikeRsiShortAbove: 100 },
      },
      { at: '2026-01-01T00:00:00Z', note: 'test' },
    );
    if (!strict.ok) throw new Error(strict.errors.join('; '));
    const io = fakeIo({ 'rb.json': exportRulebook(strict.rulebook) });
    expect(await run([SPY, '--vix', '28', '--vix-history', AUTHORED_VIX, '--rulebook', 'rb.json', '--json'], io)).toBe(
      0,
    );
    const out = JSON.parse(io.out) as { plan: HedgePlan; planInputs: { rulebook: { name: string } } };
    const historyText = await readFile(resolve(REPO_DIR, AUTHORED_VIX), 'utf8');
    const direct = await directPlan({ file: SPY, vix: 28, historyText, rulebook: strict.rulebook });
    expect(out.plan).toEqual(roundTrip(direct));
    expect(out.planInputs.rulebook.name).toBe('strict');
    expect(out.plan.checks.find((c) => c.id === 'spike.pct')).toMatchObject({ threshold: 400, fired: false });
    expect(out.plan.stage).toBe('calm');
  });

  it('March 2020 SPX crash with the VIX chain: Second Engine tickets carry the VXTH cap', async () => {
    // An authored run-up of closes to 19 Mar 2020 (the real history is tested below when ../shared is present).
    const closes = [
      ...Array.from({ length: 40 }, (_, i) => 14 + 0.05 * i),
      ...[17, 19, 22, 25, 27, 33, 40, 41, 48, 54, 57, 62, 75, 77, 72],
    ];
    const rows: string[] = ['DATE,OPEN,HIGH,LOW,CLOSE'];
    // weekdays ending on 2020-03-19, the day before the file's valuation date
    const us = (iso: string) => `${iso.slice(5, 7)}/${iso.slice(8, 10)}/${iso.slice(0, 4)}`;
    let day = new Date(Date.parse('2020-03-19'));
    const back: string[] = [];
    while (back.length < closes.length) {
      if (day.getUTCDay() !== 0 && day.getUTCDay() !== 6) back.unshift(day.toISOString().slice(0, 10));
      day = new Date(day.getTime() - 86_400_000);
    }
    back.forEach((iso, i) => rows.push(`${us(iso)},${closes[i]},${closes[i]},${closes[i]},${closes[i]}`));
    const historyText = rows.join('\n') + '\n';
    const argv = [
      LEGACY,
      '--expiry',
      '2020-04-17',
      '--condor',
      '1900/2000/2600/2700',
      '--qty',
      '2',
      '--credit',
      '30',
      '--vix',
      '66',
      '--vix-history',
      'h.csv',
      '--vix-chain',
      VIX_CHAIN,
      '--account-size',
      '1000000',
      '--buying-power',
      '400000',
    ];
    const io = fakeIo({ 'h.csv': historyText });
    expect(await run([...argv, '--json'], io)).toBe(0);
    const out = JSON.parse(io.out) as { plan: HedgePlan };
    const direct = await directPlan({
      file: LEGACY,
      vix: 66,
      historyText,
      vixChainFile: VIX_CHAIN,
      condor: { strikes: [1900, 2000, 2600, 2700], quantity: 2, credit: 30 },
      expiry: '2020-04-17',
      account: { sizeDollars: 1_000_000, buyingPowerDollars: 400_000 },
    });
    expect(out.plan).toEqual(roundTrip(direct));
    expect(direct.vix.future?.future).toBeGreaterThan(20);
    const se = direct.tickets.filter((t) => t.layer === 'second-engine');
    expect(se.length).toBeGreaterThan(0);

    const text = fakeIo({ 'h.csv': historyText });
    expect(await run(argv, text)).toBe(0);
    expectTicketsPrinted(text.out, direct);
    // The VXTH cap is for VIX hedges; an SPX put of the Second Engine is not capped by it (finding 8).
    for (const tk of se.filter((x) => !x.legs.some((l) => l.underlying === 'VIX')))
      expect(tk.constraints.vxth).toBeNull();
    const vixSe = se.filter((x) => x.legs.some((l) => l.underlying === 'VIX'));
    expect(vixSe.length).toBeGreaterThan(0);
    for (const tk of vixSe) {
      const v = tk.constraints.vxth!;
      // VXTH schedule: a future in 30–50 → 0.5% of a $1,000,000 account = $5,000.
      expect(v.accountPct).toBe(0.5);
      expect(v.capDollars).toBeCloseTo(5000, 6);
      expect(text.out).toContain(
        `[ok]   VXTH cap: ${cliDollars(v.allocationDollars)} committed ≤ $5,000 = 0.5% of the account at VIX future ${cliNumber(v.vixFuture)}`,
      );
    }
    expect(text.out).toContain(`VIX future ${direct.vix.future!.expiry}: ${cliNumber(direct.vix.future!.future)}`);
    expect(text.out).toContain('VIX chain: vix_quotedata_2020-03-13_authored.dat');
    expect(text.out).not.toContain('(assumed');
    expect(text.out).not.toMatch(/NaN|Infinity|undefined/);
  });

  describe.skipIf(REAL_VIX === null)('with the real VIX history (../shared/data/vix/VIX_History.csv)', () => {
    it('SPY 2025-09-25, VIX 28 the day after a 16.18 close: Calm → Layer One on the spike, no Second Engine on the spike bar', async () => {
      const io = fakeIo();
      expect(await run([SPY, '--vix', '28', '--vix-history', REAL_VIX!, '--json'], io)).toBe(0);
      const out = JSON.parse(io.out) as {
        plan: HedgePlan;
        planInputs: { history: { last: string; droppedAfter: number } };
      };
      const direct = await directPlan({ file: SPY, vix: 28, historyText: await readFile(REAL_VIX!, 'utf8') });
      expect(out.plan).toEqual(roundTrip(direct));
      // the history is cut at the chain's date: closes from 25 Sep 2025 on are left out
      expect(out.planInputs.history.last).toBe('2025-09-24');
      expect(out.planInputs.history.droppedAfter).toBeGreaterThan(0);
      const pct = direct.checks.find((c) => c.id === 'spike.pct')!;
      expect(pct.value).toBeCloseTo(((28 - 16.18) / 16.18) * 100, 1);
      // The Second Engine comes after Layer One has absorbed the first shock: never on the spike bar (finding 10).
      expect(direct.transitions.map((t) => `${t.from}→${t.to}`)).toEqual(['calm→layer-one']);
      const text = fakeIo();
      expect(await run([SPY, '--vix', '28', '--vix-history', REAL_VIX!], text)).toBe(0);
      expect(text.out).toContain('ALVH stage: LAYER ONE');
      expect(text.out).toContain('signals: VIX 28.00 (+11.82 pts, +73.05% on the prior close)');
      expectTicketsPrinted(text.out, direct);
      expect(text.out).not.toMatch(/NaN|Infinity|undefined/);
    });
  });

  it.each([
    [['--vix', '20', '--vix-history', SPY], "is not a VIX history in Cboe's VIX_History.csv layout"],
    [['--vix', '20', '--vix-history', 'missing.csv'], 'cannot read missing.csv: no such file'],
    [['--vix', '-4'], '--vix must be positive (got -4)'],
    [['--vix', '20', '--rulebook', 'bad-rb.json'], 'invalid rulebook bad-rb.json: '],
    [['--vix', '20', '--rulebook', AUTHORED_VIX], 'invalid rulebook'],
    [['--vix', '20', '--vix-chain', SPY], 'is not a VIX option chain (its underlying is SPY)'],
    [['--vix-history', 'old.csv'], 'no VIX close on or before 2025-09-25 in old.csv'],
  ])('ALVH bad input %j → exit 2 with one line', async (extra, msg) => {
    const bad = { ...defaultRulebook(), thresholds: { ...defaultRulebook().thresholds, spikePctOnPriorClose: -3 } };
    const io = fakeIo({
      'bad-rb.json': JSON.stringify(bad),
      'old.csv': 'DATE,OPEN,HIGH,LOW,CLOSE\n01/02/2030,1,1,1,20\n',
    });
    expect(await main({ argv: ['analyze', SPY, ...extra], io })).toBe(2);
    expect(io.err).toContain(msg);
    expect(io.err.trimEnd().split('\n')).toHaveLength(1);
    expect(io.out).toBe('');
  });
});

describe('analyze --vix as a real process', () => {
  const bin = resolve(REPO_DIR, 'bin/hedgelens.mjs');
  const exec = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { cwd: REPO_DIR, encoding: 'utf8' });
  it('exits 0 and prints the plan planHedges makes', async () => {
    const r = exec('analyze', SPY, '--vix', '28', '--vix-history', AUTHORED_VIX, '--json');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as { plan: HedgePlan };
    const direct = await directPlan({
      file: SPY,
      vix: 28,
      historyText: await readFile(resolve(REPO_DIR, AUTHORED_VIX), 'utf8'),
    });
    expect(out.plan).toEqual(roundTrip(direct));
    const t = exec('analyze', SPY, '--vix', '28', '--vix-history', AUTHORED_VIX);
    expect(t.status).toBe(0);
    expectTicketsPrinted(t.stdout, direct);
  });
  it.each([
    [['--vix', '-5'], '--vix must be positive'],
    [['--vix', '20', '--vix-history', SPY], 'is not a VIX history'],
    [['--vix', '20', '--rulebook', AUTHORED_VIX], 'invalid rulebook'],
  ])('exits 2 with one line on %j', (extra, msg) => {
    const r = exec('analyze', SPY, ...extra);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(msg);
  });
});

describe('analyze --advance-decline and --held', () => {
  const asOf = SCENE_AS_OF;
  const syn = sceneSpxChain();
  const vc = sceneVixChain();
  const AD = 'tests/fixtures/vix/authored_advance_decline.csv';
  const held = [
    { underlying: 'SPX', expiry: '2026-03-27', kind: 'put', strike: 6300, quantity: 2, entryPrice: 21.4 },
    { underlying: 'SPX', expiry: '2026-03-27', kind: 'put', strike: 6250, quantity: -2, entryPrice: 14.1 },
    { underlying: 'VIX', expiry: '2026-04-15', kind: 'call', strike: 30, quantity: 6, entryPrice: 1.35 },
  ];
  const files = async () => {
    const text = await readFile(resolve(REPO_DIR, AUTHORED_VIX), 'utf8');
    // the authored spike up to the day before its Unwind (10 Apr 2024); today's live VIX 20.2 turns it
    const before = text
      .split('\n')
      .filter((l) => {
        const m = /^(\d\d)\/(\d\d)\/(\d{4}),/.exec(l);
        return !m || `${m[3]}-${m[1]}-${m[2]}` < '2024-04-11';
      })
      .join('\n');
    return {
      'syn.json': JSON.stringify(syn),
      'vix.json': JSON.stringify(vc),
      'hist.csv': before,
      'held.json': JSON.stringify(held),
      'bad-ad.csv': 'date,advances,declines\n03/16/2026,1,2\n2026-03-17,x,3\n',
      'held-bad.json': JSON.stringify([{ ...held[0], quantity: 1.5 }]),
    };
  };
  const argv = (...extra: string[]) => [
    'syn.json',
    '--expiry',
    '2026-04-17',
    '--condor',
    '6250/6300/6900/6950',
    '--qty',
    '2',
    '--vix',
    '20.2',
    '--vix-history',
    'hist.csv',
    '--vix-chain',
    'vix.json',
    '--now',
    asOf,
    ...extra,
  ];

  it('unwinds the held hedges layer by layer and reads the breadth series; text and JSON agree', async () => {
    const io = fakeIo(await files());
    expect(await run(argv('--held', 'held.json', '--advance-decline', AD, '--json'), io)).toBe(0);
    const out = JSON.parse(io.out) as {
      plan: HedgePlan;
      planInputs: { advanceDecline: { rows: number; hasClose: boolean }; held: { legs: number } };
    };
    expect(out.plan.stage).toBe('unwind');
    expect(out.planInputs.advanceDecline).toMatchObject({ rows: 16, hasClose: true, badLines: 0 });
    expect(out.planInputs.held).toEqual({ file: 'held.json', legs: 3 });
    expect(out.plan.signalStrength!.breadth!.fired).toBe(true);
    const u = out.plan.tickets.filter((t) => t.layer === 'unwind');
    expect(u.map((t) => t.unwind!.layer)).toEqual(['second-engine', 'layer-one']);
    expect(out.plan.tickets.slice(0, 2).map((t) => t.layer)).toEqual(['unwind', 'unwind']);
    // the hedge P/L from the chains' own quotes: (exit mid − entry) × quantity × 100
    const quote = (h: (typeof held)[number]) => {
      const c = h.underlying === 'VIX' ? vc : syn;
      const q = c.expiries.find((e) => e.date === h.expiry)!.rows.find((r) => r.strike === h.strike)![
        h.kind as 'call' | 'put'
      ]!;
      return (q.bid! + q.ask!) / 2;
    };
    const pnl = (hs: typeof held) => hs.reduce((s, h) => s + (quote(h) - h.entryPrice) * h.quantity * 100, 0);
    expect(u[0]!.unwind!.pnlMidDollars).toBeCloseTo(pnl(held.slice(2)), 6);
    expect(u[1]!.unwind!.pnlMidDollars).toBeCloseTo(pnl(held.slice(0, 2)), 6);

    const text = fakeIo(await files());
    expect(await run(argv('--held', 'held.json', '--advance-decline', AD), text)).toBe(0);
    expect(text.out).toContain('ALVH stage: UNWIND');
    expect(text.out).toContain(
      'advance–decline: authored_advance_decline.csv, 16 rows 2026-02-23 … 2026-03-16 with index closes',
    );
    expect(text.out).toContain('held hedges: held.json, 3 legs');
    expect(text.out).toContain(`Layer One sizing: ${out.plan.signalStrength!.sentence}`);
    expect(text.out).toContain(
      `#1 Unwind step 1: close the Second Engine hedges × ${u[0]!.quantity} · ACTIVE: the stage calls for it · P/L on the hedge ${cliDollars(u[0]!.unwind!.pnlMidDollars, { sign: true })} at the mid`,
    );
    expect(text.out).toContain('#2 Unwind step 2: close the Layer One hedges');
    expectTicketsPrinted(text.out, out.plan);
    expect(text.out).not.toMatch(/NaN|Infinity|undefined/);
    expect(text.err).toBe('');
  });

  it('without --held the same inputs give no close tickets; without --advance-decline no breadth', async () => {
    const io = fakeIo(await files());
    expect(await run(argv('--json'), io)).toBe(0);
    const out = JSON.parse(io.out) as { plan: HedgePlan; planInputs: { advanceDecline: unknown; held: unknown } };
    expect(out.plan.tickets.some((t) => t.layer === 'unwind')).toBe(false);
    expect(out.plan.signalStrength!.breadth).toBeNull();
    expect(out.planInputs.advanceDecline).toBeNull();
    expect(out.planInputs.held).toBeNull();
  });

  it('counts bad A–D lines with a warning and still runs', async () => {
    const f = await files();
    const io = fakeIo({ ...f, 'some-bad.csv': `${await readFile(resolve(REPO_DIR, AD), 'utf8')}2026-03-17,12\n` });
    expect(await run(argv('--advance-decline', 'some-bad.csv'), io)).toBe(0);
    expect(io.err).toBe(
      'warning: 1 bad line(s) in some-bad.csv skipped (first: line 18: expected date,advances,declines[,close] (got 2 fields))\n',
    );
    expect(io.out).toContain('16 rows 2026-02-23 … 2026-03-16 with index closes (1 bad line skipped)');
  });

  it.each([
    [
      ['--advance-decline', 'bad-ad.csv'],
      'bad-ad.csv has no usable advance–decline row (2 bad line(s); first: line 2: not a date',
    ],
    [['--held', 'held-bad.json'], 'held-bad.json[0]: quantity: expected a whole number ≠ 0'],
    [['--held', 'hist.csv'], 'hist.csv is not JSON'],
  ])('unusable %j → exit 2 with one line', async (extra, msg) => {
    const io = fakeIo(await files());
    expect(await main({ argv: ['analyze', ...argv(...extra)], io })).toBe(2);
    expect(io.err).toContain(msg);
    expect(io.err.trimEnd().split('\n')).toHaveLength(1);
    expect(io.out).toBe('');
  });

  it('--advance-decline and --held need the ALVH plan', () => {
    expect(() => parseAnalyzeArgs(['f', '--held', 'h.json'])).toThrow('--held is for the ALVH hedge plan');
    expect(() => parseAnalyzeArgs(['f', '--advance-decline', 'a.csv'])).toThrow(
      '--advance-decline is for the ALVH hedge plan',
    );
  });
});

describe('macro events flagged by the trader', () => {
  it('--macro near the valuation date raises the plan’s urgency and names the event; far ones do not', async () => {
    // The SPY file is valued at 2025-09-25 16:00 New York.
    const near = fakeIo();
    expect(await run([SPY, '--vix', '28', '--macro', 'fomc:2025-09-26,CPI:2025-11-13', '--json'], near)).toBe(0);
    const plan = (JSON.parse(near.out) as { plan: HedgePlan }).plan;
    expect(plan.urgency.level).toBe('raised');
    expect(plan.urgency.reasons.join(' ')).toMatch(/FOMC on 2025-09-26, 1 day\(s\) away/);
    expect(plan.urgency.reasons.join(' ')).not.toMatch(/CPI/);
    const far = fakeIo();
    expect(await run([SPY, '--vix', '28', '--macro', 'CPI:2025-11-13', '--json'], far)).toBe(0);
    expect((JSON.parse(far.out) as { plan: HedgePlan }).plan.urgency.level).toBe('normal');
  });

  it('a malformed --macro is bad input with one clear line', async () => {
    await expect(run([SPY, '--vix', '28', '--macro', 'FOMC:next week'], fakeIo())).rejects.toThrow(
      /^--macro takes KIND:YYYY-MM-DD/,
    );
    await expect(run([SPY, '--vix', '28', '--macro', 'CPI:2025-02-30'], fakeIo())).rejects.toThrow(/--macro/);
  });
});

describe('the inputs of the options page through the CLI (#19)', () => {
  const fx = (p: string) => `tests/fixtures/${p}`;
  const base = [
    fx(SCENE.page),
    '--condor',
    SCENE.condor,
    '--qty',
    String(SCENE.quantity),
    '--vix-history',
    fx(SCENE.vixHistory),
  ];

  it('the macro calendar file and the advance–decline file change Layer One and the urgency, and the text says so', async () => {
    const without = fakeIo();
    expect(await run(base, without)).toBe(0);
    expect(without.out).toContain(`Layer One sizing: ${SIZING_WITHOUT_BREADTH}`);
    expect(without.out).toMatch(/#1 Layer One · put debit spread × 4 · ACTIVE/);
    expect(without.out).not.toContain('urgency raised');

    const withInputs = fakeIo();
    const argv = [
      ...base,
      '--advance-decline',
      fx(SCENE.advanceDecline),
      '--macro',
      SCENE.macroTyped.map((d) => `FOMC:${d}`).join(','),
      '--macro-file',
      fx(SCENE.macroFile),
    ];
    expect(await run(argv, withInputs)).toBe(0);
    expect(withInputs.out).toContain(`Layer One sizing: ${SIZING_WITH_BREADTH}`);
    expect(withInputs.out).toContain(`urgency raised: ${MACRO_URGENCY}`);
    expect(withInputs.out).toMatch(/#1 Layer One · put debit spread × 5 · ACTIVE/);
    // The JSON plan: the same events (typed and filed, each once) and the breadth judged.
    const json = fakeIo();
    expect(await run([...argv, '--json'], json)).toBe(0);
    const plan = (JSON.parse(json.out) as { plan: HedgePlan }).plan;
    expect(plan.signalStrength?.breadth?.fired).toBe(true);
    expect(plan.urgency.reasons).toEqual([MACRO_URGENCY]);
  });

  it('a macro calendar file with a bad line is bad input naming the line', async () => {
    const io = fakeIo({ 'cal.csv': 'type,date\nFOMC,2025-10-29\nCPI,2025-10-32\n' });
    await expect(run([...base, '--macro-file', 'cal.csv'], io)).rejects.toThrow(
      'cal.csv is not a macro calendar (lines KIND,YYYY-MM-DD such as FOMC,2025-10-29): line 3: 2025-10-32 is not a calendar date',
    );
    expect(() => parseAnalyzeArgs(['f', '--macro-file', 'cal.csv'])).toThrow('--macro-file is for the ALVH hedge plan');
  });
});
