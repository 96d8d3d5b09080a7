import { useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { DEFAULT_MATCHES } from '../sites';
import { WELCOME_PATH } from '../../entrypoints/welcome/install';
import { AccountSection } from './options/AccountSection';
import { DataSection } from './options/DataSection';
import { ProfilesSection } from './options/ProfilesSection';
import { PageSection } from './options/PageSection';
import { RulebookSection } from './options/RulebookSection';
import { VixSection } from './options/VixSection';

const SECTIONS = [
  ['acct-title', 'Account & defaults'],
  ['rb-title', 'Rulebook'],
  ['vix-title', 'VIX history'],
  ['prof-title', 'Teach-mode profiles'],
  ['page-title', 'On the broker’s page'],
  ['sites-title', 'Sites'],
  ['data-title', 'Your data'],
] as const;

/** The options page: defaults, the rulebook, VIX history, teach-mode profiles, sites, and all data in and out. */
export function OptionsApp() {
  // After an all-data import the sections re-read storage: remount them.
  const [generation, setGeneration] = useState(0);
  const manifest = browser.runtime.getManifest();
  return (
    <main class="hl-options hlo" aria-label="HedgeLens options">
      <header class="hl-header">
        <h1 class="hl-brand hlo-h1">HedgeLens options</h1>
        <span class="hl-muted">version {manifest.version}</span>
        <a href={browser.runtime.getURL(WELCOME_PATH)}>First steps: where HedgeLens works, privacy, shortcuts</a>
      </header>
      <nav aria-label="Sections" class="hlo-nav">
        <ul>
          {SECTIONS.map(([id, label]) => (
            <li key={id}>
              <a href={`#${id}`}>{label}</a>
            </li>
          ))}
        </ul>
      </nav>
      <p class="hl-section hl-muted">
        HedgeLens is a trading aid, not advice: its numbers and suggestions are computed from what you give it.
      </p>
      <div key={generation}>
        <AccountSection />
        <RulebookSection />
        <VixSection />
        <ProfilesSection />
        <PageSection />
      </div>
      <section class="hl-section" aria-labelledby="sites-title">
        <h2 id="sites-title" class="hl-title">
          Where HedgeLens reads chains
        </h2>
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
      <DataSection onImported={() => setGeneration((g) => g + 1)} />
    </main>
  );
}
