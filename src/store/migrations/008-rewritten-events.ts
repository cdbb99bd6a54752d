import type { Kysely, Migration } from 'kysely';

/**
 * Events the provider served again under an id already stored but with different bytes (issue 19,
 * "the provider rewrites history"). The stored copy stays the ledgered one; this keeps the other
 * version, byte for byte, with both SHA-256 digests of the raw bytes. One row per distinct new
 * version, so a rewritten event served on every poll is one finding, not thousands.
 */
export const rewrittenEventsMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('rewritten_events')
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('provider_id', 'text', (c) => c.notNull())
      /** Lower-case hex SHA-256 of the stored (ledgered) copy's raw bytes. */
      .addColumn('stored_sha256', 'text', (c) => c.notNull())
      /** Lower-case hex SHA-256 of the re-served version's raw bytes. */
      .addColumn('new_sha256', 'text', (c) => c.notNull())
      /** The re-served version, verbatim. */
      .addColumn('new_raw', 'text', (c) => c.notNull())
      .addColumn('seen_at_ms', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('rewritten_events_pk', ['source', 'provider_id', 'new_sha256'])
      .execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('rewritten_events').execute();
  },
};
