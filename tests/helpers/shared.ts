import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** ../shared beside the repository (present in CI, absent in a user's clone). */
export const SHARED_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../../shared');
export const REPO_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const FIXTURES_DIR = resolve(REPO_DIR, 'tests/fixtures');

/**
 * Absolute path of a file under ../shared, or null when it is absent. When absent, the first call for each
 * file prints a visible message so a skipped test never passes silently.
 */
const warned = new Set<string>();
export function sharedFile(rel: string): string | null {
  const p = resolve(SHARED_DIR, rel);
  if (existsSync(p)) return p;
  if (!warned.has(rel)) {
    warned.add(rel);
    console.warn(`[skip] ../shared/${rel} is absent: tests that need it are skipped (CI always has it).`);
  }
  return null;
}
