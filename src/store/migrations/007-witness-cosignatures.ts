import type { Kysely, Migration } from 'kysely';

/**
 * Cosignatures witnesses returned for this store's checkpoints (c2sp.org/tlog-witness): per log,
 * tree size and witness, the signature line verbatim and when it arrived. `vigil verify` checks each
 * line against the witness keys in vigil.yaml and the store's own tree at that size, so a truncated
 * or rewritten ledger cannot keep a valid cosignature. The configured witnesses themselves live in
 * vigil.yaml (`witnesses:`), not here: they are trust anchors, like the sinks.
 */
export const witnessCosignaturesMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('witness_cosignatures')
      .addColumn('log', 'text', (c) => c.notNull())
      .addColumn('tree_size', 'bigint', (c) => c.notNull())
      .addColumn('witness', 'text', (c) => c.notNull())
      /** "— <witness name> <base64(key ID || timestamp || signature)>\n", as the witness sent it. */
      .addColumn('cosignature', 'text', (c) => c.notNull())
      .addColumn('received_at_ms', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('witness_cosignatures_pk', ['log', 'witness', 'tree_size'])
      .execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('witness_cosignatures').execute();
  },
};
