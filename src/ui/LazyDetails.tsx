import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';

/**
 * A <details> whose body is built only once the trader has opened it, and kept after (what was typed in it stays when
 * it is closed again). A closed <details> shows nothing, but its body is still rendered, diffed and patched on every
 * update: the overlay's reference tickets alone, four cards under a closed "What each layer would use", were a third
 * of its render on each tick of a live chain.
 */
export function LazyDetails({
  summary,
  children,
  ...attrs
}: {
  summary: ComponentChildren;
  /** The body, built when first opened. */
  children: () => ComponentChildren;
  class?: string;
  'data-testid'?: string;
}) {
  const [opened, setOpened] = useState(false);
  return (
    <details
      {...attrs}
      onToggle={(e) => {
        if ((e.currentTarget as HTMLDetailsElement).open) setOpened(true);
      }}
    >
      <summary>{summary}</summary>
      {opened && children()}
    </details>
  );
}
