import type { Kysely, Migration } from 'kysely';

/**
 * Records of every ledger kind but events (docs/design.md "Ledgers"): configuration snapshots,
 * canary results, containment actions, console audit records. Each row is one leaf of its log
 * (`<source>/<kind>`), stored beside the ledger as events are: the record's exact bytes in `body`,
 * its id unique within the log. Written in one transaction with its leaf, nodes and checkpoint.
 */
export const ledgerRecordsMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('ledger_records')
      .addColumn('log', 'text', (c) => c.notNull())
      .addColumn('leaf_index', 'integer', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('record_id', 'text', (c) => c.notNull())
      .addColumn('time', 'text', (c) => c.notNull())
      .addColumn('body', 'text', (c) => c.notNull())
      .addColumn('stored_at_ms', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('ledger_records_pk', ['log', 'leaf_index'])
      .addUniqueConstraint('ledger_records_log_id', ['log', 'record_id'])
      .execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('ledger_records').execute();
  },
};
