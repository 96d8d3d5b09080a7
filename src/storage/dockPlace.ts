/**
 * Where the trader put the overlay's dock on each site: `dock:<host>` in storage.local, as {right, bottom} pixels
 * from the viewport's right and bottom edges.
 *
 * Read by the content script, so it uses the plain storage API and never throws: after the extension is reloaded
 * an orphaned content script has no storage at all (a read gives null, a write is dropped).
 */
import { browser } from 'wxt/browser';

export interface DockPlace {
  right: number;
  bottom: number;
}

/** The storage.local key of a site's dock place. */
export function dockPlaceKey(host: string): string {
  return `dock:${host}`;
}

/** A stored place, if it is one (anything else: null). */
export function parseDockPlace(v: unknown): DockPlace | null {
  if (!v || typeof v !== 'object') return null;
  const { right, bottom } = v as Record<string, unknown>;
  if (typeof right !== 'number' || typeof bottom !== 'number') return null;
  if (!Number.isFinite(right) || !Number.isFinite(bottom)) return null;
  return { right, bottom };
}

/** Where a dock's place is kept (storage.local in the extension; tests may hand in another). */
export interface DockPlaceStore {
  get(host: string): Promise<DockPlace | null>;
  set(host: string, place: DockPlace): Promise<void>;
}

/** The site's stored place, or null (none, not a place, or no storage). */
export async function getDockPlace(host: string): Promise<DockPlace | null> {
  const key = dockPlaceKey(host);
  try {
    const got = await browser.storage.local.get(key);
    return parseDockPlace((got as Record<string, unknown>)[key]);
  } catch {
    return null;
  }
}

/** Keeps the site's place; a failed write (no storage any more) is dropped: the dock still moves. */
export async function setDockPlace(host: string, place: DockPlace): Promise<void> {
  try {
    await browser.storage.local.set({ [dockPlaceKey(host)]: { right: place.right, bottom: place.bottom } });
  } catch {
    /* the extension context is gone: nothing to keep */
  }
}

export const dockPlaceStore: DockPlaceStore = { get: getDockPlace, set: setDockPlace };
