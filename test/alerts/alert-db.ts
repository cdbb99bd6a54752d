import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { alertsMigration } from '../../src/store/migrations/002-alerts.js';
import type { AlertDatabase } from '../../src/alerts/alert-tables.js';

/** A real in-memory SQLite database with the alert tables migrated in. */
export async function openAlertDb(): Promise<Kysely<AlertDatabase>> {
  const db = new Kysely<AlertDatabase>({
    dialect: new SqliteDialect({ database: new Database(':memory:') }),
  });
  await alertsMigration.up(db as unknown as Kysely<unknown>);
  return db;
}
