import { startBackground } from '../src/background/main';
import { openWelcomeOnInstall } from '../src/background/welcome';

export default defineBackground(() => {
  startBackground();
  // The first-run page, once: on install, not on an update of HedgeLens or of the browser.
  openWelcomeOnInstall();
});
