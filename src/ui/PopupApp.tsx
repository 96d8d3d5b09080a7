import { useEffect, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import type { TabStatus, ToContent } from '../messages';
import { ChainStatus } from './ChainStatus';

type PopupState =
  | { kind: 'loading' }
  | { kind: 'no-tab' }
  | { kind: 'not-running'; tabId: number }
  | { kind: 'status'; tabId: number; status: TabStatus };

/** The tab the trader was looking at: the active tab of the last focused normal browser window. */
async function activeTabId(): Promise<number | null> {
  const win = await browser.windows.getLastFocused({ windowTypes: ['normal'] }).catch(() => null);
  const tabs = await browser.tabs.query(win?.id !== undefined ? { active: true, windowId: win.id } : { active: true });
  return tabs[0]?.id ?? null;
}

async function askStatus(tabId: number): Promise<TabStatus | null> {
  const msg: ToContent = { type: 'hedgelens:status' };
  return ((await browser.tabs.sendMessage(tabId, msg).catch(() => null)) as TabStatus | null) ?? null;
}

export function PopupApp() {
  const [state, setState] = useState<PopupState>({ kind: 'loading' });

  const refresh = async () => {
    const tabId = await activeTabId();
    if (tabId === null) return setState({ kind: 'no-tab' });
    const status = await askStatus(tabId);
    setState(status ? { kind: 'status', tabId, status } : { kind: 'not-running', tabId });
  };

  useEffect(() => {
    void refresh();
    // The page may still be reading its chain: refresh while it does.
    const timer = setInterval(() => void refresh(), 1000);
    return () => clearInterval(timer);
  }, []);

  const enableHere = async (tabId: number) => {
    // activeTab (granted by opening the popup) lets us read this one page on demand.
    await browser.scripting
      .executeScript({ target: { tabId }, files: ['/content-scripts/content.js'] })
      .catch(() => null);
    await refresh();
  };

  return (
    <main class="hl-popup" aria-label="HedgeLens">
      <header class="hl-header">
        <span class="hl-dot" data-state={state.kind === 'status' ? state.status.state : 'idle'} aria-hidden="true" />
        <span class="hl-brand">HedgeLens</span>
      </header>
      <section class="hl-section" data-testid="popup-status" aria-live="polite">
        {state.kind === 'loading' && <span class="hl-muted">Looking at this tab…</span>}
        {state.kind === 'no-tab' && <span class="hl-muted">No browser tab is active.</span>}
        {state.kind === 'not-running' && (
          <div>
            <p class="hl-muted">HedgeLens is not reading this page.</p>
            <button class="hl-btn" type="button" onClick={() => void enableHere(state.tabId)}>
              Read this page
            </button>
          </div>
        )}
        {state.kind === 'status' && state.status.state === 'reading' && (
          <span class="hl-muted">Reading the chain…</span>
        )}
        {state.kind === 'status' && state.status.state === 'no-chain' && (
          <div>
            <p class="hl-muted" data-testid="no-chain">
              No option chain found on this page.
            </p>
            <p class="hl-muted">{state.status.reason}</p>
          </div>
        )}
        {state.kind === 'status' && state.status.state === 'error' && (
          <p class="hl-error" role="alert">
            {state.status.message}
          </p>
        )}
        {state.kind === 'status' && state.status.state === 'ready' && <ChainStatus summary={state.status.summary} />}
      </section>
      <footer class="hl-footer">
        <button class="hl-btn" type="button" onClick={() => void browser.runtime.openOptionsPage()}>
          Options
        </button>
      </footer>
    </main>
  );
}
