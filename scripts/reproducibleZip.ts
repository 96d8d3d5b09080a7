/**
 * Rewrites a zip so that the same files give the same bytes: entries sorted by path, no folder entries, every
 * entry dated 1980-01-01 00:00 UTC (the zip format's first date) with plain file permissions, DEFLATE level 9.
 * WXT's own archives (JSZip) date each entry with the time of zipping, so two zips of one build differed.
 */
import { readFile, writeFile } from 'node:fs/promises';
import JSZip from 'jszip';

const EPOCH = new Date(Date.UTC(1980, 0, 1, 0, 0, 0));

export async function reproducibleZip(zipPath: string): Promise<void> {
  const before = await JSZip.loadAsync(await readFile(zipPath));
  const files = Object.values(before.files)
    .filter((f) => !f.dir)
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const after = new JSZip();
  for (const f of files) {
    after.file(f.name, await f.async('uint8array'), {
      date: EPOCH,
      createFolders: false,
      unixPermissions: 0o644,
      dosPermissions: null,
    });
  }
  const bytes = await after.generateAsync({
    type: 'nodebuffer',
    platform: 'UNIX',
    compression: 'DEFLATE',
    compressionOptions: { level: 9 },
  });
  await writeFile(zipPath, bytes);
}
