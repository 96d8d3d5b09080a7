import { useEffect, useRef, useState } from 'preact/hooks';
import {
  applyEdit,
  DEFAULT_VXTH_SCHEDULE,
  defaultRulebook,
  exportRulebook,
  importRulebook,
  RULE_KEYS,
  RULE_SPECS,
  type AuditEntry,
  type Rulebook,
  type RuleKey,
  type Thresholds,
} from '../../engine/alvh/rulebook';
import { loadRulebook, saveRulebook, type LoadedRulebook } from '../../storage/alvhInputs';
import { adoptRulebook } from '../../storage/alvhInputs';
import { checkThreshold, formatNumber } from './fields';
import { datedFileName, downloadText, readFileText } from './files';
import { Status, type StatusValue } from './Status';

type Draft = Record<RuleKey, string>;

const draftOf = (t: Thresholds): Draft => Object.fromEntries(RULE_KEYS.map((k) => [k, String(t[k])])) as Draft;

function showValue(v: unknown): string {
  if (typeof v === 'number') return formatNumber(v);
  if (Array.isArray(v)) {
    return v
      .map(
        (b: { upToVixFuture?: number | null; accountPct?: number }) =>
          `${b.upToVixFuture === null ? '>' : '≤'}${b.upToVixFuture ?? 'last'}: ${String(b.accountPct)}%`,
      )
      .join(', ');
  }
  return v === null || v === undefined ? '—' : String(v);
}

function scheduleText(r: Rulebook): string {
  let prev: number | null = null;
  return r.vxthSchedule
    .map((b) => {
      const band =
        b.upToVixFuture === null
          ? `above ${String(prev)}`
          : prev === null
            ? `up to ${b.upToVixFuture}`
            : `${prev}–${b.upToVixFuture}`;
      prev = b.upToVixFuture;
      return `${band} → ${b.accountPct}%`;
    })
    .join(' · ');
}

export function AuditTrail(props: { audit: readonly AuditEntry[] }) {
  const entries = [...props.audit].reverse();
  return (
    <div class="hlo-audit">
      <h3 class="hl-h3" id="rb-audit-title">
        History of changes
      </h3>
      {entries.length === 0 ? (
        <p class="hl-muted">No changes yet: the rulebook is as shipped.</p>
      ) : (
        <ol aria-labelledby="rb-audit-title" data-testid="audit-trail">
          {entries.map((e) => (
            <li key={e.version}>
              <div>
                <time dateTime={e.at}>{new Date(e.at).toLocaleString()}</time> · version {e.version}
                {' · '}
                <q>{e.note || '(no note)'}</q>
              </div>
              {e.changes.length === 0 ? (
                <div class="hl-muted">no values changed</div>
              ) : (
                <ul>
                  {e.changes.map((c) => (
                    <li key={c.key}>
                      <code>{c.key.replace(/^thresholds\./, '')}</code>: {showValue(c.from)} → {showValue(c.to)}
                    </li>
                  ))}
                </ul>
              )}
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}

/** The rulebook editor: every threshold, validated as typed; saved only with a note; history; reset; export/import. */
/**
 * The rulebook editor. `onDraft` hears the unsaved edits (valid values that differ from the saved rulebook; null when
 * there are none, or while a value is out of bounds): the backtest shows what they would have done.
 */
export function RulebookSection(
  props: { now?: () => Date; onDraft?: (changes: Partial<Thresholds> | null) => void } = {},
) {
  const now = props.now ?? (() => new Date());
  const [loaded, setLoaded] = useState<LoadedRulebook | null>(null);
  const [draft, setDraft] = useState<Draft>(() => draftOf(defaultRulebook().thresholds));
  const [note, setNote] = useState('');
  const [noteError, setNoteError] = useState<string | null>(null);
  const [status, setStatus] = useState<StatusValue>(null);
  const [confirmReset, setConfirmReset] = useState(false);
  const [resetNote, setResetNote] = useState('Back to the shipped defaults');
  const [importErrors, setImportErrors] = useState<string[]>([]);
  const confirmRef = useRef<HTMLButtonElement>(null);
  const resetBtnRef = useRef<HTMLButtonElement>(null);

  const adopt = (l: LoadedRulebook) => {
    setLoaded(l);
    setDraft(draftOf(l.rulebook.thresholds));
  };
  useEffect(() => {
    void loadRulebook().then(adopt);
  }, []);
  useEffect(() => {
    if (confirmReset) confirmRef.current?.focus();
  }, [confirmReset]);

  const current = loaded?.rulebook ?? null;
  const checks = Object.fromEntries(RULE_KEYS.map((k) => [k, checkThreshold(k, draft[k])])) as Record<
    RuleKey,
    ReturnType<typeof checkThreshold>
  >;
  const invalid = RULE_KEYS.filter((k) => !checks[k].ok);
  const changed = current
    ? RULE_KEYS.filter((k) => {
        const c = checks[k];
        return c.ok && c.value !== current.thresholds[k];
      })
    : [];

  const draftChanges =
    invalid.length === 0 && changed.length > 0
      ? JSON.stringify(Object.fromEntries(changed.map((k) => [k, (checks[k] as { value: number }).value])))
      : '';
  useEffect(() => {
    props.onDraft?.(draftChanges ? (JSON.parse(draftChanges) as Partial<Thresholds>) : null);
  }, [draftChanges]);

  const commit = async (next: Rulebook, message: string) => {
    const saved = await saveRulebook(next);
    if (!saved.ok) return setStatus({ kind: 'error', text: saved.message });
    adopt({ rulebook: next, isDefault: false, problem: null });
    setStatus({ kind: 'saved', text: message });
  };

  const onSave = async (ev: Event) => {
    ev.preventDefault();
    if (!current) return;
    setImportErrors([]);
    if (invalid.length > 0) {
      setStatus({
        kind: 'error',
        text: `Not saved: ${invalid.length === 1 ? '1 value is' : `${invalid.length} values are`} out of bounds; see the messages in the table.`,
      });
      document.getElementById(`rb-${invalid[0]!}`)?.focus();
      return;
    }
    if (changed.length === 0)
      return setStatus({ kind: 'info', text: 'Nothing to save: no value differs from the saved rulebook.' });
    if (note.trim() === '') {
      setNoteError('Write why you are changing these values: the note is kept in the history.');
      setStatus({ kind: 'error', text: 'Not saved: a note is required.' });
      document.getElementById('rb-note')?.focus();
      return;
    }
    setNoteError(null);
    const thresholds = Object.fromEntries(changed.map((k) => [k, (checks[k] as { value: number }).value]));
    const edit = applyEdit(current, { thresholds }, { at: now().toISOString(), note: note.trim() });
    if (!edit.ok) return setStatus({ kind: 'error', text: `Not saved: ${edit.errors.join('; ')}.` });
    setNote('');
    await commit(
      edit.rulebook,
      `Saved: ${changed.length === 1 ? '1 value' : `${changed.length} values`} changed, version ${edit.rulebook.version}.`,
    );
  };

  const onReset = async () => {
    if (!current) return;
    if (resetNote.trim() === '') return setStatus({ kind: 'error', text: 'Not reset: write a note for the history.' });
    const d = defaultRulebook();
    const edit = applyEdit(
      current,
      { name: d.name, thresholds: d.thresholds, vxthSchedule: DEFAULT_VXTH_SCHEDULE.map((b) => ({ ...b })) },
      { at: now().toISOString(), note: resetNote.trim() },
    );
    setConfirmReset(false);
    resetBtnRef.current?.focus();
    if (!edit.ok) return setStatus({ kind: 'error', text: `Not reset: ${edit.errors.join('; ')}.` });
    const n = edit.rulebook.audit[edit.rulebook.audit.length - 1]?.changes.length ?? 0;
    await commit(
      edit.rulebook,
      `Reset to defaults: ${n === 1 ? '1 value' : `${n} values`} changed, version ${edit.rulebook.version}.`,
    );
  };

  const onImport = async (ev: Event) => {
    const input = ev.currentTarget as HTMLInputElement;
    const file = input.files?.[0];
    if (!file || !loaded) return;
    const text = await readFileText(file);
    input.value = '';
    const parsed = importRulebook(text);
    if (!parsed.ok) {
      setImportErrors(parsed.errors);
      return setStatus({
        kind: 'error',
        text: `${file.name} was not imported: fix the problems listed below and try again.`,
      });
    }
    const r = await adoptRulebook({
      current: loaded,
      incoming: parsed.rulebook,
      at: now().toISOString(),
      note: `Imported from ${file.name} (its version ${parsed.rulebook.version})`,
    });
    if (!r.ok) {
      setImportErrors(r.errors);
      return setStatus({
        kind: 'error',
        text: `${file.name} was not imported: fix the problems listed below and try again.`,
      });
    }
    setImportErrors([]);
    adopt({ rulebook: r.rulebook, isDefault: false, problem: null });
    setStatus({
      kind: 'saved',
      text:
        r.how === 'unchanged'
          ? `${file.name}: the rulebook already has these values; nothing changed.`
          : `Imported ${file.name}: now version ${r.rulebook.version}${r.how === 'edited' ? ' (recorded in the history)' : ''}.`,
    });
  };

  const onExport = () => {
    if (!current) return;
    const name = datedFileName('hedgelens-rulebook', now());
    downloadText({ fileName: name, text: exportRulebook(current) });
    setStatus({ kind: 'info', text: `Downloaded ${name}.` });
  };

  return (
    <section class="hl-section" aria-labelledby="rb-title">
      <h2 id="rb-title" class="hl-title">
        Rulebook (ALVH thresholds)
      </h2>
      <p class="hl-muted">
        The numbers the hedge engine decides with. Rules set in calm hours are kept when emotions run high: every change
        needs a note and is kept in the history below. HedgeLens is a trading aid, not advice.
      </p>
      {loaded?.problem && <p class="hl-error">{`Warning: ${loaded.problem}.`}</p>}
      {current && (
        <p class="hl-muted" data-testid="rulebook-version">
          “{current.name}”, version {current.version}
          {loaded?.isDefault ? ' (the shipped defaults)' : ''}.
        </p>
      )}
      <form onSubmit={onSave} noValidate>
        <div class="hlo-table-wrap">
          <table class="hlo-rules">
            <caption class="hlo-sr">Thresholds: value, default, allowed range and source</caption>
            <thead>
              <tr>
                <th scope="col">Rule</th>
                <th scope="col">Value</th>
                <th scope="col">Unit</th>
                <th scope="col">Default</th>
                <th scope="col">Allowed</th>
              </tr>
            </thead>
            <tbody>
              {RULE_KEYS.map((k) => {
                const spec = RULE_SPECS[k] as (typeof RULE_SPECS)[RuleKey] & { integer?: boolean };
                const c = checks[k];
                const differs = current !== null && c.ok && c.value !== current.thresholds[k];
                return (
                  <tr key={k} data-rule={k} data-changed={differs ? 'true' : undefined}>
                    <th scope="row">
                      <span id={`rb-${k}-desc`}>{spec.description}</span>
                      <span class="hlo-source" id={`rb-${k}-src`}>
                        Source: {current?.sources[k] ?? spec.source}
                      </span>
                    </th>
                    <td>
                      <input
                        id={`rb-${k}`}
                        class="hl-input hl-num hlo-value"
                        inputMode="decimal"
                        value={draft[k]}
                        aria-labelledby={`rb-${k}-desc rb-${k}-unit`}
                        aria-invalid={c.ok ? 'false' : 'true'}
                        aria-describedby={`${c.ok ? '' : `rb-${k}-err `}rb-${k}-range rb-${k}-src`}
                        onInput={(e) => {
                          const v = (e.currentTarget as HTMLInputElement).value;
                          setDraft((d) => ({ ...d, [k]: v }));
                        }}
                      />
                      {!c.ok && (
                        <span class="hl-error hlo-field-error" id={`rb-${k}-err`}>
                          {c.message}
                        </span>
                      )}
                    </td>
                    <td id={`rb-${k}-unit`}>{spec.unit}</td>
                    <td class="hl-num">{formatNumber(spec.default)}</td>
                    <td class="hl-num" id={`rb-${k}-range`}>
                      {formatNumber(spec.min)} to {formatNumber(spec.max)}
                      {spec.integer ? ', whole' : ''}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
        {current && (
          <p class="hl-muted">
            VXTH allocation by the VIX future (% of account for Second Engine hedges): {scheduleText(current)}.
          </p>
        )}
        <div class="hlo-field">
          <label for="rb-note">Why I changed this (kept in the history)</label>
          <textarea
            id="rb-note"
            class="hl-input"
            rows={2}
            value={note}
            aria-invalid={noteError ? 'true' : 'false'}
            aria-describedby={noteError ? 'rb-note-err' : undefined}
            onInput={(e) => {
              setNote((e.currentTarget as HTMLTextAreaElement).value);
              setNoteError(null);
            }}
          />
          {noteError && (
            <span class="hl-error" id="rb-note-err">
              {noteError}
            </span>
          )}
        </div>
        <div class="hlo-actions">
          <button type="submit" class="hl-btn" disabled={!current}>
            Save rulebook changes
          </button>
          <span class="hl-muted" data-testid="rulebook-pending">
            {invalid.length > 0
              ? `${invalid.length} out of bounds`
              : changed.length > 0
                ? `${changed.length} unsaved ${changed.length === 1 ? 'change' : 'changes'}`
                : ''}
          </span>
          <button
            type="button"
            class="hl-btn"
            ref={resetBtnRef}
            aria-expanded={confirmReset}
            aria-controls="rb-reset-confirm"
            onClick={() => setConfirmReset(true)}
            disabled={!current}
          >
            Reset to defaults…
          </button>
          <button type="button" class="hl-btn" onClick={onExport} disabled={!current}>
            Export rulebook
          </button>
          <span class="hlo-file">
            <label for="rb-import">Import rulebook (JSON)</label>
            <input id="rb-import" type="file" accept=".json,application/json" onChange={onImport} />
          </span>
        </div>
        <Status value={status} testId="rulebook-status" />
        {importErrors.length > 0 && (
          <ul class="hl-error" aria-label="Problems in the imported rulebook" data-testid="rulebook-import-errors">
            {importErrors.slice(0, 20).map((e, i) => (
              <li key={i}>{e}</li>
            ))}
            {importErrors.length > 20 && <li>{importErrors.length - 20} more problems not listed</li>}
          </ul>
        )}
      </form>
      {confirmReset && (
        <div
          id="rb-reset-confirm"
          class="hlo-confirm"
          role="group"
          aria-labelledby="rb-reset-q"
          onKeyDown={(e) => {
            if (e.key === 'Escape') {
              setConfirmReset(false);
              resetBtnRef.current?.focus();
            }
          }}
        >
          <p id="rb-reset-q">
            Put every threshold and the VXTH schedule back to the shipped defaults? The change is recorded in the
            history and can be undone by hand.
          </p>
          <div class="hlo-field">
            <label for="rb-reset-note">Note for the history</label>
            <input
              id="rb-reset-note"
              class="hl-input"
              value={resetNote}
              onInput={(e) => setResetNote((e.currentTarget as HTMLInputElement).value)}
            />
          </div>
          <div class="hlo-actions">
            <button type="button" class="hl-btn hlo-danger" ref={confirmRef} onClick={() => void onReset()}>
              Confirm reset to defaults
            </button>
            <button
              type="button"
              class="hl-btn"
              onClick={() => {
                setConfirmReset(false);
                resetBtnRef.current?.focus();
              }}
            >
              Cancel
            </button>
          </div>
        </div>
      )}
      {current && <AuditTrail audit={current.audit} />}
    </section>
  );
}
