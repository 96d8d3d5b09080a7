import { useState } from 'preact/hooks';
import { fmtNumber } from '../format';

export const VIX_MIN = 5;
export const VIX_MAX = 150;

export interface VixEntry {
  vix: number;
  prevClose: number | null;
}

/** Parse a typed VIX level: a number between 5 and 150, or an error sentence. */
export function parseVix(text: string, what = 'VIX'): { ok: true; value: number } | { ok: false; error: string } {
  const t = text.trim().replace(/,/g, '.');
  if (t === '') return { ok: false, error: `Type the ${what}` };
  const v = Number(t);
  if (!/^[+-]?(\d+\.?\d*|\.\d+)$/.test(t) || !Number.isFinite(v))
    return { ok: false, error: `${what} must be a number` };
  if (v < VIX_MIN || v > VIX_MAX) return { ok: false, error: `${what} must be between ${VIX_MIN} and ${VIX_MAX}` };
  return { ok: true, value: v };
}

/** A small form for the VIX when the page does not show it: current level and, optionally, the previous close. */
export function VixInput({
  initial,
  onSubmit,
}: {
  initial?: { vix: number | null; prevClose?: number | null };
  onSubmit(entry: VixEntry): void;
}) {
  const [vix, setVix] = useState(initial?.vix != null ? String(initial.vix) : '');
  const [prev, setPrev] = useState(initial?.prevClose != null ? String(initial.prevClose) : '');
  const [error, setError] = useState<{ field: 'vix' | 'prev'; text: string } | null>(null);
  return (
    <form
      class="hl-section hl-alvh-vix"
      aria-label="Enter the VIX"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        const v = parseVix(vix);
        if (!v.ok) return setError({ field: 'vix', text: v.error });
        let p: number | null = null;
        if (prev.trim() !== '') {
          const r = parseVix(prev, 'Previous close');
          if (!r.ok) return setError({ field: 'prev', text: r.error });
          p = r.value;
        }
        setError(null);
        onSubmit({ vix: v.value, prevClose: p });
      }}
    >
      <div class="hl-row">
        <label class="hl-grow">
          <span class="hl-label">VIX now</span>
          <input
            class="hl-input"
            name="vix"
            inputMode="decimal"
            value={vix}
            placeholder={`e.g. ${fmtNumber(18.5)}`}
            aria-invalid={error?.field === 'vix' ? 'true' : undefined}
            aria-describedby={error ? 'hl-alvh-vix-error' : undefined}
            onInput={(e) => setVix((e.target as HTMLInputElement).value)}
          />
        </label>
        <label class="hl-grow">
          <span class="hl-label">Previous close (optional)</span>
          <input
            class="hl-input"
            name="vix-prev"
            inputMode="decimal"
            value={prev}
            aria-invalid={error?.field === 'prev' ? 'true' : undefined}
            aria-describedby={error ? 'hl-alvh-vix-error' : undefined}
            onInput={(e) => setPrev((e.target as HTMLInputElement).value)}
          />
        </label>
        <button class="hl-btn" type="submit" aria-label="Use this VIX">
          Use
        </button>
      </div>
      {error ? (
        <p class="hl-hint hl-error" id="hl-alvh-vix-error" role="alert">
          {error.text}
        </p>
      ) : (
        <p class="hl-hint hl-muted">
          When the page does not show the VIX, type it here ({VIX_MIN}–{VIX_MAX}).
        </p>
      )}
    </form>
  );
}
