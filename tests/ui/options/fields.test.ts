import { describe, expect, it } from 'vitest';
import {
  checkDollars,
  checkDeltaThresholdText,
  checkMultiplier,
  checkRatePercent,
  checkThreshold,
  readNumber,
} from '../../../src/ui/options/fields';

describe('reading what the trader types', () => {
  it('reads dollars with separators, a leading $, a typographic minus; empty is null; junk is NaN', () => {
    expect(readNumber('$250,000')).toBe(250_000);
    expect(readNumber(' 1 500.5 ')).toBe(1500.5);
    expect(readNumber('\u22124.9')).toBe(-4.9);
    expect(readNumber('.5')).toBe(0.5);
    expect(readNumber('')).toBeNull();
    expect(readNumber('12abc')).toBeNaN();
    expect(readNumber('1.2.3')).toBeNaN();
  });
});

describe('account fields', () => {
  it('dollars: empty is "not set", negatives and junk say what to enter', () => {
    expect(checkDollars('', 'Account size')).toEqual({ ok: true, value: null });
    expect(checkDollars('250,000', 'Account size')).toEqual({ ok: true, value: 250_000 });
    expect(checkDollars('-5', 'Buying power')).toEqual({
      ok: false,
      message: 'Buying power: enter a dollar amount of 0 or more (e.g. 250,000), or leave it empty.',
    });
    expect(checkDollars('lots', 'Account size').ok).toBe(false);
  });

  it('multiplier must be positive', () => {
    expect(checkMultiplier('100')).toEqual({ ok: true, value: 100 });
    expect(checkMultiplier('0')).toMatchObject({
      ok: false,
      message: expect.stringMatching(/^Contract multiplier: enter a positive/),
    });
    expect(checkMultiplier('')).toMatchObject({ ok: false });
  });

  it('manual rate in percent, strictly inside (−20, 100)', () => {
    expect(checkRatePercent('4.3')).toEqual({ ok: true, value: 4.3 });
    expect(checkRatePercent('-20')).toMatchObject({
      ok: false,
      message: expect.stringMatching(/above −20 and below 100/),
    });
    expect(checkRatePercent('100')).toMatchObject({ ok: false });
    expect(checkRatePercent('')).toMatchObject({
      ok: false,
      message: expect.stringMatching(/or choose put-call parity/),
    });
  });
});

describe('rulebook thresholds against RULE_SPECS', () => {
  it('accepts values inside the bounds, at the bounds too', () => {
    expect(checkThreshold('spikePctOnPriorClose', '20')).toEqual({ ok: true, value: 20 });
    expect(checkThreshold('spikePctOnPriorClose', '0.1')).toEqual({ ok: true, value: 0.1 });
    expect(checkThreshold('spikePctOnPriorClose', '500')).toEqual({ ok: true, value: 500 });
    expect(checkThreshold('vixBetaPerSpxPct', '-6')).toEqual({ ok: true, value: -6 });
  });

  it('says which bound was crossed, with the unit', () => {
    expect(checkThreshold('spikePctOnPriorClose', '0.05')).toEqual({
      ok: false,
      message: 'Too low: the smallest allowed is 0.1 %.',
    });
    expect(checkThreshold('spikeRsiShortAbove', '101')).toEqual({
      ok: false,
      message: 'Too high: the largest allowed is 100 RSI 0–100.',
    });
    expect(checkThreshold('vixBetaPerSpxPct', '1')).toEqual({
      ok: false,
      message: 'Too high: the largest allowed is 0 % per %.',
    });
  });

  it('whole numbers where the spec says so; empty and junk give the range', () => {
    expect(checkThreshold('rsiLongPeriod', '14.5')).toEqual({
      ok: false,
      message: 'Enter a whole number from 2 to 100 bars.',
    });
    expect(checkThreshold('rsiLongPeriod', '')).toEqual({ ok: false, message: 'Enter a value from 2 to 100 bars.' });
    expect(checkThreshold('threatShortDeltaAbs', 'x')).toEqual({
      ok: false,
      message: 'Not a number: enter a value from 0.01 to 1 delta.',
    });
  });
});

describe('the short-strike delta threshold', () => {
  it('reads what is typed; refuses empty, words and anything outside 0.05–0.95 with what to enter', () => {
    expect(checkDeltaThresholdText(' 0.30 ')).toEqual({ ok: true, value: 0.3 });
    expect(checkDeltaThresholdText('.25')).toEqual({ ok: true, value: 0.25 });
    expect(checkDeltaThresholdText('')).toEqual({ ok: false, message: 'Enter a delta from 0.05 to 0.95, e.g. 0.30.' });
    expect(checkDeltaThresholdText('thirty')).toEqual({
      ok: false,
      message: 'Not a number: enter a delta from 0.05 to 0.95, e.g. 0.30.',
    });
    expect(checkDeltaThresholdText('1.5')).toEqual({
      ok: false,
      message: 'Too high: the largest delta allowed is 0.95 (a delta is at most 1).',
    });
    expect(checkDeltaThresholdText('30')).toMatchObject({ ok: false, message: expect.stringContaining('enter 0.30') });
  });
});
