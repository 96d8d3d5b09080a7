import { DEFAULT_MATCHES } from '../src/sites';
import { startContent } from '../src/content/main';

export default defineContentScript({
  matches: DEFAULT_MATCHES,
  runAt: 'document_idle',
  main(ctx) {
    startContent(ctx);
  },
});
