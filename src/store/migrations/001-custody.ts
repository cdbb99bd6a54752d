import type { Kysely, Migration } from 'kysely';
import type { StoreDialect } from '../store.js';

/** Custody tables: events, cursors, the ledger and quarantined pages. */
export const custodyMigration = (dialect: StoreDialect): Migration => ({
  async up(db: Kysely<unknown>): Promise<void> {
    await dialect
      .idColumn(db.schema.createTable('events'), 'id')
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('provider_id', 'text', (c) => c.notNull())
      .addColumn('leaf_index', 'integer', (c) => c.notNull())
      .addColumn('published', 'text', (c) => c.notNull())
      .addColumn('published_ms', 'bigint', (c) => c.notNull())
      .addColumn('event_type', 'text', (c) => c.notNull())
      .addColumn('actor_id', 'text')
      .addColumn('actor_alternate_id', 'text')
      .addColumn('actor_display_name', 'text')
      .addColumn('target_ids', 'text')
      .addColumn('target_names', 'text')
      .addColumn('client_ip', 'text')
      .addColumn('country', 'text')
      .addColumn('city', 'text')
      .addColumn('asn', 'integer')
      .addColumn('outcome_result', 'text')
      .addColumn('outcome_reason', 'text')
      .addColumn('session_id', 'text')
      .addColumn('root_session_id', 'text')
      .addColumn('transaction_id', 'text')
      .addColumn('severity', 'text')
      .addColumn('raw', 'text', (c) => c.notNull())
      .addColumn('stored_at_ms', 'bigint', (c) => c.notNull())
      .addUniqueConstraint('events_source_provider_id', ['source', 'provider_id'])
      .addUniqueConstraint('events_source_leaf', ['source', 'leaf_index'])
      .execute();
    for (const [name, columns] of [
      ['events_published', ['source', 'published_ms']],
      ['events_type', ['event_type', 'published_ms']],
      ['events_actor', ['actor_id']],
      ['events_ip', ['client_ip']],
      ['events_session', ['session_id']],
    ] as const) {
      await db.schema
        .createIndex(name)
        .on('events')
        .columns([...columns])
        .execute();
    }
    await db.schema
      .createTable('cursors')
      .addColumn('source', 'text', (c) => c.primaryKey())
      .addColumn('next_url', 'text', (c) => c.notNull())
      .addColumn('updated_at_ms', 'bigint', (c) => c.notNull())
      .addColumn('high_water_ms', 'bigint')
      .execute();
    await db.schema
      .createTable('ledger_leaves')
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('leaf_index', 'integer', (c) => c.notNull())
      .addColumn('data', 'blob', (c) => c.notNull())
      .addPrimaryKeyConstraint('ledger_leaves_pk', ['source', 'leaf_index'])
      .execute();
    await db.schema
      .createTable('ledger_nodes')
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('level', 'integer', (c) => c.notNull())
      .addColumn('idx', 'integer', (c) => c.notNull())
      .addColumn('hash', 'blob', (c) => c.notNull())
      .addPrimaryKeyConstraint('ledger_nodes_pk', ['source', 'level', 'idx'])
      .execute();
    await dialect
      .idColumn(db.schema.createTable('checkpoints'), 'id')
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('tree_size', 'integer', (c) => c.notNull())
      .addColumn('root_hash', 'blob', (c) => c.notNull())
      .addColumn('note', 'text', (c) => c.notNull())
      .addColumn('created_at_ms', 'bigint', (c) => c.notNull())
      .execute();
    await dialect
      .idColumn(db.schema.createTable('quarantine'), 'id')
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('url', 'text', (c) => c.notNull())
      .addColumn('error_code', 'text', (c) => c.notNull())
      .addColumn('message', 'text', (c) => c.notNull())
      .addColumn('body_excerpt', 'text', (c) => c.notNull())
      .addColumn('at_ms', 'bigint', (c) => c.notNull())
      .execute();
  },
});
