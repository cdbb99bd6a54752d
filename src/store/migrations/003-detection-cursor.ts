import type { Kysely, Migration } from 'kysely';

/**
 * How far detection has run, per source: the last leaf index whose event went through the pipeline
 * and whose alerts are stored. Custody commits first and detection follows, so after a crash between
 * the two, `vigil collect` detects the events past this mark before it collects anything new.
 */
export const detectionCursorMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('detection_cursors')
      .addColumn('source', 'text', (c) => c.primaryKey())
      .addColumn('leaf_index', 'bigint', (c) => c.notNull())
      .addColumn('updated_at_ms', 'bigint', (c) => c.notNull())
      .execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('detection_cursors').execute();
  },
};
