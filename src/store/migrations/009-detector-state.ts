import type { Kysely, Migration } from 'kysely';

/**
 * What the stateful detectors remember between runs, per source, written in the transaction that
 * moves the detection mark: a restart loads it instead of replaying history (bounded by the
 * detectors' own limits, not by the size of the store). `state_saved` tells a mark written before
 * this table existed, whose state is rebuilt once by replay.
 */
export const detectorStateMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('detector_state')
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('part', 'text', (c) => c.notNull())
      .addColumn('key', 'text', (c) => c.notNull())
      .addColumn('json', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('detector_state_pk', ['source', 'part', 'key'])
      .execute();
    await db.schema
      .alterTable('detection_cursors')
      .addColumn('state_saved', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('detector_state').execute();
    await db.schema.alterTable('detection_cursors').dropColumn('state_saved').execute();
  },
};
