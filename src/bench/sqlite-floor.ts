import Database from 'better-sqlite3';
import { STORE_FILE, openSqliteStore } from '../store/sqlite/open-sqlite.js';
import type { EventColumns } from '../sources/event-columns.js';

/**
 * How fast the store itself takes what ingest writes, on this machine: the rows of a store that
 * ingest filled (events, leaves, tree nodes) copied into a fresh store through the same prepared
 * statements, pragmas and WAL checkpointing, in transactions as large as ingest's, with no
 * parsing, hashing, cursor or checkpoint signing. Ingest cannot run faster than this; only the
 * writes are timed (reading the source rows is not).
 */
export async function sqliteWriteFloor(
  filledDir: string,
  emptyDir: string,
  /** Events a transaction: as many as the ingest pipeline's largest (ingest-pipeline.ts). */
  chunk = 30_000,
): Promise<number> {
  const source = new Database(`${filledDir}/${STORE_FILE}`, { readonly: true, fileMustExist: true });
  const store = await openSqliteStore({
    dataDir: emptyDir,
    access: 'write',
    bulk: true,
    backgroundCheckpoints: true,
  });
  const { db } = store;
  const { bulk, walCheckpoints: checkpointer } = store.capabilities;
  if (!bulk) {
    await store.close();
    source.close();
    throw new Error('the SQLite store has no bulk writer');
  }
  const events = source.prepare('select * from events where id > ? order by id limit ?');
  const leaves = source
    .prepare(
      'select data from ledger_leaves where source = ? and leaf_index >= ? and leaf_index < ? order by leaf_index',
    )
    .pluck();
  const nodes = source.prepare(
    'select level, idx as "index", hash from ledger_nodes where source = ? and (idx + 1) * (1 << level) > ? and (idx + 1) * (1 << level) <= ?',
  );
  let written = 0;
  let seconds = 0;
  try {
    for (let after = 0; ;) {
      const rows = events.all(after, chunk) as (EventColumns & {
        id: number;
        source: string;
        leaf_index: number;
        raw: string;
        stored_at_ms: number;
      })[];
      if (rows.length === 0) break;
      after = rows.at(-1)!.id;
      const first = rows[0]!.leaf_index;
      const end = first + rows.length;
      const data = leaves.all(rows[0]!.source, first, end) as Buffer[];
      const batch = rows.map((row, k) => ({ columns: row, raw: row.raw, leaf: data[k]! }));
      // The nodes completed by these leaves: those whose last leaf falls in [first, end).
      const completed = nodes.all(rows[0]!.source, first, end) as {
        level: number;
        index: number;
        hash: Buffer;
      }[];
      const t = performance.now();
      await checkpointer?.beforeWrite();
      await db.transaction().execute(async () => {
        bulk.insertEvents(rows[0]!.source, first, batch, rows[0]!.stored_at_ms);
        bulk.insertLeaves(rows[0]!.source, first, batch);
        bulk.insertNodes(rows[0]!.source, completed);
      });
      checkpointer?.committed();
      seconds += (performance.now() - t) / 1000;
      written += rows.length;
    }
  } finally {
    source.close();
    await store.close();
  }
  return written / seconds;
}
