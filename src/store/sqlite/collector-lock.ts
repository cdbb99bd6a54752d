import { closeSync, mkdirSync, openSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { VigilError } from '../../core/vigil-error.js';
import type { StoreErrorCode } from '../errors.js';

/** The lock file in the data directory; it holds no data. */
export const COLLECTOR_LOCK_FILE = 'collector.lock';

export interface CollectorLock {
  release(): void;
}

/**
 * One collector per store. Two collectors on one data directory would interleave their cursors and
 * checkpoints; the second is refused at start-up instead. The lock is an exclusive SQLite
 * transaction on a file of its own: SQLite takes it with a POSIX advisory lock, which the kernel
 * drops when the holding process ends, however it ends, so a collector killed with SIGKILL leaves
 * no stale lock behind and the next one starts at once. Not on `vigil.db` itself: readers (`verify`,
 * `events`) must go on reading while a collector runs.
 */
export function acquireCollectorLock(dataDir: string): CollectorLock {
  const file = path.join(dataDir, COLLECTOR_LOCK_FILE);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  let db: Database.Database | undefined;
  try {
    // Created 0600 here: SQLite would create it with the process's umask.
    closeSync(openSync(file, 'a', 0o600));
    // No busy wait: a lock held now is held by a running collector.
    db = new Database(file, { timeout: 0 });
    // No journal file beside the lock: nothing is ever written.
    db.pragma('journal_mode = MEMORY');
    db.exec('BEGIN EXCLUSIVE');
  } catch (error) {
    db?.close();
    if ((error as { code?: unknown }).code === 'SQLITE_BUSY')
      throw new VigilError<StoreErrorCode>(
        'STORE_LOCKED',
        `another collector is already running on ${dataDir} (it holds ${file}); stop it first — the lock is released as soon as that process ends, even if it is killed`,
        { category: 'input', details: { file } },
      );
    throw new VigilError<StoreErrorCode>('STORE_OPEN_FAILED', `cannot lock ${file}: ${String(error)}`, {
      category: 'external',
      details: { file },
      cause: error,
    });
  }
  const held = db;
  return {
    release: () => {
      if (!held.open) return;
      held.exec('ROLLBACK');
      held.close();
    },
  };
}
