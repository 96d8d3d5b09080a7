/** The extension's own pages that more than one part links to. */

/** The first-run page (entrypoints/welcome): opened once on install, linked from Options. */
export const WELCOME_PATH = '/welcome.html';
