/// <reference lib="webworker" />
/**
 * The Web Worker entry. Created by the overlay frame (an extension page), which is the one place a worker
 * can be started under strict page CSPs (DESIGN.md §1). Every party that talks to the engine — the frame
 * itself and the content script — attaches through its own MessagePort; the worker's global port carries
 * only attach requests.
 */
import { expose } from 'comlink';
import { createEngine } from './engine';
import { isMessage, type ToWorker } from '../messages';

const engine = createEngine();

self.addEventListener('message', (event: MessageEvent) => {
  if (isMessage<ToWorker>(event.data, 'hedgelens:attach')) {
    const port = event.data.port;
    expose(engine, port);
    port.start();
  }
});
