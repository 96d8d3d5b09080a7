/** The outcome of an action, next to its button: a polite live region that is always in the page. */
export type StatusValue = { kind: 'saved' | 'error' | 'info'; text: string } | null;

export function Status(props: { value: StatusValue; testId?: string }) {
  const v = props.value;
  const cls = v?.kind === 'error' ? 'hl-error' : v?.kind === 'saved' ? 'hl-saved' : 'hl-muted';
  return (
    <p class={`hlo-status ${cls}`} role="status" aria-live="polite" data-testid={props.testId}>
      {v?.text ?? ''}
    </p>
  );
}
