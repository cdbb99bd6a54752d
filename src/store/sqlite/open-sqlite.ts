import { chmodSync, closeSync, existsSync, mkdirSync, openSync, statSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect } from 'kysely';
import { VigilError } from '../../core/vigil-error.js';
import type { VigilDatabase } from '../database-schema.js';
import type { StoreErrorCode } from '../errors.js';
import { storeMigrations } from '../migrations/index.js';
import type { Store, StoreAccess, StoreCapabilities } from '../store.js';
import { parallelLeafRanges, parallelLeafRangesAvailable } from './parallel-leaf-ranges.js';
import { SQLITE_DIALECT } from './sqlite-dialect.js';
import { guardedDatabase } from './sqlite-errors.js';
import { sqliteBulkWriter } from './sqlite-bulk-writer.js';
import { startWalCheckpointer } from './wal-checkpointer.js';

export const STORE_FILE = 'vigil.db';

export interface SqliteStoreOptions {
  /** The data directory; the store is `vigil.db` inside it. */
  readonly dataDir: string;
  /** `read`: the store must exist (a missing one is an error naming it), and nothing is created. */
  readonly access: StoreAccess;
  /** A bulk writer (collect, demo): reads through a small page cache, without memory-mapping. */
  readonly bulk?: boolean;
  /** WAL checkpoints on a thread of their own (wal-checkpointer.ts): a local bulk replay's. */
  readonly backgroundCheckpoints?: boolean;
  /** Worker threads for checking ledger ranges (verify); 0 checks on the calling thread. */
  readonly verifyWorkers?: number;
  /** Ledgers below this many leaves are checked on the calling thread (worker start-up costs more). */
  readonly parallelFromLeaves?: number;
  /** Ranges of 2^rangeLevel leaves (small in tests, to get many ranges). */
  readonly rangeLevel?: number;
  /**
   * Tests: SQLite's `max_page_count` once the store is migrated, so that a write past it fails as a
   * full disk does (SQLITE_FULL), without filling one.
   */
  readonly maxPageCount?: number;
}

/**
 * The store holds every event: only its owner may read it. SQLite creates a new file 0644 (less the
 * umask) and gives `-wal` and `-shm` the database file's mode, so the file is created 0600 first
 * (an empty file is an empty database) and a store, WAL or shared-memory file left wider by an
 * older version is narrowed.
 */
function ownerOnly(file: string): void {
  try {
    closeSync(openSync(file, 'wx', 0o600));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') return; // the open below names the problem
  }
  for (const f of [file, `${file}-wal`, `${file}-shm`]) {
    try {
      if ((statSync(f).mode & 0o077) !== 0) chmodSync(f, 0o600);
    } catch {
      // absent (no WAL yet), or not ours to change: SQLite's open reports what matters
    }
  }
}

const fail = (code: StoreErrorCode, message: string, file: string, cause?: unknown) =>
  new VigilError<StoreErrorCode>(code, message, {
    category: code === 'STORE_MISSING' ? 'input' : 'external',
    details: { file },
    cause,
  });

/**
 * The embedded store: one SQLite file in the data directory, WAL mode, every migration applied.
 * `synchronous = NORMAL` under WAL keeps every committed transaction across a process crash
 * (SIGKILL); only a power loss can drop the last commits, never corrupt the file (sqlite.org/wal.html).
 */
export async function openSqliteStore(options: SqliteStoreOptions): Promise<Store> {
  const file = path.join(options.dataDir, STORE_FILE);
  if (options.access === 'read' && !existsSync(file))
    throw fail('STORE_MISSING', `no store at ${file} (run vigil collect first, or check --data)`, file);
  if (options.access === 'write') {
    mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
    ownerOnly(file);
  }
  let sqlite: Database.Database | undefined;
  try {
    sqlite = new Database(file, { fileMustExist: options.access === 'read' });
    // An event row is about 2.5 KB: on 4 KiB pages each takes a page of its own and wastes 40%.
    // 16 KiB pages hold six. Only a new, empty file takes the setting (before WAL is switched on).
    sqlite.pragma('page_size = 16384');
    sqlite.pragma('journal_mode = WAL');
  } catch (error) {
    sqlite?.close();
    throw fail('STORE_OPEN_FAILED', `cannot open ${file}: ${String(error)}`, file, error);
  }
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('busy_timeout = 5000');
  // Verify and search read the whole store in order: memory-mapped reads and a 64 MiB page cache
  // save a copy per page (about a third of read time on a million events). Writes still go
  // through the WAL, so mmap does not weaken crash safety. A bulk writer (collect, demo) reads
  // little, and every mapped page it touches stays in its resident memory, which then grows with
  // the store (issue 20): it reads through a small page cache instead.
  sqlite.pragma(options.bulk ? 'mmap_size = 0' : 'mmap_size = 1073741824');
  sqlite.pragma(options.bulk ? 'cache_size = -8192' : 'cache_size = -65536');
  const db = new Kysely<VigilDatabase>({
    dialect: new SqliteDialect({ database: guardedDatabase(sqlite, file) }),
  });
  const migrator = new Migrator({
    db,
    provider: { getMigrations: () => Promise.resolve(storeMigrations(SQLITE_DIALECT)) },
    allowUnorderedMigrations: true,
  });
  if (options.access === 'read') {
    // A reader never changes what it reads: a store an older Vigil wrote is migrated by a writer.
    const pending = (await migrator.getMigrations()).filter((m) => m.executedAt === undefined);
    if (pending.length > 0) {
      await db.destroy();
      throw new VigilError<StoreErrorCode>(
        'STORE_OUTDATED',
        `the store at ${file} was written by an older Vigil (${pending.length} migration(s) not applied, from ${pending[0]!.name}): run vigil collect once, which migrates it, then read it`,
        { category: 'input', details: { file, pending: pending.map((m) => m.name) } },
      );
    }
  }
  const { error } = await migrator.migrateToLatest();
  if (error) {
    await db.destroy();
    throw fail('STORE_MIGRATION_FAILED', `could not migrate ${file}: ${String(error)}`, file, error);
  }
  // Tests reach "disk full" through SQLite's own page limit instead of filling a disk.
  if (options.maxPageCount !== undefined) sqlite.pragma(`max_page_count = ${options.maxPageCount}`);
  const checkpointer = options.backgroundCheckpoints ? startWalCheckpointer(sqlite, file) : undefined;
  const workers = parallelLeafRangesAvailable() ? Math.max(0, options.verifyWorkers ?? 0) : 0;
  const capabilities: StoreCapabilities = {
    bulk: sqliteBulkWriter(sqlite, file),
    ...(checkpointer ? { walCheckpoints: checkpointer } : {}),
    leafRanges: {
      ranges: (source, check, end) =>
        parallelLeafRanges(
          {
            dbFile: file,
            workers,
            ...(options.rangeLevel === undefined ? {} : { rangeLevel: options.rangeLevel }),
            minLeaves: options.parallelFromLeaves ?? 50_000,
          },
          source,
          check,
          end,
        ),
    },
  };
  return {
    db,
    dialect: SQLITE_DIALECT,
    capabilities,
    close: async () => {
      await checkpointer?.close();
      await db.destroy();
    },
  };
}
