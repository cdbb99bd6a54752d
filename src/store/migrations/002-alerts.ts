import type { Kysely, Migration } from 'kysely';

/**
 * Alerts (issue 5 "Alerts"): one row per deduplicated alert, and an append-only log of status
 * transitions (who, when). Times are epoch milliseconds in bigint so SQLite and PostgreSQL agree;
 * `event_ids` is a JSON array of provider event ids.
 */
export const alertsMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('alerts')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('rule_id', 'text', (c) => c.notNull())
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('severity', 'text', (c) => c.notNull())
      .addColumn('entity_type', 'text', (c) => c.notNull())
      .addColumn('entity_id', 'text', (c) => c.notNull())
      .addColumn('entity_display', 'text')
      .addColumn('description', 'text', (c) => c.notNull())
      .addColumn('event_ids', 'text', (c) => c.notNull())
      .addColumn('dedup_key', 'text', (c) => c.notNull())
      .addColumn('source', 'text')
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('count', 'integer', (c) => c.notNull())
      .addColumn('first_seen_ms', 'bigint', (c) => c.notNull())
      .addColumn('last_seen_ms', 'bigint', (c) => c.notNull())
      .addColumn('created_ms', 'bigint', (c) => c.notNull())
      .addColumn('updated_ms', 'bigint', (c) => c.notNull())
      .execute();
    // Dedup looks up the newest unresolved alert for a key.
    await db.schema
      .createIndex('alerts_dedup_idx')
      .on('alerts')
      .columns(['dedup_key', 'first_seen_ms'])
      .execute();
    await db.schema
      .createIndex('alerts_status_idx')
      .on('alerts')
      .columns(['status', 'last_seen_ms'])
      .execute();
    await db.schema
      .createTable('alert_transitions')
      .addColumn('alert_id', 'text', (c) => c.notNull().references('alerts.id'))
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('from_status', 'text', (c) => c.notNull())
      .addColumn('to_status', 'text', (c) => c.notNull())
      .addColumn('actor', 'text', (c) => c.notNull())
      .addColumn('at_ms', 'bigint', (c) => c.notNull())
      .addColumn('note', 'text')
      .addPrimaryKeyConstraint('alert_transitions_pk', ['alert_id', 'seq'])
      .execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('alert_transitions').execute();
    await db.schema.dropTable('alerts').execute();
  },
};
