/**
 * The one place the content script imports the engine's worker API from (the engine's API and feed messages) and
 * the Chain encoder that packs a reading for the feed port: when either module moves, only this file changes.
 */
export type { EngineApi, ChainMeta, FeedIn, FeedOut, PageView } from '../worker/engine';
export { chainShape, diffByIdentity, diffChain, packChain, patchOf, type RowChange } from '../chain/patch';
