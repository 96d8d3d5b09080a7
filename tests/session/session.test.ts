/**
 * The session module: one analysis per update, curves recomputed alone when the sliders move, one account default,
 * and subscriptions that can be stopped.
 */
import { describe, expect, it, vi } from 'vitest';
import * as analyze from '../../src/engine/analyze';
import { createSession, resolveAccount, DEFAULT_ACCOUNT } from '../../src/engine/session';
import { historyBefore } from '../../src/engine/session/compute';
import { createEngine, type ChainMeta, type EngineState } from '../../src/worker/engine';
import { meta, ready, syntheticChain } from '../helpers/workerChain';

vi.mock('../../src/engine/analyze', async (importOriginal) => {
  const orig = await importOriginal<typeof import('../../src/engine/analyze')>();
  return { ...orig, analyzeChain: vi.fn(orig.analyzeChain) };
});
const analyzeCalls = () => vi.mocked(analyze.analyzeChain).mock.calls.length;

describe('one analysis per update', () => {
  it('an entered condor is resolved on the chosen expiry within the one analysis', () => {
    const session = createSession<ChainMeta>({ wallClock: () => new Date('2026-03-18T20:00:00Z') });
    session.setChain(syntheticChain(), meta);
    session.setPosition({ kind: 'text', text: '6400/6450/6800/6850 x2 @ 4.10' });
    const before = analyzeCalls();
    const s = ready(session.recompute() as EngineState);
    expect(analyzeCalls() - before).toBe(1);
    expect(s.analysis!.condorSuggested).toBe(false);
    expect(s.analysis!.condor!.strikes).toEqual([6400, 6450, 6800, 6850]);
    expect(s.analysis!.condor!.quantity).toBe(2);
    expect(s.positionError).toBeNull();
  });

  it("the next update's suggestion starts from the shorts suggested last (they keep still while the market jitters)", () => {
    const session = createSession<ChainMeta>({ wallClock: () => new Date('2026-03-18T20:00:00Z') });
    session.setChain(syntheticChain(), meta);
    const first = ready(session.recompute() as EngineState);
    const lastInput = () => vi.mocked(analyze.analyzeChain).mock.lastCall![0];
    expect(lastInput().keepSuggested).toBeUndefined(); // nothing suggested before
    const [, p, c] = first.analysis!.condor!.strikes;
    session.setChain(syntheticChain(), meta);
    const next = ready(session.recompute() as EngineState);
    expect(lastInput().keepSuggested).toEqual({ expiry: '2026-04-17', shorts: [p, c] });
    expect(next.analysis!.condor!.strikes).toEqual(first.analysis!.condor!.strikes);
    // A condor of the trader's own is not a suggestion: nothing is kept for it.
    session.setPosition({ kind: 'text', text: '6400/6450/6800/6850' });
    session.recompute();
    expect(lastInput().keepSuggested).toBeUndefined();
  });

  it('a position that does not fit the chain falls back to the suggested condor and says why, still once', () => {
    const session = createSession<ChainMeta>();
    session.setChain(syntheticChain(), meta);
    session.setPosition({ kind: 'text', text: '6401/6450/6800/6850' });
    const before = analyzeCalls();
    const s = ready(session.recompute() as EngineState);
    expect(analyzeCalls() - before).toBe(1);
    expect(s.positionError).toMatch(/6401 not on the chain/);
    expect(s.analysis!.condorSuggested).toBe(true);
  });

  it('moving the sliders recomputes the curves alone, and the next update keeps the sliders', () => {
    const session = createSession<ChainMeta>();
    session.setChain(syntheticChain(), meta);
    const first = ready(session.recompute() as EngineState);
    expect(first.curves!.request).toEqual({ daysForward: 0, volShiftPoints: 0 });
    const before = analyzeCalls();
    const moved = ready(session.setCurve({ daysForward: 10, volShiftPoints: 5 }) as EngineState);
    expect(analyzeCalls()).toBe(before);
    expect(moved.seq).toBe(first.seq + 1);
    expect(moved.curves!.at.daysForward).toBe(10);
    expect(moved.curves!.at.pnlDollars).not.toEqual(first.curves!.at.pnlDollars);
    // The analysis and plan are the same objects: nothing else was computed.
    expect(moved.analysis).toBe(first.analysis);
    expect(moved.plan).toBe(first.plan);
    const next = ready(session.recompute() as EngineState);
    expect(next.curves!.request).toEqual({ daysForward: 10, volShiftPoints: 5 });
    expect(next.curves!.at.pnlDollars).toEqual(moved.curves!.at.pnlDollars);
  });
});

describe('one account default', () => {
  it('is assumed and said only when the trader gave neither figure; one figure stands for the other', () => {
    expect(resolveAccount(null)).toEqual({ ...DEFAULT_ACCOUNT, assumed: true });
    expect(resolveAccount({ sizeDollars: null, buyingPowerDollars: null }).assumed).toBe(true);
    expect(resolveAccount({ sizeDollars: 80_000, buyingPowerDollars: null })).toEqual({
      sizeDollars: 80_000,
      buyingPowerDollars: 80_000,
      assumed: false,
    });
    expect(resolveAccount({ sizeDollars: null, buyingPowerDollars: 30_000 })).toEqual({
      sizeDollars: 30_000,
      buyingPowerDollars: 30_000,
      assumed: false,
    });
    const session = createSession<ChainMeta>();
    session.setChain(syntheticChain(), meta);
    const assumed = ready(session.recompute() as EngineState);
    expect(assumed.planAssumptions.join(' ')).toMatch(
      /no account entered: the quick ratio and the VXTH cap are not judged/,
    );
    session.setAlvhInputs({ account: { sizeDollars: 250_000, buyingPowerDollars: null } });
    const given = ready(session.recompute() as EngineState);
    expect(given.account).toEqual({ sizeDollars: 250_000, buyingPowerDollars: 250_000, assumed: false });
    expect(given.planAssumptions.join(' ')).not.toMatch(/no account entered/);
  });
});

describe('subscriptions', () => {
  it('stop when the subscriber says so', async () => {
    const engine = createEngine();
    const seen: number[] = [];
    const stop = await engine.subscribe((s) => void seen.push(s.seq));
    await engine.setChain(syntheticChain(), meta);
    expect(seen.length).toBe(2); // the state at subscription, then the chain's
    stop();
    await engine.setExpiry(null);
    expect(seen.length).toBe(2);
  });
});

describe('Layer One on a page that lists only the condor’s expiry', () => {
  it('is priced there on strikes that are none of the condor’s own, and says a shorter-dated chain gives the real one', () => {
    const session = createSession<ChainMeta>();
    session.setChain(syntheticChain(), meta); // one expiry, as most broker pages show
    session.setPosition({ kind: 'text', text: '6400/6450/6800/6850 @ 4.10' });
    session.setManualVix(28, 16.18);
    const s = ready(session.recompute() as EngineState);
    const l1 = s.plan!.tickets.filter((t) => t.layer === 'layer-one');
    expect(l1.length).toBeGreaterThan(0);
    const condor = s.analysis!.condor!;
    for (const t of l1) {
      for (const leg of t.legs) {
        expect(leg.expiry).toBe(condor.expiry);
        expect(condor.strikes).not.toContain(leg.strike);
      }
      expect(t.why.sentences.join(' ')).toMatch(/lists no shorter-dated expiry.*Open a shorter-dated chain/);
    }
    // With a weekly listed, Layer One goes there and never to the condor's expiry.
    session.setChain(syntheticChain({ weekly: true }), meta);
    const w = ready(session.recompute() as EngineState);
    const wl1 = w.plan!.tickets.filter((t) => t.layer === 'layer-one');
    expect(wl1.length).toBeGreaterThan(0);
    for (const t of wl1) for (const leg of t.legs) expect(leg.expiry).toBe('2026-04-03');
  });
});

describe('the VIX a saved page showed', () => {
  it('is the VIX of that page’s moment, read days later: the plan uses it, not the chain’s own index', () => {
    // The chain is valued at its own close (18 Mar 2026); the page was read, and its VIX seen, a week later.
    const session = createSession<ChainMeta>({ wallClock: () => new Date('2026-03-25T15:00:00Z') });
    session.setChain(syntheticChain(), {
      ...meta,
      vixSightings: [{ at: '2026-03-25T15:00:00.000Z', value: 31.5, source: 'page: VIX 31.50' }],
    });
    const s = ready(session.recompute() as EngineState);
    expect(s.vix.level).toBe(31.5);
    expect(s.vix.source).not.toMatch(/chain's/);
    // Without the page's VIX the same chain plans on its own index.
    session.setChain(syntheticChain(), meta);
    const alone = ready(session.recompute() as EngineState);
    expect(alone.vix.source).toMatch(/chain's/);
  });
});

describe('historyBefore (the closes the plan may read at the valuation date)', () => {
  const bars = ['2020-03-09', '2020-03-10', '2020-03-11', '2020-03-12'].map((date, i) => ({
    date,
    open: 40,
    high: 45,
    low: 39,
    close: 40 + i,
  }));
  it('cuts an ascending history at the date, with or without its close, and keeps it whole when all is before', () => {
    expect(historyBefore(bars, '2020-03-11', false).map((b) => b.date)).toEqual(['2020-03-09', '2020-03-10']);
    expect(historyBefore(bars, '2020-03-11', true).map((b) => b.date)).toEqual([
      '2020-03-09',
      '2020-03-10',
      '2020-03-11',
    ]);
    expect(historyBefore(bars, '2020-03-08', true)).toEqual([]);
    expect(historyBefore(bars, '2020-04-01', false)).toBe(bars);
  });
  it('gives the cut of each date asked, the same date again or another (it keeps the last cut of a history)', () => {
    const asked: [string, boolean][] = [
      ['2020-03-11', false],
      ['2020-03-11', false],
      ['2020-03-11', true],
      ['2020-03-10', true],
      ['2020-03-11', false],
      ['2020-03-12', false],
      ['2020-03-09', false],
    ];
    for (const [date, orOn] of asked)
      expect(historyBefore(bars, date, orOn)).toEqual(bars.filter((b) => b.date < date || (orOn && b.date === date)));
    // A history that grew (bars appended to the same array) is cut anew.
    const growing = bars.slice(0, 3);
    expect(historyBefore(growing, '2020-03-11', true)).toHaveLength(3);
    expect(historyBefore(growing, '2020-03-11', false).map((b) => b.date)).toEqual(['2020-03-09', '2020-03-10']);
    growing.push(bars[3]!);
    expect(historyBefore(growing, '2020-03-11', false).map((b) => b.date)).toEqual(['2020-03-09', '2020-03-10']);
    expect(historyBefore(growing, '2020-03-12', true)).toBe(growing);
  });
  it('filters a history out of order as it stands, rather than trusting a binary search on it', () => {
    const shuffled = [bars[2]!, bars[0]!, bars[3]!, bars[1]!];
    expect(historyBefore(shuffled, '2020-03-11', true).map((b) => b.date)).toEqual([
      '2020-03-11',
      '2020-03-09',
      '2020-03-10',
    ]);
  });
});
