import { browser } from 'wxt/browser';
import { DEFAULT_MATCHES } from '../../sites';
// The privacy policy's one home is docs/PRIVACY.md, packaged with the extension as text: the page links to nothing
// outside the browser. Shown as text, never as HTML.
import PRIVACY from '../../../docs/PRIVACY.md?raw';

const POLICY: string | null = PRIVACY;

/** The broker sites HedgeLens reads without being asked, as host names (from the content script's matches). */
export function siteNames(matches: readonly string[] = DEFAULT_MATCHES): string[] {
  const names = matches
    .map((m) => /^https:\/\/(?:\*\.)?([^/]+)\//.exec(m)?.[1] ?? null)
    .filter((h): h is string => h !== null);
  return [...new Set(names)];
}

export function WelcomeApp() {
  return (
    <div class="hlw">
      <header>
        <h1>Welcome to HedgeLens</h1>
        <p class="hl-muted">
          Iron-condor risk and the layered VIX hedge plan, on your broker’s own option chain. Everything is computed in
          your browser.
        </p>
      </header>
      <main>
        <section aria-labelledby="hlw-where">
          <h2 id="hlw-where">Where it works</h2>
          <p>HedgeLens reads option chains on these sites as soon as you open one:</p>
          <ul class="hlw-sites" aria-label="Sites read by default">
            {siteNames().map((s) => (
              <li key={s}>{s}</li>
            ))}
          </ul>
          <p>
            The overlay appears beside the chain: the chain it read, your condor’s risk (credit, maximum profit and
            loss, breakevens, probability of profit), the P/L curves and scenarios, and the hedge plan. With no condor
            entered, it suggests one (16-delta shorts) so you can see the figures at once.
          </p>
        </section>

        <section aria-labelledby="hlw-any">
          <h2 id="hlw-any">Any other page</h2>
          <ul>
            <li>
              <strong>Read this page</strong>: open the HedgeLens popup (the toolbar icon) on a page with an option
              chain and press <em>Read this page</em>. HedgeLens gets access to that tab only, this once.
            </li>
            <li>
              <strong>Teach</strong>: when nothing is read, or the reading is wrong, press <em>Teach this page</em>,
              then click a strike and the Bid of the same row. Save keeps the layout for that site.
            </li>
            <li>
              <strong>Report</strong>: the reading report at the bottom of the overlay says how many rows were read,
              which columns, and what could not be read. Check it before you trust a figure.
            </li>
          </ul>
        </section>

        <section aria-labelledby="hlw-plan">
          <h2 id="hlw-plan">The hedge plan</h2>
          <p>
            Type today’s VIX in the overlay when the page does not show it, and import Cboe’s VIX_History.csv in{' '}
            <a href={browser.runtime.getURL('/options.html')}>Options</a> so RSI and MACD can be judged. There too: your
            account size, the FOMC, CPI and PPI dates (a near one raises the plan’s urgency) and an advance–decline file
            (breadth sizes the first hedges). The rulebook there holds every threshold; change any of them, with a note.
            HedgeLens is a trading aid, not advice.
          </p>
        </section>

        <section aria-labelledby="hlw-privacy">
          <h2 id="hlw-privacy">Your data stays here</h2>
          <ul>
            <li>Nothing leaves your browser: HedgeLens makes no network requests and loads no remote code.</li>
            <li>
              It keeps what you save (snapshots, taught layouts, the VIX history, macro dates and series, the
              advance–decline series, your rulebook, settings) in the browser’s extension storage, on this computer.
              Remove the extension and it is gone.
            </li>
            <li>
              Your position is never written into the broker’s page. Marking your strikes on the broker’s rows is off
              until you turn it on in Options.
            </li>
          </ul>
          {POLICY !== null ? (
            <details>
              <summary>Read the privacy policy</summary>
              <pre class="hlw-policy" data-testid="privacy-policy">
                {POLICY}
              </pre>
            </details>
          ) : (
            <p data-testid="privacy-policy">The full privacy policy is docs/PRIVACY.md in the HedgeLens repository.</p>
          )}
        </section>

        <section aria-labelledby="hlw-keys">
          <h2 id="hlw-keys">Keyboard</h2>
          <table class="hlw-keys">
            <caption class="hl-muted">Shortcuts (change them in your browser’s extension shortcut settings)</caption>
            <tbody>
              <tr>
                <th scope="row">
                  <kbd>Alt</kbd>+<kbd>Shift</kbd>+<kbd>H</kbd>
                </th>
                <td>Show or hide the overlay</td>
              </tr>
              <tr>
                <th scope="row">
                  <kbd>Alt</kbd>+<kbd>Shift</kbd>+<kbd>S</kbd>
                </th>
                <td>Save a snapshot</td>
              </tr>
            </tbody>
          </table>
          <p>Everything in the overlay is reachable with Tab; it is a region named “HedgeLens”.</p>
        </section>
      </main>
      <footer class="hl-muted">
        <p>
          This page opens once, when HedgeLens is installed. Find it again in{' '}
          <a href={browser.runtime.getURL('/options.html')}>Options</a>.
        </p>
      </footer>
    </div>
  );
}
