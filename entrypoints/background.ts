import { startBackground } from '../src/background/main';
import { openWelcomeOnInstall } from './welcome/install';

export default defineBackground(() => {
  startBackground();
  // The first-run page, once: on install, not on an update of HedgeLens or of the browser.
  openWelcomeOnInstall();
});
