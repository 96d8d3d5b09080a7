import { describe, expect, it } from 'vitest';
import {
  describeMacroErrors,
  parseMacroCalendar,
  parseMacroItem,
  upcomingMacroEvents,
} from '../../../src/engine/alvh/macroCalendar';

describe('the macro calendar parser', () => {
  it('reads a CSV of type,date with a header, comments and blank lines: sorted, each event once, kinds upper-case', () => {
    const text =
      '\uFEFFtype,date\r\n# the 2025 calendar\r\nFOMC,2025-10-29\r\n\r\ncpi,2025-10-15\r\nFOMC:2025-09-17\r\nFOMC,2025-10-29\r\n';
    expect(parseMacroCalendar(text)).toEqual({
      ok: true,
      events: [
        { kind: 'FOMC', date: '2025-09-17' },
        { kind: 'CPI', date: '2025-10-15' },
        { kind: 'FOMC', date: '2025-10-29' },
      ],
    });
  });

  it('one date per line under a kind; a line naming its own kind keeps it', () => {
    expect(parseMacroCalendar('2025-09-17\n PPI,2025-10-16 \n2025-10-29', { kind: 'FOMC' })).toEqual({
      ok: true,
      events: [
        { kind: 'FOMC', date: '2025-09-17' },
        { kind: 'PPI', date: '2025-10-16' },
        { kind: 'FOMC', date: '2025-10-29' },
      ],
    });
  });

  it('is strict: every bad line is refused with its number and what to write, and nothing is taken', () => {
    const r = parseMacroCalendar(
      'type,date\nFOMC,2025-09-17\n2025-10-15\nCPI,15/10/2025\nPPI,2025-02-30\n9X,2025-01-02\n',
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toEqual([
      { line: 3, reason: '"2025-10-15" has no kind: write it as FOMC,2025-10-15 (or CPI, PPI…)' },
      { line: 4, reason: '"15/10/2025" is not a date: write it as YYYY-MM-DD, e.g. 2025-10-29' },
      { line: 5, reason: '2025-02-30 is not a calendar date' },
      { line: 6, reason: '"9X" is not a kind: use a short name such as FOMC, CPI or PPI (letters first, up to 16)' },
    ]);
    expect(describeMacroErrors(r.errors, 2)).toBe(
      'line 3: "2025-10-15" has no kind: write it as FOMC,2025-10-15 (or CPI, PPI…); line 4: "15/10/2025" is not a date: write it as YYYY-MM-DD, e.g. 2025-10-29; and 2 more',
    );
  });

  it('an empty text, or one with only a header, is refused (nothing to add)', () => {
    for (const t of ['', '\n\n', 'type,date\n', '# nothing\n'])
      expect(parseMacroCalendar(t)).toEqual({
        ok: false,
        errors: [{ line: 1, reason: 'no dates: write one date per line, e.g. FOMC,2025-10-29' }],
      });
  });

  it('a header is only a header at the top: later it is a bad line', () => {
    const r = parseMacroCalendar('FOMC,2025-09-17\ntype,date\n');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.map((e) => e.line)).toEqual([2]);
  });

  it('one item: KIND:DATE or KIND,DATE', () => {
    expect(parseMacroItem('fomc:2025-09-26')).toEqual({ kind: 'FOMC', date: '2025-09-26' });
    expect(parseMacroItem('CPI,2025-10-15')).toEqual({ kind: 'CPI', date: '2025-10-15' });
    expect(parseMacroItem('FOMC:next week')).toHaveProperty('reason');
  });

  it('the upcoming events from a date: soonest first, the days to each, past ones left out', () => {
    const events = [
      { kind: 'FOMC', date: '2025-10-29' },
      { kind: 'PCE', date: '2025-09-26' },
      { kind: 'FOMC', date: '2025-09-17' },
      { kind: 'CPI', date: '2025-09-25' },
    ];
    expect(upcomingMacroEvents(events, '2025-09-25', 2)).toEqual([
      { kind: 'CPI', date: '2025-09-25', daysAway: 0 },
      { kind: 'PCE', date: '2025-09-26', daysAway: 1 },
    ]);
    expect(upcomingMacroEvents(events, '2025-11-01')).toEqual([]);
  });
});
