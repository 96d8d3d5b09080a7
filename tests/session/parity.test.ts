/**
 * One session, two drivers: the same inputs (chain, condor, VIX, VIX history, account, breadth, macro dates) given to
 * the worker's API over a MessagePort (comlink, as the overlay frame does) and to `hedgelens analyze --json` give the
 * same analysis and the same hedge plan, figure for figure.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { expose, wrap } from 'comlink';
import { describe, expect, it } from 'vitest';
import { loadChain, parseMacroEvents, run } from '../../src/cli/commands/analyze.ts';
import type { CliIo } from '../../src/cli/io.ts';
import { parseAdvanceDecline } from '../../src/engine/alvh/breadth.ts';
import { parseVixHistory } from '../../src/engine/alvh/vixSeries.ts';
import { createEngine, type EngineApi, type ReadyState } from '../../src/worker/engine.ts';
import { REPO_DIR } from '../helpers/shared.ts';

const CLOCK = new Date('2030-01-01T00:00:00Z');

function fileIo(): CliIo & { out: string; err: string } {
  const io = {
    out: '',
    err: '',
    stdout: (t: string) => void (io.out += t),
    stderr: (t: string) => void (io.err += t),
    readFile: (p: string) => readFile(resolve(REPO_DIR, p), 'utf8'),
    now: () => CLOCK,
  };
  return io;
}

/** The worker's API as the frame reaches it: comlink over a MessageChannel. */
function workerApi() {
  const channel = new MessageChannel();
  expose(
    createEngine(
      () => 0,
      () => CLOCK,
    ),
    channel.port2,
  );
  return { api: wrap<EngineApi>(channel.port1), close: () => channel.port1.close() };
}

const pageMeta = {
  adapter: 'cboe-csv',
  rowsRead: 0,
  rowsDropped: 0,
  confidence: 1,
  site: 'file',
  pageUrl: 'file:///chain',
  pageTitle: 'chain',
};

interface Case {
  name: string;
  file: string;
  strikes: [number, number, number, number];
  qty: number;
  vix: number;
  history: string;
  account?: { size: number; bp: number };
  advanceDecline?: string;
  macro?: string;
  expiry?: string;
}

const CASES: Case[] = [
  {
    name: 'SPY 25 Sep 2025, 10 lots, VIX 28 on a spiking history, account and breadth given',
    file: 'tests/fixtures/cboe/cboe_spy_quotedata_2025-09-25.csv',
    strikes: [640, 645, 690, 695],
    qty: 10,
    vix: 28,
    history: 'tests/fixtures/vix/authored_spike.csv',
    account: { size: 250_000, bp: 150_000 },
    advanceDecline: 'tests/fixtures/vix/authored_advance_decline.csv',
    macro: 'CPI:2025-10-15,FOMC:2025-10-29',
  },
  {
    name: 'SPX 20 Mar 2020 close, 10 lots, VIX 66.04, no account (the one default)',
    file: 'tests/fixtures/cboe/cboe_spx_quotedata_2020-03-22_legacy.dat',
    strikes: [1850, 1900, 2650, 2700],
    qty: 10,
    vix: 66.04,
    history: 'tests/fixtures/vix/authored_spike.csv',
    expiry: '2020-04-17',
  },
];

describe('the worker API and `hedgelens analyze --json` run one session', () => {
  for (const c of CASES) {
    it(c.name, async () => {
      const argv = [
        c.file,
        '--condor',
        c.strikes.join('/'),
        '--qty',
        String(c.qty),
        '--vix',
        String(c.vix),
        '--vix-history',
        c.history,
        '--json',
      ];
      if (c.expiry) argv.push('--expiry', c.expiry);
      if (c.account) argv.push('--account-size', String(c.account.size), '--buying-power', String(c.account.bp));
      if (c.advanceDecline) argv.push('--advance-decline', c.advanceDecline);
      if (c.macro) argv.push('--macro', c.macro);
      const io = fileIo();
      expect(await run(argv, io)).toBe(0);
      const cli = JSON.parse(io.out) as Record<string, unknown> & { plan: unknown };

      const { api, close } = workerApi();
      const chain = await loadChain(fileIo(), c.file);
      await api.setChain(chain, pageMeta);
      if (c.expiry) await api.setExpiry(c.expiry);
      await api.setPosition({ kind: 'strikes', strikes: c.strikes, quantity: c.qty, allowUnlisted: true });
      const text = (p: string) => readFile(resolve(REPO_DIR, p), 'utf8');
      await api.setAlvhInputs({
        vixHistory: parseVixHistory({ text: await text(c.history) }).bars,
        account: c.account ? { sizeDollars: c.account.size, buyingPowerDollars: c.account.bp } : null,
        advanceDecline: c.advanceDecline ? parseAdvanceDecline({ text: await text(c.advanceDecline) }).rows : [],
        macroEvents: c.macro ? parseMacroEvents(c.macro) : [],
      });
      const state = (await api.setManualVix(c.vix)) as ReadyState;
      close();
      expect(state.status).toBe('ready');

      // The JSON is what the CLI printed; the worker's state is compared through the same serialisation.
      const fromWorker = JSON.parse(
        JSON.stringify({ ...state.analysis, chainVix: state.chainVix, plan: state.plan, macro: state.macro }),
      ) as typeof cli;
      const { planInputs: _inputs, ...fromCli } = cli;
      expect(fromWorker).toEqual(fromCli);
      // Not vacuous: a condor of the given size, and a plan with priced tickets.
      expect((cli as unknown as { condor: { quantity: number } }).condor.quantity).toBe(c.qty);
      const plan = cli.plan as { tickets: { midDollars: number }[] };
      expect(plan.tickets.length).toBeGreaterThan(0);
      expect(plan.tickets.every((t) => Number.isFinite(t.midDollars))).toBe(true);
      // The account the plan judged on is the same on both sides, and said when assumed.
      const account = (cli.planInputs as { account: ReadyState['account'] }).account;
      expect(account).toEqual(state.account);
      expect(account.assumed).toBe(c.account === undefined);
    });
  }
});
