import type { Migration } from 'kysely';
import type { StoreDialect } from '../store.js';
import { custodyMigration } from './001-custody.js';
import { alertsMigration } from './002-alerts.js';
import { detectionCursorMigration } from './003-detection-cursor.js';
import { ledgerRecordsMigration } from './005-ledger-records.js';
import { alertOutboxMigration } from './006-alert-outbox.js';
import { witnessCosignaturesMigration } from './007-witness-cosignatures.js';
import { rewrittenEventsMigration } from './008-rewritten-events.js';
import { detectorStateMigration } from './009-detector-state.js';
import { incidentsMigration } from './011-incidents.js';
import { consoleAccountsMigration } from './010-console-accounts.js';
import { alertLedgerMigration } from './013-alert-ledger.js';
import { eventActorLoginIndexMigration } from './014-event-actor-login-index.js';

/** The migrations every dialect runs, by name; Kysely applies them in name order. */
const NEUTRAL: Readonly<Record<string, (dialect: StoreDialect) => Migration>> = {
  '001-custody': custodyMigration,
  '002-alerts': () => alertsMigration,
  '003-detection-cursor': () => detectionCursorMigration,
  '005-ledger-records': () => ledgerRecordsMigration,
  '006-alert-outbox': () => alertOutboxMigration,
  '007-witness-cosignatures': () => witnessCosignaturesMigration,
  '008-rewritten-events': () => rewrittenEventsMigration,
  '009-detector-state': () => detectorStateMigration,
  '011-incidents': () => incidentsMigration,
  '010-console-accounts': () => consoleAccountsMigration,
  '013-alert-ledger': () => alertLedgerMigration,
  '014-event-actor-login-index': () => eventActorLoginIndexMigration,
};

/** Every migration a store of `dialect` runs: the neutral ones and the dialect's own. */
export function storeMigrations(dialect: StoreDialect): Record<string, Migration> {
  const all: Record<string, Migration> = {};
  for (const [name, make] of Object.entries({ ...NEUTRAL, ...dialect.migrations })) all[name] = make(dialect);
  return all;
}
