import { useEffect, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { DEFAULT_MATCHES } from '../sites';

/** The options page. Settings, rulebook, imports and profiles join it as those features land. */
export function OptionsApp() {
  const [bytes, setBytes] = useState<number | null>(null);
  useEffect(() => {
    const local = browser.storage.local as { getBytesInUse?: (keys: null) => Promise<number> };
    void local.getBytesInUse?.(null).then(setBytes, () => setBytes(null));
  }, []);
  const manifest = browser.runtime.getManifest();
  return (
    <main class="hl-options" aria-label="HedgeLens options">
      <header class="hl-header">
        <span class="hl-brand">HedgeLens</span>
        <span class="hl-muted">version {manifest.version}</span>
      </header>
      <section class="hl-section">
        <h2 class="hl-title">Where HedgeLens reads chains</h2>
        <p class="hl-muted">
          On these sites it reads option chains automatically. On any other page, open the HedgeLens popup and choose
          “Read this page”.
        </p>
        <ul class="hl-num">
          {DEFAULT_MATCHES.map((m) => (
            <li key={m}>{m}</li>
          ))}
        </ul>
      </section>
      <section class="hl-section">
        <h2 class="hl-title">Your data</h2>
        <p>
          Everything HedgeLens stores stays in this browser’s extension storage
          {bytes !== null ? ` (${(bytes / 1024).toFixed(1)} KiB in use)` : ''}. HedgeLens makes no network requests.
        </p>
      </section>
    </main>
  );
}
