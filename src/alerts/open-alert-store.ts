import type { Kysely } from 'kysely';
import type { Clock } from '../core/clock.js';
import { openSqliteStore } from '../store/sqlite/open-sqlite.js';
import type { AlertDatabase } from './alert-tables.js';
import { AlertStore } from './alert-store.js';

export { STORE_FILE } from '../store/sqlite/open-sqlite.js';

export interface OpenedAlertStore {
  readonly store: AlertStore;
  close(): Promise<void>;
}

/** Opens the alert tables in the data directory's store (every migration applied, see src/store). */
export async function openAlertStore(
  dataDir: string,
  clock: Clock,
  options: { dedupWindowMs?: number } = {},
): Promise<OpenedAlertStore> {
  const db = (await openSqliteStore(dataDir)) as unknown as Kysely<AlertDatabase>;
  return {
    store: new AlertStore(db, { clock, ...options }),
    close: () => db.destroy(),
  };
}
