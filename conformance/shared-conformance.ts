import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where `../shared/conformance` is, or undefined on a user's fresh clone that has no `../shared`.
 * Suites use `describe.skipIf(!CONFORMANCE_DIR)` and say "skipped: ../shared/conformance is absent".
 */
const here = path.dirname(fileURLToPath(import.meta.url));
const candidate = path.resolve(here, '..', '..', 'shared', 'conformance');

export const CONFORMANCE_DIR: string | undefined = existsSync(candidate) ? candidate : undefined;

export const SKIP_REASON = 'skipped: ../shared/conformance is absent';

/** Absolute path of a file under the conformance folder (only call when CONFORMANCE_DIR is set). */
export function conformancePath(...parts: string[]): string {
  if (!CONFORMANCE_DIR) throw new Error(SKIP_REASON);
  return path.join(CONFORMANCE_DIR, ...parts);
}

if (!CONFORMANCE_DIR) console.warn(SKIP_REASON);
