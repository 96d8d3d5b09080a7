/**
 * Vitest hooks shared by the end-to-end files: one fixture server (and one Chromium with the built extension)
 * for the whole file, started in beforeAll and closed in afterAll. Kept apart from harness.ts, which the
 * benches and scripts/demo.ts import outside Vitest.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import {
  closeOpenSessions,
  launchExtension,
  startFixtureServer,
  type ExtensionSession,
  type FixtureServer,
} from './harness';

function started<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`${what} is not started: use it inside a test or a hook`);
  return value;
}

/** A fixture server for the file (beforeAll → afterAll); read `.server` inside tests and hooks. */
export function useFixtureServer(): { readonly server: FixtureServer } {
  let server: FixtureServer | undefined;
  beforeAll(async () => {
    server = await startFixtureServer();
  });
  afterAll(async () => {
    await closeOpenSessions(); // a test that failed half-way may have left its browser open
    await server?.close();
  });
  return {
    get server() {
      return started(server, 'the fixture server');
    },
  };
}

/**
 * A fixture server and one Chromium with the extension for the whole file (beforeAll → afterAll; the browser
 * closes before the server). Read `.session` and `.server` inside tests and hooks.
 */
export function useExtensionSession(): { readonly session: ExtensionSession; readonly server: FixtureServer } {
  let server: FixtureServer | undefined;
  let session: ExtensionSession | undefined;
  beforeAll(async () => {
    server = await startFixtureServer();
    session = await launchExtension();
  });
  afterAll(async () => {
    await session?.close();
    await closeOpenSessions();
    await server?.close();
  });
  return {
    get session() {
      return started(session, 'the extension session');
    },
    get server() {
      return started(server, 'the fixture server');
    },
  };
}

/** A temporary directory made now, removed after the file's tests. */
export function useTempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  return dir;
}
