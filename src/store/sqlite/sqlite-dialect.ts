import { sql } from 'kysely';
import type { StoreDialect } from '../store.js';
import { ledgerWithoutRowidMigration } from './ledger-without-rowid.js';

/** SQLite's spelling of the few expressions the neutral code leaves to the dialect. */
export const SQLITE_DIALECT: StoreDialect = {
  name: 'sqlite',
  // SQLite text may hold any bytes; the cast hands them over unchanged.
  textBytes: (column) => sql<Uint8Array>`cast(${sql.ref(column)} as blob)`,
  idColumn: (table, name) => table.addColumn(name, 'integer', (c) => c.primaryKey().autoIncrement()),
  migrations: { '004-ledger-without-rowid': () => ledgerWithoutRowidMigration },
};
