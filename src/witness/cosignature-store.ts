import type { Kysely } from 'kysely';
import type { VigilDatabase } from '../store/database-schema.js';

/** One stored cosignature (migration 007). */
export interface StoredCosignature {
  readonly log: string;
  readonly treeSize: number;
  readonly witness: string;
  /** The signature line, verbatim with its newline. */
  readonly line: string;
  readonly receivedAtMs: number;
}

/** Reads and writes of `witness_cosignatures`: the publisher stores, `vigil verify` reads. */
export function cosignatureStore(db: Kysely<VigilDatabase>) {
  return {
    /** Keeps the newest line per log, witness and size (a later cosignature of the same tree is fresher). */
    async save(c: StoredCosignature): Promise<void> {
      await db
        .insertInto('witness_cosignatures')
        .values({
          log: c.log,
          tree_size: c.treeSize,
          witness: c.witness,
          cosignature: c.line,
          received_at_ms: c.receivedAtMs,
        })
        .onConflict((oc) =>
          oc
            .columns(['log', 'witness', 'tree_size'])
            .doUpdateSet({ cosignature: c.line, received_at_ms: c.receivedAtMs }),
        )
        .execute();
    },

    /** The largest tree `witness` cosigned for `log` in this store, or 0. */
    async largestCosigned(log: string, witness: string): Promise<number> {
      const row = await db
        .selectFrom('witness_cosignatures')
        .select((eb) => eb.fn.max('tree_size').as('size'))
        .where('log', '=', log)
        .where('witness', '=', witness)
        .executeTakeFirst();
      return Number(row?.size ?? 0);
    },

    /** Every stored cosignature, by log, witness and size. */
    async all(): Promise<StoredCosignature[]> {
      const rows = await db
        .selectFrom('witness_cosignatures')
        .selectAll()
        .orderBy('log')
        .orderBy('witness')
        .orderBy('tree_size')
        .execute();
      return rows.map((r) => ({
        log: r.log,
        treeSize: Number(r.tree_size),
        witness: r.witness,
        line: r.cosignature,
        receivedAtMs: Number(r.received_at_ms),
      }));
    },
  };
}
