/** Error codes of the store port and its dialects. */
export type StoreErrorCode =
  /** A migration failed; the store is left as it was before it. */
  | 'STORE_MIGRATION_FAILED'
  /** The ledger's stored nodes cannot be resumed from: run `vigil verify`. */
  | 'STORE_LEDGER_CORRUPT'
  /** A command that only reads found no store (it never creates one); the message names the path. */
  | 'STORE_MISSING'
  /** A command that only reads found a store written by an older Vigil: it never migrates one. */
  | 'STORE_OUTDATED'
  /** The database could not be opened (not a database, no permission, locked). */
  | 'STORE_OPEN_FAILED'
  /** The disk holding the store is full (SQLITE_FULL): the write was rolled back, nothing lost. */
  | 'STORE_DISK_FULL'
  /** Another collector holds the data directory's collector lock (store/sqlite/collector-lock.ts). */
  | 'STORE_LOCKED';

declare module '../core/vigil-error.js' {
  interface ErrorCodeRegistry {
    store: StoreErrorCode;
  }
}
