export type StoreErrorCode = 'STORE_MIGRATION_FAILED' | 'STORE_LEDGER_CORRUPT';

declare module '../core/vigil-error.js' {
  interface ErrorCodeRegistry {
    store: StoreErrorCode;
  }
}
