/**
 * What the trader types, read and checked: each check returns the number or a message that says what to enter.
 * Pure functions, so the messages are tested without a page.
 */
import { RULE_SPECS, type RuleKey } from '../../engine/alvh/rulebook';
import { checkDeltaThreshold } from '../../shared/shortDelta';

export type FieldCheck<T> = { ok: true; value: T } | { ok: false; message: string };

/** "250,000", "$250 000", " 1.5 " → a number; "" → null; anything else → NaN. */
export function readNumber(text: string): number | null {
  const t = text
    .trim()
    .replace(/^\$/, '')
    .replace(/[\s,_]/g, '')
    .replace(/\u2212/g, '-');
  if (t === '') return null;
  if (!/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(t)) return Number.NaN;
  return Number(t);
}

const fmt = (n: number): string => n.toLocaleString('en-US', { maximumFractionDigits: 6 });

/** Dollars, 0 or more; empty means "not set". */
export function checkDollars(text: string, label: string): FieldCheck<number | null> {
  const v = readNumber(text);
  if (v === null) return { ok: true, value: null };
  if (!Number.isFinite(v) || v < 0) {
    return { ok: false, message: `${label}: enter a dollar amount of 0 or more (e.g. 250,000), or leave it empty.` };
  }
  return { ok: true, value: v };
}

export function checkMultiplier(text: string): FieldCheck<number> {
  const v = readNumber(text);
  if (v === null || !Number.isFinite(v) || v <= 0) {
    return {
      ok: false,
      message: 'Contract multiplier: enter a positive number of dollars per point (100 for SPX, SPY, VIX).',
    };
  }
  return { ok: true, value: v };
}

/** A manual rate in percent per year; the store keeps a fraction strictly between −20% and 100%. */
export function checkRatePercent(text: string): FieldCheck<number> {
  const v = readNumber(text);
  if (v === null)
    return {
      ok: false,
      message: 'Manual rate: enter the annual rate in percent (e.g. 4.3), or choose put-call parity.',
    };
  if (!Number.isFinite(v) || v <= -20 || v >= 100) {
    return { ok: false, message: 'Manual rate: enter a percent above −20 and below 100 (e.g. 4.3 for 4.3%).' };
  }
  return { ok: true, value: v };
}

/** A rulebook threshold against its spec: a number, within [min, max], whole when the spec says so. */
export function checkThreshold(key: RuleKey, text: string): FieldCheck<number> {
  const spec = RULE_SPECS[key] as { min: number; max: number; unit: string; integer?: boolean };
  const v = readNumber(text);
  const range = `${fmt(spec.min)} to ${fmt(spec.max)} ${spec.unit}`;
  if (v === null) return { ok: false, message: `Enter a value from ${range}.` };
  if (!Number.isFinite(v)) return { ok: false, message: `Not a number: enter a value from ${range}.` };
  if (v < spec.min) return { ok: false, message: `Too low: the smallest allowed is ${fmt(spec.min)} ${spec.unit}.` };
  if (v > spec.max) return { ok: false, message: `Too high: the largest allowed is ${fmt(spec.max)} ${spec.unit}.` };
  if (spec.integer && !Number.isInteger(v)) return { ok: false, message: `Enter a whole number from ${range}.` };
  return { ok: true, value: v };
}

export function formatNumber(n: number): string {
  return fmt(n);
}

export function formatDollars(n: number | null): string {
  return n === null ? '' : n.toLocaleString('en-US', { maximumFractionDigits: 2 });
}

/** The short-strike delta a notification fires at: per contract, 0.05 to 0.95 (e.g. 0.30). */
export function checkDeltaThresholdText(text: string): FieldCheck<number> {
  const v = readNumber(text);
  if (v === null) return { ok: false, message: 'Enter a delta from 0.05 to 0.95, e.g. 0.30.' };
  if (!Number.isFinite(v)) return { ok: false, message: 'Not a number: enter a delta from 0.05 to 0.95, e.g. 0.30.' };
  return checkDeltaThreshold(v);
}
