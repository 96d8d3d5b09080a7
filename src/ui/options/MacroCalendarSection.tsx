import { useState } from 'preact/hooks';
import {
  MACRO_KINDS,
  describeMacroErrors,
  parseMacroCalendar,
  upcomingMacroEvents,
  type MacroLineError,
} from '../../engine/alvh/macroCalendar';
import type { MacroEvent } from '../../engine/alvh/stages';
import { newYorkDate } from '../../engine/alvh/vixSeries';
import { addMacroEvents, loadMacroCalendar, removeMacroEvent } from '../../storage/macroCalendar';
import { FileField, useFileImport } from './importParts';
import { Status } from './Status';

const SHOW_UPCOMING = 5;
const dayWord = (d: number) => (d === 0 ? 'today' : d === 1 ? 'tomorrow' : `in ${d} days`);

/**
 * The macro calendar: FOMC, CPI and PPI dates typed (one per line, under a kind) or imported (a CSV of type,date).
 * The plan raises its urgency when one is near (macroEventWindowDays) and shows the next ones. A text with a bad
 * line is refused whole, with each bad line's number; what was typed stays in the box and nothing stored changes.
 */
export function MacroCalendarSection(props: { now?: () => Date } = {}) {
  const now = props.now ?? (() => new Date());
  const [kind, setKind] = useState<string>(MACRO_KINDS[0]);
  const [text, setText] = useState('');
  const [errors, setErrors] = useState<MacroLineError[]>([]);
  const [adding, setAdding] = useState(false);
  const file = useFileImport(loadMacroCalendar);
  const { stored, status, setStatus, reload } = file;
  const busy = adding || file.busy;

  const add = async (events: MacroEvent[], from: string) => {
    const r = await addMacroEvents(events);
    if (!r.ok) {
      setStatus({ kind: 'error', text: `${r.message}. Nothing was lost: try again.` });
      return false;
    }
    setStatus({
      kind: 'saved',
      text: `Added ${events.length} date${events.length === 1 ? '' : 's'} from ${from}; ${r.events.length} stored.`,
    });
    await reload();
    return true;
  };

  const onAdd = async (ev: Event) => {
    ev.preventDefault();
    const p = parseMacroCalendar(text, { kind });
    if (!p.ok) {
      setErrors(p.errors);
      setStatus({
        kind: 'error',
        text: `Nothing added: ${describeMacroErrors(p.errors, 1)}. Fix the line${p.errors.length === 1 ? '' : 's'} listed below and add again.`,
      });
      return;
    }
    setErrors([]);
    setAdding(true);
    try {
      if (await add(p.events, 'the box')) setText('');
    } finally {
      setAdding(false);
    }
  };

  const onFile = (ev: Event) =>
    file.start(ev, async ({ file: f, text: content }) => {
      const p = parseMacroCalendar(content);
      if (!p.ok) {
        setErrors(p.errors);
        setStatus({
          kind: 'error',
          text: `Nothing imported from ${f.name}: ${describeMacroErrors(p.errors, 1)}. Each line must be type,date such as FOMC,2025-10-29; fix the file and import it again.`,
        });
        return;
      }
      setErrors([]);
      await add(p.events, f.name);
    });

  const onRemove = async (e: MacroEvent) => {
    const r = await removeMacroEvent(e);
    setStatus(r.ok ? { kind: 'saved', text: `${e.kind} ${e.date} removed.` } : { kind: 'error', text: r.message });
    await reload();
  };

  // The market's date (New York), as the plan dates a page: late evening in Asia is still the US trading day.
  const today = newYorkDate(now());
  const upcoming = stored ? upcomingMacroEvents(stored.events, today, SHOW_UPCOMING) : [];
  return (
    <section class="hl-section" aria-labelledby="mcal-title">
      <h2 id="mcal-title" class="hl-title">
        Macro calendar
      </h2>
      <p class="hl-muted">
        The method is more careful around FOMC decisions and CPI and PPI releases. Enter their dates: when one is within
        the rulebook’s macro window of a page’s date, the hedge plan raises its urgency and says which event; the plan
        also lists the next dates. Dates stay in this browser.
      </p>
      <div data-testid="mcal-stored" class="hlo-stored">
        {stored === null ? (
          'Reading what is stored…'
        ) : (
          <>
            {stored.problem && <p class="hl-error">{stored.problem}.</p>}
            {stored.events.length === 0 ? (
              'Stored now: no dates. The plan cannot raise urgency for an event it does not know.'
            ) : (
              <>
                <p data-testid="mcal-upcoming">
                  {upcoming.length === 0
                    ? `No date after today among the ${stored.events.length} stored (past dates stay: a page of an earlier day still uses them).`
                    : `Next: ${upcoming.map((e) => `${e.kind} ${e.date} (${dayWord(e.daysAway)})`).join(', ')}.`}
                </p>
                <ul aria-label="Stored macro dates" data-testid="mcal-list">
                  {stored.events.map((e) => (
                    <li key={`${e.date}-${e.kind}`}>
                      <span class="hl-num">
                        {e.kind} {e.date}
                      </span>{' '}
                      <button type="button" class="hl-link" onClick={() => void onRemove(e)}>
                        Remove {e.kind} {e.date}
                      </button>
                    </li>
                  ))}
                </ul>
              </>
            )}
          </>
        )}
      </div>
      <form onSubmit={(e) => void onAdd(e)}>
        <div class="hlo-field">
          <label for="mcal-kind">Kind of the dates</label>
          <select
            id="mcal-kind"
            class="hl-input"
            value={kind}
            onChange={(e) => setKind((e.currentTarget as HTMLSelectElement).value)}
          >
            {MACRO_KINDS.map((k) => (
              <option key={k} value={k}>
                {k}
              </option>
            ))}
          </select>
        </div>
        <div class="hlo-field">
          <label for="mcal-dates">Dates, one per line</label>
          <textarea
            id="mcal-dates"
            class="hl-input"
            rows={4}
            value={text}
            placeholder={'2025-10-29\n2025-12-10'}
            aria-invalid={errors.length > 0 ? 'true' : 'false'}
            aria-describedby={errors.length > 0 ? 'mcal-dates-hint mcal-errors' : 'mcal-dates-hint'}
            onInput={(e) => {
              setText((e.currentTarget as HTMLTextAreaElement).value);
              setErrors([]);
            }}
          />
          <span id="mcal-dates-hint" class="hl-hint">
            YYYY-MM-DD, one per line; a line such as CPI,2025-10-15 names its own kind (another name, e.g. PCE, is taken
            as written).
          </span>
        </div>
        <div class="hlo-actions">
          <button type="submit" class="hl-btn" disabled={busy}>
            Add dates
          </button>
        </div>
      </form>
      <FileField
        id="mcal-file"
        label="Import a calendar CSV (type,date)"
        accept=".csv,.txt,text/csv,text/plain"
        hint="One event per line, e.g. FOMC,2025-10-29 (a header type,date is allowed). Added to the dates stored; a file with a bad line is refused whole, with the line numbers."
        disabled={busy}
        onChange={(ev) => void onFile(ev)}
      />
      <Status value={status} testId="mcal-status" />
      {errors.length > 0 && (
        <ul id="mcal-errors" class="hl-error" data-testid="mcal-errors" aria-label="Lines to fix">
          {errors.slice(0, 10).map((e) => (
            <li key={`${e.line}-${e.reason}`}>{e.line > 0 ? `line ${e.line}: ${e.reason}` : e.reason}</li>
          ))}
          {errors.length > 10 && <li>and {errors.length - 10} more</li>}
        </ul>
      )}
    </section>
  );
}
