/**
 * What the options page's file imports share: the picked file run with a cancel signal and a progress callback
 * (a newer pick cancels the older run; unmounting cancels it too), the file field, and the progress bar.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { readFileText } from './files';
import type { StatusValue } from './Status';

export interface ImportProgress {
  done: number;
  total: number;
}

export interface ImportRun {
  file: File;
  /** The file's text. */
  text: string;
  signal: AbortSignal;
  onProgress: (p: { linesDone: number; linesTotal: number }) => void;
}

/**
 * `start(ev, body)`: reads the file picked in the input of `ev` ("Reading name…" meanwhile) and runs `body` on it.
 * A cancelled run is silent; a failure says the file could not be read. The input is cleared afterwards so the
 * same file can be picked again. `status` is the section's status line, `stored` what the store holds now
 * (`reload` reads it again).
 */
export function useFileImport<S>(readStored: () => Promise<S>) {
  const [progress, setProgress] = useState<ImportProgress | null>(null);
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<StatusValue>(null);
  const [stored, setStored] = useState<S | null>(null);
  const abortRef = useRef<AbortController | null>(null);
  const reload = async () => setStored(await readStored());
  useEffect(() => {
    void reload();
    return () => abortRef.current?.abort();
  }, []);

  const start = async (ev: Event, body: (run: ImportRun) => Promise<void>): Promise<void> => {
    const input = ev.currentTarget as HTMLInputElement;
    const file = input.files?.[0];
    if (!file) return;
    abortRef.current?.abort();
    const abort = new AbortController();
    abortRef.current = abort;
    setBusy(true);
    setStatus({ kind: 'info', text: `Reading ${file.name}…` });
    setProgress({ done: 0, total: 1 });
    try {
      await body({
        file,
        text: await readFileText(file),
        signal: abort.signal,
        onProgress: (p) => setProgress({ done: p.linesDone, total: p.linesTotal }),
      });
    } catch (err) {
      if (!(err instanceof DOMException && err.name === 'AbortError'))
        setStatus({
          kind: 'error',
          text: `${file.name} could not be read (${err instanceof Error ? err.message : String(err)}). Choose the file again.`,
        });
    } finally {
      input.value = '';
      setBusy(false);
    }
  };
  return { progress, busy, status, setStatus, stored, reload, start };
}

/** The status after a store refused a write (a full quota, most often): what to do about it. */
export function notSaved(message: string): StatusValue {
  return { kind: 'error', text: `${message}. Free some space (export and delete old snapshots) and import again.` };
}

/** A labelled file input with its hint (the hint is its description). */
export function FileField(props: {
  id: string;
  label: string;
  accept: string;
  hint: string;
  disabled: boolean;
  multiple?: boolean;
  onChange: (ev: Event) => void;
}) {
  return (
    <div class="hlo-field">
      <label for={props.id}>{props.label}</label>
      <input
        id={props.id}
        type="file"
        multiple={props.multiple}
        accept={props.accept}
        onChange={props.onChange}
        disabled={props.disabled}
        aria-describedby={`${props.id}-hint`}
      />
      <span id={`${props.id}-hint`} class="hl-hint">
        {props.hint}
      </span>
    </div>
  );
}

/** The import's progress bar, 0–100 %, with `data-done` set once the run is over. */
export function ImportProgressBar(props: {
  id: string;
  testId: string;
  progress: ImportProgress | null;
  busy: boolean;
}) {
  const { progress, busy } = props;
  if (!progress) return null;
  const pct = Math.round((100 * progress.done) / Math.max(1, progress.total));
  return (
    <div class="hlo-progress">
      <label for={props.id}>{busy ? 'Reading the file' : 'Read'}</label>
      <progress id={props.id} max={100} value={pct} data-testid={props.testId} data-done={busy ? 'false' : 'true'}>
        {pct}%
      </progress>
      <span class="hl-num" aria-hidden="true">
        {pct}%
      </span>
    </div>
  );
}

/** The first lines a file import refused, numbered as in the file, under a heading that says if there are more. */
export function RefusedLines(props: {
  id: string;
  testId: string;
  /** "bad lines", "refused lines" */
  noun: string;
  lines: readonly { line: number; reason: string }[];
  total: number;
}) {
  if (props.lines.length === 0) return null;
  const title = props.noun.charAt(0).toUpperCase() + props.noun.slice(1);
  return (
    <>
      <h3 class="hl-h3" id={props.id}>
        {props.total > props.lines.length ? `First ${props.lines.length} ${props.noun}` : title}
      </h3>
      <ul aria-labelledby={props.id} data-testid={props.testId}>
        {props.lines.map((e) => (
          <li key={`${e.line}-${e.reason}`}>
            line {e.line}: {e.reason}
          </li>
        ))}
      </ul>
    </>
  );
}
