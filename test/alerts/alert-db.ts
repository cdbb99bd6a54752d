import type { Kysely } from 'kysely';
import { onTestFinished } from 'vitest';
import type { VigilDatabase } from '../../src/store/database-schema.js';
import { openSqliteStore } from '../../src/store/sqlite/open-sqlite.js';
import { tempDir } from '../support/temp-dir.js';

/**
 * A real store (SQLite, every migration applied, as `vigil collect` opens it) in a fresh temp dir,
 * for the alert tables. Closed when the test that opened it finishes (closing again is harmless).
 */
export async function openAlertDb(): Promise<Kysely<VigilDatabase>> {
  const store = await openSqliteStore({ dataDir: tempDir('vigil-alert-db-'), access: 'write' });
  try {
    onTestFinished(() => store.close());
  } catch {
    // Outside a test: the caller closes it (db.destroy()).
  }
  return store.db;
}
