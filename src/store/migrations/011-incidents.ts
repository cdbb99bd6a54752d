import type { Kysely, Migration } from 'kysely';

/**
 * Incidents (`vigil incident open`, issue 17): a breach window with the provider's indicators, and
 * whether it is still open. The opening and closing themselves are also ledgered in the audit log;
 * this table is the working copy the report, the containment plan and the drills read.
 */
export const incidentsMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('incidents')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('from_time', 'text', (c) => c.notNull())
      .addColumn('to_time', 'text', (c) => c.notNull())
      .addColumn('scope', 'text', (c) => c.notNull())
      .addColumn('iocs_json', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('opened_at', 'text', (c) => c.notNull())
      .addColumn('closed_at', 'text')
      .execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('incidents').execute();
  },
};
