import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * The absolute path of a compiled worker script, `dist/<parts>`. Worker threads run compiled
 * JavaScript, which the globalSetup (test/support/build-dist.ts) builds before any test; if the file
 * is still missing the test file fails here, naming it, instead of skipping or quietly running
 * everything on the main thread.
 */
export function compiledWorker(...parts: string[]): string {
  const file = path.join(ROOT, 'dist', ...parts);
  if (!existsSync(file))
    throw new Error(
      `${path.relative(ROOT, file)} is missing: this test runs it on a worker thread. Run \`npm run build\` ` +
        '(vitest normally builds dist/ first, in test/support/build-dist.ts) and look at what tsc reports.',
    );
  return file;
}
