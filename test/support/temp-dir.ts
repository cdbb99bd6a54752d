import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, onTestFinished } from 'vitest';

/**
 * Temporary directories that remove themselves. Every test that needs a scratch directory takes it
 * from `tempDir`, so a run leaves nothing behind in `os.tmpdir()`.
 *
 * - Made inside a test (or its `beforeEach`): removed when that test finishes, after its `afterEach`
 *   hooks have closed whatever still had files open there.
 * - Made anywhere else (at collection, in `beforeAll`): removed once the test file is done, after
 *   every other `afterAll` hook.
 */
const fileScoped: string[] = [];

/** Removes a directory and everything in it; a directory already gone is fine. */
export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
}

// Registered while the importing test file is collected, before any of that file's own hooks: with
// Vitest's default "stack" order this runs last, once the file's servers and stores are closed.
afterAll(() => {
  for (const dir of fileScoped.splice(0)) removeDir(dir);
});

/** A fresh directory under `os.tmpdir()`, named `<prefix>XXXXXX`, removed as described above. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  try {
    onTestFinished(() => removeDir(dir));
  } catch {
    // Not inside a test: Vitest refuses onTestFinished there, so the file's afterAll removes it.
    fileScoped.push(dir);
  }
  return dir;
}
