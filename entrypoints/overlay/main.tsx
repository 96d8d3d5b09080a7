import { newEngineWorker } from '../../src/ui/engineWorker';
import '../../src/ui/theme.css';

// The engine's worker starts first, while the panel's code loads: each is some 60 KB compressed, and the worker's
// own load and compile took 80–120 ms after the panel's had finished (measured on the 146-row demo, 2 Dec), so the
// first numbers waited for both in turn. Now they load side by side.
const first = newEngineWorker();
void Promise.all([import('preact'), import('../../src/ui/overlayFrame')]).then(([{ render }, { startOverlayFrame }]) =>
  startOverlayFrame(document.getElementById('app')!, render, first),
);
