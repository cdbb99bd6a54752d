import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect } from 'kysely';
import { VigilError } from '../../core/vigil-error.js';
import type { VigilDatabase } from '../database-schema.js';
import type { StoreErrorCode } from '../errors.js';
import { MIGRATIONS } from '../migrations/index.js';
import { sqliteBulkWriter, type BulkWriter } from './sqlite-bulk-writer.js';
import { startWalCheckpointer, type WalCheckpointer } from './wal-checkpointer.js';

export const STORE_FILE = 'vigil.db';

/**
 * Opens (creating and migrating) the embedded store: one SQLite file in the data directory, WAL
 * mode. `synchronous = NORMAL` under WAL keeps every committed transaction across a process crash
 * (SIGKILL); only a power loss can drop the last commits, never corrupt the file (sqlite.org/wal.html).
 */
export async function openSqliteStore(dataDir: string): Promise<Kysely<VigilDatabase>> {
  return (await openSqliteStoreWithBulk(dataDir)).db;
}

/**
 * The store plus the SQLite fast path for ingest (see sqlite-bulk-writer.ts) and, for a bulk writer
 * (`backgroundCheckpoints`), WAL checkpoints on another thread (wal-checkpointer.ts).
 */
export async function openSqliteStoreWithBulk(
  dataDir: string,
  options: { backgroundCheckpoints?: boolean } = {},
): Promise<{ db: Kysely<VigilDatabase>; bulk: BulkWriter; checkpointer?: WalCheckpointer }> {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = path.join(dataDir, STORE_FILE);
  const sqlite = new Database(file);
  // An event row is about 2.5 KB: on 4 KiB pages each takes a page of its own and wastes 40%.
  // 16 KiB pages hold six. Only a new, empty file takes the setting (before WAL is switched on).
  sqlite.pragma('page_size = 16384');
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('busy_timeout = 5000');
  // Verify and search read the whole store in order: memory-mapped reads and a 64 MiB page cache
  // save a copy per page (about a third of read time on a million events). Writes still go
  // through the WAL, so mmap does not weaken crash safety.
  sqlite.pragma('mmap_size = 1073741824');
  sqlite.pragma('cache_size = -65536');
  const db = new Kysely<VigilDatabase>({ dialect: new SqliteDialect({ database: sqlite }) });
  const { error } = await new Migrator({
    db,
    provider: { getMigrations: () => Promise.resolve(MIGRATIONS) },
    allowUnorderedMigrations: true,
  }).migrateToLatest();
  if (error) {
    await db.destroy();
    throw new VigilError<StoreErrorCode>(
      'STORE_MIGRATION_FAILED',
      `could not migrate ${STORE_FILE}: ${String(error)}`,
      {
        category: 'external',
        cause: error,
      },
    );
  }
  const checkpointer = options.backgroundCheckpoints ? startWalCheckpointer(sqlite, file) : undefined;
  return { db, bulk: sqliteBulkWriter(sqlite), ...(checkpointer ? { checkpointer } : {}) };
}
