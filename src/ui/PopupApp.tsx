import { useEffect, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import type { PositionSummary, SaveReply, TabStatus, TeachReply, ToContent, ToFrames } from '../messages';
import { fmtDollars, fmtPercent, fmtShortDateTime } from './format';
import { listSnapshots, storageUsage, type SnapshotSummary } from '../storage/snapshots';
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

/** Runs the content script in a tab it does not run in by default (activeTab, granted by opening the popup). */
async function injectContentScript(tabId: number): Promise<boolean> {
  const done = await browser.scripting
    .executeScript({ target: { tabId }, files: ['/content-scripts/content.js'] })
    .catch(() => null);
  return done !== null;
}

/** Asks the tab's content script to start teach mode; a script injected just now may take a moment to listen. */
async function askTeach(tabId: number, attempts: number): Promise<TeachReply | null> {
  const msg: ToContent = { type: 'hedgelens:teach' };
  for (let i = 0; i < attempts; i++) {
    const reply = (await browser.tabs.sendMessage(tabId, msg).catch(() => null)) as TeachReply | null | undefined;
    if (reply) return reply;
    if (i + 1 < attempts) await new Promise((r) => setTimeout(r, 150));
  }
  return null;
}

const STAGE_LABEL: Record<string, string> = {
  calm: 'Calm',
  'layer-one': 'Layer One',
  'second-engine': 'Second Engine',
  'time-shift': 'Time-shift',
  unwind: 'Unwind',
};

function PositionGlance({ position: p }: { position: PositionSummary }) {
  return (
    <div class="hl-glance" data-testid="popup-position">
      <p class="hl-legs hl-num">
        {p.suggested ? 'Suggested ' : ''}
        {p.legs}
      </p>
      <p class="hl-num">
        Max profit <b class="hl-good">{fmtDollars(p.maxProfitDollars)}</b> · max loss{' '}
        <b class="hl-bad">{fmtDollars(-p.maxLossDollars)}</b> · POP <b>{fmtPercent(p.probabilityOfProfit)}</b>
      </p>
      {p.stage && (
        <p>
          ALVH stage: <b data-testid="popup-stage">{STAGE_LABEL[p.stage] ?? p.stage}</b>
        </p>
      )}
      {(p.warnings ?? []).map((w, i) => (
        <p key={i} class="hl-popup-warning" role="alert" data-testid="popup-warning">
          Warning: {w}
        </p>
      ))}
    </div>
  );
}

function RecentSnapshots({ items }: { items: SnapshotSummary[] | null }) {
  if (items === null) return null;
  return (
    <section class="hl-section" aria-label="Recent snapshots">
      <h2 class="hl-h3">Recent snapshots</h2>
      {items.length === 0 ? (
        <p class="hl-muted hl-hint">None yet. Save one to keep a record of this chain, condor and plan.</p>
      ) : (
        <ul class="hl-snap-list" data-testid="recent-snapshots">
          {items.map((s) => (
            <li key={s.id}>
              <span class="hl-num">
                {s.underlying} {s.expiry ?? ''} {s.condor ? `· ${s.condor}` : ''}
              </span>
              <span class="hl-muted hl-hint">
                {fmtShortDateTime(s.savedAt)} · {s.site || 'file'}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export function PopupApp() {
  const [state, setState] = useState<PopupState>({ kind: 'loading' });
  const [recent, setRecent] = useState<SnapshotSummary[] | null>(null);
  const [saved, setSaved] = useState<SaveReply | null>(null);
  const [usageWarning, setUsageWarning] = useState<string | null>(null);
  const [teachError, setTeachError] = useState<string | null>(null);
  const loadRecent = async () => {
    const list = await listSnapshots().catch(() => null);
    setRecent(list ? list.items.slice(0, 5) : []);
    const usage = await storageUsage().catch(() => null);
    setUsageWarning(usage?.warning ?? null);
  };
  useEffect(() => void loadRecent(), []);

  const save = async (tabId: number) => {
    const msg: ToFrames = { type: 'hedgelens:save-snapshot', tabId };
    const reply = (await browser.runtime.sendMessage(msg).catch(() => null)) as SaveReply | null | undefined;
    setSaved(reply ?? { ok: false, message: 'HedgeLens has no chain open in this tab to save.' });
    await loadRecent();
  };

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
    await injectContentScript(tabId);
    await refresh();
  };

  /** Teach mode happens on the page: once it has started there, the popup gets out of the way. */
  const teach = async (tabId: number, inject: boolean) => {
    setTeachError(null);
    if (inject && !(await injectContentScript(tabId))) {
      setTeachError(
        'HedgeLens may not run on this page (a browser or store page?). Open the broker’s page and try again.',
      );
      return;
    }
    const reply = await askTeach(tabId, inject ? 10 : 1);
    if (reply?.ok) window.close();
    else
      setTeachError(
        reply?.message ??
          'Teach mode did not start: HedgeLens is not answering in this tab. Reload the page and try again.',
      );
  };

  /** The report is built and shown on the page (nothing leaves it until the trader saves the file there). */
  const report = async (tabId: number) => {
    setTeachError(null);
    const msg: ToContent = { type: 'hedgelens:report' };
    const reply = (await browser.tabs.sendMessage(tabId, msg).catch(() => null)) as { ok: boolean } | null;
    if (reply?.ok) window.close();
    else
      setTeachError('The report did not open: HedgeLens is not answering in this tab. Reload the page and try again.');
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
            </button>{' '}
            <button class="hl-btn" type="button" onClick={() => void teach(state.tabId, true)}>
              Teach this page
            </button>
          </div>
        )}
        {state.kind === 'status' && state.status.state === 'reading' && (
          <span class="hl-muted">Reading the chain…</span>
        )}
        {state.kind === 'status' && state.status.state === 'no-chain' && (
          <div>
            <p class="hl-muted" data-testid="no-chain">
              {state.status.chainLike
                ? 'HedgeLens sees an option chain it could not read.'
                : 'No option chain found on this page.'}
            </p>
            <p class="hl-muted">{state.status.reason}</p>
            <p>
              <button
                class="hl-btn"
                type="button"
                data-testid="teach-page"
                onClick={() => void teach(state.tabId, false)}
              >
                Teach this page
              </button>
              {state.status.chainLike && (
                <>
                  {' '}
                  <button
                    class="hl-btn"
                    type="button"
                    data-testid="report-page"
                    onClick={() => void report(state.tabId)}
                  >
                    Report this page
                  </button>
                </>
              )}
            </p>
            <p class="hl-muted hl-hint">
              On the page, click a strike, then the Bid of the same row: HedgeLens learns this site’s layout.
            </p>
          </div>
        )}
        {state.kind === 'status' && state.status.state === 'teaching' && (
          <p data-testid="teaching">
            Teaching this page: click a strike cell on the page, then the Bid of the same row. Escape there cancels.
          </p>
        )}
        {state.kind === 'status' && state.status.state === 'error' && (
          <p class="hl-error" role="alert">
            {state.status.message}
          </p>
        )}
        {state.kind === 'status' && state.status.state === 'ready' && (
          <>
            <ChainStatus summary={state.status.summary} />
            {state.status.position && <PositionGlance position={state.status.position} />}
            <p>
              <button class="hl-btn" type="button" onClick={() => void save(state.tabId)}>
                Save snapshot
              </button>
            </p>
            <p>
              <button
                class="hl-link"
                type="button"
                data-testid="teach-page"
                onClick={() => void teach(state.tabId, false)}
              >
                Reading wrong? Teach this page
              </button>
            </p>
          </>
        )}
        {teachError && (
          <p class="hl-error" role="alert" data-testid="teach-error">
            {teachError}
          </p>
        )}
        {saved && (
          <p
            class={saved.ok ? 'hl-saved' : 'hl-error'}
            role={saved.ok ? 'status' : 'alert'}
            data-testid="popup-save-result"
          >
            {saved.ok ? `Saved: ${saved.label}.` : saved.message}
          </p>
        )}
      </section>
      <RecentSnapshots items={recent} />
      {usageWarning && (
        <section class="hl-section hl-error" role="alert" data-testid="popup-usage-warning">
          {usageWarning}
        </section>
      )}
      <footer class="hl-footer">
        <button
          class="hl-btn"
          type="button"
          onClick={() => void browser.tabs.create({ url: browser.runtime.getURL('/snapshots.html') })}
        >
          All snapshots
        </button>{' '}
        <button class="hl-btn" type="button" onClick={() => void browser.runtime.openOptionsPage()}>
          Options
        </button>
      </footer>
    </main>
  );
}
