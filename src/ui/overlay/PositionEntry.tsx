import { useState } from 'preact/hooks';
import type { PositionInput } from '../../worker/engine';

/** What the condor box can draw its example from: the condor shown, else the strikes listed around the price. */
export interface ExampleSource {
  condor: { strikes: readonly number[]; quantity: number; creditUsed: number } | null;
  /** Strikes listed on the chosen expiry. */
  strikes: readonly number[];
  /** The underlying's price (or the forward) on the page. */
  price: number | null;
}

const strikeText = (k: number) => String(Math.round(k * 100) / 100);

/**
 * The example in the condor box, drawn from the chain on screen so it fits the underlying: the condor shown (its
 * strikes, quantity and credit), else four listed strikes around the price (shorts two listed strikes out, wings one
 * further). Null when the chain gives neither (the box then shows the format without numbers).
 */
export function condorExample({ condor, strikes, price }: ExampleSource): string | null {
  if (condor && condor.strikes.length === 4) {
    const qty = Math.max(1, Math.round(condor.quantity));
    return `${condor.strikes.map(strikeText).join('/')} x${qty} @ ${Math.abs(condor.creditUsed).toFixed(2)}`;
  }
  if (price === null || !Number.isFinite(price)) return null;
  const ladder = [...new Set(strikes.filter((k) => Number.isFinite(k) && k > 0))].sort((a, b) => a - b);
  const below = ladder.filter((k) => k < price);
  const above = ladder.filter((k) => k > price);
  if (below.length < 3 || above.length < 3) return null;
  const k = [
    below[below.length - 4] ?? below[0]!,
    below[below.length - 3]!,
    above[2]!,
    above[3] ?? above[above.length - 1]!,
  ];
  if (k[0] === k[1] || k[2] === k[3]) return null;
  return `${k.map(strikeText).join('/')} x1`;
}

/** The box's placeholder: the example, or the format alone. */
export const GENERIC_PLACEHOLDER = 'long put/short put/short call/long call x qty @ credit';

export interface PositionEntryProps {
  position: PositionInput;
  error: string | null;
  /** Click-to-build on the broker's chain: strikes picked so far (lowest first), whether picking is on. */
  picking?: { picked: number[]; active: boolean; onPick: (on: boolean) => void };
  /** Wing width to offer in the targets box (the current condor's), so it fits the underlying's price. */
  defaultWidth?: number | null;
  /** The chain on screen, for an example that fits it (see condorExample). */
  example?: ExampleSource | null;
  onSubmit(position: PositionInput): void;
}

/** Three ways to enter the condor: typed text, delta targets, or four rows clicked on the chain. */
export function PositionEntry({ position, error, picking, defaultWidth, example, onSubmit }: PositionEntryProps) {
  const [text, setText] = useState(position.kind === 'text' ? position.text : '');
  const [targets, setTargets] = useState<string | null>(position.kind === 'targets' ? position.text : null);
  const targetsText = targets ?? `16-delta shorts, ${defaultWidth ?? 50} wide`;
  return (
    <section class="hl-section hl-entry" aria-label="Enter a condor">
      <form
        class="hl-row"
        onSubmit={(e) => {
          e.preventDefault();
          // What the box holds as Set is pressed (typed, pasted or filled in), not what the last render saw.
          const box = e.currentTarget.elements.namedItem('condor-text');
          const typed = box instanceof HTMLInputElement ? box.value : text;
          if (typed.trim()) onSubmit({ kind: 'text', text: typed });
        }}
      >
        <label class="hl-grow">
          <span class="hl-label">Condor</span>
          <input
            class="hl-input"
            name="condor-text"
            value={text}
            placeholder={(example && condorExample(example)) ?? GENERIC_PLACEHOLDER}
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
