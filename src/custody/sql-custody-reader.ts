import { sql } from 'kysely';
import type { Store } from '../store/store.js';
import type { CustodyReader, StoredCheckpoint } from '../verify/custody-reader.js';
import { decodedExactly, type StoredEventRow } from '../verify/stored-rows.js';
import {
  checkLeafRange,
  levelSpan,
  RANGE_LEVEL,
  type LeafRangeResult,
  type StoredLevel,
} from '../verify/leaf-check.js';
import type { CustodyStore } from './custody-store.js';

const PAGE = 5_000;

/**
 * `vigil verify` reads the store through this, range by range in index order. Where the dialect
 * checks ranges itself (`leafRanges`: SQLite, with its own statements on worker threads), it does;
 * otherwise ranges are read here through Kysely, as any dialect can.
 */
export function sqlCustodyReader(
  store: Store,
  custody: CustodyStore,
  options: { rangeLevel?: number } = {},
): CustodyReader {
  const db = store.db;
  const rangeLevel = options.rangeLevel ?? RANGE_LEVEL;
  const lastLeaf = async (source: string) => {
    const row = await db
      .selectFrom('ledger_leaves')
      .select(sql<number | null>`max(leaf_index)`.as('last'))
      .where('source', '=', source)
      .executeTakeFirst();
    return row?.last == null ? -1 : Number(row.last);
  };
  const eventRows = async (source: string, from: number, to: number): Promise<StoredEventRow[]> => {
    const rows = await db
      .selectFrom('events')
      .select(['id', 'provider_id', 'leaf_index', 'published', 'raw'])
      .where('source', '=', source)
      .where('leaf_index', '>=', from)
      .where('leaf_index', '<', to)
      .orderBy('leaf_index')
      .execute();
    const found: StoredEventRow[] = [];
    for (const r of rows) {
      found.push({
        providerId: r.provider_id,
        leafIndex: Number(r.leaf_index),
        published: r.published,
        raw: typeof r.raw !== 'string' || decodedExactly(r.raw) ? r.raw : await storedBytes(Number(r.id)),
      });
    }
    return found;
  };
  /** An event's stored bytes, where its text did not decode exactly. */
  const storedBytes = async (id: number): Promise<Uint8Array> => {
    const row = await db
      .selectFrom('events')
      .select(store.dialect.textBytes('raw').as('bytes'))
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    return row.bytes;
  };

  const rangeNodes = async (source: string, from: number, to: number): Promise<StoredLevel[]> => {
    const found: StoredLevel[] = [];
    for (let level = 0; level <= rangeLevel; level++) {
      const [lo, hi] = levelSpan(level, from, to);
      if (lo >= hi) break;
      const rows = await db
        .selectFrom('ledger_nodes')
        .select(['idx', 'hash'])
        .where('source', '=', source)
        .where('level', '=', level)
        .where('idx', '>=', lo)
        .where('idx', '<', hi)
        .execute();
      found.push(new Map(rows.map((r) => [Number(r.idx), r.hash])));
    }
    return found;
  };

  async function* inThread(source: string, deep: boolean, end: number): AsyncIterable<LeafRangeResult> {
    for (let from = 0; from < end; from += 2 ** rangeLevel) {
      const to = Math.min(end, from + 2 ** rangeLevel);
      const leaves = await db
        .selectFrom('ledger_leaves')
        .select(['leaf_index', 'data'])
        .where('source', '=', source)
        .where('leaf_index', '>=', from)
        .where('leaf_index', '<', to)
        .orderBy('leaf_index')
        .execute();
      yield checkLeafRange(
        from,
        to,
        leaves.map((r) => ({ index: Number(r.leaf_index), data: r.data })),
        await eventRows(source, from, to),
        source,
        deep,
        { level: rangeLevel, stored: await rangeNodes(source, from, to) },
      );
    }
  }

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
    async *leafRanges(source, deep) {
      const end = (await lastLeaf(source)) + 1;
      const dialectRanges = store.capabilities.leafRanges;
      if (dialectRanges) yield* dialectRanges.ranges(source, deep, end);
      else yield* inThread(source, deep, end);
    },
    async *eventsAfter(source, leafIndex) {
      // Keyset on (leaf_index, id): two rows claiming one index must not fall between pages.
      for (let after = { leaf: leafIndex, id: Number.MAX_SAFE_INTEGER }; ;) {
        const rows = await db
          .selectFrom('events')
          .select(['id', 'provider_id', 'leaf_index', 'published', 'raw'])
          .where('source', '=', source)
          .where((eb) =>
            eb.or([
              eb('leaf_index', '>', after.leaf),
              eb.and([eb('leaf_index', '=', after.leaf), eb('id', '>', after.id)]),
            ]),
          )
          .orderBy('leaf_index')
          .orderBy('id')
          .limit(PAGE)
          .execute();
        if (rows.length > 0)
          yield rows.map((r) => ({
            providerId: r.provider_id,
            leafIndex: Number(r.leaf_index),
            published: r.published,
            raw: r.raw,
          }));
        const last = rows.at(-1);
        if (!last || rows.length < PAGE) return;
        after = { leaf: Number(last.leaf_index), id: Number(last.id) };
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
    hashReader: (source) => custody.hashReader(source),
  };
}
