import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { VigilError } from '../core/vigil-error.js';
import type { DemoErrorCode } from './errors.js';

/** What marks a directory as someone's data directory (docs/design.md "Data directory"). */
const STORE_MARKS = ['vigil.yaml', 'vigil.db', 'keys'] as const;

/**
 * Where the demo keeps its data. By default a fresh directory under the system's temporary
 * directory (`$TMPDIR`), never the working directory: running the demo inside a checkout must not
 * leave files there for its linters and formatters to trip on. A directory given with `--data` is
 * used only if it holds no store: the demo writes its own configuration and simulated events, and
 * must never mix them into a real collector's data.
 */
export function demoDataDir(given: string | undefined, env: NodeJS.ProcessEnv): string {
  if (given === undefined) {
    const base = env['TMPDIR'] || os.tmpdir();
    return mkdtempSync(path.join(base, 'vigil-demo-'));
  }
  const found = STORE_MARKS.filter((mark) => existsSync(path.join(given, mark)));
  if (found.length > 0)
    throw new VigilError<DemoErrorCode>(
      'DEMO_DATA_IN_USE',
      `${given} already holds a store (${found.join(', ')}); the demo needs a new or empty directory: give another --data, or none for a temporary one`,
      { category: 'input', details: { dataDir: given } },
    );
  mkdirSync(given, { recursive: true, mode: 0o700 });
  return given;
}
