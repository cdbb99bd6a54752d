import type { Clock } from '../../src/core/clock.js';
import { CustodyStore } from '../../src/custody/custody-store.js';
import { fileSignerProvider } from '../../src/keys/key-providers.js';
import type { CheckpointPolicy } from '../../src/ledger/checkpoint-schedule.js';
import { openSqliteStore, type SqliteStoreOptions } from '../../src/store/sqlite/open-sqlite.js';

export interface TestCustodyOptions extends Omit<SqliteStoreOptions, 'dataDir' | 'access'> {
  readonly policy?: CheckpointPolicy;
}

/**
 * A writer's custody store in `dataDir`, composed from the seams as the runtime does: the SQLite
 * store (created when missing), and a custody store signing with the data directory's key files
 * (created on first use). `close` closes the store.
 */
export async function openTestCustody(dataDir: string, clock: Clock, options: TestCustodyOptions = {}) {
  const { policy, ...storeOptions } = options;
  const store = await openSqliteStore({ dataDir, access: 'write', ...storeOptions });
  const signerFor = fileSignerProvider(dataDir);
  const custody = new CustodyStore(store, clock, signerFor, policy);
  return { store, custody, db: store.db, signerFor, close: () => store.close() };
}
