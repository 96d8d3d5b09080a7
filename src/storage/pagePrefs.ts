/**
 * How HedgeLens may touch the broker's page. Marks on the rows of the condor's legs and breakevens tell the page's
 * own scripts which strikes are the position (DESIGN: position data never in the page's DOM), so they are off
 * unless the trader turns them on, knowing that. The expected-move band (market data) and click-to-build picks are
 * not position data and are always available.
 */
import { storage } from '@wxt-dev/storage';

export const MARK_POSITION_ROWS_KEY = 'local:markPositionRows' as const;

export async function getMarkPositionRows(): Promise<boolean> {
  return (await storage.getItem<boolean>(MARK_POSITION_ROWS_KEY).catch(() => null)) === true;
}

export async function setMarkPositionRows(on: boolean): Promise<void> {
  await storage.setItem(MARK_POSITION_ROWS_KEY, on);
}

/** Calls back now and on every change. */
export function watchMarkPositionRows(onChange: (on: boolean) => void): () => void {
  void getMarkPositionRows().then(onChange);
  return storage.watch<boolean>(MARK_POSITION_ROWS_KEY, (v) => onChange(v === true));
}
