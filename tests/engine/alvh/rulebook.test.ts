import { describe, expect, it } from 'vitest';
import {
  applyEdit,
  defaultRulebook,
  exportRulebook,
  importRulebook,
  RULE_KEYS,
  RULE_SPECS,
  V2_KEYS,
  V3_KEYS,
  V4_KEYS,
  V5_KEYS,
  RULEBOOK_SCHEMA_VERSION,
  validateRulebook,
  vxthAllocationPct,
} from '../../../src/engine/alvh/rulebook';

describe('rulebook defaults', () => {
  it('carries every DESIGN.md §3 default with a source note', () => {
    const rb = defaultRulebook();
    expect(rb.schemaVersion).toBe(RULEBOOK_SCHEMA_VERSION);
    expect(rb.version).toBe(1);
    expect(rb.thresholds.spikePctOnPriorClose).toBe(15);
    expect(rb.thresholds.spikePointsOnPriorClose).toBe(3);
    expect(rb.thresholds.spikeRsiShortAbove).toBe(90);
    expect(rb.thresholds.rsiShortPeriod).toBe(2);
    expect(rb.thresholds.rsiLongPeriod).toBe(14);
    expect(rb.thresholds.threatShortDeltaAbs).toBe(0.3);
    expect(rb.thresholds.threatBreakevenExpectedMoves).toBe(0.5);
    expect([rb.thresholds.macdFastPeriod, rb.thresholds.macdSlowPeriod, rb.thresholds.macdSignalPeriod]).toEqual([
      12, 26, 9,
    ]);
    expect(rb.thresholds.secondEngineRsiLongMin).toBe(60);
    expect(rb.thresholds.unwindHistogramFallingBars).toBe(2);
    expect(rb.thresholds.unwindRsiLongBelow).toBe(50);
    expect(rb.thresholds.liquidityRatioMin).toBe(1.2);
    expect(rb.thresholds.costMaxStdDevs).toBe(1);
    expect(rb.thresholds.vixBetaPerSpxPct).toBe(-4.9);
    expect(rb.thresholds.vixFutureToSpotRatio).toBe(0.5);
    for (const k of RULE_KEYS) expect(rb.sources[k].length, k).toBeGreaterThan(10);
    expect(rb.sources.rsiLongPeriod).toMatch(/Wilder/);
    expect(rb.sources.macdSlowPeriod).toMatch(/Appel/);
    expect(rb.vxthScheduleSource).toMatch(/VXTH/);
    expect(validateRulebook(rb).ok).toBe(true);
  });

  it('VXTH schedule: ≤15 → 0%, 15–30 → 1%, 30–50 → 0.5%, >50 → 0%', () => {
    const s = defaultRulebook().vxthSchedule;
    expect(vxthAllocationPct({ schedule: s, vixFuture: 12 })).toBe(0);
    expect(vxthAllocationPct({ schedule: s, vixFuture: 15 })).toBe(0);
    expect(vxthAllocationPct({ schedule: s, vixFuture: 15.01 })).toBe(1);
    expect(vxthAllocationPct({ schedule: s, vixFuture: 30 })).toBe(1);
    expect(vxthAllocationPct({ schedule: s, vixFuture: 42 })).toBe(0.5);
    expect(vxthAllocationPct({ schedule: s, vixFuture: 50.5 })).toBe(0);
    expect(vxthAllocationPct({ schedule: s, vixFuture: Number.NaN })).toBe(0);
  });
});

describe('validateRulebook', () => {
  it('rejects non-objects, wrong schema, missing/unknown/out-of-range/non-integer values', () => {
    expect(validateRulebook(null).ok).toBe(false);
    const rb = JSON.parse(exportRulebook(defaultRulebook())) as Record<string, unknown>;
    const t = rb.thresholds as Record<string, unknown>;
    rb.schemaVersion = RULEBOOK_SCHEMA_VERSION + 1; // a future schema: not migrated, refused
    delete t.spikePctOnPriorClose;
    t.spikePointsOnPriorClose = 'three';
    t.spikeRsiShortAbove = 150;
    t.rsiLongPeriod = 14.5;
    t.spikeTypo = 3;
    const r = validateRulebook(rb);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const joined = r.errors.join('\n');
    expect(joined).toMatch(/schemaVersion/);
    expect(joined).toMatch(/spikePctOnPriorClose: missing/);
    expect(joined).toMatch(/spikePointsOnPriorClose: expected a finite number/);
    expect(joined).toMatch(/spikeRsiShortAbove: 150 is outside/);
    expect(joined).toMatch(/rsiLongPeriod: 14.5 must be a whole number/);
    expect(joined).toMatch(/spikeTypo: unknown rule/);
  });

  it('rejects a VXTH schedule that is not increasing or not open-ended', () => {
    const rb = defaultRulebook();
    const bad = {
      ...rb,
      vxthSchedule: [
        { upToVixFuture: 30, accountPct: 1 },
        { upToVixFuture: 20, accountPct: 1 },
      ],
    };
    const r = validateRulebook(bad);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.join('\n')).toMatch(/increasing|open-ended/);
  });

  it('rejects MACD fast ≥ slow', () => {
    const rb = defaultRulebook();
    const r = validateRulebook({ ...rb, thresholds: { ...rb.thresholds, macdFastPeriod: 30 } });
    expect(r.ok).toBe(false);
  });

  it('every spec default lies within its own bounds', () => {
    for (const k of RULE_KEYS) {
      const s = RULE_SPECS[k];
      expect(s.default, k).toBeGreaterThanOrEqual(s.min);
      expect(s.default, k).toBeLessThanOrEqual(s.max);
    }
  });
});

describe('applyEdit and the audit trail', () => {
  it('returns a new rulebook, bumps the version and records from → to', () => {
    const rb = defaultRulebook();
    const r = applyEdit(
      rb,
      { thresholds: { spikePctOnPriorClose: 20, spikePointsOnPriorClose: 3 } },
      { at: '2026-03-14T12:00:00Z', note: 'calm-hours review' },
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(rb.thresholds.spikePctOnPriorClose).toBe(15);
    expect(rb.version).toBe(1);
    expect(r.rulebook.thresholds.spikePctOnPriorClose).toBe(20);
    expect(r.rulebook.version).toBe(2);
    expect(r.rulebook.audit).toEqual([
      {
        at: '2026-03-14T12:00:00Z',
        version: 2,
        note: 'calm-hours review',
        changes: [{ key: 'thresholds.spikePctOnPriorClose', from: 15, to: 20 }],
      },
    ]);
    const r2 = applyEdit(
      r.rulebook,
      {
        vxthSchedule: [
          { upToVixFuture: 20, accountPct: 0 },
          { upToVixFuture: null, accountPct: 1 },
        ],
      },
      { at: '2026-03-15T12:00:00Z', note: 'second' },
    );
    expect(r2.ok).toBe(true);
    if (r2.ok) {
      expect(r2.rulebook.version).toBe(3);
      expect(r2.rulebook.audit).toHaveLength(2);
      expect(r2.rulebook.audit[1]?.changes[0]?.key).toBe('vxthSchedule');
    }
  });

  it('refuses an edit that makes the rulebook invalid, and a bad timestamp', () => {
    const rb = defaultRulebook();
    const r = applyEdit(rb, { thresholds: { liquidityRatioMin: -1 } }, { at: '2026-03-14T12:00:00Z', note: 'x' });
    expect(r.ok).toBe(false);
    expect(applyEdit(rb, {}, { at: 'yesterday', note: 'x' }).ok).toBe(false);
  });

  it('round-trips through export/import, keeping the audit trail', () => {
    const r = applyEdit(defaultRulebook(), { name: 'mine' }, { at: '2026-01-02T00:00:00Z', note: 'rename' });
    if (!r.ok) throw new Error('edit failed');
    const back = importRulebook(exportRulebook(r.rulebook));
    expect(back.ok).toBe(true);
    if (back.ok) expect(back.rulebook).toEqual(r.rulebook);
    const broken = importRulebook('{ not json');
    expect(broken.ok).toBe(false);
    if (!broken.ok) expect(broken.errors[0]).toMatch(/not valid JSON/);
  });
});

describe('schema 2 → 3, 3 → 4 and 4 → 5 migrations', () => {
  it.each([
    {
      from: 4,
      keys: V5_KEYS,
      what: "the V5 keys (the macro gauges' thresholds, the Second Engine's dollar condition, Layer One's macro boost)",
      edit: 'secondEngineMinVixToVix3m',
      to: 1.05,
    },
    {
      from: 3,
      keys: [...V4_KEYS, ...V5_KEYS],
      what: 'the V4 keys (rolls, VIX term and vol-of-vol, VIX against the chain, the term structure)',
      edit: 'stressMoveDownPct',
      to: 25,
    },
    { from: 2, keys: [...V3_KEYS, ...V4_KEYS, ...V5_KEYS], what: 'the V3 keys', edit: 'spikePctOnPriorClose', to: 12 },
  ] as const)('a stored version-$from rulebook gets $what at their defaults and keeps its edits', (c) => {
    const rb = JSON.parse(exportRulebook(defaultRulebook())) as Record<string, unknown>;
    rb.schemaVersion = c.from;
    const t = rb.thresholds as Record<string, unknown>;
    const src = rb.sources as Record<string, unknown>;
    for (const k of c.keys) {
      delete t[k];
      delete src[k];
    }
    t[c.edit] = c.to;
    const r = validateRulebook(rb);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.rulebook.schemaVersion).toBe(RULEBOOK_SCHEMA_VERSION);
    expect(r.rulebook.migratedFrom).toBe(c.from);
    expect(r.rulebook.thresholds[c.edit]).toBe(c.to);
    for (const k of c.keys) {
      expect(r.rulebook.thresholds[k], k).toBe(RULE_SPECS[k].default);
      expect(r.rulebook.sources[k], k).toBe(RULE_SPECS[k].source);
    }
  });
});

describe('schema 1 → 2 migration', () => {
  /** A rulebook stored by the schema-1 engine: the defaults without the V2 keys, with one edit and its audit entry. */
  function storedV1(): Record<string, unknown> {
    const rb = JSON.parse(exportRulebook(defaultRulebook())) as Record<string, unknown>;
    rb.schemaVersion = 1;
    rb.version = 2;
    const t = rb.thresholds as Record<string, unknown>;
    const src = rb.sources as Record<string, unknown>;
    for (const k of V2_KEYS) {
      delete t[k];
      delete src[k];
    }
    t.spikePctOnPriorClose = 12;
    rb.audit = [
      {
        at: '2026-01-02T00:00:00Z',
        version: 2,
        note: 'calmer trigger',
        changes: [{ key: 'thresholds.spikePctOnPriorClose', from: 15, to: 12 }],
      },
    ];
    return rb;
  }

  it('a stored version-1 rulebook still validates: new keys at their defaults, edits and audit kept', () => {
    const v1 = storedV1();
    const r = validateRulebook(v1);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.rulebook.schemaVersion).toBe(RULEBOOK_SCHEMA_VERSION);
    expect(r.rulebook.migratedFrom).toBe(1);
    expect(r.rulebook.version).toBe(2);
    expect(r.rulebook.thresholds.spikePctOnPriorClose).toBe(12);
    for (const k of V2_KEYS) {
      expect(r.rulebook.thresholds[k], k).toBe(RULE_SPECS[k].default);
      expect(r.rulebook.sources[k], k).toBe(RULE_SPECS[k].source);
    }
    expect(r.rulebook.audit).toHaveLength(1);
    // the input is not modified
    expect((v1.thresholds as Record<string, unknown>).layerOneMinSizeShare).toBeUndefined();
    expect(v1.schemaVersion).toBe(1);
    // an edit of the migrated document is a normal schema-2 rulebook
    const e = applyEdit(
      r.rulebook,
      { thresholds: { layerOneMinSizeShare: 0.4 } },
      { at: '2026-02-01T00:00:00Z', note: 'x' },
    );
    expect(e.ok).toBe(true);
    if (e.ok) {
      expect(e.rulebook.schemaVersion).toBe(RULEBOOK_SCHEMA_VERSION);
      expect(e.rulebook.migratedFrom).toBeUndefined();
      expect(e.rulebook.version).toBe(3);
    }
  });

  it('a version-1 document with a bad value is still refused after migration', () => {
    const v1 = storedV1();
    (v1.thresholds as Record<string, unknown>).spikeRsiShortAbove = 150;
    const r = validateRulebook(v1);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.join('\n')).toMatch(/spikeRsiShortAbove: 150 is outside/);
  });

  it('the new sizing keys carry sources and are cross-checked (weak below full)', () => {
    for (const k of V2_KEYS) expect(RULE_SPECS[k].source.length, k).toBeGreaterThan(10);
    expect(RULE_SPECS.layerOneRsiLongFull.source).toMatch(/Wilder/);
    const e = applyEdit(
      defaultRulebook(),
      { thresholds: { layerOneRsiLongWeak: 75 } },
      { at: '2026-02-01T00:00:00Z', note: 'bad' },
    );
    expect(e.ok).toBe(false);
    if (!e.ok)
      expect(e.errors.join(' ')).toMatch(/layerOneRsiLongWeak \(75\) must be below layerOneRsiLongFull \(70\)/);
  });
});
