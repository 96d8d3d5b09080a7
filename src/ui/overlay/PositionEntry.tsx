import { useState } from 'preact/hooks';
import type { PositionInput } from '../../worker/engine';

export interface PositionEntryProps {
  position: PositionInput;
  error: string | null;
  /** Click-to-build on the broker's chain: strikes picked so far (lowest first), whether picking is on. */
  picking?: { picked: number[]; active: boolean; onPick: (on: boolean) => void };
  /** Wing width to offer in the targets box (the current condor's), so it fits the underlying's price. */
  defaultWidth?: number | null;
  onSubmit(position: PositionInput): void;
}

/** Three ways to enter the condor: typed text, delta targets, or four rows clicked on the chain. */
export function PositionEntry({ position, error, picking, defaultWidth, onSubmit }: PositionEntryProps) {
  const [text, setText] = useState(position.kind === 'text' ? position.text : '');
  const [targets, setTargets] = useState<string | null>(position.kind === 'targets' ? position.text : null);
  const targetsText = targets ?? `16-delta shorts, ${defaultWidth ?? 50} wide`;
  return (
    <section class="hl-section hl-entry" aria-label="Enter a condor">
      <form
        class="hl-row"
        onSubmit={(e) => {
          e.preventDefault();
          if (text.trim()) onSubmit({ kind: 'text', text });
        }}
      >
        <label class="hl-grow">
          <span class="hl-label">Condor</span>
          <input
            class="hl-input"
            name="condor-text"
            value={text}
            placeholder="6400/6450/6800/6850 x2 @ 4.10"
            aria-label="Condor as strikes, quantity and credit"
            onInput={(e) => setText((e.target as HTMLInputElement).value)}
          />
        </label>
        <button class="hl-btn" type="submit">
          Set
        </button>
      </form>
      <form
        class="hl-row"
        onSubmit={(e) => {
          e.preventDefault();
          onSubmit({ kind: 'targets', text: targetsText });
        }}
      >
        <label class="hl-grow">
          <span class="hl-label">From targets</span>
          <input
            class="hl-input"
            name="condor-targets"
            value={targetsText}
            aria-label="Condor from delta targets"
            onInput={(e) => setTargets((e.target as HTMLInputElement).value)}
          />
        </label>
        <button class="hl-btn" type="submit">
          Build
        </button>
      </form>
      <p class="hl-hint hl-muted" data-testid="pick-status">
        {picking && (
          <button
            class="hl-btn hl-btn-small"
            type="button"
            aria-pressed={picking.active}
            onClick={() => picking.onPick(!picking.active)}
          >
            {picking.active ? 'Stop picking' : 'Pick 4 strikes on the chain'}
          </button>
        )}{' '}
        {picking?.active
          ? picking.picked.length > 0
            ? `Picked ${picking.picked.join(' / ')}: ${4 - picking.picked.length} more.`
            : 'Click four rows of the chain (Esc cancels).'
          : ''}
        {position.kind !== 'suggested' && (
          <>
            {' '}
            <button class="hl-link" type="button" onClick={() => onSubmit({ kind: 'suggested' })}>
              Back to the suggestion
            </button>
          </>
        )}
      </p>
      {error && (
        <p class="hl-error" role="alert" data-testid="position-error">
          {error}
        </p>
      )}
    </section>
  );
}
