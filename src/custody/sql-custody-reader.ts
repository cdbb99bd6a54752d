import type { Kysely } from 'kysely';
import type { VigilDatabase } from '../store/database-schema.js';
import type {
  CustodyReader,
  StoredCheckpoint,
  StoredEventRow,
  StoredLeaf,
} from '../verify/custody-reader.js';
import type { CustodyStore } from './custody-store.js';

const PAGE = 5_000;

/** `vigil verify` reads the SQL store through this, page by page in index order. */
export function sqlCustodyReader(db: Kysely<VigilDatabase>, store: CustodyStore): CustodyReader {
  return {
    async sources() {
      const rows = await db
        .selectFrom('ledger_leaves')
        .select('source')
        .distinct()
        .union(db.selectFrom('events').select('source').distinct())
        .union(db.selectFrom('checkpoints').select('source').distinct())
        .execute();
      return [...new Set(rows.map((r) => r.source))].sort();
    },
    async *leaves(source): AsyncIterable<StoredLeaf[]> {
      for (let from = -1; ;) {
        const rows = await db
          .selectFrom('ledger_leaves')
          .select(['leaf_index', 'data'])
          .where('source', '=', source)
          .where('leaf_index', '>', from)
          .orderBy('leaf_index')
          .limit(PAGE)
          .execute();
        yield rows.map((r) => ({ index: Number(r.leaf_index), data: r.data }));
        if (rows.length < PAGE) return;
        from = Number(rows.at(-1)!.leaf_index);
      }
    },
    async *events(source): AsyncIterable<StoredEventRow[]> {
      for (let from = -1; ;) {
        const rows = await db
          .selectFrom('events')
          .select(['provider_id', 'leaf_index', 'published', 'raw'])
          .where('source', '=', source)
          .where('leaf_index', '>', from)
          .orderBy('leaf_index')
          .limit(PAGE)
          .execute();
        yield rows.map((r) => ({
          providerId: r.provider_id,
          leafIndex: Number(r.leaf_index),
          published: r.published,
          raw: r.raw,
        }));
        if (rows.length < PAGE) return;
        from = Number(rows.at(-1)!.leaf_index);
      }
    },
    async checkpoints(source): Promise<StoredCheckpoint[]> {
      const rows = await db
        .selectFrom('checkpoints')
        .selectAll()
        .where('source', '=', source)
        .orderBy('id')
        .execute();
      return rows.map((r) => ({
        id: Number(r.id),
        treeSize: Number(r.tree_size),
        rootHash: Buffer.from(r.root_hash),
        note: r.note,
      }));
    },
    hashReader: (source) => store.hashReader(source),
  };
}
