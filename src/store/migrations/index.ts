import type { Migration } from 'kysely';
import { custodyMigration } from './001-custody.js';
import { alertsMigration } from './002-alerts.js';
import { detectionCursorMigration } from './003-detection-cursor.js';
import { ledgerWithoutRowidMigration } from './004-ledger-without-rowid.js';

/** Every migration, by name; Kysely applies them in name order. */
export const MIGRATIONS: Readonly<Record<string, Migration>> = {
  '001-custody': custodyMigration,
  '002-alerts': alertsMigration,
  '003-detection-cursor': detectionCursorMigration,
  '004-ledger-without-rowid': ledgerWithoutRowidMigration,
};
