/**
 * The fill the trader types for an adjustment (net per unit), empty for the natural price; `readFill` turns the text
 * into the number the engine takes (null: natural). Used by the tickets' "Add to position" and the hedges' "Close".
 */
export function FillInput({
  label,
  placeholder,
  title,
  value,
  onChange,
}: {
  label: string;
  placeholder: string;
  title: string;
  value: string;
  onChange: (text: string) => void;
}) {
  return (
    <label class="hl-fill">
      <span class="hl-alvh-sr">{label}</span>
      <input
        class="hl-fill-input hl-num"
        type="number"
        step="0.01"
        inputMode="decimal"
        placeholder={placeholder}
        title={title}
        value={value}
        onInput={(e) => onChange((e.target as HTMLInputElement).value)}
      />
    </label>
  );
}

export function readFill(text: string): number | null {
  const n = text.trim() === '' ? null : Number(text);
  return n !== null && Number.isFinite(n) ? n : null;
}
