/**
 * The worker's states as its clients see them: where a page's chain came from (ChainMeta), the session's state with
 * the feed's trace (EngineState). Types only; src/worker/engine.ts re-exports them.
 */
import type { VixSighting } from '../engine/alvh/vixSeries';
import type { ReadyState as SessionReadyState, SessionState } from '../engine/session';
import type { CostSummary } from '../messages';

/** Where a chain on a page came from: what the overlay's reading report and a snapshot say of it. */
export interface ChainMeta {
  adapter: string;
  rowsRead: number;
  rowsDropped: number;
  confidence: number;
  /** Host name of the page. */
  site: string;
  /** The page's origin and path only: never its query or fragment (they can carry account identifiers). */
  pageUrl: string;
  pageTitle: string;
  /** VIX quotes the reader saw on the page (time-stamped). */
  vixSightings?: VixSighting[];
  /** When the content script finished reading the page (epoch ms): the overlay measures its lag from it. */
  readAtEpochMs?: number;
  /**
   * When the oldest reading this one stands for was made (epoch ms): the same moment as readAtEpochMs on an update,
   * earlier on a page's first chain, which waits for the overlay (its frame and worker) to start before it is sent.
   */
  readSinceEpochMs?: number;
  /** The content script's own main-thread time per update on the page (see src/content/cost.ts). */
  pageCost?: CostSummary | null;
}

export type ReadyState = SessionReadyState<ChainMeta>;
/**
 * Where one page update spent its time in the worker (epoch ms, Date.now()): the first feed message of the batch
 * arrived, the computation began and ended. With the content script's readAtEpochMs and the frame's own clock it
 * traces an update from the page to the screen (the overlay's reading report shows it; `npm run bench -- ui` prints
 * it per step). Only on states computed for the feed.
 */
export interface FeedTrace {
  receivedAt: number;
  computeStartAt: number;
  computedAt: number;
  /** When this engine was made (its worker started): how long it had been up when the page's chain came. */
  engineAt: number;
}
export type EngineState = SessionState<ChainMeta> & { trace?: FeedTrace };
