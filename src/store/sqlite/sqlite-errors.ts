import type { Database } from 'better-sqlite3';
import type { SqliteDatabase, SqliteStatement } from 'kysely';
import { VigilError } from '../../core/vigil-error.js';
import type { StoreErrorCode } from '../errors.js';

/**
 * A full disk as one clear error naming the store, instead of SQLite's "database or disk is full"
 * stack. The store survives it (the failed transaction is rolled back, every earlier commit stays),
 * so the error says what to do, not what broke inside.
 */
export function storeError(error: unknown, file: string): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  if (code !== 'SQLITE_FULL') return error;
  return new VigilError<StoreErrorCode>(
    'STORE_DISK_FULL',
    `disk full at ${file}: nothing was lost; free space (or move the data directory) and run again`,
    { category: 'external', details: { file }, cause: error },
  );
}

/** `fn` with its SQLite errors passed through `storeError`. */
export function mappingErrors<A extends unknown[], R>(
  file: string,
  fn: (...args: A) => R,
): (...args: A) => R {
  return (...args) => {
    try {
      return fn(...args);
    } catch (error) {
      throw storeError(error, file);
    }
  };
}

const NO_OP: SqliteStatement = {
  reader: false,
  all: () => [],
  run: () => ({ changes: 0, lastInsertRowid: 0 }),
  iterate: () => [][Symbol.iterator](),
};

/**
 * The connection as Kysely sees it. SQLite rolls a transaction back by itself on SQLITE_FULL (and
 * IOERR, NOMEM; sqlite.org/lang_transaction.html "Response To Errors Within A Transaction"); Kysely
 * then sends ROLLBACK, which fails with "cannot rollback - no transaction is active" and replaces
 * the error that caused it. So a ROLLBACK with no transaction open is a no-op, and every statement's
 * errors go through `storeError`.
 */
export function guardedDatabase(sqlite: Database, file: string): SqliteDatabase {
  return {
    close: () => sqlite.close(),
    prepare: (sql) => {
      if (/^\s*rollback\s*$/i.test(sql) && !sqlite.inTransaction) return NO_OP;
      const statement = mappingErrors(file, (s: string) => sqlite.prepare(s))(sql);
      return {
        reader: statement.reader,
        all: mappingErrors(file, (p: readonly unknown[]) => statement.all(p)),
        run: mappingErrors(file, (p: readonly unknown[]) => statement.run(p)),
        iterate: mappingErrors(file, (p: readonly unknown[]) => statement.iterate(p)),
      };
    },
  };
}
