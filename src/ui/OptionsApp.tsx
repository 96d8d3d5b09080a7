import { useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { DEFAULT_MATCHES } from '../sites';
// The policy's one home is docs/PRIVACY.md; the page shows it as text, packaged (no link out, no request).
import PRIVACY from '../../docs/PRIVACY.md?raw';
import { WELCOME_PATH } from '../shared/pages';
import { AccountSection } from './options/AccountSection';
import { DataSection } from './options/DataSection';
import { ProfilesSection } from './options/ProfilesSection';
import { PageSection } from './options/PageSection';
import { RulebookSection } from './options/RulebookSection';
import { SpxSection, VixSection } from './options/HistorySection';
import { BacktestSection } from './options/BacktestSection';
import type { Thresholds } from '../engine/alvh/rulebook';
import { MacroSection } from './options/MacroSection';
import { MacroCalendarSection } from './options/MacroCalendarSection';
import { AdvanceDeclineSection } from './options/AdvanceDeclineSection';
import { PortfolioSection } from './options/PortfolioSection';

const SECTIONS = [
  ['portfolio-title', 'Positions and portfolio'],
  ['acct-title', 'Account & defaults'],
  ['rb-title', 'Rulebook'],
  ['vix-title', 'VIX history'],
  ['spx-title', 'S&P 500 history'],
  ['bt-title', 'Backtest'],
  ['mcal-title', 'Macro calendar'],
  ['ad-title', 'Advance–decline'],
  ['macro-title', 'Macro series'],
  ['prof-title', 'Teach-mode profiles'],
  ['page-title', 'On the broker’s page'],
  ['sites-title', 'Sites'],
  ['data-title', 'Your data'],
] as const;

/** The options page: defaults, the rulebook, VIX history, teach-mode profiles, sites, and all data in and out. */
export function OptionsApp() {
  // After an all-data import the sections re-read storage: remount them.
  const [generation, setGeneration] = useState(0);
  // The rulebook's unsaved edits, for the backtest's "what this change would have done".
  const [draft, setDraft] = useState<Partial<Thresholds> | null>(null);
  const manifest = browser.runtime.getManifest();
  return (
    <main class="hl-options hlo" aria-label="HedgeLens options">
      <header class="hl-header">
        <h1 class="hl-brand hlo-h1">HedgeLens options</h1>
        <span class="hl-muted">version {manifest.version}</span>
        <a href="#privacy">Privacy: nothing leaves your browser</a>
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
        <PortfolioSection />
        <AccountSection />
        <RulebookSection onDraft={setDraft} />
        <VixSection />
        <SpxSection />
        <BacktestSection draft={draft} />
        <MacroCalendarSection />
        <AdvanceDeclineSection />
        <MacroSection />
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
      <section class="hl-section" aria-labelledby="privacy-title" id="privacy">
        <h2 id="privacy-title" class="hl-title">
          Privacy
        </h2>
        <pre class="hlo-privacy" data-testid="privacy-policy">
          {PRIVACY}
        </pre>
      </section>
    </main>
  );
}
