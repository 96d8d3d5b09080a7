/**
 * Messages between extension contexts: one discriminated union per direction.
 * (The engine itself is reached through comlink over MessagePorts; these are the control messages.)
 */
import type { ChainSummary } from './engine/summary';
import type { PositionSummary, Threat } from './engine/session/pageView';
import type { Stage } from './engine/alvh/stages';
import type { TeachProfile } from './shared/teachProfile';
import type { ShortDelta } from './shared/shortDelta';

/** The condor and stage in one glance, for the popup (kept in the content script's isolated world, never the page). */
export type { PositionSummary, Stage, Threat };

/** The parts of one update the content script's cost meter tells apart (src/content/cost.ts measures them). */
export type CostPart = 'read' | 'send' | 'answer' | 'marks';
/** The parts, in the order they are measured and shown. */
export const COST_PARTS: readonly CostPart[] = ['read', 'send', 'answer', 'marks'];

/** The content script's own main-thread time per update on the page, over its last updates. */
export interface CostSummary {
  /** Updates measured (the last `size` at most). */
  updates: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
  /**
   * Mean time per update of each part over the same updates (means, not medians: one part is often below the
   * clock's 0.1 ms step, and a mean of many coarse readings is still fair where their median is 0 or 0.1).
   */
  partsMs: Record<CostPart, number>;
  /** The same means over the slowest updates only (those at or above p95): where a slow update's time went. */
  slowPartsMs?: Record<CostPart, number>;
}

/** What a tab's content script reports to the popup (no position data, just what was read). */
export type TabStatus =
  | { state: 'reading' }
  /** `chainLike`: the page holds a chain-like table that could not be read (the popup offers Teach and Report). */
  | { state: 'no-chain'; reason: string; chainLike?: boolean }
  | { state: 'ready'; summary: ChainSummary; rowsDropped: number; adapter: string; position: PositionSummary | null }
  /** Teach mode is on in the page: the trader is clicking a strike cell and a bid cell there. */
  | { state: 'teaching' }
  | { state: 'error'; message: string };

/** Popup / background → content script (browser.tabs.sendMessage). */
export type ToContent =
  | { type: 'hedgelens:status' }
  | { type: 'hedgelens:toggle-overlay' }
  /** Start teach mode on the page (the trader then clicks a strike cell and a bid cell of one row). */
  | { type: 'hedgelens:teach' }
  /** Show the anonymised report of this page for the trader to read and save (Report this page, from the popup). */
  | { type: 'hedgelens:report' };

/** The content script's answer to 'hedgelens:teach'. */
export type TeachReply = { ok: true } | { ok: false; message: string };

/** Content script / overlay frame → background (browser.runtime.sendMessage). */
export type ToBackground =
  /** The content script registers the one-time nonce for the overlay frame it is about to create. */
  | { type: 'hedgelens:register-frame'; nonce: string }
  /**
   * The overlay frame asks for the nonce its tab's content script registered (consumed once). With `wait` (a
   * frame that restarted its worker and asked for a new handshake) the answer waits for the next registration.
   */
  | { type: 'hedgelens:claim-frame'; wait?: boolean }
  /**
   * The content script saves the profile the trader taught and confirmed (teach mode). The background stores it
   * (validated, under the extension's own lock) and only for the host of the tab that sent it.
   */
  | { type: 'hedgelens:save-profile'; profile: TeachProfile }
  /**
   * The content script's condor at a glance for the toolbar badge of its tab: the ALVH stage and the threat level
   * (null: no condor on this page now). Sent only when one of them changes. `shortDelta` (the short strike with
   * the largest |delta|) only while the trader has the delta notification on, and then also on each new hundredth.
   */
  | {
      type: 'hedgelens:badge';
      stage: Stage | null;
      threat: Threat | null;
      symbol: string | null;
      shortDelta?: ShortDelta | null;
    };

export type ClaimFrameReply = { nonce: string | null; tabId: number | null };

/** Popup / background → the overlay frame of one tab (browser.runtime.sendMessage reaches every extension page). */
export type ToFrames = { type: 'hedgelens:save-snapshot'; tabId: number };

/** The overlay frame's answer to a save request. */
export type SaveReply =
  { ok: true; id: string; label: string; warning: string | null } | { ok: false; message: string };

/** Window messages across the page ↔ overlay-frame boundary (postMessage). */
export type FrameToPage =
  | { type: 'hedgelens:frame-ready' }
  | { type: 'hedgelens:frame-size'; collapsed: boolean }
  /** Start or stop picking strikes on the broker's chain (click-to-build). */
  | { type: 'hedgelens:pick'; on: boolean }
  /** "Reading wrong? Teach this page": start teach mode on the page. */
  | { type: 'hedgelens:teach' };
export type PageToFrame =
  | { type: 'hedgelens:connect'; nonce: string }
  /** Strikes picked so far on the chain (display only; the position itself goes content script → worker). */
  | { type: 'hedgelens:picked'; strikes: number[]; picking: boolean };

/** Overlay frame → worker global scope: attach the engine to this port. */
export type ToWorker = { type: 'hedgelens:attach'; port: MessagePort };

export function isMessage<T extends { type: string }, K extends T['type'] = T['type']>(
  value: unknown,
  type: K,
): value is Extract<T, { type: K }> {
  return typeof value === 'object' && value !== null && (value as { type?: unknown }).type === type;
}
