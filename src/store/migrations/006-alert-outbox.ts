import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Alerts are never lost (issue 14): an outbox row per alert and sink, written in the alert's own
 * transaction and kept until the sink has the alert or the delivery expires, so a sink that is down
 * — or a crash — delays an alert without dropping it. Also the reasons of grouped alerts (one story,
 * several rules) and the mark of alerts held back from sinks by a first backfill. Alerts stored
 * before this migration get their one reason from their own row.
 */
export const alertOutboxMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('alert_deliveries')
      .addColumn('alert_id', 'text', (c) => c.notNull().references('alerts.id'))
      .addColumn('sink', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull())
      .addColumn('next_attempt_ms', 'bigint', (c) => c.notNull())
      .addColumn('expires_ms', 'bigint', (c) => c.notNull())
      .addColumn('created_ms', 'bigint', (c) => c.notNull())
      .addColumn('delivered_ms', 'bigint')
      .addColumn('last_error', 'text')
      .addPrimaryKeyConstraint('alert_deliveries_pk', ['alert_id', 'sink'])
      .execute();
    // The delivery loop reads the pending rows that are due.
    await db.schema
      .createIndex('alert_deliveries_due_idx')
      .on('alert_deliveries')
      .columns(['state', 'next_attempt_ms'])
      .execute();
    await db.schema
      .createTable('alert_reasons')
      .addColumn('alert_id', 'text', (c) => c.notNull().references('alerts.id'))
      .addColumn('rule_id', 'text', (c) => c.notNull())
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('description', 'text', (c) => c.notNull())
      .addColumn('severity', 'text', (c) => c.notNull())
      .addColumn('dedup_key', 'text', (c) => c.notNull())
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('alert_reasons_pk', ['alert_id', 'rule_id'])
      .execute();
    await db.schema.createIndex('alert_reasons_dedup_idx').on('alert_reasons').column('dedup_key').execute();
    // Grouping looks up the open alerts about one entity.
    await db.schema
      .createIndex('alerts_entity_idx')
      .on('alerts')
      .columns(['entity_type', 'entity_id', 'first_seen_ms'])
      .execute();
    await db.schema
      .alterTable('alerts')
      .addColumn('held_back', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    await sql`insert into alert_reasons (alert_id, rule_id, title, description, severity, dedup_key, seq)
      select id, rule_id, title, description, severity, dedup_key, 0 from alerts`.execute(db);
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('alert_deliveries').execute();
    await db.schema.dropTable('alert_reasons').execute();
    await db.schema.dropIndex('alerts_entity_idx').execute();
    await db.schema.alterTable('alerts').dropColumn('held_back').execute();
  },
};
