/**
 * VIX you can trust (issue #14, finding 7), through the session: the chain's own 30-day index stands for the VIX
 * when none is typed or seen; a typed VIX far from it is a warning naming both numbers; a VIX chain of another
 * session is a warning; a page listing a few strikes near the money gives no index to trust. Real Cboe files.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importChainText } from '../../src/chain/importers';
import type { Chain } from '../../src/chain/types';
import { applyEdit, defaultRulebook } from '../../src/engine/alvh/rulebook';
import type { VixBar } from '../../src/engine/alvh/vixSeries';
import { computeSession } from '../../src/engine/session/compute';
import { vixChainSessionWarning } from '../../src/engine/session/vixCheck';
import {
  DEFAULT_CURVE,
  defaultAlvhInputs,
  type AlvhInputs,
  type ReadyState,
  type SessionInputs,
} from '../../src/engine/session/state';
import { FIXTURES_DIR } from '../helpers/shared';

function load(name: string): Chain {
  const path = resolve(FIXTURES_DIR, 'cboe', name);
  const r = importChainText({ text: readFileSync(path, 'utf8'), fileName: name });
  if (!r.ok) throw new Error(r.reason);
  return r.chain;
}
const SPX2020 = load('cboe_spx_quotedata_2020-03-22_legacy.dat');
const VIX0313 = load('vix_quotedata_2020-03-13_authored.dat');

function state(
  chain: Chain,
  o: { vix?: number; alvh?: Partial<AlvhInputs>; sightings?: { at: string; value: number }[] } = {},
): ReadyState {
  const inputs: SessionInputs = {
    chain,
    meta: o.sightings ? { vixSightings: o.sightings.map((s) => ({ ...s, source: 'page' })) } : {},
    position: { kind: 'strikes', strikes: [1850, 1900, 2650, 2700], quantity: 10, allowUnlisted: true },
    expiry: '2020-04-17',
    hedges: [],
    alvh: { ...defaultAlvhInputs(defaultRulebook()), ...o.alvh },
    manualVix: o.vix === undefined ? null : { level: o.vix, priorClose: null },
    curve: DEFAULT_CURVE,
    now: null,
  };
  const s = computeSession(inputs, 1, { wallClock: () => new Date('2030-01-01T00:00:00Z') });
  if (s.status !== 'ready') throw new Error(s.status === 'error' ? s.message : 'waiting');
  expect(s.plan, s.planError ?? '').not.toBeNull();
  return s;
}

/** Closes up to 19 Mar 2020 (a history that has not got the chain's day yet), authored around the real levels. */
const upTo19Mar: VixBar[] = [
  ['2020-03-16', 82.69],
  ['2020-03-17', 75.91],
  ['2020-03-18', 76.45],
  ['2020-03-19', 72.0],
].map(([date, close]) => ({ date: date as string, open: null, high: null, low: null, close: close as number }));

describe('the chain’s own 30-day index in the session (SPX 20 Mar 2020 close)', () => {
  it('no VIX typed or seen: the plan uses the chain’s index and says so', () => {
    const s = state(SPX2020, { alvh: { vixHistory: upTo19Mar } });
    expect(s.chainVix?.usable).toBe(true);
    const value = s.chainVix!.index.ok ? s.chainVix!.index.value : NaN;
    expect(value).toBeGreaterThan(64);
    expect(value).toBeLessThan(68);
    expect(s.vix.level).toBe(value);
    expect(s.vix.source).toMatch(/^this chain's 30-day index 66\.3 \(two expiries, 28 and 35 days\)$/);
    expect(s.plan!.vix.spot).toBe(value);
    expect(s.plan!.notes[0]).toMatch(
      /^VIX from this chain's 30-day index: 66\.3 \(two expiries, 28 and 35 days; Cboe's VIX white-paper method\)/,
    );
    expect(s.plan!.warnings).toEqual([]);
    // The index is the live value of 20 Mar: the history's closes before it are kept, and the last bar is the index.
    expect(s.history.last).toBe('2020-03-19');
  });

  it('VIX 28 typed: a warning names 28 and the index; VIX 45 too; VIX 66.04 agrees', () => {
    for (const typed of [28, 45]) {
      const s = state(SPX2020, { vix: typed });
      expect(s.plan!.vix.spot).toBe(typed);
      const w = s.plan!.warnings.filter((x) => x.includes('disagrees'));
      expect(w).toHaveLength(1);
      expect(w[0]).toContain(`VIX ${typed.toFixed(2)} (typed) disagrees with this chain's own 30-day index 66.3`);
      expect(w[0]).toContain('more than vixChainTolerancePoints 3');
    }
    const agree = state(SPX2020, { vix: 66.04 });
    expect(agree.plan!.warnings).toEqual([]);
    expect(agree.plan!.notes).toContain(
      "this chain's 30-day index 66.3 (two expiries, 28 and 35 days) agrees with VIX 66.04",
    );
  });

  it('the tolerance is the rulebook’s: at 40 points VIX 28 passes', () => {
    const loose = applyEdit(
      defaultRulebook(),
      { thresholds: { vixChainTolerancePoints: 40 } },
      { at: '2026-01-01T00:00:00Z', note: 'test' },
    );
    if (!loose.ok) throw new Error(loose.errors.join('; '));
    const s = state(SPX2020, { vix: 28, alvh: { rulebook: loose.rulebook } });
    expect(s.plan!.warnings.some((x) => x.includes('disagrees'))).toBe(false);
  });

  it('a VIX seen on the page is checked like a typed one, and used rather than the index', () => {
    const s = state(SPX2020, { sightings: [{ at: '2020-03-20T19:59:00Z', value: 40 }] });
    expect(s.plan!.vix.spot).toBe(40);
    expect(s.plan!.warnings.join('\n')).toMatch(
      /^VIX 40\.00 \(seen on page\) disagrees with this chain's own 30-day index 66\.3/,
    );
  });

  it('the day’s close in the history is used rather than the index, and compared with it', () => {
    const withClose = [...upTo19Mar, { date: '2020-03-20', open: null, high: null, low: null, close: 66.04 }];
    const s = state(SPX2020, { alvh: { vixHistory: withClose } });
    expect(s.vix.level).toBe(66.04);
    expect(s.plan!.warnings).toEqual([]);
    expect(s.plan!.notes.join('\n')).toContain('agrees with VIX 66.04');
  });

  it('a VIX chain of 13 Mar with the SPX chain of 20 Mar: a warning names both sessions', () => {
    const s = state(SPX2020, { vix: 66.04, alvh: { vixChain: VIX0313 } });
    expect(s.plan!.warnings).toContain(
      "the VIX option chain is from the 2020-03-13 session and this chain from 2020-03-20: the VIX futures and VIX option prices are not this session's; load a VIX chain of the same session",
    );
    const same = state(SPX2020, { vix: 66.04, alvh: { vixChain: { ...VIX0313, asOf: '2020-03-20T20:15:00Z' } } });
    expect(same.plan!.warnings.some((w) => w.includes('session'))).toBe(false);
    const unstamped = state(SPX2020, { vix: 66.04, alvh: { vixChain: { ...VIX0313, asOf: null } } });
    expect(unstamped.plan!.warnings.join('\n')).toMatch(/the VIX option chain has no time stamp/);
  });
});

describe('chains whose index cannot stand for the VIX', () => {
  it('SPX 14 Mar 2026 page download (18 strikes near the money): narrow, not used, said; no false warning', () => {
    const chain = load('cboe_spx_quotedata_2026-03-14.csv');
    const inputs = (vix: number | null): SessionInputs => ({
      chain,
      meta: {},
      position: { kind: 'suggested' },
      expiry: null,
      hedges: [],
      alvh: defaultAlvhInputs(defaultRulebook()),
      manualVix: vix === null ? null : { level: vix, priorClose: null },
      curve: DEFAULT_CURVE,
      now: null,
    });
    const s = computeSession(inputs(27.19), 1) as ReadyState;
    expect(s.chainVix?.usable).toBe(false);
    expect(s.chainVix?.index.ok && s.chainVix.index.narrow).toBe(true);
    expect(s.plan!.warnings).toEqual([]);
    expect(s.plan!.notes.join('\n')).toMatch(
      /is not used as the VIX: the page lists too few strikes away from the money/,
    );
    const none = computeSession(inputs(null), 1) as ReadyState;
    expect(none.vix.level).toBeNull();
  });

  it('an underlying other than the S&P 500 has no chain VIX', () => {
    const spy = load('cboe_spy_quotedata_2025-09-25.csv');
    const aapl: Chain = { ...spy, underlying: { ...spy.underlying, symbol: 'AAPL' } };
    const s = computeSession(
      {
        chain: aapl,
        meta: {},
        position: { kind: 'suggested' },
        expiry: null,
        hedges: [],
        alvh: defaultAlvhInputs(defaultRulebook()),
        manualVix: { level: 28, priorClose: null },
        curve: DEFAULT_CURVE,
        now: null,
      },
      1,
    ) as ReadyState;
    expect(s.chainVix).toBeNull();
    expect(s.plan!.warnings).toEqual([]);
  });
});

describe('the VIX chain’s session against the chain’s', () => {
  const vixChainAt = (asOf: string | null) => ({ asOf }) as Chain;
  it('names each stamp’s session, asked again or after others (the sessions are kept by stamp)', () => {
    const now = new Date('2020-03-20T20:00:00Z'); // 16:00 New York, Friday 20 March 2020
    const asked: [string | null, string | null][] = [
      ['2020-03-20T20:00:00Z', null],
      ['2020-03-19T21:30:00Z', '2020-03-19'], // after Thursday's close: Thursday's session
      ['2020-03-20T20:00:00Z', null],
      ['2020-03-21T14:00:00Z', null], // a Saturday: Friday's close
      ['not a time', 'no time stamp'],
      [null, 'no time stamp'],
      ['2020-03-19T21:30:00Z', '2020-03-19'],
      ['not a time', 'no time stamp'],
    ];
    for (const [asOf, want] of asked) {
      const w = vixChainSessionWarning({ vixChain: vixChainAt(asOf), now });
      if (want === null) expect(w).toBeNull();
      else expect(w).toContain(want);
    }
  });
});
