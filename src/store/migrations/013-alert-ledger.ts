import type { Kysely, Migration } from 'kysely';

/**
 * Alerts and the detection mark are ledgered (issue 19): records of kind `alerts` in
 * `<source>/alerts` and of kind `detection-marks` in `<source>/detection-marks`. `vigil verify` reads
 * every record of a kind across sources, hence the index. A store written before this is refused
 * by readers (STORE_OUTDATED) until a writer opens it: the writer migrates it and ledgers the
 * alerts, transitions and detection marks it already holds (runtime/ledger-backfill.ts), so verify
 * never takes an older store's unledgered alerts for tampering.
 */
export const alertLedgerMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createIndex('ledger_records_kind')
      .on('ledger_records')
      .columns(['kind', 'log', 'leaf_index'])
      .execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropIndex('ledger_records_kind').execute();
  },
};
