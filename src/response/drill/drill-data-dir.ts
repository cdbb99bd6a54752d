import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { VigilError } from '../../core/vigil-error.js';
import type { DrillErrorCode } from './errors.js';

/** Where a drill keeps its store: a new temporary directory, or the `--keep` one, which must be new or empty. */
export interface DrillDataDir {
  readonly path: string;
  readonly kept: boolean;
  /** Removes a temporary directory (a kept one stays). */
  dispose(): void;
}

export function drillDataDir(keep: string | undefined, env: NodeJS.ProcessEnv): DrillDataDir {
  if (keep === undefined) {
    const dir = mkdtempSync(path.join(env['TMPDIR'] || os.tmpdir(), 'vigil-drill-'));
    return { path: dir, kept: false, dispose: () => rmSync(dir, { recursive: true, force: true }) };
  }
  let entries: string[] = [];
  try {
    entries = readdirSync(keep);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
      throw new VigilError<DrillErrorCode>(
        'DRILL_KEEP_IN_USE',
        `--keep ${keep} cannot be read as a directory`,
        {
          category: 'input',
          details: { keep },
          cause: error,
        },
      );
  }
  if (entries.length > 0)
    throw new VigilError<DrillErrorCode>(
      'DRILL_KEEP_IN_USE',
      `--keep ${keep} is not empty; a drill writes its store only into a new or empty directory`,
      { category: 'input', details: { keep } },
    );
  mkdirSync(keep, { recursive: true, mode: 0o700 });
  return { path: keep, kept: true, dispose: () => undefined };
}
