/**
 * The CLI's IO for tests: stdout and stderr collected as text, files from memory (and, when `disk` is given, from
 * that folder on disk for any path not in memory), and a fixed clock.
 */
import { readFile } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import type { CliIo } from '../../src/cli/io.ts';

export type MemoryIo = CliIo & { out: string; err: string };

export function memoryIo(opts: { files?: Record<string, string>; now?: string; disk?: string } = {}): MemoryIo {
  const files = opts.files ?? {};
  const io: MemoryIo = {
    out: '',
    err: '',
    stdout: (t) => void (io.out += t),
    stderr: (t) => void (io.err += t),
    readFile: async (p) => {
      if (p in files) return files[p]!;
      if (opts.disk === undefined) throw Object.assign(new Error(`ENOENT: ${p}`), { code: 'ENOENT' });
      return readFile(isAbsolute(p) ? p : resolve(opts.disk, p), 'utf8');
    },
    now: () => new Date(opts.now ?? '2026-03-14T12:00:00Z'),
  };
  return io;
}
