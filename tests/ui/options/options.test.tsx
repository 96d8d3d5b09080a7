// @vitest-environment happy-dom
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { act } from 'preact/test-utils';
import { fakeBrowser } from 'wxt/testing';
import { browser } from 'wxt/browser';
import { defaultRulebook, exportRulebook, RULE_KEYS } from '../../../src/engine/alvh/rulebook';
import { loadRulebook, loadSpxHistory, loadVixHistory, saveRulebook } from '../../../src/storage/alvhInputs';
import { listProfiles, saveProfile } from '../../../src/storage/profiles';
import { getSettings } from '../../../src/storage/settings';
import { AccountSection } from '../../../src/ui/options/AccountSection';
import { ProfilesSection } from '../../../src/ui/options/ProfilesSection';
import { RulebookSection } from '../../../src/ui/options/RulebookSection';
import { SpxSection, VixSection } from '../../../src/ui/options/HistorySection';
import { MacroSection } from '../../../src/ui/options/MacroSection';
import { MacroCalendarSection } from '../../../src/ui/options/MacroCalendarSection';
import { AdvanceDeclineSection } from '../../../src/ui/options/AdvanceDeclineSection';
import { loadMacroCalendar } from '../../../src/storage/macroCalendar';
import { loadAdvanceDecline } from '../../../src/storage/advanceDecline';
import { loadMacroSeries } from '../../../src/storage/macroSeries';
import { OptionsApp } from '../../../src/ui/OptionsApp';
import { FIXTURES_DIR } from '../../helpers/shared';
import { button, byId, byTestId, click, mount, pickFile, submit, type, unlabelled, waitFor } from './dom';

const fixture = (name: string) => readFileSync(resolve(FIXTURES_DIR, 'vix', name), 'utf8');
let unmount: (() => void) | null = null;
const show = (vnode: Parameters<typeof mount>[0]) => {
  const m = mount(vnode);
  unmount = m.unmount;
  return m.root;
};
const text = (el: Element) => (el.textContent ?? '').replace(/\s+/g, ' ').trim();

beforeEach(() => {
  fakeBrowser.reset();
  vi.spyOn(fakeBrowser.runtime, 'getManifest').mockReturnValue({
    manifest_version: 3,
    name: 'HedgeLens',
    version: '0.1.0',
  });
});
afterEach(() => {
  vi.restoreAllMocks();
  unmount?.();
  unmount = null;
});

describe('the whole page', () => {
  it('renders every section, labels every control, names every button', async () => {
    const root = show(<OptionsApp />);
    await waitFor(() => expect(byTestId(root, 'vix-stored').textContent).toMatch(/Stored now: nothing/));
    const headings = Array.from(root.querySelectorAll('h2')).map(text);
    expect(headings).toEqual([
      'Positions and portfolio',
      'Account & defaults',
      'Rulebook (ALVH thresholds)',
      'VIX history',
      'S&P 500 history',
      'Backtest: the hedges on a condor book',
      'Macro calendar',
      'Advance–decline',
      'Macro series',
      'Teach-mode profiles',
      'On the broker’s page',
      'Where HedgeLens reads chains',
      'Your data',
      'Privacy',
    ]);
    // The privacy policy is docs/PRIVACY.md itself, as text, and the header links to it.
    expect(byTestId(root, 'privacy-policy').textContent).toMatch(/^# HedgeLens privacy policy/);
    expect(byTestId(root, 'privacy-policy').textContent).toContain('`snap:<id>`');
    expect(root.querySelector('header a[href="#privacy"]')).not.toBeNull();
    expect(root.querySelectorAll('input.hlo-value')).toHaveLength(RULE_KEYS.length);
    expect(unlabelled(root)).toEqual([]);
    // Everything is a native control (focusable by Tab); nothing is hidden from the keyboard.
    expect(root.querySelectorAll('[tabindex="-1"], [onclick]:not(button)')).toHaveLength(0);
    expect(text(root)).toMatch(/trading aid, not advice/);
  });
});

describe('account & defaults', () => {
  it('shows what to fix next to each field and saves nothing', async () => {
    const root = show(<AccountSection />);
    await waitFor(() => expect(root.querySelector('form')!.getAttribute('aria-busy')).toBe('false'));
    await type(byId(root, 'acct-account'), '-3');
    await type(byId(root, 'acct-multiplier'), '0');
    await submit(root.querySelector('form')!);
    await waitFor(() =>
      expect(byId(root, 'acct-account-error').textContent).toMatch(/^Account size: enter a dollar amount of 0 or more/),
    );
    expect(byId(root, 'acct-multiplier-error').textContent).toMatch(/positive number of dollars per point/);
    expect(byId(root, 'acct-account').getAttribute('aria-invalid')).toBe('true');
    expect(byId(root, 'acct-account').getAttribute('aria-describedby')).toContain('acct-account-error');
    expect(text(root.querySelector('[role="status"]')!)).toBe('Not saved: correct the fields marked below.');
    expect(await browser.storage.local.get('settings')).toEqual({});
  });

  it('saves account, buying power, multiplier and a manual rate, and confirms', async () => {
    const root = show(<AccountSection />);
    await waitFor(() => expect(root.querySelector('form')!.getAttribute('aria-busy')).toBe('false'));
    expect(byId(root, 'acct-rate').hasAttribute('disabled')).toBe(true);
    await type(byId(root, 'acct-account'), '$250,000');
    await type(byId(root, 'acct-buyingPower'), '180000');
    const manual = Array.from(root.querySelectorAll<HTMLInputElement>('input[type=radio]'))[1]!;
    await click(manual);
    await type(byId(root, 'acct-rate'), '4.3');
    await submit(root.querySelector('form')!);
    await waitFor(() => expect(text(root.querySelector('[role="status"]')!)).toMatch(/^Saved at /));
    expect((await getSettings()).settings).toEqual({
      accountSizeDollars: 250_000,
      buyingPowerDollars: 180_000,
      contractMultiplier: 100,
      rateSource: { kind: 'manual', annualRate: 0.043 },
    });
    expect(byId<HTMLInputElement>(root, 'acct-account').value).toBe('250,000');

    // A manual rate out of range is refused next to the field.
    await type(byId(root, 'acct-rate'), '150');
    await submit(root.querySelector('form')!);
    await waitFor(() => expect(byId(root, 'acct-rate-error').textContent).toMatch(/above −20 and below 100/));
    expect((await getSettings()).settings.rateSource).toEqual({ kind: 'manual', annualRate: 0.043 });
  });
});

describe('the rulebook editor', () => {
  const at = () => new Date('2026-03-16T14:30:00Z');

  it('validates on input, with the message next to the field', async () => {
    const root = show(<RulebookSection now={at} />);
    await waitFor(() => expect(byTestId(root, 'rulebook-version').textContent).toMatch(/version 1/));
    await type(byId(root, 'rb-spikePctOnPriorClose'), '900');
    expect(byId(root, 'rb-spikePctOnPriorClose-err').textContent).toBe('Too high: the largest allowed is 500 %.');
    expect(byId(root, 'rb-spikePctOnPriorClose').getAttribute('aria-invalid')).toBe('true');
    await type(byId(root, 'rb-rsiLongPeriod'), '14.5');
    expect(byId(root, 'rb-rsiLongPeriod-err').textContent).toBe('Enter a whole number from 2 to 100 bars.');
    expect(byTestId(root, 'rulebook-pending').textContent).toBe('2 out of bounds');
    await submit(root.querySelector('form')!);
    await waitFor(() =>
      expect(byTestId(root, 'rulebook-status').textContent).toMatch(/^Not saved: 2 values are out of bounds/),
    );
    expect(await browser.storage.local.get('rulebook')).toEqual({});
    await type(byId(root, 'rb-spikePctOnPriorClose'), '20');
    expect(root.querySelector('#rb-spikePctOnPriorClose-err')).toBeNull();
  });

  it('requires a note; saves through applyEdit with an audit entry from → to; a second edit stacks', async () => {
    const root = show(<RulebookSection now={at} />);
    await waitFor(() => expect(byTestId(root, 'rulebook-version').textContent).toMatch(/version 1/));
    await type(byId(root, 'rb-spikePctOnPriorClose'), '20');
    await type(byId(root, 'rb-threatShortDeltaAbs'), '0.25');
    expect(byTestId(root, 'rulebook-pending').textContent).toBe('2 unsaved changes');
    await submit(root.querySelector('form')!);
    await waitFor(() => expect(byId(root, 'rb-note-err').textContent).toMatch(/Write why you are changing/));
    expect(await browser.storage.local.get('rulebook')).toEqual({});

    await type(byId(root, 'rb-note'), 'Too many false alarms in Feb 2026');
    await submit(root.querySelector('form')!);
    await waitFor(() =>
      expect(byTestId(root, 'rulebook-status').textContent).toBe('Saved: 2 values changed, version 2.'),
    );
    const stored = await loadRulebook();
    expect(stored.isDefault).toBe(false);
    expect(stored.rulebook.version).toBe(2);
    expect(stored.rulebook.thresholds.spikePctOnPriorClose).toBe(20);
    expect(stored.rulebook.audit).toEqual([
      {
        at: '2026-03-16T14:30:00.000Z',
        version: 2,
        note: 'Too many false alarms in Feb 2026',
        changes: [
          { key: 'thresholds.spikePctOnPriorClose', from: 15, to: 20 },
          { key: 'thresholds.threatShortDeltaAbs', from: 0.3, to: 0.25 },
        ],
      },
    ]);
    const trail = text(byTestId(root, 'audit-trail'));
    expect(trail).toContain('version 2');
    expect(trail).toContain('Too many false alarms in Feb 2026');
    expect(trail).toContain('spikePctOnPriorClose: 15 → 20');
    expect(trail).toContain('threatShortDeltaAbs: 0.3 → 0.25');
    expect(byId<HTMLTextAreaElement>(root, 'rb-note').value).toBe('');

    // Nothing changed: nothing saved.
    await submit(root.querySelector('form')!);
    await waitFor(() => expect(byTestId(root, 'rulebook-status').textContent).toMatch(/^Nothing to save/));

    // The engine's cross-check (MACD fast < slow) is reported, not bypassed.
    await type(byId(root, 'rb-macdFastPeriod'), '30');
    await type(byId(root, 'rb-note'), 'try');
    await submit(root.querySelector('form')!);
    await waitFor(() => expect(byTestId(root, 'rulebook-status').textContent).toMatch(/must be below macdSlowPeriod/));
    expect((await loadRulebook()).rulebook.version).toBe(2);
  });

  it('reset to defaults asks first, can be cancelled (Escape too), and is an audited change', async () => {
    const edited = defaultRulebook();
    edited.thresholds.spikePointsOnPriorClose = 4;
    edited.thresholds.unwindHoldDays = 3;
    edited.version = 5;
    await saveRulebook(edited);
    const root = show(<RulebookSection now={at} />);
    await waitFor(() => expect(byTestId(root, 'rulebook-version').textContent).toMatch(/version 5/));

    await click(button(root, 'Reset to defaults…'));
    expect(document.activeElement?.textContent).toBe('Confirm reset to defaults');
    await click(button(root, 'Cancel'));
    expect(root.querySelector('#rb-reset-confirm')).toBeNull();
    expect(document.activeElement?.textContent).toBe('Reset to defaults…');
    expect((await loadRulebook()).rulebook.version).toBe(5);

    await click(button(root, 'Reset to defaults…'));
    expect(button(root, 'Reset to defaults…').getAttribute('aria-expanded')).toBe('true');
    await act(() => {
      document.activeElement!.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    });
    expect(root.querySelector('#rb-reset-confirm')).toBeNull();
    expect(document.activeElement?.textContent).toBe('Reset to defaults…');

    await click(button(root, 'Reset to defaults…'));
    await type(byId(root, 'rb-reset-note'), 'Season over: back to the book');
    await click(button(root, 'Confirm reset to defaults'));
    await waitFor(() =>
      expect(byTestId(root, 'rulebook-status').textContent).toBe('Reset to defaults: 2 values changed, version 6.'),
    );
    const r = (await loadRulebook()).rulebook;
    expect(r.thresholds).toEqual(defaultRulebook().thresholds);
    expect(r.audit.at(-1)).toEqual({
      at: '2026-03-16T14:30:00.000Z',
      version: 6,
      note: 'Season over: back to the book',
      changes: [
        { key: 'thresholds.spikePointsOnPriorClose', from: 4, to: 3 },
        { key: 'thresholds.unwindHoldDays', from: 3, to: 2 },
      ],
    });
    expect(byId<HTMLInputElement>(root, 'rb-spikePointsOnPriorClose').value).toBe('3');
  });

  it('imports a rulebook file: invalid ones are listed and refused; a valid one is an audited edit', async () => {
    await saveRulebook({ ...defaultRulebook(), version: 3 });
    const root = show(<RulebookSection now={at} />);
    await waitFor(() => expect(byTestId(root, 'rulebook-version').textContent).toMatch(/version 3/));

    const bad = {
      ...defaultRulebook(),
      thresholds: { ...defaultRulebook().thresholds, spikePctOnPriorClose: 9000, typo: 1 },
    };
    await pickFile(byId(root, 'rb-import'), new File([JSON.stringify(bad)], 'bad.json', { type: 'application/json' }));
    await waitFor(() =>
      expect(byTestId(root, 'rulebook-status').textContent).toMatch(/^bad\.json was not imported: fix the problems/),
    );
    const errs = Array.from(byTestId(root, 'rulebook-import-errors').querySelectorAll('li')).map(text);
    expect(errs).toEqual([
      'thresholds.spikePctOnPriorClose: 9000 is outside [0.1, 500] (%)',
      'thresholds.typo: unknown rule',
    ]);
    expect((await loadRulebook()).rulebook.version).toBe(3);

    const good = defaultRulebook();
    good.thresholds.costMaxStdDevs = 1.5;
    await pickFile(
      byId(root, 'rb-import'),
      new File([exportRulebook(good)], 'mine.json', { type: 'application/json' }),
    );
    await waitFor(() =>
      expect(byTestId(root, 'rulebook-status').textContent).toBe(
        'Imported mine.json: now version 4 (recorded in the history).',
      ),
    );
    const r = (await loadRulebook()).rulebook;
    expect(r.thresholds.costMaxStdDevs).toBe(1.5);
    expect(r.audit.at(-1)).toMatchObject({
      note: 'Imported from mine.json (its version 1)',
      changes: [{ key: 'thresholds.costMaxStdDevs', from: 1, to: 1.5 }],
    });
  });
});

describe('VIX history import', () => {
  const csv = (name: string, body: string) => new File([body], name, { type: 'text/csv' });

  it('imports the authored file: progress to 100%, count, range, last close; stored and shown', async () => {
    const root = show(<VixSection now={() => new Date('2026-03-16T14:30:00Z')} />);
    await waitFor(() => expect(byTestId(root, 'vix-stored').textContent).toMatch(/Stored now: nothing/));
    await pickFile(byId(root, 'vix-file'), csv('authored_spike.csv', fixture('authored_spike.csv')));
    await waitFor(() => expect(byTestId(root, 'vix-progress').getAttribute('data-done')).toBe('true'));
    const bar = byTestId(root, 'vix-progress') as HTMLProgressElement;
    expect(bar.tagName).toBe('PROGRESS');
    expect(Number(bar.getAttribute('value'))).toBe(100);
    await waitFor(() =>
      expect(byTestId(root, 'vix-status').textContent).toBe('Imported 110 daily closes from authored_spike.csv.'),
    );
    const report = text(byTestId(root, 'vix-report'));
    expect(report).toContain('Rows imported: 110 of 110 data lines');
    expect(report).toContain('Dates: 2024-01-02 to 2024-06-03');
    expect(report).toContain('Last close: 14.35 (2024-06-03)');
    expect(report).toContain('Bad lines: 0');
    await waitFor(() =>
      expect(text(byTestId(root, 'vix-stored'))).toMatch(
        /^Stored now: 110 daily closes, 2024-01-02 to 2024-06-03 \(last close 14\.35\), from authored_spike\.csv/,
      ),
    );
    const stored = await loadVixHistory();
    expect(stored.bars).toHaveLength(110);
    expect(stored.importedAt).toBe('2026-03-16T14:30:00.000Z');
  });

  it('the malformed file: imports the good rows and lists the first bad lines with line numbers and reasons', async () => {
    const root = show(<VixSection />);
    await pickFile(byId(root, 'vix-file'), csv('bad_lines.csv', fixture('bad_lines.csv')));
    await waitFor(() =>
      expect(byTestId(root, 'vix-status').textContent).toBe(
        'Imported 3 daily closes from bad_lines.csv; 5 bad lines skipped (see below).',
      ),
    );
    expect(text(byTestId(root, 'vix-report'))).toContain('Bad lines: 5');
    expect(Array.from(byTestId(root, 'vix-bad-lines').querySelectorAll('li')).map(text)).toEqual([
      'line 3: unreadable date "2024-01-03" (expected MM/DD/YYYY)',
      'line 4: missing or non-positive CLOSE ""',
      'line 5: missing or non-positive CLOSE "abc"',
      'line 7: date 2024-01-08 repeated on line 9; the later line is kept',
      'line 8: unreadable date "02/30/2024" (expected MM/DD/YYYY)',
    ]);
    expect((await loadVixHistory()).bars).toHaveLength(3);
  });

  it('a file that is not a VIX history replaces nothing and says what to do', async () => {
    const root = show(<VixSection />);
    await pickFile(byId(root, 'vix-file'), csv('authored_spike.csv', fixture('authored_spike.csv')));
    await waitFor(() => expect(byTestId(root, 'vix-status').textContent).toMatch(/^Imported 110/));
    await pickFile(byId(root, 'vix-file'), csv('prices.csv', 'Symbol,Price\nSPX,6600\n'));
    await waitFor(() =>
      expect(byTestId(root, 'vix-status').textContent).toMatch(
        /^Nothing imported from prices\.csv: no header naming DATE and CLOSE.*Download VIX_History\.csv from Cboe/,
      ),
    );
    expect((await loadVixHistory()).bars).toHaveLength(110);
  });
});

describe("another index's file is refused and replaces nothing", () => {
  const csv = (name: string, body: string) => new File([body], name, { type: 'text/csv' });
  const spxText = (closes: readonly number[]) =>
    [
      'DATE,OPEN,HIGH,LOW,CLOSE',
      ...closes.map((c, i) => `01/${String(i + 2).padStart(2, '0')}/2024,${c},${c},${c},${c}`),
    ].join('\n');

  it("the S&P 500's file given as the VIX history", async () => {
    const root = show(<VixSection />);
    await pickFile(byId(root, 'vix-file'), csv('authored_spike.csv', fixture('authored_spike.csv')));
    await waitFor(() => expect(byTestId(root, 'vix-status').textContent).toMatch(/^Imported 110/));
    await pickFile(byId(root, 'vix-file'), csv('SPX_History.csv', spxText([4742.83, 4704.81, 4688.68])));
    await waitFor(() =>
      expect(byTestId(root, 'vix-status').textContent).toBe(
        "Nothing imported from SPX_History.csv: the close 4,742.83 on 2024-01-02 (and 2 more; the file's closes run from 4,688.68 to 4,742.83) is not a level VIX can have (the VIX has closed between 9.14 (Nov 2017) and 82.69 (Mar 2020); closes outside 4–200 are refused): is it another index's file? Download VIX_History.csv from Cboe's historical data page and choose it here.",
      ),
    );
    expect((await loadVixHistory()).bars).toHaveLength(110);
  });

  it('an S&P 500 history with a mistyped close', async () => {
    const root = show(<SpxSection />);
    await pickFile(byId(root, 'spx-file'), csv('SPX_History.csv', spxText([4742.83, 4704.81, 4688.68])));
    await waitFor(() =>
      expect(byTestId(root, 'spx-status').textContent).toBe('Imported 3 daily closes from SPX_History.csv.'),
    );
    await pickFile(byId(root, 'spx-file'), csv('typo.csv', spxText([4742.83, 470.48, 4688.68])));
    await waitFor(() =>
      expect(byTestId(root, 'spx-status').textContent).toBe(
        "Nothing imported from typo.csv: the close goes from 4,742.83 on 2024-01-02 to 470.48 on 2024-01-03 (−90.1%), more than any index has moved in a session: a mistyped line, or two series in one file. Download SPX_History.csv from Cboe's historical data page and choose it here.",
      ),
    );
    expect((await loadSpxHistory()).bars.map((b) => b.close)).toEqual([4742.83, 4704.81, 4688.68]);
  });
});

describe('teach-mode profiles', () => {
  it('lists by site and deletes after a confirm press', async () => {
    for (const host of ['b.example', 'a.example'])
      await saveProfile({
        version: 1,
        host,
        rowSelector: 'tr.row',
        columns: [{ index: 2, field: 'strike', side: null }],
        side: 'call',
      });
    const root = show(<ProfilesSection />);
    await waitFor(() => expect(root.querySelectorAll('[data-testid="profiles"] tbody tr')).toHaveLength(2));
    expect(Array.from(root.querySelectorAll('tbody th')).map((th) => th.firstChild?.textContent)).toEqual([
      'a.example',
      'b.example',
    ]);
    await click(button(root, 'Delete the profile for a.example'));
    expect((await listProfiles()).profiles).toHaveLength(2);
    await click(button(root, 'Confirm: delete the profile for a.example'));
    await waitFor(() =>
      expect(byTestId(root, 'profiles-status').textContent).toBe('Deleted the profile for a.example.'),
    );
    expect((await listProfiles()).profiles.map((p) => p.host)).toEqual(['b.example']);
  });
});

/** A table's rows as "cell | cell | cell". */
const rows = (table: HTMLElement) =>
  Array.from((table as HTMLTableElement).rows).map((r) => Array.from(r.cells).map(text).join(' | '));

describe('macro series', () => {
  it('imports FRED files, refuses a bad one with its line, and says which gauges are judged', async () => {
    const root = show(<MacroSection now={() => new Date('2026-01-01T00:00:00Z')} />);
    await waitFor(() => expect(text(byTestId(root, 'macro-stored'))).toBe('Stored now: no series.'));
    expect(rows(byTestId(root, 'macro-gauges'))).toContain(
      'High-yield credit spread | BAMLH0A0HYM2 | not judged until you import one',
    );
    const input = byId<HTMLInputElement>(root, 'macro-files');
    const good = new File(['DATE,BAMLH0A0HYM2\n2020-03-16,7.5\n2020-03-17,.\n2020-03-18,8.1\n'], 'hy.csv');
    Object.defineProperty(input, 'files', {
      configurable: true,
      value: [good, new File(['DATE,T10Y2Y\n2020-03-18,0.5\n2020-03-17,0.4\n'], 'curve.csv')],
    });
    await act(async () => {
      input.dispatchEvent(new Event('change'));
    });
    await waitFor(() =>
      expect(text(byTestId(root, 'macro-status'))).toMatch(/Imported BAMLH0A0HYM2 \(3 daily values\)/),
    );
    expect(text(byTestId(root, 'macro-status'))).toMatch(
      /Not imported: curve\.csv line 3: 2020-03-17 comes before 2020-03-18/,
    );
    await waitFor(() =>
      expect(text(byTestId(root, 'macro-stored'))).toMatch(
        /BAMLH0A0HYM2: 3 daily values, 2020-03-16 to 2020-03-18, from hy\.csv/,
      ),
    );
    expect(rows(byTestId(root, 'macro-gauges'))).toContain('High-yield credit spread | BAMLH0A0HYM2 | yes');
    expect((await loadMacroSeries()).series.map((s) => s.id)).toEqual(['BAMLH0A0HYM2']);
    expect(text(byTestId(root, 'macro-bring-your-own'))).toMatch(/REIT/);
    expect(unlabelled(root)).toEqual([]);
    await click(button(root, 'Remove BAMLH0A0HYM2'));
    await waitFor(() => expect(text(byTestId(root, 'macro-stored'))).toBe('Stored now: no series.'));
  });
});

describe('macro calendar', () => {
  it('adds typed dates under a kind, refuses a bad line keeping the text, imports a CSV, lists the next ones, removes one', async () => {
    const root = show(<MacroCalendarSection now={() => new Date('2025-09-25T20:00:00Z')} />);
    await waitFor(() => expect(text(byTestId(root, 'mcal-stored'))).toMatch(/^Stored now: no dates/));
    expect(unlabelled(root)).toEqual([]);
    const kind = byId<HTMLSelectElement>(root, 'mcal-kind');
    await act(() => {
      kind.value = 'CPI';
      kind.dispatchEvent(new Event('change', { bubbles: true }));
    });
    const box = byId<HTMLTextAreaElement>(root, 'mcal-dates');
    await type(box, '2025-10-15\nnext week');
    await submit(root.querySelector('form')!);
    await waitFor(() =>
      expect(text(byTestId(root, 'mcal-errors'))).toBe(
        'line 2: "next week" is not a date: write it as YYYY-MM-DD, e.g. 2025-10-29',
      ),
    );
    expect(text(byTestId(root, 'mcal-status'))).toMatch(/^Nothing added: line 2: /);
    expect(box.value).toBe('2025-10-15\nnext week');
    expect(box.getAttribute('aria-invalid')).toBe('true');
    expect((await loadMacroCalendar()).events).toEqual([]);

    await type(box, '2025-10-15\nPPI,2025-10-16');
    await submit(root.querySelector('form')!);
    await waitFor(() => expect(text(byTestId(root, 'mcal-status'))).toBe('Added 2 dates from the box; 2 stored.'));
    expect(box.value).toBe('');
    await pickFile(
      byId<HTMLInputElement>(root, 'mcal-file'),
      new File([fixture('authored_macro_2025.csv')], 'cal.csv'),
    );
    await waitFor(() => expect(text(byTestId(root, 'mcal-status'))).toBe('Added 5 dates from cal.csv; 5 stored.'));
    expect(text(byTestId(root, 'mcal-upcoming'))).toBe(
      'Next: PCE 2025-09-26 (tomorrow), CPI 2025-10-15 (in 20 days), PPI 2025-10-16 (in 21 days), FOMC 2025-10-29 (in 34 days).',
    );
    await pickFile(
      byId<HTMLInputElement>(root, 'mcal-file'),
      new File(['type,date\nFOMC,2025-12-10\nCPI;2025-11-13\n'], 'bad.csv'),
    );
    await waitFor(() =>
      expect(text(byTestId(root, 'mcal-status'))).toMatch(/^Nothing imported from bad\.csv: line 3: /),
    );
    expect((await loadMacroCalendar()).events).toHaveLength(5);
    await click(button(root, 'Remove FOMC 2025-09-17'));
    await waitFor(() => expect(text(byTestId(root, 'mcal-status'))).toBe('FOMC 2025-09-17 removed.'));
    expect((await loadMacroCalendar()).events.map((e) => `${e.kind} ${e.date}`)).toEqual([
      'PCE 2025-09-26',
      'CPI 2025-10-15',
      'PPI 2025-10-16',
      'FOMC 2025-10-29',
    ]);
  });
});

describe('advance–decline import', () => {
  it('imports with a progress bar and a report; a file with no usable row changes nothing', async () => {
    const root = show(
      <AdvanceDeclineSection now={() => new Date('2026-01-01T00:00:00Z')} yieldToPage={() => Promise.resolve()} />,
    );
    await waitFor(() => expect(text(byTestId(root, 'ad-stored'))).toMatch(/^Stored now: nothing/));
    const input = byId<HTMLInputElement>(root, 'ad-file');
    const good = `${fixture('authored_advance_decline_2025-09.csv')}2025-09-26,x,1,2\n`;
    await pickFile(input, new File([good], 'ad.csv'));
    await waitFor(() => expect(byTestId(root, 'ad-progress').dataset.done).toBe('true'));
    expect((byTestId(root, 'ad-progress') as HTMLProgressElement).value).toBe(100);
    expect(text(byTestId(root, 'ad-status'))).toBe(
      'Imported 14 days of advances and declines from ad.csv; 1 bad line refused (see below).',
    );
    expect(text(byTestId(root, 'ad-report'))).toContain('Days taken: 14 of 15 lines');
    expect(text(byTestId(root, 'ad-bad-lines'))).toBe(
      'line 16: advances and declines must be whole numbers ≥ 0 (got x, 1)',
    );
    await waitFor(() =>
      expect(text(byTestId(root, 'ad-stored'))).toMatch(
        /14 days, 2025-09-08 to 2025-09-25 \(each with the index close\), from ad\.csv/,
      ),
    );
    await pickFile(input, new File([fixture('bad_lines.csv')], 'vix.csv'));
    await waitFor(() =>
      expect(text(byTestId(root, 'ad-status'))).toMatch(
        /^Nothing imported from vix\.csv: line \d+: .*the series stored before is kept\.$/,
      ),
    );
    expect((await loadAdvanceDecline()).rows).toHaveLength(14);
    expect(unlabelled(root)).toEqual([]);
  });
});
