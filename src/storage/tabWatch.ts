/**
 * What the background remembers of each broker tab between the content script's badge reports: the ALVH stage it
 * last saw (a notification fires on a change) and whether the tab's short-strike delta is past the trader's
 * threshold (it notifies once, then waits for the delta to fall back). Kept in `storage.session`: Chrome stops an
 * idle MV3 service worker after about 30 s, and reports come only when something changed, so a memory map would
 * forget a tab between two reports and miss the change (or repeat the delta notification). The session area is
 * held in memory by the browser, is not readable by content scripts (Chrome's default access level) and is
 * cleared when the browser closes. Where the area is missing, a map in the background's memory stands in.
 */
import { browser } from 'wxt/browser';
import type { Stage } from '../engine/alvh/stages';
import type { DeltaZone } from '../shared/shortDelta';

/** `tabWatch:<tabId>` in storage.session. */
export const TAB_WATCH_PREFIX = 'tabWatch:';

export interface TabWatch {
  /** The stage of the last report (null: no condor then); absent before the first report. */
  stage?: Stage | null;
  /** Whether the delta is past the threshold; absent before a delta was reported. */
  deltaZone?: DeltaZone;
}

const memory = new Map<number, TabWatch>();
type Area = {
  get(k: string): Promise<Record<string, unknown>>;
  set(v: object): Promise<void>;
  remove(k: string): Promise<void>;
};
const area = (): Area | null => (browser.storage as unknown as { session?: Area }).session ?? null;

const STAGES: Record<Stage, true> = {
  calm: true,
  'layer-one': true,
  'second-engine': true,
  'time-shift': true,
  unwind: true,
};
function of(v: unknown): TabWatch | undefined {
  if (typeof v !== 'object' || v === null) return undefined;
  const o = v as Record<string, unknown>;
  const w: TabWatch = {};
  if (o.stage === null || (typeof o.stage === 'string' && Object.hasOwn(STAGES, o.stage)))
    w.stage = o.stage as Stage | null;
  if (o.deltaZone === 'below' || o.deltaZone === 'past') w.deltaZone = o.deltaZone;
  return w;
}

export async function getTabWatch(tabId: number): Promise<TabWatch | undefined> {
  const s = area();
  if (!s) return memory.get(tabId);
  const key = `${TAB_WATCH_PREFIX}${tabId}`;
  try {
    return of((await s.get(key))[key]);
  } catch {
    return memory.get(tabId);
  }
}

export async function setTabWatch(tabId: number, watch: TabWatch): Promise<void> {
  memory.set(tabId, watch);
  await area()
    ?.set({ [`${TAB_WATCH_PREFIX}${tabId}`]: watch })
    .catch(() => undefined);
}

export async function forgetTabWatch(tabId: number): Promise<void> {
  memory.delete(tabId);
  await area()
    ?.remove(`${TAB_WATCH_PREFIX}${tabId}`)
    .catch(() => undefined);
}
