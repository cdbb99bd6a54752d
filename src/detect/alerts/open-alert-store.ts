import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect } from 'kysely';
import type { Clock } from '../../core/clock.js';
import { alertsMigration } from '../../store/migrations/002-alerts.js';
import type { AlertDatabase } from './alert-tables.js';
import { AlertStore } from './alert-store.js';

/** DESIGN.md "Storage": one SQLite file in the data directory, WAL mode. */
export const STORE_FILE = 'vigil.db';

export interface OpenedAlertStore {
  readonly store: AlertStore;
  close(): Promise<void>;
}

/**
 * Opens the alert tables in the data directory's SQLite store, migrating them in if needed.
 * Interim composition until src/store offers one opener for every table: it runs only the alerts
 * migration, under the same name the store's migration list uses, and tolerates unordered
 * migrations so the store's own earlier migrations still apply later.
 */
export async function openAlertStore(
  dataDir: string,
  clock: Clock,
  options: { dedupWindowMs?: number } = {},
): Promise<OpenedAlertStore> {
  mkdirSync(dataDir, { recursive: true });
  const sqlite = new Database(path.join(dataDir, STORE_FILE));
  sqlite.pragma('journal_mode = WAL');
  const db = new Kysely<AlertDatabase>({ dialect: new SqliteDialect({ database: sqlite }) });
  const migrator = new Migrator({
    db,
    provider: { getMigrations: () => Promise.resolve({ '002-alerts': alertsMigration }) },
    allowUnorderedMigrations: true,
  });
  const { error } = await migrator.migrateToLatest();
  if (error) {
    await db.destroy();
    throw error;
  }
  return {
    store: new AlertStore(db, { clock, ...options }),
    close: () => db.destroy(),
  };
}
